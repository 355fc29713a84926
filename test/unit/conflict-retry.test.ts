// The one retry loop of a version-guarded write (functions/core/conflict-retry.ts): a write's ConflictError is
// re-read and retried up to the limit, then thrown; nothing else is retried; the first success is the answer.
import { describe, expect, it } from 'vitest';
import { CONFLICT_RETRY_ATTEMPTS, retryOnConflict } from '../../functions/core/conflict-retry.ts';
import { ConflictError, NotFoundError } from '../../functions/core/errors.ts';

/** An attempt that reads (counted) then writes: the first `losses` writes lose the race; `fail` replaces a write's outcome. */
function racing(losses: number, fail?: (write: number) => Error | undefined) {
  const calls = { reads: 0, writes: 0 };
  const attempt = (guarded: <W>(write: Promise<W>) => Promise<W>) => {
    calls.reads += 1;
    const write = async () => {
      calls.writes += 1;
      const failure = fail?.(calls.writes);
      if (failure) throw failure;
      if (calls.writes <= losses) throw new ConflictError(`lost race ${calls.writes}`, 'in_partner_review');
      return `saved by write ${calls.writes}`;
    };
    return guarded(write());
  };
  return { calls, attempt };
}

describe('retryOnConflict', () => {
  it('returns the first success without another attempt', async () => {
    const { calls, attempt } = racing(0);
    await expect(retryOnConflict(attempt)).resolves.toBe('saved by write 1');
    expect(calls).toEqual({ reads: 1, writes: 1 });
  });

  it(`re-reads after each lost race and answers with the write that lands, up to ${CONFLICT_RETRY_ATTEMPTS} attempts`, async () => {
    const { calls, attempt } = racing(CONFLICT_RETRY_ATTEMPTS - 1);
    await expect(retryOnConflict(attempt)).resolves.toBe(`saved by write ${CONFLICT_RETRY_ATTEMPTS}`);
    expect(calls).toEqual({ reads: CONFLICT_RETRY_ATTEMPTS, writes: CONFLICT_RETRY_ATTEMPTS });
  });

  it('throws the last ConflictError itself once the attempts are spent', async () => {
    const { calls, attempt } = racing(Infinity);
    const error = await retryOnConflict(attempt).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ message: `lost race ${CONFLICT_RETRY_ATTEMPTS}`, currentState: 'in_partner_review' });
    expect(calls.writes).toBe(CONFLICT_RETRY_ATTEMPTS);

    const three = racing(Infinity);
    await expect(retryOnConflict(three.attempt, 3)).rejects.toThrow('lost race 3');
    expect(three.calls).toEqual({ reads: 3, writes: 3 });
  });

  it('never retries another error of the write', async () => {
    const { calls, attempt } = racing(0, () => new NotFoundError('gone'));
    await expect(retryOnConflict(attempt)).rejects.toBeInstanceOf(NotFoundError);
    expect(calls).toEqual({ reads: 1, writes: 1 });

    const later = racing(1, (n) => (n === 2 ? new Error('DynamoDB is down') : undefined));
    await expect(retryOnConflict(later.attempt)).rejects.toThrow('DynamoDB is down');
    expect(later.calls).toEqual({ reads: 2, writes: 2 });
  });

  it("never retries a ConflictError thrown outside the guarded write (a planner's 409: the state does not allow it)", async () => {
    let reads = 0;
    const refused = retryOnConflict(async () => {
      reads += 1;
      throw new ConflictError('cannot approve now', 'declined');
    });
    await expect(refused).rejects.toThrow('cannot approve now');
    expect(reads).toBe(1);
  });
});

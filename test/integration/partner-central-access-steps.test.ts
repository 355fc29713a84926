/**
 * What the Partner Central use cases share (functions/usecases/partner-central-access.ts) against dynalite: the
 * partner's role and catalog or the 422 that says what to do instead, the assigned-application read, and the write
 * gate (one Partner Central write per second per partner account, one wait, then 429). Time is a fake clock: no
 * sleeps. Runs in the mutate suite (vitest.mutate.config.ts), so StrykerJS sees it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { tryTakeWriteSlot } from '../../functions/adapters/dynamo/partner-central-store.ts';
import type { Clock } from '../../functions/core/clock.ts';
import { NotFoundError, TooManyRequestsError, UnprocessableError } from '../../functions/core/errors.ts';
import type * as Access from '../../functions/usecases/partner-central-access.ts';
import { roleArnOf, seedApplication, seedPartner, startUsecaseHarness, type UsecaseHarness } from '../support/partner-central-usecases.ts';

let h: UsecaseHarness;
let access: typeof Access;

beforeAll(async () => {
  h = await startUsecaseHarness();
  access = await import('../../functions/usecases/partner-central-access.ts');
});
afterAll(async () => h?.stop());
afterEach(() => {
  vi.restoreAllMocks();
  h.pass(10_000);
});

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

/** A clock of its own: `advance` says whether a sleep moves it; `onSleep` runs while "asleep" (another writer). */
function clockAt(start: string, opts: { advance?: boolean; onSleep?: (now: Date) => Promise<void> } = {}): Clock & { sleeps: number[] } {
  let t = Date.parse(start);
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => new Date(t),
    sleep: async (ms) => {
      sleeps.push(ms);
      if (opts.advance ?? true) t += ms;
      await opts.onSleep?.(new Date(t));
    },
  };
}

describe('partnerRoleOrRefuse, roleOf, catalogOf', () => {
  it('answers the registered role with its external id and the partner\'s catalog, else the deployment\'s', async () => {
    const withCatalog = await seedPartner(h, 'p-acc1', '730000000001', { catalog: 'AWS', solutionId: 'S-0000001' });
    expect(await access.partnerRoleOrRefuse(h.deps(), 'p-acc1', 'do it by hand')).toEqual({
      filing: withCatalog.filing, role: { roleArn: roleArnOf('730000000001'), externalId: 'ext-p-acc1' }, catalog: 'AWS',
    });
    await seedPartner(h, 'p-acc2', '730000000002');
    expect((await access.partnerRoleOrRefuse(h.deps(), 'p-acc2', 'do it by hand')).catalog).toBe('Sandbox');
    expect(access.catalogOf({ roleArn: roleArnOf('730000000002'), externalId: 'x1' }, { defaultCatalog: 'AWS' })).toBe('AWS');
  });

  it('a role without an external id is assumed without one', () => {
    expect(access.roleOf({ roleArn: roleArnOf('730000000003') } as Access.Filing)).toStrictEqual({ roleArn: roleArnOf('730000000003') });
    expect(access.roleOf({ roleArn: roleArnOf('730000000003'), externalId: '' } as Access.Filing)).toStrictEqual({ roleArn: roleArnOf('730000000003') });
  });

  it('a partner without a role, or with no profile: 422 saying what to do instead, naming the field', async () => {
    await seedPartner(h, 'p-acc4', '730000000004', null);
    for (const partnerId of ['p-acc4', 'p-acc-unknown']) {
      const error = await rejection(access.partnerRoleOrRefuse(h.deps(), partnerId, 'submit in the Partner Central console'));
      expect(error).toBeInstanceOf(UnprocessableError);
      expect(error.message).toBe('No Partner Central role is registered for this partner: submit in the Partner Central console, or register a role');
      expect((error as UnprocessableError).problems).toEqual([{ field: 'partner.filing.roleArn', rule: 'is required to act through the API (an IAM role named AceFilingPartnerCentral*)' }]);
    }
  });
});

describe('assignedApplication', () => {
  it('answers the application assigned to the partner; another partner\'s or a missing one is not found (404)', async () => {
    const app = await seedApplication(h, 'p-acc5', { status: 'filed' });
    expect((await access.assignedApplication(h.deps(), app.id, 'p-acc5')).id).toBe(app.id);
    await expect(access.assignedApplication(h.deps(), app.id, 'p-acc6')).rejects.toThrow(new NotFoundError(`Application ${app.id} not found`));
    await expect(access.assignedApplication(h.deps(), 'app_missing', 'p-acc5')).rejects.toThrow(new NotFoundError('Application app_missing not found'));
  });
});

describe('takeWriteSlot: one Partner Central write per second per partner account', () => {
  it('of simultaneous writers at one instant exactly one gets the slot; the rest wait once, then get 429 (Retry-After 1)', async () => {
    const clock = clockAt('2026-12-07T13:00:00.000Z', { advance: false });
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => access.takeWriteSlot({ store: h.store, clock }, '731000000001')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as TooManyRequestsError);
    expect(refused).toHaveLength(3);
    for (const error of refused) {
      expect(error).toBeInstanceOf(TooManyRequestsError);
      expect(error.retryAfterSeconds).toBe(1);
    }
    expect(clock.sleeps).toEqual([1000, 1000, 1000]);
  });

  it('grants the next write one second later, and another account at once', async () => {
    const clock = clockAt('2026-12-07T14:00:00.000Z');
    await access.takeWriteSlot({ store: h.store, clock }, '731000000002');
    await access.takeWriteSlot({ store: h.store, clock }, '731000000003');
    expect(clock.sleeps).toEqual([]);
    await access.takeWriteSlot({ store: h.store, clock }, '731000000002');
    expect(clock.sleeps).toEqual([1000]);
    expect(clock.now().toISOString()).toBe('2026-12-07T14:00:01.000Z');
    await access.takeWriteSlot({ store: h.store, clock }, '731000000002');
    expect(clock.sleeps).toEqual([1000, 1000]);
  });

  it('waits only once: a slot another writer took again while it waited is refused with the time left', async () => {
    const account = '731000000004';
    const clock = clockAt('2026-12-07T15:00:00.000Z', {
      // While this writer sleeps, another takes the slot that just freed, for the next second.
      onSleep: async (now) => void (await tryTakeWriteSlot(h.store, account, now, now.getTime() + 1500)),
    });
    const start = clock.now();
    await tryTakeWriteSlot(h.store, account, start, start.getTime() + 800);
    const error = await rejection(access.takeWriteSlot({ store: h.store, clock }, account));
    expect(error).toBeInstanceOf(TooManyRequestsError);
    expect((error as TooManyRequestsError).retryAfterSeconds).toBe(2);
    expect(clock.sleeps).toEqual([800]);
  });

  it('a slot held longer than it waits for is refused at once with Retry-After in whole seconds', async () => {
    const clock = clockAt('2026-12-07T16:00:00.000Z');
    const start = clock.now();
    await tryTakeWriteSlot(h.store, '731000000005', start, start.getTime() + 2500);
    const error = await rejection(access.takeWriteSlot({ store: h.store, clock }, '731000000005'));
    expect((error as TooManyRequestsError).retryAfterSeconds).toBe(3);
    expect(clock.sleeps).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { allowedNext, planTransition } from '../../functions/core/application/lifecycle.ts';
import { ConflictError, ForbiddenError } from '../../functions/core/errors.ts';
import { APPLICATION_STATUSES } from '../../schemas/application.ts';

const now = new Date('2026-11-27T12:00:00Z');
const system = { kind: 'system', id: 'SizeAsk' } as const;

describe('application lifecycle rules', () => {
  it.each([
    ['submitted', 'sized', 'system'],
    ['sized', 'drafted', 'system'],
    ['drafted', 'routed', 'system'],
    ['drafted', 'unrouted', 'system'],
    ['routed', 'in_partner_review', 'system'],
    ['in_partner_review', 'approved_for_filing', 'partner'],
    ['in_partner_review', 'changes_requested', 'partner'],
    ['changes_requested', 'submitted', 'founder'],
    ['in_partner_review', 'withdrawn', 'founder'],
  ] as const)('allows %s -> %s by %s', (from, to, kind) => {
    const plan = planTransition({ current: from, version: 3, to, actor: { kind, id: 'x' }, reason: 'r', now });
    expect(plan.expectedStatus).toBe(from);
    expect(plan.expectedVersion).toBe(3);
    expect(plan.transition).toMatchObject({ from, to, version: 4, at: now.toISOString(), actor: { kind } });
  });

  it('refuses an illegal transition with 409 semantics naming the current state', () => {
    const err = (() => { try { planTransition({ current: 'submitted', version: 1, to: 'filed', actor: system, reason: 'r', now }); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).currentState).toBe('submitted');
    expect((err as Error).message).toContain("'submitted'");
  });

  it('refuses a legal transition by the wrong actor', () => {
    expect(() => planTransition({ current: 'in_partner_review', version: 1, to: 'approved_for_filing', actor: { kind: 'founder', id: 'f' }, reason: 'r', now }))
      .toThrow(ForbiddenError);
  });

  it('never lets a founder withdraw once the record is filed', () => {
    for (const status of ['filed', 'in_aws_review', 'approved', 'credits_applied'] as const) {
      expect(allowedNext(status, 'founder')).not.toContain('withdrawn');
    }
  });

  it('has no way out of terminal states', () => {
    for (const status of ['rejected', 'expired', 'withdrawn'] as const) {
      for (const kind of ['founder', 'partner', 'ops', 'system'] as const) expect(allowedNext(status, kind)).toEqual([]);
    }
  });

  it('can reach every status from submitted', () => {
    const seen = new Set<string>(['submitted']);
    let frontier = ['submitted'] as (typeof APPLICATION_STATUSES)[number][];
    while (frontier.length) {
      const next = frontier.flatMap((s) => (['founder', 'partner', 'ops', 'system'] as const).flatMap((k) => allowedNext(s, k)));
      frontier = next.filter((s) => !seen.has(s));
      frontier.forEach((s) => seen.add(s));
    }
    expect([...seen].sort()).toEqual([...APPLICATION_STATUSES].sort());
  });
});

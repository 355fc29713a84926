import { describe, expect, it } from 'vitest';
import { isReassignment } from '../../functions/core/operations/reassignment.ts';

const OPS = { kind: 'ops', id: 'ops-1' } as const;

describe('isReassignment', () => {
  it("is an operator's move to routed whose reason says reassigned", () => {
    expect(isReassignment({ to: 'routed', actor: OPS, reason: 'reassigned from p-a to p-b by operations: x' })).toBe(true);
    expect(isReassignment({ to: 'routed', actor: OPS, reason: 'reassigned to p-b by operations: x' })).toBe(true);
  });

  it("is not an operator's other moves to routed: a nudge's note, a redrive", () => {
    expect(isReassignment({ to: 'routed', actor: OPS, reason: 'nudged the partner (review-overdue) by operations: x' })).toBe(false);
    expect(isReassignment({ to: 'routed', actor: OPS, reason: 'redriven from NotifyRouted by operations: x' })).toBe(false);
  });

  it('needs both the operator and routed: the same words from anyone else, or to another status, are none', () => {
    expect(isReassignment({ to: 'routed', actor: { kind: 'system', id: 'RoutePartner' }, reason: 'reassigned by the router' })).toBe(false);
    expect(isReassignment({ to: 'routed', actor: { kind: 'founder', id: 'f' }, reason: 'reassigned please' })).toBe(false);
    expect(isReassignment({ to: 'in_partner_review', actor: OPS, reason: 'reassigned from p-a to p-b by operations: x' })).toBe(false);
  });
});

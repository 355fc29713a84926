import { describe, expect, it } from 'vitest';
import { planExpiry } from '../../functions/core/application/expiry.ts';
import { standingOf } from '../../functions/core/application/standing.ts';
import { newApplication } from '../../functions/core/intake.ts';
import { noticesForTransition } from '../../functions/core/notifications.ts';
import type { Application, RecordState, Transition } from '../../schemas/application.ts';
import { exampleWorksheet } from '../support/fixtures.ts';

const now = new Date('2027-01-01T00:00:00Z');
const base = newApplication({ id: 'app_x', worksheet: exampleWorksheet(), tokenHash: 'h', now });
const withRecords = (status: Application['status'], ...records: RecordState[]): Application => ({
  ...base, status, briefs: records.map((record, i) => ({ programId: `p${i}`, body: {}, problems: [], record })),
});
const credited = (expiresOn: string, remindersSent?: number[]): RecordState => ({
  status: 'credits_applied', credits: { amountUsd: '1.00', appliedOn: '2026-01-01', expiresOn }, ...(remindersSent ? { remindersSent } : {}),
});

describe('planExpiry', () => {
  it('reminds at 60 and 30 days, once each; a late sweep sends one mail covering both', () => {
    expect(planExpiry(withRecords('credits_applied', credited('2027-04-01')), now)).toMatchObject({ reminders: [], toExpiring: false });
    expect(planExpiry(withRecords('credits_applied', credited('2027-02-15')), now)).toMatchObject({ reminders: [{ days: 60, covers: [60], daysLeft: 45 }], toExpiring: true });
    expect(planExpiry(withRecords('expiring', credited('2027-02-15', [60])), now).reminders).toEqual([]);
    expect(planExpiry(withRecords('credits_applied', credited('2027-01-20')), now).reminders).toMatchObject([{ days: 30, covers: [60, 30] }]);
  });

  it('expires records on their date', () => {
    const plan = planExpiry(withRecords('expiring', credited('2027-01-01', [60, 30]), credited('2027-03-01')), now);
    expect(plan.expire).toEqual([{ programId: 'p0', expiresOn: '2027-01-01' }]);
  });
});

describe('standingOf', () => {
  it('after approval: AWS decision, then credits, then applied or rejected', () => {
    expect(standingOf(withRecords('filed', { status: 'filed' }, { status: 'approved' }))).toBe('aws-decision');
    expect(standingOf(withRecords('approved', { status: 'rejected' }, { status: 'approved' }))).toBe('credits');
    expect(standingOf(withRecords('credits_applied', { status: 'rejected' }, { status: 'credits_applied' }))).toBe('credits-applied');
    expect(standingOf(withRecords('rejected', { status: 'rejected' }, { status: 'rejected' }))).toBe('rejected');
    expect(standingOf({ ...base, status: 'withdrawn' })).toBe('closed');
  });
});

describe('noticesForTransition', () => {
  const t = (over: Partial<Transition>): Transition => ({ at: now.toISOString(), actor: { kind: 'partner', id: 'p-x' }, from: 'filed', to: 'filed', reason: 'r', version: 9, ...over });
  it('chooses recipients by the new status, never mailing the actor about their own act', () => {
    expect(noticesForTransition(t({ to: 'routed', actor: { kind: 'system', id: 'RoutePartner' } }), { firstRouting: true })).toEqual(['founder-confirmation', 'partner-assignment']);
    expect(noticesForTransition(t({ to: 'routed', actor: { kind: 'system', id: 'RoutePartner' } }), { firstRouting: false })).toEqual(['founder-status-update', 'partner-assignment']);
    expect(noticesForTransition(t({ to: 'action_required', record: { programId: 'p0', from: 'in_aws_review', to: 'action_required' } }), { firstRouting: false })).toEqual(['founder-status-update']);
    expect(noticesForTransition(t({ to: 'rejected', actor: { kind: 'system', id: 'sync' }, record: { programId: 'p0', from: 'filed', to: 'rejected' } }), { firstRouting: false }))
      .toEqual(['founder-status-update', 'partner-status-update', 'ops-status-update']);
    expect(noticesForTransition(t({ from: 'in_partner_review', to: 'in_partner_review', actor: { kind: 'system', id: 'AwaitReview' } }), { firstRouting: false })).toEqual([]);
  });

  // Anyone can submit a worksheet naming any address and withdraw it with the founder token they are handed: an
  // application that reached nobody (address never confirmed, no partner) closes as quietly as one left to expire,
  // or every submit-and-withdraw mailed operations twice (the partner's notice falls back to operations).
  it('a withdrawal of an application that reached nobody mails nobody; once shared, the partner and operations hear of it', () => {
    const withdrawn = (from: Transition['from']) => t({ from, to: 'withdrawn', actor: { kind: 'founder', id: 'founder' } });
    for (const from of ['submitted', 'sized', 'drafted'] as const) {
      expect(noticesForTransition(withdrawn(from), { firstRouting: false, neverShared: true }), from).toEqual([]);
    }
    expect(noticesForTransition(withdrawn('in_partner_review'), { firstRouting: false, neverShared: false })).toEqual(['partner-status-update', 'ops-status-update']);
    expect(noticesForTransition(withdrawn('drafted'), { firstRouting: false })).toEqual(['partner-status-update', 'ops-status-update']);
    // Operations' cancel still tells the founder.
    expect(noticesForTransition(t({ from: 'drafted', to: 'withdrawn', actor: { kind: 'ops', id: 'op' } }), { firstRouting: false, neverShared: true })).toEqual(['founder-status-update', 'partner-status-update']);
  });
});

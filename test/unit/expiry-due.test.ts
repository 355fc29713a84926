/** When the expiry sweep next has work for an application (the due-date index), against what the sweep then plans. */
import { describe, expect, it } from 'vitest';
import { nextExpiryCheck, planExpiry } from '../../functions/core/application/expiry.ts';
import type { Application, StoredBrief } from '../../schemas/application.ts';

const brief = (programId: string, record: StoredBrief['record']): StoredBrief => ({ programId, body: {}, problems: [], ...(record ? { record } : {}) });
const credited = (expiresOn: string, remindersSent?: number[]) => ({
  status: 'credits_applied' as const, credits: { amountUsd: '100.00', appliedOn: '2026-01-01', expiresOn }, ...(remindersSent ? { remindersSent } : {}),
});
const app = (briefs: StoredBrief[], status: Application['status'] = 'credits_applied') => ({ status, briefs }) as Application;
const DAY = 86_400_000;
const nothingToDo = (a: Application, at: Date) => {
  const p = planExpiry(a, at);
  return p.reminders.length === 0 && p.expire.length === 0 && !p.toExpiring;
};

describe('nextExpiryCheck', () => {
  it.each([
    ['no credited record', [brief('a', { status: 'approved' }), brief('b', undefined)], undefined],
    ['no reminder sent yet: 60 days before expiry', [brief('a', credited('2027-06-30'))], Date.parse('2027-06-30') - 60 * DAY],
    ['60-day reminder sent: 30 days before', [brief('a', credited('2027-06-30', [60]))], Date.parse('2027-06-30') - 30 * DAY],
    ['both sent: the expiry itself', [brief('a', credited('2027-06-30', [60, 30]))], Date.parse('2027-06-30')],
    ['the earliest over the records', [brief('a', credited('2027-06-30', [60, 30])), brief('b', credited('2027-08-30'))], Date.parse('2027-06-30')],
  ])('%s', (_name, briefs, expected) => {
    expect(nextExpiryCheck({ briefs })?.getTime()).toBe(expected);
  });

  it('is exactly when the sweep first has something to do, never later', () => {
    for (const [expiresOn, sent] of [['2027-06-30', []], ['2027-06-30', [60]], ['2027-06-30', [60, 30]], ['2028-02-29', [30]]] as const) {
      const a = app([brief('a', credited(expiresOn, [...sent]))], sent.length ? 'expiring' : 'credits_applied');
      const due = nextExpiryCheck(a)!;
      expect(nothingToDo(a, new Date(due.getTime() - 1))).toBe(true);
      expect(nothingToDo(a, due)).toBe(false);
    }
  });
});

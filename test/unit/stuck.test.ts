/**
 * Stuck work (functions/core/operations/stuck.ts, ./stuck-limits.ts): which threshold a status has, where the stuck
 * cut-off falls (an application exactly at its limit is not stuck, one a millisecond past is), the stuck and failed
 * rows the operations read API shows, and what a redrive will do. Inputs are built inside each test.
 */
import { describe, expect, it } from 'vitest';
import { failedItem, redriveDescription, stuckItem, thresholdFor } from '../../functions/core/operations/stuck.ts';
import { stuckBefore } from '../../functions/core/operations/stuck-limits.ts';
import { operationsKeys } from '../../functions/adapters/dynamo/keys.ts';
import type { ApplicationListItem } from '../../schemas/stored-application.ts';
import type { StuckThreshold } from '../../schemas/operations.ts';

function row(over: Partial<Omit<ApplicationListItem, 'summary'>> & { summary?: Partial<ApplicationListItem['summary']> } = {}): ApplicationListItem {
  const { summary, ...rest } = over;
  return {
    id: 'app_stuck00001',
    status: 'in_aws_review',
    updatedAt: '2026-11-15T10:00:00.000Z',
    ...rest,
    summary: { company: 'Acme Robotics', createdAt: '2026-11-01T09:00:00.000Z', records: [], lastReason: 'filed in Partner Central', ...summary },
  };
}

function threshold(): StuckThreshold {
  return { status: 'in_aws_review', hours: 504, why: 'AWS decides within 21 days.', unstick: 'Ask the partner to chase AWS.' };
}

describe('thresholdFor', () => {
  it("returns the status's own threshold, and none for a status without one", () => {
    const t = thresholdFor('in_aws_review');
    expect(t?.status).toBe('in_aws_review');
    expect(t?.hours).toBe(504);
    expect(thresholdFor('drafted')?.hours).toBe(76);
    expect(thresholdFor('credits_applied')).toBeUndefined();
  });
});

describe('stuckBefore', () => {
  it('is now minus the threshold hours: exactly at the limit is not stuck, a millisecond past it is', () => {
    const now = new Date('2026-12-06T10:00:00.000Z');
    const before = stuckBefore({ hours: 504 }, now);
    expect(before).toBe('2026-11-15T10:00:00.000Z');
    expect(stuckBefore({ hours: 1 }, now)).toBe('2026-12-06T09:00:00.000Z');
    // The operations index keeps `<updatedAt>#<id>` and reads `gsi2sk < before` (functions/adapters/dynamo/applications-lists.ts).
    const atLimit = operationsKeys('in_aws_review', '2026-11-15T10:00:00.000Z', 'app_stuck00001').gsi2sk;
    const pastLimit = operationsKeys('in_aws_review', '2026-11-15T09:59:59.999Z', 'app_stuck00001').gsi2sk;
    expect(atLimit < before).toBe(false);
    expect(pastLimit < before).toBe(true);
  });
});

describe('stuckItem', () => {
  it('shows how long it has been in the status (to a tenth of an hour), its threshold, partner and why', () => {
    // 21 days and 1 h 6 min after the update: 505.1 h.
    const item = stuckItem(row({ summary: { partnerId: 'p-1' } }), threshold(), new Date('2026-12-06T11:06:00.000Z'));
    expect(item).toEqual({
      id: 'app_stuck00001',
      status: 'in_aws_review',
      company: 'Acme Robotics',
      partnerId: 'p-1',
      since: '2026-11-15T10:00:00.000Z',
      hoursInStatus: 505.1,
      thresholdHours: 504,
      why: 'AWS decides within 21 days.',
      unstick: 'Ask the partner to chase AWS.',
      lastReason: 'filed in Partner Central',
      escalated: false,
    });
  });

  it('an escalated row says the reminders ran out (with the day) and that a recorded change resumes it', () => {
    const item = stuckItem(row({ summary: { escalation: { at: '2026-12-01T08:30:00.000Z', reason: 'escalated to operations: ...' } } }), threshold(), new Date('2026-12-06T10:00:00.000Z'));
    expect(item.escalated).toBe(true);
    expect(item.partnerId).toBeNull();
    expect(item.hoursInStatus).toBe(504);
    expect(item.why).toBe('AWS decides within 21 days. The reminders ran out and the workflow escalated it (2026-12-01).');
    expect(item.unstick).toBe("Ask the partner to chase AWS. The workflow has ended: a change recorded on it (AWS's decision, credits applied) resumes it.");
  });

  it('an update stamped after now (clock skew) counts as zero hours, never negative', () => {
    const item = stuckItem(row({ updatedAt: '2026-12-06T12:00:00.000Z' }), threshold(), new Date('2026-12-06T10:00:00.000Z'));
    expect(item.hoursInStatus).toBe(0);
  });
});

describe('failedItem', () => {
  it('reads the failure from the list summary: what failed, when, from where, and what a redrive does', () => {
    const item = failedItem(row({
      status: 'failed',
      updatedAt: '2026-12-05T10:00:00.000Z',
      summary: {
        failure: { state: 'FileInPartnerCentral', error: 'ThrottlingException', cause: 'rate exceeded', at: '2026-12-05T09:59:00.000Z', failedFrom: 'approved_for_filing' },
        executionArn: 'arn:aws:states:us-east-1:123456789012:execution:ace:app_stuck00001',
      },
    }));
    expect(item).toEqual({
      id: 'app_stuck00001',
      company: 'Acme Robotics',
      failedAt: '2026-12-05T09:59:00.000Z',
      state: 'FileInPartnerCentral',
      error: 'ThrottlingException',
      cause: 'rate exceeded',
      failedFrom: 'approved_for_filing',
      redrive: "Back to 'approved_for_filing' (where it was when FileInPartnerCentral failed), then a new execution enters at CheckStanding and carries on from there: the wait for filing and AWS's decision starts again.",
      executionArn: 'arn:aws:states:us-east-1:123456789012:execution:ace:app_stuck00001',
    });
  });

  it('a row without a recorded failure falls back to the update time, unknown, submitted and no redrive', () => {
    const item = failedItem(row({ status: 'failed', updatedAt: '2026-12-05T10:00:00.000Z' }));
    expect(item).toEqual({
      id: 'app_stuck00001',
      company: 'Acme Robotics',
      failedAt: '2026-12-05T10:00:00.000Z',
      state: 'unknown',
      error: 'unknown',
      cause: '',
      failedFrom: 'submitted',
      redrive: 'Nothing to redrive: no failure is recorded.',
      executionArn: null,
    });
  });

  it('an older head without `at` and `failedFrom` uses the update time and submitted', () => {
    const item = failedItem(row({ status: 'failed', updatedAt: '2026-12-05T10:00:00.000Z', summary: { failure: { state: 'SizeAsk', error: 'Error', cause: 'boom' } } }));
    expect(item.failedAt).toBe('2026-12-05T10:00:00.000Z');
    expect(item.failedFrom).toBe('submitted');
    expect(item.redrive).toBe('Nothing to redrive: no failure is recorded.');
  });
});

describe('redriveDescription', () => {
  it('names the status it goes back to, the failed state, and the next step (a generic one for a status without its own)', () => {
    expect(redriveDescription({ state: 'RoutePartner', failedFrom: 'drafted' }))
      .toBe("Back to 'drafted' (where it was when RoutePartner failed), then a new execution enters at CheckStanding and carries on from there: RoutePartner picks a partner.");
    expect(redriveDescription({ state: 'Notify', failedFrom: 'rejected' }))
      .toBe("Back to 'rejected' (where it was when Notify failed), then a new execution enters at CheckStanding and carries on from there: the step the status calls for.");
  });

  it('nothing to redrive without a failure or without where it failed from', () => {
    expect(redriveDescription(undefined)).toBe('Nothing to redrive: no failure is recorded.');
    expect(redriveDescription({ state: 'SizeAsk' })).toBe('Nothing to redrive: no failure is recorded.');
  });
});

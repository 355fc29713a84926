/** The pure Partner Central rules: the one ReviewStatus mapping, the write gate's decisions, the watermark, errors. */
import { describe, expect, it } from 'vitest';
import {
  advanceWatermark, afterWriteRefused, listAfter, needsCatchUpCallback, planSyncedReview, reviewFromLifeCycle, validationProblems,
} from '../../functions/core/ace/partner-central-rules.ts';
import { TooManyRequestsError } from '../../functions/core/errors.ts';
import { newApplication } from '../../functions/core/intake.ts';
import type { Application, RecordState } from '../../schemas/application.ts';
import { exampleWorksheet } from '../support/fixtures.ts';
import { fixture } from '../support/partner-central-server.ts';

type LifeCycle = { ReviewStatus?: string; ReviewComments?: string; ReviewStatusReason?: string; ClosedLostReason?: string };
const lifeCycleOf = (name: string) => fixture<{ LifeCycle: LifeCycle }>(name).LifeCycle;

function appWith(record: RecordState): Application {
  const base = newApplication({ id: 'app_u1', worksheet: exampleWorksheet(), tokenHash: 'h', now: new Date('2026-11-27T08:00:00Z') });
  return { ...base, status: 'filed', briefs: [{ programId: 'poc', body: {}, problems: [], record }] };
}

describe('reviewFromLifeCycle (recorded GetOpportunity / ListOpportunities shapes)', () => {
  it('maps each ReviewStatus to a record status with its details', () => {
    expect(reviewFromLifeCycle(lifeCycleOf('get-opportunity-action-required'))).toEqual({
      to: 'action_required', reviewStatus: 'Action Required',
      comments: "The customer website does not resolve; provide the company's public website.", reason: 'Customer website is invalid',
    });
    expect(reviewFromLifeCycle(lifeCycleOf('get-opportunity-approved'))).toEqual({ to: 'approved', reviewStatus: 'Approved' });
    expect(reviewFromLifeCycle(lifeCycleOf('get-opportunity-rejected'))).toEqual({
      to: 'rejected', reviewStatus: 'Rejected', reason: 'No Opportunity', comments: 'Duplicate of an existing opportunity for this customer.',
    });
    expect(reviewFromLifeCycle({ ReviewStatus: 'Submitted' })?.to).toBe('in_aws_review');
    expect(reviewFromLifeCycle({ ReviewStatus: 'In review' })?.to).toBe('in_aws_review');
    expect(reviewFromLifeCycle({ ReviewStatus: 'Rejected', ReviewStatusReason: 'Duplicate' })?.reason).toBe('Duplicate');
    expect(reviewFromLifeCycle({ ReviewStatus: 'Pending Submission' })).toBeUndefined();
    expect(reviewFromLifeCycle(undefined)).toBeUndefined();
  });

  it('skips a status the record already has, and never moves a record backwards', () => {
    const now = new Date('2026-11-27T12:00:00Z');
    const approved = reviewFromLifeCycle({ ReviewStatus: 'Approved' })!;
    expect(planSyncedReview({ app: appWith({ status: 'approved' }), programId: 'poc', review: approved, now })).toMatchObject({ kind: 'skip', why: 'already' });
    expect(planSyncedReview({ app: appWith({ status: 'credits_applied' }), programId: 'poc', review: approved, now })).toMatchObject({ kind: 'skip', why: 'not-applicable' });
    const plan = planSyncedReview({ app: appWith({ status: 'filed' }), programId: 'poc', review: approved, now });
    expect(plan.kind).toBe('apply');
  });

  it('asks for a catch-up callback only when the current wait predates the change', () => {
    const app: Application = {
      ...appWith({ status: 'approved' }),
      transitions: [{ at: '2026-11-27T10:00:00.000Z', actor: { kind: 'system', id: 'partner-central' }, from: 'filed', to: 'approved', reason: 'x', record: { programId: 'poc', from: 'filed', to: 'approved' }, version: 2 }],
    };
    expect(needsCatchUpCallback(app, 'poc', 'approved', '2026-11-27T09:00:00.000Z')).toBe(true);
    expect(needsCatchUpCallback(app, 'poc', 'approved', '2026-11-27T10:00:05.000Z')).toBe(false);
    expect(needsCatchUpCallback(app, 'poc', 'approved', undefined)).toBe(false);
  });
});

describe('write gate decisions', () => {
  const now = new Date('2026-11-27T12:00:00.000Z');
  it('waits once for a slot within 2 s, otherwise refuses with Retry-After in whole seconds', () => {
    expect(afterWriteRefused({ now, nextAt: now.getTime() + 1000, alreadyWaited: false })).toEqual({ kind: 'wait', ms: 1000 });
    const again = afterWriteRefused({ now, nextAt: now.getTime() + 400, alreadyWaited: true });
    expect(again.kind).toBe('refuse');
    if (again.kind === 'refuse') {
      expect(again.error).toBeInstanceOf(TooManyRequestsError);
      expect(again.error.retryAfterSeconds).toBe(1);
    }
    const far = afterWriteRefused({ now, nextAt: now.getTime() + 7500, alreadyWaited: false });
    expect(far.kind === 'refuse' && far.error.retryAfterSeconds).toBe(8);
  });
});

describe('watermark and errors', () => {
  it('lists with an overlap and advances to the newest LastModifiedDate seen, never backwards', () => {
    expect(listAfter('2026-11-27T11:00:00.000Z').toISOString()).toBe('2026-11-27T10:55:00.000Z');
    expect(advanceWatermark('2026-11-27T11:00:00.000Z', ['2026-11-27T12:10:00.000Z', undefined, '2026-11-27T11:50:00.000Z'])).toBe('2026-11-27T12:10:00.000Z');
    expect(advanceWatermark('2026-11-27T11:00:00.000Z', ['2026-11-27T10:00:00.000Z'])).toBe('2026-11-27T11:00:00.000Z');
  });

  it('turns a ValidationException ErrorList into field problems', () => {
    const body = fixture<{ Message: string; ErrorList: { FieldName: string; Message: string; Code: string }[] }>('validation-exception');
    expect(validationProblems(body.ErrorList, body.Message)).toEqual([
      { field: 'Customer.Account.WebsiteUrl', rule: 'Enter a valid website URL. (Partner Central INVALID_STRING_FORMAT)' },
      { field: 'LifeCycle.TargetCloseDate', rule: 'Target close date must be in the future. (Partner Central INVALID_VALUE)' },
    ]);
    expect(validationProblems(undefined, 'Bad request')).toEqual([{ field: '(body)', rule: 'Bad request (Partner Central validation)' }]);
  });
});

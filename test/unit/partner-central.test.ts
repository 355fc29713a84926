/** The pure Partner Central rules: the one ReviewStatus mapping, the write gate's decisions, the watermark, errors. */
import { describe, expect, it } from 'vitest';
import {
  advanceWatermark, afterWriteRefused, checkApiFiling, createOpportunityInput, inAwsReview, initialWatermark, listAfter, needsCatchUpCallback,
  nextWriteAt, planApiFiling, planSyncedReview, reviewFromLifeCycle, validationProblems,
} from '../../functions/core/ace/partner-central-rules.ts';
import { ConflictError, NotFoundError, TooManyRequestsError, UnprocessableError } from '../../functions/core/errors.ts';
import { newApplication } from '../../functions/core/intake.ts';
import type { Application, RecordState, Transition } from '../../schemas/application.ts';
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

// ---------------------------------------------------------------------------------------------------------------
// Filing through the API, the write gate's boundaries, the sync's record changes (mutation testing, 2026-12-07).

const PARTNER = { partnerId: 'p-northwind', partnerName: 'Northwind', assignedAt: '2026-11-27T08:00:00.000Z', reasons: [] };
const RECORD_CHANGED = { callback: { kinds: ['aws-decision', 'credits'], output: { event: 'record-changed', programId: 'poc' } } };

function assignedApp(record: RecordState, body: Record<string, unknown> = { ClientToken: 'ct-1', Project: { Title: 'Ledgerly' } }, status: Application['status'] = 'approved_for_filing'): Application {
  return { ...appWith(record), status, partner: PARTNER, briefs: [{ programId: 'poc', body, problems: [], record }] };
}

describe('checkApiFiling (may this partner file this record through the API now?)', () => {
  it('files an approved record with its stored body and ClientToken', () => {
    const body = { ClientToken: 'ct-1', Project: { Title: 'Ledgerly' } };
    expect(checkApiFiling({ app: assignedApp({ status: 'approved_for_filing' }, body), programId: 'poc', partnerId: 'p-northwind' }))
      .toEqual({ kind: 'file', body, clientToken: 'ct-1' });
  });

  it('answers already-filed to a repeat, even once the application is withdrawn', () => {
    const filed: RecordState = { status: 'filed', opportunityId: 'O123', filedVia: 'api' };
    for (const status of ['filed', 'withdrawn'] as const) {
      expect(checkApiFiling({ app: assignedApp(filed, undefined, status), programId: 'poc', partnerId: 'p-northwind' }))
        .toEqual({ kind: 'already-filed', opportunityId: 'O123' });
    }
  });

  it('never files for a withdrawn or failed application', () => {
    for (const status of ['withdrawn', 'failed'] as const) {
      expect(() => checkApiFiling({ app: assignedApp({ status: 'approved_for_filing' }, undefined, status), programId: 'poc', partnerId: 'p-northwind' }))
        .toThrow(new ConflictError(`Application app_u1 is '${status}': its ACE records can no longer change`, status));
    }
  });

  it('refuses (409) a record that is not approved for filing, or was filed by hand', () => {
    for (const record of [{ status: 'draft' }, { status: 'filed', opportunityId: 'O9', filedVia: 'manual' }, { status: 'filed', filedVia: 'api' }] as RecordState[]) {
      const refused = () => checkApiFiling({ app: assignedApp(record), programId: 'poc', partnerId: 'p-northwind' });
      expect(refused).toThrow(ConflictError);
      expect(refused).toThrow(`The poc record is '${record.status}'; only a record approved for filing can be filed through the API`);
    }
  });

  it('refuses (422, field ClientToken) a stored body without a ClientToken', () => {
    for (const body of [{}, { ClientToken: '' }, { ClientToken: 42 }]) {
      const refused = () => checkApiFiling({ app: assignedApp({ status: 'approved_for_filing' }, body), programId: 'poc', partnerId: 'p-northwind' });
      expect(refused).toThrow('The stored CreateOpportunity body has no ClientToken');
      try { refused(); } catch (error) {
        expect(error).toBeInstanceOf(UnprocessableError);
        expect((error as UnprocessableError).problems).toEqual([{ field: 'ClientToken', rule: 'is required' }]);
      }
    }
  });

  it('answers not found to a partner the application is not assigned to', () => {
    expect(() => checkApiFiling({ app: assignedApp({ status: 'approved_for_filing' }), programId: 'poc', partnerId: 'p-other' }))
      .toThrow(new NotFoundError('Application app_u1 not found'));
  });
});

describe('createOpportunityInput and planApiFiling (recording the created opportunity)', () => {
  it('sends the stored body with Catalog forced to the partner catalog', () => {
    expect(createOpportunityInput({ Catalog: 'AWS', ClientToken: 'ct-1' }, 'Sandbox')).toEqual({ Catalog: 'Sandbox', ClientToken: 'ct-1' });
  });

  it('moves approved_for_filing → filed via api, by the partner, and calls the workflow back', () => {
    const now = new Date('2026-11-27T12:00:00Z');
    const command = planApiFiling({ app: assignedApp({ status: 'approved_for_filing' }), programId: 'poc', partnerId: 'p-northwind', opportunityId: 'O123', filedAt: '2026-11-27T11:59:59Z', now });
    if (command.kind !== 'apply') throw new Error('expected an apply command');
    expect(command.effects).toEqual(RECORD_CHANGED);
    expect(command.changes.briefs?.[0]?.record).toEqual({ status: 'filed', opportunityId: 'O123', filedAt: '2026-11-27T11:59:59Z', filedVia: 'api' });
    expect(command.plan.transition).toMatchObject({
      actor: { kind: 'partner', id: 'p-northwind' }, to: 'filed', record: { programId: 'poc', from: 'approved_for_filing', to: 'filed' },
      reason: 'filed through the Partner Central API as O123',
    });
  });

  it('is a replay for the same opportunity, a 409 for another one, not found for another partner', () => {
    const now = new Date('2026-11-27T12:00:00Z');
    const app = assignedApp({ status: 'filed', opportunityId: 'O123', filedVia: 'api' }, undefined, 'filed');
    const args = { app, programId: 'poc', partnerId: 'p-northwind', opportunityId: 'O123', filedAt: '2026-11-27T11:59:59Z', now };
    expect(planApiFiling(args)).toEqual({ kind: 'replay', effects: RECORD_CHANGED });
    expect(() => planApiFiling({ ...args, opportunityId: 'O456' })).toThrow(new ConflictError('The poc record is already filed as O123; Partner Central returned O456', 'filed'));
    expect(() => planApiFiling({ ...args, partnerId: 'p-other' })).toThrow(NotFoundError);
  });
});

describe('write gate boundaries', () => {
  it('grants the next write one second later', () => {
    expect(nextWriteAt(new Date('2026-11-27T12:00:00.000Z'))).toBe(Date.parse('2026-11-27T12:00:01.000Z'));
  });

  it('still waits for a slot exactly 2 s away, refuses one further, and says when to retry', () => {
    const now = new Date('2026-11-27T12:00:00.000Z');
    expect(afterWriteRefused({ now, nextAt: now.getTime() + 2000, alreadyWaited: false })).toEqual({ kind: 'wait', ms: 2000 });
    const refused = afterWriteRefused({ now, nextAt: now.getTime() + 2001, alreadyWaited: false });
    expect(refused.kind === 'refuse' && refused.error.message).toBe('Partner Central allows one write per second per partner account; retry in 3 s');
  });
});

describe('the sync: review details, reasons and callbacks', () => {
  const now = new Date('2026-11-27T12:00:00Z');
  const sync = (status: RecordState['status'], lifeCycle: Parameters<typeof reviewFromLifeCycle>[0]) => {
    const plan = planSyncedReview({ app: appWith({ status, opportunityId: 'O123', filedVia: 'api' }), programId: 'poc', review: reviewFromLifeCycle(lifeCycle)!, now });
    if (plan.kind !== 'apply' || plan.command.kind !== 'apply') throw new Error(`expected an apply plan, got ${JSON.stringify(plan)}`);
    return { record: plan.command.changes.briefs?.[0]?.record, reason: plan.command.plan.transition.reason, command: plan.command };
  };

  it('follows only records AWS can still move', () => {
    expect(['filed', 'in_aws_review', 'action_required'].every((s) => inAwsReview(s as RecordState['status']))).toBe(true);
    expect(['draft', 'approved_for_filing', 'approved', 'rejected', 'credits_applied', 'expired'].some((s) => inAwsReview(s as RecordState['status']))).toBe(false);
  });

  it('Action Required: the comments and reason on the record and in the reason, by partner-central', () => {
    const { record, reason, command } = sync('filed', { ReviewStatus: 'Action Required', ReviewComments: 'Fix the website', ReviewStatusReason: 'Customer website is invalid' });
    expect(record?.awsReview).toEqual({ at: '2026-11-27T12:00:00.000Z', comments: 'Fix the website', reason: 'Customer website is invalid' });
    expect(reason).toBe('Partner Central: Action Required: Fix the website');
    expect(command.plan.transition.actor).toEqual({ kind: 'system', id: 'partner-central' });
    expect(command.effects).toEqual(RECORD_CHANGED);
    expect(sync('filed', { ReviewStatus: 'Action Required' }).reason).toBe('Partner Central: Action Required');
    expect(sync('filed', { ReviewStatus: 'Action Required', ReviewComments: '' }).record?.awsReview).toEqual({ at: '2026-11-27T12:00:00.000Z' });
  });

  it('Approved: the comments kept; Rejected: the reason said, else Other', () => {
    const approved = sync('in_aws_review', { ReviewStatus: 'Approved', ReviewComments: 'Good fit' });
    expect(approved.record?.awsReview).toEqual({ at: '2026-11-27T12:00:00.000Z', comments: 'Good fit' });
    expect(approved.reason).toBe('Partner Central: Approved');
    const rejected = sync('in_aws_review', { ReviewStatus: 'Rejected', ClosedLostReason: '', ReviewStatusReason: 'Duplicate' });
    expect(rejected.reason).toBe('Partner Central: Rejected (Duplicate)');
    expect(rejected.record?.awsReview).toEqual({ at: '2026-11-27T12:00:00.000Z', reason: 'Duplicate' });
    expect(sync('in_aws_review', { ReviewStatus: 'Rejected' }).reason).toBe('Partner Central: Rejected (Other)');
    const plan = planSyncedReview({ app: appWith({ status: 'filed' }), programId: 'poc', review: { to: 'rejected', reviewStatus: 'Rejected' }, now });
    expect(plan.kind === 'apply' && plan.command.kind === 'apply' && plan.command.plan.transition.reason).toBe('Partner Central: Rejected (Other)');
  });

  it('Submitted: in_aws_review with the status said and no review feedback', () => {
    const { record, reason } = sync('filed', { ReviewStatus: 'Submitted' });
    expect(record).toEqual({ status: 'in_aws_review', opportunityId: 'O123', filedVia: 'api' });
    expect(reason).toBe('Partner Central: Submitted');
  });

  it('says why it skipped', () => {
    const plan = planSyncedReview({ app: appWith({ status: 'approved' }), programId: 'poc', review: { to: 'approved', reviewStatus: 'Approved' }, now });
    expect(plan).toEqual({ kind: 'skip', why: 'already', detail: "the record is already 'approved'" });
    const back = planSyncedReview({ app: appWith({ status: 'rejected' }), programId: 'poc', review: { to: 'in_aws_review', reviewStatus: 'In review' }, now });
    expect(back).toEqual({ kind: 'skip', why: 'not-applicable', detail: "The poc record is 'rejected'; it cannot move to 'in_aws_review'" });
  });
});

describe('needsCatchUpCallback (a lost callback after the change was written)', () => {
  const transition = (at: string, programId: string | undefined, to: RecordState['status']): Transition => ({
    at, actor: { kind: 'system', id: 'partner-central' }, from: 'filed', to: 'filed', reason: 'x', version: 2,
    ...(programId ? { record: { programId, from: 'filed', to } } : {}),
  });
  const withTransitions = (transitions: Transition[]): Application => ({ ...appWith({ status: 'action_required' }), transitions });

  it('compares the wait with the newest change of this record to this status', () => {
    const app = withTransitions([
      transition('2026-11-27T10:00:00.000Z', 'poc', 'action_required'),
      transition('2026-11-27T11:00:00.000Z', 'poc', 'in_aws_review'),
      transition('2026-11-27T12:00:00.000Z', 'poc', 'action_required'),
    ]);
    // The wait began after the first Action Required but before the second: the second's callback was lost.
    expect(needsCatchUpCallback(app, 'poc', 'action_required', '2026-11-27T11:30:00.000Z')).toBe(true);
  });

  it('ignores other records, other statuses and application-level transitions', () => {
    const app = withTransitions([
      transition('2026-11-27T10:00:00.000Z', 'poc', 'action_required'),
      transition('2026-11-27T12:00:00.000Z', 'other', 'action_required'),
      transition('2026-11-27T12:00:00.000Z', 'poc', 'in_aws_review'),
      transition('2026-11-27T12:30:00.000Z', undefined, 'filed'),
    ]);
    expect(needsCatchUpCallback(app, 'poc', 'action_required', '2026-11-27T11:00:00.000Z')).toBe(false);
    expect(needsCatchUpCallback(app, 'poc', 'approved', '2026-11-27T09:00:00.000Z')).toBe(false);
  });
});

describe('validation problems and the first watermark', () => {
  it('names the body, "is invalid" and "validation" when Partner Central leaves them out', () => {
    expect(validationProblems([{ FieldName: '' }, {}], 'Bad request')).toEqual([
      { field: '(body)', rule: 'is invalid (Partner Central validation)' },
      { field: '(body)', rule: 'is invalid (Partner Central validation)' },
    ]);
  });

  it('starts five minutes before the first filing', () => {
    expect(initialWatermark(new Date('2026-11-27T12:00:00.000Z'))).toBe('2026-11-27T11:55:00.000Z');
  });
});

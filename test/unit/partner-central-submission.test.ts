/** The pure rules of submitting a filed opportunity for AWS review through the Selling API, and of choosing what to send. */
import { describe, expect, it } from 'vitest';
import {
  alreadyWithAws, checkApiSubmission, checkApiUpdate, chooseSolution, INVOLVEMENT_EXPLAINED, planApiSubmission, submissionChoice, VISIBILITY_EXPLAINED,
} from '../../functions/core/ace/partner-central-submission.ts';
import { newApplication } from '../../functions/core/intake.ts';
import { ConflictError, NotFoundError, UnprocessableError } from '../../functions/core/errors.ts';
import type { Application, RecordState } from '../../schemas/application.ts';
import { exampleWorksheet } from '../support/fixtures.ts';

const NOW = new Date('2026-12-06T12:00:00Z');

function appWith(record: RecordState): Application {
  const app = newApplication({ id: 'app_s', worksheet: exampleWorksheet(), tokenHash: 'h', now: NOW });
  return {
    ...app, status: record.status === 'action_required' ? 'action_required' : 'filed', version: 5,
    partner: { partnerId: 'p-northwind', partnerName: 'Northwind', assignedAt: NOW.toISOString(), reasons: [] },
    briefs: [{ programId: 'bedrock-poc', body: {}, problems: [], record }],
  };
}
const viaApi = (status: RecordState['status']): RecordState => ({ status, opportunityId: 'O123', filedVia: 'api' });
const thrown = (f: () => unknown): unknown => {
  try { f(); } catch (error) { return error; }
  throw new Error('expected an error');
};

describe('submissionChoice (InvolvementType and Visibility, said in words)', () => {
  it('defaults to Co-Sell with Full visibility and explains both', () => {
    expect(submissionChoice({})).toEqual({
      involvementType: 'Co-Sell', visibility: 'Full', explained: `${INVOLVEMENT_EXPLAINED['Co-Sell']}. ${VISIBILITY_EXPLAINED.Full}.`,
    });
    expect(submissionChoice({}).explained).toContain('credit funding is decided with an AWS account team engaged');
  });

  it('keeps what the partner chose', () => {
    expect(submissionChoice({ involvementType: 'For Visibility Only', visibility: 'Limited' })).toEqual({
      involvementType: 'For Visibility Only', visibility: 'Limited',
      explained: `${INVOLVEMENT_EXPLAINED['For Visibility Only']}. ${VISIBILITY_EXPLAINED.Limited}.`,
    });
  });
});

describe('checkApiSubmission (may this record be submitted for AWS review now?)', () => {
  const check = (record: RecordState, partnerId = 'p-northwind') => checkApiSubmission({ app: appWith(record), programId: 'bedrock-poc', partnerId });

  it('submits a filed record, and resubmits one in Action Required', () => {
    expect(check(viaApi('filed'))).toEqual({ kind: 'submit', opportunityId: 'O123', resubmission: false });
    expect(check(viaApi('action_required'))).toEqual({ kind: 'submit', opportunityId: 'O123', resubmission: true });
  });

  it('answers already-submitted once the record is with AWS or past it', () => {
    for (const status of ['in_aws_review', 'approved', 'credits_applied'] as const) {
      expect(check(viaApi(status)), status).toEqual({ kind: 'already-submitted', opportunityId: 'O123' });
    }
  });

  it('refuses (409) a record not filed through the API, naming the console', () => {
    for (const record of [{ status: 'filed', opportunityId: 'O123', filedVia: 'manual' }, { status: 'filed', filedVia: 'api' }, { status: 'approved_for_filing' }] as RecordState[]) {
      const error = thrown(() => check(record));
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as Error).message).toBe('The bedrock-poc record was not filed through the API (POST …/file-via-api first); a record filed by hand is submitted in the Partner Central console');
    }
  });

  it('refuses (409) a decided record', () => {
    for (const status of ['rejected', 'expired'] as const) {
      expect(() => check(viaApi(status))).toThrow(new ConflictError(`The bedrock-poc record is '${status}'; only a filed record, or one in Action Required, can be submitted`, status));
    }
  });

  it('answers not found to a partner the application is not assigned to', () => {
    expect(() => check(viaApi('filed'), 'p-other')).toThrow(new NotFoundError('Application app_s not found'));
  });
});

describe('alreadyWithAws (Partner Central says the opportunity is with AWS)', () => {
  it('is true for the statuses after a submission, false before one', () => {
    for (const status of ['Submitted', 'In review', 'Approved', 'Rejected']) expect(alreadyWithAws(status), status).toBe(true);
    for (const status of ['Pending Submission', 'Action Required', '', undefined]) expect(alreadyWithAws(status), String(status)).toBe(false);
  });
});

describe('chooseSolution (the solution to associate)', () => {
  const active = [{ id: 'S-1', name: 'Alpha' }, { id: 'S-2', name: 'Beta' }];

  it('takes the one asked for, else the profile one, else the only Active one', () => {
    expect(chooseSolution({ requested: 'S-2', profile: 'S-1', active })).toBe('S-2');
    expect(chooseSolution({ profile: 'S-1', active })).toBe('S-1');
    expect(chooseSolution({ active: [{ id: 'S-9', name: 'Only' }] })).toBe('S-9');
  });

  it('refuses (422) a solution that is not Active, naming where it came from and the Active ones', () => {
    const requested = thrown(() => chooseSolution({ requested: 'S-7', profile: 'S-1', active }));
    expect(requested).toBeInstanceOf(UnprocessableError);
    expect((requested as UnprocessableError).message).toBe('Solution S-7 is not one of your Active Partner Central solutions');
    expect((requested as UnprocessableError).problems).toEqual([{ field: 'solutionId', rule: 'must be one of your Active solutions: S-1 (Alpha), S-2 (Beta)' }]);
    const profile = thrown(() => chooseSolution({ profile: 'S-7', active: [] })) as UnprocessableError;
    expect(profile.problems).toEqual([{ field: 'partner.filing.solutionId', rule: 'must be one of your Active solutions: none' }]);
  });

  it('asks for the solution when there is none or more than one', () => {
    const none = thrown(() => chooseSolution({ active: [] })) as UnprocessableError;
    expect(none).toBeInstanceOf(UnprocessableError);
    expect(none.message).toBe('You have no Active solution in Partner Central to associate');
    expect(none.problems).toEqual([{ field: 'solutionId', rule: 'requires an Active solution in Partner Central' }]);
    const several = thrown(() => chooseSolution({ active })) as UnprocessableError;
    expect(several.message).toBe('Choose the solution to associate with this opportunity');
    expect(several.problems).toEqual([{ field: 'solutionId', rule: 'is required: one of S-1 (Alpha), S-2 (Beta)' }]);
  });
});

describe('planApiSubmission (the record goes to AWS review)', () => {
  const plan = (record: RecordState, resubmission: boolean, partnerId = 'p-northwind') => planApiSubmission({
    app: appWith(record), programId: 'bedrock-poc', partnerId, opportunityId: 'O123', solutionId: 'S-1', choice: submissionChoice({}), resubmission, now: NOW,
  });
  const effects = { callback: { kinds: ['aws-decision', 'credits'], output: { event: 'record-changed', programId: 'bedrock-poc' } } };

  it('moves filed → in_aws_review by the partner, saying the solution and the choice', () => {
    const command = plan(viaApi('filed'), false);
    if (command.kind !== 'apply') throw new Error('expected an apply command');
    expect(command.effects).toEqual(effects);
    expect(command.changes.briefs?.[0]?.record).toEqual(viaApi('in_aws_review'));
    expect(command.plan.transition).toMatchObject({
      actor: { kind: 'partner', id: 'p-northwind' }, from: 'filed', to: 'in_aws_review', record: { programId: 'bedrock-poc', from: 'filed', to: 'in_aws_review' },
      reason: `Submitted O123 for AWS review through the Partner Central API with solution S-1. ${submissionChoice({}).explained}`,
    });
  });

  it('says a resubmission after Action Required', () => {
    const command = plan(viaApi('action_required'), true);
    if (command.kind !== 'apply') throw new Error('expected an apply command');
    expect(command.plan.transition.reason).toMatch(/^Resubmitted O123 for AWS review /);
    expect(command.plan.transition.record).toEqual({ programId: 'bedrock-poc', from: 'action_required', to: 'in_aws_review' });
  });

  it('records nothing once the record moved on (a repeat, or AWS status first), and not found to another partner', () => {
    for (const status of ['in_aws_review', 'approved'] as const) expect(plan(viaApi(status), false)).toEqual({ kind: 'replay', effects });
    expect(() => plan(viaApi('filed'), false, 'p-other')).toThrow(NotFoundError);
  });
});

describe('checkApiUpdate (an update only over the version the partner read)', () => {
  const update = (record: RecordState, lastModifiedDate: string | undefined, basedOn = '2026-12-06T11:59:00Z', partnerId = 'p-northwind') =>
    checkApiUpdate({ app: appWith(record), programId: 'bedrock-poc', partnerId, basedOn, current: { lastModifiedDate } });

  it('answers the opportunity id when Partner Central still has the version read (the same instant, any spelling)', () => {
    expect(update(viaApi('action_required'), '2026-12-06T11:59:00.000Z')).toBe('O123');
  });

  it('refuses (409) a record not in Action Required or not filed through the API', () => {
    for (const record of [viaApi('in_aws_review'), { status: 'action_required', filedVia: 'api' }, { status: 'action_required', opportunityId: 'O123', filedVia: 'manual' }] as RecordState[]) {
      expect(() => update(record, '2026-12-06T11:59:00Z')).toThrow(new ConflictError(
        `The bedrock-poc record is '${record.status}'; an update through the API is for a record filed through it and in Action Required`, record.status,
      ));
    }
  });

  it('refuses (409) when the opportunity changed since it was read, saying when', () => {
    expect(() => update(viaApi('action_required'), '2026-12-06T12:05:00Z')).toThrow(new ConflictError(
      'The opportunity O123 changed in Partner Central at 2026-12-06T12:05:00Z after the version you read (2026-12-06T11:59:00Z); read it again (GET …/opportunity) and reapply your change', 'action_required',
    ));
    expect(() => update(viaApi('action_required'), undefined)).toThrow('changed in Partner Central at (unknown) after the version you read');
  });

  it('answers not found to a partner the application is not assigned to', () => {
    expect(() => update(viaApi('action_required'), '2026-12-06T11:59:00Z', undefined, 'p-other')).toThrow(NotFoundError);
  });
});

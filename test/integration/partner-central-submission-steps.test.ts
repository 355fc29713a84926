/**
 * Submitting a filed opportunity for AWS review and reading it through the Selling API
 * (functions/usecases/partner-central-submission.ts) against dynalite and the local Partner Central stand-in, both
 * in-process: which calls reach Partner Central and in what order, each write after its write slot, what a repeat or
 * a crash between Partner Central and our record finds, what is recorded and called back. Runs in the mutate suite
 * (vitest.mutate.config.ts), so StrykerJS sees it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { tryTakeWriteSlot } from '../../functions/adapters/dynamo/partner-central-store.ts';
import { logger } from '../../functions/adapters/observability.ts';
import { submissionChoice } from '../../functions/core/ace/partner-central-submission.ts';
import { ConflictError, NotFoundError, TooManyRequestsError, UnprocessableError } from '../../functions/core/errors.ts';
import type * as Submission from '../../functions/usecases/partner-central-submission.ts';
import {
  callbacksFor, callsOf, createAtStandIn, PROGRAM, roleArnOf, seedApplication, seedFiled, seedPartner, startUsecaseHarness, type UsecaseHarness,
} from '../support/partner-central-usecases.ts';

let h: UsecaseHarness;
let submission: typeof Submission;

beforeAll(async () => {
  h = await startUsecaseHarness();
  submission = await import('../../functions/usecases/partner-central-submission.ts');
});
afterAll(async () => h?.stop());
afterEach(() => {
  vi.restoreAllMocks();
  // A fresh second: every test starts with free write slots and a full write budget at the stand-in.
  h.pass(10_000);
});

const caller = (account: string) => ({ accountId: account, roleArn: roleArnOf(account) });
const recordOf = async (id: string) => (await h.applications.mustGet(id)).briefs?.[0]?.record;
const reviewStatusAt = (opportunityId: string) => (h.server.standIn.catalog.view(opportunityId).LifeCycle as { ReviewStatus?: string }).ReviewStatus;
const args = (applicationId: string, partnerId: string, extra: Partial<Parameters<typeof Submission.submitViaApi>[1]> = {}) => ({ applicationId, programId: PROGRAM, partnerId, ...extra });
const recordChanged = (id: string) => [{ taskToken: `token-${id}-1`, output: { event: 'record-changed', programId: PROGRAM } }];

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

/** The opportunity as a partner submitted it in the console (or as our crashed request left it): solution associated, Submitted. */
function submitAtStandIn(account: string, opportunityId: string, solutionId: string): void {
  h.server.standIn.catalog.AssociateOpportunity(caller(account), { Catalog: 'Sandbox', OpportunityIdentifier: opportunityId, RelatedEntityType: 'Solutions', RelatedEntityIdentifier: solutionId });
  h.server.standIn.catalog.SubmitOpportunity(caller(account), { Catalog: 'Sandbox', Identifier: opportunityId, InvolvementType: 'Co-Sell', Visibility: 'Full' });
}

describe('submitViaApi: the first submission', () => {
  it('associates the only Active solution, then submits Co-Sell / Full, each write after its own slot; records in_aws_review and calls back', async () => {
    await seedPartner(h, 'p-sub1', '700000000001');
    const solution = h.server.standIn.catalog.addSolution('700000000001', 'Sandbox', 'Only one');
    const { app, opportunityId } = await seedFiled(h, 'p-sub1', '700000000001');
    const info = vi.spyOn(logger, 'info');
    const sleeps = h.clock.sleeps.length;

    const result = await submission.submitViaApi(h.deps(), args(app.id, 'p-sub1'));

    const choice = submissionChoice({});
    expect(result).toEqual({ app: expect.objectContaining({ id: app.id, status: 'in_aws_review' }), opportunityId, solutionId: solution.id, choice, replayed: false });
    expect(callsOf(h, '700000000001').map((c) => c.operation)).toEqual(['GetOpportunity', 'ListSolutions', 'AssociateOpportunity', 'SubmitOpportunity']);
    expect(callsOf(h, '700000000001', 'GetOpportunity')[0]?.body).toEqual({ Catalog: 'Sandbox', Identifier: opportunityId });
    expect(callsOf(h, '700000000001', 'AssociateOpportunity')[0]?.body).toEqual({ Catalog: 'Sandbox', OpportunityIdentifier: opportunityId, RelatedEntityType: 'Solutions', RelatedEntityIdentifier: solution.id });
    expect(callsOf(h, '700000000001', 'SubmitOpportunity')[0]?.body).toEqual({ Catalog: 'Sandbox', Identifier: opportunityId, InvolvementType: 'Co-Sell', Visibility: 'Full' });
    // Two writes of one account: the second waited one second for the partner account's next slot.
    expect(h.clock.sleeps.slice(sleeps)).toEqual([1000]);
    expect(reviewStatusAt(opportunityId)).toBe('Submitted');

    const stored = await h.applications.mustGet(app.id);
    expect(stored.briefs?.[0]?.record).toMatchObject({ status: 'in_aws_review', opportunityId, filedVia: 'api' });
    expect(stored.transitions.at(-1)).toMatchObject({
      actor: { kind: 'partner', id: 'p-sub1' }, from: 'filed', to: 'in_aws_review', record: { programId: PROGRAM, from: 'filed', to: 'in_aws_review' },
      reason: `Submitted ${opportunityId} for AWS review through the Partner Central API with solution ${solution.id}. ${choice.explained}`,
    });
    expect(callbacksFor(h, app.id)).toEqual(recordChanged(app.id));
    expect(info).toHaveBeenCalledWith('Solution associated through Partner Central', { programId: PROGRAM, opportunityId, solutionId: solution.id });
    expect(info).toHaveBeenCalledWith('Submitted for AWS review through Partner Central', { programId: PROGRAM, opportunityId, resubmission: false, involvementType: 'Co-Sell', visibility: 'Full' });
  });

  it('a repeat once the record is in review sends nothing and answers the opportunity with the choice asked for', async () => {
    await seedPartner(h, 'p-sub2', '700000000002');
    h.server.standIn.catalog.addSolution('700000000002', 'Sandbox', 'Only one');
    const { app, opportunityId } = await seedFiled(h, 'p-sub2', '700000000002');
    await submission.submitViaApi(h.deps(), args(app.id, 'p-sub2'));
    const calls = callsOf(h, '700000000002').length;
    const stored = await h.applications.mustGet(app.id);

    const again = await submission.submitViaApi(h.deps(), args(app.id, 'p-sub2', { involvementType: 'For Visibility Only' }));
    expect(again).toEqual({ app: stored, opportunityId, choice: submissionChoice({ involvementType: 'For Visibility Only' }), replayed: true });
    expect(callsOf(h, '700000000002')).toHaveLength(calls);
    expect(callbacksFor(h, app.id)).toHaveLength(1);
  });

  it('the profile\'s solution when the request names none, the requested one over it', async () => {
    await seedPartner(h, 'p-sub3', '700000000003');
    const first = h.server.standIn.catalog.addSolution('700000000003', 'Sandbox', 'First');
    const second = h.server.standIn.catalog.addSolution('700000000003', 'Sandbox', 'Second');
    await seedPartner(h, 'p-sub3', '700000000003', { solutionId: second.id });
    const byProfile = await seedFiled(h, 'p-sub3', '700000000003');
    expect((await submission.submitViaApi(h.deps(), args(byProfile.app.id, 'p-sub3'))).solutionId).toBe(second.id);
    h.pass(10_000);
    const byRequest = await seedFiled(h, 'p-sub3', '700000000003');
    expect((await submission.submitViaApi(h.deps(), args(byRequest.app.id, 'p-sub3', { solutionId: first.id }))).solutionId).toBe(first.id);
    expect(callsOf(h, '700000000003', 'AssociateOpportunity').map((c) => [c.body.OpportunityIdentifier, c.body.RelatedEntityIdentifier])).toEqual([
      [byProfile.opportunityId, second.id], [byRequest.opportunityId, first.id],
    ]);
  });
});

describe('submitViaApi: a resubmission, and what Partner Central already has', () => {
  it('after Action Required resubmits with the partner\'s choice and the solution already there: one write, no association', async () => {
    await seedPartner(h, 'p-sub4', '700000000004');
    const solution = h.server.standIn.catalog.addSolution('700000000004', 'Sandbox', 'Only one');
    const { app, opportunityId } = await seedFiled(h, 'p-sub4', '700000000004', 'action_required');
    submitAtStandIn('700000000004', opportunityId, solution.id);
    h.server.standIn.catalog.review(opportunityId, { status: 'Action Required', comments: 'Add the website.' });
    const info = vi.spyOn(logger, 'info');
    const sleeps = h.clock.sleeps.length;

    const choice = { involvementType: 'For Visibility Only', visibility: 'Limited' } as const;
    const result = await submission.submitViaApi(h.deps(), args(app.id, 'p-sub4', choice));
    expect(result).toMatchObject({ opportunityId, solutionId: solution.id, replayed: false, choice: submissionChoice(choice) });
    expect(callsOf(h, '700000000004').map((c) => c.operation)).toEqual(['GetOpportunity', 'SubmitOpportunity']);
    expect(callsOf(h, '700000000004', 'SubmitOpportunity')[0]?.body).toMatchObject({ InvolvementType: 'For Visibility Only', Visibility: 'Limited' });
    expect(h.clock.sleeps.slice(sleeps)).toEqual([]);
    expect(h.server.standIn.catalog.view(opportunityId)).toMatchObject({ InvolvementType: 'For Visibility Only', Visibility: 'Limited', LifeCycle: { ReviewStatus: 'Submitted' } });
    expect((await h.applications.mustGet(app.id)).transitions.at(-1)?.reason).toBe(
      `Resubmitted ${opportunityId} for AWS review through the Partner Central API with solution ${solution.id}. ${submissionChoice(choice).explained}`,
    );
    expect(info).toHaveBeenCalledWith('Submitted for AWS review through Partner Central', { programId: PROGRAM, opportunityId, resubmission: true, involvementType: 'For Visibility Only', visibility: 'Limited' });
    expect(info).not.toHaveBeenCalledWith('Solution associated through Partner Central', expect.anything());
  });

  it('an opportunity already with AWS (submitted before a crash, or in the console) is not submitted again: only the record is written', async () => {
    await seedPartner(h, 'p-sub5', '700000000005');
    const solution = h.server.standIn.catalog.addSolution('700000000005', 'Sandbox', 'Only one');
    const { app, opportunityId } = await seedFiled(h, 'p-sub5', '700000000005');
    submitAtStandIn('700000000005', opportunityId, solution.id);
    const sleeps = h.clock.sleeps.length;

    const result = await submission.submitViaApi(h.deps(), args(app.id, 'p-sub5'));
    expect(result).toMatchObject({ opportunityId, solutionId: solution.id, replayed: true, app: { status: 'in_aws_review' } });
    expect(callsOf(h, '700000000005').map((c) => c.operation)).toEqual(['GetOpportunity']);
    expect(h.clock.sleeps.slice(sleeps)).toEqual([]);
    expect(await recordOf(app.id)).toMatchObject({ status: 'in_aws_review', opportunityId });
    expect((await h.applications.mustGet(app.id)).transitions.at(-1)?.reason).toContain(`with solution ${solution.id}.`);
    expect(callbacksFor(h, app.id)).toEqual(recordChanged(app.id));
  });

  it('an opportunity with AWS whose solution was disassociated since (DisassociateOpportunity): the record says so, the answer names none', async () => {
    await seedPartner(h, 'p-sub6', '700000000006');
    const solution = h.server.standIn.catalog.addSolution('700000000006', 'Sandbox', 'Only one');
    const { app, opportunityId } = await seedFiled(h, 'p-sub6', '700000000006');
    submitAtStandIn('700000000006', opportunityId, solution.id);
    // The stand-in keeps no DisassociateOpportunity: its stored opportunity is changed as that call would.
    h.server.standIn.catalog.opportunities().find((o) => o.id === opportunityId)!.solutions.length = 0;

    const result = await submission.submitViaApi(h.deps(), args(app.id, 'p-sub6'));
    expect(result).toEqual({ app: expect.objectContaining({ status: 'in_aws_review' }), opportunityId, choice: submissionChoice({}), replayed: true });
    expect((await h.applications.mustGet(app.id)).transitions.at(-1)?.reason).toContain('with solution (already associated).');
    expect(callsOf(h, '700000000006').map((c) => c.operation)).toEqual(['GetOpportunity']);
  });
});

describe('submitViaApi: refusals leave Partner Central and the record as they were', () => {
  it('a partner without a role (422 naming the console), another partner\'s application (404), a record filed by hand (409)', async () => {
    await seedPartner(h, 'p-sub7', '700000000007', null);
    const noRole = await seedApplication(h, 'p-sub7', { status: 'filed', opportunityId: 'O7000001', filedVia: 'api' });
    const refused = await rejection(submission.submitViaApi(h.deps(), args(noRole.id, 'p-sub7')));
    expect(refused).toBeInstanceOf(UnprocessableError);
    expect(refused.message).toBe('No Partner Central role is registered for this partner: submit in the Partner Central console, or register a role');

    await seedPartner(h, 'p-sub8', '700000000008');
    const { app } = await seedFiled(h, 'p-sub8', '700000000008');
    await expect(submission.submitViaApi(h.deps(), args(app.id, 'p-sub7'))).rejects.toThrow(new NotFoundError(`Application ${app.id} not found`));
    const manual = await seedApplication(h, 'p-sub8', { status: 'filed', opportunityId: 'O7000002', filedVia: 'manual' });
    await expect(submission.submitViaApi(h.deps(), args(manual.id, 'p-sub8'))).rejects.toThrow(ConflictError);
    expect(callsOf(h, '700000000008')).toEqual([]);
    expect(await recordOf(app.id)).toMatchObject({ status: 'filed' });
  });

  it('a requested solution that is not Active: 422 before any write', async () => {
    await seedPartner(h, 'p-sub9', '700000000009');
    h.server.standIn.catalog.addSolution('700000000009', 'Sandbox', 'Only one');
    const { app, opportunityId } = await seedFiled(h, 'p-sub9', '700000000009');
    await expect(submission.submitViaApi(h.deps(), args(app.id, 'p-sub9', { solutionId: 'S-9999999' }))).rejects.toThrow(UnprocessableError);
    expect(callsOf(h, '700000000009').map((c) => c.operation)).toEqual(['GetOpportunity', 'ListSolutions']);
    expect(reviewStatusAt(opportunityId)).toBe('Pending Submission');
    expect(await recordOf(app.id)).toMatchObject({ status: 'filed' });
  });

  it('the partner account\'s write slot held far ahead: 429 and no write', async () => {
    await seedPartner(h, 'p-sub10', '700000000010');
    h.server.standIn.catalog.addSolution('700000000010', 'Sandbox', 'Only one');
    const { app } = await seedFiled(h, 'p-sub10', '700000000010');
    const now = h.clock.now();
    await tryTakeWriteSlot(h.store, '700000000010', now, now.getTime() + 60_000);
    await expect(submission.submitViaApi(h.deps(), args(app.id, 'p-sub10'))).rejects.toThrow(TooManyRequestsError);
    expect(callsOf(h, '700000000010').map((c) => c.operation)).toEqual(['GetOpportunity', 'ListSolutions']);
    expect(await recordOf(app.id)).toMatchObject({ status: 'filed' });
    expect(callbacksFor(h, app.id)).toEqual([]);
  });
});

describe('readViaApi', () => {
  it('answers the opportunity as Partner Central has it now, with its LastModifiedDate and review status', async () => {
    await seedPartner(h, 'p-read1', '700000000011');
    const { app, opportunityId } = await seedFiled(h, 'p-read1', '700000000011');
    const view = h.server.standIn.catalog.view(opportunityId);
    const read = await submission.readViaApi(h.deps(), { applicationId: app.id, programId: PROGRAM, partnerId: 'p-read1' });
    expect(read.opportunityId).toBe(opportunityId);
    expect(read.lastModifiedDate).toBe(view.LastModifiedDate);
    expect(read.reviewStatus).toBe('Pending Submission');
    expect(read.opportunity).toMatchObject({ Id: opportunityId, Catalog: 'Sandbox', Customer: view.Customer, LifeCycle: { ReviewStatus: 'Pending Submission' } });
    expect(read.opportunity).not.toHaveProperty('$metadata');
    expect(callsOf(h, '700000000011')).toEqual([{ operation: 'GetOpportunity', body: { Catalog: 'Sandbox', Identifier: opportunityId } }]);
  });

  it('reads this program\'s record among several; an answer without LifeCycle has no review status', async () => {
    await seedPartner(h, 'p-read4', '700000000014');
    const opportunityId = createAtStandIn(h, '700000000014');
    const brief = { body: {}, problems: [], revision: 1 };
    const app = await seedApplication(h, 'p-read4', { status: 'filed' }, { briefs: [
      { ...brief, programId: 'map', record: { status: 'filed', opportunityId: 'O7000005', filedVia: 'api' } },
      { ...brief, programId: PROGRAM, record: { status: 'filed', opportunityId, filedVia: 'api' } },
    ] });
    const stored = h.server.standIn.catalog.opportunities().find((o) => o.id === opportunityId)!;
    const lifeCycle = stored.lifeCycle;
    // LifeCycle is optional in GetOpportunity's output: the stand-in's stored opportunity answers without one.
    stored.lifeCycle = undefined as unknown as Record<string, unknown>;
    try {
      const read = await submission.readViaApi(h.deps(), { applicationId: app.id, programId: PROGRAM, partnerId: 'p-read4' });
      expect(read.opportunityId).toBe(opportunityId);
      expect(read).not.toHaveProperty('reviewStatus');
    } finally {
      stored.lifeCycle = lifeCycle;
    }
    expect(callsOf(h, '700000000014', 'GetOpportunity').map((c) => c.body.Identifier)).toEqual([opportunityId]);
  });

  it('refuses a program the application has no brief for, and an application without briefs (404)', async () => {
    await seedPartner(h, 'p-read5', '700000000015');
    const { app } = await seedFiled(h, 'p-read5', '700000000015');
    await expect(submission.readViaApi(h.deps(), { applicationId: app.id, programId: 'map', partnerId: 'p-read5' })).rejects.toThrow(new NotFoundError('The map record has no opportunity filed through the API'));
    const bare = await seedApplication(h, 'p-read5', { status: 'filed' }, { briefs: undefined });
    await expect(submission.readViaApi(h.deps(), { applicationId: bare.id, programId: PROGRAM, partnerId: 'p-read5' })).rejects.toThrow(NotFoundError);
    expect(callsOf(h, '700000000015')).toEqual([]);
  });

  it('refuses a record with no opportunity filed through the API (404) before reading, another partner (404), no role (422)', async () => {
    await seedPartner(h, 'p-read2', '700000000012');
    const read = (applicationId: string, partnerId = 'p-read2') => submission.readViaApi(h.deps(), { applicationId, programId: PROGRAM, partnerId });
    for (const record of [{ status: 'approved_for_filing' }, { status: 'filed', opportunityId: 'O7000003', filedVia: 'manual' }] as const) {
      const app = await seedApplication(h, 'p-read2', record);
      await expect(read(app.id)).rejects.toThrow(new NotFoundError(`The ${PROGRAM} record has no opportunity filed through the API`));
    }
    const { app } = await seedFiled(h, 'p-read2', '700000000012');
    await expect(read(app.id, 'p-other')).rejects.toThrow(new NotFoundError(`Application ${app.id} not found`));
    expect(callsOf(h, '700000000012')).toEqual([]);
    await seedPartner(h, 'p-read3', '700000000013', null);
    const noRole = await seedApplication(h, 'p-read3', { status: 'filed', opportunityId: 'O7000004', filedVia: 'api' });
    await expect(read(noRole.id, 'p-read3')).rejects.toThrow('No Partner Central role is registered for this partner: submit in the Partner Central console, or register a role');
  });
});

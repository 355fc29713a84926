// The funding request's recorded changes (functions/core/application/funding.ts) on their own: each refusal with its
// status and words (the API's 404/409/412/422/428 bodies), the partner's edit with If-Match and its exact result, the
// created and submitted transitions with their reasons and the callback they make, and what an observed benefit
// application or allocation records (review, Revision, reason). Data is built inside each test (StrykerJS credits data
// built at collection time to no test).
import { describe, expect, it } from 'vitest';
import { benefitClientToken, fundingEtag, type AllocationView } from '../../functions/core/ace/funding-draft.ts';
import {
  checkFundingSubmit, fundingOf, planFundingCreated, planFundingEdit, planFundingSubmitted, planFundingTransition, planSyncedFunding,
} from '../../functions/core/application/funding.ts';
import type { Command } from '../../functions/core/application/commands.ts';
import { ConflictError, PreconditionFailedError } from '../../functions/core/errors.ts';
import type { Application, FundingState, FundingStatus } from '../../schemas/application.ts';
import { approvedFundingApp, bedrockFunding, FUNDING_NOW, fundingApp, withFunding } from '../support/funding.ts';

const now = FUNDING_NOW;
const AT = '2026-11-27T12:00:00.000Z';
const PARTNER = { kind: 'partner', id: 'p-northwind' } as const;
const BENEFITS = { kind: 'system', id: 'partner-central-benefits' } as const;
const ID = 'benappl-aaaaaaaaaaaaaa';
/** Every funding change wakes the workflow waiting on AWS's decision or on the credits. */
const EFFECTS = { callback: { kinds: ['aws-decision', 'credits'], output: { event: 'record-changed', programId: 'bedrock-poc' } } };

/** What an error thrown by `run` is, as the fields an API answer shows. */
function caught(run: () => unknown): { name: string; message: string; [k: string]: unknown } {
  try {
    run();
  } catch (error) {
    return { ...(error as object), name: (error as Error).name, message: (error as Error).message };
  }
  throw new Error('expected an error');
}

function applied(command: Command) {
  if (command.kind !== 'apply') throw new Error(`expected a change, got ${command.kind}`);
  const briefs = command.changes.briefs as NonNullable<Application['briefs']>;
  return { ...command, transition: command.plan.transition, funding: briefs[0]!.record!.funding!, briefs };
}

describe('fundingOf and planFundingTransition', () => {
  it('a record without a funding request is a 404 that says why', () => {
    const a = fundingApp({ status: 'approved', opportunityId: 'O1' });
    expect(caught(() => fundingOf(a, 'bedrock-poc'))).toMatchObject({
      name: 'NotFoundError',
      message: 'The bedrock-poc record has no funding request: its program is not funded through the Partner Central Benefits API (data/benefits.json), or AWS has not approved its opportunity yet',
    });
    expect(fundingOf(approvedFundingApp(), 'bedrock-poc').status).toBe('drafted');
  });

  it('a move the rules do not allow is a 409 naming the funding request and its status', () => {
    expect(caught(() => planFundingTransition({ app: approvedFundingApp(), programId: 'bedrock-poc', to: 'submitted', actor: PARTNER, reason: 'x', now }))).toMatchObject({
      name: 'ConflictError', message: "The bedrock-poc funding request is 'drafted'; it cannot move to 'submitted'", currentState: 'drafted',
    });
  });

  it('changes only its own record; a record move to where the record already is leaves the record as it is', () => {
    const a = withFunding(approvedFundingApp(), { status: 'approved' }, { status: 'credits_applied', credits: { amountUsd: '9000.00', appliedOn: '2026-11-27', expiresOn: '2027-01-01' } });
    const plan = planFundingTransition({
      app: a, programId: 'bedrock-poc', to: 'allocated', actor: BENEFITS, reason: 'r', now,
      record: { to: 'credits_applied', details: { credits: { amountUsd: '1.00', appliedOn: '2026-11-28', expiresOn: '2027-11-28' } } },
    });
    expect(plan.transition).toEqual({ at: AT, actor: BENEFITS, from: 'in_aws_review', to: 'in_aws_review', reason: 'r', funding: { programId: 'bedrock-poc', from: 'approved', to: 'allocated' }, version: a.version + 1 });
    expect(plan.briefs[0]!.record).toEqual({ ...a.briefs![0]!.record!, funding: { ...bedrockFunding(a), status: 'allocated' } });
    expect(plan.briefs[1]).toEqual(a.briefs![1]);
  });
});

describe("the partner's edit", () => {
  const edit = (a: Application, patch: Record<string, unknown>, ifMatch: string | undefined, partnerId = 'p-northwind') =>
    planFundingEdit({ app: a, programId: 'bedrock-poc', partnerId, patch, ifMatch, now });

  it("another partner's application does not exist", () => {
    const a = approvedFundingApp();
    expect(caught(() => edit(a, { Description: 'x' }, fundingEtag(bedrockFunding(a)), 'p-other'))).toMatchObject({ name: 'NotFoundError', message: 'Application app_f not found' });
  });

  it.each([[undefined], [''], ['   '], ['*'], [' * ']])('If-Match %j is a 428 asking for the ETag', (ifMatch) => {
    expect(caught(() => edit(approvedFundingApp(), { Description: 'x' }, ifMatch))).toMatchObject({
      name: 'PreconditionRequiredError', message: "Send If-Match with the funding request's ETag (from GET …/funding or the last PATCH)",
    });
  });

  it('once sent (and not in Action Required) it is a 409 naming the status', () => {
    const a = withFunding(approvedFundingApp(), { status: 'in_review' });
    expect(caught(() => edit(a, { Description: 'x' }, fundingEtag(bedrockFunding(a))))).toMatchObject({
      name: 'ConflictError', message: "The bedrock-poc funding request is 'in_review': it can be edited while drafted, or in Action Required", currentState: 'in_review',
    });
  });

  it('a patch of a field it may not change is a 400 listing each one', () => {
    const a = approvedFundingApp();
    expect(caught(() => edit(a, { ClientToken: 'mine' }, fundingEtag(bedrockFunding(a))))).toMatchObject({
      name: 'ValidationError', message: 'The patch changes fields that cannot be changed now',
      problems: [{ field: 'ClientToken', rule: 'is set by the service and cannot be edited' }],
    });
  });

  it('a patch that changes nothing is answered with the request as it is', () => {
    const a = approvedFundingApp();
    const f = bedrockFunding(a);
    expect(edit(a, { Name: f.body.Name }, fundingEtag(f))).toEqual({ kind: 'unchanged', funding: f });
  });

  it('a stale ETag is a 412 carrying the current one; any of a list matches, weak or strong', () => {
    const a = approvedFundingApp();
    const etag = fundingEtag(bedrockFunding(a));
    expect(caught(() => edit(a, { Description: 'x' }, '"f1-stale"'))).toMatchObject({
      name: 'PreconditionFailedError', message: 'The funding request changed since you read it: GET …/funding again and re-apply your change', currentETag: etag,
    });
    expect(edit(a, { Description: 'x' }, `"f0-old",  ${etag} `).kind).toBe('apply');
    expect(edit(a, { Description: 'x' }, `W/${etag}`).kind).toBe('apply');
    // Only a leading W/ marks a weak tag: one inside the value is part of it.
    expect(() => edit(a, { Description: 'x' }, `${etag.slice(0, 3)}W/${etag.slice(3)}`)).toThrow(PreconditionFailedError);
  });

  it('a drafted edit: the next revision, a new ClientToken, re-checked, stamped, in its own record only', () => {
    const a = approvedFundingApp();
    const f = bedrockFunding(a);
    const plan = edit(a, { Description: 'Two-month POC on Bedrock.' }, fundingEtag(f));
    const edited: FundingState = {
      ...f, body: { ...f.body, Description: 'Two-month POC on Bedrock.', ClientToken: '30d25c92-d0f0-549d-93e5-76dd881db1e0' },
      problems: [], revision: 2, editedAt: AT, editedBy: 'p-northwind',
    };
    expect(plan).toEqual({
      kind: 'apply', funding: edited, expectedVersion: a.version,
      briefs: [{ ...a.briefs![0]!, record: { ...a.briefs![0]!.record!, funding: edited } }, a.briefs![1]],
    });
  });

  it('under Action Required: a nested BenefitApplicationDetails member may change, and the ClientToken stays', () => {
    const a = withFunding(approvedFundingApp(), { status: 'action_required', benefitApplicationId: ID, revision: 4 });
    const f = bedrockFunding(a);
    const plan = edit(a, { BenefitApplicationDetails: { UseCase: 'A narrower use case.' } }, fundingEtag(f));
    if (plan.kind !== 'apply') throw new Error('expected a change');
    expect(plan.funding.revision).toBe(5);
    expect(plan.funding.body.ClientToken).toBe(benefitClientToken('app_f', 'bedrock-poc', 1));
    expect((plan.funding.body.BenefitApplicationDetails as Record<string, unknown>).UseCase).toBe('A narrower use case.');
  });
});

describe('may it be sent?', () => {
  const check = (a: Application, partnerId = 'p-northwind') => checkFundingSubmit({ app: a, programId: 'bedrock-poc', partnerId });

  it("another partner's application does not exist", () => {
    expect(caught(() => check(approvedFundingApp(), 'p-other'))).toMatchObject({ name: 'NotFoundError', message: 'Application app_f not found' });
  });

  it('a clean draft with an opportunity is sent with it', () => {
    const a = approvedFundingApp();
    expect(check(a)).toEqual({ kind: 'send', funding: bedrockFunding(a), opportunityId: 'O5550001' });
  });

  it('without an opportunity it is a 409; with model problems a 422 listing them', () => {
    const noOpportunity = withFunding(approvedFundingApp(), {}, { opportunityId: undefined });
    expect(caught(() => check(noOpportunity))).toMatchObject({
      name: 'ConflictError', message: 'The bedrock-poc record has no ACE opportunity to associate the benefit application with', currentState: 'approved',
    });
    const problems = [{ field: 'Description', rule: 'must not be empty' }];
    expect(caught(() => check(withFunding(approvedFundingApp(), { problems })))).toMatchObject({
      name: 'UnprocessableError', message: 'The benefit application does not match the Partner Central Benefits model: fix it with PATCH …/funding first', problems,
    });
  });
});

describe('created and submitted', () => {
  const created = (a: Application, benefitApplicationId: string, sentRevision = 1) =>
    planFundingCreated({ app: a, programId: 'bedrock-poc', partnerId: 'p-northwind', benefitApplicationId, catalog: 'Sandbox', sentRevision, now });
  const submitted = (a: Application, resubmission = false) => planFundingSubmitted({ app: a, programId: 'bedrock-poc', partnerId: 'p-northwind', resubmission, now });

  it("created records the application's id and catalog, the partner's approval as the reason", () => {
    const a = approvedFundingApp();
    const c = applied(created(a, ID));
    expect(c.effects).toEqual(EFFECTS);
    expect(c.transition).toMatchObject({
      actor: PARTNER, funding: { programId: 'bedrock-poc', from: 'drafted', to: 'created' },
      reason: `funding request approved by the partner and created through the Partner Central Benefits API as ${ID}`,
    });
    expect(c.funding).toEqual({ ...bedrockFunding(a), status: 'created', benefitApplicationId: ID, catalog: 'Sandbox' });
  });

  it('another id than the one recorded, or a body edited meanwhile, is a 409 that says which', () => {
    const other = withFunding(approvedFundingApp(), { status: 'created', benefitApplicationId: ID });
    expect(caught(() => created(other, 'benappl-bbbbbbbbbbbbbb'))).toMatchObject({
      name: 'ConflictError', message: `The bedrock-poc funding request is already ${ID}; Partner Central returned benappl-bbbbbbbbbbbbbb`, currentState: 'created',
    });
    expect(caught(() => created(withFunding(approvedFundingApp(), { revision: 3 }), ID, 2))).toMatchObject({
      name: 'ConflictError', message: 'The bedrock-poc funding request was edited while it was being sent (revision 3, sent 2): send it again', currentState: 'drafted',
    });
  });

  it('submitted: from created, recording the body revision sent', () => {
    const a = withFunding(approvedFundingApp(), { status: 'created', benefitApplicationId: ID, revision: 3 });
    const s = applied(submitted(a));
    expect(s.effects).toEqual(EFFECTS);
    expect(s.transition).toMatchObject({
      at: AT, actor: PARTNER, from: 'in_aws_review', to: 'in_aws_review', version: a.version + 1,
      funding: { programId: 'bedrock-poc', from: 'created', to: 'submitted' }, reason: `Submitted funding request ${ID} for AWS review (Benefits API)`,
    });
    expect(s.funding).toEqual({ ...bedrockFunding(a), status: 'submitted', sentRevision: 3 });
    expect(s.plan.expectedVersion).toBe(a.version);
  });

  it('resubmitted: from Action Required; without an id the reason names none', () => {
    const asked = withFunding(approvedFundingApp(), { status: 'action_required', benefitApplicationId: ID, revision: 5, sentRevision: 2 });
    const r = applied(submitted(asked, true));
    expect(r.transition.reason).toBe(`Resubmitted funding request ${ID} for AWS review (Benefits API)`);
    expect(r.funding).toMatchObject({ status: 'submitted', sentRevision: 5 });
    const noId = withFunding(approvedFundingApp(), { status: 'created' });
    expect(applied(submitted(noId)).transition.reason).toBe('Submitted funding request for AWS review (Benefits API)');
  });

  it.each(['submitted', 'in_review', 'approved', 'allocated', 'rejected'] as const)('once AWS has it (%s) a submit is a replay', (status) => {
    expect(submitted(withFunding(approvedFundingApp(), { status, benefitApplicationId: ID }))).toEqual({ kind: 'replay', effects: {} });
  });

  it('a drafted request cannot be submitted before it is created (409)', () => {
    expect(() => submitted(approvedFundingApp())).toThrow(ConflictError);
  });
});

describe('what Partner Central shows, recorded', () => {
  const atStatus = (status: FundingStatus, record: Parameters<typeof withFunding>[2] = {}) =>
    withFunding(approvedFundingApp(), { status, benefitApplicationId: ID, sentRevision: 1 }, record);
  const allocation = (over: Partial<AllocationView> = {}): AllocationView => ({
    id: 'benalloc-aaaaaaaaaaaaaa', startsAt: '2026-11-28T00:00:00.000Z', expiresAt: '2027-11-28T00:00:00.000Z',
    credit: { allocated: { Amount: '25000', CurrencyCode: 'USD' }, issued: { Amount: '25000', CurrencyCode: 'USD' }, codeExpiries: [] }, ...over,
  });
  const sync = (a: Application, observed: Parameters<typeof planSyncedFunding>[0]['observed'], alloc?: AllocationView) =>
    planSyncedFunding({ app: a, programId: 'bedrock-poc', observed, allocation: alloc, now });
  const change = (plan: ReturnType<typeof planSyncedFunding>) => {
    if (plan.kind !== 'apply') throw new Error(`expected a change, got ${plan.why}: ${plan.detail}`);
    return { to: plan.to, ...applied(plan.command) };
  };

  it('a status: its review (reason, codes, stage), the Revision at AWS, and a reason in words', () => {
    const a = atStatus('submitted');
    const c = change(sync(a, { status: 'ACTION_REQUIRED', statusReason: 'Attach the plan', codes: ['MISSING_DOC', 'OTHER'], stage: 'Validation', revision: '4' }));
    expect(c.to).toBe('action_required');
    expect(c.effects).toEqual(EFFECTS);
    expect(c.transition).toMatchObject({ actor: BENEFITS, funding: { from: 'submitted', to: 'action_required' }, reason: 'Partner Central Benefits: action required: Attach the plan' });
    expect(c.funding).toEqual({
      ...bedrockFunding(a), status: 'action_required', awsRevision: '4',
      review: { at: AT, status: 'ACTION_REQUIRED', reason: 'Attach the plan', codes: ['MISSING_DOC', 'OTHER'], stage: 'Validation' },
    });
  });

  it('a bare status: the review has only its time and status, no Revision; Canceled is said as such', () => {
    const a = atStatus('in_review');
    const c = change(sync(a, { status: 'APPROVED', codes: [] }));
    expect(c.funding).toEqual({ ...bedrockFunding(a), status: 'approved', review: { at: AT, status: 'APPROVED' } });
    expect(c.transition.reason).toBe('Partner Central Benefits: approved');
    const canceled = change(sync(atStatus('in_review'), { status: 'CANCELED' }));
    expect([canceled.to, canceled.transition.reason]).toEqual(['rejected', 'Partner Central Benefits: Canceled']);
    expect(change(sync(atStatus('submitted'), { status: 'IN_REVIEW' })).transition.reason).toBe('Partner Central Benefits: in review');
  });

  it('no status, or one that asks for nothing, is skipped saying which', () => {
    expect(sync(atStatus('created'), {})).toEqual({ kind: 'skip', why: 'no-status', detail: 'status (none) asks for no change' });
    expect(sync(atStatus('created'), { status: 'PENDING_SUBMISSION' })).toEqual({ kind: 'skip', why: 'no-status', detail: 'status PENDING_SUBMISSION asks for no change' });
  });

  it('what the record already shows is skipped: the same status, and approved once allocated', () => {
    expect(sync(atStatus('in_review'), { status: 'IN_REVIEW' })).toEqual({ kind: 'skip', why: 'already', detail: "the funding request is already 'in_review'" });
    expect(sync(atStatus('allocated'), { status: 'APPROVED' })).toEqual({ kind: 'skip', why: 'already', detail: "the funding request is already 'allocated'" });
    // An allocation seen again once allocated changes nothing either.
    expect(sync(atStatus('allocated'), { status: 'APPROVED' }, allocation())).toEqual({ kind: 'skip', why: 'already', detail: "the funding request is already 'allocated'" });
  });

  it('a move the rules refuse is skipped with their words', () => {
    expect(sync(atStatus('rejected'), { status: 'IN_REVIEW' })).toEqual({ kind: 'skip', why: 'not-applicable', detail: "The bedrock-poc funding request is 'rejected'; it cannot move to 'in_review'" });
  });

  it('an allocation: the credits in the reason, the allocation recorded with its status, the record to credits_applied', () => {
    const a = atStatus('approved');
    const c = change(sync(a, { status: 'APPROVED', revision: '7' }, allocation({ status: 'ACTIVE' })));
    expect(c.to).toBe('allocated');
    expect(c.transition).toMatchObject({
      record: { programId: 'bedrock-poc', from: 'approved', to: 'credits_applied' }, funding: { from: 'approved', to: 'allocated' },
      reason: 'Partner Central Benefits: allocation benalloc-aaaaaaaaaaaaaa, credits applied: $25000.00, expiring 2027-11-28',
    });
    expect(c.funding).toEqual({
      ...bedrockFunding(a), status: 'allocated', awsRevision: '7', review: { at: AT, status: 'APPROVED' },
      allocation: { id: 'benalloc-aaaaaaaaaaaaaa', amountUsd: '25000.00', startsAt: '2026-11-28T00:00:00.000Z', expiresAt: '2027-11-28T00:00:00.000Z', status: 'ACTIVE' },
    });
    expect(c.briefs[0]!.record).toMatchObject({ status: 'credits_applied', credits: { amountUsd: '25000.00', appliedOn: '2026-11-28', expiresOn: '2027-11-28' } });
  });

  it('an allocation without a status or an observed status; a record no longer approved keeps its status', () => {
    // The partner recorded the credits by hand and they expired before Partner Central showed the allocation.
    const a = atStatus('in_review', { status: 'expired', credits: { amountUsd: '9000.00', appliedOn: '2025-11-27', expiresOn: '2026-11-01' } });
    const c = change(sync(a, {}, allocation()));
    expect(c.transition.record).toBeUndefined();
    expect(c.briefs[0]!.record).toMatchObject({ status: 'expired', credits: { amountUsd: '9000.00' } });
    expect(c.funding.review).toEqual({ at: AT, status: 'unknown' });
    expect(c.funding.allocation).toEqual({ id: 'benalloc-aaaaaaaaaaaaaa', amountUsd: '25000.00', startsAt: '2026-11-28T00:00:00.000Z', expiresAt: '2027-11-28T00:00:00.000Z' });
  });

  it('an allocation amount that is not a decimal number is unusable, not a failure of the reconciliation', () => {
    const odd = allocation({ credit: { allocated: undefined, issued: { Amount: '0x61A8', CurrencyCode: 'USD' }, codeExpiries: [] } });
    expect(sync(atStatus('approved'), { status: 'APPROVED' }, odd)).toEqual({
      kind: 'skip', why: 'unusable-allocation', detail: 'the allocation\'s amount "0x61A8" is not a decimal number',
    });
  });

  it('a failure other than a refused move propagates as itself', () => {
    expect(() => sync(atStatus('in_review'), { status: 'APPROVED' }, { ...allocation(), get credit(): never { throw new RangeError('unreadable'); } })).toThrow(RangeError);
    expect(() => sync(atStatus('in_review'), { status: 'APPROVED' }, allocation())).not.toThrow();
  });
});

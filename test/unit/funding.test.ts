// The funding request's pure rules: drafting with the approval (data/benefits.json, checked against the Benefits
// model), its recorded transitions, the partner's edits, and what an observed benefit application or allocation does.
import { describe, expect, it } from 'vitest';
import { benefitClientToken, benefitsData, creditsFromAllocation, draftFunding, fundingEtag, type AllocationView } from '../../functions/core/ace/funding-draft.ts';
import {
  checkFundingSubmit, planFundingCreated, planFundingEdit, planFundingTransition, planSyncedFunding,
} from '../../functions/core/application/funding.ts';
import { planRecordTransition } from '../../functions/core/application/records.ts';
import { describeTransition, noticesForTransition } from '../../functions/core/notifications.ts';
import { ConflictError, ForbiddenError, PreconditionFailedError, UnprocessableError, ValidationError } from '../../functions/core/errors.ts';
import type { Application, FundingState } from '../../schemas/application.ts';
import { approvedFundingApp, bedrockFunding, FUNDING_NOW, FUNDING_SYSTEM, fundingApp, withFunding } from '../support/funding.ts';

const now = FUNDING_NOW;
const NOW_ISO = now.toISOString();
const partner = { kind: 'partner', id: 'p-northwind' } as const;
const system = FUNDING_SYSTEM;
const BENEFIT = benefitsData.programs.find((p) => p.programId === 'bedrock-poc')!.benefitId;
const app = fundingApp;
const approved = approvedFundingApp;
const fundingOf = bedrockFunding;

describe('drafting the benefit application with the approval', () => {
  it('drafts for a program data/benefits.json funds, valid against the Benefits model, in the approval transition', () => {
    const a = approved();
    const funding = fundingOf(a);
    expect(funding).toMatchObject({ status: 'drafted', revision: 1, problems: [] });
    expect(funding.body).toMatchObject({
      Catalog: 'Sandbox', BenefitIdentifier: BENEFIT, FulfillmentTypes: ['CREDITS'], ClientToken: benefitClientToken('app_f', 'bedrock-poc', 1),
      PartnerContacts: [{ Email: 'ace@northwind.example', FirstName: 'Ana', LastName: 'Lee', BusinessTitle: 'PartnerAccountManager' }],
    });
    const details = funding.body.BenefitApplicationDetails as Record<string, unknown>;
    const ask = a.estimate!.plan.filings.find((f) => f.programId === 'bedrock-poc')!.askUsd;
    expect(details).toMatchObject({ OpportunityIdentifier: 'O5550001', CustomerAwsAccountId: a.worksheet.aws.accountId });
    expect(Number((details.RequestedAmount as { Amount: string }).Amount)).toBe(Number(ask));
    expect(a.transitions.at(-1)).toMatchObject({ record: { to: 'approved' }, funding: { programId: 'bedrock-poc', from: null, to: 'drafted' } });
  });

  it('drafts nothing for a program not funded through the Benefits API', () => {
    const a = app({ status: 'approved' }, { status: 'in_aws_review', opportunityId: 'O1' });
    const plan = planRecordTransition({ app: a, programId: 'activate-portfolio', to: 'approved', actor: system, reason: 'ok', now });
    expect(plan.briefs[1]!.record!.funding).toBeUndefined();
    expect(plan.transition.funding).toBeUndefined();
    expect(draftFunding({ app: a, brief: a.briefs![1]! })).toBeUndefined();
  });
});

describe('the funding request transitions', () => {
  it('records a funding-only change as a transition that keeps the application status, version-guarded', () => {
    const a = approved();
    const plan = planFundingTransition({ app: a, programId: 'bedrock-poc', to: 'created', actor: partner, reason: 'created', now, details: { benefitApplicationId: 'benappl-aaaaaaaaaaaaaa' } });
    expect(plan.transition).toMatchObject({ from: a.status, to: a.status, funding: { from: 'drafted', to: 'created' }, version: a.version + 1 });
    expect(plan.transition.record).toBeUndefined();
    expect(plan.expectedVersion).toBe(a.version);
    expect(plan.briefs[0]!.record).toMatchObject({ status: 'approved', funding: { status: 'created', benefitApplicationId: 'benappl-aaaaaaaaaaaaaa' } });
  });

  it('refuses moves the rules do not allow, naming the current status; AWS moves are the system\'s', () => {
    const a = approved();
    expect(() => planFundingTransition({ app: a, programId: 'bedrock-poc', to: 'submitted', actor: partner, reason: 'x', now })).toThrow(ConflictError);
    expect(() => planFundingTransition({ app: a, programId: 'bedrock-poc', to: 'created', actor: system, reason: 'x', now })).toThrow(ForbiddenError);
    const submitted = withFunding(a, { status: 'submitted' });
    expect(() => planFundingTransition({ app: submitted, programId: 'bedrock-poc', to: 'approved', actor: partner, reason: 'x', now })).toThrow(ForbiddenError);
  });

  it('created: the same id again is a replay; an edit made while sending is a 409', () => {
    const a = approved();
    const created = planFundingCreated({ app: a, programId: 'bedrock-poc', partnerId: 'p-northwind', benefitApplicationId: 'benappl-aaaaaaaaaaaaaa', catalog: 'Sandbox', sentRevision: 1, now });
    expect(created.kind).toBe('apply');
    const after = withFunding(a, { status: 'created', benefitApplicationId: 'benappl-aaaaaaaaaaaaaa' });
    expect(planFundingCreated({ app: after, programId: 'bedrock-poc', partnerId: 'p-northwind', benefitApplicationId: 'benappl-aaaaaaaaaaaaaa', catalog: 'Sandbox', sentRevision: 1, now }).kind).toBe('replay');
    expect(() => planFundingCreated({ app: withFunding(a, { revision: 2 }), programId: 'bedrock-poc', partnerId: 'p-northwind', benefitApplicationId: 'benappl-bbbbbbbbbbbbbb', catalog: 'Sandbox', sentRevision: 1, now })).toThrow(ConflictError);
  });

  it('a body the model refuses cannot be sent: 422 naming each field', () => {
    const a = withFunding(approved(), { problems: [{ field: 'Name', rule: 'must not be empty' }] });
    expect(() => checkFundingSubmit({ app: a, programId: 'bedrock-poc', partnerId: 'p-northwind' })).toThrow(UnprocessableError);
    expect(checkFundingSubmit({ app: withFunding(a, { status: 'in_review' }), programId: 'bedrock-poc', partnerId: 'p-northwind' }).kind).toBe('with-aws');
  });
});

describe('the partner\'s edits', () => {
  const edit = (a: Application, patch: Record<string, unknown>, ifMatch = fundingEtag(fundingOf(a))) =>
    planFundingEdit({ app: a, programId: 'bedrock-poc', partnerId: 'p-northwind', patch, ifMatch, now });

  it('a draft edit is re-checked against the model and gets a new ClientToken', () => {
    const plan = edit(approved(), { Name: '' });
    expect(plan.kind).toBe('apply');
    if (plan.kind !== 'apply') return;
    expect(plan.funding).toMatchObject({ revision: 2, problems: [{ field: 'Name', rule: 'must not be empty' }] });
    expect(plan.funding.body.ClientToken).toBe(benefitClientToken('app_f', 'bedrock-poc', 2));
  });

  it('refuses service-managed fields, a stale ETag, and under Action Required whatever UpdateBenefitApplication cannot change', () => {
    const a = approved();
    expect(() => edit(a, { Catalog: 'AWS' })).toThrow(ValidationError);
    expect(() => edit(a, { Description: 'new' }, '"f0-stale"')).toThrow(PreconditionFailedError);
    const asked = withFunding(a, { status: 'action_required', benefitApplicationId: 'benappl-aaaaaaaaaaaaaa' });
    expect(() => edit(asked, { BenefitIdentifier: 'ben-zzzzzzzzzzzzzz' })).toThrow(ValidationError);
    const fixed = edit(asked, { Description: 'with the success criteria' });
    expect(fixed.kind === 'apply' && fixed.funding.body.ClientToken).toBe(fundingOf(a).body.ClientToken);
    expect(() => edit(withFunding(a, { status: 'submitted' }), { Description: 'x' })).toThrow(ConflictError);
  });
});

describe('what Partner Central shows, applied', () => {
  const allocation = (over: Partial<AllocationView> = {}): AllocationView => ({
    id: 'benalloc-aaaaaaaaaaaaaa', status: 'ACTIVE', createdAt: '2026-11-28T00:00:00.000Z', startsAt: '2026-11-28T00:00:00.000Z', expiresAt: '2027-11-28T00:00:00.000Z',
    credit: { allocated: { Amount: '25000', CurrencyCode: 'USD' }, issued: { Amount: '25000', CurrencyCode: 'USD' }, codeExpiries: ['2027-11-28T00:00:00.000Z'] },
    ...over,
  });
  const submitted = () => withFunding(approved(), { status: 'submitted', benefitApplicationId: 'benappl-aaaaaaaaaaaaaa', sentRevision: 1 });

  it('Action Required is applied with its reason; the same status again is skipped', () => {
    const plan = planSyncedFunding({ app: submitted(), programId: 'bedrock-poc', observed: { status: 'ACTION_REQUIRED', statusReason: 'Attach the plan', revision: '4' }, now });
    expect(plan.kind).toBe('apply');
    if (plan.kind !== 'apply' || plan.command.kind !== 'apply') return;
    expect(plan.command.plan.transition).toMatchObject({ actor: { kind: 'system' }, funding: { from: 'submitted', to: 'action_required' } });
    const asked = withFunding(submitted(), { status: 'action_required' });
    expect(planSyncedFunding({ app: asked, programId: 'bedrock-poc', observed: { status: 'ACTION_REQUIRED' }, now })).toMatchObject({ kind: 'skip', why: 'already' });
    expect(planSyncedFunding({ app: asked, programId: 'bedrock-poc', observed: { status: 'PENDING_SUBMISSION' }, now })).toMatchObject({ kind: 'skip', why: 'no-status' });
  });

  it('an allocation records the credits applied on the approved record, in one transition', () => {
    const plan = planSyncedFunding({ app: withFunding(submitted(), { status: 'approved' }), programId: 'bedrock-poc', observed: { status: 'APPROVED' }, allocation: allocation(), now });
    if (plan.kind !== 'apply' || plan.command.kind !== 'apply') throw new Error('expected a change');
    const t = plan.command.plan.transition;
    expect(t).toMatchObject({ record: { from: 'approved', to: 'credits_applied' }, funding: { from: 'approved', to: 'allocated' } });
    const record = (plan.command.changes.briefs as NonNullable<Application['briefs']>)[0]!.record!;
    expect(record.credits).toEqual({ amountUsd: '25000.00', appliedOn: '2026-11-28', expiresOn: '2027-11-28' });
    expect(record.funding).toMatchObject({ status: 'allocated', allocation: { id: 'benalloc-aaaaaaaaaaaaaa', amountUsd: '25000.00' } });
  });

  it('credits the partner already recorded by hand are kept; an unusable allocation changes nothing; AWS never moves it backwards', () => {
    const byHand = withFunding(submitted(), { status: 'approved' }, { status: 'credits_applied', credits: { amountUsd: '9000.00', appliedOn: '2026-11-27', expiresOn: '2027-01-01' } });
    const plan = planSyncedFunding({ app: byHand, programId: 'bedrock-poc', observed: { status: 'APPROVED' }, allocation: allocation(), now });
    if (plan.kind !== 'apply' || plan.command.kind !== 'apply') throw new Error('expected a change');
    expect(plan.command.plan.transition.record).toBeUndefined();
    expect((plan.command.changes.briefs as NonNullable<Application['briefs']>)[0]!.record!.credits?.amountUsd).toBe('9000.00');

    const euros = allocation({ credit: { allocated: { Amount: '100', CurrencyCode: 'EUR' }, issued: undefined, codeExpiries: [] } });
    expect(planSyncedFunding({ app: submitted(), programId: 'bedrock-poc', observed: { status: 'APPROVED' }, allocation: euros, now })).toMatchObject({ kind: 'skip', why: 'unusable-allocation' });
    const done = withFunding(submitted(), { status: 'allocated' });
    expect(planSyncedFunding({ app: done, programId: 'bedrock-poc', observed: { status: 'REJECTED' }, now })).toMatchObject({ kind: 'skip', why: 'not-applicable' });
  });

  it('credits come from IssuedAmount when above zero, else AllocatedAmount; expiry from the codes when the allocation has none', () => {
    const noneIssued = allocation({ expiresAt: undefined, credit: { allocated: { Amount: '5000.5', CurrencyCode: 'USD' }, issued: { Amount: '0', CurrencyCode: 'USD' }, codeExpiries: ['2027-06-30T00:00:00.000Z', '2027-03-31T00:00:00.000Z'] } });
    expect(creditsFromAllocation(noneIssued)).toMatchObject({ amountUsd: '5000.50', expiresOn: '2027-03-31' });
    expect(creditsFromAllocation(allocation({ credit: undefined }))).toMatchObject({ unusable: expect.stringContaining('CreditDetails') });
  });
});

describe('who hears about a funding change', () => {
  const t = (to: FundingState['status'], actor: 'system' | 'partner', status: Application['status'] = 'approved') => ({
    at: NOW_ISO, actor: { kind: actor, id: 'x' }, from: status, to: status, reason: 'r', funding: { programId: 'bedrock-poc', from: 'submitted' as const, to }, version: 3,
  });
  it('a funding-only change is told by the funding status, never as the application moving to where it already is', () => {
    expect(noticesForTransition(t('in_review', 'system'), { firstRouting: false })).toEqual([]);
    expect(noticesForTransition(t('submitted', 'partner'), { firstRouting: false })).toEqual(['founder-status-update']);
    expect(noticesForTransition(t('rejected', 'system'), { firstRouting: false })).toEqual(['founder-status-update', 'partner-status-update']);
    // The application's own status 'rejected' would also mail operations; a funding rejection does not.
    expect(noticesForTransition(t('rejected', 'system', 'rejected'), { firstRouting: false })).not.toContain('ops-status-update');
    expect(describeTransition(t('action_required', 'system'))).toContain('The bedrock-poc funding request (Partner Central Benefits) moved from submitted to action required');
  });
});

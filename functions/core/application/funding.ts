/**
 * The funding request's states on a record (schemas/application.ts FundingState) and its recorded, conditional
 * transitions, like the record's own (records.ts): who may move it from where to where, the plans the partner
 * routes, the Benefits API steps and the reconciliation write through runCommand. Pure.
 *
 *   drafted ─partner (CreateBenefitApplication)─▶ created ─partner (associate + submit)─▶ submitted ─AWS─▶ in_review ⇄ action_required
 *   action_required ─partner (update + submit)─▶ submitted (resubmission)
 *   submitted | in_review | action_required ─AWS─▶ approved ─allocation─▶ allocated (record credits_applied)
 *   submitted | in_review | action_required ─AWS─▶ rejected
 */
import type { Actor, Application, FundingState, FundingStatus, RecordState } from '../../../schemas/application.ts';
import { ConflictError, NotFoundError, PreconditionFailedError, PreconditionRequiredError, UnprocessableError, ValidationError } from '../errors.ts';
import {
  benefitApplicationProblems, benefitClientToken, creditsFromAllocation, FUNDING_EDITABLE, fundingEtag, fundingStatusFrom, patchFunding,
  type AllocatedCredits, type AllocationView,
} from '../ace/funding-draft.ts';
import { isAssignedTo, notFound, TASK_TOKEN_KINDS, type Command, type Effects } from './commands.ts';
import type { TransitionPlan } from './lifecycle.ts';
import { checkMove, findBrief, planRecordMove, recordOf, refuseIfClosed, type MoveRule, type RecordTransitionPlan } from './record-state.ts';

const FUNDING_RULES: readonly MoveRule<FundingStatus>[] = [
  { from: ['drafted'], to: 'created', by: ['partner'] },
  { from: ['created', 'action_required'], to: 'submitted', by: ['partner'] },
  { from: ['submitted', 'action_required'], to: 'in_review', by: ['system'] },
  { from: ['submitted', 'in_review'], to: 'action_required', by: ['system'] },
  { from: ['submitted', 'in_review', 'action_required'], to: 'approved', by: ['system'] },
  { from: ['submitted', 'in_review', 'action_required'], to: 'rejected', by: ['system'] },
  { from: ['submitted', 'in_review', 'action_required', 'approved'], to: 'allocated', by: ['system'] },
];

/** Funding statuses in which AWS has the application (a submit-via-api answers with it as it is). */
export const FUNDING_WITH_AWS: readonly FundingStatus[] = ['submitted', 'in_review', 'approved', 'allocated', 'rejected'];

/** The callback every funding change makes (the workflow waits on the credits; an allocation brings them). */
function fundingEffects(programId: string): Effects {
  return { callback: { kinds: [TASK_TOKEN_KINDS.awsDecision, TASK_TOKEN_KINDS.credits], output: { event: 'record-changed', programId } } };
}

export function fundingOf(app: Application, programId: string): FundingState {
  const funding = recordOf(findBrief(app, programId)).funding;
  if (!funding) {
    throw new NotFoundError(`The ${programId} record has no funding request: its program is not funded through the Partner Central Benefits API (data/benefits.json), or AWS has not approved its opportunity yet`);
  }
  return funding;
}

/**
 * Plan a funding change (with its new details) as one recorded transition of the application. The application status
 * does not change (from = to) unless `record` also moves the record (an allocation: approved → credits_applied).
 */
export function planFundingTransition(args: {
  app: Application; programId: string; to: FundingStatus; actor: Actor; reason: string; now: Date;
  details?: Partial<Omit<FundingState, 'status'>>; record?: { to: RecordState['status']; details: Partial<Omit<RecordState, 'status' | 'funding'>> };
}): RecordTransitionPlan {
  const { app, programId, to, actor, reason, now } = args;
  refuseIfClosed(app);
  const record = recordOf(findBrief(app, programId));
  const current = fundingOf(app, programId);
  checkMove(FUNDING_RULES, `${programId} funding request`, current.status, to, actor);
  const funding: FundingState = { ...current, ...args.details, status: to };
  const marker = { programId, from: current.status, to };
  if (args.record && args.record.to !== record.status) {
    // The record move carries the funding state, so it never drafts one (./record-state.ts planRecordMove): the funding
    // routes do not carry the drafting code or data/benefits.json (issue 11 §1).
    const plan = planRecordMove({ app, programId, to: args.record.to, actor, reason, now, details: { ...args.record.details, funding } });
    return { ...plan, transition: { ...plan.transition, funding: marker } };
  }
  const briefs = (app.briefs ?? []).map((b) => (b.programId === programId ? { ...b, record: { ...record, funding } } : b));
  const plan: TransitionPlan = {
    expectedStatus: app.status, expectedVersion: app.version,
    transition: { at: now.toISOString(), actor, from: app.status, to: app.status, reason, funding: marker, version: app.version + 1 },
  };
  return { ...plan, briefs };
}

function apply(plan: RecordTransitionPlan, programId: string): Command {
  return { kind: 'apply', plan, changes: { briefs: plan.briefs }, effects: fundingEffects(programId) };
}

// ---------------------------------------------------------------------------------------------------------------
// The partner's edits (not a transition, like a brief's edit)

export type FundingEditPlan =
  | { readonly kind: 'apply'; readonly funding: FundingState; readonly briefs: NonNullable<Application['briefs']>; readonly expectedVersion: number }
  | { readonly kind: 'unchanged'; readonly funding: FundingState };

export function planFundingEdit(args: { app: Application; programId: string; partnerId: string; patch: Record<string, unknown>; ifMatch: string | undefined; now: Date }): FundingEditPlan {
  const { app, programId, partnerId, patch, ifMatch, now } = args;
  if (!isAssignedTo(app, partnerId)) throw notFound(app);
  refuseIfClosed(app);
  if (ifMatch === undefined || ifMatch.trim() === '' || ifMatch.trim() === '*') {
    throw new PreconditionRequiredError("Send If-Match with the funding request's ETag (from GET …/funding or the last PATCH)");
  }
  const funding = fundingOf(app, programId);
  if (!FUNDING_EDITABLE.includes(funding.status)) {
    throw new ConflictError(`The ${programId} funding request is '${funding.status}': it can be edited while drafted, or in Action Required`, funding.status);
  }
  const { body, editProblems, unchanged } = patchFunding(funding, patch);
  if (editProblems.length > 0) throw new ValidationError(editProblems, 'The patch changes fields that cannot be changed now');
  if (unchanged) return { kind: 'unchanged', funding };
  const current = fundingEtag(funding);
  if (!ifMatch.split(',').map((s) => s.trim().replace(/^W\//, '')).includes(current)) {
    throw new PreconditionFailedError('The funding request changed since you read it: GET …/funding again and re-apply your change', current);
  }
  const revision = funding.revision + 1;
  // Before creation, a new body gets a new ClientToken (one token, one body: a retry of the old one still answers it).
  if (funding.status === 'drafted') body.ClientToken = benefitClientToken(app.id, programId, revision);
  const edited: FundingState = { ...funding, body, problems: benefitApplicationProblems(body), revision, editedAt: now.toISOString(), editedBy: partnerId };
  const record = recordOf(findBrief(app, programId));
  const briefs = (app.briefs ?? []).map((b) => (b.programId === programId ? { ...b, record: { ...record, funding: edited } } : b));
  return { kind: 'apply', funding: edited, briefs, expectedVersion: app.version };
}

// ---------------------------------------------------------------------------------------------------------------
// Submitting through the Benefits API (functions/usecases/partner-central-funding.ts)

export type FundingSubmitCheck =
  | { readonly kind: 'with-aws'; readonly funding: FundingState }
  | { readonly kind: 'send'; readonly funding: FundingState; readonly opportunityId: string };

/** May the partner send this funding request now? Refuses a body the model refuses (422 naming each field). */
export function checkFundingSubmit(args: { app: Application; programId: string; partnerId: string }): FundingSubmitCheck {
  const { app, programId, partnerId } = args;
  if (!isAssignedTo(app, partnerId)) throw notFound(app);
  const record = recordOf(findBrief(app, programId));
  const funding = fundingOf(app, programId);
  if (FUNDING_WITH_AWS.includes(funding.status)) return { kind: 'with-aws', funding };
  refuseIfClosed(app);
  if (!record.opportunityId) throw new ConflictError(`The ${programId} record has no ACE opportunity to associate the benefit application with`, record.status);
  if (funding.problems.length > 0) {
    throw new UnprocessableError('The benefit application does not match the Partner Central Benefits model: fix it with PATCH …/funding first', funding.problems);
  }
  return { kind: 'send', funding, opportunityId: record.opportunityId };
}

const partner = (id: string): Actor => ({ kind: 'partner', id });

/**
 * drafted → created: the partner said "send it" and CreateBenefitApplication returned this id for the body of
 * `sentRevision`. An edit that landed while it was being created is a 409 (send again: the edited body has its own
 * ClientToken, so it creates its own application; the one created for the older body stays Pending Submission).
 */
export function planFundingCreated(args: { app: Application; programId: string; partnerId: string; benefitApplicationId: string; catalog: string; sentRevision: number; now: Date }): Command {
  const funding = fundingOf(args.app, args.programId);
  if (funding.benefitApplicationId === args.benefitApplicationId) return { kind: 'replay', effects: {} };
  if (funding.benefitApplicationId !== undefined) {
    throw new ConflictError(`The ${args.programId} funding request is already ${funding.benefitApplicationId}; Partner Central returned ${args.benefitApplicationId}`, funding.status);
  }
  if (funding.revision !== args.sentRevision) {
    throw new ConflictError(`The ${args.programId} funding request was edited while it was being sent (revision ${funding.revision}, sent ${args.sentRevision}): send it again`, funding.status);
  }
  return apply(planFundingTransition({
    app: args.app, programId: args.programId, to: 'created', actor: partner(args.partnerId), now: args.now,
    reason: `funding request approved by the partner and created through the Partner Central Benefits API as ${args.benefitApplicationId}`,
    details: { benefitApplicationId: args.benefitApplicationId, catalog: args.catalog },
  }), args.programId);
}

/** created / action_required → submitted (associated with the opportunity and submitted, or resubmitted, for AWS's review). */
export function planFundingSubmitted(args: { app: Application; programId: string; partnerId: string; resubmission: boolean; now: Date }): Command {
  const funding = fundingOf(args.app, args.programId);
  if (FUNDING_WITH_AWS.includes(funding.status)) return { kind: 'replay', effects: {} };
  return apply(planFundingTransition({
    app: args.app, programId: args.programId, to: 'submitted', actor: partner(args.partnerId), now: args.now,
    reason: `${args.resubmission ? 'Resubmitted' : 'Submitted'} funding request${funding.benefitApplicationId ? ` ${funding.benefitApplicationId}` : ''} for AWS review (Benefits API)`,
    details: { sentRevision: funding.revision },
  }), args.programId);
}

// ---------------------------------------------------------------------------------------------------------------
// What Partner Central shows, observed (reconciliation)

export const BENEFITS_ACTOR: Actor = { kind: 'system', id: 'partner-central-benefits' };

export interface ObservedBenefitApplication {
  readonly status?: string | undefined;
  readonly statusReason?: string | undefined;
  readonly codes?: readonly string[] | undefined;
  readonly stage?: string | undefined;
  readonly revision?: string | undefined;
}

export type FundingSyncPlan =
  | { readonly kind: 'skip'; readonly why: 'already' | 'not-applicable' | 'no-status' | 'unusable-allocation'; readonly detail: string }
  | { readonly kind: 'apply'; readonly command: Command; readonly to: FundingStatus };

/**
 * The change an observed benefit application (and its allocation, once approved) asks for. An allocation with credits
 * moves the funding request to `allocated` and, when the record is approved, the record to `credits_applied` with the
 * amount, start and expiry (which starts the expiry reminders); credits the partner already recorded by hand are kept.
 * A status the record already shows, or a move the rules refuse (AWS's view never moves it backwards), is skipped.
 */
export function planSyncedFunding(args: { app: Application; programId: string; observed: ObservedBenefitApplication; allocation?: AllocationView | undefined; now: Date }): FundingSyncPlan {
  const { app, programId, observed, allocation, now } = args;
  const funding = fundingOf(app, programId);
  const record = recordOf(findBrief(app, programId));
  const review = {
    at: now.toISOString(), status: observed.status ?? 'unknown',
    ...(observed.statusReason ? { reason: observed.statusReason } : {}),
    ...(observed.codes?.length ? { codes: [...observed.codes] } : {}),
    ...(observed.stage ? { stage: observed.stage } : {}),
  };
  const revision = observed.revision ? { awsRevision: observed.revision } : {};
  try {
    if (allocation && funding.status !== 'allocated') {
      const credits: AllocatedCredits | { unusable: string } = creditsFromAllocation(allocation);
      if ('unusable' in credits) return { kind: 'skip', why: 'unusable-allocation', detail: credits.unusable };
      const withCredits = record.status === 'approved';
      const plan = planFundingTransition({
        app, programId, to: 'allocated', actor: BENEFITS_ACTOR, now,
        reason: `Partner Central Benefits: allocation ${credits.allocationId}, credits applied: $${credits.amountUsd}, expiring ${credits.expiresOn}`,
        details: {
          review, ...revision,
          allocation: { id: credits.allocationId, amountUsd: credits.amountUsd, startsAt: credits.startsAt, expiresAt: credits.expiresAt, ...(credits.status ? { status: credits.status } : {}) },
        },
        ...(withCredits ? { record: { to: 'credits_applied' as const, details: { credits: { amountUsd: credits.amountUsd, appliedOn: credits.appliedOn, expiresOn: credits.expiresOn } } } } : {}),
      });
      return { kind: 'apply', command: apply(plan, programId), to: 'allocated' };
    }
    const to = fundingStatusFrom(observed.status);
    if (!to) return { kind: 'skip', why: 'no-status', detail: `status ${observed.status ?? '(none)'} asks for no change` };
    if (funding.status === to || (to === 'approved' && funding.status === 'allocated')) return { kind: 'skip', why: 'already', detail: `the funding request is already '${funding.status}'` };
    const words = observed.status === 'CANCELED' ? 'Canceled' : (observed.status ?? '').replaceAll('_', ' ').toLowerCase();
    const plan = planFundingTransition({
      app, programId, to, actor: BENEFITS_ACTOR, now,
      reason: `Partner Central Benefits: ${words}${observed.statusReason ? `: ${observed.statusReason}` : ''}`,
      details: { review, ...revision },
    });
    return { kind: 'apply', command: apply(plan, programId), to };
  } catch (error) {
    if (error instanceof ConflictError) return { kind: 'skip', why: 'not-applicable', detail: error.message };
    throw error;
  }
}

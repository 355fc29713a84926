/**
 * The partner's steps after routing, as plans (commands.ts): the review decision (approve, request changes,
 * decline), edits of a brief (JSON Merge Patch + If-Match), and the records' filing, AWS outcome and credits.
 */
import type { Actor, Application, ApplicationStatus, RecordState, RecordStatus, StoredBrief, Transition } from '../../../schemas/application.ts';
import type { FieldProblem } from '../../../schemas/issues.ts';
import { applyMergePatch, editProblems, type EditMode } from '../ace/edit.ts';
import { clientToken } from '../ace/draft.ts';
import { validateCreateOpportunity } from '../ace/validate.ts';
import { ConflictError, PreconditionFailedError, PreconditionRequiredError, UnprocessableError, ValidationError } from '../errors.ts';
import { isAssignedTo, notFound, sameActor, TASK_TOKEN_KINDS, type Command, type Effects } from './commands.ts';
import { etagOf, stableJson } from './etag.ts';
import { planTransition } from './lifecycle.ts';
import { findBrief, planRecordTransition, recordMoveAllowed, recordOf } from './records.ts';

// ---------------------------------------------------------------------------------------------------------------
// The partner's decision

export const PARTNER_DECISIONS = ['approved', 'changes_requested', 'declined'] as const;
export type PartnerDecision = (typeof PARTNER_DECISIONS)[number];

const DECISION_OUTCOME: Record<PartnerDecision, ApplicationStatus> = {
  approved: 'approved_for_filing',
  changes_requested: 'changes_requested',
  declined: 'drafted',
};

/** Where each decision can be taken (as lifecycle.ts allows): in review; a decline also while the review is starting. */
const DECISION_OPEN_IN: Record<PartnerDecision, readonly ApplicationStatus[]> = {
  approved: ['in_partner_review'],
  changes_requested: ['in_partner_review'],
  declined: ['routed', 'in_partner_review'],
};

const DECISION_VERB: Record<PartnerDecision, string> = { approved: 'approve', changes_requested: 'request changes on', declined: 'decline' };

/** Why a review decision is not possible in this status, said as the partner sees it (no internal target states). */
function whyNoDecision(status: ApplicationStatus): string {
  switch (status) {
    case 'changes_requested':
      return "you asked for changes and it is waiting on the founder's revised worksheet; decide once the revision is back in your queue";
    case 'submitted':
    case 'sized':
    case 'drafted':
      return 'it is being re-sized and re-drafted; it returns to your review queue when ready';
    case 'routed':
      return 'it was just assigned to you and its review is being opened; try again in a few seconds';
    case 'withdrawn':
      return 'the founder withdrew it';
    case 'failed':
      return 'its workflow failed and operations are looking at it';
    default:
      return `it was already approved for filing (its records are now '${status.replaceAll('_', ' ')}')`;
  }
}

/**
 * The transition that closed the current review round (any move out of `in_partner_review`), unless a new round has
 * started since (a later move to `routed` or `in_partner_review`, which also stores a new partner-review token).
 */
export function closingReviewDecision(app: Application): Transition | undefined {
  for (let i = app.transitions.length - 1; i >= 0; i -= 1) {
    const t = app.transitions[i];
    if (!t) continue;
    if (t.to === 'routed' || t.to === 'in_partner_review') return undefined;
    if (t.from === 'in_partner_review') return t;
  }
  return undefined;
}

/** Every problem the validator finds in the briefs now (dates move on: re-checked at approval time). */
export function briefProblems(app: Application, now: Date): FieldProblem[] {
  return (app.briefs ?? []).flatMap((b) =>
    validateCreateOpportunity(b.body, { now }).map((p) => ({ field: `briefs.${b.programId}.${p.field}`, rule: p.rule })));
}

export interface PartnerDecisionArgs {
  readonly app: Application;
  readonly partnerId: string;
  readonly decision: PartnerDecision;
  /** The message to the founder (changes requested) or the reason (declined). */
  readonly text?: string;
  readonly now: Date;
}

/** The review decision; an approval first validates every brief against ACE's rules (briefProblems). */
export function planPartnerDecision(args: PartnerDecisionArgs): Command {
  return args.decision === 'approved' ? planApproval(args) : planPartnerReply({ ...args, decision: args.decision });
}

/**
 * The approval alone: every brief validated against ACE's rules first (briefProblems). Apart from the other two
 * decisions so that the function that approves (functions/http/partner-approve.ts) carries only this one (issue 11 §1).
 */
export function planApproval(args: PartnerDecisionArgs): Command {
  return planDecision({ ...args, decision: 'approved' }, (app, partnerId, now) => {
    const plan = planTransition({
      current: app.status, version: app.version, to: DECISION_OUTCOME.approved, actor: { kind: 'partner', id: partnerId }, now,
      reason: `approved for filing by the partner${app.briefs?.length ? `: ${app.briefs.map((b) => b.programId).join(', ')}` : ''}`,
    });
    const problems = briefProblems(app, now);
    if (problems.length > 0) {
      throw new UnprocessableError('Every brief must pass validation before approval; fix these fields first (PATCH the brief)', problems);
    }
    const briefs = (app.briefs ?? []).map((b) => {
      const record = recordOf(b);
      return record.status === 'draft' ? { ...b, record: { ...record, status: 'approved_for_filing' as const } } : b;
    });
    return { plan, changes: { briefs } };
  });
}

/**
 * Request changes or decline: the decisions that validate no brief, so a function taking only these does not load
 * ACE's model and rules (issue 11; the approval is planApproval).
 */
export function planPartnerReply(args: PartnerDecisionArgs & { readonly decision: Exclude<PartnerDecision, 'approved'> }): Command {
  if ((args.decision as PartnerDecision) === 'approved') throw new Error('An approval validates the briefs: plan it with planPartnerDecision');
  return planDecision(args, (app, partnerId, now) => {
    const actor: Actor = { kind: 'partner', id: partnerId };
    const to = DECISION_OUTCOME[args.decision];
    if (args.decision === 'changes_requested') {
      return { plan: planTransition({ current: app.status, version: app.version, to, actor, now, reason: args.text ?? 'changes requested' }), changes: {} };
    }
    const plan = planTransition({
      current: app.status, version: app.version, to, actor, now, reason: `declined by the partner: ${args.text ?? ''}`.trim(),
    });
    const passedOverBy = [...new Set([...(app.passedOverBy ?? []), partnerId])];
    // The partner is no longer assigned: the application leaves their queue and routing skips them.
    return { plan, changes: { passedOverBy, partner: undefined } };
  });
}

type DecisionApply = Extract<Command, { kind: 'apply' }>;

/** What every decision shares: replay of the decision that closed the round, assignment, and where it is open. */
function planDecision(args: PartnerDecisionArgs, decide: (app: Application, partnerId: string, now: Date) => Pick<DecisionApply, 'plan' | 'changes'>): Command {
  const { app, partnerId, decision, now } = args;
  const actor: Actor = { kind: 'partner', id: partnerId };
  const to = DECISION_OUTCOME[decision];
  const effects: Effects = {
    ...(decision === 'changes_requested' ? {} : { releaseSlotOf: partnerId }),
    callback: { kinds: [TASK_TOKEN_KINDS.partnerReview], output: { decision } },
  };
  const closing = closingReviewDecision(app);
  if (closing && sameActor(closing.actor, actor) && closing.to === to) return { kind: 'replay', transition: closing, effects };
  if (!isAssignedTo(app, partnerId)) throw notFound(app);
  if (!DECISION_OPEN_IN[decision].includes(app.status)) {
    throw new ConflictError(`You cannot ${DECISION_VERB[decision]} application ${app.id} now: ${whyNoDecision(app.status)}`, app.status);
  }
  return { kind: 'apply', ...decide(app, partnerId, now), effects };
}

// ---------------------------------------------------------------------------------------------------------------
// Briefs: ETag and edits

export type EditPlan =
  | { readonly kind: 'apply'; readonly briefs: StoredBrief[]; readonly brief: StoredBrief; readonly expectedVersion: number }
  | { readonly kind: 'unchanged'; readonly brief: StoredBrief };

/**
 * A JSON Merge Patch on a brief's CreateOpportunity body: allowed while the record is a draft in partner review, or in
 * Action Required (then only the fields ACE lets a partner change). `If-Match` must carry the brief's current ETag;
 * a patch that changes nothing (e.g. a repeated request whose change is already in place) answers with the brief as it is.
 */
export function planBriefEdit(args: {
  app: Application;
  programId: string;
  partnerId: string;
  patch: Record<string, unknown>;
  ifMatch: string | undefined;
  now: Date;
}): EditPlan {
  const { app, programId, partnerId, patch, ifMatch, now } = args;
  if (!isAssignedTo(app, partnerId)) throw notFound(app);
  if (ifMatch === undefined || ifMatch.trim() === '' || ifMatch.trim() === '*') {
    throw new PreconditionRequiredError("Send If-Match with the brief's ETag (from GET /partner/applications/{id} or the last PATCH)");
  }
  const brief = findBrief(app, programId);
  const record = recordOf(brief);
  let mode: EditMode;
  if (record.status === 'draft' && app.status === 'in_partner_review') mode = 'draft';
  else if (record.status === 'action_required') mode = 'action_required';
  else {
    throw new ConflictError(
      `The ${programId} record is '${record.status}' (application '${app.status}'): a brief can be edited while it is a draft in partner review, or in Action Required`,
      record.status === 'draft' ? app.status : record.status,
    );
  }
  const body = applyMergePatch(brief.body, patch) as Record<string, unknown>;
  const problems = editProblems(brief.body, body, mode);
  if (problems.length > 0) throw new ValidationError(problems, 'The patch changes fields that cannot be changed now');

  const current = etagOf(brief);
  const matches = ifMatch.split(',').map((s) => s.trim().replace(/^W\//, '')).includes(current);
  const unchanged = stableJson(body) === stableJson(brief.body);
  if (unchanged) return { kind: 'unchanged', brief };
  if (!matches) throw new PreconditionFailedError("The brief changed since you read it: GET /partner/applications/{id} again (each brief's ETag is there) and re-apply your change", current);

  const revision = (brief.revision ?? 1) + 1;
  if (mode === 'draft') {
    // A new body needs a new ClientToken (ACE refuses a used token with a different body). Offset by 1000 per drafting
    // round so these never collide with the drafter's tokens (revision = drafting round).
    const round = app.transitions.filter((t) => t.to === 'submitted').length;
    body.ClientToken = clientToken(app.id, programId, 1000 * round + revision);
  }
  const edited: StoredBrief = {
    ...brief, body, problems: validateCreateOpportunity(body, { now }), revision, editedAt: now.toISOString(), editedBy: partnerId,
  };
  const briefs = (app.briefs ?? []).map((b) => (b.programId === programId ? edited : b));
  return { kind: 'apply', briefs, brief: edited, expectedVersion: app.version };
}

// ---------------------------------------------------------------------------------------------------------------
// Records after approval: filing, AWS's review, credits

export const AWS_OUTCOMES = ['in-review', 'action-required', 'approved', 'rejected'] as const;
export type AwsOutcome = (typeof AWS_OUTCOMES)[number];

const OUTCOME_STATUS: Record<AwsOutcome, RecordStatus> = {
  'in-review': 'in_aws_review',
  'action-required': 'action_required',
  approved: 'approved',
  rejected: 'rejected',
};

export type RecordChange =
  | { readonly kind: 'filed'; readonly opportunityId: string; readonly filedAt: string; readonly via?: 'api' | 'manual' }
  | { readonly kind: 'aws-review'; readonly outcome: AwsOutcome; readonly comments?: string; readonly amountUsd?: string; readonly expiresOn?: string; readonly reason?: string }
  | { readonly kind: 'credits'; readonly amountUsd: string; readonly appliedOn: string; readonly expiresOn: string };

function recordDetails(change: RecordChange, now: Date): { to: RecordStatus; details: Partial<Omit<RecordState, 'status'>>; reason: string } {
  switch (change.kind) {
    case 'filed':
      return {
        to: 'filed',
        details: { opportunityId: change.opportunityId, filedAt: change.filedAt, filedVia: change.via ?? 'manual' },
        reason: change.via === 'api' ? `filed through the Partner Central API as ${change.opportunityId}` : `filed by hand in ACE as ${change.opportunityId}`,
      };
    case 'credits':
      return {
        to: 'credits_applied',
        details: { credits: { amountUsd: change.amountUsd, appliedOn: change.appliedOn, expiresOn: change.expiresOn } },
        reason: `credits applied: $${change.amountUsd}, expiring ${change.expiresOn}`,
      };
    case 'aws-review': {
      const at = now.toISOString();
      const comments = change.comments !== undefined ? { comments: change.comments } : {};
      switch (change.outcome) {
        case 'in-review':
          return { to: 'in_aws_review', details: {}, reason: 'AWS review: In review' };
        case 'action-required':
          return { to: 'action_required', details: { awsReview: { at, ...comments } }, reason: `AWS review: Action Required${change.comments ? `: ${change.comments}` : ''}` };
        case 'approved':
          return {
            to: 'approved',
            details: { awsReview: { at, ...comments }, award: { amountUsd: change.amountUsd ?? '0.00', expiresOn: change.expiresOn ?? '' } },
            reason: `AWS review: Approved, $${change.amountUsd ?? '?'} expiring ${change.expiresOn ?? '?'}`,
          };
        case 'rejected':
          return { to: 'rejected', details: { awsReview: { at, reason: change.reason ?? 'Other', ...comments } }, reason: `AWS review: Rejected (${change.reason ?? 'Other'})` };
      }
    }
  }
}

/** Whether the record already shows this change (then a repeated request only repeats the callback). */
function alreadyShows(record: RecordState, change: RecordChange): boolean {
  switch (change.kind) {
    case 'filed':
      return record.opportunityId === change.opportunityId;
    case 'credits':
      return record.status === 'credits_applied' && record.credits?.amountUsd === change.amountUsd
        && record.credits.appliedOn === change.appliedOn && record.credits.expiresOn === change.expiresOn;
    case 'aws-review': {
      if (record.status !== OUTCOME_STATUS[change.outcome]) return false;
      if (change.outcome === 'approved') return record.award?.amountUsd === change.amountUsd && record.award?.expiresOn === change.expiresOn;
      if (change.outcome === 'rejected') return record.awsReview?.reason === change.reason;
      if (change.outcome === 'action-required') return record.awsReview?.comments === change.comments;
      return true;
    }
  }
}

/** What the partner tried, and when it is possible (the record states of records.ts, in the partner's words). */
const RECORD_CHANGE_VERB: Record<RecordChange['kind'], string> = { filed: 'record a filing', 'aws-review': "record AWS's review outcome", credits: 'record credits' };
const RECORD_CHANGE_WHEN: Partial<Record<RecordStatus, string>> = {
  filed: 'a record is filed once you approved the application and before it is filed',
  in_aws_review: 'AWS reviews a record after it was filed (or refiled after Action Required)',
  action_required: 'AWS asks for changes while it reviews a filed record',
  approved: 'AWS decides on a filed record that it has not decided on yet',
  rejected: 'AWS decides on a filed record that it has not decided on yet',
  credits_applied: 'credits are recorded once AWS approved the record, and once',
};

type CreditsChange = Extract<RecordChange, { kind: 'credits' }>;

/** Credits that would expire at once, or were applied in the future, are refused (dates are UTC calendar days). */
export function creditsProblems(change: Pick<CreditsChange, 'appliedOn' | 'expiresOn'>, now: Date): FieldProblem[] {
  const today = now.toISOString().slice(0, 10);
  const problems: FieldProblem[] = [];
  if (change.appliedOn > today) problems.push({ field: 'appliedOn', rule: `must not be in the future (today is ${today})` });
  if (change.expiresOn <= change.appliedOn) problems.push({ field: 'expiresOn', rule: `must be after appliedOn (${change.appliedOn})` });
  else if (change.expiresOn < today) problems.push({ field: 'expiresOn', rule: `must not be in the past (today is ${today})` });
  return problems;
}

/** Where recorded credits differ from what AWS approved: worth a second look, not a refusal (AWS may adjust). */
export function creditsWarnings(record: RecordState, change: Pick<CreditsChange, 'amountUsd' | 'expiresOn'>): FieldProblem[] {
  const award = record.award;
  if (!award) return [];
  const warnings: FieldProblem[] = [];
  if (Number(award.amountUsd) !== Number(change.amountUsd)) warnings.push({ field: 'amountUsd', rule: `differs from the $${award.amountUsd} AWS approved` });
  if (award.expiresOn && award.expiresOn !== change.expiresOn) warnings.push({ field: 'expiresOn', rule: `differs from the expiry AWS approved (${award.expiresOn})` });
  return warnings;
}

export function planRecordChange(args: { app: Application; programId: string; partnerId: string; change: RecordChange; now: Date }): Command {
  const { app, programId, partnerId, change, now } = args;
  if (!isAssignedTo(app, partnerId)) throw notFound(app);
  const record = recordOf(findBrief(app, programId));
  const effects: Effects = {
    callback: { kinds: [TASK_TOKEN_KINDS.awsDecision, TASK_TOKEN_KINDS.credits], output: { event: 'record-changed', programId } },
  };
  if (alreadyShows(record, change)) return { kind: 'replay', effects };
  if (change.kind === 'credits') {
    const problems = creditsProblems(change, now);
    if (problems.length > 0) throw new ValidationError(problems);
  }
  if (change.kind === 'filed' && record.opportunityId !== undefined) {
    throw new ConflictError(`The ${programId} record is already filed as ${record.opportunityId}; it cannot be filed again as ${change.opportunityId}`, record.status);
  }
  const { to, details, reason } = recordDetails(change, now);
  if (!recordMoveAllowed(record.status, to)) {
    throw new ConflictError(`You cannot ${RECORD_CHANGE_VERB[change.kind]} for the ${programId} record now: it is '${record.status.replaceAll('_', ' ')}', and ${RECORD_CHANGE_WHEN[to] ?? 'this change does not apply to it'}`, record.status);
  }
  const plan = planRecordTransition({ app, programId, to, actor: { kind: 'partner', id: partnerId }, reason, now, details });
  return { kind: 'apply', plan, changes: { briefs: plan.briefs }, effects };
}


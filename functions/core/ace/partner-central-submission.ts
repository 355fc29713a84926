/**
 * Submitting a filed opportunity for AWS review through the Selling API, and fixing Action Required, as pure rules:
 *  - which record may be submitted (filed through the API; `filed`, or `action_required` for a resubmission) and which
 *    is already submitted (a repeated request changes nothing);
 *  - the solution to associate: the one the partner names, else the profile's, else the partner's only Active one;
 *  - InvolvementType and Visibility, chosen deliberately and said in words the partner and founder read;
 *  - the `in_aws_review` plan (a conditional, recorded transition like every other);
 *  - an update under Action Required: only with the LastModifiedDate the partner read (a console edit since then is
 *    reported, never overwritten), and only members a partner may change.
 * No AWS imports, no clock: `now` is a parameter.
 */
import type { Application, StoredBrief, Transition } from '../../../schemas/application.ts';
import { ConflictError, UnprocessableError } from '../errors.ts';
import { isAssignedTo, notFound, type Command } from '../application/commands.ts';
import { findBrief, planRecordMove, recordOf } from '../application/record-state.ts';
import { recordChangedEffects } from './partner-central-rules.ts';
import { canonicalJson } from '../intake-hashes.ts';

export type InvolvementType = 'Co-Sell' | 'For Visibility Only';
export type Visibility = 'Full' | 'Limited';

/** Why each choice, in plain words (shown to the partner in the answer and to the founder in the timeline). */
export const INVOLVEMENT_EXPLAINED: Record<InvolvementType, string> = {
  'Co-Sell': 'Co-Sell: the partner asks AWS to work the opportunity with it; credit funding is decided with an AWS account team engaged, so this is the default',
  'For Visibility Only': 'For Visibility Only: AWS is told about the opportunity but not asked to help; choose it only when no AWS engagement or funding is wanted',
};
export const VISIBILITY_EXPLAINED: Record<Visibility, string> = {
  Full: 'Visibility Full: AWS sees the customer and project details its reviewers need to approve funding, so this is the default',
  Limited: 'Visibility Limited: AWS sees the opportunity without the customer details; the review may come back as Action Required asking for them',
};

export interface SubmissionChoice {
  readonly involvementType: InvolvementType;
  readonly visibility: Visibility;
  readonly explained: string;
}

export function submissionChoice(requested: { involvementType?: InvolvementType | undefined; visibility?: Visibility | undefined }): SubmissionChoice {
  const involvementType = requested.involvementType ?? 'Co-Sell';
  // SubmitOpportunity takes Visibility with either involvement type (the model's default is Full): sent explicitly,
  // so what was chosen is what the timeline says.
  const visibility = requested.visibility ?? 'Full';
  return { involvementType, visibility, explained: `${INVOLVEMENT_EXPLAINED[involvementType]}. ${VISIBILITY_EXPLAINED[visibility]}.` };
}

export type ApiSubmissionCheck =
  | { readonly kind: 'submit'; readonly opportunityId: string; readonly resubmission: boolean }
  | { readonly kind: 'already-submitted'; readonly opportunityId: string };

/** May this partner submit this record for AWS review through the API now? */
export function checkApiSubmission(args: { app: Application; programId: string; partnerId: string }): ApiSubmissionCheck {
  const { app, programId, partnerId } = args;
  if (!isAssignedTo(app, partnerId)) throw notFound(app);
  const record = recordOf(findBrief(app, programId));
  if (record.opportunityId === undefined || record.filedVia !== 'api') {
    throw new ConflictError(`The ${programId} record was not filed through the API (POST …/file-via-api first); a record filed by hand is submitted in the Partner Central console`, record.status);
  }
  if (record.status === 'filed') return { kind: 'submit', opportunityId: record.opportunityId, resubmission: false };
  if (record.status === 'action_required') return { kind: 'submit', opportunityId: record.opportunityId, resubmission: true };
  if (record.status === 'in_aws_review' || record.status === 'approved' || record.status === 'credits_applied') {
    return { kind: 'already-submitted', opportunityId: record.opportunityId };
  }
  throw new ConflictError(`The ${programId} record is '${record.status}'; only a filed record, or one in Action Required, can be submitted`, record.status);
}

/** Partner Central's review status says the opportunity is already with AWS (a repeat, or submitted in the console). */
export function alreadyWithAws(reviewStatus: string | undefined): boolean {
  return reviewStatus === 'Submitted' || reviewStatus === 'In review' || reviewStatus === 'Approved' || reviewStatus === 'Rejected';
}

/** The solution to associate: the one asked for, else the profile's, else the only Active one (else ask). */
export function chooseSolution(args: { requested?: string | undefined; profile?: string | undefined; active: readonly { id: string; name: string }[] }): string {
  const { requested, profile, active } = args;
  for (const [id, from] of [[requested, 'solutionId'], [profile, 'partner.filing.solutionId']] as const) {
    if (id === undefined) continue;
    if (!active.some((s) => s.id === id)) {
      throw new UnprocessableError(`Solution ${id} is not one of your Active Partner Central solutions`, [{ field: from, rule: `must be one of your Active solutions: ${active.map((s) => `${s.id} (${s.name})`).join(', ') || 'none'}` }]);
    }
    return id;
  }
  if (active.length === 1) return (active[0] as { id: string }).id;
  throw new UnprocessableError(active.length === 0 ? 'You have no Active solution in Partner Central to associate' : 'Choose the solution to associate with this opportunity', [
    { field: 'solutionId', rule: active.length === 0 ? 'requires an Active solution in Partner Central' : `is required: one of ${active.map((s) => `${s.id} (${s.name})`).join(', ')}` },
  ]);
}

/** The record goes to AWS's review: filed/action_required → in_aws_review, by the partner, with the choice said. */
export function planApiSubmission(args: { app: Application; programId: string; partnerId: string; opportunityId: string; solutionId: string; choice: SubmissionChoice; resubmission: boolean; now: Date }): Command {
  const { app, programId, partnerId, opportunityId, solutionId, choice, resubmission, now } = args;
  if (!isAssignedTo(app, partnerId)) throw notFound(app);
  const record = recordOf(findBrief(app, programId));
  const effects = recordChangedEffects(programId);
  // Already moved on (this request repeated, or AWS's status arrived first through an event): nothing to record.
  if (record.status !== 'filed' && record.status !== 'action_required') return { kind: 'replay', effects };
  // A move to `in_aws_review` never drafts a funding request (only an approval does): no drafting code here.
  const plan = planRecordMove({
    app, programId, to: 'in_aws_review', actor: { kind: 'partner', id: partnerId }, now,
    reason: `${resubmission ? 'Resubmitted' : 'Submitted'} ${opportunityId} for AWS review through the Partner Central API with solution ${solutionId}. ${choice.explained}`,
  });
  return { kind: 'apply', plan, changes: { briefs: plan.briefs }, effects };
}

/** The UpdateOpportunity members a partner may change (AWS's review fields and identifiers are not among them). */
export const UPDATABLE_MEMBERS = ['PrimaryNeedsFromAws', 'NationalSecurity', 'PartnerOpportunityIdentifier', 'Customer', 'Project', 'OpportunityType', 'Marketing', 'SoftwareRevenue', 'LifeCycle'] as const;

/**
 * The UpdateOpportunity members to send: UpdateOpportunity takes the whole opportunity (AWS's API reference: a member
 * left out is set to null), so every updatable member Partner Central answered is sent again, the changed ones replaced.
 */
export function updatePayload(current: Record<string, unknown>, changes: Record<string, unknown>): Record<string, unknown> {
  const kept = UPDATABLE_MEMBERS.filter((m) => current[m] !== undefined).map((m) => [m, current[m]] as const);
  return { ...Object.fromEntries(kept), ...changes };
}

/**
 * An update under Action Required: the record must be in action_required, and the partner's `basedOn` (the
 * LastModifiedDate it read) must still be Partner Central's: otherwise someone changed the opportunity since (in the
 * console) and the update is refused with what changed, never applied over it.
 */
export function checkApiUpdate(args: { app: Application; programId: string; partnerId: string; basedOn: string; current: { lastModifiedDate?: string | undefined } }): string {
  const { app, programId, partnerId, basedOn, current } = args;
  if (!isAssignedTo(app, partnerId)) throw notFound(app);
  const record = recordOf(findBrief(app, programId));
  if (record.status !== 'action_required' || record.opportunityId === undefined || record.filedVia !== 'api') {
    throw new ConflictError(`The ${programId} record is '${record.status}'; an update through the API is for a record filed through it and in Action Required`, record.status);
  }
  if (current.lastModifiedDate === undefined || Date.parse(current.lastModifiedDate) !== Date.parse(basedOn)) {
    throw new ConflictError(`The opportunity ${record.opportunityId} changed in Partner Central at ${current.lastModifiedDate ?? '(unknown)'} after the version you read (${basedOn}); read it again (GET …/opportunity) and reapply your change`, record.status);
  }
  return record.opportunityId;
}

/**
 * Whether every member of `changes` is already in `target` (objects compared member by member, so fields Partner
 * Central or the brief carry beyond the change do not matter; arrays and values compared whole, as canonical JSON:
 * the SDK answers members in the model's order, a partner may send them in any). A member Partner Central lacks holds
 * no change, not even a null.
 */
export function containsChanges(target: unknown, changes: unknown): boolean {
  if (changes === null || typeof changes !== 'object' || Array.isArray(changes)) return target !== undefined && canonicalJson(target) === canonicalJson(changes);
  if (target === null || typeof target !== 'object' || Array.isArray(target)) return false;
  const into = target as Record<string, unknown>;
  return Object.entries(changes as Record<string, unknown>).every(([key, value]) => containsChanges(into[key], value));
}

export type ApiUpdatePlan =
  | { readonly kind: 'record'; readonly note: Transition; readonly briefs: StoredBrief[] }
  | { readonly kind: 'replay' };

/**
 * The update, once Partner Central has it, recorded in our timeline and copied back into the brief, so the brief
 * stays what ACE holds: the changed members replace the brief's (UpdateOpportunity replaces each member it is sent),
 * the brief's revision goes up (its ETag changes), and a transition that keeps the application's and the record's
 * status tells the founder in plain words what was fixed. A brief that already holds the change is a replay.
 */
export function planApiUpdate(args: {
  app: Application; programId: string; partnerId: string; opportunityId: string; changes: Record<string, unknown>; lastModifiedDate?: string | undefined; now: Date;
}): ApiUpdatePlan {
  const { app, programId, partnerId, opportunityId, changes, now } = args;
  if (!isAssignedTo(app, partnerId)) throw notFound(app);
  const brief = findBrief(app, programId);
  if (containsChanges(brief.body, changes)) return { kind: 'replay' };
  const record = recordOf(brief);
  if (record.status !== 'action_required') {
    throw new ConflictError(`The ${programId} record is '${record.status}'; an update through the API is recorded only while AWS's Action Required is open`, record.status);
  }
  const members = Object.keys(changes).sort();
  const at = now.toISOString();
  const briefs = (app.briefs ?? []).map((b) => (b.programId === programId
    ? { ...b, body: { ...b.body, ...changes }, revision: (b.revision ?? 1) + 1, editedAt: at, editedBy: partnerId }
    : b));
  const note: Transition = {
    at, actor: { kind: 'partner', id: partnerId }, from: app.status, to: app.status, version: app.version + 1,
    record: { programId, from: record.status, to: record.status },
    reason: `Updated ${opportunityId} in Partner Central to answer AWS's Action Required (changed: ${members.join(', ')})`
      + `${args.lastModifiedDate ? `; Partner Central saved it at ${args.lastModifiedDate}` : ''}. It goes back to AWS when resubmitted.`,
  };
  return { kind: 'record', note, briefs };
}

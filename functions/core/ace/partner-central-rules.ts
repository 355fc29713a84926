/**
 * Filing through the Partner Central Selling API and following AWS's review from it, as pure rules:
 *  - which record may be filed through the API, the CreateOpportunity input (the stored body, Catalog forced to the
 *    partner's catalog, ClientToken kept so a retry never creates a second opportunity), and the `filed` plan;
 *  - the write gate: at most one Partner Central write per second per partner AWS account (the adapter keeps a
 *    "next write allowed at" item with a conditional write; this decides what a refused caller does);
 *  - the ONE mapping from an opportunity's `LifeCycle` (GetOpportunity, ListOpportunities summaries) to a record
 *    status and its details, shared by the EventBridge handler and the reconciliation;
 *  - Partner Central validation errors as field problems; the reconciliation watermark.
 * No AWS imports, no clock: `now` is a parameter.
 */
import type { Actor, Application, RecordState, RecordStatus, Transition } from '../../../schemas/application.ts';
import type { FieldProblem } from '../../../schemas/issues.ts';
import { ConflictError, TooManyRequestsError, UnprocessableError } from '../errors.ts';
import { isAssignedTo, notFound, TASK_TOKEN_KINDS, type Command, type Effects } from '../application/commands.ts';
import { planRecordTransition } from '../application/records.ts';
import { findBrief, planRecordMove, recordOf, refuseIfClosed } from '../application/record-state.ts';

export type AceCatalog = 'AWS' | 'Sandbox';

/** The actor of every transition the sync makes (the audit trail says where the decision came from). */
export const PARTNER_CENTRAL_ACTOR: Actor = { kind: 'system', id: 'partner-central' };

/** The callback every record change makes: the same one the partner API makes (functions/core/application/review.ts). */
export function recordChangedEffects(programId: string): Effects {
  return { callback: { kinds: [TASK_TOKEN_KINDS.awsDecision, TASK_TOKEN_KINDS.credits], output: { event: 'record-changed', programId } } };
}

// ---------------------------------------------------------------------------------------------------------------
// Filing through the API

export type ApiFilingCheck =
  | { readonly kind: 'file'; readonly body: Record<string, unknown>; readonly clientToken: string }
  | { readonly kind: 'already-filed'; readonly opportunityId: string };

/**
 * May this partner file this record through the API now? Only a record approved for filing, of an application assigned
 * to the partner. A record this service already filed through the API answers `already-filed` (a repeated request).
 */
export function checkApiFiling(args: { app: Application; programId: string; partnerId: string }): ApiFilingCheck {
  const { app, programId, partnerId } = args;
  if (!isAssignedTo(app, partnerId)) throw notFound(app);
  const brief = findBrief(app, programId);
  const record = recordOf(brief);
  if (record.opportunityId !== undefined && record.filedVia === 'api') return { kind: 'already-filed', opportunityId: record.opportunityId };
  // Never file at AWS for an application the founder withdrew (or whose workflow failed).
  refuseIfClosed(app);
  if (record.status !== 'approved_for_filing') {
    throw new ConflictError(`The ${programId} record is '${record.status}'; only a record approved for filing can be filed through the API`, record.status);
  }
  const clientToken = brief.body.ClientToken;
  if (typeof clientToken !== 'string' || clientToken === '') {
    throw new UnprocessableError('The stored CreateOpportunity body has no ClientToken', [{ field: 'ClientToken', rule: 'is required' }]);
  }
  return { kind: 'file', body: brief.body, clientToken };
}

/** The CreateOpportunity input: the stored body as it is, Catalog forced to the partner's catalog. */
export function createOpportunityInput(body: Record<string, unknown>, catalog: AceCatalog): Record<string, unknown> {
  return { ...body, Catalog: catalog };
}

/** Record the opportunity Partner Central created: approved_for_filing → filed, via 'api', by the partner who asked. */
export function planApiFiling(args: {
  app: Application; programId: string; partnerId: string; opportunityId: string; filedAt: string; now: Date;
}): Command {
  const { app, programId, partnerId, opportunityId, filedAt, now } = args;
  if (!isAssignedTo(app, partnerId)) throw notFound(app);
  const record = recordOf(findBrief(app, programId));
  const effects = recordChangedEffects(programId);
  if (record.opportunityId === opportunityId) return { kind: 'replay', effects };
  if (record.opportunityId !== undefined) {
    throw new ConflictError(`The ${programId} record is already filed as ${record.opportunityId}; Partner Central returned ${opportunityId}`, record.status);
  }
  // A move to `filed` never drafts a funding request (only an approval does): planned without the drafting code, so
  // the filing routes do not carry it (issue 11 §1).
  const plan = planRecordMove({
    app, programId, to: 'filed', actor: { kind: 'partner', id: partnerId }, now,
    reason: `filed through the Partner Central API as ${opportunityId}`,
    details: { opportunityId, filedAt, filedVia: 'api' },
  });
  return { kind: 'apply', plan, changes: { briefs: plan.briefs }, effects };
}

// ---------------------------------------------------------------------------------------------------------------
// The write gate (at most one write per second per partner account)

export const WRITE_INTERVAL_MS = 1000;
/** A refused caller waits at most this long for its turn (once), then answers 429. */
export const MAX_WRITE_WAIT_MS = 2000;

/** The value the gate item gets when a write is granted at `now`. */
export function nextWriteAt(now: Date): number {
  return now.getTime() + WRITE_INTERVAL_MS;
}

/** What to do when the gate refused: wait for the slot (once, if it is near) or refuse with Retry-After. */
export function afterWriteRefused(args: { now: Date; nextAt: number; alreadyWaited: boolean }): { kind: 'wait'; ms: number } | { kind: 'refuse'; error: TooManyRequestsError } {
  const ms = Math.max(0, args.nextAt - args.now.getTime());
  if (!args.alreadyWaited && ms <= MAX_WRITE_WAIT_MS) return { kind: 'wait', ms };
  const retryAfterSeconds = Math.max(1, Math.ceil(ms / 1000));
  return {
    kind: 'refuse',
    error: new TooManyRequestsError(`Partner Central allows one write per second per partner account; retry in ${retryAfterSeconds} s`, retryAfterSeconds),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// AWS's review, from the opportunity's LifeCycle

/** The part of `LifeCycle` / `LifeCycleSummary` the sync reads (exact strings of the service model). */
export interface LifeCycleView {
  readonly ReviewStatus?: string | undefined;
  readonly ReviewComments?: string | undefined;
  readonly ReviewStatusReason?: string | undefined;
  readonly ClosedLostReason?: string | undefined;
}

export interface SyncedReview {
  readonly to: RecordStatus;
  readonly reviewStatus: string;
  readonly comments?: string;
  readonly reason?: string;
}

function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as Partial<T>;
}

/** Record statuses in which AWS's review can still change the record: what the reconciliation follows. */
export const IN_AWS_REVIEW: readonly RecordStatus[] = ['filed', 'in_aws_review', 'action_required'];

export function inAwsReview(status: RecordStatus): boolean {
  return IN_AWS_REVIEW.includes(status);
}

/**
 * ReviewStatus → record status: Submitted / In review → in_aws_review; Action Required → action_required (with
 * ReviewComments and ReviewStatusReason); Approved → approved; Rejected → rejected (ClosedLostReason, else
 * ReviewStatusReason, else 'Other'). Pending Submission (created, not yet submitted) or nothing: no change.
 */
export function reviewFromLifeCycle(lifeCycle: LifeCycleView | undefined): SyncedReview | undefined {
  if (lifeCycle === undefined) return undefined;
  const status = lifeCycle.ReviewStatus;
  switch (status) {
    case 'Submitted':
    case 'In review':
      return { to: 'in_aws_review', reviewStatus: status };
    case 'Action Required':
      return { to: 'action_required', reviewStatus: status, ...defined({ comments: lifeCycle.ReviewComments, reason: lifeCycle.ReviewStatusReason }) };
    case 'Approved':
      return { to: 'approved', reviewStatus: status, ...defined({ comments: lifeCycle.ReviewComments }) };
    case 'Rejected':
      return {
        to: 'rejected', reviewStatus: status,
        reason: lifeCycle.ClosedLostReason || lifeCycle.ReviewStatusReason || 'Other',
        ...defined({ comments: lifeCycle.ReviewComments }),
      };
    default:
      return undefined;
  }
}

function reviewDetails(review: SyncedReview, now: Date): { details: Partial<Omit<RecordState, 'status'>>; reason: string } {
  const at = now.toISOString();
  const awsReview = { at, ...defined({ comments: review.comments, reason: review.reason }) };
  switch (review.to) {
    case 'action_required':
      return { details: { awsReview }, reason: `Partner Central: Action Required${review.comments ? `: ${review.comments}` : ''}` };
    case 'approved':
      // The Selling API reports no credit amount: the partner records it with the credits (or the AWS outcome) route.
      return { details: { awsReview }, reason: 'Partner Central: Approved' };
    case 'rejected':
      return { details: { awsReview }, reason: `Partner Central: Rejected (${review.reason ?? 'Other'})` };
    default:
      return { details: {}, reason: `Partner Central: ${review.reviewStatus}` };
  }
}

export type SyncPlan =
  | { readonly kind: 'skip'; readonly why: 'already' | 'not-applicable'; readonly detail: string }
  | { readonly kind: 'apply'; readonly command: Command };

/**
 * The record change an observed review status asks for. Skipped when the record already has that status (events and
 * the reconciliation repeat themselves) or when the rules do not allow the move (the record is further along, e.g.
 * credits applied, or was rejected): AWS's view never moves a record backwards.
 */
export function planSyncedReview(args: { app: Application; programId: string; review: SyncedReview; now: Date }): SyncPlan {
  const { app, programId, review, now } = args;
  const record = recordOf(findBrief(app, programId));
  if (record.status === review.to) return { kind: 'skip', why: 'already', detail: `the record is already '${record.status}'` };
  const { details, reason } = reviewDetails(review, now);
  try {
    const plan = planRecordTransition({ app, programId, to: review.to, actor: PARTNER_CENTRAL_ACTOR, reason, now, details });
    return { kind: 'apply', command: { kind: 'apply', plan, changes: { briefs: plan.briefs }, effects: recordChangedEffects(programId) } };
  } catch (error) {
    if (error instanceof ConflictError) return { kind: 'skip', why: 'not-applicable', detail: error.message };
    throw error;
  }
}

/**
 * After a skip because the record already had the status: does the workflow still need the nudge? Yes when the
 * newest stored task token (the wait the workflow is in) is older than the transition that gave the record this
 * status: the change was written but its callback was lost (a crash between the write and the callback). A wait
 * entered after the change has seen it (AwaitHumanStep checks on storing its token), so no second callback then.
 */
export function needsCatchUpCallback(app: Application, programId: string, status: RecordStatus, latestTokenStoredAt: string | undefined): boolean {
  if (latestTokenStoredAt === undefined) return false;
  const change = [...app.transitions].reverse().find((t: Transition) => t.record?.programId === programId && t.record.to === status);
  return change !== undefined && latestTokenStoredAt < change.at;
}

// ---------------------------------------------------------------------------------------------------------------
// Errors and the reconciliation watermark

/** Partner Central's ValidationException ErrorList as field problems (each names the service's rule code). */
export function validationProblems(errorList: readonly { FieldName?: string | undefined; Message?: string | undefined; Code?: string | undefined }[] | undefined, message: string): FieldProblem[] {
  const problems = (errorList ?? []).map((e) => ({ field: e.FieldName || '(body)', rule: `${e.Message ?? 'is invalid'} (Partner Central ${e.Code ?? 'validation'})` }));
  return problems.length > 0 ? problems : [{ field: '(body)', rule: `${message} (Partner Central validation)` }];
}

/** ListOpportunities re-reads this much before the watermark: changes are idempotent, a missed one is not. */
export const RECONCILE_OVERLAP_MS = 5 * 60 * 1000;

/** `LastModifiedDate.AfterLastModifiedDate` for a stored watermark. */
export function listAfter(watermark: string): Date {
  return new Date(Date.parse(watermark) - RECONCILE_OVERLAP_MS);
}

/** The first watermark of a partner: shortly before its first filing through the API. */
export function initialWatermark(filedAt: Date): string {
  return new Date(filedAt.getTime() - RECONCILE_OVERLAP_MS).toISOString();
}

/** The newest LastModifiedDate seen (AWS's clock, never ours), or the current watermark when nothing newer was seen. */
export function advanceWatermark(current: string, seen: readonly (string | undefined)[]): string {
  return seen.reduce<string>((max, s) => (s !== undefined && Date.parse(s) > Date.parse(max) ? new Date(Date.parse(s)).toISOString() : max), current);
}

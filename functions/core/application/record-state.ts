/**
 * Stacked ACE records inside one application, as pure rules: who may move a record from which status to which, and
 * the application status that follows from its records (`deriveApplicationStatus`). No imports beyond the schemas'
 * types and the errors: the repository (list summaries) and the pipeline counters read records through this module
 * without loading the funding draft that planning a record change brings (./records.ts).
 */
import type { Actor, Application, ApplicationStatus, FundingState, RecordState, RecordStatus, StoredBrief, Transition } from '../../../schemas/application.ts';
import type { TransitionPlan } from './lifecycle.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.ts';

/** Who may move a status from which to which: the rule tables of stacked records and of their funding requests. */
export interface MoveRule<S extends string> {
  readonly from: readonly S[];
  readonly to: S;
  readonly by: readonly Actor['kind'][];
}

/** Whether any rule of `rules` allows the move (by anyone). */
export function moveAllowed<S extends string>(rules: readonly MoveRule<S>[], from: S, to: S): boolean {
  return rules.some((r) => r.from.includes(from) && r.to === to);
}

/**
 * Refuse a move `rules` does not allow: 409 naming `what` ("the bedrock-poc record") and its current status when no
 * rule leads there, 403 when one does but not for this actor.
 */
export function checkMove<S extends string>(rules: readonly MoveRule<S>[], what: string, from: S, to: S, actor: Actor): void {
  const legal = rules.filter((r) => r.from.includes(from) && r.to === to);
  if (legal.length === 0) throw new ConflictError(`The ${what} is '${from}'; it cannot move to '${to}'`, from);
  if (!legal.some((r) => r.by.includes(actor.kind))) throw new ForbiddenError(`A ${actor.kind} cannot move the ${what} from '${from}' to '${to}'`);
}

export const RECORD_RULES: readonly MoveRule<RecordStatus>[] = [
  { from: ['draft'], to: 'approved_for_filing', by: ['partner'] },
  { from: ['approved_for_filing'], to: 'filed', by: ['partner', 'system'] },
  { from: ['filed'], to: 'in_aws_review', by: ['partner', 'system'] },
  { from: ['filed', 'in_aws_review'], to: 'action_required', by: ['partner', 'system'] },
  { from: ['action_required'], to: 'in_aws_review', by: ['partner', 'system'] },
  { from: ['filed', 'in_aws_review', 'action_required'], to: 'approved', by: ['partner', 'system'] },
  { from: ['filed', 'in_aws_review', 'action_required'], to: 'rejected', by: ['partner', 'system'] },
  { from: ['approved'], to: 'credits_applied', by: ['partner', 'system'] },
  { from: ['credits_applied'], to: 'expired', by: ['system'] },
];

/** Whether a record may move from one status to another (by anyone). */
export function recordMoveAllowed(from: RecordStatus, to: RecordStatus): boolean {
  return moveAllowed(RECORD_RULES, from, to);
}

/**
 * The application waits on whoever must act next, so its status is that of its least advanced record,
 * in this order of precedence (first match wins):
 *   action_required (partner must fix) → approved_for_filing (partner must file) → filed → in_aws_review
 *   (AWS decides) → approved (credits pending) → credits_applied → expired → rejected (every record rejected).
 * Records still in `draft` (before partner approval) leave the application status as it is.
 */
export const STATUS_PRECEDENCE: readonly (RecordStatus & ApplicationStatus)[] = [
  'action_required', 'approved_for_filing', 'filed', 'in_aws_review', 'approved', 'credits_applied', 'expired', 'rejected',
];

export function deriveApplicationStatus(records: readonly RecordState[], current: ApplicationStatus): ApplicationStatus {
  if (records.length === 0 || records.some((r) => r.status === 'draft')) return current;
  for (const status of STATUS_PRECEDENCE) {
    if (!records.some((r) => r.status === status)) continue;
    // `expiring` is the application's own state (set by the expiry sweep): records with credits keep it there.
    return status === 'credits_applied' && current === 'expiring' ? 'expiring' : status;
  }
  return current;
}

export function recordOf(brief: Pick<StoredBrief, 'record'>): RecordState {
  return brief.record ?? { status: 'draft' };
}

export function findBrief(app: Application, programId: string): StoredBrief {
  const brief = (app.briefs ?? []).find((b) => b.programId === programId);
  if (!brief) throw new NotFoundError(`Application ${app.id} has no ACE record for program '${programId}'`);
  return brief;
}

export interface RecordTransitionPlan extends TransitionPlan {
  /** The application's briefs with the one record changed. */
  readonly briefs: StoredBrief[];
}

export interface RecordMove {
  readonly app: Application;
  readonly programId: string;
  readonly to: RecordStatus;
  readonly actor: Actor;
  readonly reason: string;
  readonly now: Date;
  readonly details?: Partial<Omit<RecordState, 'status'>>;
}

/**
 * Plan a change of one record's status (with its new details) and the application status that follows; refused with
 * 409 naming the record's current status when the rules do not allow it. `draftFunding` drafts the funding request an
 * approval brings (./records.ts `planRecordTransition` passes the real one): a move to `approved` without it is a
 * programming error, so a caller that never approves (the expiry sweep) plans here without loading the drafting code.
 */
export function planRecordMove(args: RecordMove, draftFunding?: (brief: StoredBrief, current: RecordState) => FundingState | undefined): RecordTransitionPlan {
  const { app, programId, to, actor, reason, now } = args;
  refuseIfClosed(app);
  const brief = findBrief(app, programId);
  const current = recordOf(brief);
  checkMove(RECORD_RULES, `${programId} record`, current.status, to, actor);
  const drafts = to === 'approved' && !current.funding && !args.details?.funding;
  if (drafts && !draftFunding) throw new Error('planRecordMove: an approval drafts its funding request: plan it with planRecordTransition (./records.ts)');
  const funding = drafts ? draftFunding?.(brief, current) : undefined;
  const next: RecordState = { ...current, ...args.details, ...(funding ? { funding } : {}), status: to };
  const briefs = (app.briefs ?? []).map((b) => (b.programId === programId ? { ...b, record: next } : b));
  const nextStatus = deriveApplicationStatus(briefs.map(recordOf), app.status);
  const transition: Transition = {
    at: now.toISOString(), actor, from: app.status, to: nextStatus, reason: funding ? `${reason}; funding request drafted for the Partner Central Benefits API` : reason,
    record: { programId, from: current.status, to }, ...(funding ? { funding: { programId, from: null, to: funding.status } } : {}), version: app.version + 1,
  };
  return { expectedStatus: app.status, expectedVersion: app.version, transition, briefs };
}


/**
 * Statuses in which no stacked record may move: a withdrawn application is over, and a failed one waits for
 * operations (its workflow is no longer running, so nothing would follow the change).
 */
export const CLOSED_FOR_RECORD_CHANGES: readonly Application['status'][] = ['withdrawn', 'failed'];

export function refuseIfClosed(app: Application): void {
  if (CLOSED_FOR_RECORD_CHANGES.includes(app.status)) {
    throw new ConflictError(`Application ${app.id} is '${app.status}': its ACE records can no longer change`, app.status);
  }
}

/** Records the workflow is waiting on AWS for (filed and not yet decided). */
export function awaitingAwsDecision(app: Application): boolean {
  return (app.briefs ?? []).some((b) => ['approved_for_filing', 'filed', 'in_aws_review', 'action_required'].includes(recordOf(b).status));
}

/** Approved records whose credits have not been applied yet. */
export function awaitingCredits(app: Application): boolean {
  return (app.briefs ?? []).some((b) => recordOf(b).status === 'approved');
}

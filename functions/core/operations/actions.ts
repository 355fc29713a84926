/**
 * Operations' actions as plans (pure): redrive a failed application, reassign it to another partner, cancel it before
 * credits, nudge whoever must act. Each is a transition with the operator as actor and the operator's reason, or a
 * replay when the application already shows that action's outcome (a repeated request converges on the first answer).
 * An action the state forbids is a 409 naming the current state (planTransition's ConflictError).
 */
import type { Actor, Application, ApplicationStatus, PartnerAssignment, Transition } from '../../../schemas/application.ts';
import { ConflictError } from '../errors.ts';
import { planTransition, type TransitionPlan } from '../application/lifecycle.ts';
import type { NoticeKind } from '../notifications.ts';
import type { Changes } from '../application/commands.ts';
import { isEscalationNote } from './escalation.ts';
import type { ActionResponse } from '../../../schemas/operations.ts';
import { isReassignment, REASSIGNED } from './reassignment.ts';

export type OpsAction = 'redrive' | 'reassign' | 'cancel' | 'nudge';

/** Statuses in which a partner holds a review slot for the application. */
export const SLOT_HOLDING: readonly ApplicationStatus[] = ['routed', 'in_partner_review', 'changes_requested'];

/** A new execution started by operations is named after the application and the transition that started it. */
export function restartExecutionName(applicationId: string, version: number): string {
  return `${applicationId}--ops-v${version}`;
}

/** A redrive: a failed application moved back (only operations move one: lifecycle.ts; a cancellation, → withdrawn, is none). */
const isRedrive = (t: Transition): boolean => t.from === 'failed' && t.to !== 'withdrawn';

/** Transitions after which operations started a new execution (redrive, or an unrouted application assigned). */
function restartsOf(app: Application): Transition[] {
  return app.transitions.filter((t) => isRedrive(t) || (t.actor.kind === 'ops' && t.from === 'unrouted' && t.to === 'routed'));
}

/** The execution a change recorded after an escalation starts (functions/usecases/run-command.ts). */
export function resumeExecutionName(applicationId: string, escalationVersion: number): string {
  return `${applicationId}--resume-v${escalationVersion}`;
}

/** Execution input field that makes an execution enter at CheckStanding (lib/workflow/definition.ts RESUME_FIELD). */
export const RESUME_INPUT = 'resume';

/** Names of every execution the application had (or may have had: an escalation not followed by a change has none), oldest first. */
export function executionNamesOf(app: Application): string[] {
  const restarts = restartsOf(app).map((t) => ({ version: t.version, name: restartExecutionName(app.id, t.version) }));
  const resumes = app.transitions.filter(isEscalationNote).map((t) => ({ version: t.version, name: resumeExecutionName(app.id, t.version) }));
  return [app.id, ...[...restarts, ...resumes].sort((a, b) => a.version - b.version).map((r) => r.name)];
}

export type OpsPlan =
  | { readonly kind: 'apply'; readonly plan: TransitionPlan; readonly changes: Changes }
  | { readonly kind: 'replay'; readonly transition: Transition };

const lastIndex = (app: Application, test: (t: Transition) => boolean): number => app.transitions.findLastIndex(test);

/** Back to the status it failed from; the workflow then carries on from there (a new execution, see README). */
export function planRedrive(app: Application, actor: Actor, reason: string, now: Date): OpsPlan {
  if (app.status !== 'failed') {
    // A repeat converges on the redrive that followed the latest failure (none at all: both indexes are -1).
    const redrivenAt = lastIndex(app, isRedrive);
    if (redrivenAt > lastIndex(app, (t) => t.to === 'failed')) return { kind: 'replay', transition: app.transitions[redrivenAt]! };
    throw new ConflictError(`Application ${app.id} is '${app.status}', not failed: there is nothing to redrive`, app.status);
  }
  const { failure } = app;
  if (!failure) throw new ConflictError(`Application ${app.id} has no recorded failure to redrive from`, app.status);
  return {
    kind: 'apply',
    plan: planTransition({ current: app.status, version: app.version, to: failure.failedFrom, actor, now, reason: `redriven from ${failure.state} by operations: ${reason}` }),
    changes: { failure: undefined },
  };
}

export function planReassign(app: Application, actor: Actor, partner: { id: string; name: string }, reason: string, now: Date): OpsPlan {
  if (app.partner?.partnerId === partner.id) {
    // The reassignment itself, still the latest step (a nudge of the routed partner is a routed → routed note too).
    const t = app.transitions.at(-1);
    if (t && isReassignment(t)) return { kind: 'replay', transition: t };
    if (app.status !== 'unrouted') throw new ConflictError(`Application ${app.id} is already with ${partner.id} ('${app.status}')`, app.status);
  }
  if (!['routed', 'in_partner_review', 'unrouted'].includes(app.status)) {
    throw new ConflictError(`Application ${app.id} is '${app.status}': only an application waiting on a partner's review (or unrouted) can be reassigned`, app.status);
  }
  const previous = app.partner?.partnerId;
  const assignment: PartnerAssignment = { partnerId: partner.id, partnerName: partner.name, assignedAt: now.toISOString(), reasons: [`assigned by operations: ${reason}`] };
  return {
    kind: 'apply',
    plan: planTransition({ current: app.status, version: app.version, to: 'routed', actor, now, reason: `${REASSIGNED}${previous ? `from ${previous} ` : ''}to ${partner.id} by operations: ${reason}` }),
    changes: { partner: assignment, ...(previous ? { passedOverBy: [...new Set([...(app.passedOverBy ?? []), previous])] } : {}) },
  };
}

export function planCancel(app: Application, actor: Actor, reason: string, now: Date): OpsPlan {
  const t = app.transitions.at(-1);
  if (t?.to === 'withdrawn' && t.actor.kind === 'ops') return { kind: 'replay', transition: t };
  return {
    kind: 'apply',
    plan: planTransition({ current: app.status, version: app.version, to: 'withdrawn', actor, now, reason: `cancelled by operations: ${reason}` }),
    changes: {},
  };
}

/** Who a nudge reminds, by status: the reminder the workflow itself would send at that wait's timeout. */
const NUDGE_BY_STATUS: Partial<Record<ApplicationStatus, { kind: NoticeKind; who: string }>> = {
  routed: { kind: 'partner-review-reminder', who: 'the partner' },
  in_partner_review: { kind: 'partner-review-reminder', who: 'the partner' },
  changes_requested: { kind: 'founder-revision-reminder', who: 'the founder' },
  approved_for_filing: { kind: 'partner-aws-decision-reminder', who: 'the partner' },
  filed: { kind: 'partner-aws-decision-reminder', who: 'the partner' },
  in_aws_review: { kind: 'partner-aws-decision-reminder', who: 'the partner' },
  action_required: { kind: 'partner-aws-decision-reminder', who: 'the partner' },
  approved: { kind: 'partner-credits-reminder', who: 'the partner' },
};

export interface NudgePlan {
  readonly notice: NoticeKind;
  readonly who: string;
  /** The note recorded in the timeline (status unchanged), or the one a repeat today found. */
  readonly note: Transition;
  readonly replay: boolean;
}

/** A nudge is a note in the timeline (same status, version + 1) and one reminder mail, at most one per day. */
export function planNudge(app: Application, actor: Actor, reason: string, now: Date): NudgePlan {
  const target = NUDGE_BY_STATUS[app.status];
  if (!target) throw new ConflictError(`Application ${app.id} is '${app.status}': nobody has a pending step to be reminded of`, app.status);
  const today = now.toISOString().slice(0, 10);
  // An operator's transition whose reason starts so is a nudge note (the others start 'redriven', 'reassigned', 'cancelled').
  const earlier = app.transitions.findLast((t) => t.to === app.status && t.actor.kind === 'ops' && t.at.startsWith(today) && t.reason.startsWith('nudged'));
  if (earlier) return { notice: target.kind, who: target.who, note: earlier, replay: true };
  return {
    notice: target.kind,
    who: target.who,
    replay: false,
    note: { at: now.toISOString(), actor, from: app.status, to: app.status, reason: `nudged ${target.who} (${target.kind}) by operations: ${reason}`, version: app.version + 1 },
  };
}

/** What an action answers: the application's status after it, whether this request changed it, and what happened. */
export function actionAnswer(action: ActionResponse['action'], app: Application, applied: boolean, detail: string, executionArn?: string): ActionResponse {
  return { applicationId: app.id, action, status: app.status, applied, detail, executionArn: executionArn ?? app.executionArn ?? null };
}

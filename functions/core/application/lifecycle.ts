/**
 * The application's state machine as rules: which status may follow which, and who may move it.
 * Every change of status goes through `planTransition`, and the repository applies the plan as one
 * conditional write ("status is X and version is N"), so an illegal or stale change is refused.
 */
import type { Actor, ApplicationStatus, Transition } from '../../../schemas/application.ts';
import { ConflictError, ForbiddenError } from '../errors.ts';

type ActorKind = Actor['kind'];

interface Rule {
  readonly from: readonly ApplicationStatus[];
  readonly to: ApplicationStatus;
  readonly by: readonly ActorKind[];
}

/** Statuses after which the ACE record exists at AWS: a founder can no longer withdraw. */
export const FILED_OR_LATER: readonly ApplicationStatus[] = [
  'filed', 'in_aws_review', 'action_required', 'approved', 'rejected', 'credits_applied', 'expiring', 'expired',
];

export const TERMINAL: readonly ApplicationStatus[] = ['rejected', 'expired', 'withdrawn'];

/** Statuses before filing that are still moving (a founder or operations can withdraw from each). */
const OPEN_BEFORE_FILING: readonly ApplicationStatus[] = [
  'submitted', 'sized', 'drafted', 'routed', 'unrouted', 'in_partner_review', 'changes_requested', 'approved_for_filing',
];

/** Statuses the workflow's failure path can leave (the status a redrive returns to): the open ones, then the filed ones until expiry. */
export const FAILABLE: readonly ApplicationStatus[] = /* @__PURE__ */ OPEN_BEFORE_FILING.concat([
  'filed', 'in_aws_review', 'action_required', 'approved', 'credits_applied', 'expiring',
]);

/**
 * Built by a call marked pure, so a bundle that imports this module without planning a transition drops the table
 * (its `filter`/`map` calls would otherwise keep it: esbuild cannot prove them free of side effects). Still built once,
 * at load, wherever it is used (issue 11 §1).
 */
const RULES: readonly Rule[] = /* @__PURE__ */ lifecycleRules();

function lifecycleRules(): readonly Rule[] {
  return [
    { from: ['submitted'], to: 'sized', by: ['system'] },
    { from: ['sized'], to: 'drafted', by: ['system'] },
    { from: ['drafted'], to: 'routed', by: ['system'] },
    { from: ['drafted'], to: 'unrouted', by: ['system'] },
    { from: ['unrouted'], to: 'routed', by: ['system', 'ops'] },
    { from: ['routed'], to: 'in_partner_review', by: ['system'] },
    // A partner declines or misses the review SLA: the application goes back to routing.
    { from: ['in_partner_review', 'routed'], to: 'drafted', by: ['partner', 'system', 'ops'] },
    { from: ['in_partner_review'], to: 'changes_requested', by: ['partner'] },
    { from: ['changes_requested'], to: 'submitted', by: ['founder'] },
    { from: ['in_partner_review'], to: 'approved_for_filing', by: ['partner'] },
    { from: ['approved_for_filing'], to: 'filed', by: ['partner', 'system'] },
    { from: ['filed', 'action_required'], to: 'in_aws_review', by: ['partner', 'system'] },
    { from: ['filed', 'in_aws_review'], to: 'action_required', by: ['partner', 'system'] },
    { from: ['filed', 'in_aws_review', 'action_required'], to: 'approved', by: ['partner', 'system'] },
    { from: ['filed', 'in_aws_review', 'action_required'], to: 'rejected', by: ['partner', 'system'] },
    { from: ['approved'], to: 'credits_applied', by: ['partner', 'system'] },
    { from: ['credits_applied'], to: 'expiring', by: ['system'] },
    { from: ['credits_applied', 'expiring'], to: 'expired', by: ['system'] },
    { from: OPEN_BEFORE_FILING, to: 'withdrawn', by: ['founder', 'ops'] },
    // A change request the founder never answered (reminded once), or an address never confirmed, is closed by the workflow.
    { from: ['changes_requested', 'drafted'], to: 'withdrawn', by: ['system'] },
    // The workflow's failure path: nothing is deleted, the application keeps its data and can be redriven.
    {
      from: FAILABLE,
      to: 'failed',
      by: ['system'],
    },
    // Operations (functions/core/operations/actions.ts): a redrive puts a failed application back where it failed,
    // a reassignment moves it to another partner, a cancellation closes it at any stage before credits.
    ...FAILABLE.map((to): Rule => ({ from: ['failed'], to, by: ['ops'] })),
    { from: ['routed', 'in_partner_review'], to: 'routed', by: ['ops'] },
    { from: ['failed', 'filed', 'in_aws_review', 'action_required', 'approved'], to: 'withdrawn', by: ['ops'] },
  ];
}

export function allowedNext(from: ApplicationStatus, actor: ActorKind): ApplicationStatus[] {
  return RULES.filter((r) => r.from.includes(from) && r.by.includes(actor)).map((r) => r.to);
}

export interface TransitionPlan {
  readonly expectedStatus: ApplicationStatus;
  readonly expectedVersion: number;
  readonly transition: Transition;
}

/**
 * Decide whether `actor` may move an application from `current` to `to`; returns the transition to
 * record, or throws a ConflictError that names the current state (HTTP 409) or a ForbiddenError.
 */
export function planTransition(args: {
  current: ApplicationStatus;
  version: number;
  to: ApplicationStatus;
  actor: Actor;
  reason: string;
  now: Date;
}): TransitionPlan {
  const { current, version, to, actor, reason, now } = args;
  const legal = RULES.filter((r) => r.from.includes(current) && r.to === to);
  if (legal.length === 0) {
    throw new ConflictError(`Cannot move the application from '${current}' to '${to}'`, current);
  }
  if (!legal.some((r) => r.by.includes(actor.kind))) {
    throw new ForbiddenError(`A ${actor.kind} cannot move the application from '${current}' to '${to}'`);
  }
  return {
    expectedStatus: current,
    expectedVersion: version,
    transition: { at: now.toISOString(), actor, from: current, to, reason, version: version + 1 },
  };
}

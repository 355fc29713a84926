/**
 * The shape of a planned human step (see review.ts and founder-steps.ts): either `apply` (one conditional write: the
 * transition and its changes; then the effects) or `replay` (the database already shows this outcome by this actor:
 * only the effects run again). Effects are idempotent: releasing a partner slot is per application, a callback on a
 * spent task token is harmless, stopping a stopped execution changes nothing. So "write first, then effects"
 * converges: a crash between the two is repaired by repeating the request (functions/usecases/run-command.ts runs them).
 */
import type { Actor, Application, Transition } from '../../../schemas/application.ts';
import { NotFoundError } from '../errors.ts';
import type { TransitionPlan } from './lifecycle.ts';

/** Kinds of stored task tokens (functions/workflow/await-human-step.ts stores them; the API answers them). */
export const TASK_TOKEN_KINDS = {
  partnerReview: 'partner-review',
  founderRevision: 'founder-revision',
  awsDecision: 'aws-decision',
  credits: 'credits',
  /** The founder confirms the contact address before the application is routed (address-confirmation.ts). */
  addressConfirmation: 'address-confirmation',
} as const;
export type TaskTokenKind = (typeof TASK_TOKEN_KINDS)[keyof typeof TASK_TOKEN_KINDS];

export type Changes = Partial<Omit<Application, 'id' | 'status' | 'version' | 'transitions'>>;

export interface Effects {
  /** Give back this partner's review slot for the application (idempotent per application). */
  readonly releaseSlotOf?: string;
  /** Resume the workflow: the most recently stored token among `kinds` gets SendTaskSuccess(output). */
  readonly callback?: { readonly kinds: readonly string[]; readonly output: Record<string, unknown> };
  /** Stop the application's execution (withdrawal). */
  readonly stopExecution?: { readonly error: string; readonly cause: string };
}

export type Command =
  | { readonly kind: 'apply'; readonly plan: TransitionPlan; readonly changes: Changes; readonly effects: Effects }
  | { readonly kind: 'replay'; readonly transition?: Transition; readonly effects: Effects };

export const FOUNDER: Actor = { kind: 'founder', id: 'founder' };

export function sameActor(a: Actor, b: Actor): boolean {
  return a.kind === b.kind && a.id === b.id;
}

export function isAssignedTo(app: Pick<Application, 'partner'>, partnerId: string): boolean {
  return app.partner?.partnerId === partnerId;
}

/** The same answer as for an id that does not exist, so ids of other partners' applications cannot be probed. */
export function notFound(app: Application): NotFoundError {
  return new NotFoundError(`Application ${app.id} not found`);
}

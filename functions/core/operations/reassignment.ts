/**
 * How an operator's reassignment is told from the other operator steps that move an application to `routed`: a redrive
 * (from failed) and a nudge's note (routed → routed) share its actor and its target status, not its reason's prefix.
 */
import type { Transition } from '../../../schemas/application.ts';

export const REASSIGNED = 'reassigned ';

export function isReassignment(t: Pick<Transition, 'to' | 'actor' | 'reason'>): boolean {
  return t.to === 'routed' && t.actor.kind === 'ops' && t.reason.startsWith(REASSIGNED);
}

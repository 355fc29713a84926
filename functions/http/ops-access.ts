/**
 * What every operations action checks first (functions/http/ops-actions.ts, ops-nudge.ts): the caller is in group
 * `ops` (403 otherwise), and its body, checked without zod (functions/core/operations/action-bodies.ts), with its
 * problems under `body.`.
 */
import type { Actor } from '../../schemas/application.ts';
import type { InputShape } from '../core/input-shape.ts';
import { callerOf, checkOr400, jsonBody, requireGroup, type HttpEvent } from './middleware.ts';

/** The operator (`sub` claim) as the actor of the transition an action records. */
export function operator(event: HttpEvent): Actor {
  const caller = callerOf(event);
  requireGroup(caller, 'ops');
  return { kind: 'ops', id: caller.sub };
}

export function bodyOf<T>(shape: InputShape<T>, event: HttpEvent): T {
  return checkOr400(shape, jsonBody(event), 'body');
}

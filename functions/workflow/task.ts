/**
 * The plumbing shared by workflow task handlers: log keys reset per invocation, the state input
 * checked against its shape (./task-input.ts, without zod), the application id on every log line. Errors propagate with their `name`,
 * which is what the state machine's Retry and Catch match on.
 */
import type { Context } from 'aws-lambda';
import { logger, withLogKeys } from '../adapters/observability.ts';
import type { Actor } from '../../schemas/application.ts';
import { checkInput, type InputShape, object, optional, text } from '../core/input-shape.ts';

export class TaskInputError extends Error {
  override readonly name = 'TaskInputError';
}

export function systemActor(task: string): Actor {
  return { kind: 'system', id: task };
}

export function workflowTask<I, R>(
  task: string,
  inputShape: InputShape<I>,
  run: (input: I, context: Context) => Promise<R>,
) {
  const wrapped = async (event: unknown, context: Context): Promise<R> => {
    const parsed = checkInput(inputShape, event);
    if (!parsed.ok) throw new TaskInputError(`${task}: bad input: ${parsed.problems.map((p) => `${p.field} ${p.rule}`).join('; ')}`);
    const input = parsed.value as { applicationId?: string };
    if (input.applicationId) logger.appendKeys({ applicationId: input.applicationId, task });
    return run(parsed.value, context);
  };
  return withLogKeys(wrapped);
}

// Built at module scope and marked pure, so a handler that does not use one of them does not carry it.
export const ApplicationTaskInput = /* @__PURE__ */ object({ applicationId: /* @__PURE__ */ text({ min: 1 }) });

/** The input of the scheduled sweeps (EventBridge Scheduler names the sweep). */
export const SweepTaskInput = /* @__PURE__ */ object({ sweep: /* @__PURE__ */ optional(/* @__PURE__ */ text()) });

/**
 * The plumbing shared by workflow task handlers: log keys reset per invocation, the state input
 * parsed with a schema, the application id on every log line. Errors propagate with their `name`,
 * which is what the state machine's Retry and Catch match on.
 */
import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { logger, withLogKeys } from '../adapters/observability.ts';
import { parseWith } from '../../schemas/issues.ts';
import type { Actor } from '../../schemas/application.ts';

export class TaskInputError extends Error {
  override readonly name = 'TaskInputError';
}

export function systemActor(task: string): Actor {
  return { kind: 'system', id: task };
}

export function workflowTask<S extends z.ZodMiniType, R>(
  task: string,
  inputSchema: S,
  run: (input: z.infer<S>, context: Context) => Promise<R>,
) {
  const wrapped = async (event: unknown, context: Context): Promise<R> => {
    const parsed = parseWith(inputSchema, event);
    if (!parsed.ok) throw new TaskInputError(`${task}: bad input: ${parsed.problems.map((p) => `${p.field} ${p.rule}`).join('; ')}`);
    const input = parsed.value as { applicationId?: string };
    if (input.applicationId) logger.appendKeys({ applicationId: input.applicationId, task });
    return run(parsed.value, context);
  };
  return withLogKeys(wrapped);
}

export const ApplicationTaskInput = z.object({ applicationId: z.string().check(z.minLength(1)) });

/**
 * The input shapes checked without zod (functions/core/input-shape.ts: the workflow tasks' inputs, the operations
 * actions' bodies) say what is wrong in the same words as the zod schemas (schemas/issues.ts parseWith), field by field.
 */
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { parseWith } from '../../schemas/issues.ts';
import { checkInput, object, oneOf, optional, text } from '../../functions/core/input-shape.ts';
import { workflowTask, TaskInputError } from '../../functions/workflow/task.ts';
import { ActionBody, ReassignBody } from '../../functions/core/operations/action-bodies.ts';
import { ActionRequest, ReassignRequest } from '../../schemas/api-requests.ts';

const shape = object({
  applicationId: text({ min: 1 }),
  mode: oneOf(['review-timeout', 'revision-abandoned']),
  error: optional(object({ Error: optional(text()), Cause: optional(text()) })),
});
const zodTwin = z.object({
  applicationId: z.string().check(z.minLength(1)),
  mode: z.enum(['review-timeout', 'revision-abandoned']),
  error: z.optional(z.object({ Error: z.optional(z.string()), Cause: z.optional(z.string()) })),
});

const inputs: unknown[] = [
  { applicationId: 'a1', mode: 'review-timeout' },
  { applicationId: 'a1', mode: 'review-timeout', error: { Error: 'X', Cause: 'y' }, extra: 1 },
  {},
  { applicationId: '', mode: 'later' },
  { applicationId: 7, mode: 'revision-abandoned', error: { Error: 3 } },
  { applicationId: 'a1', mode: 'review-timeout', error: 'boom' },
  null,
  'text',
  undefined,
];

describe('task input shapes', () => {
  it.each(inputs.map((input) => [JSON.stringify(input) ?? 'undefined', input]))('%s: the same value or the same problems as the zod schema', (_, input) => {
    expect(checkInput(shape, input)).toEqual(parseWith(zodTwin, input));
  });

  it('keeps only the named fields and refuses what the state machine never sends', () => {
    expect(checkInput(shape, { applicationId: 'a1', mode: 'review-timeout', error: { Error: 'E', Cause: 'c', x: 1 }, y: 2 }))
      .toEqual({ ok: true, value: { applicationId: 'a1', mode: 'review-timeout', error: { Error: 'E', Cause: 'c' } } });
    expect(checkInput(object({ sweep: optional(text()) }), { sweep: 5 })).toEqual({ ok: false, problems: [{ field: 'sweep', rule: 'must be string' }] });
  });

  it('a task refuses a bad input with TaskInputError naming each field and rule, before running', async () => {
    let ran = false;
    const task = workflowTask('Demo', shape, async () => { ran = true; });
    await expect(task({ mode: 'x' }, {} as never)).rejects.toThrow(new TaskInputError('Demo: bad input: applicationId is required; mode must be one of: "review-timeout", "revision-abandoned"'));
    expect(ran).toBe(false);
  });
});

describe('operations action bodies (functions/core/operations/action-bodies.ts)', () => {
  const bodies: unknown[] = [
    { reason: 'partner on leave' },
    { reason: '  padded reason  ' },
    { reason: ' x ' },
    { reason: 'r'.repeat(501) },
    { reason: 'ok reason', extra: true, more: 1 },
    { reason: 12 },
    {},
    [],
    null,
    'text',
    { reason: 'partner on leave', partnerId: 'northwind-1' },
    { reason: 'partner on leave', partnerId: 'Northwind 1' },
    { reason: 'no', partnerId: '', note: 'x' },
    { partnerId: 'p'.repeat(65) },
  ];
  it.each(bodies.map((b) => [JSON.stringify(b), b]))('%s: the same answer as the zod request schemas', (_, b) => {
    expect(checkInput(ActionBody, b)).toEqual(parseWith(ActionRequest(), b));
    expect(checkInput(ReassignBody, b)).toEqual(parseWith(ReassignRequest(), b));
  });
});

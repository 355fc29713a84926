/**
 * Validates a Partner Central `CreateOpportunity` request body before anyone files it: first against the service
 * model itself (the generated shape slice), then against the documented submission rules. Every problem at once,
 * as `{ field, rule }`. A field with a shape problem gets no further rule problems: one clear fix per field.
 */
import type { FieldProblem } from '../../../schemas/issues.ts';
import { checkAgainstModel } from './shape-check.ts';
import type { Catalog } from './submission-rules.ts';
import { checkSubmissionRules } from './submission-rules.ts';

export type { Catalog } from './submission-rules.ts';
export type ValidateOptions = {
  /** The current time: TargetCloseDate must be after today. */
  now: Date;
  /** The catalog this environment files into; when given, `Catalog` must equal it. */
  catalog?: Catalog;
};

export function validateCreateOpportunity(body: unknown, opts: ValidateOptions): FieldProblem[] {
  const shapeProblems = checkAgainstModel(body);
  // Not even an object: the submission rules would only repeat "is required" for every part of it.
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return shapeProblems;
  const ruleProblems = checkSubmissionRules({ body, now: opts.now, ...(opts.catalog && { catalog: opts.catalog }) });
  const reported = new Set(shapeProblems.map((p) => p.field));
  const seen = new Set<string>();
  const problems: FieldProblem[] = [];
  for (const p of [...shapeProblems, ...ruleProblems.filter((r) => !reported.has(r.field))]) {
    const key = `${p.field}\u0000${p.rule}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(p);
  }
  return problems;
}

/**
 * The `{ field, rule }` problem shape as a zod schema (for the response schemas and the OpenAPI document); the
 * functions that word zod issues as such problems are in ./issue-rules.ts (no zod at run time), re-exported here.
 */
import * as z from 'zod/mini';

export const FieldProblem = /* @__PURE__ */ z.object({
  field: /* @__PURE__ */ z.string(),
  rule: /* @__PURE__ */ z.string(),
});
export type FieldProblem = z.infer<typeof FieldProblem>;

export { fieldPath, parseWith, toFieldProblems, type Parsed } from './issue-rules.ts';

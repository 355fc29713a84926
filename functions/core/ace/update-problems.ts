/**
 * The whole-member model check of an update under Action Required (`POST …/update-via-api`). Its own module, apart
 * from the other update rules (./partner-central-submission.ts), because it loads ACE's opportunity model (the shape
 * check and its data): only the update's function (functions/http/partner-update.ts) carries it (issue 11 §1).
 * No AWS imports.
 */
import type { FieldProblem } from '../../../schemas/issues.ts';
import { checkAgainstModel } from './shape-check.ts';

/**
 * How the members of an update depart from the opportunity model: UpdateOpportunity replaces each member it is sent,
 * so each is checked whole (unknown fields, types, enums, lengths, patterns, required members within it), as the brief
 * it is copied into is; members not sent are not looked at. Checked before anything is sent or recorded.
 */
export function updateProblems(changes: Record<string, unknown>): FieldProblem[] {
  const sent = Object.keys(changes);
  const within = (field: string) => sent.some((m) => field === m || field.startsWith(`${m}.`) || field.startsWith(`${m}[`));
  return checkAgainstModel(changes).filter((p) => within(p.field)).map((p) => ({ field: `changes.${p.field}`, rule: p.rule }));
}

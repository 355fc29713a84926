/**
 * The ACE data the validator and the drafter run on: the CreateOpportunity shape slice (generated from the Partner
 * Central service model), per-country postal codes (generated from AWS's CSVs) and the documented submission rules
 * (hand-kept, with sources). See scripts/gen-ace-model.ts and data/ace/.
 *
 * Checked at build, trusted at run: the files are bundled as they are in the repository, and
 * functions/core/data-checks.ts validates them against schemas/ace-data.ts (and that every rule's value list exists)
 * in the unit tests and on every synth, so a function's cold start does not build the schemas and walk 35 KB of data
 * again (issue 11 §1).
 */
import sliceJson from '../../../data/ace/create-opportunity.shapes.json' with { type: 'json' };
import postalJson from '../../../data/ace/postal-codes.json' with { type: 'json' };
import rulesJson from '../../../data/ace/submission-rules.json' with { type: 'json' };
import type { PostalCodes, ShapeSlice, SubmissionRules } from '../../../schemas/ace-data.ts';

export type { Condition, Length, PostalCodes, ShapeSlice, SliceMember, SliceShape, SubmissionRules } from '../../../schemas/ace-data.ts';
export { CONDITIONS } from '../../../schemas/ace-conditions.ts';

export const shapeSlice = sliceJson as unknown as ShapeSlice;
export const postalCodes = postalJson as unknown as PostalCodes;
export const submissionRules = rulesJson as unknown as SubmissionRules;

/** A documented value list by name (e.g. "usStates"); data-checks.ts guarantees the names the rules use exist. */
export function valueList(name: string): readonly string[] {
  return submissionRules.lists[name]?.values ?? [];
}

/** Enum values of a shape of the slice, e.g. enumValues('Stage'). */
export function enumValues(shapeName: string): readonly string[] {
  const shape = shapeSlice.shapes[shapeName];
  return shape?.type === 'enum' ? shape.values : [];
}

/**
 * ACE spells US states out ("California"); founders write "CA", "california" or "District of Columbia". Here beside the
 * data rather than in the drafter, so intake's address check does not load the drafter (issue 11 §1).
 */
export function aceStateName(input: string): string {
  const text = input.trim();
  const states = valueList('usStates');
  const exact = states.find((s) => s.toLowerCase() === text.toLowerCase());
  if (exact) return exact;
  const byAbbreviation = submissionRules.usStateAbbreviations[text.toUpperCase()];
  if (byAbbreviation) return byAbbreviation;
  const alias = Object.entries(submissionRules.usStateAliases).find(([name]) => name.toLowerCase() === text.toLowerCase());
  // Unknown names pass through unchanged: the validator then names the field and the rule.
  return alias?.[1] ?? text;
}

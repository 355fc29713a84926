/**
 * The ACE data the validator and the drafter run on, validated once at load: the CreateOpportunity shape slice
 * (generated from the Partner Central service model), per-country postal codes (generated from AWS's CSVs) and the
 * documented submission rules (hand-kept, with sources). See scripts/gen-ace-model.ts and data/ace/.
 */
import * as z from 'zod/mini';
import sliceJson from '../../../data/ace/create-opportunity.shapes.json' with { type: 'json' };
import postalJson from '../../../data/ace/postal-codes.json' with { type: 'json' };
import rulesJson from '../../../data/ace/submission-rules.json' with { type: 'json' };

const Length = z.object({ min: z.optional(z.number()), max: z.optional(z.number()) });
export type Length = z.infer<typeof Length>;

export const SliceMember = z.object({
  target: z.string(),
  required: z.optional(z.literal(true)),
  pattern: z.optional(z.string()),
  length: z.optional(Length),
});
export type SliceMember = z.infer<typeof SliceMember>;

export const SliceShape = z.discriminatedUnion('type', [
  z.object({ type: z.literal('structure'), members: z.record(z.string(), SliceMember) }),
  z.object({ type: z.literal('list'), member: SliceMember, length: z.optional(Length) }),
  z.object({ type: z.literal('enum'), values: z.array(z.string()) }),
  z.object({ type: z.literal('string'), pattern: z.optional(z.string()), length: z.optional(Length) }),
  z.object({ type: z.literal('timestamp'), format: z.optional(z.string()) }),
  z.object({ type: z.enum(['boolean', 'integer', 'long', 'double', 'float', 'document']) }),
]);
export type SliceShape = z.infer<typeof SliceShape>;

export const ShapeSlice = z.object({
  source: z.object({ file: z.string(), sha256: z.string(), serviceVersion: z.string(), note: z.string() }),
  root: z.string(),
  shapes: z.record(z.string(), SliceShape),
});
export type ShapeSlice = z.infer<typeof ShapeSlice>;

export const PostalCodes = z.object({
  source: z.object({ files: z.array(z.string()), note: z.string() }),
  noPostalCode: z.record(z.string(), z.string()),
  formats: z.record(z.string(), z.object({ name: z.string(), format: z.string(), pattern: z.string() })),
});
export type PostalCodes = z.infer<typeof PostalCodes>;

/** Named conditions the rule table refers to; their meaning is code in submission-rules.ts. */
export const CONDITIONS = [
  'catalogIsAws', 'industryIsOther', 'nationalSecurity', 'countryIsUs', 'countryIsNotUs', 'countryHasPostalCodes',
  'countryHasNoPostalCodes', 'competitorIsOther', 'flatRenewal', 'closedLost', 'marketingActivity',
  'marketingSourceNone', 'awsFundingNotUsed', 'blankString',
] as const;
const Condition = z.enum(CONDITIONS);
export type Condition = z.infer<typeof Condition>;

const PathRule = z.object({
  path: z.string(),
  when: z.optional(Condition),
  unless: z.optional(Condition),
  rule: z.string(),
  source: z.string(),
});
const ValueList = z.object({ values: z.array(z.string()), source: z.string() });

export const SubmissionRules = z.object({
  asOf: z.string(),
  source: z.object({ document: z.string(), upstream: z.array(z.string()), note: z.string() }),
  requiredForSubmission: z.array(PathRule),
  forbidden: z.array(PathRule),
  allowedValues: z.array(
    z.object({ path: z.string(), list: z.string(), when: z.optional(Condition), rule: z.optional(z.string()), source: z.string() }),
  ),
  lists: z.record(z.string(), ValueList),
  usStateAbbreviations: z.record(z.string(), z.string()),
  usStateAliases: z.record(z.string(), z.string()),
});
export type SubmissionRules = z.infer<typeof SubmissionRules>;

function load<S extends z.ZodMiniType>(name: string, schema: S, data: unknown): z.infer<S> {
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new Error(`data/ace/${name} does not match its schema: ${JSON.stringify(parsed.error.issues.slice(0, 3))}`);
  return parsed.data as z.infer<S>;
}

export const shapeSlice: ShapeSlice = load('create-opportunity.shapes.json', ShapeSlice, sliceJson);
export const postalCodes: PostalCodes = load('postal-codes.json', PostalCodes, postalJson);
export const submissionRules: SubmissionRules = load('submission-rules.json', SubmissionRules, rulesJson);

for (const allowed of submissionRules.allowedValues) {
  if (!submissionRules.lists[allowed.list]) throw new Error(`submission-rules.json: unknown list "${allowed.list}"`);
}

/** A documented value list by name (e.g. "usStates"); the loader above guarantees the names used exist. */
export function valueList(name: string): readonly string[] {
  return submissionRules.lists[name]?.values ?? [];
}

/** Enum values of a shape of the slice, e.g. enumValues('Stage'). */
export function enumValues(shapeName: string): readonly string[] {
  const shape = shapeSlice.shapes[shapeName];
  return shape?.type === 'enum' ? shape.values : [];
}

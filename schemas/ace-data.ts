/**
 * The shapes of the ACE data files (data/ace/): checked by functions/core/data-checks.ts (the unit tests and every
 * synth run it), never at a function's cold start (issue 11 §1).
 */
import * as z from 'zod/mini';
import { CONDITIONS } from './ace-conditions.ts';

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


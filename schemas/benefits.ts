/**
 * `data/benefits.json`: which programs are funded through a Partner Central Benefits API benefit application once
 * their ACE opportunity is approved, with the benefit id, the fulfillment types and where each drafted
 * BenefitApplicationDetails member comes from. Dated and sourced; AWS's open questions are kept in the file.
 */
import * as z from 'zod/mini';

const isoDate = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD'));

/** The values a drafted BenefitApplicationDetails member may be taken from (functions/core/ace/funding-draft.ts). */
export const DETAIL_SOURCES = [
  'filing.askUsd', 'filing.coverageMonths', 'filing.programName', 'worksheet.aws.accountId', 'worksheet.company.name',
  'worksheet.company.website', 'worksheet.useCase.summary', 'worksheet.useCase.poc.successMetric', 'record.opportunityId',
] as const;

export const BenefitProgram = z.strictObject({
  programId: z.string(),
  benefitId: z.string().check(z.regex(/^(arn:.+|ben-[0-9a-z]{14})$/, 'must be a benefit id ben-<14 lower-case letters or digits> or an ARN')),
  benefitName: z.string(),
  /** False until someone saw the id in AWS's own catalog (ListBenefits with a partner's role). */
  verified: z.boolean(),
  fulfillmentTypes: z.array(z.enum(['CREDITS', 'CASH', 'ACCESS'])).check(z.minLength(1)),
  detailsFields: z.record(z.string(), z.strictObject({ from: z.enum(DETAIL_SOURCES), as: z.optional(z.literal('money')) })),
});
export type BenefitProgram = z.infer<typeof BenefitProgram>;

export const BenefitsData = z.strictObject({
  asOf: isoDate,
  sources: z.array(z.string()).check(z.minLength(1)),
  note: z.string(),
  openQuestions: z.array(z.strictObject({ field: z.string(), says: z.string() })),
  creditAmountFrom: z.array(z.enum(['IssuedAmount', 'AllocatedAmount'])).check(z.minLength(1)),
  programs: z.array(BenefitProgram),
});
export type BenefitsData = z.infer<typeof BenefitsData>;

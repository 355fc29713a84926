/**
 * The sizing engine's output. OWNED BY THE SIZING WORK (issue 2 §3-4): extend freely, but keep the
 * `Filing` shape below stable, because brief drafting, the workflow and the API read it.
 */
import * as z from 'zod/mini';

/** A non-negative USD amount as a decimal string with at most two decimals, e.g. "1234.50". */
export const UsdAmount = z.string().check(z.regex(/^(0|[1-9]\d*)(\.\d{1,2})?$/, 'must be a USD amount like 1234.50'));

export const PROGRAM_IDS = ['bedrock-poc', 'activate-founders', 'activate-portfolio', 'genai-accelerator'] as const;
export const ProgramId = z.enum(PROGRAM_IDS);
export type ProgramId = z.infer<typeof ProgramId>;

export const FILING_PATHS = ['ace', 'self-serve', 'provider', 'cohort-application'] as const;
export const FilingPath = z.enum(FILING_PATHS);

/** One line of projected monthly AWS spend, by service: what ACE's ExpectedCustomerSpend is itemized from. */
export const ServiceSpend = z.object({
  service: z.string(),
  monthlyUsd: UsdAmount,
});

/** One record the plan says to file (or apply for), sized from the forecast. */
export const Filing = z.object({
  programId: ProgramId,
  programName: z.string(),
  filingPath: FilingPath,
  /** The credit amount to ask for, rounded. */
  askUsd: UsdAmount,
  /** Months of the forecast this filing is meant to cover. */
  coverageMonths: z.number(),
  /** Projected monthly spend per AWS service for the workload this record covers (average over the covered months). */
  monthlySpendByService: z.array(ServiceSpend),
  /** Why this program, in one or two sentences a partner can reuse. */
  rationale: z.string(),
});
export type Filing = z.infer<typeof Filing>;

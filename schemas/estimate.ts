/**
 * The sizing engine's output. OWNED BY THE SIZING WORK (issue 2 §3-4): extend freely, but keep the
 * `Filing` shape below stable, because brief drafting, the workflow and the API read it.
 */
import * as z from 'zod/mini';

import { UsdAmount } from './usd-amount.ts';

export { UsdAmount } from './usd-amount.ts';

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

// ---------------------------------------------------------------------------------------------------------------
// The estimate (sizing output). All amounts are USD decimal strings; integers of cents inside the core.

export const LEVER_NAMES = ['onDemandInput', 'onDemandOutput', 'batchInput', 'batchOutput', 'cacheWrite', 'cacheRead'] as const;

/** Cost per lever (USD). Lines add up exactly to the stream's total. */
export const LeverCosts = z.object({
  onDemandInput: UsdAmount,
  onDemandOutput: UsdAmount,
  batchInput: UsdAmount,
  batchOutput: UsdAmount,
  cacheWrite: UsdAmount,
  cacheRead: UsdAmount,
});

export const ModelMonthCost = z.object({
  modelId: z.string(),
  traffic: LeverCosts,
  evalHarness: LeverCosts,
  totalUsd: UsdAmount,
});

export const ForecastMonth = z.object({
  /** 1-based month of the covered window. */
  month: z.number(),
  trafficRequests: z.number(),
  models: z.array(ModelMonthCost),
  bedrockUsd: UsdAmount,
  evalHarnessUsd: UsdAmount,
  otherServices: z.array(ServiceSpend),
  otherServicesUsd: UsdAmount,
  /** Optimized spend before headroom (Bedrock + other services). */
  subtotalUsd: UsdAmount,
  headroomUsd: UsdAmount,
  totalUsd: UsdAmount,
  /** Same month at naive on-demand (no batch, no caching), before headroom. */
  naiveSubtotalUsd: UsdAmount,
});

export const PRICE_BASES = ['global', 'regional', 'list'] as const;
export const MODEL_STATUS_VALUES = ['active', 'legacy', 'preview', 'eol', 'unknown'] as const;

export const PricedModelInfo = z.object({
  modelId: z.string(),
  /** As the worksheet gave it (may carry an inference-profile prefix). */
  requestedId: z.string(),
  name: z.string(),
  class: z.string(),
  share: z.number(),
  priceBasis: z.enum(PRICE_BASES),
  priceNote: z.string(),
  /** USD per 1M tokens actually applied. */
  prices: z.object({
    inputPer1M: z.number(),
    outputPer1M: z.number(),
    batchInputPer1M: z.optional(z.number()),
    batchOutputPer1M: z.optional(z.number()),
    cacheWritePer1M: z.optional(z.number()),
    cacheReadPer1M: z.optional(z.number()),
  }),
  status: z.enum(MODEL_STATUS_VALUES),
  eolDate: z.optional(z.string()),
  batchApplied: z.boolean(),
  cachingApplied: z.boolean(),
  windowUsd: UsdAmount,
  naiveWindowUsd: UsdAmount,
  levers: LeverCosts,
  evalHarnessUsd: UsdAmount,
});

export const LeverSuggestion = z.object({
  lever: z.enum(['batch', 'caching', 'cheaper-model']),
  modelId: z.string(),
  alternativeModelId: z.optional(z.string()),
  /**
   * True for batch and caching: they appear only where the worksheet already applies them, and the forecast counts
   * them (savingUsd is what they save in it; nothing to do). False for a cheaper model: a suggestion, not counted.
   * Absent on estimates stored before this field existed (read it as `lever !== 'cheaper-model'`).
   */
  applied: z.optional(z.boolean()),
  /** Saving over the covered window, before headroom. */
  savingUsd: UsdAmount,
  message: z.string(),
});

export const ProgramDecision = z.object({
  programId: ProgramId,
  eligible: z.boolean(),
  /** Why yes and why not, failing reasons first ("yes: …", "no: …", "to confirm: …", "note: …"). */
  reasons: z.array(z.string()),
});
export type ProgramDecision = z.infer<typeof ProgramDecision>;

export const EstimateWarning = z.object({
  code: z.string(),
  message: z.string(),
  amountUsd: z.optional(UsdAmount),
});

/** How old one data file under the estimate is, against the staleness policy (data/data-policy.json). */
export const DataFileAge = z.object({
  file: z.string(),
  dataset: z.string(),
  /** The file's own date (YYYY-MM-DD), or null when it carries none. */
  asOf: z.nullable(z.string()),
  /** Whole UTC days from asOf to evaluatedOn. */
  ageDays: z.nullable(z.number()),
  /** The policy's threshold; null: never called stale. */
  maxAgeDays: z.nullable(z.number()),
  stale: z.boolean(),
  sources: z.array(z.string()),
  dependsOnIt: z.array(z.string()),
});
export type DataFileAge = z.infer<typeof DataFileAge>;

export const DataAge = z.object({
  /** The moment the ages are counted to (the estimate's `now`, or the moment a stored estimate is viewed). */
  evaluatedOn: z.string(),
  policy: z.string(),
  /** True when any file is past its threshold. */
  stale: z.boolean(),
  files: z.array(DataFileAge),
});
export type DataAge = z.infer<typeof DataAge>;

export const FIGURE_BASES = ['stale', 'unverified', 'assumed'] as const;

/** A figure of the estimate that rests on stale, unverified or assumed data, and what it rests on. */
export const QualifiedFigure = z.object({
  figure: z.string(),
  basis: z.enum(FIGURE_BASES),
  restsOn: z.string(),
  /** The program whose filing it is in; absent: it feeds every filing. */
  programId: z.optional(ProgramId),
  modelId: z.optional(z.string()),
  amountUsd: z.optional(UsdAmount),
});
export type QualifiedFigure = z.infer<typeof QualifiedFigure>;

export const PoolCoverage = z.object({
  poolUsd: UsdAmount,
  /** Months the pool lasts at naive on-demand spend, and with the levers applied (other services included, no headroom). */
  naiveMonths: z.number(),
  optimizedMonths: z.number(),
  /** The count stops here: a pool that outlasts it shows this figure. */
  horizonMonths: z.number(),
});

export const Estimate = z.object({
  ratesAsOf: z.string(),
  programsAsOf: z.string(),
  computedAt: z.string(),
  currency: z.literal('USD'),
  assumptions: z.object({
    daysPerMonth: z.string(),
    headroomShare: z.number(),
    headroomSource: z.string(),
    pricingRule: z.string(),
    askRounding: z.string(),
    levers: z.string(),
  }),
  models: z.array(PricedModelInfo),
  forecast: z.object({
    months: z.array(ForecastMonth),
    /** Average monthly spend per AWS service over the window (what ACE's ExpectedCustomerSpend is itemized from). */
    monthlySpendByService: z.array(ServiceSpend),
    bedrockUsd: UsdAmount,
    evalHarnessUsd: UsdAmount,
    otherServicesUsd: UsdAmount,
    /** Optimized spend, before headroom. */
    optimizedUsd: UsdAmount,
    /** Naive on-demand spend (no batch, no caching), before headroom. */
    naiveUsd: UsdAmount,
    naiveBedrockUsd: UsdAmount,
    headroomUsd: UsdAmount,
    /** optimizedUsd + headroomUsd. */
    totalUsd: UsdAmount,
    /** totalUsd rounded up by the ask-rounding steps. */
    recommendedAskUsd: UsdAmount,
  }),
  poolCoverage: PoolCoverage,
  levers: z.array(LeverSuggestion),
  programs: z.array(ProgramDecision),
  plan: z.object({
    filings: z.array(Filing),
    /** Sum of the asks counted towards the forecast (the Accelerator long shot is not). */
    totalAskUsd: UsdAmount,
    outOfPocketUsd: UsdAmount,
    forfeitedUsd: UsdAmount,
    /** Spend on services the credits do not pay for (left out of every ask). */
    uncoveredSpendUsd: UsdAmount,
  }),
  warnings: z.array(EstimateWarning),
  notes: z.array(z.string()),
  /** Age of every data file the estimate is computed from, against the staleness policy. */
  dataAge: DataAge,
  /** The figures that rest on stale, unverified or assumed data (each also named in a warning or a note). */
  qualifiedFigures: z.array(QualifiedFigure),
});
export type Estimate = z.infer<typeof Estimate>;

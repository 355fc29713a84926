/**
 * The Bedrock spend forecast, month by month: per model and per lever (on-demand input/output, batch input/output,
 * cache write/read), the eval harness, growth, the other AWS services, and headroom.
 *
 * Conventions (each printed in the estimate's assumptions):
 * - A month is 365/12 days (the AWS Pricing Calculator's 730 hours).
 * - Traffic compounds by `monthlyGrowth` from month 1; eval replays and other services are flat monthly figures
 *   (a regression suite and a vector store do not grow with traffic).
 * - Levers are applied only where they pay off per request, so "optimized" is never above "naive":
 *   caching when the cached request is cheaper at the founder's hit rate (cache writes cost more than plain input),
 *   batch when the model has a batch price and a batch request is cheaper than the on-demand one. Batch requests
 *   get no prompt caching (the two discounts are not stacked). No caching when the cacheable context is shorter
 *   than the model's minimum cacheable prefix (`minCacheablePrefix`): Bedrock does not cache it.
 * - Each stream's exact cost is rounded once and split into integer-cent lever lines (largest remainder); every
 *   total above that is a sum of integers, so totals equal the sum of their parts to the cent.
 */
import Big from 'big.js';
import type { Workload } from '../../schemas/worksheet.ts';
import { allocateCents, ceilToStep, centsToBig, shareOfCents, sumCents, tokenCostCents, usdToCents, type Cents } from './money.ts';
import type { AppliedPrices, Lifecycle, RateModel } from './rates.ts';

export const LEVERS = ['onDemandInput', 'onDemandOutput', 'batchInput', 'batchOutput', 'cacheWrite', 'cacheRead'] as const;
export type Lever = (typeof LEVERS)[number];
export type LeverCents = Record<Lever, Cents>;

const DAYS_PER_MONTH = new Big(365).div(12);

/** A model of the mix with the price that applies to it (see rates.ts `applicablePrices`). */
export type PricedModel = {
  requestedId: string;
  model: RateModel;
  share: number;
  applied: AppliedPrices;
  lifecycle: Lifecycle;
};

export type LeverSwitches = { batch: boolean; caching: boolean };
export const ALL_LEVERS: LeverSwitches = { batch: true, caching: true };
export const NO_LEVERS: LeverSwitches = { batch: false, caching: false };

/** What the forecast decided for one model, from per-request unit economics (independent of volume). */
export type ModelPlan = {
  batchAvailable: boolean;
  batchApplied: boolean;
  cachingAvailable: boolean;
  cachingApplied: boolean;
  /** Set when the cacheable context is shorter than the model's minimum cacheable prefix (so nothing is cached). */
  belowCacheMinimum?: { cacheableTokens: number; minimumTokens: number };
  notes: string[];
};

export type OtherServiceLine = { service: string; monthlyCents: Cents; creditEligible: boolean };

export type ForecastInput = {
  workload: Workload;
  models: PricedModel[];
  otherServices: OtherServiceLine[];
  headroomShare: number;
  askRounding: { upToUsd?: number; stepUsd: number }[];
};

export type ModelMonth = { modelId: string; traffic: LeverCents; evalHarness: LeverCents; totalCents: Cents };

export type ForecastMonth = {
  month: number;
  trafficRequests: number;
  models: ModelMonth[];
  bedrockCents: Cents;
  evalHarnessCents: Cents;
  otherServices: { service: string; cents: Cents }[];
  otherServicesCents: Cents;
  /** Optimized spend before headroom: Bedrock (traffic + eval) + other services. */
  subtotalCents: Cents;
  headroomCents: Cents;
  totalCents: Cents;
  /** Same month with no batch and no caching (headroom excluded). */
  naiveSubtotalCents: Cents;
};

export type ModelWindow = { modelId: string; levers: LeverCents; evalHarnessCents: Cents; totalCents: Cents; naiveCents: Cents };

export type PoolCoverage = { poolCents: Cents; naiveMonths: number; optimizedMonths: number; horizonMonths: number };

export type Forecast = {
  months: ForecastMonth[];
  byModel: ModelWindow[];
  plans: Record<string, ModelPlan>;
  bedrockCents: Cents;
  evalHarnessCents: Cents;
  otherServicesCents: Cents;
  subtotalCents: Cents;
  headroomCents: Cents;
  totalCents: Cents;
  naiveBedrockCents: Cents;
  naiveSubtotalCents: Cents;
  /** Credit-eligible spend (Bedrock + eligible other services) with headroom, rounded up: excluded services are not in it. */
  recommendedAskCents: Cents;
  /** How many months `poolUsd` of credit lasts at naive and at optimized credit-eligible spend (no headroom), up to `maxMonths`. */
  monthsCovered(poolUsd: number, maxMonths?: number): PoolCoverage;
};

// ---------------------------------------------------------------------------------------------------------------
// Unit economics: exact cost in cents of one request, per lever configuration.

type Shape = { input: number; cacheable: number; output: number; hitRate: number };

function shapeOf(w: Workload, model: RateModel): Shape {
  // Embedding models are billed for input only.
  return { input: w.avgInputTokens, cacheable: w.cacheableContextTokens, output: model.kind === 'embedding' ? 0 : w.avgOutputTokens, hitRate: w.cacheHitRate };
}

function hasBatch(pm: PricedModel): boolean {
  const p = pm.applied.prices;
  return p.batchInputPer1M !== undefined && (pm.model.kind === 'embedding' || p.batchOutputPer1M !== undefined);
}

function hasCaching(pm: PricedModel): boolean {
  return pm.model.kind === 'text' && pm.applied.prices.cacheReadPer1M !== undefined;
}

/** Where no cache-write price is listed (Nova), writes are billed as plain input: no discount, no surcharge. */
function cacheWritePrice(pm: PricedModel): number {
  return pm.applied.prices.cacheWritePer1M ?? pm.applied.prices.inputPer1M;
}

function plainUnit(pm: PricedModel, s: Shape): Big {
  const p = pm.applied.prices;
  return tokenCostCents(new Big(s.input), p.inputPer1M).plus(tokenCostCents(new Big(s.output), p.outputPer1M));
}

function cachedUnit(pm: PricedModel, s: Shape): Big {
  const p = pm.applied.prices;
  const c = new Big(s.cacheable);
  const write = tokenCostCents(c, cacheWritePrice(pm)).times(new Big(1).minus(s.hitRate));
  const read = tokenCostCents(c, p.cacheReadPer1M ?? p.inputPer1M).times(s.hitRate);
  return tokenCostCents(new Big(s.input - s.cacheable), p.inputPer1M)
    .plus(write)
    .plus(read)
    .plus(tokenCostCents(new Big(s.output), p.outputPer1M));
}

function batchUnit(pm: PricedModel, s: Shape): Big {
  const p = pm.applied.prices;
  return tokenCostCents(new Big(s.input), p.batchInputPer1M ?? p.inputPer1M).plus(tokenCostCents(new Big(s.output), p.batchOutputPer1M ?? 0));
}

/** Break-even cache hit rate: below it, cache writes cost more than the reads save. */
function breakEvenHitRate(pm: PricedModel): number {
  const p = pm.applied.prices;
  const w = cacheWritePrice(pm);
  const r = p.cacheReadPer1M ?? p.inputPer1M;
  if (w <= p.inputPer1M) return 0;
  return new Big(w - p.inputPer1M).div(w - r).round(4).toNumber();
}

export function planModel(pm: PricedModel, w: Workload, switches: LeverSwitches): ModelPlan {
  const s = shapeOf(w, pm.model);
  const notes: string[] = [];
  const cachingAvailable = hasCaching(pm);
  const batchAvailable = hasBatch(pm);
  const name = pm.model.name;

  let cachingApplied = false;
  let belowCacheMinimum: ModelPlan['belowCacheMinimum'];
  const minCacheable = pm.model.minCacheablePrefix?.tokens;
  if (switches.caching && s.cacheable > 0 && s.hitRate > 0) {
    if (!cachingAvailable) notes.push(`${name} has no prompt-caching price: its cacheable context is billed as plain input`);
    else if (minCacheable !== undefined && s.cacheable < minCacheable) {
      belowCacheMinimum = { cacheableTokens: s.cacheable, minimumTokens: minCacheable };
      notes.push(`caching not applied on ${name}: the ${s.cacheable} cacheable context tokens are below its minimum cacheable prefix of ${minCacheable} tokens, so Bedrock would not cache them (billed as plain input)`);
    } else if (cachedUnit(pm, s).lt(plainUnit(pm, s))) cachingApplied = true;
    else notes.push(`caching not applied on ${name}: at a ${pct(s.hitRate)} hit rate cache writes cost more than reads save (break-even ${pct(breakEvenHitRate(pm))})`);
  }
  const onDemand = cachingApplied ? cachedUnit(pm, s) : plainUnit(pm, s);

  let batchApplied = false;
  if (switches.batch && w.batchableShare > 0) {
    if (!batchAvailable) notes.push(`${name} has no batch price: its batchable ${pct(w.batchableShare)} of traffic stays on-demand`);
    else if (batchUnit(pm, s).lt(onDemand)) batchApplied = true;
    else notes.push(`batch not applied on ${name}: with prompt caching an on-demand request is already cheaper than a batch one`);
  }
  return { batchAvailable, batchApplied, cachingAvailable, cachingApplied, ...(belowCacheMinimum ? { belowCacheMinimum } : {}), notes };
}

function pct(share: number): string {
  return `${new Big(share).times(100).round(2).toString()}%`;
}

// ---------------------------------------------------------------------------------------------------------------
// Streams: a number of requests on one model, split into lever lines.

function streamLines(pm: PricedModel, w: Workload, plan: ModelPlan, requests: Big): LeverCents {
  const s = shapeOf(w, pm.model);
  const p = pm.applied.prices;
  const batchReq = plan.batchApplied ? requests.times(w.batchableShare).round(PRECISION, Big.roundHalfUp) : new Big(0);
  const odReq = requests.minus(batchReq);
  const hits = plan.cachingApplied ? odReq.times(s.hitRate).round(PRECISION, Big.roundHalfUp) : new Big(0);
  const misses = plan.cachingApplied ? odReq.minus(hits) : new Big(0);
  const plainInputTokens = plan.cachingApplied ? s.input - s.cacheable : s.input;
  // With a lever off, its requests (batchReq, or hits and misses) are 0, and so are its lines.
  const exact: Record<Lever, Big> = {
    onDemandInput: tokenCostCents(odReq.times(plainInputTokens), p.inputPer1M),
    onDemandOutput: tokenCostCents(odReq.times(s.output), p.outputPer1M),
    batchInput: tokenCostCents(batchReq.times(s.input), p.batchInputPer1M ?? 0),
    batchOutput: tokenCostCents(batchReq.times(s.output), p.batchOutputPer1M ?? 0),
    cacheWrite: tokenCostCents(misses.times(s.cacheable), cacheWritePrice(pm)),
    cacheRead: tokenCostCents(hits.times(s.cacheable), p.cacheReadPer1M ?? 0),
  };
  const cents = allocateCents(LEVERS.map((l) => exact[l]));
  return Object.fromEntries(LEVERS.map((l, i) => [l, cents[i] as Cents])) as LeverCents;
}

export function leverTotal(lines: LeverCents): Cents {
  return sumCents(LEVERS.map((l) => lines[l]));
}

function addLevers(a: LeverCents, b: LeverCents): LeverCents {
  return Object.fromEntries(LEVERS.map((l) => [l, a[l] + b[l]])) as LeverCents;
}

const ZERO_LEVERS: LeverCents = Object.fromEntries(LEVERS.map((l) => [l, 0n])) as LeverCents;

/**
 * Requests served in month `month` (1-based) across all models: requests/day × 365/12 × (1 + growth)^(month − 1).
 * The growth factor is carried to 24 decimals (exact powers of a float growth rate run to thousands of digits);
 * the error is far below a millionth of a cent and rounding keeps it monotone.
 */
export function trafficRequests(w: Workload, month: number): Big {
  return new Big(w.requestsPerDay).times(DAYS_PER_MONTH).times(growthFactor(w.monthlyGrowth, month)).round(PRECISION, Big.roundHalfUp);
}

const PRECISION = 24;
const growthCache = new Map<number, Big[]>();

function growthFactor(growth: number, month: number): Big {
  let factors = growthCache.get(growth);
  if (!factors) {
    factors = [new Big(1)];
    growthCache.set(growth, factors);
    if (growthCache.size > 1000) growthCache.delete(growthCache.keys().next().value as number);
  }
  const step = new Big(1).plus(growth);
  while (factors.length < month) factors.push((factors[factors.length - 1] as Big).times(step).round(PRECISION, Big.roundHalfUp));
  return factors[month - 1] as Big;
}

function modelMonth(pm: PricedModel, w: Workload, plan: ModelPlan, month: number): ModelMonth {
  const traffic = streamLines(pm, w, plan, trafficRequests(w, month).times(pm.share).round(PRECISION, Big.roundHalfUp));
  const evalHarness = streamLines(pm, w, plan, new Big(w.evalReplaysPerMonth).times(pm.share));
  return { modelId: pm.model.modelId, traffic, evalHarness, totalCents: leverTotal(traffic) + leverTotal(evalHarness) };
}

function bedrockMonthCents(input: ForecastInput, plans: ModelPlan[], month: number): Cents {
  return sumCents(input.models.map((pm, i) => modelMonth(pm, input.workload, plans[i] as ModelPlan, month).totalCents));
}

// ---------------------------------------------------------------------------------------------------------------

export function plansFor(input: ForecastInput, switches: LeverSwitches): ModelPlan[] {
  return input.models.map((pm) => planModel(pm, input.workload, switches));
}

function buildMonth(input: ForecastInput, plans: ModelPlan[], naivePlans: ModelPlan[], month: number): ForecastMonth {
  const models = input.models.map((pm, i) => modelMonth(pm, input.workload, plans[i] as ModelPlan, month));
  const bedrockCents = sumCents(models.map((m) => m.totalCents));
  const evalHarnessCents = sumCents(models.map((m) => leverTotal(m.evalHarness)));
  const otherServices = input.otherServices.map((s) => ({ service: s.service, cents: s.monthlyCents }));
  const otherServicesCents = sumCents(otherServices.map((s) => s.cents));
  const subtotalCents = bedrockCents + otherServicesCents;
  const headroomCents = shareOfCents(subtotalCents, input.headroomShare);
  const naiveSubtotalCents = bedrockMonthCents(input, naivePlans, month) + otherServicesCents;
  return {
    month,
    trafficRequests: trafficRequests(input.workload, month).round(2).toNumber(),
    models,
    bedrockCents,
    evalHarnessCents,
    otherServices,
    otherServicesCents,
    subtotalCents,
    headroomCents,
    totalCents: subtotalCents + headroomCents,
    naiveSubtotalCents,
  };
}

function windowByModel(input: ForecastInput, months: ForecastMonth[], naivePlans: ModelPlan[]): ModelWindow[] {
  return input.models.map((pm, i) => {
    const rows = months.map((m) => m.models[i] as ModelMonth);
    const levers = rows.reduce((acc, r) => addLevers(acc, addLevers(r.traffic, r.evalHarness)), ZERO_LEVERS);
    const naiveCents = sumCents(months.map((m) => modelMonth(pm, input.workload, naivePlans[i] as ModelPlan, m.month).totalCents));
    return {
      modelId: pm.model.modelId,
      levers,
      evalHarnessCents: sumCents(rows.map((r) => leverTotal(r.evalHarness))),
      totalCents: sumCents(rows.map((r) => r.totalCents)),
      naiveCents,
    };
  });
}

/** Round an ask up by the data's steps ($500 to $10K, $1,000 to $100K, $5,000 above by default). */
export function roundUpAsk(cents: Cents, steps: ForecastInput['askRounding']): Cents {
  if (cents <= 0n) return 0n;
  const step = steps.find((s) => s.upToUsd === undefined || cents <= usdToCents(s.upToUsd)) ?? steps[steps.length - 1];
  return step ? ceilToStep(cents, usdToCents(step.stepUsd)) : cents;
}

export function forecast(input: ForecastInput, switches: LeverSwitches = ALL_LEVERS): Forecast {
  const plans = plansFor(input, switches);
  const naivePlans = plansFor(input, NO_LEVERS);
  const months = Array.from({ length: input.workload.monthsToCover }, (_, i) => buildMonth(input, plans, naivePlans, i + 1));
  const sum = (pick: (m: ForecastMonth) => Cents) => sumCents(months.map(pick));
  const totalCents = sum((m) => m.totalCents);
  const otherServicesCents = sum((m) => m.otherServicesCents);
  const naiveSubtotalCents = sum((m) => m.naiveSubtotalCents);

  // The ask and the pool coverage count only what credits pay for: Bedrock plus the credit-eligible other services
  // (headroom on that), the same envelope the filing plan sizes from. Excluded services stay in the totals above.
  const eligibleOtherCents = sumCents(input.otherServices.filter((s) => s.creditEligible).map((s) => s.monthlyCents));
  const askBasisCents = sumCents(months.map((m) => m.bedrockCents + eligibleOtherCents + shareOfCents(m.bedrockCents + eligibleOtherCents, input.headroomShare)));
  const monthSpend = (p: ModelPlan[], month: number) => bedrockMonthCents(input, p, month) + eligibleOtherCents;
  return {
    months,
    byModel: windowByModel(input, months, naivePlans),
    plans: Object.fromEntries(input.models.map((pm, i) => [pm.model.modelId, plans[i] as ModelPlan])),
    bedrockCents: sum((m) => m.bedrockCents),
    evalHarnessCents: sum((m) => m.evalHarnessCents),
    otherServicesCents,
    subtotalCents: sum((m) => m.subtotalCents),
    headroomCents: sum((m) => m.headroomCents),
    totalCents,
    naiveBedrockCents: naiveSubtotalCents - otherServicesCents,
    naiveSubtotalCents,
    recommendedAskCents: roundUpAsk(askBasisCents, input.askRounding),
    monthsCovered(poolUsd: number, maxMonths = 60): PoolCoverage {
      const poolCents = usdToCents(poolUsd);
      return {
        poolCents,
        naiveMonths: monthsFundedBy(poolCents, (m) => monthSpend(naivePlans, m), maxMonths),
        optimizedMonths: monthsFundedBy(poolCents, (m) => monthSpend(plans, m), maxMonths),
        horizonMonths: maxMonths,
      };
    },
  };
}

/**
 * Months a pool lasts when month `m` costs `spend(m)`: whole months plus the fraction of the month the pool runs
 * out in (two decimals, rounded down so it never overstates). Capped at `maxMonths` (then the pool outlasts it).
 */
export function monthsFundedBy(poolCents: Cents, spend: (month: number) => Cents, maxMonths: number): number {
  let left = poolCents;
  for (let m = 1; m <= maxMonths; m++) {
    const cost = spend(m);
    if (cost > left) {
      // Added in decimal, not as floats: 1 + 0.66 is 1.6600000000000001 in binary floating point.
      const fraction = cost === 0n ? new Big(0) : centsToBig(left).div(centsToBig(cost)).round(2, Big.roundDown);
      return fraction.plus(m - 1).toNumber();
    }
    left -= cost;
  }
  return maxMonths;
}

/** Window cost (all months) of one priced model at its share: used to price a same-class alternative. */
export function windowCentsFor(input: ForecastInput, pm: PricedModel, switches: LeverSwitches = ALL_LEVERS): Cents {
  const plan = planModel(pm, input.workload, switches);
  let total = 0n;
  for (let m = 1; m <= input.workload.monthsToCover; m++) total += modelMonth(pm, input.workload, plan, m).totalCents;
  return total;
}


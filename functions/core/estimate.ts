/**
 * estimate(): worksheet → forecast + levers (counted, and suggested) + program decisions + stacking plan, typed by
 * `schemas/estimate.ts`. Pure: the current time comes in as `now`, prices and programs are imported data. Built by
 * typed code and checked against the schema in the tests (every estimate of arbitrary worksheets parses, and parsing
 * returns it unchanged), not at run time: the sizing function does not build the estimate's schema (issue 11 §1).
 */
import type { Estimate, QualifiedFigure } from '../../schemas/estimate.ts';
import type { FieldProblem } from '../../schemas/issues.ts';
import type { SizingWorksheet } from './sizing-worksheet.ts';
import {
  ALL_LEVERS,
  forecast as runForecast,
  LEVERS,
  windowCentsFor,
  type Forecast,
  type ForecastInput,
  type LeverCents,
  type PricedModel,
} from './forecast.ts';
import { centsToUsd, formatUsd, sumCents, usdToCents, type Cents } from './money.ts';
import { decideEligibility, ineligibleServices, planFilings, programById, runtimePrograms, type ProgramsData, type Warning } from './programs.ts';
import type { ProgramId } from '../../schemas/estimate.ts';
import { ValidationError } from './errors.ts';
import { estimateDataAge, staleDataWarnings, staleFigures } from './staleness.ts';
import { applicablePrices, contextWindowProblem, lifecycleAt, resolveModel, runtimeRateCard, sameClassAlternatives, type RuntimeRateCard as RateCard, type RateModel, type ResolvedModel } from './rates.ts';

export type EstimateOptions = {
  now: Date;
  /** Headroom share on top of the forecast (0–1); default from data/programs.json sizingPolicy. */
  headroom?: number;
  /** Credit pool to report coverage for; default the recommended ask. */
  poolUsd?: number;
  card?: RateCard;
  programs?: ProgramsData;
};

export class EstimateError extends Error {
  override readonly name = 'EstimateError';
}

// ---------------------------------------------------------------------------------------------------------------

export function priceModels(w: SizingWorksheet, now: Date, card: RateCard): PricedModel[] {
  return w.workload.models.map((m, i) => {
    const resolved = resolveModel(m.modelId, { card, field: `workload.models[${i}].modelId` });
    return { requestedId: m.modelId, model: resolved.model, share: m.share, applied: applicablePrices(resolved, w.aws.region, w.workload.avgInputTokens), lifecycle: lifecycleAt(resolved.model, now) };
  });
}

/** The core never prices an impossible request: one that does not fit a chosen model's context window. */
function assertFitsContextWindows(w: SizingWorksheet, models: PricedModel[]): void {
  const problems = models.map((pm) => contextWindowProblem(pm.model, w.workload)).filter((p): p is FieldProblem => p !== undefined);
  if (problems.length > 0) throw new ValidationError(problems, `the request does not fit the context window: ${problems.map((p) => p.rule).join('; ')}`);
}

function lifecycleWarnings(models: PricedModel[], now: Date, card: RateCard): Warning[] {
  const out: Warning[] = [];
  for (const pm of models) {
    const { status, eolDate } = pm.lifecycle;
    const alternatives = sameClassAlternatives(pm.model, now, card).map((m) => m.modelId);
    const instead = alternatives.length ? `; active models of the same class: ${alternatives.join(', ')}` : '';
    if (status === 'eol') {
      out.push({ code: 'model-discontinued', message: `${pm.model.name} (${pm.model.modelId}) is discontinued (EOL${eolDate ? ` ${eolDate}` : ''}): requests fail or soon will. Priced for reference only${instead}` });
    } else if (status === 'legacy') {
      out.push({ code: 'model-legacy', message: `${pm.model.name} is legacy${eolDate ? `, EOL ${eolDate}` : ''}: plan the move before the covered window ends${instead}` });
    } else if (status === 'preview') {
      out.push({ code: 'model-preview', message: `${pm.model.name} is in preview: prices and availability may change` });
    } else if (status === 'unknown') {
      out.push({ code: 'model-lifecycle-unknown', message: `${pm.model.name}: lifecycle not confirmed by the sources (${pm.model.lifecycleNote})` });
    }
    if (pm.model.confidence === 'low') {
      out.push({ code: 'price-low-confidence', message: `${pm.model.name}: price from a single low-confidence source; verify it on the AWS pricing page` });
    }
  }
  return out;
}

/** The forecast's input for a worksheet (prices resolved at `now`); exposed for callers that only need the forecast. */
export function buildForecastInput(w: SizingWorksheet, opts: { now: Date; headroom?: number; card?: RateCard; programs?: ProgramsData }): ForecastInput {
  const programs = opts.programs ?? runtimePrograms;
  const headroom = resolveHeadroom(opts, programs);
  const models = priceModels(w, opts.now, opts.card ?? runtimeRateCard);
  assertFitsContextWindows(w, models);
  return forecastInput(w, models, headroom.share, programs);
}

function forecastInput(w: SizingWorksheet, models: PricedModel[], headroomShare: number, programs: ProgramsData): ForecastInput {
  const ineligible = new Set(ineligibleServices(w, programs).map((s) => s.service));
  return {
    workload: w.workload,
    models,
    otherServices: w.otherServices.map((s) => ({ service: s.service, monthlyCents: usdToCents(s.monthlyUsd), creditEligible: !ineligible.has(s.service) })),
    headroomShare,
    askRounding: programs.sizingPolicy.askRounding,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Levers: each saving is a difference of two window totals computed the same way (exact to the cent). Batch and
// caching are listed only where the worksheet already applies them (`applied: true`, worded as counted, never as
// advice to do what is already done); a cheaper model is the only suggestion (`applied: false`).

type Suggestion = { lever: 'batch' | 'caching' | 'cheaper-model'; modelId: string; alternativeModelId?: string; savingCents: Cents; message: string };

/** What caching saves on model `i` over the window; called only where the forecast applies caching to it. */
function cachingSavingCents(input: ForecastInput, f: Forecast, i: number): Cents {
  return windowCentsFor(input, input.models[i] as PricedModel, { batch: true, caching: false }) - (f.byModel[i]?.totalCents ?? 0n);
}

function batchAndCachingSuggestions(input: ForecastInput, f: Forecast): Suggestion[] {
  const out: Suggestion[] = [];
  const months = input.workload.monthsToCover;
  input.models.forEach((pm, i) => {
    const current = f.byModel[i]?.totalCents ?? 0n;
    const plan = f.plans[pm.model.modelId];
    if (plan?.batchApplied) {
      const saving = windowCentsFor(input, pm, { batch: false, caching: true }) - current;
      if (saving > 0n) {
        out.push({ lever: 'batch', modelId: pm.model.modelId, savingCents: saving, message: `Already counted in this forecast: the worksheet runs the batchable ${pct(input.workload.batchableShare)} of ${pm.model.name} requests (and eval replays) as batch inference (24-hour window), which saves ${formatUsd(saving)} over ${months} months against on-demand` });
      }
    }
    if (plan?.cachingApplied) {
      const saving = cachingSavingCents(input, f, i);
      if (saving > 0n) {
        out.push({ lever: 'caching', modelId: pm.model.modelId, savingCents: saving, message: `Already counted in this forecast: the worksheet caches the ${input.workload.cacheableContextTokens} repeated context tokens on ${pm.model.name} (prompt caching at a ${pct(input.workload.cacheHitRate)} hit rate), which saves ${formatUsd(saving)} over ${months} months against no caching` });
      }
    }
  });
  return out;
}

function alternativePriced(pm: PricedModel, alt: RateModel, w: SizingWorksheet['workload'], region: string, now: Date): PricedModel {
  // Keep the founder's routing choice: a geo profile stays geo (the alternative's regional price where it has one),
  // otherwise its global or list price applies (applicablePrices tells a global from an unprefixed id by the model's
  // basis alone). The id is the alternative's own: only the price note, which the window does not read, would show it.
  const resolved: ResolvedModel = { model: alt, requestedId: alt.modelId, profile: pm.applied.basis === 'regional' ? 'geo' : 'none' };
  return { requestedId: resolved.requestedId, model: alt, share: pm.share, applied: applicablePrices(resolved, region, w.avgInputTokens), lifecycle: lifecycleAt(alt, now) };
}

function cheaperModelSuggestions(input: ForecastInput, f: Forecast, region: string, now: Date, card: RateCard): Suggestion[] {
  const out: Suggestion[] = [];
  const inMix = new Set(input.models.map((m) => m.model.modelId));
  input.models.forEach((pm, i) => {
    const current = f.byModel[i]?.totalCents ?? 0n;
    let best: { alt: RateModel; cents: Cents } | undefined;
    for (const alt of sameClassAlternatives(pm.model, now, card)) {
      // Never suggest a model the request does not fit.
      if (inMix.has(alt.modelId) || contextWindowProblem(alt, input.workload)) continue;
      const cents = windowCentsFor(input, alternativePriced(pm, alt, input.workload, region, now), ALL_LEVERS);
      if (cents < current && (!best || cents < best.cents)) best = { alt, cents };
    }
    if (best) {
      const saving = current - best.cents;
      out.push({
        lever: 'cheaper-model',
        modelId: pm.model.modelId,
        alternativeModelId: best.alt.modelId,
        savingCents: saving,
        message: `Move ${pm.model.name}'s ${pct(pm.share)} of traffic to ${best.alt.name} (${best.alt.modelId}), an active ${best.alt.class}-class ${best.alt.family} model: saves ${formatUsd(saving)} over ${input.workload.monthsToCover} months with the same levers (check quality on your evals first)`,
      });
    }
  });
  return out;
}

function pct(share: number): string {
  return `${Math.round(share * 10000) / 100}%`;
}

// ---------------------------------------------------------------------------------------------------------------
// Figures resting on stale, unverified or assumed data: each one named, with what it rests on, and warned about.

type Qualified = { figures: QualifiedFigure[]; warnings: Warning[]; notes: string[] };

function mergeQualified(parts: Qualified[]): Qualified {
  return { figures: parts.flatMap((p) => p.figures), warnings: parts.flatMap((p) => p.warnings), notes: parts.flatMap((p) => p.notes) };
}

/**
 * The minimum cacheable prefix behind each caching decision: a context below it is not cached (warned); a saving
 * that rests on an unverified minimum, or on none at all, is named when the context is shorter than the largest
 * minimum any source gives (a longer context is cached under every minimum known).
 */
function cacheMinimumFigures(input: ForecastInput, f: Forecast, card: RateCard): Qualified {
  const out: Qualified = { figures: [], warnings: [], notes: [] };
  const largest = Math.max(0, ...card.models.map((m) => m.minCacheablePrefix?.tokens ?? 0));
  const cacheable = input.workload.cacheableContextTokens;
  input.models.forEach((pm, i) => {
    const plan = f.plans[pm.model.modelId];
    const min = pm.model.minCacheablePrefix;
    const name = pm.model.name;
    const minText = min ? `${min.tokens} tokens (${min.verified ? '' : 'unverified, '}source: ${min.sources.join(', ')})` : '';
    if (plan?.belowCacheMinimum && min) {
      out.warnings.push({
        code: 'caching-below-minimum',
        message: `${name}: the ${cacheable} cacheable context tokens are below its minimum cacheable prefix of ${minText}, so Bedrock caches nothing and the forecast prices them as plain input; caching would need a reusable prefix of at least ${min.tokens} tokens`,
      });
      if (!min.verified) {
        out.figures.push({ figure: `${name} spend priced without caching`, basis: 'unverified', restsOn: `its minimum cacheable prefix of ${minText}`, modelId: pm.model.modelId });
      }
      return;
    }
    if (!plan?.cachingApplied) return;
    if (!min) out.notes.push(`${name}: no source gives its minimum cacheable prefix. ${card.minCacheablePrefixAssumption}`);
    if ((min && min.verified) || cacheable >= largest) return;
    const saving = usd(cachingSavingCents(input, f, i));
    const restsOn = min
      ? `its minimum cacheable prefix of ${minText}`
      : `the assumption that ${name} has no minimum cacheable prefix (no source gives one; sources give other Claude models up to ${largest} tokens)`;
    out.figures.push({ figure: `caching saving on ${name}`, basis: min ? 'unverified' : 'assumed', restsOn, modelId: pm.model.modelId, amountUsd: saving });
    out.warnings.push({
      code: min ? 'cache-minimum-unverified' : 'cache-minimum-assumed',
      amountUsd: saving,
      message: `${name}: the $${saving} caching saving on the ${cacheable}-token cacheable context rests on ${restsOn}; if the real minimum is above ${cacheable} tokens nothing is cached and spend is that much higher`,
    });
  });
  return out;
}

/** Long-context prices applied up to a window no source states. */
function contextWindowFigures(models: PricedModel[], w: SizingWorksheet['workload']): Qualified {
  const out: Qualified = { figures: [], warnings: [], notes: [] };
  for (const pm of models) {
    const lc = pm.model.longContextPricing;
    const source = pm.model.contextWindowSource;
    if (!lc || !source?.assumed || w.avgInputTokens <= lc.appliesAbove) continue;
    const figure = `${pm.model.name} long-context pricing of ${w.avgInputTokens}-token requests`;
    out.figures.push({ figure, basis: 'assumed', restsOn: `a ${pm.model.contextWindow}-token window (${source.note})`, modelId: pm.model.modelId });
    out.warnings.push({ code: 'context-window-assumed', message: `${figure}: requests above ${lc.appliesAbove} tokens are priced up to a ${pm.model.contextWindow}-token window that no source states for this model (${source.note})` });
  }
  return out;
}

function lowConfidenceFigures(models: PricedModel[]): Qualified {
  return {
    figures: models
      .filter((pm) => pm.model.confidence === 'low')
      .map((pm) => ({
        figure: `${pm.model.name} prices ($${pm.applied.prices.inputPer1M} in / $${pm.applied.prices.outputPer1M} out per 1M tokens) and its spend`,
        basis: 'unverified' as const,
        restsOn: `a single low-confidence source (${pm.model.sources.join(', ')})`,
        modelId: pm.model.modelId,
      })),
    // Warned about by lifecycleWarnings (price-low-confidence).
    warnings: [],
    notes: [],
  };
}

/** Filing figures resting on an unverified program ceiling (an ask capped at it) or an unverified default window. */
function programFigures(filings: { programId: ProgramId; programName: string; askUsd: string; coverageMonths: number }[], w: SizingWorksheet, programs: ProgramsData): Qualified {
  const out: Qualified = { figures: [], warnings: [], notes: [] };
  for (const filing of filings) {
    const program = programById(filing.programId, programs);
    if (!program.ceiling.verified && usdToCents(filing.askUsd) === usdToCents(program.ceiling.currentUsd)) {
      const figure = `${filing.programName} ask $${filing.askUsd} (capped at the program ceiling)`;
      out.figures.push({ figure, basis: 'unverified', restsOn: `the ${formatUsd(usdToCents(program.ceiling.currentUsd))} ceiling: ${program.ceiling.note}`, programId: filing.programId, amountUsd: filing.askUsd });
      out.warnings.push({ code: 'unverified-ceiling', amountUsd: filing.askUsd, message: `${figure} rests on an unverified ceiling: ${program.ceiling.note}` });
    }
    if (program.stackingRole === 'poc' && program.windowVerified === false && !w.useCase.poc.durationWeeks) {
      const figure = `${filing.programName} coverage of ${filing.coverageMonths} months and its ask $${filing.askUsd}`;
      out.figures.push({ figure, basis: 'assumed', restsOn: `the default ${program.defaultWindowMonths ?? filing.coverageMonths}-month POC window (unverified); give useCase.poc.durationWeeks to size it from the real POC`, programId: filing.programId, amountUsd: filing.askUsd });
      out.warnings.push({ code: 'poc-window-assumed', amountUsd: filing.askUsd, message: `${figure} rest on the default POC window, an unverified figure: give the POC's duration in weeks to size it from the real plan` });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------

const usd = centsToUsd;

function leverUsd(l: LeverCents) {
  return Object.fromEntries(LEVERS.map((k) => [k, usd(l[k])])) as Record<(typeof LEVERS)[number], string>;
}

function averageMonthly(values: Cents[]): Cents {
  const n = BigInt(Math.max(values.length, 1));
  return (sumCents(values) * 2n + n) / (2n * n);
}

function monthlySpendByService(f: Forecast): { service: string; monthlyUsd: string }[] {
  const services = f.months[0]?.otherServices.map((s) => s.service) ?? [];
  return [
    { service: 'Amazon Bedrock', monthlyUsd: usd(averageMonthly(f.months.map((m) => m.bedrockCents))) },
    ...services.map((service) => ({ service, monthlyUsd: usd(averageMonthly(f.months.map((m) => m.otherServices.find((s) => s.service === service)?.cents ?? 0n))) })),
  ];
}

function thirdPartyNote(f: Forecast, models: PricedModel[], programs: ProgramsData): Warning | undefined {
  const cents = sumCents(models.map((pm, i) => (pm.model.provider === 'Amazon' ? 0n : (f.byModel[i]?.totalCents ?? 0n))));
  if (cents === 0n) return undefined;
  return { code: 'third-party-models', amountUsd: usd(cents), message: `${formatUsd(cents)} of the forecast is third-party models on Bedrock. ${programs.thirdPartyModelNote}` };
}

function resolveHeadroom(opts: { headroom?: number }, programs: ProgramsData): { share: number; source: string } {
  if (opts.headroom === undefined) return { share: programs.sizingPolicy.headroomShare, source: `data/programs.json sizingPolicy: ${programs.sizingPolicy.headroomSource}` };
  if (!(opts.headroom >= 0 && opts.headroom <= 1)) throw new EstimateError(`headroom must be between 0 and 1, got ${opts.headroom}`);
  return { share: opts.headroom, source: 'set by the caller for this estimate' };
}

export function estimate(worksheet: SizingWorksheet, opts: EstimateOptions): Estimate {
  const card = opts.card ?? runtimeRateCard;
  const programs = opts.programs ?? runtimePrograms;
  const headroom = resolveHeadroom(opts, programs);
  const models = priceModels(worksheet, opts.now, card);
  assertFitsContextWindows(worksheet, models);
  const input = forecastInput(worksheet, models, headroom.share, programs);
  const f = runForecast(input);

  const suggestions = [...batchAndCachingSuggestions(input, f), ...cheaperModelSuggestions(input, f, worksheet.aws.region, opts.now, card)];
  const decisions = decideEligibility(worksheet, opts.now, programs);
  const plan = planFilings({ worksheet, forecast: f, decisions, headroomShare: headroom.share, ineligibleServices: ineligibleServices(worksheet, programs), data: programs });
  const poolUsd = opts.poolUsd ?? Number(usd(f.recommendedAskCents));
  const coverage = f.monthsCovered(poolUsd, programs.sizingPolicy.poolCoverageMaxMonths);
  const thirdParty = thirdPartyNote(f, models, programs);
  const filings = plan.filings;
  const dataAge = estimateDataAge({ 'data/rate-card.json': card, 'data/programs.json': programs }, opts.now);
  const qualified = mergeQualified([
    { figures: staleFigures(dataAge), warnings: staleDataWarnings(dataAge), notes: [] },
    cacheMinimumFigures(input, f, card),
    contextWindowFigures(models, worksheet.workload),
    lowConfidenceFigures(models),
    programFigures(filings, worksheet, programs),
  ]);

  return {
    ratesAsOf: card.asOf,
    programsAsOf: programs.asOf,
    computedAt: opts.now.toISOString(),
    currency: 'USD' as const,
    assumptions: {
      daysPerMonth: '365/12 (730 hours, the AWS Pricing Calculator month)',
      headroomShare: headroom.share,
      headroomSource: headroom.source,
      pricingRule: card.pricingRule,
      askRounding: programs.sizingPolicy.askRoundingNote,
      levers:
        'Optimized = the founder\'s batchable share and cache hit rate applied where they pay off per request (caching when cheaper than plain input at that hit rate; batch where the model has a batch price and a batch request is cheaper); batch requests get no caching. Naive = everything on-demand, no caching. Traffic compounds monthly; eval replays and other services are flat.',
    },
    models: models.map((pm, i) => {
      const w = f.byModel[i];
      const plan_ = f.plans[pm.model.modelId];
      const p = pm.applied.prices;
      return {
        modelId: pm.model.modelId,
        requestedId: pm.requestedId,
        name: pm.model.name,
        class: pm.model.class,
        share: pm.share,
        priceBasis: pm.applied.basis,
        priceNote: pm.applied.note,
        prices: {
          inputPer1M: p.inputPer1M,
          outputPer1M: p.outputPer1M,
          ...(p.batchInputPer1M !== undefined ? { batchInputPer1M: p.batchInputPer1M } : {}),
          ...(p.batchOutputPer1M !== undefined ? { batchOutputPer1M: p.batchOutputPer1M } : {}),
          ...(p.cacheWritePer1M !== undefined ? { cacheWritePer1M: p.cacheWritePer1M } : {}),
          ...(p.cacheReadPer1M !== undefined ? { cacheReadPer1M: p.cacheReadPer1M } : {}),
        },
        status: pm.lifecycle.status,
        ...(pm.lifecycle.eolDate ? { eolDate: pm.lifecycle.eolDate } : {}),
        batchApplied: plan_?.batchApplied ?? false,
        cachingApplied: plan_?.cachingApplied ?? false,
        windowUsd: usd(w?.totalCents ?? 0n),
        naiveWindowUsd: usd(w?.naiveCents ?? 0n),
        levers: leverUsd(w?.levers ?? Object.fromEntries(LEVERS.map((l) => [l, 0n])) as LeverCents),
        evalHarnessUsd: usd(w?.evalHarnessCents ?? 0n),
      };
    }),
    forecast: {
      months: f.months.map((m) => ({
        month: m.month,
        trafficRequests: m.trafficRequests,
        models: m.models.map((mm) => ({ modelId: mm.modelId, traffic: leverUsd(mm.traffic), evalHarness: leverUsd(mm.evalHarness), totalUsd: usd(mm.totalCents) })),
        bedrockUsd: usd(m.bedrockCents),
        evalHarnessUsd: usd(m.evalHarnessCents),
        otherServices: m.otherServices.map((s) => ({ service: s.service, monthlyUsd: usd(s.cents) })),
        otherServicesUsd: usd(m.otherServicesCents),
        subtotalUsd: usd(m.subtotalCents),
        headroomUsd: usd(m.headroomCents),
        totalUsd: usd(m.totalCents),
        naiveSubtotalUsd: usd(m.naiveSubtotalCents),
      })),
      monthlySpendByService: monthlySpendByService(f),
      bedrockUsd: usd(f.bedrockCents),
      evalHarnessUsd: usd(f.evalHarnessCents),
      otherServicesUsd: usd(f.otherServicesCents),
      optimizedUsd: usd(f.subtotalCents),
      naiveUsd: usd(f.naiveSubtotalCents),
      naiveBedrockUsd: usd(f.naiveBedrockCents),
      headroomUsd: usd(f.headroomCents),
      totalUsd: usd(f.totalCents),
      recommendedAskUsd: usd(f.recommendedAskCents),
    },
    poolCoverage: { poolUsd: usd(coverage.poolCents), naiveMonths: coverage.naiveMonths, optimizedMonths: coverage.optimizedMonths, horizonMonths: coverage.horizonMonths },
    levers: suggestions
      .sort((a, b) => (b.savingCents > a.savingCents ? 1 : b.savingCents < a.savingCents ? -1 : 0))
      .map((s) => ({ lever: s.lever, modelId: s.modelId, ...(s.alternativeModelId ? { alternativeModelId: s.alternativeModelId } : {}), applied: s.lever !== 'cheaper-model', savingUsd: usd(s.savingCents), message: s.message })),
    programs: decisions,
    plan: {
      filings: plan.filings,
      totalAskUsd: usd(plan.totalAskCents),
      outOfPocketUsd: usd(plan.outOfPocketCents),
      forfeitedUsd: usd(plan.forfeitedCents),
      uncoveredSpendUsd: usd(plan.uncoveredSpendCents),
    },
    warnings: [...qualified.warnings.filter((x) => x.code === 'stale-data'), ...lifecycleWarnings(models, opts.now, card), ...qualified.warnings.filter((x) => x.code !== 'stale-data'), ...plan.warnings, ...(thirdParty ? [thirdParty] : [])],
    notes: [
      ...models.map((pm) => `${pm.model.name}: ${pm.applied.note}`),
      ...Object.values(f.plans).flatMap((p) => p.notes),
      ...plan.notes,
      ...qualified.notes,
      'Provisioned Throughput is not modelled: on-demand/batch token prices only.',
      `Credit expiry figures are typical, not guaranteed: read the real expiry from the award (CreditCode.ExpiresAt).`,
    ],
    dataAge,
    qualifiedFigures: qualified.figures,
  };
}


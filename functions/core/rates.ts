/**
 * The rate card, checked at build and trusted at run: `data/rate-card.json` is validated against its schema by
 * functions/core/data-checks.ts (the unit tests and every synth; a broken card fails them with field paths), so a
 * function's cold start does not build the schema and walk 41 KB of data again (issue 11 §1). Lookups accept inference-profile ids (`global.`, `us.`, ...), and the prefix
 * decides which price applies (see `pricingRule` in the card).
 */
import { closest, distance } from 'fastest-levenshtein';
import rawRateCard from '../../data/rate-card.json' with { type: 'json' };
import type { ModelStatus, Prices, RateCard, RateModel } from '../../schemas/rate-card.ts';
import type { FieldProblem } from '../../schemas/issues.ts';
import { ValidationError } from './errors.ts';
import { splitProfile, type ProfileKind } from './model-ids.ts';

export type { ProfileKind };

export type { RateCard, RateModel, Prices, ModelStatus };

/**
 * An unknown model id is a worksheet problem: a ValidationError (so the HTTP layer and the CLI report it as
 * `{ field, rule }` like any other) that also carries the closest known ids.
 */
export class UnknownModelError extends ValidationError {
  constructor(
    readonly modelId: string,
    readonly suggestions: string[],
    /** Where the id came from, e.g. `workload.models[0].modelId`. */
    readonly field = 'modelId',
  ) {
    super([unknownModelProblem(field, suggestions)], `unknown Bedrock model id "${modelId}"${suggestions.length ? `; did you mean ${suggestions.map((s) => `"${s}"`).join(', ')}?` : ''}`);
  }

  toFieldProblem(): FieldProblem {
    return unknownModelProblem(this.field, this.suggestions);
  }
}

function unknownModelProblem(field: string, suggestions: string[]): FieldProblem {
  const hint = suggestions.length ? `; closest known ids: ${suggestions.join(', ')}` : '';
  return { field, rule: `must be a Bedrock model id from the rate card${hint}` };
}

/** Checked at build (functions/core/data-checks.ts, run by the unit tests and every synth), trusted at run time. */
export const rateCard = rawRateCard as unknown as RateCard;

export type ResolvedModel = {
  model: RateModel;
  /** The id exactly as given (may carry a profile prefix). */
  requestedId: string;
  profile: ProfileKind;
};

export function findModel(id: string, card: RateCard = rateCard): RateModel | undefined {
  const trimmed = id.trim();
  const { base } = splitProfile(trimmed);
  return card.models.find((m) => m.modelId === base || m.modelId === trimmed || m.inferenceProfiles.includes(trimmed));
}

/** The known ids closest to a typo, by edit distance (closest first, at most `count`). */
export function suggestModelIds(id: string, card: RateCard = rateCard, count = 3): string[] {
  const { base } = splitProfile(id.trim());
  const ids = card.models.map((m) => m.modelId);
  const best = closest(base, ids);
  const ranked = ids
    .map((candidate) => ({ candidate, d: distance(base, candidate) }))
    .sort((a, b) => a.d - b.d || a.candidate.localeCompare(b.candidate))
    .map((r) => r.candidate);
  return [best, ...ranked.filter((c) => c !== best)].slice(0, count);
}

/** Look a model up or throw UnknownModelError with the closest known ids. */
export function resolveModel(id: string, opts: { card?: RateCard; field?: string } = {}): ResolvedModel {
  const card = opts.card ?? rateCard;
  const model = findModel(id, card);
  if (!model) throw new UnknownModelError(id, suggestModelIds(id, card), opts.field);
  return { model, requestedId: id, profile: splitProfile(id.trim()).profile };
}

export type Lifecycle = {
  status: ModelStatus;
  eolDate?: string;
  /** EOL, or legacy past its EOL date: requests fail or soon will. */
  discontinued: boolean;
};

/** Status as of `now`: a legacy model whose EOL date has passed is EOL. */
export function lifecycleAt(model: RateModel, now: Date): Lifecycle {
  const today = now.toISOString().slice(0, 10);
  const pastEol = model.eolDate !== undefined && model.eolDate <= today;
  const status: ModelStatus = pastEol ? 'eol' : model.status;
  return { status, ...(model.eolDate ? { eolDate: model.eolDate } : {}), discontinued: status === 'eol' };
}

export type PriceBasis = 'global' | 'regional' | 'list';

export type AppliedPrices = { prices: Prices; basis: PriceBasis; note: string };

/**
 * Which price applies. Global cross-Region price when the model has one (cheapest; the profile we recommend),
 * the regional (geo / in-Region) price when the founder named a geo profile, otherwise the single list price.
 * GovCloud and non-US Regions are not priced separately in the card: say so rather than guess a multiplier.
 * When the request's input (`avgInputTokens`) exceeds the model's long-context threshold, the long-context sheet
 * of that basis applies to the whole request.
 */
export function applicablePrices(resolved: ResolvedModel, region: string, avgInputTokens = 0): AppliedPrices {
  const base = basePrices(resolved, region);
  const lc = resolved.model.longContextPricing;
  if (!lc || avgInputTokens <= lc.appliesAbove) return base;
  // AWS bills every token of a request above the threshold at the long-context rates.
  const tier = `; long-context rates: ${avgInputTokens} input tokens a request is above ${lc.appliesAbove}, so the whole request is billed at them (${lc.note})`;
  if (base.basis === 'regional') {
    return lc.regionalPricing
      ? { prices: lc.regionalPricing, basis: base.basis, note: `${base.note}${tier}` }
      : { prices: lc.pricing, basis: base.basis, note: `${base.note}${tier}; no regional long-context price is listed, so the global one is used (the geo profile may cost about 10% more)` };
  }
  return { prices: lc.pricing, basis: base.basis, note: `${base.note}${tier}` };
}

/**
 * The problem with a request shape that cannot fit `model`'s context window (input + output; an embedding model
 * produces no output tokens), or undefined when it fits or the card gives no window.
 */
export function contextWindowProblem(model: RateModel, w: { avgInputTokens: number; avgOutputTokens: number }): FieldProblem | undefined {
  if (model.contextWindow === undefined) return undefined;
  if (model.kind === 'embedding') {
    return w.avgInputTokens > model.contextWindow ? { field: 'workload.avgInputTokens', rule: `must fit the context window of ${model.name} (${model.contextWindow} tokens)` } : undefined;
  }
  return w.avgInputTokens + w.avgOutputTokens > model.contextWindow
    ? { field: 'workload.avgInputTokens', rule: `must fit the context window of ${model.name} (${model.contextWindow} tokens) together with avgOutputTokens` }
    : undefined;
}

function basePrices(resolved: ResolvedModel, region: string): AppliedPrices {
  const { model, profile } = resolved;
  const regionNote = regionCaveat(model, region);
  if (model.pricingBasis === 'global' && model.regionalPricing) {
    if (profile === 'geo') {
      return { prices: model.regionalPricing, basis: 'regional', note: `geo profile ${resolved.requestedId}: regional price (about 10% above global)${regionNote}` };
    }
    return { prices: model.pricing, basis: 'global', note: `global cross-Region profile global.${model.modelId}: global price${regionNote}` };
  }
  return { prices: model.pricing, basis: 'list', note: `single list price (us-east-1 unless noted)${regionNote}` };
}

function regionCaveat(model: RateModel, region: string): string {
  if (region.startsWith('us-gov-')) return `; ${region} is GovCloud, priced about 1.2x commercial for some models and not in the rate card`;
  if (model.pricingBasis === 'single' && !['us-east-1', 'us-east-2', 'us-west-2'].includes(region)) {
    return `; ${region} may cost more than the us-east-1 list price (see the rate card's regionalRules)`;
  }
  return '';
}

/** Active text models of the same family and class, for "a cheaper model of the same class" (never EOL, never low confidence). */
export function sameClassAlternatives(model: RateModel, now: Date, card: RateCard = rateCard): RateModel[] {
  return card.models.filter(
    (m) =>
      m.modelId !== model.modelId &&
      m.family === model.family &&
      m.class === model.class &&
      m.kind === model.kind &&
      m.confidence !== 'low' &&
      lifecycleAt(m, now).status === 'active',
  );
}

/** Models usable as defaults or in generated examples: active as of `now` (never EOL, legacy or preview). */
export function activeModels(now: Date, card: RateCard = rateCard): RateModel[] {
  return card.models.filter((m) => lifecycleAt(m, now).status === 'active');
}

/**
 * The rate card, checked at build and trusted at run: `data/rate-card.json` is validated against its schema by
 * functions/core/data-checks.ts (the unit tests and every synth; a broken card fails them with field paths), so a
 * function's cold start does not build the schema and walk the data again (issue 11 §1). The functions read its
 * run-time projection, data/runtime/rate-card.json (the same models without notes and the card's prose; made by
 * `npm run gen:runtime-data`, checked by data-checks.ts). Lookups accept inference-profile ids (`global.`, `us.`,
 * ...), and the prefix decides which price applies (see `pricingRule` in the card). Model ids, names and context
 * windows alone (intake, the brief drafter) are in ./model-catalog.ts, which does not load the prices; both look
 * models up the same way (./model-lookup.ts).
 */
import rawRateCard from '../../data/rate-card.json' with { type: 'json' };
import runtimeCard from '../../data/runtime/rate-card.br.ts';
import type { ModelStatus, Prices, RateCard } from '../../schemas/rate-card.ts';
import type { RuntimeRateCard, RuntimeRateModel } from '../../schemas/runtime-data.ts';
import { contextWindowProblem, findIn, suggestModelIds as suggestIn, UnknownModelError } from './model-lookup.ts';
import { splitProfile, type ProfileKind } from './model-ids.ts';
import { unpackRateCard, type PackedRateCard } from './packed-data.ts';
import { inflateJson } from './compressed-data.ts';

export type { ProfileKind };

/** A model as the functions read it (the card's model without its prose); a whole card's model is one too. */
export type RateModel = RuntimeRateModel;
export type { RateCard, RuntimeRateCard, Prices, ModelStatus };
export { contextWindowProblem, UnknownModelError };

/**
 * The whole card as it is in data/ (sources, notes, prose): for people, tests and the CLI. No function reads it: a
 * handler that did would bundle all of it.
 */
export const rateCard = rawRateCard as unknown as RateCard;

/**
 * What the functions read: data/runtime/rate-card.json (packed, ./packed-data.ts), loaded from its compressed module
 * (./compressed-data.ts), checked at build (data-checks.ts), trusted at run time, inflated and unpacked once at load.
 */
export const runtimeRateCard: RuntimeRateCard = /* @__PURE__ */ unpackRateCard(/* @__PURE__ */ inflateJson<PackedRateCard>(runtimeCard));

export type ResolvedModel = {
  model: RateModel;
  /** The id exactly as given (may carry a profile prefix). */
  requestedId: string;
  profile: ProfileKind;
};

export function findModel(id: string, card: RuntimeRateCard = runtimeRateCard): RateModel | undefined {
  return findIn(card.models, id);
}

/** The known ids closest to a typo, by edit distance (closest first, at most `count`). */
export function suggestModelIds(id: string, card: RuntimeRateCard = runtimeRateCard, count = 3): string[] {
  return suggestIn(id, card, count);
}

/** Look a model up or throw UnknownModelError with the closest known ids. */
export function resolveModel(id: string, opts: { card?: RuntimeRateCard; field?: string } = {}): ResolvedModel {
  const card = opts.card ?? runtimeRateCard;
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
export function sameClassAlternatives(model: RateModel, now: Date, card: RuntimeRateCard = runtimeRateCard): RateModel[] {
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
export function activeModels(now: Date, card: RuntimeRateCard = runtimeRateCard): RateModel[] {
  return card.models.filter((m) => lifecycleAt(m, now).status === 'active');
}

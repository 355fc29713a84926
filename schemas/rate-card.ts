/**
 * The Bedrock rate card (`data/rate-card.json`): per-model token prices, lifecycle and class, dated and sourced.
 * Derived from the shared reference by `scripts/derive-rate-card.ts`; prices are data, so updating them never
 * touches code. Strict objects: a renamed field in a hand edit fails the load instead of silently pricing at zero.
 */
import * as z from 'zod/mini';

const isoDate = z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be a date YYYY-MM-DD'));
const price = () =>
  z.number().check(z.gte(0, 'must be a price >= 0 (USD per 1M tokens)'), z.lte(1000, 'must be <= 1000 USD per 1M tokens'));
const nonEmpty = () => z.string().check(z.minLength(1, 'is required'));

export const MODEL_STATUSES = ['active', 'legacy', 'preview', 'eol', 'unknown'] as const;
export const ModelStatus = z.enum(MODEL_STATUSES, `must be one of: ${MODEL_STATUSES.join(', ')}`);
export type ModelStatus = z.infer<typeof ModelStatus>;

/** Capability tier used for "a cheaper model of the same class" suggestions (assigned as data, see `classNote`). */
export const MODEL_CLASSES = ['frontier', 'mid', 'small', 'embedding'] as const;
export const ModelClass = z.enum(MODEL_CLASSES, `must be one of: ${MODEL_CLASSES.join(', ')}`);
export type ModelClass = z.infer<typeof ModelClass>;

export const MODEL_KINDS = ['text', 'embedding'] as const;

/** One price sheet, USD per 1M tokens. Absent optional fields mean "not offered / not listed by any source". */
export const Prices = z.strictObject({
  inputPer1M: price(),
  outputPer1M: price(),
  batchInputPer1M: z.optional(price()),
  batchOutputPer1M: z.optional(price()),
  /** 5-minute-TTL cache write (GPT-5.6: 30-minute). */
  cacheWritePer1M: z.optional(price()),
  cacheWrite1hPer1M: z.optional(price()),
  cacheReadPer1M: z.optional(price()),
});
export type Prices = z.infer<typeof Prices>;

export const PRICING_BASES = ['global', 'single'] as const;

const tokens = () => z.number().check(z.int('must be a whole number'), z.gt(0, 'must be > 0'));

/**
 * Long-context tier: a request whose input exceeds `appliesAbove` tokens is billed, all of its tokens, at these
 * prices instead (`pricing` for the global / single price, `regionalPricing` for a geo profile where listed).
 */
export const LongContextPricing = z.strictObject({
  appliesAbove: tokens(),
  pricing: Prices,
  regionalPricing: z.optional(Prices),
  /** Where the prices come from (a listed price set, or the reference's multiplier rule applied at derivation). */
  note: nonEmpty(),
});
export type LongContextPricing = z.infer<typeof LongContextPricing>;

/**
 * Shortest prompt prefix the model caches, with where the figure comes from. Below it Bedrock caches nothing and
 * raises no error: the cacheable context is billed as plain input. `verified: false` marks a secondary source.
 */
export const MinCacheablePrefix = z.strictObject({
  tokens: tokens(),
  sources: z.array(nonEmpty()).check(z.minLength(1, 'must name at least one source')),
  verified: z.boolean(),
  note: z.optional(nonEmpty()),
});
export type MinCacheablePrefix = z.infer<typeof MinCacheablePrefix>;

/** Where a context window other than the reference table's comes from; `assumed: true` when no source states it. */
export const ContextWindowSource = z.strictObject({
  note: nonEmpty(),
  assumed: z.boolean(),
});

export const RateModel = z
  .strictObject({
    modelId: nonEmpty(),
    name: nonEmpty(),
    provider: nonEmpty(),
    /** Model family within the provider (claude, nova, llama, ...): suggestions stay inside it. */
    family: nonEmpty(),
    class: ModelClass,
    kind: z.enum(MODEL_KINDS, `must be one of: ${MODEL_KINDS.join(', ')}`),
    /**
     * `global`: `pricing` is the Global cross-Region (global.) profile price and `regionalPricing` the geo
     * profile / in-Region price. `single`: one list price (us-east-1 unless a note says otherwise).
     */
    pricingBasis: z.enum(PRICING_BASES, `must be one of: ${PRICING_BASES.join(', ')}`),
    pricing: Prices,
    regionalPricing: z.optional(Prices),
    inferenceProfiles: z.array(nonEmpty()),
    /** Largest request (input + output) the model takes, long-context mode included. */
    contextWindow: z.optional(tokens()),
    /** Present when the window is not the reference table's figure (e.g. a long-context mode beyond it). */
    contextWindowSource: z.optional(ContextWindowSource),
    longContextPricing: z.optional(LongContextPricing),
    /** Absent: no source gives one (the card's `minCacheablePrefixAssumption` says what the sizing does then). */
    minCacheablePrefix: z.optional(MinCacheablePrefix),
    status: ModelStatus,
    eolDate: z.optional(isoDate),
    /** True when the EOL date was derived rather than published (verify before relying on it). */
    eolDateApproximate: z.optional(z.boolean()),
    /** The source's own lifecycle wording, kept verbatim. */
    lifecycleNote: nonEmpty(),
    confidence: z.enum(['high', 'medium', 'low'], 'must be one of: high, medium, low'),
    confidenceNote: z.optional(nonEmpty()),
    sources: z.array(nonEmpty()).check(z.minLength(1, 'must name at least one source')),
    notes: z.optional(nonEmpty()),
  })
  .check(
    z.refine((m) => m.pricingBasis !== 'global' || m.regionalPricing !== undefined, {
      message: 'is required when pricingBasis is global',
      path: ['regionalPricing'],
    }),
    z.refine((m) => m.status !== 'eol' || m.eolDate !== undefined || /not|unknown/i.test(m.lifecycleNote), {
      message: 'is required when status is eol',
      path: ['eolDate'],
    }),
    z.refine((m) => !m.longContextPricing || m.contextWindow === undefined || m.longContextPricing.appliesAbove < m.contextWindow, {
      message: 'must be below the context window: a long-context price applies between its threshold and the window',
      path: ['longContextPricing', 'appliesAbove'],
    }),
    z.refine((m) => m.kind !== 'text' || (m.pricing.batchInputPer1M === undefined) === (m.pricing.batchOutputPer1M === undefined), {
      message: 'a text model lists both batch input and batch output prices, or neither',
      path: ['pricing', 'batchOutputPer1M'],
    }),
  );
export type RateModel = z.infer<typeof RateModel>;

export const RateSource = z.strictObject({
  id: nonEmpty(),
  name: nonEmpty(),
  /** As the source states it (some carry a qualifier, e.g. "2026-07-17 (file header ...)"). */
  date: nonEmpty(),
  notes: z.optional(nonEmpty()),
});

export const RateCard = z
  .strictObject({
    /** Date of the primary price capture (ISO). Newer individual items are dated up to `newestItemDate`. */
    asOf: isoDate,
    newestItemDate: isoDate,
    compiledOn: isoDate,
    asOfNote: nonEmpty(),
    currency: z.literal('USD', 'must be USD'),
    unit: z.literal('USD per 1M tokens', 'must be "USD per 1M tokens"'),
    derivedFrom: nonEmpty(),
    /** Which price the sizing applies, in words (also printed in every estimate). */
    pricingRule: nonEmpty(),
    classNote: nonEmpty(),
    /** How `minCacheablePrefix` was assigned, with its sources. */
    minCacheablePrefixRule: nonEmpty(),
    /** What the sizing assumes for a model no source gives a minimum for (printed in the estimate). */
    minCacheablePrefixAssumption: nonEmpty(),
    regionalRules: z.array(nonEmpty()),
    sources: z.array(RateSource).check(z.minLength(1, 'must list at least one source')),
    models: z.array(RateModel).check(z.minLength(1, 'must list at least one model')),
  })
  .check(
    z.refine((c) => new Set(c.models.map((m) => m.modelId)).size === c.models.length, {
      message: 'each modelId may be listed once',
      path: ['models'],
    }),
    z.refine((c) => c.models.every((m) => m.sources.every((s) => c.sources.some((src) => src.id === s))), {
      message: 'every model source must be one of the listed sources',
      path: ['models'],
    }),
    z.refine((c) => c.models.every((m) => (m.minCacheablePrefix?.sources ?? []).every((s) => c.sources.some((src) => src.id === s))), {
      message: 'every minCacheablePrefix source must be one of the listed sources',
      path: ['models'],
    }),
  );
export type RateCard = z.infer<typeof RateCard>;

/**
 * Derives `data/rate-card.json` from the shared reference `bedrock-rates.json`.
 *
 *   npx tsx scripts/derive-rate-card.ts [path/to/bedrock-rates.json] [out.json]
 *
 * What it does beyond copying: normalises the free-text lifecycle into a status enum (+ eolDate), assigns each
 * model a family and a class (frontier / mid / small / embedding, as data, see CLASS_BY_MODEL), adds each model's
 * minimum cacheable prefix with its source (MIN_CACHEABLE_BY_MODEL) and the long-context windows the table omits
 * (LONG_CONTEXT_WINDOWS), keeps only the price fields the sizing uses, and validates the result with the same schema the loader uses. Re-run it when the
 * reference is updated; review the diff of the JSON like any other change.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RateCard, type ModelClass, type ModelStatus, type Prices } from '../schemas/rate-card.ts';
import { parseWith } from '../schemas/issues.ts';

// The reference price file lives beside the project checkout (shared/reference), as in every clone of it.
const DEFAULT_IN = fileURLToPath(new URL('../../shared/reference/bedrock-rates.json', import.meta.url));
const DEFAULT_OUT = fileURLToPath(new URL('../data/rate-card.json', import.meta.url));

type RawPrices = Partial<Record<keyof Prices, number>> & { note?: string };
type RawLongContext = RawPrices & { appliesAbove: number; rule?: string; source?: string };
type RawModel = RawPrices & {
  modelId: string;
  provider: string;
  name: string;
  kind: string;
  contextWindow?: number;
  pricingBasis?: string;
  regionalPricing?: RawPrices;
  longContextPricing?: RawLongContext;
  inferenceProfiles?: string[];
  lifecycle: string;
  eolDate?: string;
  confidence: string;
  sources: string[];
  notes?: string;
};
type RawCard = {
  source: { id: string; name: string; date: string; notes?: string }[];
  asOf: string;
  regionalRules: string[];
  models: RawModel[];
};

/**
 * Family and class per model, assigned by hand from the provider's own line-up (largest / middle / smallest tier).
 * Class is a capability tier, not a price band: suggestions only swap within the same family and class.
 */
const CLASS_BY_MODEL: Record<string, [family: string, cls: ModelClass]> = {
  'anthropic.claude-sonnet-5': ['claude', 'mid'],
  'anthropic.claude-sonnet-5-5': ['claude', 'mid'],
  'anthropic.claude-sonnet-4-6': ['claude', 'mid'],
  'anthropic.claude-sonnet-4-5-20250929-v1:0': ['claude', 'mid'],
  'anthropic.claude-sonnet-4-20250514-v1:0': ['claude', 'mid'],
  'anthropic.claude-opus-5-5': ['claude', 'frontier'],
  'anthropic.claude-opus-5': ['claude', 'frontier'],
  'anthropic.claude-opus-4-8': ['claude', 'frontier'],
  'anthropic.claude-opus-4-7': ['claude', 'frontier'],
  'anthropic.claude-opus-4-6-v1': ['claude', 'frontier'],
  'anthropic.claude-opus-4-5-20251101-v1:0': ['claude', 'frontier'],
  'anthropic.claude-opus-4-1-20250805-v1:0': ['claude', 'frontier'],
  'anthropic.claude-opus-4-20250514-v1:0': ['claude', 'frontier'],
  'anthropic.claude-haiku-4-5-20251001-v1:0': ['claude', 'small'],
  'anthropic.claude-3-5-haiku-20241022-v1:0': ['claude', 'small'],
  'anthropic.claude-3-haiku-20240307-v1:0': ['claude', 'small'],
  'anthropic.claude-fable-5': ['claude', 'frontier'],
  'anthropic.claude-fable-5-1': ['claude', 'frontier'],
  'amazon.nova-micro-v1:0': ['nova', 'small'],
  'amazon.nova-lite-v1:0': ['nova', 'small'],
  'amazon.nova-pro-v1:0': ['nova', 'mid'],
  'amazon.nova-premier-v1:0': ['nova', 'frontier'],
  'amazon.nova-2-lite-v1:0': ['nova', 'small'],
  'amazon.nova-2-pro-preview-20251202-v1:0': ['nova', 'mid'],
  'amazon.titan-embed-text-v2:0': ['titan-embed', 'embedding'],
  'amazon.titan-embed-text-v1': ['titan-embed', 'embedding'],
  'amazon.nova-2-multimodal-embeddings-v1:0': ['nova-embed', 'embedding'],
  'meta.llama4-maverick-17b-instruct-v1:0': ['llama', 'mid'],
  'meta.llama4-scout-17b-instruct-v1:0': ['llama', 'small'],
  'meta.llama3-3-70b-instruct-v1:0': ['llama', 'mid'],
  'meta.llama3-1-8b-instruct-v1:0': ['llama', 'small'],
  'meta.llama3-1-70b-instruct-v1:0': ['llama', 'mid'],
  'meta.llama3-1-405b-instruct-v1:0': ['llama', 'frontier'],
  'meta.llama3-2-11b-instruct-v1:0': ['llama', 'small'],
  'meta.llama3-2-90b-instruct-v1:0': ['llama', 'mid'],
  'mistral.mistral-large-3-675b-instruct': ['mistral', 'mid'],
  'mistral.pixtral-large-2502-v1:0': ['mistral', 'mid'],
  'mistral.magistral-small-2509': ['mistral', 'small'],
  'mistral.ministral-3-8b-instruct': ['mistral', 'small'],
  'mistral.devstral-2-123b': ['mistral', 'mid'],
  'cohere.command-r-plus-v1:0': ['command', 'mid'],
  'cohere.command-r-v1:0': ['command', 'small'],
  'cohere.embed-v4:0': ['cohere-embed', 'embedding'],
  'cohere.embed-english-v3': ['cohere-embed', 'embedding'],
  'cohere.embed-multilingual-v3': ['cohere-embed', 'embedding'],
  'deepseek.r1-v1:0': ['deepseek', 'mid'],
  'deepseek.v3.2': ['deepseek', 'mid'],
  'deepseek.v3-v1:0': ['deepseek', 'mid'],
  'openai.gpt-oss-120b-1:0': ['gpt-oss', 'mid'],
  'openai.gpt-oss-20b-1:0': ['gpt-oss', 'small'],
  'openai.gpt-5.6-sol': ['gpt-5', 'frontier'],
  'openai.gpt-5.6-terra': ['gpt-5', 'mid'],
  'openai.gpt-5.6-luna': ['gpt-5', 'small'],
  'qwen.qwen3-235b-a22b-2507-v1:0': ['qwen', 'mid'],
  'qwen.qwen3-coder-480b-a35b-v1:0': ['qwen', 'mid'],
  'qwen.qwen3-32b-v1:0': ['qwen', 'small'],
  'moonshotai.kimi-k2.5': ['kimi', 'mid'],
  'zai.glm-5': ['glm', 'mid'],
  'minimax.minimax-m2.5': ['minimax', 'mid'],
  'writer.palmyra-x5-v1:0': ['palmyra', 'mid'],
  'google.gemma-3-27b-it': ['gemma', 'small'],
};

const CLASS_NOTE =
  'class is a capability tier within a model family, assigned by hand in scripts/derive-rate-card.ts from each ' +
  "provider's line-up (largest = frontier, middle = mid, smallest = small; embeddings apart). It is not a price band " +
  'and is used only to suggest "a cheaper active model of the same family and class".';

const PRICING_RULE =
  'Models with a global/regional split are priced at the Global cross-Region inference profile (global.) price, ' +
  'the cheapest way to call them and the one we recommend; a model id given with a geo prefix (us., eu., apac., ' +
  'jp., au.) is priced at the regionalPricing (geo profile / in-Region, about +10%). Other models have one list ' +
  'price, us-east-1 unless noted; other Regions can cost more (see regionalRules). GovCloud is not priced here.';

const PRICE_KEYS = ['inputPer1M', 'outputPer1M', 'batchInputPer1M', 'batchOutputPer1M', 'cacheWritePer1M', 'cacheWrite1hPer1M', 'cacheReadPer1M'] as const;

function pickPrices(raw: RawPrices): Prices {
  const out: Record<string, number> = {};
  for (const key of PRICE_KEYS) if (typeof raw[key] === 'number') out[key] = raw[key];
  return out as Prices;
}

/**
 * Sources this script adds to the reference's own list: the per-model minimum cacheable prefix is not in
 * bedrock-rates.json but in programs-and-peers.md (Bedrock cost levers, correction of 2026-11-29).
 */
const CACHE_MINIMUM_SOURCES = [
  {
    id: 'anthropic-caching',
    name: "Anthropic prompt-caching documentation, minimum cacheable prompt length per model, as quoted in an anthropic-sdk-python issue (2026); recorded in shared/reference/programs-and-peers.md, Bedrock cost levers, correction of 2026-11-29",
    date: '2026-11-29',
    notes: 'Primary source for the minimum cacheable prefix (Bedrock applies the model\'s own minimum per cache checkpoint). Date is when the reference recorded the quote; the page itself is undated in the quote.',
  },
  {
    id: 'devto-caching',
    name: "dev.to write-up \"Claude's prompt cache fails silently below 1,024 tokens\" (2026), as recorded in shared/reference/programs-and-peers.md, correction of 2026-11-29",
    date: '2026-11-29',
    notes: 'Secondary source: the only one for the minimums of Opus 5, Opus 4.7, Opus 4.8, Sonnet 5 and Fable 5. Figures from it are marked unverified.',
  },
];

const ANTHROPIC = { sources: ['anthropic-caching'], verified: true };
const SECONDARY = { sources: ['devto-caching'], verified: false, note: 'secondary source only (dev.to write-up): unverified' };

/**
 * Minimum cacheable prompt prefix per model (tokens), by source. The family rule this replaces ("Sonnet and Opus
 * 1,024, Haiku 4,096", [B6]) was wrong for Opus 4.5/4.6 (4,096) and Haiku 3.x (2,048). Models absent here have
 * no minimum from any source: see MIN_CACHEABLE_ASSUMPTION.
 */
const MIN_CACHEABLE_BY_MODEL: Record<string, { tokens: number; sources: string[]; verified: boolean; note?: string }> = {
  'anthropic.claude-opus-4-6-v1': { tokens: 4096, ...ANTHROPIC },
  'anthropic.claude-opus-4-5-20251101-v1:0': { tokens: 4096, ...ANTHROPIC },
  'anthropic.claude-sonnet-4-6': { tokens: 1024, ...ANTHROPIC, note: "one gateway's table lists 2,048 (conflicting); Anthropic's own page says 1,024" },
  'anthropic.claude-sonnet-4-5-20250929-v1:0': { tokens: 1024, ...ANTHROPIC },
  'anthropic.claude-sonnet-4-20250514-v1:0': { tokens: 1024, ...ANTHROPIC },
  'anthropic.claude-opus-4-1-20250805-v1:0': { tokens: 1024, ...ANTHROPIC },
  'anthropic.claude-opus-4-20250514-v1:0': { tokens: 1024, ...ANTHROPIC },
  'anthropic.claude-haiku-4-5-20251001-v1:0': { tokens: 4096, ...ANTHROPIC },
  'anthropic.claude-3-5-haiku-20241022-v1:0': { tokens: 2048, ...ANTHROPIC },
  'anthropic.claude-3-haiku-20240307-v1:0': { tokens: 2048, ...ANTHROPIC },
  'anthropic.claude-opus-5': { tokens: 512, ...SECONDARY },
  'anthropic.claude-fable-5': { tokens: 512, ...SECONDARY },
  'anthropic.claude-opus-4-8': { tokens: 1024, ...SECONDARY },
  'anthropic.claude-sonnet-5': { tokens: 1024, ...SECONDARY },
  'anthropic.claude-opus-4-7': { tokens: 2048, ...SECONDARY },
};

const MIN_CACHEABLE_RULE =
  'minCacheablePrefix per model, with its sources: Anthropic\'s prompt-caching page [anthropic-caching] for Opus 4.6 and 4.5 ' +
  '(4,096), Sonnet 4.6, 4.5, 4, Opus 4.1 and 4 (1,024), Haiku 4.5 (4,096), Haiku 3.5 and 3 (2,048); a secondary write-up ' +
  '[devto-caching] for Opus 5 and Fable 5 (512), Opus 4.8 and Sonnet 5 (1,024) and Opus 4.7 (2,048), marked verified: false. ' +
  'Replaces the family rule "Sonnet/Opus 1,024, Haiku 4,096" (programs-and-peers.md [B6]), corrected 2026-11-29. Below the ' +
  'minimum Bedrock caches nothing and raises no error, so the sizing bills that context as plain input.';

const MIN_CACHEABLE_ASSUMPTION =
  'Where no source gives a model\'s minimum (Sonnet 5.5, Opus 5.5, Fable 5.1, Nova, GPT-5.6 and every model without a ' +
  'cache price), no minimum is applied: caching is priced at any cacheable length. The estimate warns when such a model, ' +
  'or one whose minimum is unverified, caches a context shorter than the largest minimum any source gives, naming the ' +
  'caching saving that rests on the assumption.';

export function minCacheablePrefix(modelId: string) {
  return MIN_CACHEABLE_BY_MODEL[modelId];
}

/**
 * Context windows beyond the reference table's figure. The table gives Sonnet 4.5 and Sonnet 4 a 200K window equal
 * to their long-context threshold, which would make the long-context price unreachable; the long-context mode runs
 * to 1M. Every model whose long-context threshold reaches its listed window must have an entry here.
 */
const LONG_CONTEXT_WINDOWS: Record<string, { tokens: number; note: string; assumed: boolean }> = {
  'anthropic.claude-sonnet-4-5-20250929-v1:0': {
    tokens: 1_000_000,
    note: 'bedrock-rates.json note: "1M context via long-context mode at the higher rates shown"; 200K standard window, long-context prices above 200,000 input tokens',
    assumed: false,
  },
  'anthropic.claude-sonnet-4-20250514-v1:0': {
    tokens: 1_000_000,
    note: 'assumed: the reference lists long-context prices above 200,000 input tokens (litellm) but states no window beyond 200K; 1M taken from the same long-context mode on Sonnet 4.5',
    assumed: true,
  },
};

export function contextWindowFor(raw: { modelId: string; contextWindow?: number; longContextPricing?: { appliesAbove: number } }) {
  const wider = LONG_CONTEXT_WINDOWS[raw.modelId];
  if (wider) return { contextWindow: wider.tokens, contextWindowSource: { note: wider.note, assumed: wider.assumed } };
  const lc = raw.longContextPricing;
  if (lc && raw.contextWindow !== undefined && lc.appliesAbove >= raw.contextWindow) {
    throw new Error(`${raw.modelId}: long-context prices above ${lc.appliesAbove} but a ${raw.contextWindow}-token window: add its window to LONG_CONTEXT_WINDOWS`);
  }
  return raw.contextWindow ? { contextWindow: raw.contextWindow } : {};
}

/**
 * Long-context tier. Where the reference lists a price set it is copied as is (it prices the global / single
 * basis; no regional long-context price is listed). Where it gives the rule "input and cache x2, output x1.5"
 * (GPT-5.6), the rule is turned into prices here, for the list price and the regional price alike: input, batch
 * input and every cache price x2, output and batch output x1.5 (rounded to 6 decimals). Any other rule fails the
 * derivation, so a new wording is read by a person before it prices anything.
 */
const LONG_CONTEXT_RULES: Record<string, { input: number; output: number }> = {
  'input and cache x2, output x1.5': { input: 2, output: 1.5 },
};

function scaledPrices(base: Prices, m: { input: number; output: number }): Prices {
  const out: Record<string, number> = {};
  for (const key of PRICE_KEYS) {
    const value = base[key];
    if (value === undefined) continue;
    const factor = key === 'outputPer1M' || key === 'batchOutputPer1M' ? m.output : m.input;
    out[key] = Math.round(value * factor * 1e6) / 1e6;
  }
  return out as Prices;
}

export function deriveLongContext(raw: RawModel, pricing: Prices, regionalPricing: Prices | undefined) {
  const lc = raw.longContextPricing;
  if (!lc) return undefined;
  if (lc.rule !== undefined) {
    const m = LONG_CONTEXT_RULES[lc.rule];
    if (!m) throw new Error(`${raw.modelId}: unknown long-context rule "${lc.rule}": add it to LONG_CONTEXT_RULES`);
    return {
      appliesAbove: lc.appliesAbove,
      pricing: scaledPrices(pricing, m),
      ...(regionalPricing ? { regionalPricing: scaledPrices(regionalPricing, m) } : {}),
      note: `derived from the reference rule "${lc.rule}" above ${lc.appliesAbove} input tokens (scripts/derive-rate-card.ts)`,
    };
  }
  return {
    appliesAbove: lc.appliesAbove,
    pricing: pickPrices(lc),
    note: `listed long-context prices above ${lc.appliesAbove} input tokens${lc.source ? ` (source: ${lc.source})` : ''}; no regional long-context price listed`,
  };
}

const ISO = /(\d{4}-\d{2}-\d{2})/;

/** The reference words lifecycle freely ("EOL 2026-10-14", "legacy since ..., EOL ...", "not confirmed (...)"). */
export function normaliseLifecycle(text: string, eolDate?: string): { status: ModelStatus; eolDate?: string; eolDateApproximate?: boolean } {
  const lower = text.toLowerCase();
  const eolMatch = /eol\s*~?\s*(\d{4}-\d{2}-\d{2})/i.exec(text);
  const date = eolDate ?? eolMatch?.[1];
  const approximate = /~|derived|verify/.test(lower) ? true : undefined;
  const withDate = <T extends object>(o: T) => (date ? { ...o, eolDate: date, ...(approximate ? { eolDateApproximate: true } : {}) } : o);
  if (lower.startsWith('legacy')) return withDate({ status: 'legacy' as const });
  if (lower.startsWith('eol')) return withDate({ status: 'eol' as const });
  if (lower.startsWith('preview')) return { status: 'preview' };
  if (lower.startsWith('active')) return { status: 'active' };
  return { status: 'unknown' };
}

function normaliseConfidence(text: string): { confidence: 'high' | 'medium' | 'low'; confidenceNote?: string } {
  const first = text.split(/[\s(/]/)[0] as 'high' | 'medium' | 'low';
  return text === first ? { confidence: first } : { confidence: first, confidenceNote: text };
}

function deriveModel(raw: RawModel) {
  const assigned = CLASS_BY_MODEL[raw.modelId];
  if (!assigned) throw new Error(`no family/class assigned for ${raw.modelId}: add it to CLASS_BY_MODEL`);
  const [family, cls] = assigned;
  const global = raw.pricingBasis === 'global';
  const pricing = pickPrices(raw);
  const regionalPricing = global && raw.regionalPricing ? pickPrices(raw.regionalPricing) : undefined;
  const longContextPricing = deriveLongContext(raw, pricing, regionalPricing);
  const minCacheable = raw.kind === 'text' ? minCacheablePrefix(raw.modelId) : undefined;
  return {
    modelId: raw.modelId,
    name: raw.name,
    provider: raw.provider,
    family,
    class: cls,
    kind: raw.kind,
    pricingBasis: global ? 'global' : 'single',
    pricing,
    ...(regionalPricing ? { regionalPricing } : {}),
    inferenceProfiles: raw.inferenceProfiles ?? [],
    ...contextWindowFor(raw),
    ...(longContextPricing ? { longContextPricing } : {}),
    ...(minCacheable !== undefined ? { minCacheablePrefix: minCacheable } : {}),
    ...normaliseLifecycle(raw.lifecycle, raw.eolDate),
    lifecycleNote: raw.lifecycle,
    ...normaliseConfidence(raw.confidence),
    sources: raw.sources,
    ...(raw.notes ? { notes: raw.notes } : {}),
  };
}

export function deriveRateCard(raw: RawCard, derivedFrom: string) {
  const dates = [...raw.asOf.matchAll(new RegExp(ISO, 'g'))].map((m) => m[1] as string).sort();
  const card = {
    asOf: ISO.exec(raw.asOf)?.[1],
    // The reference compiles on its last date and dates newer items individually up to the one before it.
    newestItemDate: dates.length > 2 ? dates[dates.length - 2] : dates[dates.length - 1],
    compiledOn: dates[dates.length - 1],
    asOfNote: raw.asOf,
    currency: 'USD',
    unit: 'USD per 1M tokens',
    derivedFrom,
    pricingRule: PRICING_RULE,
    classNote: CLASS_NOTE,
    minCacheablePrefixRule: MIN_CACHEABLE_RULE,
    minCacheablePrefixAssumption: MIN_CACHEABLE_ASSUMPTION,
    regionalRules: raw.regionalRules,
    sources: [...raw.source.map((s) => ({ id: s.id, name: s.name, date: s.date, ...(s.notes ? { notes: s.notes } : {}) })), ...CACHE_MINIMUM_SOURCES],
    models: raw.models.map(deriveModel),
  };
  const parsed = parseWith(RateCard, card);
  if (!parsed.ok) throw new Error(`derived rate card is invalid:\n${parsed.problems.map((p) => `  ${p.field}: ${p.rule}`).join('\n')}`);
  return parsed.value;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const input = process.argv[2] ?? DEFAULT_IN;
  const output = process.argv[3] ?? DEFAULT_OUT;
  const card = deriveRateCard(JSON.parse(readFileSync(input, 'utf8')) as RawCard, 'shared/reference/bedrock-rates.json');
  writeFileSync(output, `${JSON.stringify(card, null, 2)}\n`);
  console.log(`wrote ${card.models.length} models to ${output} (asOf ${card.asOf})`);
}

/**
 * A compact shape for the run-time projections that list many records of the same fields (issue 11 §1: the rate
 * card's models repeat ~20 field names 61 times, and its price sheets 7 more each): a table of column names and one
 * row of values per record, `null` where a record has no value, and price sheets as arrays in PRICE_KEYS order.
 * functions/core/runtime-data.ts packs at build (scripts/gen-runtime-data.ts); the functions unpack once at load,
 * which gives back the same records (test/unit/runtime-data.test.ts). The data never holds `null` itself (the
 * schemas have no nullable field, and packing refuses one).
 */
import type { Prices } from '../../schemas/rate-card.ts';
import type { SliceMember, SliceShape } from '../../schemas/ace-data.ts';
import type {
  AceAddressRules, CatalogModel, ModelCatalog, PackedAceAddressRules, RuntimeSubmissionRules, PackedShapeSlice, PackedSliceMember, RuntimeRateCard, RuntimeRateModel, RuntimeShapeSlice,
} from '../../schemas/runtime-data.ts';

export type PackedRows = { columns: string[]; rows: unknown[][] };

/** One row per record: its values in column order, `null` for an absent value, trailing nulls dropped. */
export function packRows<T extends object>(items: readonly T[], encode: (column: string, value: unknown) => unknown = (_c, v) => v): PackedRows {
  const columns = [...new Set(items.flatMap((item) => Object.keys(item)))];
  const rows = items.map((item) => {
    const row = columns.map((column) => {
      const value = (item as Record<string, unknown>)[column];
      if (value === null) throw new TypeError(`cannot pack a null value (${column}): null means absent in a packed row`);
      return value === undefined ? null : encode(column, value);
    });
    while (row[row.length - 1] === null) row.pop(); // row[-1] of an empty row is undefined: the loop stops
    return row;
  });
  return { columns, rows };
}

/** The records back: each with the columns its row has a value for, in column order. */
export function unpackRows<T>(packed: PackedRows, decode: (column: string, value: unknown) => unknown = (_c, v) => v): T[] {
  return packed.rows.map((row) => {
    const item: Record<string, unknown> = {};
    row.forEach((value, i) => {
      if (value !== null) item[packed.columns[i] as string] = decode(packed.columns[i] as string, value);
    });
    return item as T;
  });
}

export const PRICE_KEYS = ['inputPer1M', 'outputPer1M', 'batchInputPer1M', 'batchOutputPer1M', 'cacheWritePer1M', 'cacheWrite1hPer1M', 'cacheReadPer1M'] as const;

export type PackedPrices = (number | null)[];

export function packPrices(prices: Prices): PackedPrices {
  const row: PackedPrices = PRICE_KEYS.map((key) => prices[key] ?? null);
  while (row[row.length - 1] === null) row.pop();
  return row;
}

export function unpackPrices(row: PackedPrices): Prices {
  const prices: Record<string, number> = {};
  row.forEach((value, i) => {
    if (value !== null) prices[PRICE_KEYS[i] as string] = value;
  });
  return prices as Prices;
}

/** data/runtime/rate-card.json as committed: the projection with its models packed (see `modelCodec`). */
export type PackedRateCard = Omit<RuntimeRateCard, 'models'> & { models: PackedRows };

type LongContext = NonNullable<RuntimeRateModel['longContextPricing']>;
type PackedLongContext = Omit<LongContext, 'pricing' | 'regionalPricing'> & { pricing: PackedPrices; regionalPricing?: PackedPrices };
type CacheMinimum = NonNullable<RuntimeRateModel['minCacheablePrefix']>;

/**
 * Model columns as committed: price sheets as arrays, and the source ids a model (or its cache minimum) cites as
 * indexes into the card's `sources` (data-checks.ts guarantees every id cited is listed).
 */
function modelCodec(sourceIds: readonly (string | undefined)[]) {
  const index = (id: string): number => {
    const i = sourceIds.indexOf(id);
    if (i < 0) throw new TypeError(`source ${id} is not one of the card's sources`);
    return i;
  };
  const id = (i: number): string => sourceIds[i] as string;
  return {
    encode(column: string, value: unknown): unknown {
      if (column === 'pricing' || column === 'regionalPricing') return packPrices(value as Prices);
      if (column === 'sources') return (value as string[]).map(index);
      if (column === 'minCacheablePrefix') return { ...(value as CacheMinimum), sources: (value as CacheMinimum).sources.map(index) };
      if (column !== 'longContextPricing') return value;
      const lc = value as LongContext;
      return { ...lc, pricing: packPrices(lc.pricing), ...(lc.regionalPricing ? { regionalPricing: packPrices(lc.regionalPricing) } : {}) };
    },
    decode(column: string, value: unknown): unknown {
      if (column === 'pricing' || column === 'regionalPricing') return unpackPrices(value as PackedPrices);
      if (column === 'sources') return (value as number[]).map(id);
      if (column === 'minCacheablePrefix') return { ...(value as object), sources: (value as { sources: number[] }).sources.map(id) };
      if (column !== 'longContextPricing') return value;
      const lc = value as PackedLongContext;
      return { ...lc, pricing: unpackPrices(lc.pricing), ...(lc.regionalPricing ? { regionalPricing: unpackPrices(lc.regionalPricing) } : {}) };
    },
  };
}

// A card's sources all have an id (schemas/rate-card.ts RateSource); one without would match no cited id.
const sourceIdsOf = (card: { sources: readonly { id?: string }[] }) => card.sources.map((s) => s.id);

export function packRateCard(card: RuntimeRateCard): PackedRateCard {
  return { ...card, models: packRows(card.models, modelCodec(sourceIdsOf(card)).encode) };
}

export function unpackRateCard(packed: PackedRateCard): RuntimeRateCard {
  return { ...packed, models: unpackRows<RuntimeRateModel>(packed.models, modelCodec(sourceIdsOf(packed)).decode) };
}

/** data/runtime/model-catalog.json as committed: the catalog's models packed. */
export type PackedModelCatalog = { models: PackedRows };

export function packModelCatalog(catalog: ModelCatalog): PackedModelCatalog {
  return { models: packRows(catalog.models) };
}

export function unpackModelCatalog(packed: PackedModelCatalog): ModelCatalog {
  return { models: unpackRows<CatalogModel>(packed.models) };
}

// ---------------------------------------------------------------------------------------------------------------
// The ACE address rules (data/runtime/ace-address.json): lists of two-letter codes as one string, the postal formats
// as `|`-separated rows joined by `;` (a name or a format never holds either: packing refuses one).

const twoLetters = (codes: readonly string[], what: string): string => codes.map((c) => {
  if (!/^[A-Z]{2}$/.test(c)) throw new TypeError(`cannot pack ${what} ${JSON.stringify(c)}: not two capital letters`);
  return c;
}).join('');
const NO_ABBREVIATION = '--';

export function packAddressRules(rules: AceAddressRules): PackedAceAddressRules {
  const abbreviations = Object.entries(rules.usStateAbbreviations);
  const stateCodes = rules.usStates.map((state) => abbreviations.filter(([, name]) => name === state).map(([code]) => code));
  if (stateCodes.some((codes) => codes.length > 1) || abbreviations.some(([, name]) => !rules.usStates.includes(name))) {
    throw new TypeError('cannot pack the US state abbreviations: each must name one state of usStates, one abbreviation per state');
  }
  // An empty string would unpack to one format of code '' (split gives ['']): there is always at least one.
  if (Object.keys(rules.formats).length === 0) throw new TypeError('cannot pack the postal formats: an empty list');
  return {
    countryCodes: twoLetters(rules.countryCodes, 'country code'),
    noPostalCode: twoLetters(rules.noPostalCode, 'country code'),
    patterns: rules.patterns,
    formats: Object.entries(rules.formats).map(([code, [name, format, pattern]]) => {
      if (/[|;]/.test(name + format)) throw new TypeError(`cannot pack the postal format of ${code}: "|" or ";" in its name or format`);
      return `${twoLetters([code], 'country code')}|${name}|${format}|${pattern}`;
    }).join(';'),
    usStates: rules.usStates,
    usStateAbbreviations: stateCodes.map((codes) => (codes[0] === undefined ? NO_ABBREVIATION : twoLetters(codes, 'US state abbreviation'))).join(''),
    usStateAliases: rules.usStateAliases,
  };
}

const pairs = (text: string): string[] => text.match(/../g) ?? [];

export function unpackAddressRules(packed: PackedAceAddressRules): AceAddressRules {
  const usStateAbbreviations: Record<string, string> = {};
  pairs(packed.usStateAbbreviations).forEach((code, i) => {
    if (code !== NO_ABBREVIATION) usStateAbbreviations[code] = packed.usStates[i] as string;
  });
  return {
    countryCodes: pairs(packed.countryCodes),
    noPostalCode: pairs(packed.noPostalCode),
    patterns: packed.patterns,
    formats: Object.fromEntries(packed.formats.split(';').map((row) => {
      const [code, name, format, pattern] = row.split('|') as [string, string, string, string];
      return [code, [name, format, Number(pattern)]];
    })),
    usStates: packed.usStates,
    usStateAbbreviations,
    usStateAliases: packed.usStateAliases,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The CreateOpportunity shape slice (data/runtime/ace-validation.json `shapes`): an enum as its values joined by `|`, a structure as
// its members (target alone, or a tuple), every other shape as it is.

function packMember(m: SliceMember): PackedSliceMember {
  const keys = Object.keys(m).filter((k) => !['target', 'required', 'length', 'pattern'].includes(k));
  if (keys.length > 0) throw new TypeError(`cannot pack a slice member with ${keys.join(', ')}`);
  if (m.required === undefined && m.length === undefined && m.pattern === undefined) return m.target;
  const packed: PackedSliceMember = [m.target, m.required ? 1 : 0, m.length?.min ?? null, m.length?.max ?? null];
  if (m.pattern !== undefined) packed.push(m.pattern);
  return packed;
}

function unpackMember(p: PackedSliceMember): SliceMember {
  if (typeof p === 'string') return { target: p };
  const [target, required, min, max, pattern] = p;
  const m: SliceMember = { target };
  if (required === 1) m.required = true;
  if (pattern !== undefined) m.pattern = pattern;
  if (min !== null || max !== null) m.length = { ...(min !== null ? { min } : {}), ...(max !== null ? { max } : {}) };
  return m;
}

export function packShapeSlice(slice: RuntimeShapeSlice): PackedShapeSlice {
  return {
    root: slice.root,
    shapes: Object.fromEntries(Object.entries(slice.shapes).map(([name, shape]) => {
      if (shape.type === 'enum') {
        if (shape.values.length === 0 || shape.values.some((v) => v === '' || v.includes('|'))) throw new TypeError(`cannot pack enum ${name}: an empty list, an empty value or "|" in a value`);
        return [name, shape.values.join('|')];
      }
      if (shape.type === 'structure') {
        if ('type' in shape.members) throw new TypeError(`cannot pack structure ${name}: a member named "type"`);
        return [name, Object.fromEntries(Object.entries(shape.members).map(([member, m]) => [member, packMember(m)]))];
      }
      return [name, shape];
    })),
  };
}

export function unpackShapeSlice(packed: PackedShapeSlice): RuntimeShapeSlice {
  const shapes: Record<string, SliceShape> = {};
  for (const [name, p] of Object.entries(packed.shapes)) {
    if (typeof p === 'string') shapes[name] = { type: 'enum', values: p.split('|') };
    else if (!('type' in p)) shapes[name] = { type: 'structure', members: Object.fromEntries(Object.entries(p).map(([member, m]) => [member, unpackMember(m as PackedSliceMember)])) };
    else shapes[name] = p as SliceShape;
  }
  return { root: packed.root, shapes };
}

// ---------------------------------------------------------------------------------------------------------------
// The submission rules (data/runtime/ace-validation.json `rules`): each rule list as a column table, each value list as its values
// joined by `|`.

export type PackedSubmissionRules = {
  requiredForSubmission: PackedRows;
  forbidden: PackedRows;
  allowedValues: PackedRows;
  lists: Record<string, string>;
};

export function packSubmissionRules(rules: RuntimeSubmissionRules): PackedSubmissionRules {
  return {
    requiredForSubmission: packRows(rules.requiredForSubmission),
    forbidden: packRows(rules.forbidden),
    allowedValues: packRows(rules.allowedValues),
    lists: Object.fromEntries(Object.entries(rules.lists).map(([name, { values }]) => {
      if (values.length === 0 || values.some((v) => v === '' || v.includes('|'))) throw new TypeError(`cannot pack list ${name}: an empty list, an empty value or "|" in a value`);
      return [name, values.join('|')];
    })),
  };
}

/** data/runtime/ace-validation.json: the CreateOpportunity shape slice and the submission rules, each packed. */
export type PackedAceValidation = { shapes: PackedShapeSlice; rules: PackedSubmissionRules };

export function unpackSubmissionRules(packed: PackedSubmissionRules): RuntimeSubmissionRules {
  return {
    requiredForSubmission: unpackRows(packed.requiredForSubmission),
    forbidden: unpackRows(packed.forbidden),
    allowedValues: unpackRows(packed.allowedValues),
    lists: Object.fromEntries(Object.entries(packed.lists).map(([name, values]) => [name, { values: values.split('|') }])),
  };
}

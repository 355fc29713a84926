/**
 * The run-time projections of the data files (issue 11 §1, data shaped for loading): what the functions read of the
 * rate card, the programs, the data policy, the ACE rules, the stuck thresholds and the mail providers, without the sources' notes, the prose and the history
 * that stay in data/ for people and tests. Pure; `npm run gen:runtime-data` (scripts/gen-runtime-data.ts) writes them
 * to data/runtime/, and functions/core/data-checks.ts fails the unit tests and every synth when a committed
 * projection differs from a fresh one of the checked files. Each projection only drops fields: every value it keeps
 * is the source's own, so the functions compute exactly what they would from the whole file. The rate card's and
 * the model catalog's models are committed packed (./packed-data.ts: a column table, price sheets as arrays) and
 * unpacked once at load. The bigger projections are also committed compressed (COMPRESSED_PROJECTIONS,
 * ./compressed-data.ts), and the functions load that form.
 */
import type { DataPolicy } from '../../schemas/data-policy.ts';
import type { ProgramsData } from '../../schemas/programs.ts';
import type { RateCard } from '../../schemas/rate-card.ts';
import type { PostalCodes, ShapeSlice, SubmissionRules } from '../../schemas/ace-data.ts';
import type {
  AceAddressRules,
  PackedAceAddressRules,
  PackedShapeSlice,
  ModelCatalog,
  RuntimeDataPolicy,
  RuntimePrograms,
  RuntimeRateCard,
  RuntimeSubmissionRules,
  SourceRef,
} from '../../schemas/runtime-data.ts';
import { otherProfileIds } from './model-lookup.ts';
import { packAddressRules, packModelCatalog, packRateCard, packShapeSlice, packSubmissionRules, type PackedAceValidation, type PackedSubmissionRules } from './packed-data.ts';
import type { StuckThresholds } from '../../schemas/operations.ts';
import type { BenefitsData } from '../../schemas/benefits.ts';
import type { RuntimeBenefits, RuntimeStuckThresholds } from '../../schemas/runtime-data.ts';
import { projectStuckLimits } from './operations/stuck-limits.ts';
import { projectMailProviders } from './mailbox.ts';
import type { MailProviders } from '../../schemas/mail-providers.ts';
import { compressedPath } from './compressed-data.ts';

/** Copies the listed keys that are present, in the listed order. */
function pick<T extends object, K extends keyof T>(value: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const key of keys) if (value[key] !== undefined) out[key] = value[key];
  return out;
}

/** A copy without the listed keys. */
function omit<T extends object, K extends keyof T>(value: T, keys: readonly K[]): Omit<T, K> {
  const out = { ...value };
  for (const key of keys) delete out[key];
  return out;
}

/** What `sourceLines` (functions/core/data-age.ts) prints of a source: its id, title and date. */
const SOURCE_KEYS = ['id', 'name', 'title', 'document', 'date', 'retrieved'] as const;
const sourceRefs = (sources: readonly SourceRef[]): SourceRef[] => sources.map((s) => pick(s, SOURCE_KEYS));

export function projectRateCard(card: RateCard): RuntimeRateCard {
  return {
    asOf: card.asOf,
    pricingRule: card.pricingRule,
    minCacheablePrefixAssumption: card.minCacheablePrefixAssumption,
    sources: sourceRefs(card.sources),
    models: card.models.map((m) => ({
      ...omit(m, ['notes', 'confidenceNote', 'minCacheablePrefix', 'inferenceProfiles']),
      ...profiles(m),
      ...(m.minCacheablePrefix ? { minCacheablePrefix: omit(m.minCacheablePrefix, ['note']) } : {}),
    })),
  };
}

/** The profile ids a lookup cannot find by stripping the prefix (functions/core/model-lookup.ts), when there are any. */
function profiles(m: RateCard['models'][number]): { otherProfileIds?: string[] } {
  const other = otherProfileIds(m);
  return other.length > 0 ? { otherProfileIds: other } : {};
}

export function projectModelCatalog(card: RateCard): ModelCatalog {
  return { models: card.models.map((m) => ({ ...pick(m, ['modelId', 'name', 'kind', 'contextWindow']), ...profiles(m) })) };
}

export function projectPrograms(data: ProgramsData): RuntimePrograms {
  return {
    asOf: data.asOf,
    sizingPolicy: data.sizingPolicy,
    thirdPartyModelNote: data.thirdPartyModelNote,
    sources: sourceRefs(data.sources),
    creditExclusions: data.creditExclusions.map((e) => pick(e, ['label', 'servicePattern'])),
    programs: data.programs.map((p) => ({
      ...pick(p, ['id', 'name', 'filingPath', 'stackingRole', 'eligibility', 'expiry', 'defaultWindowMonths', 'windowVerified']),
      ceiling: omit(p.ceiling, ['history']),
      speed: { text: p.speed.text },
    })),
  };
}

/** The policy of the files that feed estimates: the only entries a function reads (the CLI reads the whole file). */
export function projectDataPolicy(policy: DataPolicy): RuntimeDataPolicy {
  return { asOf: policy.asOf, files: policy.files.filter((f) => f.feedsEstimates).map((f) => omit(f, ['why'])) };
}

/** The lists the address rules carry (and the submission rules' projection leaves out, so no function loads both). */
const ADDRESS_LISTS = ['usStates'] as const;

export function projectSubmissionRules(rules: SubmissionRules): PackedSubmissionRules {
  return packSubmissionRules(submissionRulesOf(rules));
}

/** The submission rules the validator reads, before packing (what functions/core/ace/model.ts unpacks). */
export function submissionRulesOf(rules: SubmissionRules): RuntimeSubmissionRules {
  const withoutSource = <T extends { source: string }>(items: readonly T[]) => items.map((r) => omit(r, ['source']));
  return {
    requiredForSubmission: withoutSource(rules.requiredForSubmission),
    forbidden: withoutSource(rules.forbidden),
    allowedValues: withoutSource(rules.allowedValues),
    lists: Object.fromEntries(
      Object.entries(rules.lists)
        .filter(([name]) => !(ADDRESS_LISTS as readonly string[]).includes(name))
        .map(([name, list]) => [name, { values: list.values }]),
    ),
  };
}

export function projectAddressRules(files: { slice: ShapeSlice; postal: PostalCodes; rules: SubmissionRules }): PackedAceAddressRules {
  return packAddressRules(addressRulesOf(files));
}

/** A shape slice without its source block, packed (what the validator reads). */
export function projectShapeSlice(slice: ShapeSlice): PackedShapeSlice {
  return packShapeSlice({ root: slice.root, shapes: slice.shapes });
}

/**
 * The shapes of the CreateOpportunity slice the address rules carry as they are (`countryCodes` is the CountryCode
 * enum's values, in order): the slice's projection leaves them out, and functions/core/ace/model.ts puts them back from
 * the address rules it loads anyway, so the drafter's bundle does not carry the 250 codes twice.
 */
export const ADDRESS_SHAPES = ['CountryCode'] as const;

/** The CreateOpportunity shape slice without its source block and the shapes the address rules carry, packed. */
export function projectAceShapeSlice(slice: ShapeSlice): PackedShapeSlice {
  return projectShapeSlice({ ...slice, shapes: omit(slice.shapes, ADDRESS_SHAPES) });
}

/**
 * What the CreateOpportunity validator reads beside the address rules, as one projection (data/runtime/ace-validation.json):
 * the shape slice and the submission rules, which are only ever loaded together (the drafter, the brief routes), so
 * they are compressed together and inflated once (one brotli stream finds what the two share).
 */
export function projectAceValidation(ace: { slice: ShapeSlice; rules: SubmissionRules }): PackedAceValidation {
  return { shapes: projectAceShapeSlice(ace.slice), rules: projectSubmissionRules(ace.rules) };
}

/** The address rules the functions read, before packing (what functions/core/ace/address-rules.ts unpacks). */
export function addressRulesOf(files: { slice: ShapeSlice; postal: PostalCodes; rules: SubmissionRules }): AceAddressRules {
  const country = files.slice.shapes.CountryCode;
  const formats = Object.entries(files.postal.formats);
  const patterns = [...new Set(formats.map(([, f]) => f.pattern))];
  return {
    countryCodes: country?.type === 'enum' ? country.values : [],
    noPostalCode: Object.keys(files.postal.noPostalCode),
    patterns,
    formats: Object.fromEntries(formats.map(([code, f]) => [code, [f.name, f.format, patterns.indexOf(f.pattern)]])),
    usStates: files.rules.lists.usStates?.values ?? [],
    usStateAbbreviations: files.rules.usStateAbbreviations,
    usStateAliases: files.rules.usStateAliases,
  };
}

/** The funding drafter's benefits: the programs' benefits without the file's sources, notes, open questions and `verified`. */
export function projectBenefits(data: BenefitsData): RuntimeBenefits {
  return {
    creditAmountFrom: data.creditAmountFrom,
    programs: data.programs.map((p) => omit(p, ['verified'])),
  };
}

/** What the operations read API shows of the stuck thresholds: each status's threshold with its prose, and the date. */
export function projectStuckThresholds(stuck: StuckThresholds): RuntimeStuckThresholds {
  return { asOf: stuck.asOf, thresholds: stuck.thresholds.map((t) => pick(t, ['status', 'hours', 'why', 'unstick'])) };
}

/**
 * The projections the functions load compressed (./compressed-data.ts: data/runtime/<name>.br.ts beside the JSON):
 * those of 4 KB and more, which the sizing, the drafter, intake, the founder's revision and the brief routes carry
 * (5.8–15 KB smaller bundles each). The first inflate in a process costs about 1 ms of CPU whatever its size (README,
 * Benchmarks), so the small ones stay object literals: the data policy (0.8 KB), the stuck limits (0.5 KB), the stuck
 * thresholds (2.7 KB, the operations read API), the benefits (0.6 KB) and the benefit shapes (2.2 KB, the partner
 * routes), which would each save 0.2–1.6 KB for that millisecond.
 */
export const COMPRESSED_PROJECTIONS = [
  'data/runtime/rate-card.json',
  'data/runtime/model-catalog.json',
  'data/runtime/programs.json',
  'data/runtime/ace-validation.json',
  'data/runtime/ace-address.json',
] as const;

/**
 * Every file under data/runtime/, by its path under the project root, with the projection it holds, from the checked
 * files: each projection's JSON, and for those in COMPRESSED_PROJECTIONS its compressed module (the same projection).
 */
export function runtimeProjections(files: {
  rateCard: RateCard;
  programs: ProgramsData;
  dataPolicy: DataPolicy;
  ace: { slice: ShapeSlice; postal: PostalCodes; rules: SubmissionRules };
  stuck: StuckThresholds;
  benefits: BenefitsData;
  benefitSlice: ShapeSlice;
  mailProviders: MailProviders;
}): Record<string, unknown> {
  const projections: Record<string, unknown> = {
    'data/runtime/rate-card.json': packRateCard(projectRateCard(files.rateCard)),
    'data/runtime/model-catalog.json': packModelCatalog(projectModelCatalog(files.rateCard)),
    'data/runtime/programs.json': projectPrograms(files.programs),
    'data/runtime/data-policy.json': projectDataPolicy(files.dataPolicy),
    'data/runtime/ace-validation.json': projectAceValidation(files.ace),
    'data/runtime/ace-address.json': projectAddressRules(files.ace),
    'data/runtime/stuck-limits.json': projectStuckLimits(files.stuck),
    'data/runtime/stuck-thresholds.json': projectStuckThresholds(files.stuck),
    'data/runtime/benefits.json': projectBenefits(files.benefits),
    'data/runtime/benefit-shapes.json': projectShapeSlice(files.benefitSlice),
    'data/runtime/mail-providers.json': projectMailProviders(files.mailProviders),
  };
  for (const file of COMPRESSED_PROJECTIONS) projections[compressedPath(file)] = projections[file];
  return projections;
}

/** The committed text of a projection: 2-space JSON and a final newline (readable diffs; the bundle minifies it). */
export function runtimeDataText(projection: unknown): string {
  return `${JSON.stringify(projection, null, 2)}\n`;
}

/**
 * The files under data/runtime/ whose content differs from a fresh projection (compared as JSON text, key order
 * included), each with the command that rewrites it. Empty when every projection is up to date.
 */
export function staleProjections(fresh: Record<string, unknown>, committed: Record<string, unknown>): string[] {
  return Object.entries(fresh)
    .filter(([file, projection]) => JSON.stringify(committed[file]) !== JSON.stringify(projection))
    .map(([file]) => `${file} is not the projection of its source data: run npm run gen:runtime-data`);
}

/**
 * What the functions read of the data files: the projections under data/runtime/, written by
 * `npm run gen:runtime-data` (scripts/gen-runtime-data.ts, functions/core/runtime-data.ts) from the files in data/,
 * which keep the sources, notes and prose for people and tests (issue 11 §1: a handler loads only what it reads).
 * Types only: each projection is a structural subset of its source, so code typed against a projection also
 * accepts the whole file (tests pass whole cards), and code that reads a field the projection leaves out does not
 * compile.
 */
import type { DataFilePolicy, DataPolicy } from './data-policy.ts';
import type { Program, ProgramsData } from './programs.ts';
import type { MinCacheablePrefix, RateCard, RateModel } from './rate-card.ts';
import type { PostalCodes, ShapeSlice, SliceShape, SubmissionRules } from './ace-data.ts';
import type { BenefitProgram, BenefitsData } from './benefits.ts';
import type { StuckThresholds } from './operations.ts';

/** A source as the data-age block prints it (functions/core/data-age.ts `sourceLines`): id, title and date only. */
export type SourceRef = {
  id?: string;
  name?: string;
  title?: string;
  document?: string;
  date?: string;
  retrieved?: string;
};

/**
 * The inference-profile ids a lookup cannot find by stripping a `global.`/geo prefix (functions/core/model-ids.ts):
 * the projections keep only these (none today) instead of the card's whole `inferenceProfiles` list, which lookups
 * read the same way (functions/core/model-lookup.ts).
 */
export type OtherProfileIds = { otherProfileIds?: string[] };

/** A rate-card model without its prose (`notes`, `confidenceNote`, the cache minimum's `note`). */
export type RuntimeRateModel = Omit<RateModel, 'notes' | 'confidenceNote' | 'minCacheablePrefix' | 'inferenceProfiles'> & OtherProfileIds & {
  minCacheablePrefix?: Omit<MinCacheablePrefix, 'note'>;
};

/** data/runtime/rate-card.json: what the sizing reads of data/rate-card.json. */
export type RuntimeRateCard = Pick<RateCard, 'asOf' | 'pricingRule' | 'minCacheablePrefixAssumption'> & {
  sources: SourceRef[];
  models: RuntimeRateModel[];
};

/** data/runtime/model-catalog.json: what intake and the brief drafter read of a model (ids, name, kind, window). */
export type CatalogModel = Pick<RateModel, 'modelId' | 'name' | 'kind' | 'contextWindow'> & OtherProfileIds;
export type ModelCatalog = { models: CatalogModel[] };

/** A program without its prose and history (who qualifies, ceiling history, changes, sources, notes, speed in days). */
export type RuntimeProgram = Pick<Program, 'id' | 'name' | 'filingPath' | 'stackingRole' | 'eligibility' | 'expiry' | 'defaultWindowMonths' | 'windowVerified'> & {
  ceiling: Omit<Program['ceiling'], 'history'>;
  speed: Pick<Program['speed'], 'text'>;
};

/** data/runtime/programs.json: what the sizing reads of data/programs.json. */
export type RuntimePrograms = Pick<ProgramsData, 'asOf' | 'sizingPolicy' | 'thirdPartyModelNote'> & {
  sources: SourceRef[];
  creditExclusions: Pick<ProgramsData['creditExclusions'][number], 'label' | 'servicePattern'>[];
  programs: RuntimeProgram[];
};

/** data/runtime/data-policy.json: the policy of the files that feed estimates (their `why` stays in data/). */
export type RuntimeDataPolicy = Pick<DataPolicy, 'asOf'> & {
  files: Omit<DataFilePolicy, 'why'>[];
};

/** The submission rules without their sources: data/runtime/ace-validation.json's `rules`, unpacked (functions/core/packed-data.ts). */
export type RuntimeSubmissionRules = {
  requiredForSubmission: Omit<SubmissionRules['requiredForSubmission'][number], 'source'>[];
  forbidden: Omit<SubmissionRules['forbidden'][number], 'source'>[];
  allowedValues: Omit<SubmissionRules['allowedValues'][number], 'source'>[];
  lists: Record<string, { values: string[] }>;
};

/**
 * data/runtime/ace-address.json: the ACE address rules intake checks and the drafter applies (country codes,
 * countries without postal codes, postal formats, US state names, abbreviations and aliases), apart from the rest of
 * the rules so intake does not load them.
 */
export type AceAddressRules = {
  countryCodes: string[];
  noPostalCode: string[];
  /** Each distinct postal-code pattern once (many countries share one). */
  patterns: string[];
  /** Per country: its name, the format as AWS writes it, and its pattern's index in `patterns`. */
  formats: Record<string, [name: string, format: string, pattern: number]>;
  usStates: string[];
  usStateAbbreviations: SubmissionRules['usStateAbbreviations'];
  usStateAliases: SubmissionRules['usStateAliases'];
};

/**
 * data/runtime/ace-address.json as committed: AceAddressRules packed (functions/core/packed-data.ts) — country codes
 * as one string of two-letter codes, postal formats as `code|name|format|pattern` rows joined by `;`, and each US
 * state's abbreviation as two letters in `usStates` order (`--` for none). Unpacked once at load.
 */
export type PackedAceAddressRules = {
  countryCodes: string;
  noPostalCode: string;
  patterns: string[];
  formats: string;
  usStates: string[];
  usStateAbbreviations: string;
  usStateAliases: SubmissionRules['usStateAliases'];
};

/** The CreateOpportunity shape slice as the validator reads it: without its source block. */
export type RuntimeShapeSlice = Omit<ShapeSlice, 'source'>;

/**
 * A slice member packed: its target alone, or `[target, required 0|1, min, max, pattern]` (null for an absent length
 * bound, the pattern left off when there is none).
 */
export type PackedSliceMember = string | [target: string, required: 0 | 1, min: number | null, max: number | null, pattern?: string];

/**
 * data/runtime/ace-validation.json's `shapes`: RuntimeShapeSlice packed (functions/core/packed-data.ts): an enum as its values joined
 * by `|`, a structure as its packed members (no `type` key), every other shape as it is. Unpacked once at load.
 */
export type PackedShapeSlice = {
  root: string;
  shapes: Record<string, string | Record<string, PackedSliceMember> | Exclude<SliceShape, { type: 'enum' | 'structure' }>>;
};

/** A country's postal format as data/ace/postal-codes.json gives it. */
export type PostalFormat = PostalCodes['formats'][string];

/**
 * data/runtime/benefits.json: what the funding drafter reads of data/benefits.json (which programs are funded through
 * a benefit application, the benefit, its fulfillment types and where each drafted member comes from, and which
 * allocation amount the credits are recorded from), without the sources, notes, open questions and `verified` flags.
 */
export type RuntimeBenefitProgram = Omit<BenefitProgram, 'verified'>;
export type RuntimeBenefits = Pick<BenefitsData, 'creditAmountFrom'> & { programs: RuntimeBenefitProgram[] };

/**
 * data/runtime/stuck-thresholds.json: what the operations read API shows of data/stuck-thresholds.json (each status's
 * threshold with why and what would unstick it, and the file's date), without the file's source line and the
 * reminder-escalation limits (./stuck-limits.json carries those for the counting functions).
 */
export type RuntimeStuckThresholds = Pick<StuckThresholds, 'asOf' | 'thresholds'>;

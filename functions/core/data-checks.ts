/**
 * The bundled data files, checked at build instead of at every cold start (issue 11 §1). The functions import
 * data/*.json as they are in the repository and trust them (functions/core/rates.ts, programs.ts, data-age.ts,
 * ace/model.ts); this module validates the very same files against their schemas, and it runs in the unit tests
 * (test/unit/data-checks.test.ts) and on every synth (lib/app.ts), so a broken file fails the build and the deploy,
 * with field paths, before it can reach a function. Each schema here only checks (no defaults, no transforms): the
 * test asserts that what the schema returns equals the file, so trusting the file is the same as parsing it.
 *
 * The functions load the run-time projections of these files (data/runtime/, functions/core/runtime-data.ts), the
 * bigger ones from their compressed modules (data/runtime/*.br.ts, functions/core/compressed-data.ts): the same checks
 * fail while a committed projection, or a compressed module once inflated, differs from a fresh projection of the
 * checked file, so what a function trusts is always derived from data that passed its schema.
 */
import rawRateCard from '../../data/rate-card.json' with { type: 'json' };
import rawPrograms from '../../data/programs.json' with { type: 'json' };
import rawPolicy from '../../data/data-policy.json' with { type: 'json' };
import sliceJson from '../../data/ace/create-opportunity.shapes.json' with { type: 'json' };
import postalJson from '../../data/ace/postal-codes.json' with { type: 'json' };
import rulesJson from '../../data/ace/submission-rules.json' with { type: 'json' };
import benefitsJson from '../../data/benefits.json' with { type: 'json' };
import benefitSliceJson from '../../data/ace/create-benefit-application.shapes.json' with { type: 'json' };
import { BenefitsData } from '../../schemas/benefits.ts';
import rawStuck from '../../data/stuck-thresholds.json' with { type: 'json' };
import { StuckThresholds } from '../../schemas/operations.ts';
import { RateCard } from '../../schemas/rate-card.ts';
import { ProgramsData } from '../../schemas/programs.ts';
import { DataPolicy } from '../../schemas/data-policy.ts';
import { PostalCodes, ShapeSlice, SubmissionRules } from '../../schemas/ace-data.ts';
import { parseWith, type FieldProblem } from '../../schemas/issues.ts';
import type * as z from 'zod/mini';
import { ProgramsDataError } from './programs.ts';
import { runtimeProjections, staleProjections } from './runtime-data.ts';
import runtimeRateCard from '../../data/runtime/rate-card.json' with { type: 'json' };
import runtimeModelCatalog from '../../data/runtime/model-catalog.json' with { type: 'json' };
import runtimePrograms from '../../data/runtime/programs.json' with { type: 'json' };
import runtimeDataPolicy from '../../data/runtime/data-policy.json' with { type: 'json' };
import runtimeAceValidation from '../../data/runtime/ace-validation.json' with { type: 'json' };
import runtimeAceAddress from '../../data/runtime/ace-address.json' with { type: 'json' };
import runtimeStuckLimits from '../../data/runtime/stuck-limits.json' with { type: 'json' };
import runtimeStuckThresholds from '../../data/runtime/stuck-thresholds.json' with { type: 'json' };
import rawMailProviders from '../../data/mail-providers.json' with { type: 'json' };
import runtimeMailProviders from '../../data/runtime/mail-providers.json' with { type: 'json' };
import { MailProviders } from '../../schemas/mail-providers.ts';
import runtimeBenefits from '../../data/runtime/benefits.json' with { type: 'json' };
import runtimeBenefitShapes from '../../data/runtime/benefit-shapes.json' with { type: 'json' };
import rateCardBr from '../../data/runtime/rate-card.br.ts';
import modelCatalogBr from '../../data/runtime/model-catalog.br.ts';
import programsBr from '../../data/runtime/programs.br.ts';
import aceValidationBr from '../../data/runtime/ace-validation.br.ts';
import aceAddressBr from '../../data/runtime/ace-address.br.ts';
import { inflateJson } from './compressed-data.ts';

export { ProgramsDataError };

export class RateCardError extends Error {
  override readonly name = 'RateCardError';
  constructor(readonly problems: FieldProblem[]) {
    super(`rate card is invalid: ${problems.map((p) => `${p.field} ${p.rule}`).join('; ')}`);
  }
}

export class DataPolicyError extends Error {
  override readonly name = 'DataPolicyError';
  constructor(readonly problems: FieldProblem[]) {
    super(`data policy is invalid: ${problems.map((p) => `${p.field} ${p.rule}`).join('; ')}`);
  }
}

export class AceDataError extends Error {
  override readonly name = 'AceDataError';
}

/** Validate any candidate rate card; throws RateCardError naming every bad field. */
export function loadRateCard(input: unknown): RateCard {
  const parsed = parseWith(RateCard, input);
  if (!parsed.ok) throw new RateCardError(parsed.problems);
  return parsed.value;
}

export function loadPrograms(input: unknown): ProgramsData {
  const parsed = parseWith(ProgramsData, input);
  if (!parsed.ok) throw new ProgramsDataError(parsed.problems);
  return parsed.value;
}

export function loadDataPolicy(input: unknown): DataPolicy {
  const parsed = parseWith(DataPolicy, input);
  if (!parsed.ok) throw new DataPolicyError(parsed.problems);
  return parsed.value;
}

/** A file checked against its schema; the error names the file and quotes the schema's first three issues. */
function loadAce<S extends z.ZodMiniType>(file: string, schema: S, data: unknown): z.infer<S> {
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new AceDataError(`${file} does not match its schema: ${JSON.stringify(parsed.error.issues.slice(0, 3))}`);
  return parsed.data;
}

/** The three ACE files, and every value list a rule names exists. */
export function loadAceData(files: { slice: unknown; postal: unknown; rules: unknown }): { slice: ShapeSlice; postal: PostalCodes; rules: SubmissionRules } {
  const slice = loadAce('data/ace/create-opportunity.shapes.json', ShapeSlice, files.slice);
  const postal = loadAce('data/ace/postal-codes.json', PostalCodes, files.postal);
  const rules = loadAce('data/ace/submission-rules.json', SubmissionRules, files.rules);
  for (const allowed of rules.allowedValues) {
    if (!rules.lists[allowed.list]) throw new AceDataError(`data/ace/submission-rules.json: unknown list "${allowed.list}"`);
  }
  return { slice, postal, rules };
}

/** A data file checked against its schema; the error names the file and each field and rule. */
function loadChecked<S extends z.ZodMiniType>(file: string, schema: S, input: unknown): z.infer<S> {
  const parsed = parseWith(schema, input);
  if (!parsed.ok) throw new Error(`${file}: ${parsed.problems.map((p) => `${p.field} ${p.rule}`).join('; ')}`);
  return parsed.value;
}

export function loadStuckThresholds(input: unknown): StuckThresholds {
  return loadChecked('data/stuck-thresholds.json', StuckThresholds, input);
}

export function loadMailProviders(input: unknown): MailProviders {
  return loadChecked('data/mail-providers.json', MailProviders, input);
}

export class RuntimeDataError extends Error {
  override readonly name = 'RuntimeDataError';
}

/** The source files as bundled, by what each becomes. */
const BUNDLED_SOURCES = {
  rateCard: rawRateCard, programs: rawPrograms, dataPolicy: rawPolicy, slice: sliceJson, postal: postalJson, rules: rulesJson,
  stuck: rawStuck, benefits: benefitsJson, benefitSlice: benefitSliceJson, mailProviders: rawMailProviders,
};

/** The source files the run-time projections are made from (the bundled ones unless given), each checked against its schema. */
export function checkedSourceData(files: Record<keyof typeof BUNDLED_SOURCES, unknown> = BUNDLED_SOURCES) {
  return {
    rateCard: loadRateCard(files.rateCard),
    programs: loadPrograms(files.programs),
    dataPolicy: loadDataPolicy(files.dataPolicy),
    ace: loadAceData({ slice: files.slice, postal: files.postal, rules: files.rules }),
    stuck: loadStuckThresholds(files.stuck),
    benefits: loadAce('data/benefits.json', BenefitsData, files.benefits),
    benefitSlice: loadAce('data/ace/create-benefit-application.shapes.json', ShapeSlice, files.benefitSlice),
    mailProviders: loadMailProviders(files.mailProviders),
  };
}

/** The committed projections under data/runtime/, by path: each JSON, and each compressed module inflated. */
export const COMMITTED_RUNTIME_DATA: Record<string, unknown> = {
  'data/runtime/rate-card.json': runtimeRateCard,
  'data/runtime/model-catalog.json': runtimeModelCatalog,
  'data/runtime/programs.json': runtimePrograms,
  'data/runtime/data-policy.json': runtimeDataPolicy,
  'data/runtime/ace-validation.json': runtimeAceValidation,
  'data/runtime/ace-address.json': runtimeAceAddress,
  'data/runtime/stuck-limits.json': runtimeStuckLimits,
  'data/runtime/stuck-thresholds.json': runtimeStuckThresholds,
  'data/runtime/benefits.json': runtimeBenefits,
  'data/runtime/benefit-shapes.json': runtimeBenefitShapes,
  'data/runtime/mail-providers.json': runtimeMailProviders,
  'data/runtime/rate-card.br.ts': inflateJson(rateCardBr),
  'data/runtime/model-catalog.br.ts': inflateJson(modelCatalogBr),
  'data/runtime/programs.br.ts': inflateJson(programsBr),
  'data/runtime/ace-validation.br.ts': inflateJson(aceValidationBr),
  'data/runtime/ace-address.br.ts': inflateJson(aceAddressBr),
};

/** Throws RuntimeDataError naming every committed projection that differs from a fresh one of `sources`. */
export function checkRuntimeData(sources: ReturnType<typeof checkedSourceData>, committed: Record<string, unknown> = COMMITTED_RUNTIME_DATA): void {
  const fresh = runtimeProjections(sources);
  const problems = [
    ...staleProjections(fresh, committed),
    ...Object.keys(committed).filter((file) => !(file in fresh)).map((file) => `${file} is not made by npm run gen:runtime-data`),
  ];
  if (problems.length > 0) throw new RuntimeDataError(problems.join('; '));
}

/**
 * Every bundled file, parsed: what the unit test compares with the trusted imports. Throws on the first bad file, or
 * when a run-time projection is not the projection of its checked file.
 */
export function checkBundledData() {
  const sources = checkedSourceData();
  checkRuntimeData(sources);
  return { ...sources, stuckThresholds: sources.stuck };
}

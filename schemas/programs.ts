/**
 * Credit programs as dated data (`data/programs.json`): ceilings with their history, who qualifies, speed, expiry,
 * filing path, sources. Rules change; the data changes with them, the code that reads them does not.
 */
import * as z from 'zod/mini';
import { FUNDING_STAGES } from './worksheet.ts';
import { FILING_PATHS, PROGRAM_IDS } from './estimate.ts';

const isoDate = z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be a date YYYY-MM-DD'));
const usd = () => z.number().check(z.gte(0, 'must be >= 0'));
const text = () => z.string().check(z.minLength(1, 'is required'));
const months = () => z.number().check(z.int('must be a whole number'), z.gte(1, 'must be >= 1'), z.lte(60, 'must be <= 60'));

export const ProgramSource = z.strictObject({
  id: text(),
  title: text(),
  url: text(),
  /** When the stored copy was read (the reference's compile date when the page itself is undated). */
  retrieved: isoDate,
  published: z.optional(isoDate),
});

export const CeilingHistory = z.strictObject({
  usd: usd(),
  label: text(),
  sources: z.array(text()),
  date: z.optional(isoDate),
});

export const Ceiling = z.strictObject({
  /** The figure the sizing caps an ask at: the current page's value. */
  currentUsd: usd(),
  minUsd: z.optional(usd()),
  /** False when only marketing or third-party material gives the figure. */
  verified: z.boolean(),
  history: z.array(CeilingHistory),
  note: text(),
});

export const Eligibility = z.strictObject({
  /** Latest funding stage still eligible (inclusive). */
  maxStage: z.optional(z.enum(FUNDING_STAGES, `must be one of: ${FUNDING_STAGES.join(', ')}`)),
  maxCompanyAgeYears: z.optional(z.number().check(z.gt(0, 'must be > 0'))),
  requiresWebsite: z.boolean(),
  institutionalFunding: z.enum(['required', 'not-allowed', 'any'], 'must be one of: required, not-allowed, any'),
  requiresActivateProviderOrgId: z.boolean(),
  /** Activate: an application must ask for more than the credits already received (and gets the difference). */
  askMustExceedPriorCredits: z.boolean(),
  requiresAiFirst: z.boolean(),
  requiresDefinedPoc: z.boolean(),
  excludedRegionPrefixes: z.array(text()),
  /** Conditions the worksheet cannot show; every decision lists them as "to confirm". */
  toConfirm: z.array(text()),
});

export const STACKING_ROLES = ['poc', 'footprint', 'footprint-fallback', 'long-shot'] as const;

export const Program = z.strictObject({
  id: z.enum(PROGRAM_IDS, `must be one of: ${PROGRAM_IDS.join(', ')}`),
  name: text(),
  filingPath: z.enum(FILING_PATHS, `must be one of: ${FILING_PATHS.join(', ')}`),
  alternativeFilingPaths: z.array(z.enum(FILING_PATHS, `must be one of: ${FILING_PATHS.join(', ')}`)),
  /** poc: the Bedrock POC window; footprint: the rest; footprint-fallback: only when footprint does not apply; long-shot: parallel, not counted. */
  stackingRole: z.enum(STACKING_ROLES, `must be one of: ${STACKING_ROLES.join(', ')}`),
  whoQualifies: text(),
  ceiling: Ceiling,
  eligibility: Eligibility,
  speed: z.strictObject({ text: text(), minDays: z.number().check(z.gte(0)), maxDays: z.number().check(z.gte(0)) }),
  expiry: z.strictObject({ typicalMonths: months(), verified: z.boolean(), note: text() }),
  /** POC only: months of the forecast the POC covers when the worksheet gives no duration. */
  defaultWindowMonths: z.optional(months()),
  windowVerified: z.optional(z.boolean()),
  changes: z.array(z.strictObject({ date: z.optional(isoDate), change: text(), sources: z.array(text()) })),
  sources: z.array(text()).check(z.minLength(1, 'must name at least one source')),
  notes: z.optional(text()),
});
export type Program = z.infer<typeof Program>;

export const AskRoundingStep = z.strictObject({
  /** Applies to amounts up to and including this figure; the last step has none. */
  upToUsd: z.optional(usd()),
  stepUsd: z.number().check(z.gt(0, 'must be > 0')),
});

export const CreditExclusion = z.strictObject({
  label: text(),
  /** Case-insensitive regular expression matched against worksheet otherServices[].service. */
  servicePattern: z.optional(text()),
  sources: z.array(text()),
});

export const ProgramsData = z
  .strictObject({
    asOf: isoDate,
    asOfNote: text(),
    sizingPolicy: z.strictObject({
      headroomShare: z.number().check(z.gte(0, 'must be between 0 and 1'), z.lte(1, 'must be between 0 and 1')),
      headroomSource: text(),
      askRounding: z.array(AskRoundingStep).check(z.minLength(1, 'must have at least one step')),
      askRoundingNote: text(),
      poolCoverageMaxMonths: months(),
    }),
    creditExclusions: z.array(CreditExclusion),
    creditExclusionsNote: text(),
    thirdPartyModelNote: text(),
    sources: z.array(ProgramSource).check(z.minLength(1, 'must list at least one source')),
    programs: z.array(Program),
  })
  .check(
    z.refine((d) => PROGRAM_IDS.every((id) => d.programs.some((p) => p.id === id)) && d.programs.length === PROGRAM_IDS.length, {
      message: `must list each program once: ${PROGRAM_IDS.join(', ')}`,
      path: ['programs'],
    }),
    z.refine((d) => d.sizingPolicy.askRounding.slice(-1)[0]?.upToUsd === undefined, {
      message: 'the last step must have no upToUsd (it covers every larger amount)',
      path: ['sizingPolicy', 'askRounding'],
    }),
    z.refine((d) => d.programs.every((p) => p.sources.every((s) => d.sources.some((src) => src.id === s))), {
      message: 'every program source must be one of the listed sources',
      path: ['programs'],
    }),
  );
export type ProgramsData = z.infer<typeof ProgramsData>;

/**
 * Credit programs: eligibility decisions that explain themselves, and the stacking plan sized from the forecast.
 * The program facts (ceilings, rules, expiry, filing path) are data (`data/programs.json`); this module only reads
 * them, so a changed ceiling is a data change.
 */
import rawPrograms from '../../data/programs.json' with { type: 'json' };
import runtimeProgramsBr from '../../data/runtime/programs.br.ts';
import { inflateJson } from './compressed-data.ts';
import type { ProgramsData as WholeProgramsData } from '../../schemas/programs.ts';
import type { RuntimeProgram, RuntimePrograms } from '../../schemas/runtime-data.ts';
import type { FieldProblem } from '../../schemas/issues.ts';
import { FUNDING_STAGES } from '../../schemas/funding-stages.ts';
import type { SizingWorksheet } from './sizing-worksheet.ts';
import type { Filing, ProgramId } from '../../schemas/estimate.ts';
import { centsToUsd, formatUsd, maxCents, minCents, shareOfCents, sumCents, usdToCents, type Cents } from './money.ts';
import { roundUpAsk, type Forecast, type ForecastMonth } from './forecast.ts';

/**
 * The programs as the functions read them: data/runtime/programs.json, the projection of data/programs.json without
 * its sources' details, prose and history (`npm run gen:runtime-data`). A whole file is one too (tests pass them).
 */
export type ProgramsData = RuntimePrograms;
export type Program = RuntimeProgram;
export type { WholeProgramsData };

export class ProgramsDataError extends Error {
  override readonly name = 'ProgramsDataError';
  constructor(readonly problems: FieldProblem[]) {
    super(`programs data is invalid: ${problems.map((p) => `${p.field} ${p.rule}`).join('; ')}`);
  }
}

/**
 * The whole file as it is in data/ (sources, notes, history): for people, tests and the CLI. No function reads it: a
 * handler that did would bundle all of it.
 */
export const programsData = rawPrograms as unknown as WholeProgramsData;

/**
 * What the functions read: data/runtime/programs.json, loaded from its compressed module (./compressed-data.ts),
 * checked at build (data-checks.ts), trusted at run time, inflated once at load.
 */
export const runtimePrograms: ProgramsData = /* @__PURE__ */ inflateJson<ProgramsData>(runtimeProgramsBr);

export function programById(id: ProgramId, data: ProgramsData = runtimePrograms): Program {
  const program = data.programs.find((p) => p.id === id);
  if (!program) throw new ProgramsDataError([{ field: 'programs', rule: `must include ${id}` }]);
  return program;
}

// ---------------------------------------------------------------------------------------------------------------
// Eligibility

export type ProgramDecision = { programId: ProgramId; eligible: boolean; reasons: string[] };

/** Whole years between the founding date and `now` (UTC); a future founding date counts as 0. */
export function companyAgeYears(foundedOn: string, now: Date): number {
  const [y, m, d] = foundedOn.split('-').map(Number) as [number, number, number];
  let years = now.getUTCFullYear() - y;
  const beforeAnniversary = now.getUTCMonth() + 1 < m || (now.getUTCMonth() + 1 === m && now.getUTCDate() < d);
  if (beforeAnniversary) years -= 1;
  return Math.max(0, years);
}

type Check = { ok: boolean; reason: string };

function stageCheck(w: SizingWorksheet, program: Program): Check | undefined {
  const max = program.eligibility.maxStage;
  if (!max) return undefined;
  const ok = FUNDING_STAGES.indexOf(w.company.stage) <= FUNDING_STAGES.indexOf(max);
  return { ok, reason: ok ? `stage ${w.company.stage} is within the limit (up to and including ${max})` : `stage ${w.company.stage} is past the limit: ${program.name} is for startups up to and including ${max}` };
}

function ageCheck(w: SizingWorksheet, program: Program, now: Date): Check | undefined {
  const max = program.eligibility.maxCompanyAgeYears;
  if (max === undefined) return undefined;
  const age = companyAgeYears(w.company.foundedOn, now);
  const ok = age < max;
  return { ok, reason: `founded ${w.company.foundedOn}, ${age} full year${age === 1 ? '' : 's'} ago: ${ok ? 'within' : 'not within'} the last ${max} years` };
}

function fundingChecks(w: SizingWorksheet, program: Program): Check[] {
  const f = w.company.institutionalFunding;
  const rule = program.eligibility.institutionalFunding;
  const checks: Check[] = [];
  if (rule === 'required') {
    checks.push(f.funded
      ? { ok: true, reason: `institutionally funded by ${f.provider ?? 'a named provider'}` }
      : { ok: false, reason: `${program.name} needs institutional funding (a VC, accelerator or incubator that is an Activate provider); the company is not institutionally funded` });
  }
  if (rule === 'not-allowed') {
    checks.push(f.funded
      ? { ok: false, reason: `institutionally funded (${f.provider ?? 'provider not named'}): ${program.name} is for self-funded startups; VC-backed startups use Activate Portfolio` }
      : { ok: true, reason: 'self-funded (no institutional funding), as this program requires' });
  }
  if (program.eligibility.requiresActivateProviderOrgId && f.funded) {
    checks.push(f.activateProviderOrgId
      ? { ok: true, reason: `Activate Provider Organization ID ${f.activateProviderOrgId} from ${f.provider ?? 'the provider'}` }
      : { ok: false, reason: `no Activate Provider Organization ID: ask ${f.provider ?? 'the VC or accelerator'} for theirs (or a provider email invite) to apply` });
  }
  return checks;
}

function priorCreditsCheck(w: SizingWorksheet, program: Program): Check | undefined {
  if (!program.eligibility.askMustExceedPriorCredits) return undefined;
  const prior = w.company.priorCreditsUsd;
  const ceiling = program.ceiling.currentUsd;
  if (prior <= 0) return { ok: true, reason: 'no AWS credits received before: new to Activate' };
  const ok = prior < ceiling;
  return {
    ok,
    reason: ok
      ? `${formatUsd(usdToCents(prior))} of credits already received: Activate awards only the difference, at most ${formatUsd(usdToCents(ceiling - prior))} more`
      : `${formatUsd(usdToCents(prior))} of credits already received is not below the ${formatUsd(usdToCents(ceiling))} ceiling: an application must ask for more than was already received`,
  };
}

function pocCheck(w: SizingWorksheet, program: Program): Check | undefined {
  if (!program.eligibility.requiresDefinedPoc) return undefined;
  const poc = w.useCase.poc;
  return poc.defined && poc.successMetric
    ? { ok: true, reason: `a defined proof of concept with a success metric ("${poc.successMetric}")` }
    : { ok: false, reason: 'no defined proof of concept with a success metric (useCase.poc): POC funding needs a use case, scope and success metric' };
}

function aiFirstCheck(w: SizingWorksheet, program: Program): Check | undefined {
  if (!program.eligibility.requiresAiFirst) return undefined;
  return w.company.aiFirst
    ? { ok: true, reason: 'the product itself is built on generative AI (AI-first)' }
    : { ok: false, reason: `${program.name} selects AI-first startups; the product is not marked AI-first` };
}

function websiteCheck(w: SizingWorksheet, program: Program): Check | undefined {
  if (!program.eligibility.requiresWebsite) return undefined;
  const ok = w.company.website.trim() !== '';
  return { ok, reason: ok ? `public website ${w.company.website}` : 'a functioning website or public profile is required' };
}

function regionCheck(w: SizingWorksheet, program: Program): Check | undefined {
  const prefix = program.eligibility.excludedRegionPrefixes.find((p) => w.aws.region.startsWith(p));
  return prefix ? { ok: false, reason: `Region ${w.aws.region}: ${program.name} does not apply to AWS China Regions` } : undefined;
}

export function decideProgram(w: SizingWorksheet, program: Program, now: Date): ProgramDecision {
  const checks = [
    pocCheck(w, program),
    aiFirstCheck(w, program),
    ...fundingChecks(w, program),
    stageCheck(w, program),
    ageCheck(w, program, now),
    websiteCheck(w, program),
    priorCreditsCheck(w, program),
    regionCheck(w, program),
  ].filter((c): c is Check => c !== undefined);
  const eligible = checks.every((c) => c.ok);
  // Failing reasons first: they are what the founder must act on.
  const reasons = [...checks.filter((c) => !c.ok), ...checks.filter((c) => c.ok)].map((c) => `${c.ok ? 'yes' : 'no'}: ${c.reason}`);
  if (eligible) reasons.push(...program.eligibility.toConfirm.map((t) => `to confirm: ${t}`));
  if (eligible && program.stackingRole === 'long-shot') reasons.push('competitive cohort with no rolling application: a parallel long shot, not counted in the plan');
  if (!program.ceiling.verified) reasons.push(`note: ceiling unverified (${program.ceiling.note})`);
  return { programId: program.id, eligible, reasons };
}

export function decideEligibility(w: SizingWorksheet, now: Date, data: ProgramsData = runtimePrograms): ProgramDecision[] {
  return data.programs.map((p) => decideProgram(w, p, now));
}

// ---------------------------------------------------------------------------------------------------------------
// Stacking plan

export type Warning = { code: string; message: string; amountUsd?: string };

export type PlanResult = {
  filings: Filing[];
  /** Asks counted towards the forecast (the long shot is not). */
  totalAskCents: Cents;
  /** Credit-eligible forecast spend (no headroom) the counted asks do not cover. */
  outOfPocketCents: Cents;
  /** Credit left unused when a counted filing expires inside the covered window. */
  forfeitedCents: Cents;
  uncoveredSpendCents: Cents;
  warnings: Warning[];
  notes: string[];
};

export type PlanInput = {
  worksheet: SizingWorksheet;
  forecast: Forecast;
  decisions: ProgramDecision[];
  headroomShare: number;
  /** Other services the credits do not pay for (AWS Marketplace, upfront fees, ...), by name. */
  ineligibleServices: { service: string; label: string }[];
  data?: ProgramsData;
};

type MonthEnvelope = { month: number; bedrockCents: Cents; eligibleCents: Cents; withHeadroomCents: Cents };

function envelopes(m: ForecastMonth[], ineligible: Set<string>, headroom: number): MonthEnvelope[] {
  return m.map((month) => {
    const excluded = sumCents(month.otherServices.filter((s) => ineligible.has(s.service)).map((s) => s.cents));
    const eligibleCents = month.subtotalCents - excluded;
    return { month: month.month, bedrockCents: month.bedrockCents, eligibleCents, withHeadroomCents: eligibleCents + shareOfCents(eligibleCents, headroom) };
  });
}

const DAYS_PER_MONTH = 365 / 12;

/** POC window: the worksheet's duration when given (weeks → whole months, rounded up), else the data's default. */
export function pocWindowMonths(w: SizingWorksheet, program: Program): number {
  const weeks = w.useCase.poc.durationWeeks;
  const months = weeks ? Math.ceil((weeks * 7) / DAYS_PER_MONTH) : (program.defaultWindowMonths ?? 2);
  return Math.min(months, w.workload.monthsToCover);
}

function averageCents(values: Cents[]): Cents {
  if (values.length === 0) return 0n;
  const total = sumCents(values);
  const n = BigInt(values.length);
  return (total * 2n + n) / (2n * n); // round half up
}

function spendByService(months: ForecastMonth[], ineligible: Set<string>, bedrockOnly: boolean): Filing['monthlySpendByService'] {
  const lines = [{ service: 'Amazon Bedrock', cents: averageCents(months.map((m) => m.bedrockCents)) }];
  if (!bedrockOnly) {
    const services = months[0]?.otherServices.map((s) => s.service).filter((s) => !ineligible.has(s)) ?? [];
    for (const service of services) lines.push({ service, cents: averageCents(months.map((m) => m.otherServices.find((s) => s.service === service)?.cents ?? 0n)) });
  }
  // ACE requires every expected monthly amount to be > 0.
  return lines.filter((l) => l.cents > 0n).map((l) => ({ service: l.service, monthlyUsd: centsToUsd(l.cents) }));
}

type Sized = {
  program: Program;
  askCents: Cents;
  /** The forecast spend (with headroom) the ask was sized from, before rounding and caps. */
  envelopeCents: Cents;
  coverageMonths: number;
  months: ForecastMonth[];
  bedrockOnly: boolean;
  rationale: string;
  counted: boolean;
};

function sizePoc(program: Program, w: SizingWorksheet, env: MonthEnvelope[], months: ForecastMonth[], headroom: number, data: ProgramsData): Sized {
  const window = pocWindowMonths(w, program);
  const bedrock = sumCents(env.slice(0, window).map((e) => e.bedrockCents));
  const need = bedrock + shareOfCents(bedrock, headroom);
  const ceiling = usdToCents(program.ceiling.currentUsd);
  const askCents = minCents(roundUpAsk(need, data.sizingPolicy.askRounding), ceiling);
  const capped = roundUpAsk(need, data.sizingPolicy.askRounding) > ceiling;
  const source = w.useCase.poc.durationWeeks ? `the ${w.useCase.poc.durationWeeks}-week POC` : `the default ${window}-month POC window (unverified)`;
  return {
    program,
    askCents,
    envelopeCents: need,
    coverageMonths: window,
    months: months.slice(0, window),
    bedrockOnly: true,
    counted: true,
    rationale: `Funds the Bedrock proof of concept: ${formatUsd(bedrock)} of forecast Bedrock spend over ${source} plus ${pctText(headroom)} headroom${capped ? `, capped at the ${formatUsd(ceiling)} ceiling (unverified figure)` : ''}. Filed as its own ACE record.`,
  };
}

function sizeFootprint(program: Program, w: SizingWorksheet, restCents: Cents, months: ForecastMonth[], data: ProgramsData, afterPoc: boolean): Sized {
  const available = usdToCents(program.ceiling.currentUsd) - (program.eligibility.askMustExceedPriorCredits ? usdToCents(w.company.priorCreditsUsd) : 0n);
  const rounded = roundUpAsk(restCents, data.sizingPolicy.askRounding);
  const askCents = maxCents(0n, minCents(rounded, available));
  const scope = afterPoc ? 'the rest of the AWS footprint beyond the POC record' : 'the AWS footprint';
  return {
    program,
    askCents,
    envelopeCents: restCents,
    coverageMonths: w.workload.monthsToCover,
    months,
    bedrockOnly: false,
    counted: true,
    rationale: `Covers ${scope} over ${w.workload.monthsToCover} months: ${formatUsd(restCents)} of forecast spend with headroom${rounded > available ? `, capped at the ${formatUsd(available)} still available (${program.ceiling.note})` : ''}.`,
  };
}

function sizeLongShot(program: Program, w: SizingWorksheet, envelopeCents: Cents, months: ForecastMonth[], data: ProgramsData): Sized {
  const askCents = minCents(roundUpAsk(envelopeCents, data.sizingPolicy.askRounding), usdToCents(program.ceiling.currentUsd));
  return {
    program,
    askCents,
    envelopeCents,
    coverageMonths: w.workload.monthsToCover,
    months,
    bedrockOnly: false,
    counted: false,
    rationale: `Parallel long shot via the cohort application (not ACE): a competitive cohort (${program.speed.text}); sized at the whole ${formatUsd(envelopeCents)} envelope but not counted in the plan's coverage.`,
  };
}

function pctText(share: number): string {
  return `${Math.round(share * 10000) / 100}%`;
}

/**
 * Credits are applied earliest expiry first (ties in filing order), all from month 1. Returns what each counted
 * filing leaves unused at an expiry inside the covered window, and what spend no credit covered. A pool is emptied
 * at the end of its expiry month (what is left is forfeited), so it pays nothing after: no check of its expiry when
 * paying.
 */
function simulatePools(sized: Sized[], spend: Cents[]): { forfeited: Map<ProgramId, Cents>; uncovered: Cents } {
  const pools = sized
    .filter((s) => s.counted)
    .map((s) => ({ id: s.program.id, left: s.askCents, expiresAfter: s.program.expiry.typicalMonths }))
    .sort((a, b) => a.expiresAfter - b.expiresAfter); // a stable sort: ties keep the filing order
  const forfeited = new Map<ProgramId, Cents>();
  let uncovered = 0n;
  spend.forEach((cost, i) => {
    const month = i + 1;
    let due = cost;
    for (const pool of pools) {
      const used = minCents(pool.left, due);
      pool.left -= used;
      due -= used;
    }
    uncovered += due;
    for (const pool of pools) {
      if (pool.expiresAfter === month && pool.left > 0n) {
        forfeited.set(pool.id, pool.left);
        pool.left = 0n;
      }
    }
  });
  return { forfeited, uncovered };
}

function toFiling(s: Sized, ineligible: Set<string>): Filing {
  return {
    programId: s.program.id,
    programName: s.program.name,
    filingPath: s.program.filingPath,
    askUsd: centsToUsd(s.askCents),
    coverageMonths: s.coverageMonths,
    monthlySpendByService: spendByService(s.months, ineligible, s.bedrockOnly),
    rationale: s.rationale,
  };
}

export function planFilings(input: PlanInput): PlanResult {
  const data = input.data ?? runtimePrograms;
  const w = input.worksheet;
  const months = input.forecast.months;
  const ineligible = new Set(input.ineligibleServices.map((s) => s.service));
  const env = envelopes(months, ineligible, input.headroomShare);
  const envelopeCents = sumCents(env.map((e) => e.withHeadroomCents));
  const eligible = (id: ProgramId) => input.decisions.find((d) => d.programId === id)?.eligible === true;
  const warnings: Warning[] = [];
  const notes: string[] = [];

  const sized: Sized[] = [];
  if (eligible('bedrock-poc')) sized.push(sizePoc(programById('bedrock-poc', data), w, env, months, input.headroomShare, data));
  const pocAsk = sized[0]?.askCents ?? 0n;
  const rest = maxCents(0n, envelopeCents - pocAsk);
  if (eligible('activate-portfolio')) {
    if (rest > 0n) sized.push(sizeFootprint(programById('activate-portfolio', data), w, rest, months, data, pocAsk > 0n));
    if (eligible('activate-founders')) notes.push('Activate Founders is not filed: Activate Portfolio applies');
  } else if (eligible('activate-founders')) {
    if (rest > 0n) sized.push(sizeFootprint(programById('activate-founders', data), w, rest, months, data, pocAsk > 0n));
  }
  if (eligible('genai-accelerator')) sized.push(sizeLongShot(programById('genai-accelerator', data), w, envelopeCents, months, data));

  const counted = sized.filter((s) => s.counted);
  const totalAskCents = sumCents(counted.map((s) => s.askCents));
  const expected = env.map((e) => e.eligibleCents);
  const sim = simulatePools(sized, expected);
  const forfeitedCents = sumCents(sim.forfeited.values());

  for (const [id, cents] of sim.forfeited) {
    const s = sized.find((x) => x.program.id === id) as Sized;
    warnings.push({
      code: 'over-ask',
      amountUsd: centsToUsd(cents),
      message: `${s.program.name}: ${formatUsd(cents)} of the ${formatUsd(s.askCents)} ask would be forfeited at its expiry after about ${s.program.expiry.typicalMonths} months, because the forecast spends less than that before then (expiry ${s.program.expiry.verified ? '' : 'unverified: '}${s.program.expiry.note})`,
    });
  }
  for (const s of sized) {
    const floor = s.program.ceiling.minUsd;
    if (floor === undefined || s.envelopeCents >= usdToCents(floor)) continue;
    const what = s.program.stackingRole === 'poc' ? 'the POC envelope' : 'the envelope';
    warnings.push({
      code: 'below-program-floor',
      amountUsd: centsToUsd(s.envelopeCents),
      message: `${s.program.name}: ${what} ${formatUsd(s.envelopeCents)} is below the program's usual ${formatUsd(usdToCents(floor))} floor${s.program.ceiling.verified ? '' : ' (unverified figure)'}; the ask stays at ${formatUsd(s.askCents)}, sized from the forecast (not raised to the floor)`,
    });
  }
  const outOfPocketCents = sim.uncovered;
  if (outOfPocketCents > 0n) {
    warnings.push({
      code: 'under-ask',
      amountUsd: centsToUsd(outOfPocketCents),
      message: `the plan's credits (${formatUsd(totalAskCents)}) leave ${formatUsd(outOfPocketCents)} of the ${formatUsd(sumCents(expected))} credit-eligible forecast to be paid out of pocket${counted.length === 0 ? ' (no program in the plan applies)' : ''}`,
    });
  }
  const uncoveredSpendCents = sumCents(months.flatMap((m) => m.otherServices.filter((s) => ineligible.has(s.service)).map((s) => s.cents)));
  const naiveGap = input.forecast.naiveSubtotalCents - input.forecast.subtotalCents;
  if (naiveGap > 0n) {
    const naiveOutOfPocket = maxCents(0n, input.forecast.naiveSubtotalCents - uncoveredSpendCents - totalAskCents);
    warnings.push({
      code: 'levers-assumed',
      amountUsd: centsToUsd(naiveOutOfPocket),
      message: `the forecast assumes the batch and caching levers are applied; at naive on-demand use spend is ${formatUsd(naiveGap)} higher, and ${formatUsd(naiveOutOfPocket)} of it would not be covered by the plan's ${formatUsd(totalAskCents)} of credits`,
    });
  }
  for (const s of input.ineligibleServices) {
    const cents = sumCents(months.map((m) => m.otherServices.find((o) => o.service === s.service)?.cents ?? 0n));
    warnings.push({
      code: 'uncovered-spend',
      amountUsd: centsToUsd(cents),
      message: `${s.service}: ${formatUsd(cents)} over ${months.length} months is not credit-eligible (${s.label}) and is left out of every ask`,
    });
  }
  return { filings: sized.map((s) => toFiling(s, ineligible)), totalAskCents, outOfPocketCents, forfeitedCents, uncoveredSpendCents, warnings, notes };
}

/** Other services the credits do not pay for, matched by name against the data's exclusion patterns. */
export function ineligibleServices(w: SizingWorksheet, data: ProgramsData = runtimePrograms): { service: string; label: string }[] {
  const out: { service: string; label: string }[] = [];
  for (const s of w.otherServices) {
    const hit = data.creditExclusions.find((e) => e.servicePattern && new RegExp(e.servicePattern, 'i').test(s.service));
    if (hit) out.push({ service: s.service, label: hit.label });
  }
  return out;
}

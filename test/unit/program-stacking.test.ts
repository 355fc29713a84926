/**
 * The stacking plan (planFilings) on forecasts built by hand, so every figure is exact: which programs are filed and
 * in what order, each ask (rounded by the data's steps, capped by the data's ceilings), the spend lines per filing,
 * the rationale's wording and figures, the order credits are used in (earliest expiry first, ties in filing order)
 * and each warning. Program facts come from the runtime data (data/runtime/programs.json); the scenarios through a
 * whole estimate are in programs.test.ts. Everything is built inside the tests (StrykerJS counts nothing built when
 * the file is collected).
 */
import { describe, expect, it } from 'vitest';
import { roundUpAsk, type Forecast, type ForecastMonth } from '../../functions/core/forecast.ts';
import { centsToUsd, formatUsd, usdToCents, type Cents } from '../../functions/core/money.ts';
import {
  ineligibleServices,
  planFilings,
  pocWindowMonths,
  programById,
  runtimePrograms,
  type Program,
  type ProgramsData,
} from '../../functions/core/programs.ts';
import type { ProgramId } from '../../schemas/estimate.ts';
import type { Worksheet } from '../../schemas/worksheet.ts';
import { ragWorksheet } from '../support/worksheets.ts';

type Line = { service: string; cents: Cents };
type MonthSpec = { bedrock: Cents; other?: Line[]; naiveExtra?: Cents };

/** A forecast with exactly these months (only what the plan reads is meaningful). */
function forecastOf(specs: MonthSpec[]): Forecast {
  const months: ForecastMonth[] = specs.map((m, i) => {
    const other = m.other ?? [];
    const otherCents = other.reduce((a, l) => a + l.cents, 0n);
    const subtotal = m.bedrock + otherCents;
    return {
      month: i + 1,
      trafficRequests: 0,
      models: [],
      bedrockCents: m.bedrock,
      evalHarnessCents: 0n,
      otherServices: other,
      otherServicesCents: otherCents,
      subtotalCents: subtotal,
      headroomCents: 0n,
      totalCents: subtotal,
      naiveSubtotalCents: subtotal + (m.naiveExtra ?? 0n),
    };
  });
  const sum = (f: (m: ForecastMonth) => Cents) => months.reduce((a, m) => a + f(m), 0n);
  return {
    months,
    byModel: [],
    plans: {},
    bedrockCents: sum((m) => m.bedrockCents),
    evalHarnessCents: 0n,
    otherServicesCents: sum((m) => m.otherServicesCents),
    subtotalCents: sum((m) => m.subtotalCents),
    headroomCents: 0n,
    totalCents: sum((m) => m.totalCents),
    naiveBedrockCents: sum((m) => m.bedrockCents),
    naiveSubtotalCents: sum((m) => m.naiveSubtotalCents),
    recommendedAskCents: 0n,
    monthsCovered: () => {
      throw new Error('not read by the plan');
    },
  };
}

const months = (n: number, spec: MonthSpec) => Array.from({ length: n }, () => spec);
const ask = (cents: Cents) => roundUpAsk(cents, runtimePrograms.sizingPolicy.askRounding);
const usd = (n: number) => formatUsd(usdToCents(n));

function plan(w: Worksheet, f: Forecast, eligible: ProgramId[], opts: { headroom?: number; data?: ProgramsData; decided?: ProgramId[] } = {}) {
  const data = opts.data ?? runtimePrograms;
  const decided = opts.decided ?? data.programs.map((p) => p.id);
  return planFilings({
    worksheet: w,
    forecast: f,
    decisions: decided.map((id) => ({ programId: id, eligible: eligible.includes(id), reasons: [] })),
    headroomShare: opts.headroom ?? 0.15,
    ineligibleServices: ineligibleServices(w, data),
    ...(opts.data ? { data: opts.data } : {}),
  });
}

/** The data with one program changed. */
function withProgram(id: ProgramId, change: (p: Program) => Program): ProgramsData {
  return { ...runtimePrograms, programs: runtimePrograms.programs.map((p) => (p.id === id ? change(structuredClone(p)) : p)) };
}

const pocWorksheet = (patch: Parameters<typeof ragWorksheet>[0] = {}) =>
  ragWorksheet({ ...patch, useCase: { poc: { defined: true, successMetric: '85% of answers rated correct', durationWeeks: 8 } } });
const bootstrapped = (patch: Parameters<typeof ragWorksheet>[0] = {}) =>
  ragWorksheet({ ...patch, company: { stage: 'bootstrapped', institutionalFunding: { funded: false }, ...patch.company }, useCase: { poc: { defined: true, successMetric: '85% of answers rated correct', durationWeeks: 8 } } });

describe('POC and Portfolio, with an excluded Marketplace line', () => {
  it('files the POC first from its window, then the rest of the footprint, and warns about the floor and the excluded spend', () => {
    const poc = programById('bedrock-poc');
    const portfolio = programById('activate-portfolio');
    const w = pocWorksheet({ otherServices: [{ service: 'Amazon S3', monthlyUsd: 200 }, { service: 'AWS Marketplace: Pinecone', monthlyUsd: 300 }] });
    const f = forecastOf(months(12, { bedrock: 100_000n, other: [{ service: 'Amazon S3', cents: 20_000n }, { service: 'AWS Marketplace: Pinecone', cents: 30_000n }] }));
    const r = plan(w, f, ['bedrock-poc', 'activate-portfolio']);
    // POC: 8 weeks → 2 months of $1,000 of Bedrock = $2,000, + 15% = $2,300. Envelope: 12 × ($1,200 + 15%) = $16,560.
    const pocAsk = ask(230_000n);
    const rest = 1_656_000n - pocAsk;
    const floor = poc.ceiling.minUsd!;
    expect(230_000n < usdToCents(floor)).toBe(true);
    expect(ask(rest) < usdToCents(portfolio.ceiling.currentUsd)).toBe(true);
    expect(r.filings).toEqual([
      {
        programId: 'bedrock-poc',
        programName: poc.name,
        filingPath: poc.filingPath,
        askUsd: centsToUsd(pocAsk),
        coverageMonths: 2,
        monthlySpendByService: [{ service: 'Amazon Bedrock', monthlyUsd: '1000.00' }],
        rationale: 'Funds the Bedrock proof of concept: $2,000 of forecast Bedrock spend over the 8-week POC plus 15% headroom. Filed as its own ACE record.',
      },
      {
        programId: 'activate-portfolio',
        programName: portfolio.name,
        filingPath: portfolio.filingPath,
        askUsd: centsToUsd(ask(rest)),
        coverageMonths: 12,
        monthlySpendByService: [
          { service: 'Amazon Bedrock', monthlyUsd: '1000.00' },
          { service: 'Amazon S3', monthlyUsd: '200.00' },
        ],
        rationale: `Covers the rest of the AWS footprint beyond the POC record over 12 months: ${formatUsd(rest)} of forecast spend with headroom.`,
      },
    ]);
    expect(r.totalAskCents).toBe(pocAsk + ask(rest));
    // The POC's credit is used first (it expires first) and is spent before its expiry: nothing forfeited, nothing out of pocket.
    expect(r.forfeitedCents).toBe(0n);
    expect(r.outOfPocketCents).toBe(0n);
    expect(r.uncoveredSpendCents).toBe(360_000n);
    expect(r.notes).toEqual([]);
    const label = runtimePrograms.creditExclusions.find((e) => e.servicePattern === 'marketplace')!.label;
    expect(r.warnings).toEqual([
      {
        code: 'below-program-floor',
        amountUsd: '2300.00',
        message: `${poc.name}: the POC envelope $2,300 is below the program's usual ${usd(floor)} floor (unverified figure); the ask stays at ${formatUsd(pocAsk)}, sized from the forecast (not raised to the floor)`,
      },
      {
        code: 'uncovered-spend',
        amountUsd: '3600.00',
        message: `AWS Marketplace: Pinecone: $3,600 over 12 months is not credit-eligible (${label}) and is left out of every ask`,
      },
    ]);
  });

  it('without the POC, Portfolio covers the whole footprint', () => {
    const w = ragWorksheet({ workload: { monthsToCover: 3 } });
    const r = plan(w, forecastOf(months(3, { bedrock: 100_000n })), ['activate-portfolio']);
    expect(r.filings.map((x) => [x.programId, x.askUsd, x.rationale])).toEqual([
      ['activate-portfolio', centsToUsd(ask(345_000n)), 'Covers the AWS footprint over 3 months: $3,450 of forecast spend with headroom.'],
    ]);
  });

  it('when the POC ask covers the whole envelope, no footprint record is filed', () => {
    // 2 months of $1,000 + 15% = $2,300, the POC window and the whole envelope: the POC ask (rounded up) covers it all.
    const w = pocWorksheet({ workload: { monthsToCover: 2 } });
    const f = forecastOf(months(2, { bedrock: 100_000n }));
    expect(plan(w, f, ['bedrock-poc', 'activate-portfolio']).filings.map((x) => x.programId)).toEqual(['bedrock-poc']);
    const b = bootstrapped({ workload: { monthsToCover: 2 } });
    expect(plan(b, f, ['bedrock-poc', 'activate-founders']).filings.map((x) => x.programId)).toEqual(['bedrock-poc']);
  });

  it('the POC ask is capped at the ceiling only when the rounded need is above it', () => {
    const poc = programById('bedrock-poc');
    const ceiling = usdToCents(poc.ceiling.currentUsd);
    // Headroom 0: two months of exactly half the ceiling need the ceiling itself.
    const w = pocWorksheet({ workload: { monthsToCover: 2 } });
    const at = plan(w, forecastOf(months(2, { bedrock: ceiling / 2n })), ['bedrock-poc'], { headroom: 0 });
    expect(ask(ceiling)).toBe(ceiling);
    expect(at.filings[0]!.askUsd).toBe(centsToUsd(ceiling));
    expect(at.filings[0]!.rationale).toBe(`Funds the Bedrock proof of concept: ${formatUsd(ceiling)} of forecast Bedrock spend over the 8-week POC plus 0% headroom. Filed as its own ACE record.`);
    const over = plan(w, forecastOf(months(2, { bedrock: ceiling / 2n + 1n })), ['bedrock-poc'], { headroom: 0 });
    expect(over.filings[0]!.askUsd).toBe(centsToUsd(ceiling));
    expect(over.filings[0]!.rationale).toBe(
      `Funds the Bedrock proof of concept: ${formatUsd(ceiling + 2n)} of forecast Bedrock spend over the 8-week POC plus 0% headroom, capped at the ${formatUsd(ceiling)} ceiling (unverified figure). Filed as its own ACE record.`,
    );
  });

  it('the default POC window is named as such, and the headroom is printed to a hundredth of a percent', () => {
    const poc = programById('bedrock-poc');
    const w = ragWorksheet({ useCase: { poc: { defined: true, successMetric: '85% of answers rated correct' } } });
    const window = poc.defaultWindowMonths!;
    const r = plan(w, forecastOf(months(12, { bedrock: 100_000n })), ['bedrock-poc'], { headroom: 0.12345 });
    const bedrock = BigInt(window) * 100_000n;
    expect(r.filings[0]!.coverageMonths).toBe(window);
    expect(r.filings[0]!.rationale).toBe(`Funds the Bedrock proof of concept: ${formatUsd(bedrock)} of forecast Bedrock spend over the default ${window}-month POC window (unverified) plus 12.35% headroom. Filed as its own ACE record.`);
  });
});

describe('the footprint ask is what the ceiling still allows after credits already received', () => {
  it('Portfolio is capped at the ceiling less prior credits, and says so with the data note', () => {
    const portfolio = programById('activate-portfolio');
    const ceiling = portfolio.ceiling.currentUsd;
    const prior = ceiling - 10_000;
    const w = ragWorksheet({ company: { priorCreditsUsd: prior } });
    const r = plan(w, forecastOf(months(12, { bedrock: 100_000n })), ['activate-portfolio']);
    expect(r.filings[0]!.askUsd).toBe(centsToUsd(usdToCents(10_000)));
    expect(r.filings[0]!.rationale).toBe(`Covers the AWS footprint over 12 months: $13,800 of forecast spend with headroom, capped at the ${usd(10_000)} still available (${portfolio.ceiling.note}).`);
    // $12,000 of spend (no headroom) against $10,000 of credit: $2,000 paid out of pocket, and said so.
    expect(r.outOfPocketCents).toBe(200_000n);
    expect(r.warnings).toEqual([
      { code: 'under-ask', amountUsd: '2000.00', message: `the plan's credits ($10,000) leave $2,000 of the $12,000 credit-eligible forecast to be paid out of pocket` },
    ]);
  });

  it('an ask exactly at what is still available is not called capped', () => {
    const portfolio = programById('activate-portfolio');
    const prior = portfolio.ceiling.currentUsd - 3_000;
    const w = ragWorksheet({ company: { priorCreditsUsd: prior }, workload: { monthsToCover: 3 } });
    const r = plan(w, forecastOf(months(3, { bedrock: 100_000n })), ['activate-portfolio'], { headroom: 0 });
    expect(r.filings[0]!.askUsd).toBe('3000.00');
    expect(r.filings[0]!.rationale).toBe('Covers the AWS footprint over 3 months: $3,000 of forecast spend with headroom.');
  });

  it('prior credits are not subtracted for a program whose data does not say so', () => {
    const data = withProgram('activate-portfolio', (p) => ({ ...p, eligibility: { ...p.eligibility, askMustExceedPriorCredits: false } }));
    const ceiling = data.programs.find((p) => p.id === 'activate-portfolio')!.ceiling.currentUsd;
    const w = ragWorksheet({ company: { priorCreditsUsd: ceiling - 10_000 }, workload: { monthsToCover: 3 } });
    // $60,000 of spend: more than the $10,000 left after prior credits, less than the ceiling.
    expect(usdToCents(ceiling) > 6_000_000n).toBe(true);
    const r = plan(w, forecastOf(months(3, { bedrock: 2_000_000n })), ['activate-portfolio'], { data, headroom: 0 });
    expect(r.filings[0]!.askUsd).toBe(centsToUsd(ask(6_000_000n)));
  });

  it('Founders: the ceiling less prior credits, filed self-serve', () => {
    const founders = programById('activate-founders');
    const w = bootstrapped({ company: { priorCreditsUsd: 1_000 } });
    const r = plan(w, forecastOf(months(12, { bedrock: 100_000n })), ['activate-founders']);
    const available = usdToCents(founders.ceiling.currentUsd - 1_000);
    expect(r.filings.map((x) => [x.programId, x.filingPath, x.askUsd])).toEqual([['activate-founders', founders.filingPath, centsToUsd(available)]]);
    expect(r.filings[0]!.rationale).toBe(`Covers the AWS footprint over 12 months: $13,800 of forecast spend with headroom, capped at the ${formatUsd(available)} still available (${founders.ceiling.note}).`);
    expect(r.totalAskCents).toBe(available);
  });
});

describe('the order credits are used in', () => {
  it('ties in expiry go in filing order: the POC is spent first and the footprint record forfeits what is left', () => {
    const poc = programById('bedrock-poc');
    const founders = programById('activate-founders');
    expect(poc.expiry.typicalMonths).toBe(founders.expiry.typicalMonths);
    const n = founders.expiry.typicalMonths;
    // $100 a month: the POC asks for 2 × $115 → $500; Founders for n × $115 − $500, rounded up.
    const w = bootstrapped({ workload: { monthsToCover: n } });
    const r = plan(w, forecastOf(months(n, { bedrock: 10_000n })), ['bedrock-poc', 'activate-founders']);
    const pocAsk = ask(23_000n);
    const rest = BigInt(n) * 11_500n - pocAsk;
    const foundersAsk = ask(rest);
    const forfeited = pocAsk + foundersAsk - BigInt(n) * 10_000n;
    expect(forfeited > 0n).toBe(true);
    expect(r.filings[1]!.rationale).toBe(`Covers the rest of the AWS footprint beyond the POC record over ${n} months: ${formatUsd(rest)} of forecast spend with headroom.`);
    expect(r.forfeitedCents).toBe(forfeited);
    expect(r.outOfPocketCents).toBe(0n);
    expect(r.warnings[0]).toEqual({
      code: 'over-ask',
      amountUsd: centsToUsd(forfeited),
      message: `${founders.name}: ${formatUsd(forfeited)} of the ${formatUsd(foundersAsk)} ask would be forfeited at its expiry after about ${n} months, because the forecast spends less than that before then (expiry unverified: ${founders.expiry.note})`,
    });
    expect(r.warnings.filter((x) => x.code === 'over-ask')).toHaveLength(1);
  });

  it('the earliest expiry is spent first, whatever the filing order', () => {
    // A POC that lasts longer than the footprint record: the footprint credit is used first, the POC's last.
    const data = withProgram('bedrock-poc', (p) => ({ ...p, expiry: { ...p.expiry, typicalMonths: 24, verified: true, note: 'test expiry' } }));
    const founders = programById('activate-founders', data);
    const n = founders.expiry.typicalMonths;
    expect(n).toBeLessThan(24);
    const w = bootstrapped({ workload: { monthsToCover: n } });
    const r = plan(w, forecastOf(months(n, { bedrock: 10_000n })), ['bedrock-poc', 'activate-founders'], { data });
    // Founders pays from month 1 and is used up; what is left of the POC is not forfeited inside the window.
    expect(r.forfeitedCents).toBe(0n);
    expect(r.warnings.filter((x) => x.code === 'over-ask')).toEqual([]);
  });

  it('a pool is used in the month it expires, and an expiry the data verifies is not called unverified', () => {
    const data = withProgram('activate-founders', (p) => ({ ...p, expiry: { ...p.expiry, typicalMonths: 2, verified: true, note: 'test expiry' } }));
    const w = bootstrapped({ workload: { monthsToCover: 3 } });
    // $1,000 a month, no headroom: Founders asks $3,000 (under its ceiling); month 2 uses it, then $1,000 expires.
    const r = plan(w, forecastOf(months(3, { bedrock: 100_000n })), ['activate-founders'], { data, headroom: 0 });
    expect(r.totalAskCents).toBe(300_000n);
    expect(r.forfeitedCents).toBe(100_000n);
    expect(r.outOfPocketCents).toBe(100_000n);
    expect(r.warnings.map((x) => [x.code, x.amountUsd, x.message])).toEqual([
      ['over-ask', '1000.00', 'AWS Activate Founders: $1,000 of the $3,000 ask would be forfeited at its expiry after about 2 months, because the forecast spends less than that before then (expiry test expiry)'],
      ['under-ask', '1000.00', "the plan's credits ($3,000) leave $1,000 of the $3,000 credit-eligible forecast to be paid out of pocket"],
    ]);
  });
});

describe('program floors', () => {
  it('a verified floor is not called unverified; an envelope exactly at the floor is not below it', () => {
    const founders = programById('activate-founders');
    const floor = usdToCents(founders.ceiling.minUsd!);
    expect(founders.ceiling.verified).toBe(true);
    const w = bootstrapped({ workload: { monthsToCover: 2 } });
    const below = plan(w, forecastOf(months(2, { bedrock: floor / 2n - 1n })), ['activate-founders'], { headroom: 0 });
    expect(below.warnings).toEqual([
      {
        code: 'below-program-floor',
        amountUsd: centsToUsd(floor - 2n),
        message: `${founders.name}: the envelope ${formatUsd(floor - 2n)} is below the program's usual ${formatUsd(floor)} floor; the ask stays at ${formatUsd(ask(floor - 2n))}, sized from the forecast (not raised to the floor)`,
      },
    ]);
    const at = plan(w, forecastOf(months(2, { bedrock: floor / 2n })), ['activate-founders'], { headroom: 0 });
    expect(at.warnings).toEqual([]);
  });
});

describe('spend lines per filing', () => {
  it('averages each service over the covered months, half a cent up, and leaves out zero and excluded lines', () => {
    const w = ragWorksheet({ otherServices: [{ service: 'Amazon S3', monthlyUsd: 1 }, { service: 'AWS Lambda', monthlyUsd: 1 }], workload: { monthsToCover: 2 } });
    const f = forecastOf([
      { bedrock: 10_000n, other: [{ service: 'Amazon S3', cents: 201n }, { service: 'AWS Lambda', cents: 0n }] },
      { bedrock: 10_001n, other: [{ service: 'AWS Lambda', cents: 0n }] },
    ]);
    const r = plan(w, f, ['activate-portfolio']);
    // Bedrock (10,000 + 10,001) / 2 = 10,000.5 → 10,001 cents; S3 (201 + 0) / 2 = 100.5 → 101 cents; Lambda 0: left out.
    expect(r.filings[0]!.monthlySpendByService).toEqual([
      { service: 'Amazon Bedrock', monthlyUsd: '100.01' },
      { service: 'Amazon S3', monthlyUsd: '1.01' },
    ]);
  });

  it("the POC lists the average Bedrock spend of its own window, the footprint of the whole window", () => {
    const w = pocWorksheet({ workload: { monthsToCover: 4 } });
    const f = forecastOf([{ bedrock: 100_000n }, { bedrock: 100_000n }, { bedrock: 300_000n }, { bedrock: 300_000n }]);
    const r = plan(w, f, ['bedrock-poc', 'activate-portfolio']);
    expect(r.filings.map((x) => [x.programId, x.coverageMonths, x.monthlySpendByService])).toEqual([
      ['bedrock-poc', 2, [{ service: 'Amazon Bedrock', monthlyUsd: '1000.00' }]],
      ['activate-portfolio', 4, [{ service: 'Amazon Bedrock', monthlyUsd: '2000.00' }]],
    ]);
  });

  it('a footprint with no Bedrock spend lists only its other services', () => {
    const w = ragWorksheet({ otherServices: [{ service: 'Amazon S3', monthlyUsd: 100 }], workload: { monthsToCover: 1 } });
    const r = plan(w, forecastOf([{ bedrock: 0n, other: [{ service: 'Amazon S3', cents: 10_000n }] }]), ['activate-portfolio']);
    expect(r.filings[0]!.monthlySpendByService).toEqual([{ service: 'Amazon S3', monthlyUsd: '100.00' }]);
  });
});

describe('POC window', () => {
  it('weeks become whole months, rounded up, never past the months covered; without weeks the data default, else 2', () => {
    const poc = programById('bedrock-poc');
    const withWeeks = (weeks: number | undefined, monthsToCover = 12) => {
      const w = ragWorksheet({ workload: { monthsToCover } });
      w.useCase.poc = weeks === undefined ? { defined: true, successMetric: '85% of answers rated correct' } : { defined: true, successMetric: '85% of answers rated correct', durationWeeks: weeks };
      return w;
    };
    expect(pocWindowMonths(withWeeks(4), poc)).toBe(1); // 28 days
    expect(pocWindowMonths(withWeeks(5), poc)).toBe(2); // 35 days
    expect(pocWindowMonths(withWeeks(13), poc)).toBe(3); // 91 days < 3 × 365/12
    expect(pocWindowMonths(withWeeks(14), poc)).toBe(4); // 98 days
    expect(pocWindowMonths(withWeeks(52), poc)).toBe(12);
    expect(pocWindowMonths(withWeeks(8, 1), poc)).toBe(1);
    expect(pocWindowMonths(withWeeks(undefined), { ...poc, defaultWindowMonths: 3 })).toBe(3);
    const { defaultWindowMonths: _unused, ...noDefault } = poc;
    expect(pocWindowMonths(withWeeks(undefined), noDefault)).toBe(2);
    expect(pocWindowMonths(withWeeks(undefined, 1), { ...poc, defaultWindowMonths: 3 })).toBe(1);
  });
});

describe('the long shot and plans with nothing counted', () => {
  it('the accelerator is sized at the whole envelope, capped at its ceiling, and not counted', () => {
    const accelerator = programById('genai-accelerator');
    const ceiling = usdToCents(accelerator.ceiling.currentUsd);
    const w = ragWorksheet({ company: { aiFirst: true }, workload: { monthsToCover: 2 } });
    const monthly = ceiling; // two months of the ceiling each: far above it
    const r = plan(w, forecastOf(months(2, { bedrock: monthly })), ['genai-accelerator'], { headroom: 0 });
    expect(r.filings).toEqual([
      {
        programId: 'genai-accelerator',
        programName: accelerator.name,
        filingPath: accelerator.filingPath,
        askUsd: centsToUsd(ceiling),
        coverageMonths: 2,
        monthlySpendByService: [{ service: 'Amazon Bedrock', monthlyUsd: centsToUsd(monthly) }],
        rationale: `Parallel long shot via the cohort application (not ACE): a competitive cohort (${accelerator.speed.text}); sized at the whole ${formatUsd(2n * monthly)} envelope but not counted in the plan's coverage.`,
      },
    ]);
    expect(r.totalAskCents).toBe(0n);
    // Its credit is not used in the plan: all the spend is out of pocket, and no program in the plan applies.
    expect(r.outOfPocketCents).toBe(2n * monthly);
    expect(r.warnings).toEqual([
      {
        code: 'under-ask',
        amountUsd: centsToUsd(2n * monthly),
        message: `the plan's credits ($0) leave ${formatUsd(2n * monthly)} of the ${formatUsd(2n * monthly)} credit-eligible forecast to be paid out of pocket (no program in the plan applies)`,
      },
    ]);
  });

  it('below its ceiling the accelerator asks the rounded envelope; beside Portfolio it is listed last', () => {
    const w = ragWorksheet({ company: { aiFirst: true }, otherServices: [{ service: 'Amazon S3', monthlyUsd: 100 }], workload: { monthsToCover: 3 } });
    const r = plan(w, forecastOf(months(3, { bedrock: 100_000n, other: [{ service: 'Amazon S3', cents: 10_000n }] })), ['activate-portfolio', 'genai-accelerator']);
    // 3 × ($1,100 + 15%) = $3,795. The long shot lists the whole footprint, as Portfolio does.
    const lines = [{ service: 'Amazon Bedrock', monthlyUsd: '1000.00' }, { service: 'Amazon S3', monthlyUsd: '100.00' }];
    expect(r.filings.map((x) => [x.programId, x.askUsd, x.monthlySpendByService])).toEqual([
      ['activate-portfolio', centsToUsd(ask(379_500n)), lines],
      ['genai-accelerator', centsToUsd(ask(379_500n)), lines],
    ]);
    expect(r.totalAskCents).toBe(ask(379_500n));
  });

  it('a program without a decision, or not decided eligible, is not filed', () => {
    const w = ragWorksheet({ workload: { monthsToCover: 1 } });
    const f = forecastOf([{ bedrock: 100_000n }]);
    expect(plan(w, f, ['activate-portfolio'], { decided: [] }).filings).toEqual([]);
    expect(plan(w, f, [], { decided: ['activate-portfolio'] }).filings).toEqual([]);
  });
});

describe('Founders beside Portfolio', () => {
  it('only Portfolio is filed, with a note', () => {
    const w = ragWorksheet({ workload: { monthsToCover: 1 } });
    const r = plan(w, forecastOf([{ bedrock: 100_000n }]), ['activate-portfolio', 'activate-founders']);
    expect(r.filings.map((x) => x.programId)).toEqual(['activate-portfolio']);
    expect(r.notes).toEqual(['Activate Founders is not filed: Activate Portfolio applies']);
  });
});

describe('the levers the forecast assumes', () => {
  it('warns with the naive gap and what of it the credits would not cover', () => {
    const w = ragWorksheet({ otherServices: [{ service: 'AWS Marketplace: Pinecone', monthlyUsd: 100 }], workload: { monthsToCover: 2 } });
    const f = forecastOf(months(2, { bedrock: 100_000n, other: [{ service: 'AWS Marketplace: Pinecone', cents: 10_000n }], naiveExtra: 150_000n }));
    const r = plan(w, f, ['activate-portfolio'], { headroom: 0 });
    // Ask: $2,000 → $2,000. Naive spend: 2 × ($1,100 + $1,500) = $5,200, less $200 never covered, less $2,000 of credit.
    expect(r.totalAskCents).toBe(ask(200_000n));
    const uncovered = 520_000n - 20_000n - ask(200_000n);
    expect(r.warnings.find((x) => x.code === 'levers-assumed')).toEqual({
      code: 'levers-assumed',
      amountUsd: centsToUsd(uncovered),
      message: `the forecast assumes the batch and caching levers are applied; at naive on-demand use spend is $3,000 higher, and ${formatUsd(uncovered)} of it would not be covered by the plan's ${formatUsd(ask(200_000n))} of credits`,
    });
  });

  it('says $0 when the credits would cover naive use too, and nothing without a naive gap', () => {
    const w = ragWorksheet({ workload: { monthsToCover: 2 } });
    // Naive spend $2,000.02 against a $2,300 → $2,500 ask.
    const covered = plan(w, forecastOf(months(2, { bedrock: 100_000n, naiveExtra: 1n })), ['activate-portfolio']);
    expect(covered.warnings).toEqual([
      {
        code: 'levers-assumed',
        amountUsd: '0.00',
        message: `the forecast assumes the batch and caching levers are applied; at naive on-demand use spend is $0.02 higher, and $0 of it would not be covered by the plan's ${formatUsd(ask(230_000n))} of credits`,
      },
    ]);
    const none = plan(w, forecastOf(months(2, { bedrock: 100_000n })), ['activate-portfolio'], { headroom: 0 });
    expect(none.warnings).toEqual([]);
  });
});

describe('spend the credits do not cover', () => {
  it('is summed over the months that have it, one warning per excluded service', () => {
    const w = ragWorksheet({
      otherServices: [{ service: 'AWS Marketplace: Pinecone', monthlyUsd: 100 }, { service: 'AWS Training and Certification', monthlyUsd: 50 }],
      workload: { monthsToCover: 3 },
    });
    const f = forecastOf([
      { bedrock: 100_000n, other: [{ service: 'AWS Marketplace: Pinecone', cents: 10_000n }, { service: 'AWS Training and Certification', cents: 5_000n }] },
      { bedrock: 100_000n, other: [{ service: 'AWS Marketplace: Pinecone', cents: 10_000n }] },
      { bedrock: 100_000n },
    ]);
    const r = plan(w, f, ['activate-portfolio']);
    expect(r.uncoveredSpendCents).toBe(25_000n);
    expect(r.filings[0]!.askUsd).toBe(centsToUsd(ask(345_000n)));
    expect(r.warnings.filter((x) => x.code === 'uncovered-spend').map((x) => [x.amountUsd, x.message.split(' is not')[0]])).toEqual([
      ['200.00', 'AWS Marketplace: Pinecone: $200 over 3 months'],
      ['50.00', 'AWS Training and Certification: $50 over 3 months'],
    ]);
  });
});

describe('ineligibleServices', () => {
  it('matches the data patterns case-blind, and an exclusion without a pattern matches nothing', () => {
    const w = ragWorksheet({ otherServices: [{ service: 'AWS MARKETPLACE: Pinecone', monthlyUsd: 1 }, { service: 'Amazon S3', monthlyUsd: 1 }] });
    const label = runtimePrograms.creditExclusions.find((e) => e.servicePattern === 'marketplace')!.label;
    expect(ineligibleServices(w)).toEqual([{ service: 'AWS MARKETPLACE: Pinecone', label }]);
    const data = { ...runtimePrograms, creditExclusions: [{ label: 'no pattern' }, ...runtimePrograms.creditExclusions] };
    expect(ineligibleServices(w, data)).toEqual([{ service: 'AWS MARKETPLACE: Pinecone', label }]);
  });
});

/**
 * forecast.ts on priced models built by hand (forecast.test.ts reaches it through estimate() and the rate card): the
 * per-request decisions of planModel and their notes, each lever line of a stream, growth, eval replays, other
 * services, headroom, the ask and the months a pool lasts, all as exact cents derived below.
 * Hand derivation: 12 requests a day is 365 requests a month (a month is 365/12 days); a request of T tokens at P USD
 * per 1M costs T × P / 10,000 cents. Everything is built inside each test (StrykerJS counts nothing built when the
 * file is collected as covered).
 */
import { describe, expect, it } from 'vitest';
import { ALL_LEVERS, forecast, monthsFundedBy, NO_LEVERS, planModel, roundUpAsk, trafficRequests, windowCentsFor, type ForecastInput, type LeverSwitches, type PricedModel } from '../../functions/core/forecast.ts';
import { findModel, type Prices, type RateModel } from '../../functions/core/rates.ts';
import type { Workload } from '../../schemas/worksheet.ts';

/** input 1,000 tokens = 1 cent, output 100 = 1 cent; batch half that; a cache write of 800 tokens 1 cent, a read 0.08. */
const PRICES = (): Prices => ({ inputPer1M: 10, outputPer1M: 100, batchInputPer1M: 5, batchOutputPer1M: 50, cacheWritePer1M: 12.5, cacheReadPer1M: 1 });

function priced(prices: Prices, over: Partial<RateModel> = {}, share = 1): PricedModel {
  const { minCacheablePrefix: _min, longContextPricing: _lc, ...sonnet } = findModel('anthropic.claude-sonnet-4-6')!;
  const model: RateModel = { ...sonnet, modelId: 'acme.m', name: 'Acme M', kind: 'text', ...over };
  return { requestedId: model.modelId, model, share, applied: { prices, basis: 'list', note: 'hand-built' }, lifecycle: { status: 'active', discontinued: false } };
}

function workload(over: Partial<Workload> = {}): Workload {
  return {
    models: [{ modelId: 'acme.m', share: 1 }],
    requestsPerDay: 12,
    avgInputTokens: 1_000,
    avgOutputTokens: 100,
    batchableShare: 0,
    cacheableContextTokens: 0,
    cacheHitRate: 0,
    evalReplaysPerMonth: 0,
    monthlyGrowth: 0,
    monthsToCover: 1,
    ...over,
  };
}

const plan = (pm: PricedModel, w: Partial<Workload>, switches: LeverSwitches = ALL_LEVERS) => planModel(pm, workload(w), switches);
const LEVERED = { batchableShare: 0.2, cacheableContextTokens: 800, cacheHitRate: 0.5 };

describe('planModel: what pays off per request', () => {
  it('caches and batches when each is cheaper (cached 1.74 cents < plain 2; batch 1 < 1.74)', () => {
    expect(plan(priced(PRICES()), LEVERED)).toStrictEqual({ batchAvailable: true, batchApplied: true, cachingAvailable: true, cachingApplied: true, notes: [] });
  });

  it('does not cache below the break-even hit rate, and names both rates', () => {
    // At 20 %: 0.2 plain + 0.8 write + 0.016 read + 1 output = 2.016 > 2. Break-even (12.5 − 10) / (12.5 − 1) = 21.74 %.
    expect(plan(priced(PRICES()), { ...LEVERED, cacheHitRate: 0.2 })).toStrictEqual({
      batchAvailable: true,
      batchApplied: true,
      cachingAvailable: true,
      cachingApplied: false,
      notes: ['caching not applied on Acme M: at a 20% hit rate cache writes cost more than reads save (break-even 21.74%)'],
    });
    expect(plan(priced(PRICES()), { ...LEVERED, cacheHitRate: 0.123456 }).notes).toEqual([
      'caching not applied on Acme M: at a 12.35% hit rate cache writes cost more than reads save (break-even 21.74%)',
    ]);
  });

  it('break-even is 0 % when a cache write costs no more than plain input', () => {
    // No cache-write price: writes are billed as input (10); reads at 10 save nothing, so caching never pays.
    const pm = priced({ inputPer1M: 10, outputPer1M: 100, cacheReadPer1M: 10 });
    expect(plan(pm, LEVERED)).toStrictEqual({
      batchAvailable: false,
      batchApplied: false,
      cachingAvailable: true,
      cachingApplied: false,
      notes: ['caching not applied on Acme M: at a 50% hit rate cache writes cost more than reads save (break-even 0%)', 'Acme M has no batch price: its batchable 20% of traffic stays on-demand'],
    });
  });

  it('a cache write without its own price is billed as input, so caching pays at any hit rate', () => {
    expect(plan(priced({ inputPer1M: 10, outputPer1M: 100, cacheReadPer1M: 1 }), { ...LEVERED, cacheHitRate: 0.01 }).cachingApplied).toBe(true);
  });

  it('compares batch with the cached request when caching applies, with the plain one otherwise', () => {
    // Batch at 0.9 + 0.9 = 1.8 cents: dearer than cached (1.74), cheaper than plain (2).
    const pm = priced({ ...PRICES(), batchInputPer1M: 9, batchOutputPer1M: 90 });
    expect(plan(pm, LEVERED)).toStrictEqual({
      batchAvailable: true,
      batchApplied: false,
      cachingAvailable: true,
      cachingApplied: true,
      notes: ['batch not applied on Acme M: with prompt caching an on-demand request is already cheaper than a batch one'],
    });
    expect(plan(pm, LEVERED, { batch: true, caching: false })).toStrictEqual({ batchAvailable: true, batchApplied: true, cachingAvailable: true, cachingApplied: false, notes: [] });
    // Batch at exactly the cached price (input 0.74 + output 1) is not cheaper.
    expect(plan(priced({ ...PRICES(), batchInputPer1M: 7.4, batchOutputPer1M: 100 }), LEVERED).batchApplied).toBe(false);
  });

  it('batch needs a batch input price, and a batch output price unless the model embeds', () => {
    const inputOnly = { inputPer1M: 10, outputPer1M: 100, batchInputPer1M: 5 };
    expect(plan(priced(inputOnly), { batchableShare: 0.25 })).toStrictEqual({
      batchAvailable: false,
      batchApplied: false,
      cachingAvailable: false,
      cachingApplied: false,
      notes: ['Acme M has no batch price: its batchable 25% of traffic stays on-demand'],
    });
    expect(plan(priced(inputOnly, { kind: 'embedding' }), { batchableShare: 0.25 })).toMatchObject({ batchAvailable: true, batchApplied: true, notes: [] });
    expect(plan(priced({ inputPer1M: 10, outputPer1M: 100, batchOutputPer1M: 5 }, { kind: 'embedding' }), { batchableShare: 0.25 }).batchAvailable).toBe(false);
  });

  it('caching needs a text model with a cache-read price, and says so when the worksheet caches', () => {
    expect(plan(priced({ inputPer1M: 10, outputPer1M: 100, cacheWritePer1M: 12.5 }), LEVERED)).toMatchObject({
      cachingAvailable: false,
      cachingApplied: false,
      notes: ['Acme M has no prompt-caching price: its cacheable context is billed as plain input', 'Acme M has no batch price: its batchable 20% of traffic stays on-demand'],
    });
    expect(plan(priced(PRICES(), { kind: 'embedding' }), LEVERED)).toMatchObject({ cachingAvailable: false, cachingApplied: false });
  });

  it('says nothing about a lever the worksheet does not use or the switches turn off', () => {
    const bare = priced({ inputPer1M: 10, outputPer1M: 100 });
    const none = { batchAvailable: false, batchApplied: false, cachingAvailable: false, cachingApplied: false, notes: [] };
    expect(plan(bare, { cacheableContextTokens: 0, cacheHitRate: 0.5 })).toStrictEqual(none);
    expect(plan(bare, { cacheableContextTokens: 800, cacheHitRate: 0 })).toStrictEqual(none);
    expect(plan(bare, { batchableShare: 0 })).toStrictEqual(none);
    expect(plan(bare, LEVERED, NO_LEVERS)).toStrictEqual(none);
    expect(plan(priced(PRICES()), { cacheableContextTokens: 0, cacheHitRate: 0.5 })).toStrictEqual({ batchAvailable: true, batchApplied: false, cachingAvailable: true, cachingApplied: false, notes: [] });
    expect(plan(priced(PRICES()), { cacheableContextTokens: 800, cacheHitRate: 0 })).toStrictEqual({ batchAvailable: true, batchApplied: false, cachingAvailable: true, cachingApplied: false, notes: [] });
    expect(plan(priced(PRICES()), LEVERED, { batch: false, caching: true })).toMatchObject({ batchApplied: false, cachingApplied: true, notes: [] });
    expect(plan(priced(PRICES()), LEVERED, { batch: true, caching: false })).toMatchObject({ batchApplied: true, cachingApplied: false, notes: [] });
  });

  it('does not cache a context shorter than the minimum cacheable prefix, and caches one exactly at it', () => {
    const pm = priced(PRICES(), { minCacheablePrefix: { tokens: 801, sources: ['x'], verified: true } });
    expect(plan(pm, LEVERED)).toStrictEqual({
      batchAvailable: true,
      batchApplied: true,
      cachingAvailable: true,
      cachingApplied: false,
      belowCacheMinimum: { cacheableTokens: 800, minimumTokens: 801 },
      notes: ['caching not applied on Acme M: the 800 cacheable context tokens are below its minimum cacheable prefix of 801 tokens, so Bedrock would not cache them (billed as plain input)'],
    });
    expect(plan(priced(PRICES(), { minCacheablePrefix: { tokens: 800, sources: ['x'], verified: true } }), LEVERED)).toStrictEqual({
      batchAvailable: true,
      batchApplied: true,
      cachingAvailable: true,
      cachingApplied: true,
      notes: [],
    });
  });
});

describe('forecast: each line, month, total and the ask, to the cent', () => {
  const input = (over: Partial<Workload> = {}): ForecastInput => ({
    workload: workload({ ...LEVERED, monthlyGrowth: 0.1, evalReplaysPerMonth: 10, monthsToCover: 2, ...over }),
    models: [priced(PRICES())],
    otherServices: [
      { service: 'Amazon S3', monthlyCents: 1_000n, creditEligible: true },
      { service: 'AWS Marketplace: X', monthlyCents: 500n, creditEligible: false },
    ],
    headroomShare: 0.1,
    askRounding: [{ stepUsd: 0.01 }],
  });

  it('splits each stream into lever lines (largest remainder) and grows traffic month over month', () => {
    const f = forecast(input());
    // Month 1: 365 requests, 73 batch, 292 on demand (146 hits, 146 misses). Exact cents: on-demand input 292 × 0.2 =
    // 58.4, output 292, batch 36.5 + 36.5, cache writes 146 × 1 = 146, reads 146 × 0.08 = 11.68: 581.08 → 581; the two
    // cents past the floors go to the reads (0.68) and batch input (0.5, before batch output).
    // Month 2: 401.5 requests (× 1.1): 64.24, 321.2, 40.15, 40.15, 160.6, 12.848 = 639.188 → 639: reads and writes.
    // Eval replays, flat: 10 requests, 2 batch, 8 on demand (4 hits): 1.6, 8, 1, 1, 4, 0.32 = 15.92 → 16.
    const [m1, m2] = f.months;
    expect(m1?.trafficRequests).toBe(365);
    expect(m2?.trafficRequests).toBe(401.5);
    expect(m1?.models).toStrictEqual([
      {
        modelId: 'acme.m',
        traffic: { onDemandInput: 58n, onDemandOutput: 292n, batchInput: 37n, batchOutput: 36n, cacheWrite: 146n, cacheRead: 12n },
        evalHarness: { onDemandInput: 2n, onDemandOutput: 8n, batchInput: 1n, batchOutput: 1n, cacheWrite: 4n, cacheRead: 0n },
        totalCents: 597n,
      },
    ]);
    expect(m2?.models[0]?.traffic).toStrictEqual({ onDemandInput: 64n, onDemandOutput: 321n, batchInput: 40n, batchOutput: 40n, cacheWrite: 161n, cacheRead: 13n });
    expect(m2?.models[0]?.totalCents).toBe(655n);
  });

  it('adds other services and headroom per month; the naive month has no levers and no headroom', () => {
    const [m1, m2] = forecast(input()).months;
    // Naive month 1: 365 × 2 + 10 × 2 = 750; month 2: 401.5 × 2 = 803 (401 + 402) + 20 = 823.
    expect(m1).toStrictEqual({
      month: 1,
      trafficRequests: 365,
      models: m1?.models,
      bedrockCents: 597n,
      evalHarnessCents: 16n,
      otherServices: [
        { service: 'Amazon S3', cents: 1_000n },
        { service: 'AWS Marketplace: X', cents: 500n },
      ],
      otherServicesCents: 1_500n,
      subtotalCents: 2_097n,
      headroomCents: 210n, // 209.7
      totalCents: 2_307n,
      naiveSubtotalCents: 2_250n,
    });
    expect([m2?.month, m2?.bedrockCents, m2?.subtotalCents, m2?.headroomCents, m2?.totalCents, m2?.naiveSubtotalCents]).toEqual([2, 655n, 2_155n, 216n, 2_371n, 2_323n]);
  });

  it('sums the window, per model and in all, and asks for eligible spend with headroom only', () => {
    const f = forecast(input());
    expect([f.bedrockCents, f.evalHarnessCents, f.otherServicesCents, f.subtotalCents, f.headroomCents, f.totalCents, f.naiveBedrockCents, f.naiveSubtotalCents]).toEqual([
      1_252n,
      32n,
      3_000n,
      4_252n,
      426n,
      4_678n,
      1_573n,
      4_573n,
    ]);
    expect(f.byModel).toStrictEqual([
      {
        modelId: 'acme.m',
        levers: { onDemandInput: 126n, onDemandOutput: 629n, batchInput: 79n, batchOutput: 78n, cacheWrite: 315n, cacheRead: 25n },
        evalHarnessCents: 32n,
        totalCents: 1_252n,
        naiveCents: 1_573n,
      },
    ]);
    expect(f.plans).toStrictEqual({ 'acme.m': { batchAvailable: true, batchApplied: true, cachingAvailable: true, cachingApplied: true, notes: [] } });
    // Month 1: 597 + 1,000 eligible + 159.7 → 160 = 1,757; month 2: 655 + 1,000 + 165.5 → 166 = 1,821. The Marketplace
    // line is not in it.
    expect(f.recommendedAskCents).toBe(3_578n);
  });

  it('counts the months a pool lasts at eligible spend without headroom, levers on and off', () => {
    const f = forecast(input());
    // Optimized: 1,597 then 1,655 a month; naive: 1,750 then 1,823 (month 3 on: 1,000 + 3rd month's Bedrock).
    expect(f.monthsCovered(20)).toStrictEqual({ poolCents: 2_000n, naiveMonths: 1.13, optimizedMonths: 1.24, horizonMonths: 60 }); // 250/1,823; 403/1,655
    expect(f.monthsCovered(1_000, 3)).toStrictEqual({ poolCents: 100_000n, naiveMonths: 3, optimizedMonths: 3, horizonMonths: 3 });
  });

  it('with the switches off, the forecast is the naive one', () => {
    const f = forecast(input(), NO_LEVERS);
    expect(f.bedrockCents).toBe(1_573n);
    expect(f.naiveBedrockCents).toBe(1_573n);
    expect(f.months[0]?.models[0]?.traffic).toStrictEqual({ onDemandInput: 365n, onDemandOutput: 365n, batchInput: 0n, batchOutput: 0n, cacheWrite: 0n, cacheRead: 0n });
  });

  it('splits traffic and eval replays between models by share', () => {
    const f = forecast({
      ...input({ ...LEVERED, batchableShare: 0, cacheableContextTokens: 0, cacheHitRate: 0, monthlyGrowth: 0, monthsToCover: 1, evalReplaysPerMonth: 100 }),
      models: [priced(PRICES(), {}, 0.2), priced({ inputPer1M: 20, outputPer1M: 200 }, { modelId: 'acme.n', name: 'Acme N' }, 0.8)],
      otherServices: [],
    });
    // acme.m: 73 requests × 2 cents + 20 replays × 2; acme.n: 292 × 4 + 80 × 4.
    expect(f.months[0]?.models.map((m) => [m.modelId, m.totalCents, m.traffic.onDemandInput, m.evalHarness.onDemandOutput])).toEqual([
      ['acme.m', 186n, 73n, 20n],
      ['acme.n', 1_488n, 584n, 160n],
    ]);
    expect(f.byModel.map((m) => [m.modelId, m.totalCents, m.evalHarnessCents, m.naiveCents])).toEqual([
      ['acme.m', 186n, 40n, 186n],
      ['acme.n', 1_488n, 320n, 1_488n],
    ]);
    expect(f.bedrockCents).toBe(1_674n);
  });

  it('embedding models are billed no output, whatever the output price', () => {
    const f = forecast({ ...input({ ...LEVERED, batchableShare: 0, evalReplaysPerMonth: 0, monthsToCover: 1 }), models: [priced(PRICES(), { kind: 'embedding' })] });
    expect(f.months[0]?.models[0]?.traffic).toStrictEqual({ onDemandInput: 365n, onDemandOutput: 0n, batchInput: 0n, batchOutput: 0n, cacheWrite: 0n, cacheRead: 0n });
  });

  it('windowCentsFor prices one model over every month of the window', () => {
    const i = input();
    const pm = i.models[0]!;
    expect(windowCentsFor(i, pm)).toBe(1_252n);
    expect(windowCentsFor(i, pm, NO_LEVERS)).toBe(1_573n);
    expect(windowCentsFor({ ...i, workload: { ...i.workload, monthsToCover: 1 } }, pm)).toBe(597n);
  });
});

describe('trafficRequests', () => {
  it('compounds growth from month 1, negative growth too', () => {
    // 365/12 days is carried to 20 decimals, so 12 requests a day are 365.00000000000000000004 a month.
    const w = workload({ monthlyGrowth: 0.1 });
    expect([1, 2, 3, 4].map((m) => trafficRequests(w, m).toFixed(12))).toEqual(['365.000000000000', '401.500000000000', '441.650000000000', '485.815000000000']);
    expect([3, 1].map((m) => trafficRequests(workload({ monthlyGrowth: -0.5 }), m).toFixed(12))).toEqual(['91.250000000000', '365.000000000000']);
    expect(trafficRequests(workload({ monthlyGrowth: 0.1 }), 2).toFixed(12)).toBe('401.500000000000');
  });
});

describe('roundUpAsk', () => {
  it('rounds up by the step of the first band the amount is within, the last band above them all', () => {
    const steps = [
      { upToUsd: 10, stepUsd: 3 },
      { upToUsd: 100, stepUsd: 7 },
    ];
    expect(roundUpAsk(1n, steps)).toBe(300n);
    expect(roundUpAsk(1_000n, steps)).toBe(1_200n); // exactly $10: still the $3 band
    expect(roundUpAsk(1_001n, steps)).toBe(1_400n);
    expect(roundUpAsk(15_000n, steps)).toBe(15_400n); // above every band: the last one's $7
    expect(roundUpAsk(2_000n, [{ upToUsd: 10, stepUsd: 3 }, { stepUsd: 5 }])).toBe(2_000n);
    expect(roundUpAsk(2_001n, [{ upToUsd: 10, stepUsd: 3 }, { stepUsd: 5 }])).toBe(2_500n);
  });

  it('asks nothing for nothing, and keeps the amount when there are no steps', () => {
    expect(roundUpAsk(0n, [{ stepUsd: 500 }])).toBe(0n);
    expect(roundUpAsk(-5n, [{ stepUsd: 500 }])).toBe(0n);
    expect(roundUpAsk(12_345n, [])).toBe(12_345n);
  });
});

describe('monthsFundedBy', () => {
  it('counts whole months and the fraction of the month the pool runs out in, rounded down', () => {
    expect(monthsFundedBy(1_000n, () => 300n, 12)).toBe(3.33);
    expect(monthsFundedBy(1_000n, () => 300n, 4)).toBe(3.33); // runs out in the last month counted
    expect(monthsFundedBy(1_000n, () => 1_500n, 12)).toBe(0.66); // 0.666…, not 0.67
    expect(monthsFundedBy(1_000n, (m) => BigInt(m) * 100n, 12)).toBe(4); // 100 + 200 + 300 + 400
    expect(monthsFundedBy(250n, () => 1_000n, 12)).toBe(0.25);
    // Whole months and the fraction are added in decimal: exactly 1.66, never 1.6600000000000001.
    expect(monthsFundedBy(1_000n, () => 600n, 12)).toBe(1.66);
    for (let pool = 1n; pool < 5_000n; pool += 7n) {
      const months = monthsFundedBy(pool, () => 600n, 12);
      expect(Number(months.toFixed(2)), `pool ${pool}`).toBe(months);
    }
  });

  it('stops at the horizon when the pool outlasts it', () => {
    expect(monthsFundedBy(1_000n, () => 300n, 3)).toBe(3);
    expect(monthsFundedBy(0n, () => 0n, 12)).toBe(12);
  });

  it('a pool below zero funds nothing, even at no spend', () => {
    expect(monthsFundedBy(-100n, () => 0n, 12)).toBe(0);
  });
});

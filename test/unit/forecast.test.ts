/**
 * Forecast scenarios with figures derived by hand from the rate card, and property tests over arbitrary worksheets.
 * Hand derivation: a month is 365/12 days, so one month of R requests/day × T tokens at P USD per 1M tokens costs
 * R × 365 × T × P × 100 / (12 × 1e6) cents.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALL_LEVERS, forecast, LEVERS, leverTotal, NO_LEVERS, type Forecast } from '../../functions/core/forecast.ts';
import { buildForecastInput, estimate } from '../../functions/core/estimate.ts';
import { findModel } from '../../functions/core/rates.ts';
import type { Worksheet } from '../../schemas/worksheet.ts';
import { ARB_NOW, arbWorksheet } from '../support/arbitraries.ts';
import { cents, NOW, ragWorksheet } from '../support/worksheets.ts';

const monthCents = (requestsPerDay: number, tokens: number, usdPer1M: number) => (requestsPerDay * 365 * tokens * usdPer1M * 100) / 12e6;
const price = (id: string) => findModel(id)!.pricing;
const run = (w: Worksheet, switches = ALL_LEVERS): Forecast => forecast(buildForecastInput(w, { now: NOW }), switches);

describe('scenario: RAG assistant, no levers, flat traffic', () => {
  const cases = [
    { label: 'mid-tier Claude (Sonnet 4.6)', modelId: 'anthropic.claude-sonnet-4-6' },
    { label: 'Nova Lite', modelId: 'amazon.nova-lite-v1:0' },
    { label: 'frontier (Opus 4.6)', modelId: 'anthropic.claude-opus-4-6-v1' },
  ];

  it.each(cases)('$label: month = 304,166.67 requests × (2,000 in + 300 out)', ({ modelId }) => {
    const p = price(modelId);
    const input = monthCents(10_000, 2_000, p.inputPer1M);
    const output = monthCents(10_000, 300, p.outputPer1M);
    const monthTotal = BigInt(Math.round(input + output));

    const f = run(ragWorksheet({ workload: { models: [{ modelId, share: 1 }] } }));
    const m1 = f.months[0]!.models[0]!;
    expect(m1.totalCents).toBe(monthTotal);
    // Each line is within a cent of its exact value; the lines add up to the month.
    expect(Math.abs(Number(m1.traffic.onDemandInput) - input)).toBeLessThan(1);
    expect(Math.abs(Number(m1.traffic.onDemandOutput) - output)).toBeLessThan(1);
    expect(leverTotal(m1.traffic)).toBe(monthTotal);
    expect(f.bedrockCents).toBe(monthTotal * 12n);
    expect(f.naiveBedrockCents).toBe(f.bedrockCents);
  });

  it('Sonnet 4.6 in dollars: $1,825.00 input + $1,368.75 output = $3,193.75 a month, $38,325.00 a year', () => {
    const e = estimate(ragWorksheet(), { now: NOW });
    const m1 = e.forecast.months[0]!;
    expect(m1.models[0]!.traffic.onDemandInput).toBe('1825.00');
    expect(m1.models[0]!.traffic.onDemandOutput).toBe('1368.75');
    expect(m1.bedrockUsd).toBe('3193.75');
    // 15% headroom from data: 479.0625 → 479.06 a month.
    expect(m1.headroomUsd).toBe('479.06');
    expect(e.forecast.optimizedUsd).toBe('38325.00');
    expect(e.forecast.headroomUsd).toBe('5748.72');
    expect(e.forecast.totalUsd).toBe('44073.72');
    // Rounded up to the next $1,000 between $10K and $100K.
    expect(e.forecast.recommendedAskUsd).toBe('45000.00');
    expect(e.assumptions.headroomSource).toMatch(/data\/programs\.json/);
    expect(e.ratesAsOf).toBe('2026-07-24');
    expect(e.programsAsOf).toBe('2026-11-27');
  });

  it('Opus: the half-cent goes to the line with the largest remainder', () => {
    // input 304,166.67 cents, output 228,125.00 → total 532,291.67 → 532,292; input takes the extra cent.
    const f = run(ragWorksheet({ workload: { models: [{ modelId: 'anthropic.claude-opus-4-6-v1', share: 1 }] } }));
    expect(f.months[0]!.models[0]!.traffic).toMatchObject({ onDemandInput: 304167n, onDemandOutput: 228125n });
  });

  it('suggests a cheaper active model of the same class with its saving', () => {
    const e = estimate(ragWorksheet({ workload: { models: [{ modelId: 'anthropic.claude-opus-4-6-v1', share: 1 }] } }), { now: NOW });
    const s = e.levers.find((l) => l.lever === 'cheaper-model');
    expect(s?.alternativeModelId).toBe('anthropic.claude-opus-5-5');
    // Opus 4.6 month 532,292 cents; Opus 5.5 ($4/$20): 3,650,000 × 14,000 × 100 / 12e6 = 425,833.33 → 425,833.
    expect(cents(s!.savingUsd)).toBe((532292n - 425833n) * 12n);
  });

  it('monthsCovered: a pool lasts longer with the levers applied', () => {
    const w = ragWorksheet({ workload: { batchableShare: 0.5 } });
    const f = run(w);
    // Naive: $3,193.75 a month → $10,000 lasts 3 months + 418.75/3193.75 = 3.13 (rounded down).
    expect(f.monthsCovered(10_000).naiveMonths).toBe(3.13);
    // Half the traffic at the 50% batch price: $2,395.31 a month → 4 months + 418.76/2395.31 = 4.17.
    expect(f.monthsCovered(10_000).optimizedMonths).toBe(4.17);
  });
});

describe('scenario: levers on Sonnet 4.6 (20% batchable, 1,500 of 2,000 input tokens cacheable, 80% hit rate)', () => {
  const w = ragWorksheet({ workload: { batchableShare: 0.2, cacheableContextTokens: 1_500, cacheHitRate: 0.8 } });
  const p = price('anthropic.claude-sonnet-4-6');

  it('prices each lever line by hand', () => {
    const od = 10_000 * 0.8; // requests/day served on-demand
    const batch = 10_000 * 0.2;
    const expected = {
      onDemandInput: monthCents(od, 500, p.inputPer1M), // 36,500
      onDemandOutput: monthCents(od, 300, p.outputPer1M), // 109,500
      cacheWrite: monthCents(od * 0.2, 1_500, p.cacheWritePer1M!), // misses write the prefix: 27,375
      cacheRead: monthCents(od * 0.8, 1_500, p.cacheReadPer1M!), // hits read it: 8,760
      batchInput: monthCents(batch, 2_000, p.batchInputPer1M!), // 18,250
      batchOutput: monthCents(batch, 300, p.batchOutputPer1M!), // 13,687.5
    };
    const total = Object.values(expected).reduce((a, b) => a + b, 0); // 214,072.5 → 214,073
    const m1 = run(w).months[0]!.models[0]!;
    for (const lever of LEVERS) expect(Math.abs(Number(m1.traffic[lever]) - expected[lever])).toBeLessThanOrEqual(0.5);
    expect(m1.totalCents).toBe(BigInt(Math.round(total)));
  });

  it('reports what batch and caching each save, exact to the cent', () => {
    const e = estimate(w, { now: NOW });
    const optimized = run(w).bedrockCents;
    const noBatch = run(w, { batch: false, caching: true }).bedrockCents;
    const noCache = run(w, { batch: true, caching: false }).bedrockCents;
    expect(cents(e.levers.find((l) => l.lever === 'batch')!.savingUsd)).toBe(noBatch - optimized);
    expect(cents(e.levers.find((l) => l.lever === 'caching')!.savingUsd)).toBe(noCache - optimized);
    expect(cents(e.forecast.naiveBedrockUsd)).toBe(run(w, NO_LEVERS).bedrockCents);
  });

  it('words batch and caching as counted in the forecast (applied), never as advice to do what the worksheet does', () => {
    const e = estimate(w, { now: NOW });
    const model = e.models.find((m) => m.modelId === 'anthropic.claude-sonnet-4-6')!;
    expect(model.batchApplied && model.cachingApplied).toBe(true);
    for (const lever of ['batch', 'caching'] as const) {
      const l = e.levers.find((x) => x.lever === lever)!;
      expect(l.applied).toBe(true);
      expect(l.message).toMatch(/^Already counted in this forecast: the worksheet (runs|caches) /);
      expect(l.message).toContain(`saves $`);
      expect(l.message).not.toMatch(/^(Run|Cache) /);
    }
    for (const l of e.levers.filter((x) => x.lever === 'cheaper-model')) expect(l.applied).toBe(false);
  });

  it('does not cache below the break-even hit rate (writes cost 1.25x input)', () => {
    // Sonnet: write 3.75, read 0.30, input 3.00 → break-even (3.75 − 3) / (3.75 − 0.30) = 21.74%.
    const low = ragWorksheet({ workload: { cacheableContextTokens: 1_500, cacheHitRate: 0.2 } });
    const e = estimate(low, { now: NOW });
    expect(e.models[0]!.cachingApplied).toBe(false);
    expect(e.notes.join('\n')).toMatch(/break-even 21\.74%/);
  });
});

describe('edge cases', () => {
  it('a model without a batch price keeps its batchable traffic on-demand and says so', () => {
    const w = ragWorksheet({ workload: { models: [{ modelId: 'anthropic.claude-sonnet-5', share: 1 }], batchableShare: 0.5 } });
    const e = estimate(w, { now: NOW });
    expect(e.models[0]!.batchApplied).toBe(false);
    expect(e.models[0]!.levers.batchInput).toBe('0.00');
    expect(e.notes.join('\n')).toMatch(/Claude Sonnet 5 has no batch price: its batchable 50% of traffic stays on-demand/);
  });

  it('embedding models are billed for input only', () => {
    const w = ragWorksheet({ workload: { models: [{ modelId: 'amazon.titan-embed-text-v2:0', share: 1 }] } });
    const m1 = run(w).months[0]!.models[0]!;
    expect(m1.traffic.onDemandOutput).toBe(0n);
    expect(m1.traffic.onDemandInput).toBe(BigInt(Math.round(monthCents(10_000, 2_000, price('amazon.titan-embed-text-v2:0').inputPer1M))));
  });

  it('compounds growth month over month and keeps eval replays flat', () => {
    const w = ragWorksheet({ workload: { monthlyGrowth: 0.1, evalReplaysPerMonth: 1_000, monthsToCover: 3 } });
    const f = run(w);
    const evalMonth = BigInt(Math.round((1_000 * (2_000 * 3 + 300 * 15) * 100) / 1e6)); // 1,050 cents
    expect(f.months.map((m) => m.evalHarnessCents)).toEqual([evalMonth, evalMonth, evalMonth]);
    // Month 3 traffic = 304,166.67 × 1.1² requests.
    expect(f.months[2]!.bedrockCents - evalMonth).toBe(BigInt(Math.round(319375 * 1.21)));
  });

  it('itemizes other services per AWS service and adds headroom on the whole month', () => {
    const w = ragWorksheet({ otherServices: [{ service: 'Amazon OpenSearch Service', monthlyUsd: 700 }, { service: 'AWS Lambda', monthlyUsd: 120.5 }] });
    const e = estimate(w, { now: NOW, headroom: 0.1 });
    const m1 = e.forecast.months[0]!;
    expect(m1.otherServices).toEqual([{ service: 'Amazon OpenSearch Service', monthlyUsd: '700.00' }, { service: 'AWS Lambda', monthlyUsd: '120.50' }]);
    expect(m1.subtotalUsd).toBe('4014.25');
    expect(m1.headroomUsd).toBe('401.43'); // 10% of 4,014.25 = 401.425 → half up
    expect(e.assumptions.headroomShare).toBe(0.1);
    expect(e.forecast.monthlySpendByService.map((s) => s.service)).toEqual(['Amazon Bedrock', 'Amazon OpenSearch Service', 'AWS Lambda']);
  });
});

// ---------------------------------------------------------------------------------------------------------------

const withWorkload = (w: Worksheet, patch: Partial<Worksheet['workload']>): Worksheet => ({ ...w, workload: { ...w.workload, ...patch } });
const runAt = (w: Worksheet, switches = ALL_LEVERS) => forecast(buildForecastInput(w, { now: ARB_NOW }), switches);
const PROPERTY_RUNS = { numRuns: 40 };

describe('properties', () => {
  it('every amount is a finite, non-negative number of cents', () => {
    fc.assert(
      fc.property(arbWorksheet(), (w) => {
        const e = estimate(w, { now: ARB_NOW });
        const amounts = [e.forecast.totalUsd, e.forecast.naiveUsd, ...e.forecast.months.flatMap((m) => [m.totalUsd, m.headroomUsd, ...m.models.map((x) => x.totalUsd)])];
        for (const a of amounts) expect(Number.isFinite(Number(a)) && Number(a) >= 0).toBe(true);
        expect(Number.isNaN(e.poolCoverage.naiveMonths)).toBe(false);
      }),
      PROPERTY_RUNS,
    );
  });

  it('totals equal the sum of their parts to the cent', () => {
    fc.assert(
      fc.property(arbWorksheet(), (w) => {
        const e = estimate(w, { now: ARB_NOW });
        const sum = (xs: string[]) => xs.reduce((a, x) => a + cents(x), 0n);
        for (const m of e.forecast.months) {
          for (const mm of m.models) expect(sum([...Object.values(mm.traffic), ...Object.values(mm.evalHarness)])).toBe(cents(mm.totalUsd));
          expect(sum(m.models.map((x) => x.totalUsd))).toBe(cents(m.bedrockUsd));
          expect(sum(m.otherServices.map((x) => x.monthlyUsd))).toBe(cents(m.otherServicesUsd));
          expect(cents(m.bedrockUsd) + cents(m.otherServicesUsd)).toBe(cents(m.subtotalUsd));
          expect(cents(m.subtotalUsd) + cents(m.headroomUsd)).toBe(cents(m.totalUsd));
        }
        const months = e.forecast.months;
        expect(sum(months.map((m) => m.totalUsd))).toBe(cents(e.forecast.totalUsd));
        expect(sum(months.map((m) => m.bedrockUsd))).toBe(cents(e.forecast.bedrockUsd));
        expect(sum(months.map((m) => m.naiveSubtotalUsd))).toBe(cents(e.forecast.naiveUsd));
        expect(sum(e.models.map((m) => m.windowUsd))).toBe(cents(e.forecast.bedrockUsd));
        for (const m of e.models) expect(sum(Object.values(m.levers))).toBe(cents(m.windowUsd));
        expect(cents(e.forecast.optimizedUsd) + cents(e.forecast.headroomUsd)).toBe(cents(e.forecast.totalUsd));
      }),
      PROPERTY_RUNS,
    );
  });

  it('is monotonic in volume and in tokens', () => {
    fc.assert(
      fc.property(arbWorksheet(), fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 2000 }), (w, extraRequests, extraTokens) => {
        const base = runAt(w);
        const more = [
          withWorkload(w, { requestsPerDay: w.workload.requestsPerDay + extraRequests }),
          withWorkload(w, { avgInputTokens: w.workload.avgInputTokens + extraTokens }),
          withWorkload(w, { avgOutputTokens: w.workload.avgOutputTokens + extraTokens }),
          withWorkload(w, { evalReplaysPerMonth: w.workload.evalReplaysPerMonth + extraRequests }),
        ];
        for (const bigger of more) {
          const f = runAt(bigger);
          expect(f.subtotalCents >= base.subtotalCents).toBe(true);
          expect(f.naiveSubtotalCents >= base.naiveSubtotalCents).toBe(true);
          f.months.forEach((m, i) => expect(m.totalCents >= base.months[i]!.totalCents).toBe(true));
        }
      }),
      PROPERTY_RUNS,
    );
  });

  it('batch and caching never raise cost', () => {
    fc.assert(
      fc.property(arbWorksheet(), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (w, moreBatch, moreHits) => {
        const f = runAt(w);
        const naive = runAt(w, NO_LEVERS);
        expect(f.subtotalCents <= naive.subtotalCents).toBe(true);
        expect(f.subtotalCents <= runAt(w, { batch: false, caching: true }).subtotalCents).toBe(true);
        expect(f.subtotalCents <= runAt(w, { batch: true, caching: false }).subtotalCents).toBe(true);
        const batchier = withWorkload(w, { batchableShare: w.workload.batchableShare + (1 - w.workload.batchableShare) * moreBatch });
        const warmer = withWorkload(w, { cacheHitRate: w.workload.cacheHitRate + (1 - w.workload.cacheHitRate) * moreHits });
        expect(runAt(batchier).subtotalCents <= f.subtotalCents).toBe(true);
        expect(runAt(warmer).subtotalCents <= f.subtotalCents).toBe(true);
      }),
      PROPERTY_RUNS,
    );
  });
});

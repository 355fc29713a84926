/**
 * estimate.ts on rate cards and program data built by hand (forecast.test.ts and sizing-fixes.test.ts reach it through
 * the real card): the estimate's own wording and mapping, each figure derived below from the prices passed in.
 * Hand derivation: 12 requests a day is 365 requests a month (a month is 365/12 days); a request of T tokens at P USD
 * per 1M costs T × P / 10,000 cents. With input at $10 and output at $100 per 1M, a request of 1,000 input and 100
 * output tokens costs 1 + 1 = 2 cents, so a month of them 730 cents. Everything is built inside each test (StrykerJS
 * counts nothing built when the file is collected as covered).
 */
import { describe, expect, it } from 'vitest';
import { buildForecastInput, estimate, EstimateError, priceModels } from '../../functions/core/estimate.ts';
import { decideEligibility, runtimePrograms, type Program, type ProgramsData } from '../../functions/core/programs.ts';
import { UnknownModelError, type Prices, type RateModel, type RuntimeRateCard } from '../../functions/core/rates.ts';
import { ValidationError } from '../../functions/core/errors.ts';
import type { Worksheet } from '../../schemas/worksheet.ts';
import { NOW, ragWorksheet } from '../support/worksheets.ts';

/** input 1,000 tokens = 1 cent, output 100 = 1 cent; batch half that; a cache write of 800 tokens 1 cent, a read 0.08. */
const LEVER_PRICES = (): Prices => ({ inputPer1M: 10, outputPer1M: 100, batchInputPer1M: 5, batchOutputPer1M: 50, cacheWritePer1M: 12.5, cacheReadPer1M: 1 });

function model(over: Partial<RateModel> = {}): RateModel {
  return {
    modelId: 'acme.big',
    name: 'Acme Big',
    provider: 'Acme',
    family: 'acme',
    class: 'mid',
    kind: 'text',
    pricingBasis: 'single',
    pricing: { inputPer1M: 10, outputPer1M: 100 },
    status: 'active',
    lifecycleNote: 'generally available',
    confidence: 'high',
    sources: ['acme-prices'],
    ...over,
  };
}

function card(models: RateModel[], over: Partial<RuntimeRateCard> = {}): RuntimeRateCard {
  return {
    asOf: '2026-11-30',
    pricingRule: 'Hand-built rule: the list price applies.',
    minCacheablePrefixAssumption: 'Hand-built assumption: no minimum is applied.',
    sources: [{ id: 'acme', name: 'Acme price page', date: '2026-11-30' }],
    models,
    ...over,
  };
}

/** The runtime programs with a house policy of round figures: 10 % headroom, asks rounded up to $5, coverage to 3 months. */
function programs(over: Partial<ProgramsData> = {}): ProgramsData {
  return {
    ...runtimePrograms,
    asOf: '2026-11-29',
    thirdPartyModelNote: 'Hand-built note on third-party models.',
    sizingPolicy: { ...runtimePrograms.sizingPolicy, headroomShare: 0.1, headroomSource: 'hand-built policy', askRounding: [{ stepUsd: 5 }], askRoundingNote: 'Hand-built rounding: the next $5.', poolCoverageMaxMonths: 3 },
    ...over,
  };
}

/** The RAG worksheet with a small workload: 12 requests a day of 1,000 in / 100 out tokens, one month. */
function sheet(workload: Partial<Worksheet['workload']> = {}, rest: Parameters<typeof ragWorksheet>[0] = {}): Worksheet {
  return ragWorksheet({
    ...rest,
    workload: { models: [{ modelId: 'acme.big', share: 1 }], requestsPerDay: 12, avgInputTokens: 1_000, avgOutputTokens: 100, monthsToCover: 1, ...workload },
  });
}

const run = (w: Worksheet, models: RateModel[], opts: { headroom?: number; poolUsd?: number; card?: Partial<RuntimeRateCard>; programs?: ProgramsData } = {}) =>
  estimate(w, { now: NOW, card: card(models, opts.card), programs: opts.programs ?? programs(), ...(opts.headroom !== undefined ? { headroom: opts.headroom } : {}), ...(opts.poolUsd !== undefined ? { poolUsd: opts.poolUsd } : {}) });

describe('pricing the mix', () => {
  it('names the index of an unknown model id in the worksheet', () => {
    const w = sheet({ models: [{ modelId: 'acme.big', share: 0.5 }, { modelId: 'acme.bgi', share: 0.5 }] });
    let error: unknown;
    try {
      priceModels(w, NOW, card([model()]));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnknownModelError);
    expect((error as UnknownModelError).problems).toEqual([{ field: 'workload.models[1].modelId', rule: 'must be a Bedrock model id from the rate card; closest known ids: acme.big' }]);
  });

  it('keeps the id as requested, the share, the price that applies and the lifecycle at that moment', () => {
    const geo = model({ pricingBasis: 'global', pricing: { inputPer1M: 10, outputPer1M: 100 }, regionalPricing: { inputPer1M: 11, outputPer1M: 110 }, status: 'legacy', eolDate: '2027-01-01' });
    const [pm] = priceModels(sheet({ models: [{ modelId: 'us.acme.big', share: 1 }] }), NOW, card([geo]));
    expect(pm).toMatchObject({ requestedId: 'us.acme.big', share: 1, model: { modelId: 'acme.big' }, applied: { basis: 'regional', prices: { inputPer1M: 11, outputPer1M: 110 } } });
    expect(pm?.lifecycle).toStrictEqual({ status: 'legacy', eolDate: '2027-01-01', discontinued: false });
    // On the EOL date itself the model is discontinued.
    expect(priceModels(sheet({ models: [{ modelId: 'us.acme.big', share: 1 }] }), new Date('2027-01-01T00:00:00Z'), card([geo]))[0]?.lifecycle.status).toBe('eol');
  });

  it('refuses a request that fits no chosen model, naming each rule in the message', () => {
    const w = sheet({ models: [{ modelId: 'acme.big', share: 0.5 }, { modelId: 'acme.lite', share: 0.5 }] });
    const models = [model({ contextWindow: 1_000 }), model({ modelId: 'acme.lite', name: 'Acme Lite', contextWindow: 1_099 })];
    let error: unknown;
    try {
      run(w, models);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const rules = ['must fit the context window of Acme Big (1000 tokens) together with avgOutputTokens', 'must fit the context window of Acme Lite (1099 tokens) together with avgOutputTokens'];
    expect((error as ValidationError).problems).toEqual(rules.map((rule) => ({ field: 'workload.avgInputTokens', rule })));
    expect((error as Error).message).toBe(`the request does not fit the context window: ${rules.join('; ')}`);
    // 1,000 in + 100 out fits a 1,100-token window.
    expect(() => run(sheet(), [model({ contextWindow: 1_100 })])).not.toThrow();
    expect(() => buildForecastInput(w, { now: NOW, card: card(models), programs: programs() })).toThrow('the request does not fit the context window: ');
  });
});

describe('headroom', () => {
  it('comes from the data unless the caller sets it, between 0 and 1 inclusive', () => {
    const fromData = run(sheet(), [model()]);
    expect(fromData.assumptions.headroomShare).toBe(0.1);
    expect(fromData.assumptions.headroomSource).toBe('data/programs.json sizingPolicy: hand-built policy');
    // 730 cents a month: 10 % is 73.
    expect(fromData.forecast.headroomUsd).toBe('0.73');
    for (const headroom of [0, 1]) {
      const e = run(sheet(), [model()], { headroom });
      expect(e.assumptions).toMatchObject({ headroomShare: headroom, headroomSource: 'set by the caller for this estimate' });
      expect(e.forecast.headroomUsd).toBe(headroom === 0 ? '0.00' : '7.30');
    }
    for (const headroom of [-0.01, 1.01, Number.NaN]) {
      expect(() => run(sheet(), [model()], { headroom })).toThrow(new EstimateError(`headroom must be between 0 and 1, got ${headroom}`));
    }
    expect(() => run(sheet(), [model()], { headroom: 2 })).toThrow(expect.objectContaining({ name: 'EstimateError' }));
  });

  it('buildForecastInput: the same headroom rule, the data\'s rounding and the credit-eligible services', () => {
    const w = sheet({}, { otherServices: [{ service: 'Amazon S3', monthlyUsd: 12.34 }, { service: 'AWS Marketplace: Pinecone', monthlyUsd: 5 }] });
    const input = buildForecastInput(w, { now: NOW, card: card([model()]), programs: programs() });
    expect(input.headroomShare).toBe(0.1);
    expect(input.askRounding).toEqual([{ stepUsd: 5 }]);
    expect(input.workload).toBe(w.workload);
    expect(input.models.map((m) => m.requestedId)).toEqual(['acme.big']);
    expect(input.otherServices).toStrictEqual([
      { service: 'Amazon S3', monthlyCents: 1234n, creditEligible: true },
      { service: 'AWS Marketplace: Pinecone', monthlyCents: 500n, creditEligible: false },
    ]);
    expect(buildForecastInput(w, { now: NOW, card: card([model()]), programs: programs(), headroom: 0.5 }).headroomShare).toBe(0.5);
    expect(() => buildForecastInput(w, { now: NOW, card: card([model()]), programs: programs(), headroom: 2 })).toThrow(EstimateError);
  });
});

describe('a levered month, every figure by hand', () => {
  // 20 % batchable, 800 of the 1,000 input tokens cacheable at a 50 % hit rate, 10 eval replays, one month.
  // Per request: plain 2 cents; cached 0.2 (200 plain input) + 0.5 (half the writes of 1) + 0.04 (half the reads of
  // 0.08) + 1 (output) = 1.74; batch 0.5 + 0.5 = 1. Traffic: 365 requests, 73 batch and 292 on-demand, 146 hits and
  // 146 misses: input 58.4, output 292, batch 36.5 + 36.5, writes 146, reads 11.68 = 581.08 → 581 cents, the two
  // spare cents to the largest remainders (reads .68, then the earlier of the .5s: batch input). Eval replays: 10
  // requests, 2 batch, 8 on-demand, 4 hits, 4 misses: 1.6 + 8 + 1 + 1 + 4 + 0.32 = 15.92 → 16 (the spare cent to input).
  const w = () =>
    sheet(
      { models: [{ modelId: 'acme.big', share: 1 }], batchableShare: 0.2, cacheableContextTokens: 800, cacheHitRate: 0.5, evalReplaysPerMonth: 10 },
      { otherServices: [{ service: 'Amazon S3', monthlyUsd: 10 }, { service: 'AWS Marketplace: Pinecone', monthlyUsd: 5 }] },
    );
  const big = () => model({ pricing: LEVER_PRICES() });

  it('the month and the window: lever lines, eval replays, other services, headroom, naive, the ask', () => {
    const e = run(w(), [big()]);
    // 597 cents of Bedrock + 1,500 of other services = 2,097; 10 % headroom 209.7 → 210. Naive: (365 + 10) × 2 = 750.
    // The ask: Bedrock and S3 only (Marketplace is excluded), 1,597 + 159.7 → 160 = 1,757 cents, up to the next $5.
    expect(e.forecast).toStrictEqual({
      months: [
        {
          month: 1,
          trafficRequests: 365,
          models: [
            {
              modelId: 'acme.big',
              traffic: { onDemandInput: '0.58', onDemandOutput: '2.92', batchInput: '0.37', batchOutput: '0.36', cacheWrite: '1.46', cacheRead: '0.12' },
              evalHarness: { onDemandInput: '0.02', onDemandOutput: '0.08', batchInput: '0.01', batchOutput: '0.01', cacheWrite: '0.04', cacheRead: '0.00' },
              totalUsd: '5.97',
            },
          ],
          bedrockUsd: '5.97',
          evalHarnessUsd: '0.16',
          otherServices: [
            { service: 'Amazon S3', monthlyUsd: '10.00' },
            { service: 'AWS Marketplace: Pinecone', monthlyUsd: '5.00' },
          ],
          otherServicesUsd: '15.00',
          subtotalUsd: '20.97',
          headroomUsd: '2.10',
          totalUsd: '23.07',
          naiveSubtotalUsd: '22.50',
        },
      ],
      monthlySpendByService: [
        { service: 'Amazon Bedrock', monthlyUsd: '5.97' },
        { service: 'Amazon S3', monthlyUsd: '10.00' },
        { service: 'AWS Marketplace: Pinecone', monthlyUsd: '5.00' },
      ],
      bedrockUsd: '5.97',
      evalHarnessUsd: '0.16',
      otherServicesUsd: '15.00',
      optimizedUsd: '20.97',
      naiveUsd: '22.50',
      naiveBedrockUsd: '7.50',
      headroomUsd: '2.10',
      totalUsd: '23.07',
      recommendedAskUsd: '20.00',
    });
  });

  it('the model: ids, class, share, prices as listed, decisions and window figures per lever', () => {
    const e = run(w(), [big()]);
    expect(e.models).toStrictEqual([
      {
        modelId: 'acme.big',
        requestedId: 'acme.big',
        name: 'Acme Big',
        class: 'mid',
        share: 1,
        priceBasis: 'list',
        priceNote: 'single list price (us-east-1 unless noted)',
        prices: LEVER_PRICES(),
        status: 'active',
        batchApplied: true,
        cachingApplied: true,
        windowUsd: '5.97',
        naiveWindowUsd: '7.50',
        // Traffic + eval replays per lever.
        levers: { onDemandInput: '0.60', onDemandOutput: '3.00', batchInput: '0.38', batchOutput: '0.37', cacheWrite: '1.50', cacheRead: '0.12' },
        evalHarnessUsd: '0.16',
      },
    ]);
  });

  it('batch and caching as counted, largest saving first, each saving a difference of two windows', () => {
    // Without batch (caching on): 365 × 1.74 = 635.1 → 635 and 10 × 1.74 = 17.4 → 17: 652 − 597 = 55 cents.
    // Without caching (batch on): 73 × 1 + 292 × 2 = 657 and 2 × 1 + 8 × 2 = 18: 675 − 597 = 78 cents.
    const e = run(w(), [big()]);
    expect(e.levers).toStrictEqual([
      {
        lever: 'caching',
        modelId: 'acme.big',
        applied: true,
        savingUsd: '0.78',
        message: 'Already counted in this forecast: the worksheet caches the 800 repeated context tokens on Acme Big (prompt caching at a 50% hit rate), which saves $0.78 over 1 months against no caching',
      },
      {
        lever: 'batch',
        modelId: 'acme.big',
        applied: true,
        savingUsd: '0.55',
        message: 'Already counted in this forecast: the worksheet runs the batchable 20% of Acme Big requests (and eval replays) as batch inference (24-hour window), which saves $0.55 over 1 months against on-demand',
      },
    ]);
  });

  it('notes in order: each price, the plans, the filing plan, the qualified figures, then the two standing caveats', () => {
    const cheap = model({ modelId: 'acme.lite', name: 'Acme Lite', pricing: { inputPer1M: 5, outputPer1M: 50 } });
    const mix = sheet({ models: [{ modelId: 'acme.big', share: 0.5 }, { modelId: 'acme.lite', share: 0.5 }], batchableShare: 0.2, cacheableContextTokens: 800, cacheHitRate: 0.5 });
    // Founders open to funded companies too (hand-built), so both Activate programs apply and the plan notes which is filed.
    const data = programs({ programs: runtimePrograms.programs.map((p) => (p.id === 'activate-founders' ? { ...p, eligibility: { ...p.eligibility, institutionalFunding: 'any' as const } } : p)) });
    expect(run(mix, [big(), cheap], { programs: data }).notes).toStrictEqual([
      'Acme Big: single list price (us-east-1 unless noted)',
      'Acme Lite: single list price (us-east-1 unless noted)',
      'Acme Lite has no prompt-caching price: its cacheable context is billed as plain input',
      'Acme Lite has no batch price: its batchable 20% of traffic stays on-demand',
      'Activate Founders is not filed: Activate Portfolio applies',
      'Acme Big: no source gives its minimum cacheable prefix. Hand-built assumption: no minimum is applied.',
      'Provisioned Throughput is not modelled: on-demand/batch token prices only.',
      'Credit expiry figures are typical, not guaranteed: read the real expiry from the award (CreditCode.ExpiresAt).',
    ]);
  });
});

describe('the model block\'s prices', () => {
  it('lists only the prices the model has, and no one-hour cache write', () => {
    const prices = (p: Prices) => run(sheet(), [model({ pricing: p })]).models[0]?.prices;
    expect(prices({ inputPer1M: 10, outputPer1M: 100 })).toStrictEqual({ inputPer1M: 10, outputPer1M: 100 });
    expect(prices({ inputPer1M: 10, outputPer1M: 100, batchInputPer1M: 5, batchOutputPer1M: 50 })).toStrictEqual({ inputPer1M: 10, outputPer1M: 100, batchInputPer1M: 5, batchOutputPer1M: 50 });
    expect(prices({ inputPer1M: 10, outputPer1M: 100, cacheWrite1hPer1M: 20, cacheReadPer1M: 1 })).toStrictEqual({ inputPer1M: 10, outputPer1M: 100, cacheReadPer1M: 1 });
    expect(prices({ inputPer1M: 10, outputPer1M: 100, cacheWritePer1M: 12.5 })).toStrictEqual({ inputPer1M: 10, outputPer1M: 100, cacheWritePer1M: 12.5 });
  });
});

describe('a cheaper model of the same class', () => {
  // Acme Big costs 2 cents a request (730 a month); Mid 1.6 (584), Lite 1 (365), Mid 2 1.8 (657), Twin 2 (730).
  const family = () => [
    model(),
    model({ modelId: 'acme.mid', name: 'Acme Mid', pricing: { inputPer1M: 8, outputPer1M: 80 } }),
    model({ modelId: 'acme.lite', name: 'Acme Lite', pricing: { inputPer1M: 5, outputPer1M: 50 } }),
    model({ modelId: 'acme.mid2', name: 'Acme Mid 2', pricing: { inputPer1M: 9, outputPer1M: 90 } }),
    model({ modelId: 'acme.twin', name: 'Acme Twin' }),
    // Cheaper, but another class, another family, or too small a window for 1,000 + 100 tokens: never suggested.
    model({ modelId: 'acme.tiny', name: 'Acme Tiny', class: 'small', pricing: { inputPer1M: 1, outputPer1M: 10 } }),
    model({ modelId: 'beta.mid', name: 'Beta Mid', family: 'beta', pricing: { inputPer1M: 1, outputPer1M: 10 } }),
    model({ modelId: 'acme.narrow', name: 'Acme Narrow', contextWindow: 1_099, pricing: { inputPer1M: 1, outputPer1M: 10 } }),
  ];

  it('suggests the cheapest fitting one, wherever it is in the card, with its saving over the window', () => {
    const e = run(sheet(), family());
    expect(e.levers).toStrictEqual([
      {
        lever: 'cheaper-model',
        modelId: 'acme.big',
        alternativeModelId: 'acme.lite',
        applied: false,
        // 730 − 365 cents.
        savingUsd: '3.65',
        message: "Move Acme Big's 100% of traffic to Acme Lite (acme.lite), an active mid-class acme model: saves $3.65 over 1 months with the same levers (check quality on your evals first)",
      },
    ]);
    // Over three months the saving triples.
    expect(run(sheet({ monthsToCover: 3 }), family()).levers[0]).toMatchObject({ savingUsd: '10.95', message: expect.stringContaining(': saves $10.95 over 3 months with the same levers') });
  });

  it('never a model already in the mix, and nothing when no alternative is cheaper', () => {
    // Half the traffic on each: Big 182.5 requests × 2 = 365 cents; Mid 182.5 × 1.6 = 292, Mid 2 328.5 → 329.
    const e = run(sheet({ models: [{ modelId: 'acme.big', share: 0.5 }, { modelId: 'acme.lite', share: 0.5 }] }), family());
    expect(e.levers).toStrictEqual([
      {
        lever: 'cheaper-model',
        modelId: 'acme.big',
        alternativeModelId: 'acme.mid',
        applied: false,
        savingUsd: '0.73',
        message: "Move Acme Big's 50% of traffic to Acme Mid (acme.mid), an active mid-class acme model: saves $0.73 over 1 months with the same levers (check quality on your evals first)",
      },
    ]);
    // Two alternatives at the same price: the first in the card.
    const lites = [model(), model({ modelId: 'acme.lite', name: 'Acme Lite', pricing: { inputPer1M: 5, outputPer1M: 50 } }), model({ modelId: 'acme.lite2', name: 'Acme Lite 2', pricing: { inputPer1M: 5, outputPer1M: 50 } })];
    expect(run(sheet(), lites).levers.map((l) => l.alternativeModelId)).toEqual(['acme.lite']);
    // An alternative at the same price saves nothing: no suggestion.
    expect(run(sheet(), [model(), model({ modelId: 'acme.twin', name: 'Acme Twin' })]).levers).toEqual([]);
  });

  it('prices the alternative on the founder\'s routing: a geo profile stays geo, otherwise the global price', () => {
    const g = model({ modelId: 'acme.g', name: 'Acme G', pricingBasis: 'global', pricing: { inputPer1M: 10, outputPer1M: 100 }, regionalPricing: { inputPer1M: 11, outputPer1M: 110 } });
    const gl = model({ modelId: 'acme.gl', name: 'Acme GL', pricingBasis: 'global', pricing: { inputPer1M: 5, outputPer1M: 50 }, regionalPricing: { inputPer1M: 6, outputPer1M: 60 } });
    const single = model({ modelId: 'acme.s', name: 'Acme S', pricing: { inputPer1M: 7, outputPer1M: 70 } });
    // Geo: G at 2.2 cents a request (803 a month), GL's regional 1.2 (438), S's list 1.4 (511): saves 803 − 438.
    const geo = run(sheet({ models: [{ modelId: 'us.acme.g', share: 1 }] }), [g, gl, single]);
    expect(geo.levers.map((l) => [l.alternativeModelId, l.savingUsd])).toEqual([['acme.gl', '3.65']]);
    // Global: G at 2 cents (730), GL's global 1 (365): saves 365; at GL's regional price it would save 292.
    const global = run(sheet({ models: [{ modelId: 'acme.g', share: 1 }] }), [g, gl, single]);
    expect(global.levers.map((l) => [l.alternativeModelId, l.savingUsd])).toEqual([['acme.gl', '3.65']]);
    // Geo against a single-price model: its list price (1.4 cents, 511 a month) against 803.
    const toSingle = run(sheet({ models: [{ modelId: 'us.acme.g', share: 1 }] }), [g, single]);
    expect(toSingle.levers.map((l) => [l.alternativeModelId, l.savingUsd])).toEqual([['acme.s', '2.92']]);
  });

  it('equal savings keep the mix order; shares as percentages to two decimals', () => {
    // A third of the traffic each on Acme Big and Beta Big (2 cents a request) and on Gamma (nothing cheaper):
    // 121.67 requests × 2 = 243.33 → 243 cents; at 1 cent 121.67 → 122: each saves 121 cents.
    const betaBig = model({ modelId: 'beta.big', name: 'Beta Big', family: 'beta' });
    const betaLite = model({ modelId: 'beta.lite', name: 'Beta Lite', family: 'beta', pricing: { inputPer1M: 5, outputPer1M: 50 } });
    const lite = model({ modelId: 'acme.lite', name: 'Acme Lite', pricing: { inputPer1M: 5, outputPer1M: 50 } });
    const gamma = model({ modelId: 'gamma.x', name: 'Gamma X', family: 'gamma' });
    const models = [model(), betaBig, betaLite, lite, gamma];
    const mix = (first: string, second: string) => sheet({ models: [{ modelId: first, share: 1 / 3 }, { modelId: second, share: 1 / 3 }, { modelId: 'gamma.x', share: 1 / 3 }] });
    const e = run(mix('acme.big', 'beta.big'), models);
    expect(e.levers.map((l) => [l.modelId, l.alternativeModelId, l.savingUsd])).toEqual([
      ['acme.big', 'acme.lite', '1.21'],
      ['beta.big', 'beta.lite', '1.21'],
    ]);
    expect(e.levers[0]?.message).toContain("Move Acme Big's 33.33% of traffic to Acme Lite");
    expect(run(mix('beta.big', 'acme.big'), models).levers.map((l) => l.modelId)).toEqual(['beta.big', 'acme.big']);
  });
});

describe('batch and caching savings of less than a cent', () => {
  it('are not listed', () => {
    // 0.012 requests a day: 0.365 a month. With both levers 0.073 × 1 + 0.292 × 1.74 = 0.58 cents → 1; without batch
    // 0.635 → 1; without caching 0.657 → 1: each saves 0 cents.
    const w = sheet({ requestsPerDay: 0.012, batchableShare: 0.2, cacheableContextTokens: 800, cacheHitRate: 0.5 });
    const e = run(w, [model({ pricing: LEVER_PRICES() })]);
    expect(e.models[0]).toMatchObject({ batchApplied: true, cachingApplied: true, windowUsd: '0.01' });
    expect(e.levers).toEqual([]);
    // A batchable share to two decimals of a percent, once the saving is a cent or more.
    const big = run(sheet({ batchableShare: 0.123456 }), [model({ pricing: LEVER_PRICES() })]);
    expect(big.levers[0]?.message).toContain('runs the batchable 12.35% of Acme Big requests');
  });
});

describe('lifecycle and price warnings', () => {
  it('one per model in mix order, with the EOL date and the active same-class models where there are any', () => {
    const models = [
      model(),
      model({ modelId: 'acme.lite', name: 'Acme Lite', pricing: { inputPer1M: 5, outputPer1M: 50 } }),
      model({ modelId: 'acme.front', name: 'Acme Front', class: 'frontier' }),
      model({ modelId: 'acme.old', name: 'Acme Old', status: 'legacy', eolDate: '2027-03-01' }),
      // Legacy with an EOL date before 2026-12-01: discontinued.
      model({ modelId: 'acme.gone', name: 'Acme Gone', class: 'frontier', status: 'legacy', eolDate: '2026-11-01' }),
      model({ modelId: 'acme.ended', name: 'Acme Ended', class: 'small', status: 'eol', lifecycleNote: 'EOL date not published' }),
      model({ modelId: 'acme.next', name: 'Acme Next', status: 'preview', confidence: 'low' }),
      model({ modelId: 'acme.vec', name: 'Acme Vectors', class: 'embedding', kind: 'embedding', pricing: { inputPer1M: 1, outputPer1M: 0 }, status: 'unknown', lifecycleNote: 'no lifecycle published' }),
      model({ modelId: 'beta.dusk', name: 'Beta Dusk', family: 'beta', class: 'small', status: 'legacy' }),
      model({ modelId: 'beta.shaky', name: 'Beta Shaky', family: 'beta', confidence: 'low', sources: ['blog-a', 'blog-b'] }),
    ];
    const mix = ['acme.old', 'acme.gone', 'acme.ended', 'acme.next', 'acme.vec', 'beta.dusk', 'beta.shaky', 'acme.big'].map((modelId) => ({ modelId, share: 0.125 }));
    const e = run(sheet({ models: mix }), models);
    const lifecycle = e.warnings.filter((x) => /^(model-|price-)/.test(x.code));
    expect(lifecycle).toStrictEqual([
      { code: 'model-legacy', message: 'Acme Old is legacy, EOL 2027-03-01: plan the move before the covered window ends; active models of the same class: acme.big, acme.lite' },
      { code: 'model-discontinued', message: 'Acme Gone (acme.gone) is discontinued (EOL 2026-11-01): requests fail or soon will. Priced for reference only; active models of the same class: acme.front' },
      { code: 'model-discontinued', message: 'Acme Ended (acme.ended) is discontinued (EOL): requests fail or soon will. Priced for reference only' },
      { code: 'model-preview', message: 'Acme Next is in preview: prices and availability may change' },
      { code: 'price-low-confidence', message: 'Acme Next: price from a single low-confidence source; verify it on the AWS pricing page' },
      { code: 'model-lifecycle-unknown', message: 'Acme Vectors: lifecycle not confirmed by the sources (no lifecycle published)' },
      { code: 'model-legacy', message: 'Beta Dusk is legacy: plan the move before the covered window ends' },
      { code: 'price-low-confidence', message: 'Beta Shaky: price from a single low-confidence source; verify it on the AWS pricing page' },
    ]);
    // The models' blocks: the status at that moment, and an EOL date only where there is one.
    expect(e.models.map((m) => [m.modelId, m.status, m.eolDate])).toEqual([
      ['acme.old', 'legacy', '2027-03-01'],
      ['acme.gone', 'eol', '2026-11-01'],
      ['acme.ended', 'eol', undefined],
      ['acme.next', 'preview', undefined],
      ['acme.vec', 'unknown', undefined],
      ['beta.dusk', 'legacy', undefined],
      ['beta.shaky', 'active', undefined],
      ['acme.big', 'active', undefined],
    ]);
    expect(e.models.filter((m) => 'eolDate' in m).map((m) => m.modelId)).toEqual(['acme.old', 'acme.gone']);
    // Low-confidence prices are qualified figures too: prices as applied, and every source.
    expect(e.qualifiedFigures).toStrictEqual([
      { figure: 'Acme Next prices ($10 in / $100 out per 1M tokens) and its spend', basis: 'unverified', restsOn: 'a single low-confidence source (acme-prices)', modelId: 'acme.next' },
      { figure: 'Beta Shaky prices ($10 in / $100 out per 1M tokens) and its spend', basis: 'unverified', restsOn: 'a single low-confidence source (blog-a, blog-b)', modelId: 'beta.shaky' },
    ]);
  });
});

describe('third-party models', () => {
  it('names the forecast spend on models not made by Amazon, with the data\'s note', () => {
    const nano = model({ modelId: 'amazon.nano', name: 'Amazon Nano', provider: 'Amazon', family: 'nano' });
    // Half the traffic on Acme Big: 182.5 requests × 2 cents = 365 cents; Amazon's half is not counted.
    const e = run(sheet({ models: [{ modelId: 'acme.big', share: 0.5 }, { modelId: 'amazon.nano', share: 0.5 }] }), [model(), nano]);
    expect(e.warnings.filter((x) => x.code === 'third-party-models')).toStrictEqual([
      { code: 'third-party-models', amountUsd: '3.65', message: '$3.65 of the forecast is third-party models on Bedrock. Hand-built note on third-party models.' },
    ]);
    expect(e.warnings.at(-1)?.code).toBe('third-party-models');
    const amazonOnly = run(sheet({ models: [{ modelId: 'amazon.nano', share: 1 }] }), [nano]);
    expect(amazonOnly.warnings.map((x) => x.code)).not.toContain('third-party-models');
  });
});

describe('qualified figures: the minimum cacheable prefix', () => {
  // Acme Big caching 800 of 1,000 tokens at a 50 % hit rate, no batch: 365 × 1.74 = 635.1 → 635 cents against 730
  // without caching, a saving of 95 cents. Another model of the card has a 1,024-token minimum (the largest known).
  const w = (cacheable = 800) => sheet({ avgInputTokens: Math.max(1_000, cacheable), cacheableContextTokens: cacheable, cacheHitRate: 0.5 });
  const ref = () => model({ modelId: 'acme.ref', name: 'Acme Ref', minCacheablePrefix: { tokens: 1_024, sources: ['acme-docs'], verified: true } });
  const big = (minCacheablePrefix?: RateModel['minCacheablePrefix']) => model({ pricing: LEVER_PRICES(), ...(minCacheablePrefix ? { minCacheablePrefix } : {}) });
  const caching = (e: ReturnType<typeof run>) => ({ figures: e.qualifiedFigures, warnings: e.warnings.filter((x) => x.code.startsWith('cach')), notes: e.notes.filter((n) => n.includes('no source gives its minimum')) });

  it('no minimum from any source, below the largest known: the saving rests on an assumption', () => {
    const restsOn = 'the assumption that Acme Big has no minimum cacheable prefix (no source gives one; sources give other Claude models up to 1024 tokens)';
    expect(caching(run(w(), [big(), ref()]))).toStrictEqual({
      figures: [{ figure: 'caching saving on Acme Big', basis: 'assumed', restsOn, modelId: 'acme.big', amountUsd: '0.95' }],
      warnings: [
        {
          code: 'cache-minimum-assumed',
          amountUsd: '0.95',
          message: `Acme Big: the $0.95 caching saving on the 800-token cacheable context rests on ${restsOn}; if the real minimum is above 800 tokens nothing is cached and spend is that much higher`,
        },
      ],
      notes: ['Acme Big: no source gives its minimum cacheable prefix. Hand-built assumption: no minimum is applied.'],
    });
  });

  it('an unverified minimum below the largest known: the saving rests on it', () => {
    const restsOn = 'its minimum cacheable prefix of 512 tokens (unverified, source: blog-a, blog-b)';
    expect(caching(run(w(), [big({ tokens: 512, sources: ['blog-a', 'blog-b'], verified: false }), ref()]))).toStrictEqual({
      figures: [{ figure: 'caching saving on Acme Big', basis: 'unverified', restsOn, modelId: 'acme.big', amountUsd: '0.95' }],
      warnings: [
        {
          code: 'cache-minimum-unverified',
          amountUsd: '0.95',
          message: `Acme Big: the $0.95 caching saving on the 800-token cacheable context rests on ${restsOn}; if the real minimum is above 800 tokens nothing is cached and spend is that much higher`,
        },
      ],
      notes: [],
    });
  });

  it('nothing to qualify: a verified minimum, a context at the largest known minimum, or no larger minimum in the card', () => {
    const none = { figures: [], warnings: [], notes: [] };
    expect(caching(run(w(), [big({ tokens: 512, sources: ['acme-docs'], verified: true }), ref()]))).toStrictEqual(none);
    // The largest minimum is Big's own unverified 512: an 800-token context is cached under every minimum known.
    expect(caching(run(w(), [big({ tokens: 512, sources: ['blog-a'], verified: false }), model({ modelId: 'acme.ref', name: 'Acme Ref' })]))).toStrictEqual(none);
    // No minimum at all in the card: nothing is known to be larger (only the note that none is given).
    expect(caching(run(w(), [big(), model({ modelId: 'acme.ref', name: 'Acme Ref' })])).figures).toEqual([]);
    const at = caching(run(w(1_024), [big(), ref()]));
    expect(at.figures).toEqual([]);
    expect(at.notes).toEqual(['Acme Big: no source gives its minimum cacheable prefix. Hand-built assumption: no minimum is applied.']);
    expect(caching(run(w(1_023), [big(), ref()])).figures.map((f) => f.basis)).toEqual(['assumed']);
  });

  it('caching not applied at that hit rate: no note and no figure', () => {
    // Break-even (12.5 − 10) / (12.5 − 1) = 21.74 %: at 20 % nothing is cached.
    const e = run(sheet({ cacheableContextTokens: 800, cacheHitRate: 0.2 }), [big(), ref()]);
    expect(e.models[0]?.cachingApplied).toBe(false);
    expect(caching(e)).toStrictEqual({ figures: [], warnings: [], notes: [] });
  });

  it('a context below the model\'s minimum: warned, and a figure when that minimum is unverified', () => {
    const message = (minText: string) =>
      `Acme Big: the 800 cacheable context tokens are below its minimum cacheable prefix of ${minText}, so Bedrock caches nothing and the forecast prices them as plain input; caching would need a reusable prefix of at least 1024 tokens`;
    expect(caching(run(w(), [big({ tokens: 1_024, sources: ['blog-a'], verified: false })]))).toStrictEqual({
      figures: [{ figure: 'Acme Big spend priced without caching', basis: 'unverified', restsOn: 'its minimum cacheable prefix of 1024 tokens (unverified, source: blog-a)', modelId: 'acme.big' }],
      warnings: [{ code: 'caching-below-minimum', message: message('1024 tokens (unverified, source: blog-a)') }],
      notes: [],
    });
    expect(caching(run(w(), [big({ tokens: 1_024, sources: ['acme-docs'], verified: true })]))).toStrictEqual({
      figures: [],
      warnings: [{ code: 'caching-below-minimum', message: message('1024 tokens (source: acme-docs)') }],
      notes: [],
    });
  });
});

describe('qualified figures: a long-context window no source states', () => {
  const long = (over: Partial<RateModel> = {}) =>
    model({
      modelId: 'acme.long',
      name: 'Acme Long',
      contextWindow: 5_000,
      contextWindowSource: { assumed: true, note: 'taken from its sibling' },
      longContextPricing: { appliesAbove: 1_000, pricing: { inputPer1M: 20, outputPer1M: 200 }, note: 'twice the price' },
      ...over,
    });
  const at = (tokens: number, m: RateModel) => run(sheet({ models: [{ modelId: 'acme.long', share: 1 }], avgInputTokens: tokens }), [m]);

  it('above the long-context threshold: a figure and a warning naming the window and its note', () => {
    const e = at(1_001, long());
    const figure = 'Acme Long long-context pricing of 1001-token requests';
    expect(e.qualifiedFigures).toStrictEqual([{ figure, basis: 'assumed', restsOn: 'a 5000-token window (taken from its sibling)', modelId: 'acme.long' }]);
    expect(e.warnings.filter((x) => x.code === 'context-window-assumed')).toStrictEqual([
      { code: 'context-window-assumed', message: `${figure}: requests above 1000 tokens are priced up to a 5000-token window that no source states for this model (taken from its sibling)` },
    ]);
  });

  it('nothing at the threshold, with a stated window, without a window note, or without long-context prices', () => {
    expect(at(1_000, long()).qualifiedFigures).toEqual([]);
    expect(at(1_001, long({ contextWindowSource: { assumed: false, note: 'stated by the provider' } })).qualifiedFigures).toEqual([]);
    const { contextWindowSource: _source, ...noSource } = long();
    expect(at(1_001, noSource).qualifiedFigures).toEqual([]);
    const { longContextPricing: _lc, ...noTier } = long();
    expect(at(1_001, noTier).qualifiedFigures).toEqual([]);
  });
});

describe('qualified figures: program ceilings and the POC window', () => {
  const withProgram = (id: string, patch: (p: Program) => Program, data = programs()): ProgramsData => ({ ...data, programs: data.programs.map((p) => (p.id === id ? patch(p) : p)) });
  const poc = (over: Partial<Program> = {}, ceiling: Partial<Program['ceiling']> = {}, data = programs()) =>
    withProgram('bedrock-poc', (p) => ({ ...p, defaultWindowMonths: 3, windowVerified: false, ...over, ceiling: { currentUsd: 10, verified: false, note: 'vendor marketing only', ...ceiling } }), data);
  // A defined POC without a duration: sized on the default window, min(3, the 2 months covered) = 2 months of 730
  // cents, plus 10 % headroom: 1,606 cents, up to the next $5: $20, capped at the $10 ceiling.
  const w = (pocPatch: Record<string, unknown> = {}, months = 2) => sheet({ monthsToCover: months }, { useCase: { poc: { defined: true, successMetric: 'answers cite a source', ...pocPatch } } });
  const pocName = () => runtimePrograms.programs.find((p) => p.id === 'bedrock-poc')?.name;

  it('an ask capped at an unverified ceiling, and a POC sized on the unverified default window', () => {
    const data = poc();
    const e = run(w(), [model()], { programs: data });
    expect(pocName()).toBe('Bedrock / GenAI POC funding');
    const capped = 'Bedrock / GenAI POC funding ask $10.00 (capped at the program ceiling)';
    const window = 'Bedrock / GenAI POC funding coverage of 2 months and its ask $10.00';
    expect(e.qualifiedFigures).toStrictEqual([
      { figure: capped, basis: 'unverified', restsOn: 'the $10 ceiling: vendor marketing only', programId: 'bedrock-poc', amountUsd: '10.00' },
      { figure: window, basis: 'assumed', restsOn: 'the default 3-month POC window (unverified); give useCase.poc.durationWeeks to size it from the real POC', programId: 'bedrock-poc', amountUsd: '10.00' },
    ]);
    expect(e.warnings.filter((x) => ['unverified-ceiling', 'poc-window-assumed'].includes(x.code))).toStrictEqual([
      { code: 'unverified-ceiling', amountUsd: '10.00', message: `${capped} rests on an unverified ceiling: vendor marketing only` },
      { code: 'poc-window-assumed', amountUsd: '10.00', message: `${window} rest on the default POC window, an unverified figure: give the POC's duration in weeks to size it from the real plan` },
    ]);
    // The plan: $10 of POC credit and the rest of the 1,606-cent envelope (606 → $10) from Activate Portfolio cover the
    // 1,460 cents of credit-eligible spend; nothing forfeited (12 and 24 months outlast the 2 covered).
    expect(e.plan.filings.map((f) => [f.programId, f.askUsd, f.coverageMonths])).toEqual([
      ['bedrock-poc', '10.00', 2],
      ['activate-portfolio', '10.00', 2],
    ]);
    expect(e.plan).toMatchObject({ totalAskUsd: '20.00', outOfPocketUsd: '0.00', forfeitedUsd: '0.00', uncoveredSpendUsd: '0.00' });
    expect(e.programs).toEqual(decideEligibility(w(), NOW, data));
  });

  it('the default window of the data, or the months covered when the data gives none', () => {
    const { defaultWindowMonths: _d, ...noDefault } = poc().programs.find((p) => p.id === 'bedrock-poc') as Program;
    const data = withProgram('bedrock-poc', () => noDefault);
    // One month covered: the POC window is min(2, 1) = 1 month; 730 cents + 73 rounds up to 1,000, the $10 ceiling
    // itself, so the ask rests on the unverified ceiling too.
    const e = run(w({}, 1), [model()], { programs: data });
    expect(e.qualifiedFigures.map((f) => f.restsOn)).toEqual([
      'the $10 ceiling: vendor marketing only',
      'the default 1-month POC window (unverified); give useCase.poc.durationWeeks to size it from the real POC',
    ]);
  });

  it('nothing to qualify: a verified or unreached ceiling, a verified window, or a POC duration given', () => {
    const figures = (data: ProgramsData, sheetOf = w()) => run(sheetOf, [model()], { programs: data }).qualifiedFigures.map((f) => f.figure);
    expect(figures(poc({ windowVerified: true }, { verified: true }))).toEqual([]);
    // Ceiling $100 unverified, ask $20: not capped.
    expect(figures(poc({ windowVerified: true }, { currentUsd: 100 }))).toEqual([]);
    // The window's verification unknown (no field) is not "unverified".
    const { windowVerified: _v, ...unknownWindow } = poc({}, { verified: true }).programs.find((p) => p.id === 'bedrock-poc') as Program;
    expect(figures(withProgram('bedrock-poc', () => unknownWindow))).toEqual([]);
    // A POC of 8 weeks is sized from its duration.
    expect(figures(poc({}, { verified: true }), w({ durationWeeks: 8 }))).toEqual([]);
    // An unverified window on a program that is not the POC is not read.
    const notPoc = withProgram('activate-portfolio', (p) => ({ ...p, windowVerified: false, defaultWindowMonths: 3 }), poc({ windowVerified: true }, { verified: true }));
    expect(figures(notPoc)).toEqual([]);
  });
});

describe('pool coverage and the monthly spend by service', () => {
  it('the recommended ask by default, or the pool given, counted up to the data\'s horizon', () => {
    // 730 cents a month for 2 months + 10 % = 1,606 → $20. $20 lasts 2 months and 540/730 of the third: 2.73.
    const w = sheet({ monthsToCover: 2 });
    expect(run(w, [model()]).poolCoverage).toStrictEqual({ poolUsd: '20.00', naiveMonths: 2.73, optimizedMonths: 2.73, horizonMonths: 3 });
    expect(run(w, [model()], { poolUsd: 100 }).poolCoverage).toStrictEqual({ poolUsd: '100.00', naiveMonths: 3, optimizedMonths: 3, horizonMonths: 3 });
    // $5: 500 of the first month's 730 cents.
    expect(run(w, [model()], { poolUsd: 5 }).poolCoverage).toStrictEqual({ poolUsd: '5.00', naiveMonths: 0.68, optimizedMonths: 0.68, horizonMonths: 3 });
  });

  it('averages each service over the months, half a cent up', () => {
    // Month 1: 365 requests × 2 = 730 cents; month 2 grows 10 %: 401.5 × 2 = 803. Average 766.5 → 767.
    const e = run(sheet({ monthsToCover: 2, monthlyGrowth: 0.1 }, { otherServices: [{ service: 'Amazon S3', monthlyUsd: 10 }] }), [model()]);
    expect(e.forecast.months.map((m) => [m.trafficRequests, m.bedrockUsd])).toEqual([
      [365, '7.30'],
      [401.5, '8.03'],
    ]);
    expect(e.forecast.monthlySpendByService).toStrictEqual([
      { service: 'Amazon Bedrock', monthlyUsd: '7.67' },
      { service: 'Amazon S3', monthlyUsd: '10.00' },
    ]);
  });
});

describe('the estimate around the figures', () => {
  it('dates, currency, assumptions and the data age of the card and programs passed in', () => {
    const e = run(sheet(), [model()]);
    expect(e.ratesAsOf).toBe('2026-11-30');
    expect(e.programsAsOf).toBe('2026-11-29');
    expect(e.computedAt).toBe('2026-12-01T12:00:00.000Z');
    expect(e.currency).toBe('USD');
    expect(e.assumptions).toStrictEqual({
      daysPerMonth: '365/12 (730 hours, the AWS Pricing Calculator month)',
      headroomShare: 0.1,
      headroomSource: 'data/programs.json sizingPolicy: hand-built policy',
      pricingRule: 'Hand-built rule: the list price applies.',
      askRounding: 'Hand-built rounding: the next $5.',
      levers:
        "Optimized = the founder's batchable share and cache hit rate applied where they pay off per request (caching when cheaper than plain input at that hit rate; batch where the model has a batch price and a batch request is cheaper); batch requests get no caching. Naive = everything on-demand, no caching. Traffic compounds monthly; eval replays and other services are flat.",
    });
    expect(e.dataAge.evaluatedOn).toBe('2026-12-01T12:00:00.000Z');
    expect(e.dataAge.files.map((f) => [f.file, f.asOf, f.ageDays, f.stale])).toEqual([
      ['data/rate-card.json', '2026-11-30', 1, false],
      ['data/programs.json', '2026-11-29', 2, false],
    ]);
    expect(e.dataAge.files[0]?.sources).toEqual(['acme: Acme price page (2026-11-30)']);
  });

  it('warnings in order: stale data, lifecycle, the other qualified figures, the plan, third-party models', () => {
    const old = model({
      modelId: 'acme.old',
      name: 'Acme Old',
      status: 'legacy',
      eolDate: '2027-03-01',
      contextWindow: 5_000,
      contextWindowSource: { assumed: true, note: 'taken from its sibling' },
      longContextPricing: { appliesAbove: 1_000, pricing: { inputPer1M: 20, outputPer1M: 200 }, note: 'twice the price' },
    });
    const w = sheet({ models: [{ modelId: 'acme.old', share: 1 }], avgInputTokens: 1_001 }, { otherServices: [{ service: 'AWS Marketplace: Pinecone', monthlyUsd: 5 }] });
    // Prices as of 2026-01-01 are 334 days old on 2026-12-01, past the 90-day policy.
    const e = run(w, [old], { card: { asOf: '2026-01-01' } });
    expect(e.warnings.map((x) => x.code)).toEqual(['stale-data', 'model-legacy', 'context-window-assumed', 'uncovered-spend', 'third-party-models']);
    // Figures likewise: the stale prices first, then the rest.
    expect(e.qualifiedFigures.map((f) => f.basis)).toEqual(['stale', 'assumed']);
    expect(e.qualifiedFigures[1]?.figure).toBe('Acme Old long-context pricing of 1001-token requests');
  });
});

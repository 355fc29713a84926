/**
 * Sizing-engine review fixes: minimum cacheable prefix, credit-eligible ask and coverage, long-context pricing and
 * the context-window rule, the cryptocurrency exclusion pattern, and program floors. Each figure is derived by hand
 * from the rate card (a month is 365/12 days).
 */
import { describe, expect, it } from 'vitest';
import { estimate } from '../../functions/core/estimate.ts';
import { ValidationError } from '../../functions/core/errors.ts';
import { worksheetDomainProblems } from '../../functions/core/intake.ts';
import { ineligibleServices } from '../../functions/core/programs.ts';
import { applicablePrices, findModel, rateCard, resolveModel } from '../../functions/core/rates.ts';
import { contextWindowFor, deriveLongContext } from '../../scripts/derive-rate-card.ts';
import { exampleWorksheet } from '../support/fixtures.ts';
import { NOW, ragWorksheet } from '../support/worksheets.ts';

const HAIKU = 'anthropic.claude-haiku-4-5-20251001-v1:0';
const SONNET = 'anthropic.claude-sonnet-4-6';

describe('minimum cacheable prefix', () => {
  it('is on the rate card per model with its source; the family rule [B6] is gone', () => {
    expect(findModel(SONNET)?.minCacheablePrefix).toMatchObject({ tokens: 1024, sources: ['anthropic-caching'], verified: true });
    expect(findModel('anthropic.claude-opus-4-6-v1')?.minCacheablePrefix).toMatchObject({ tokens: 4096, verified: true });
    expect(findModel('anthropic.claude-opus-4-7')?.minCacheablePrefix).toMatchObject({ tokens: 2048, sources: ['devto-caching'], verified: false });
    expect(findModel('amazon.nova-lite-v1:0')?.minCacheablePrefix).toBeUndefined();
    expect(rateCard.minCacheablePrefixRule).toMatch(/corrected 2026-11-29/);
    expect(rateCard.sources.map((s) => s.id)).toEqual(expect.arrayContaining(['anthropic-caching', 'devto-caching']));
  });

  it('does not cache 3,500 tokens on Haiku 4.5 (minimum 4,096), says why, and suggests no caching saving for it', () => {
    const w = ragWorksheet({ workload: { models: [{ modelId: HAIKU, share: 1 }], avgInputTokens: 6_000, cacheableContextTokens: 3_500, cacheHitRate: 0.7 } });
    const e = estimate(w, { now: NOW });
    expect(e.models[0]?.cachingApplied).toBe(false);
    expect(e.models[0]?.levers.cacheRead).toBe('0.00');
    expect(e.forecast.optimizedUsd).toBe(e.forecast.naiveUsd);
    expect(e.notes).toContain(
      'caching not applied on Claude Haiku 4.5: the 3500 cacheable context tokens are below its minimum cacheable prefix of 4096 tokens, so Bedrock would not cache them (billed as plain input)',
    );
    expect(e.levers.filter((l) => l.lever === 'caching')).toEqual([]);
  });

  it('caches on Haiku 4.5 once the prefix reaches 4,096 tokens, and on Sonnet from 1,024', () => {
    const at = (modelId: string, cacheable: number) =>
      estimate(ragWorksheet({ workload: { models: [{ modelId, share: 1 }], avgInputTokens: 6_000, cacheableContextTokens: cacheable, cacheHitRate: 0.7 } }), { now: NOW }).models[0]?.cachingApplied;
    expect(at(HAIKU, 4_095)).toBe(false);
    expect(at(HAIKU, 4_096)).toBe(true);
    expect(at(SONNET, 1_023)).toBe(false);
    expect(at(SONNET, 1_024)).toBe(true);
  });

  it('example worksheet: Haiku no longer caches; forecast $147,351.38, ask $150,000', () => {
    const e = estimate(exampleWorksheet(), { now: NOW });
    expect(e.models.map((m) => [m.modelId, m.cachingApplied])).toEqual([
      [SONNET, true],
      [HAIKU, false],
    ]);
    expect(e.forecast.totalUsd).toBe('147351.38');
    expect(e.forecast.recommendedAskUsd).toBe('150000.00');
  });
});

describe('the recommended ask and pool coverage count credit-eligible spend only', () => {
  it('an excluded Marketplace line stays in the forecast total but not in the ask or the coverage', () => {
    const plain = estimate(ragWorksheet(), { now: NOW });
    const e = estimate(ragWorksheet({ otherServices: [{ service: 'AWS Marketplace: Pinecone', monthlyUsd: 5_000 }] }), { now: NOW });
    // $44,073.72 of Bedrock with headroom, plus $60,000 of Marketplace and its $9,000 headroom in the total.
    expect(e.forecast.totalUsd).toBe('113073.72');
    expect(e.forecast.recommendedAskUsd).toBe('45000.00');
    expect(e.forecast.recommendedAskUsd).toBe(plain.forecast.recommendedAskUsd);
    expect(e.plan.totalAskUsd).toBe('45000.00');
    expect(e.poolCoverage).toEqual(plain.poolCoverage);
    expect(e.warnings.find((x) => x.code === 'uncovered-spend')).toMatchObject({ amountUsd: '60000.00' });
  });

  it('eligible other services are still in the ask', () => {
    const e = estimate(ragWorksheet({ otherServices: [{ service: 'Amazon S3', monthlyUsd: 1_000 }] }), { now: NOW });
    // ($38,325 + $12,000) × 1.15 = $57,873.75 → $58,000.
    expect(e.forecast.recommendedAskUsd).toBe('58000.00');
  });
});

describe('long-context pricing', () => {
  it('derives prices from the "input and cache x2, output x1.5" rule, for list and regional prices', () => {
    const lc = findModel('openai.gpt-5.6-terra')?.longContextPricing;
    expect(lc?.appliesAbove).toBe(272_000);
    expect(lc?.pricing).toEqual({ inputPer1M: 4, outputPer1M: 18, cacheWritePer1M: 5, cacheReadPer1M: 0.4 });
    expect(lc?.regionalPricing).toEqual({ inputPer1M: 4.4, outputPer1M: 19.8, cacheWritePer1M: 5.5, cacheReadPer1M: 0.44 });
    expect(findModel('anthropic.claude-sonnet-4-5-20250929-v1:0')?.longContextPricing).toMatchObject({ appliesAbove: 200_000, pricing: { inputPer1M: 6, outputPer1M: 22.5, cacheReadPer1M: 0.6 } });
    const raw = { modelId: 'x', provider: 'p', name: 'X', kind: 'text', lifecycle: 'active', confidence: 'high', sources: [], longContextPricing: { appliesAbove: 1, rule: 'input x3' } };
    expect(() => deriveLongContext(raw, { inputPer1M: 1, outputPer1M: 1 }, undefined)).toThrow(/unknown long-context rule/);
    // A long-context threshold at the listed window makes the price unreachable: the derivation asks for the window.
    expect(() => contextWindowFor({ modelId: 'x', contextWindow: 200_000, longContextPricing: { appliesAbove: 200_000 } })).toThrow(/LONG_CONTEXT_WINDOWS/);
  });

  it('applies only above the threshold, to the whole request', () => {
    const terra = resolveModel('openai.gpt-5.6-terra');
    expect(applicablePrices(terra, 'us-east-1', 272_000).prices.inputPer1M).toBe(2);
    expect(applicablePrices(terra, 'us-east-1', 272_001).prices.inputPer1M).toBe(4);
    expect(applicablePrices(resolveModel('us.openai.gpt-5.6-terra'), 'us-east-1', 272_001).prices.inputPer1M).toBe(4.4);
  });

  it('prices a 300,000-token request on GPT-5.6 Terra at $4 in / $18 out: $3,704.75 a month at 100 requests/day', () => {
    // 100 × 365/12 = 3,041.67 requests × (300,000 × $4 + 1,000 × $18) / 1M = $3,704.75 (at list prices: $1,861.50).
    const w = ragWorksheet({ workload: { models: [{ modelId: 'openai.gpt-5.6-terra', share: 1 }], requestsPerDay: 100, avgInputTokens: 300_000, avgOutputTokens: 1_000 } });
    const e = estimate(w, { now: NOW });
    expect(e.models[0]?.prices).toMatchObject({ inputPer1M: 4, outputPer1M: 18 });
    expect(e.models[0]?.priceNote).toMatch(/long-context rates/);
    expect(e.forecast.months[0]?.bedrockUsd).toBe('3704.75');
  });
});

describe('context window', () => {
  const tooLong = ragWorksheet({ workload: { models: [{ modelId: HAIKU, share: 1 }], avgInputTokens: 199_800, avgOutputTokens: 500 } });

  it('a request that does not fit a chosen model is a worksheet problem', () => {
    expect(worksheetDomainProblems({ ...tooLong, company: { ...tooLong.company, address: { countryCode: 'US', postalCode: '94107', stateOrRegion: 'California', city: 'San Francisco', streetAddress: '500 Brannan St' } } })).toEqual([
      { field: 'workload.avgInputTokens', rule: 'must fit the context window of Claude Haiku 4.5 (200000 tokens) together with avgOutputTokens' },
    ]);
  });

  it('estimate() refuses to price it', () => {
    expect(() => estimate(tooLong, { now: NOW })).toThrow(ValidationError);
    const fits = ragWorksheet({ workload: { models: [{ modelId: HAIKU, share: 1 }], avgInputTokens: 199_500, avgOutputTokens: 500 } });
    expect(() => estimate(fits, { now: NOW })).not.toThrow();
  });

  it('never suggests a cheaper model the request does not fit', () => {
    const e = estimate(ragWorksheet({ workload: { models: [{ modelId: SONNET, share: 1 }], avgInputTokens: 300_000, avgOutputTokens: 1_000 } }), { now: NOW });
    for (const l of e.levers.filter((x) => x.lever === 'cheaper-model')) {
      const window = findModel(l.alternativeModelId!)?.contextWindow;
      expect(window === undefined || window >= 301_000).toBe(true);
    }
  });
});

describe('credit exclusions and program floors', () => {
  const exclusions = (...services: string[]) => ineligibleServices(ragWorksheet({ otherServices: services.map((service) => ({ service, monthlyUsd: 10 })) })).map((s) => s.service);

  it('the cryptocurrency pattern matches mining only, not AWS Payment Cryptography', () => {
    expect(exclusions('AWS Payment Cryptography', 'AWS Key Management Service (crypto keys)', 'Data mining on EMR')).toEqual([]);
    expect(exclusions('Cryptocurrency mining on EC2', 'crypto-mining rigs', 'Crypto currency nodes', 'Bitcoin mining')).toHaveLength(4);
  });

  it('a POC envelope below the program floor is warned about with amounts; the ask is unchanged', () => {
    // 8 weeks → 2 months of $3,193.75 = $6,387.50, plus 15% headroom $958.13 = $7,345.63 → $7,500 (step $500).
    const w = ragWorksheet({ useCase: { poc: { defined: true, successMetric: '85% of answers correct with a cited source', durationWeeks: 8 } } });
    const e = estimate(w, { now: NOW });
    expect(e.plan.filings.find((f) => f.programId === 'bedrock-poc')?.askUsd).toBe('7500.00');
    expect(e.warnings.find((x) => x.code === 'below-program-floor')).toEqual({
      code: 'below-program-floor',
      amountUsd: '7345.63',
      message: expect.stringContaining("the POC envelope $7,345.63 is below the program's usual $10,000 floor (unverified figure); the ask stays at $7,500"),
    });
  });

  it('no floor warning when the envelope reaches it', () => {
    const e = estimate(exampleWorksheet(), { now: NOW });
    expect(e.warnings.filter((x) => x.code === 'below-program-floor')).toEqual([]);
  });
});

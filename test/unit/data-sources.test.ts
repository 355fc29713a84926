/**
 * Issue 12: every money figure traces to dated data. Minimum cacheable prefix per model (at, below and above it),
 * long-context pricing (at, below and above the threshold, and 300K-token requests on each model with a
 * long-context price), and staleness against the policy with a fixed clock. Figures are derived by hand from the
 * rate card (a month is 365/12 days).
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ageInDays, dataAgeAt, dataPolicy } from '../../functions/core/data-age.ts';
import { estimate } from '../../functions/core/estimate.ts';
import { programsData } from '../../functions/core/programs.ts';
import { findModel, rateCard } from '../../functions/core/rates.ts';
import { exampleWorksheet } from '../support/fixtures.ts';
import { NOW, ragWorksheet } from '../support/worksheets.ts';

const OPUS_46 = 'anthropic.claude-opus-4-6-v1';

/** The minimums as the reference states them (programs-and-peers.md, correction of 2026-11-29). */
const MINIMUMS: [modelId: string, tokens: number, verified: boolean][] = [
  [OPUS_46, 4096, true],
  ['anthropic.claude-opus-4-5-20251101-v1:0', 4096, true],
  ['anthropic.claude-sonnet-4-6', 1024, true],
  ['anthropic.claude-sonnet-4-5-20250929-v1:0', 1024, true],
  ['anthropic.claude-sonnet-4-20250514-v1:0', 1024, true],
  ['anthropic.claude-opus-4-1-20250805-v1:0', 1024, true],
  ['anthropic.claude-opus-4-20250514-v1:0', 1024, true],
  ['anthropic.claude-haiku-4-5-20251001-v1:0', 4096, true],
  ['anthropic.claude-3-5-haiku-20241022-v1:0', 2048, true],
  ['anthropic.claude-3-haiku-20240307-v1:0', 2048, true],
  ['anthropic.claude-opus-5', 512, false],
  ['anthropic.claude-fable-5', 512, false],
  ['anthropic.claude-opus-4-8', 1024, false],
  ['anthropic.claude-sonnet-5', 1024, false],
  ['anthropic.claude-opus-4-7', 2048, false],
];

const cachingWorksheet = (modelId: string, cacheable: number) =>
  ragWorksheet({ workload: { models: [{ modelId, share: 1 }], avgInputTokens: 10_000, cacheableContextTokens: cacheable, cacheHitRate: 0.9 } });

describe('minimum cacheable prefix per model', () => {
  it('the rate card carries exactly the minimums the sources give, secondary ones marked unverified', () => {
    const onCard = rateCard.models.filter((m) => m.minCacheablePrefix).map((m) => [m.modelId, m.minCacheablePrefix?.tokens, m.minCacheablePrefix?.verified]);
    expect(onCard.sort()).toEqual([...MINIMUMS].sort());
  });

  const priced = MINIMUMS.filter(([id]) => findModel(id)?.pricing.cacheReadPer1M !== undefined);
  describe.each(priced)('%s (minimum %i)', (modelId, minimum, verified) => {
    it.each([
      ['below', minimum - 1, false],
      ['at', minimum, true],
      ['above', minimum + 1, true],
    ])('%s the minimum (%i cacheable tokens): cached %s', (_where, cacheable, cached) => {
      const e = estimate(cachingWorksheet(modelId, cacheable), { now: NOW });
      expect(e.models[0]?.cachingApplied).toBe(cached);
      const belowWarning = e.warnings.find((w) => w.code === 'caching-below-minimum');
      if (cached) expect(belowWarning).toBeUndefined();
      else expect(belowWarning?.message).toContain(`below its minimum cacheable prefix of ${minimum} tokens`);
      // A saving that rests on a secondary-source minimum is named; one from Anthropic's page is not.
      const rests = e.qualifiedFigures.filter((q) => q.modelId === modelId);
      expect(rests.length > 0).toBe(!verified);
      if (!verified) expect(rests[0]?.basis).toBe('unverified');
    });
  });

  it('an Opus 4.6 worksheet with 2,000 cacheable tokens (between 1,024 and 4,096) is not cached, and a warning says so', () => {
    const w = ragWorksheet({ workload: { models: [{ modelId: OPUS_46, share: 1 }], avgInputTokens: 6_000, cacheableContextTokens: 2_000, cacheHitRate: 0.8 } });
    const e = estimate(w, { now: NOW });
    expect(e.models[0]?.cachingApplied).toBe(false);
    expect(e.models[0]?.levers.cacheRead).toBe('0.00');
    // 304,166.67 requests × (6,000 × $5 + 300 × $25) / 1M = $11,406.25 a month, all plain input: no caching saving.
    expect(e.forecast.months[0]?.bedrockUsd).toBe('11406.25');
    expect(e.forecast.optimizedUsd).toBe(e.forecast.naiveUsd);
    expect(e.warnings.find((x) => x.code === 'caching-below-minimum')?.message).toBe(
      'Claude Opus 4.6: the 2000 cacheable context tokens are below its minimum cacheable prefix of 4096 tokens (source: anthropic-caching), so Bedrock caches nothing and the forecast prices them as plain input; caching would need a reusable prefix of at least 4096 tokens',
    );
    expect(e.levers.filter((l) => l.lever === 'caching')).toEqual([]);
  });

  it('where no source gives a minimum, the estimate says which assumption it made', () => {
    // Claude Opus 5.5 has a cache price and no minimum from any source.
    const short = estimate(cachingWorksheet('anthropic.claude-opus-5-5', 2_000), { now: NOW });
    expect(short.models[0]?.cachingApplied).toBe(true);
    const warning = short.warnings.find((x) => x.code === 'cache-minimum-assumed');
    expect(warning?.message).toMatch(/rests on the assumption that Claude Opus 5\.5 has no minimum cacheable prefix/);
    expect(warning?.amountUsd).toBe(short.levers.find((l) => l.lever === 'caching')?.savingUsd);
    expect(short.qualifiedFigures).toContainEqual(expect.objectContaining({ figure: 'caching saving on Claude Opus 5.5', basis: 'assumed', amountUsd: warning?.amountUsd }));
    // Above every known minimum the decision does not rest on it, but the assumption is still printed.
    const long = estimate(cachingWorksheet('anthropic.claude-opus-5-5', 5_000), { now: NOW });
    expect(long.warnings.filter((x) => x.code === 'cache-minimum-assumed')).toEqual([]);
    expect(long.notes).toContain(`Claude Opus 5.5: no source gives its minimum cacheable prefix. ${rateCard.minCacheablePrefixAssumption}`);
  });
});

/** Long-context prices the reference lists (Sonnet) or derives by its rule (GPT-5.6: input x2, output x1.5). */
const LONG_CONTEXT: [modelId: string, threshold: number, base: [number, number], long: [number, number], month300k: string][] = [
  // 100 requests/day × 365/12 = 3,041.67 requests × (300,000 × in + 1,000 × out) / 1M.
  ['anthropic.claude-sonnet-4-5-20250929-v1:0', 200_000, [3, 15], [6, 22.5], '5543.44'], // × $1.8225
  ['anthropic.claude-sonnet-4-20250514-v1:0', 200_000, [3, 15], [6, 22.5], '5543.44'], // × $1.8225
  ['openai.gpt-5.6-sol', 272_000, [4, 20], [8, 30], '7391.25'], // × $2.43
  ['openai.gpt-5.6-terra', 272_000, [2, 12], [4, 18], '3704.75'], // × $1.218
  ['openai.gpt-5.6-luna', 272_000, [0.2, 1.2], [0.4, 1.8], '370.48'], // × $0.1218 = $370.475, rounded half up
];

describe('long-context pricing', () => {
  it('every model with a long-context price is in the table, with a window above the threshold', () => {
    const withPrice = rateCard.models.filter((m) => m.longContextPricing).map((m) => m.modelId);
    expect(withPrice.sort()).toEqual(LONG_CONTEXT.map(([id]) => id).sort());
    for (const [id, threshold] of LONG_CONTEXT) expect(findModel(id)?.contextWindow).toBeGreaterThan(threshold);
  });

  describe.each(LONG_CONTEXT)('%s (long context above %i)', (modelId, threshold, base, long, month300k) => {
    const at = (input: number) => estimate(ragWorksheet({ workload: { models: [{ modelId, share: 1 }], requestsPerDay: 100, avgInputTokens: input, avgOutputTokens: 1_000 } }), { now: NOW });

    it.each([
      ['below', threshold - 1, base],
      ['at', threshold, base],
      ['above', threshold + 1, long],
    ])('%s the threshold (%i input tokens): $%j per 1M in/out', (_where, input, [inPrice, outPrice]) => {
      const e = at(input);
      expect([e.models[0]?.prices.inputPer1M, e.models[0]?.prices.outputPer1M]).toEqual([inPrice, outPrice]);
      expect(/long-context rates/.test(e.models[0]?.priceNote ?? '')).toBe(input > threshold);
    });

    it(`a 300,000-token request fits and is billed at the long-context rates: $${month300k} in month 1`, () => {
      const e = at(300_000);
      expect(e.models[0]?.prices).toMatchObject({ inputPer1M: long[0], outputPer1M: long[1] });
      expect(e.forecast.months[0]?.bedrockUsd).toBe(month300k);
      // Sonnet 4's 1M window is an assumption (no source states it): the figure that rests on it is named.
      const assumed = findModel(modelId)?.contextWindowSource?.assumed === true;
      expect(e.warnings.some((w) => w.code === 'context-window-assumed')).toBe(assumed);
      expect(e.qualifiedFigures.some((q) => q.modelId === modelId && q.basis === 'assumed')).toBe(assumed);
    });
  });
});

describe('staleness, with a fixed clock', () => {
  const rates = (asOf: string) => ({ ...rateCard, asOf });
  const programs = (asOf: string) => ({ ...programsData, asOf });
  const worksheets: [string, () => ReturnType<typeof ragWorksheet>][] = [
    ['the example worksheet', exampleWorksheet],
    ['a plain RAG assistant', () => ragWorksheet()],
    ['an Opus 4.6 worksheet', () => cachingWorksheet(OPUS_46, 2_000)],
    ['a 300K-token GPT-5.6 Terra worksheet', () => ragWorksheet({ workload: { models: [{ modelId: 'openai.gpt-5.6-terra', share: 1 }], avgInputTokens: 300_000 } })],
  ];

  it('counts whole UTC days; the threshold day itself is not stale', () => {
    expect(ageInDays('2026-09-02', NOW)).toBe(90);
    const policy = dataPolicy.files.find((f) => f.file === 'data/rate-card.json');
    expect(policy?.maxAgeDays).toBe(90);
    const at90 = estimate(ragWorksheet(), { now: NOW, card: rates('2026-09-02'), programs: programs('2026-11-27') });
    const at91 = estimate(ragWorksheet(), { now: NOW, card: rates('2026-09-01'), programs: programs('2026-11-27') });
    expect(at90.dataAge.files[0]).toMatchObject({ file: 'data/rate-card.json', asOf: '2026-09-02', ageDays: 90, maxAgeDays: 90, stale: false });
    expect(at90.dataAge.stale).toBe(false);
    expect(at90.warnings.filter((w) => w.code === 'stale-data')).toEqual([]);
    expect(at91.dataAge.files[0]).toMatchObject({ ageDays: 91, stale: true });
  });

  it.each(worksheets)('%s: fresh data gives no staleness warning; a data file past its threshold makes it warn, naming the figures', (_name, worksheet) => {
    const fresh = estimate(worksheet(), { now: NOW, card: rates('2026-11-01'), programs: programs('2026-11-27') });
    expect(fresh.warnings.filter((w) => w.code === 'stale-data')).toEqual([]);
    expect(fresh.qualifiedFigures.filter((q) => q.basis === 'stale')).toEqual([]);

    const oldPrices = estimate(worksheet(), { now: NOW, card: rates('2026-08-01'), programs: programs('2026-11-27') });
    const priceWarning = oldPrices.warnings.filter((w) => w.code === 'stale-data');
    expect(priceWarning).toHaveLength(1);
    expect(priceWarning[0]?.message).toMatch(/^data\/rate-card\.json \(Bedrock prices\) is 122 days old \(as of 2026-08-01\), past the 90-day data policy: .*the recommended ask/);
    expect(oldPrices.qualifiedFigures).toContainEqual(expect.objectContaining({ basis: 'stale', restsOn: expect.stringContaining('data/rate-card.json, as of 2026-08-01 (122 days old)') }));

    const oldPrograms = estimate(worksheet(), { now: NOW, card: rates('2026-11-01'), programs: programs('2026-05-01') });
    expect(oldPrograms.warnings.filter((w) => w.code === 'stale-data').map((w) => w.message)).toEqual([
      expect.stringMatching(/^data\/programs\.json \(Program ceilings, eligibility and sizing policy\) is 214 days old \(as of 2026-05-01\), past the 180-day data policy: .*program ceilings/),
    ]);
    // The figures themselves do not change with the data's age.
    expect(oldPrices.forecast).toEqual(fresh.forecast);
  });

  it('the dataAge block names each file, its date, its sources and what depends on it', () => {
    const e = estimate(exampleWorksheet(), { now: NOW });
    expect(e.dataAge.evaluatedOn).toBe(NOW.toISOString());
    expect(e.dataAge.files.map((f) => [f.file, f.asOf, f.maxAgeDays])).toEqual([
      ['data/rate-card.json', rateCard.asOf, 90],
      ['data/programs.json', programsData.asOf, 180],
    ]);
    expect(e.dataAge.files[0]?.sources).toContain('devto-caching: dev.to write-up "Claude\'s prompt cache fails silently below 1,024 tokens" (2026), as recorded in shared/reference/programs-and-peers.md, correction of 2026-11-29 (2026-11-29)');
    expect(e.dataAge.files[1]?.dependsOnIt).toContain("each filing's ask cap (program ceilings) and coverage months");
  });

  it('a stored estimate viewed later is aged to the moment of viewing', () => {
    const e = estimate(ragWorksheet(), { now: NOW, card: rates('2026-11-01'), programs: programs('2026-11-27') });
    const later = dataAgeAt(e.dataAge, new Date('2027-03-01T00:00:00Z'));
    expect(later.files.map((f) => [f.ageDays, f.stale])).toEqual([[120, true], [94, false]]);
    expect(later.stale).toBe(true);
  });

  it('the policy lists every file under data/', () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const walk = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [relative(root, join(dir, n))]));
    expect(dataPolicy.files.map((f) => f.file).sort()).toEqual(walk(join(root, 'data')).sort());
  });
});

describe('the example worksheet', () => {
  it('keeps its $150,000 ask: its two models keep the minimums the correction confirms', () => {
    const e = estimate(exampleWorksheet(), { now: NOW });
    // Sonnet 4.6 caches its 3,500-token context (minimum 1,024); Haiku 4.5 does not (4,096), and now says so.
    expect(e.models.map((m) => [m.modelId, m.cachingApplied])).toEqual([
      ['anthropic.claude-sonnet-4-6', true],
      ['anthropic.claude-haiku-4-5-20251001-v1:0', false],
    ]);
    expect(e.forecast.recommendedAskUsd).toBe('150000.00');
    expect(e.warnings.find((w) => w.code === 'caching-below-minimum')?.message).toMatch(/^Claude Haiku 4\.5: the 3500 cacheable context tokens/);
  });
});

/**
 * Shared fast-check arbitraries. `arbWorksheet()` generates worksheets that always parse with
 * `schemas/worksheet.ts` and only use models that are active on the rate card at `ARB_NOW` and whose context
 * window fits the generated request (with ARB_TOKEN_HEADROOM to spare), with volumes
 * large enough that every month's Bedrock spend is above zero (ACE rejects a 0.00 monthly amount).
 */
import fc from 'fast-check';
import { ACE_INDUSTRIES, FUNDING_STAGES, USE_CASE_KINDS, type Worksheet } from '../../schemas/worksheet.ts';
import { activeModels } from '../../functions/core/rates.ts';

/** The `now` the arbitraries are valid for (model lifecycle is evaluated at this date). */
export const ARB_NOW = new Date('2026-12-01T12:00:00Z');

export const ACTIVE_MODEL_IDS: readonly string[] = activeModels(ARB_NOW).map((m) => m.modelId);

const lower = 'abcdefghijklmnopqrstuvwxyz';
const word = (min: number, max: number) =>
  fc.array(fc.constantFrom(...lower.split('')), { minLength: min, maxLength: max }).map((cs) => cs.join(''));
const capitalised = (min: number, max: number) => word(min, max).map((w) => w.charAt(0).toUpperCase() + w.slice(1));
const sentence = (minWords: number, maxWords: number) => fc.array(word(2, 10), { minLength: minWords, maxLength: maxWords }).map((ws) => ws.join(' '));

const isoDate = (minYear: number, maxYear: number) =>
  fc.record({ y: fc.integer({ min: minYear, max: maxYear }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }) })
    .map(({ y, m, d }) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);

/** 1–4 distinct models from `ids` with shares that add up to 1. */
export const arbModelMixFrom = (ids: readonly string[]) => fc
  .uniqueArray(fc.constantFrom(...ids), { minLength: 1, maxLength: 4 })
  .chain((ids) =>
    fc.array(fc.integer({ min: 1, max: 10 }), { minLength: ids.length, maxLength: ids.length }).map((weights) => {
      const total = weights.reduce((a, b) => a + b, 0);
      const shares = weights.map((w) => Math.round((w / total) * 1e6) / 1e6);
      // Put the rounding remainder on the first model so the shares add up to exactly 1 (within float noise).
      shares[0] = Math.round((1 - shares.slice(1).reduce((a, b) => a + b, 0)) * 1e6) / 1e6;
      return ids.map((modelId, i) => ({ modelId, share: shares[i] as number }));
    }),
  );

/** 1–4 distinct active models with shares that add up to 1. */
export const arbModelMix = arbModelMixFrom(ACTIVE_MODEL_IDS);

/**
 * Tokens a test may add to a generated request (input or output) and still fit every chosen model's context
 * window: the monotonicity properties grow requests by up to 2,000 tokens.
 */
export const ARB_TOKEN_HEADROOM = 4_096;

/** Active models whose context window fits `input` + `output` tokens (+ ARB_TOKEN_HEADROOM); embeddings need input only. */
export function activeModelIdsFitting(input: number, output: number): string[] {
  return activeModels(ARB_NOW)
    .filter((m) => m.contextWindow === undefined || input + (m.kind === 'embedding' ? 0 : output) + ARB_TOKEN_HEADROOM <= m.contextWindow)
    .map((m) => m.modelId);
}

export const arbWorkload = fc
  .record({
    requestsPerDay: fc.integer({ min: 500, max: 200_000 }),
    avgInputTokens: fc.integer({ min: 500, max: 20_000 }),
    avgOutputTokens: fc.integer({ min: 50, max: 2_000 }),
    batchableShare: fc.double({ min: 0, max: 1, noNaN: true }),
    cacheableFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    cacheHitRate: fc.double({ min: 0, max: 1, noNaN: true }),
    evalReplaysPerMonth: fc.integer({ min: 0, max: 50_000 }),
    monthlyGrowth: fc.double({ min: -0.2, max: 0.5, noNaN: true }),
    monthsToCover: fc.integer({ min: 1, max: 24 }),
  })
  // Only models the request fits (an impossible request is a worksheet error, never priced).
  .chain(({ cacheableFraction, ...w }) =>
    arbModelMixFrom(activeModelIdsFitting(w.avgInputTokens, w.avgOutputTokens)).map((models) => ({
      models,
      ...w,
      cacheableContextTokens: Math.floor(w.avgInputTokens * cacheableFraction),
    })),
  );

const arbFunding = fc.oneof(
  fc.record({ stage: fc.constant('bootstrapped' as const), institutionalFunding: fc.constant({ funded: false }) }),
  fc.record({
    stage: fc.constantFrom(...FUNDING_STAGES.filter((s) => s !== 'bootstrapped')),
    institutionalFunding: fc.oneof(
      fc.constant({ funded: false }),
      fc.record({ funded: fc.constant(true), provider: capitalised(3, 12).map((n) => `${n} Ventures`) }),
      fc.record({ funded: fc.constant(true), provider: capitalised(3, 12).map((n) => `${n} Capital`), activateProviderOrgId: word(6, 12).map((s) => s.toUpperCase()) }),
    ),
  }),
);

const arbAddress = fc.oneof(
  fc.record({ countryCode: fc.constant('US'), postalCode: fc.integer({ min: 10000, max: 99999 }).map(String), stateOrRegion: fc.constantFrom('California', 'New York', 'Texas', 'Washington'), city: capitalised(3, 12) }),
  // Real postal-code formats per country, so ACE's per-country postal validation accepts them too.
  fc.record({
    place: fc.constantFrom(
      { countryCode: 'GB', postalCode: 'SW1A 1AA', city: 'London' },
      { countryCode: 'DE', postalCode: '10115', city: 'Berlin' },
      { countryCode: 'FR', postalCode: '75001', city: 'Paris' },
      { countryCode: 'IN', postalCode: '560001', city: 'Bengaluru' },
      { countryCode: 'CA', postalCode: 'M5V 2T6', city: 'Toronto' },
    ),
  }).map((r) => r.place),
);

const arbPoc = fc.oneof(
  fc.constant({ defined: false }),
  fc.record({
    defined: fc.constant(true),
    successMetric: sentence(3, 12).map((s) => `Reach ${s} within the pilot`),
    durationWeeks: fc.option(fc.integer({ min: 1, max: 52 }), { nil: undefined }),
  }).map(({ durationWeeks, ...p }) => (durationWeeks === undefined ? p : { ...p, durationWeeks })),
);

const SERVICES = ['Amazon OpenSearch Service', 'AWS Lambda', 'Amazon S3', 'Amazon DynamoDB', 'Amazon API Gateway', 'Amazon CloudWatch', 'Amazon ECS', 'Amazon RDS', 'Amazon SQS'];

export const arbOtherServices = fc.uniqueArray(fc.constantFrom(...SERVICES), { maxLength: 6 }).chain((names) =>
  fc.tuple(...names.map((service) => fc.integer({ min: 0, max: 500_000 }).map((cents) => ({ service, monthlyUsd: cents / 100 })))),
);

export function arbWorksheet(): fc.Arbitrary<Worksheet> {
  return fc
    .record({
      name: capitalised(3, 16).map((n) => `${n} Labs`),
      domain: word(3, 12),
      industry: fc.constantFrom(...ACE_INDUSTRIES.filter((i) => i !== 'Other')),
      address: arbAddress,
      foundedOn: isoDate(2012, 2026),
      funding: arbFunding,
      priorCreditsUsd: fc.constantFrom(0, 0, 1000, 5000, 25000),
      aiFirst: fc.boolean(),
      accountId: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 12, maxLength: 12 }).map((ds) => ds.join('')),
      region: fc.constantFrom('us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'),
      first: capitalised(2, 10),
      last: capitalised(2, 12),
      kind: fc.constantFrom(...USE_CASE_KINDS),
      summary: sentence(6, 30).map((s) => `An assistant that ${s} for small teams`),
      poc: arbPoc,
      workload: arbWorkload,
      otherServices: arbOtherServices,
    })
    .map((r) => ({
      company: {
        name: r.name,
        website: `https://${r.domain}.com`,
        industry: r.industry,
        address: r.address,
        foundedOn: r.foundedOn,
        stage: r.funding.stage,
        institutionalFunding: r.funding.institutionalFunding,
        priorCreditsUsd: r.priorCreditsUsd,
        aiFirst: r.aiFirst,
      },
      aws: { accountId: r.accountId, region: r.region },
      contact: { firstName: r.first, lastName: r.last, email: `${r.first}.${r.last}@${r.domain}.com`.toLowerCase() },
      useCase: { kind: r.kind, summary: r.summary, poc: r.poc },
      workload: r.workload,
      otherServices: r.otherServices,
    }));
}

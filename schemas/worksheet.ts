/**
 * The founder's worksheet: everything a founder supplies, validated once at the edge.
 * Every rule carries a message that names it, and unknown fields are rejected (strict objects),
 * so a typo never silently drops an input that would have changed the sizing.
 */
import * as z from 'zod/mini';

const isoDate = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

import { FUNDING_STAGES } from './funding-stages.ts';
import {
  bootstrappedUnfunded, cacheableWithinInput, definedPocHasMetric, eachModelOnce, eachServiceOnce, fundingHasProvider,
  otherIndustryNamed, sharesAddUpToOne, usAddressHasState, usAddressHasZip,
} from './worksheet-rules.ts';

export { FUNDING_STAGES };
export const USE_CASE_KINDS = [
  'rag-assistant',
  'agent',
  'summarization',
  'classification',
  'extraction',
  'content-generation',
  'code-generation',
  'search',
  'other',
] as const;

// The ACE Industry picklist (Partner Central Selling API, `Industry` enum), so a brief never needs a guess.
export const ACE_INDUSTRIES = [
  'Aerospace', 'Agriculture', 'Automotive', 'Computers and Electronics', 'Consumer Goods', 'Education',
  'Energy - Oil and Gas', 'Energy - Power and Utilities', 'Financial Services', 'Gaming', 'Government',
  'Healthcare', 'Hospitality', 'Life Sciences', 'Manufacturing', 'Marketing and Advertising',
  'Media and Entertainment', 'Mining', 'Non-Profit Organization', 'Professional Services',
  'Real Estate and Construction', 'Retail', 'Software and Internet', 'Telecommunications',
  'Transportation and Logistics', 'Travel', 'Wholesale and Distribution', 'Other',
] as const;

const text = (min: number, max: number) =>
  z.string().check(
    z.trim(),
    z.minLength(min, min === 1 ? 'is required' : `must be at least ${min} characters`),
    z.maxLength(max, `must be at most ${max} characters`),
  );
const share = () => z.number().check(z.gte(0, 'must be between 0 and 1'), z.lte(1, 'must be between 0 and 1'));
const nonNegative = () => z.number().check(z.gte(0, 'must be >= 0'));

export const Address = z.strictObject({
  countryCode: z.string().check(z.regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 country code in capitals, e.g. US')),
  postalCode: z.optional(text(1, 20)),
  stateOrRegion: z.optional(text(1, 80)),
  city: z.optional(text(1, 255)),
  streetAddress: z.optional(text(1, 255)),
});

export const Company = z.strictObject({
  name: text(1, 120),
  website: z.string().check(
    z.trim(),
    z.regex(/^(https?:\/\/)?([a-z0-9-]+\.)+[a-z]{2,}(\/\S*)?$/i, 'must be a public website such as https://example.com'),
    z.maxLength(255, 'must be at most 255 characters'),
  ),
  industry: z.enum(ACE_INDUSTRIES, `must be one of the ACE industries: ${ACE_INDUSTRIES.join(', ')}`),
  otherIndustry: z.optional(text(1, 255)),
  address: Address,
  foundedOn: z.string().check(z.regex(isoDate, 'must be a date YYYY-MM-DD')),
  stage: z.enum(FUNDING_STAGES, `must be one of: ${FUNDING_STAGES.join(', ')}`),
  institutionalFunding: z.strictObject({
    funded: z.boolean(),
    /** VC firm or accelerator name. */
    provider: z.optional(text(1, 120)),
    /** AWS Activate Provider Organization ID issued to the VC / accelerator (needed for Activate Portfolio). */
    activateProviderOrgId: z.optional(text(1, 64)),
  }),
  /** Total AWS promotional credits already received, USD. */
  priorCreditsUsd: nonNegative(),
  /** Is the product itself built on generative AI (the Generative AI Accelerator looks for this)? */
  aiFirst: z.boolean(),
});

export const Contact = z.strictObject({
  firstName: text(1, 80),
  lastName: text(1, 80),
  // ACE accepts lower-case addresses only; normalise here so every later copy agrees.
  email: z.pipe(
    z.string().check(z.trim(), z.toLowerCase(), z.maxLength(80, 'must be at most 80 characters')),
    z.email('must be a valid email address'),
  ),
  phone: z.optional(z.string().check(z.regex(/^\+[1-9]\d{1,14}$/, 'must be E.164, e.g. +14155550100'))),
  title: z.optional(text(1, 80)),
});

export const ModelShare = z.strictObject({
  /** A Bedrock model id from the rate card (e.g. anthropic.claude-haiku-4-5-20251001-v1:0). */
  modelId: text(1, 120),
  /** Share of requests served by this model, 0–1; the shares of all models add up to 1. */
  share: z.number().check(z.gt(0, 'must be > 0'), z.lte(1, 'must be <= 1')),
});

export const Workload = z
  .strictObject({
    models: z.array(ModelShare).check(z.minLength(1, 'must list at least one model'), z.maxLength(10, 'must list at most 10 models')),
    requestsPerDay: z.number().check(z.gt(0, 'must be > 0'), z.lte(1e9, 'must be <= 1000000000')),
    avgInputTokens: z.number().check(z.int('must be a whole number'), z.gte(1, 'must be >= 1'), z.lte(2_000_000, 'must be <= 2000000')),
    avgOutputTokens: z.number().check(z.int('must be a whole number'), z.gte(0, 'must be >= 0'), z.lte(200_000, 'must be <= 200000')),
    /** Share of requests that could run as asynchronous batch inference (24 h window). */
    batchableShare: share(),
    /** Tokens of each request's input that repeat across requests (system prompt, shared context). */
    cacheableContextTokens: z.number().check(z.int('must be a whole number'), z.gte(0, 'must be >= 0')),
    /** Share of requests that would hit a warm prompt cache. */
    cacheHitRate: share(),
    /** Requests per month replayed by the evaluation harness (regression evals), at the same token shape. */
    evalReplaysPerMonth: z.number().check(z.int('must be a whole number'), z.gte(0, 'must be >= 0')),
    /** Expected month-over-month traffic growth, e.g. 0.1 for 10 %. */
    monthlyGrowth: z.number().check(z.gte(-0.5, 'must be >= -0.5'), z.lte(2, 'must be <= 2')),
    monthsToCover: z.number().check(z.int('must be a whole number'), z.gte(1, 'must be >= 1'), z.lte(24, 'must be <= 24')),
  })
  .check(
    z.refine(sharesAddUpToOne, {
      message: 'model shares must add up to 1',
      path: ['models'],
    }),
    z.refine(eachModelOnce, {
      message: 'each model may be listed once',
      path: ['models'],
    }),
    z.refine(cacheableWithinInput, {
      message: 'must not exceed avgInputTokens',
      path: ['cacheableContextTokens'],
    }),
  );

export const OtherService = z.strictObject({
  /** AWS service name as it appears on the bill, e.g. "Amazon OpenSearch Service". */
  service: text(2, 80),
  monthlyUsd: z.number().check(z.gte(0, 'must be >= 0'), z.lte(10_000_000, 'must be <= 10000000')),
});

export const Worksheet = z
  .strictObject({
    company: Company,
    aws: z.strictObject({
      accountId: z.string().check(z.regex(/^\d{12}$/, 'must be exactly 12 digits')),
      region: z.string().check(z.regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'must be an AWS Region code such as us-east-1')),
    }),
    contact: Contact,
    useCase: z.strictObject({
      kind: z.enum(USE_CASE_KINDS, `must be one of: ${USE_CASE_KINDS.join(', ')}`),
      /** The Bedrock use case in the founder's words: what it does, for whom. */
      summary: text(20, 1500),
      poc: z.strictObject({
        defined: z.boolean(),
        successMetric: z.optional(text(10, 500)),
        /** Weeks the proof of concept should take. */
        durationWeeks: z.optional(z.number().check(z.int('must be a whole number'), z.gte(1, 'must be >= 1'), z.lte(52, 'must be <= 52'))),
      }),
    }),
    workload: Workload,
    otherServices: z.array(OtherService).check(z.maxLength(9, 'must list at most 9 services (ACE takes 10 spend lines, one is Bedrock)')),
  })
  .check(
    z.refine(definedPocHasMetric, {
      message: 'is required when useCase.poc.defined is true',
      path: ['useCase', 'poc', 'successMetric'],
    }),
    z.refine(usAddressHasState, {
      message: 'is required when the country is US',
      path: ['company', 'address', 'stateOrRegion'],
    }),
    z.refine(usAddressHasZip, {
      message: 'must be a US ZIP code (99999 or 99999-9999) when the country is US',
      path: ['company', 'address', 'postalCode'],
    }),
    z.refine(otherIndustryNamed, {
      message: 'is required when industry is Other',
      path: ['company', 'otherIndustry'],
    }),
    z.refine(fundingHasProvider, {
      message: 'is required when institutionalFunding.funded is true',
      path: ['company', 'institutionalFunding', 'provider'],
    }),
    z.refine(bootstrappedUnfunded, {
      message: 'a bootstrapped company cannot be institutionally funded',
      path: ['company', 'stage'],
    }),
    z.refine(eachServiceOnce, {
      message: 'each service may be listed once',
      path: ['otherServices'],
    }),
  );

export type Worksheet = z.infer<typeof Worksheet>;
export type Workload = z.infer<typeof Workload>;

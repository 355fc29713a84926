/**
 * Scenario worksheets for the sizing tests: a plain RAG assistant with round numbers, so the expected figures can
 * be derived by hand from the rate card. Every builder returns a worksheet parsed by the real schema.
 */
import { Worksheet } from '../../schemas/worksheet.ts';

export const NOW = new Date('2026-12-01T12:00:00Z');

type DeepPartial<T> = { [K in keyof T]?: T[K] extends (infer U)[] ? U[] : T[K] extends object ? DeepPartial<T[K]> : T[K] };

const BASE = {
  company: {
    name: 'Ledgerly Labs',
    website: 'https://ledgerly.ai',
    industry: 'Financial Services',
    address: { countryCode: 'US', postalCode: '94107', stateOrRegion: 'California', city: 'San Francisco' },
    foundedOn: '2024-03-12',
    stage: 'seed',
    institutionalFunding: { funded: true, provider: 'Northstar Ventures', activateProviderOrgId: 'NSV-ACT-2291' },
    priorCreditsUsd: 0,
    aiFirst: false,
  },
  aws: { accountId: '123456789012', region: 'us-east-1' },
  contact: { firstName: 'Maya', lastName: 'Okafor', email: 'maya@ledgerly.ai' },
  useCase: {
    kind: 'rag-assistant',
    summary: 'A bookkeeping assistant that answers questions about a client ledger and cites its sources.',
    poc: { defined: false },
  },
  // 10,000 requests/day × 365/12 days = 304,166.67 requests a month; 2,000 input and 300 output tokens each.
  workload: {
    models: [{ modelId: 'anthropic.claude-sonnet-4-6', share: 1 }],
    requestsPerDay: 10_000,
    avgInputTokens: 2_000,
    avgOutputTokens: 300,
    batchableShare: 0,
    cacheableContextTokens: 0,
    cacheHitRate: 0,
    evalReplaysPerMonth: 0,
    monthlyGrowth: 0,
    monthsToCover: 12,
  },
  otherServices: [] as { service: string; monthlyUsd: number }[],
};

function merge<T>(base: T, patch: unknown): T {
  if (patch === undefined) return base;
  if (Array.isArray(patch) || typeof patch !== 'object' || patch === null) return patch as T;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(patch)) out[k] = merge((base as Record<string, unknown>)[k], v);
  return out as T;
}

export function ragWorksheet(patch: DeepPartial<Worksheet> = {}): Worksheet {
  return Worksheet.parse(merge(BASE, patch));
}

/** Cents as a bigint from a USD decimal string ("1234.56" → 123456n). */
export function cents(usd: string): bigint {
  const [whole, frac = ''] = usd.split('.');
  return BigInt(whole ?? '0') * 100n + BigInt((frac + '00').slice(0, 2));
}

import { describe, expect, it } from 'vitest';
import partnerFile from '../../data/partners.json' with { type: 'json' };
import { modelProvider, rankPartners } from '../../functions/core/routing.ts';
import { PartnerFile, PartnerProfile, type PartnerWithLoad } from '../../schemas/partner.ts';
import { exampleWorksheet } from '../support/fixtures.ts';

const partners: PartnerWithLoad[] = PartnerFile.parse(partnerFile).partners.map((p) => ({ ...p, load: 0 }));

describe('partner matching', () => {
  it('reads the provider from model and inference-profile ids', () => {
    expect(modelProvider('anthropic.claude-sonnet-4-6')).toBe('anthropic');
    expect(modelProvider('global.anthropic.claude-sonnet-4-6')).toBe('anthropic');
    expect(modelProvider('us.amazon.nova-lite-v1:0')).toBe('amazon');
  });

  it('ranks a partner strong on the stack and Region first and explains why', () => {
    const w = exampleWorksheet(); // us-east-1, Anthropic, RAG assistant, OpenSearch
    const { candidates, excluded } = rankPartners(w, partners);
    expect(candidates[0]?.partner.id).toBe('p-northwind');
    expect(candidates[0]?.reasons.join(' ')).toMatch(/anthropic/);
    expect(candidates[0]?.reasons.join(' ')).toMatch(/rag-assistant/);
    // Kestrel does not deliver in us-east-1.
    expect(excluded).toContainEqual({ partnerId: 'p-kestrel', reason: 'does not deliver in us-east-1' });
  });

  it('leaves out partners at capacity, inactive ones and ones that passed', () => {
    const w = exampleWorksheet();
    const loaded = partners.map((p) => (p.id === 'p-northwind' ? { ...p, load: p.capacity } : p.id === 'p-bluefin' ? { ...p, active: false } : p));
    const { candidates, excluded } = rankPartners(w, loaded, ['p-tidewater']);
    expect(candidates).toEqual([]);
    expect(excluded.map((e) => e.partnerId).sort()).toEqual(['p-bluefin', 'p-kestrel', 'p-northwind', 'p-tidewater']);
    expect(excluded.find((e) => e.partnerId === 'p-northwind')?.reason).toMatch(/at capacity \(12\/12\)/);
  });

  it('prefers more free capacity when everything else is equal', () => {
    const w = exampleWorksheet();
    const twin = (id: string, load: number): PartnerWithLoad => ({ ...partners[0]!, id, load });
    const { candidates } = rankPartners(w, [twin('p-busy', 10), twin('p-free', 1)]);
    expect(candidates.map((c) => c.partner.id)).toEqual(['p-free', 'p-busy']);
  });

  it('weighs each strength and explains it: providers and services per hit, case-blind services, use case, tier, record, free share, speed', () => {
    const w = exampleWorksheet(); // us-east-1, RAG assistant, OpenSearch + Lambda + S3
    w.workload.models[1]!.modelId = 'us.amazon.nova-lite-v1:0'; // providers: anthropic, amazon
    const strong = partnerWith({
      id: 'p-strong', tier: 'Premier', capacity: 4, load: 1,
      strengths: { modelProviders: ['meta', 'amazon', 'anthropic'], useCases: ['search', 'rag-assistant'], services: ['AMAZON OPENSEARCH SERVICE', 'amazon s3', 'Amazon ECS'] },
      record: { filings: 10, approvalRate: 0.5, medianDaysToCredits: 11 },
    });
    const plain = partnerWith({
      id: 'p-plain', tier: 'Advanced', capacity: 5, load: 0,
      strengths: { modelProviders: ['mistral'], useCases: ['classification'], services: ['Amazon Aurora'] },
      record: { filings: 3, approvalRate: 0.25, medianDaysToCredits: 30 },
    });
    const { candidates, excluded } = rankPartners(w, [plain, strong]);
    expect(excluded).toEqual([]);
    expect(candidates.map((c) => ({ id: c.partner.id, score: c.score, reasons: c.reasons }))).toEqual([
      {
        id: 'p-strong',
        // 3 × 2 providers + 2 use case + 1 × 2 services + 2 Premier + 4 × 0.5 approval + 2 × 3/4 free + 0.1 × (21 − 11) days
        score: 16.5,
        reasons: [
          'delivers in us-east-1',
          'works with amazon, anthropic models',
          'strong at rag-assistant',
          'knows AMAZON OPENSEARCH SERVICE, amazon s3',
          'Premier tier',
          '50% approval over 10 filings, median 11 days to credits',
          '3 of 4 review slots free',
        ],
      },
      {
        id: 'p-plain',
        // no strength matches, Advanced: 4 × 0.25 approval + 2 × 5/5 free, no speed bonus past 21 days
        score: 3,
        reasons: ['delivers in us-east-1', '25% approval over 3 filings, median 30 days to credits', '5 of 5 review slots free'],
      },
    ]);
  });

  it('rounds scores to three decimals', () => {
    const w = exampleWorksheet();
    const p = partnerWith({ id: 'p-round', tier: 'Advanced', capacity: 3, load: 1, strengths: { modelProviders: [], useCases: [], services: [] }, record: { filings: 1, approvalRate: 0.5, medianDaysToCredits: 21 } });
    // 4 × 0.5 + 2 × 2/3 = 3.3333…
    expect(rankPartners(w, [p]).candidates[0]?.score).toBe(3.333);
  });

  it('says why each partner was left out', () => {
    const w = exampleWorksheet();
    const base = { tier: 'Advanced' as const, capacity: 2, load: 0 };
    const { candidates, excluded } = rankPartners(w, [
      partnerWith({ ...base, id: 'p-passed' }),
      partnerWith({ ...base, id: 'p-idle', active: false }),
      partnerWith({ ...base, id: 'p-far', regions: ['eu-west-1'] }),
      partnerWith({ ...base, id: 'p-full', load: 2 }),
      partnerWith({ ...base, id: 'p-open' }),
    ], ['p-passed']);
    expect(candidates.map((c) => c.partner.id)).toEqual(['p-open']);
    expect(excluded).toEqual([
      { partnerId: 'p-passed', reason: 'already declined or timed out on this application' },
      { partnerId: 'p-idle', reason: 'not active' },
      { partnerId: 'p-far', reason: 'does not deliver in us-east-1' },
      { partnerId: 'p-full', reason: 'at capacity (2/2)' },
    ]);
  });

  it('puts the higher score first even when the other partner has more free slots and an earlier id', () => {
    const w = exampleWorksheet();
    const none = { modelProviders: [], useCases: [], services: [] };
    const record = { filings: 5, approvalRate: 0.8, medianDaysToCredits: 14 };
    const premier = partnerWith({ id: 'p-zulu', tier: 'Premier', capacity: 4, load: 3, strengths: none, record });
    const roomy = partnerWith({ id: 'p-alpha', tier: 'Advanced', capacity: 4, load: 0, strengths: none, record });
    for (const order of [[premier, roomy], [roomy, premier]]) {
      const { candidates } = rankPartners(w, order);
      expect(candidates.map((c) => c.partner.id)).toEqual(['p-zulu', 'p-alpha']);
      expect(candidates[0]!.score).toBeGreaterThan(candidates[1]!.score);
    }
  });

  it('breaks a tie in score by the absolute number of free slots, then by id', () => {
    const w = exampleWorksheet();
    const none = { modelProviders: [], useCases: [], services: [] };
    const record = { filings: 5, approvalRate: 0.8, medianDaysToCredits: 14 };
    // Same free share (half), so the same score; p-beta has 4 free slots, p-alpha 2.
    const small = partnerWith({ id: 'p-alpha', tier: 'Advanced', capacity: 4, load: 2, strengths: none, record });
    const large = partnerWith({ id: 'p-beta', tier: 'Advanced', capacity: 8, load: 4, strengths: none, record });
    const twin = partnerWith({ id: 'p-aaa', tier: 'Advanced', capacity: 4, load: 2, strengths: none, record });
    for (const order of [[small, large, twin], [twin, large, small], [large, small, twin]]) {
      const { candidates } = rankPartners(w, order);
      expect(new Set(candidates.map((c) => c.score)).size).toBe(1);
      expect(candidates.map((c) => c.partner.id)).toEqual(['p-beta', 'p-aaa', 'p-alpha']);
    }
  });
});

/** A valid partner profile (checked by the schema) with the given fields, built inside each test. */
function partnerWith(fields: Partial<PartnerWithLoad> & Pick<PartnerWithLoad, 'id'>): PartnerWithLoad {
  const { load = 0, ...profile } = fields;
  return {
    ...PartnerProfile.parse({
      name: `Partner ${fields.id}`,
      tier: 'Advanced',
      regions: ['us-east-1'],
      contactEmail: 'desk@partner.example',
      strengths: { modelProviders: [], useCases: [], services: [] },
      capacity: 4,
      record: { filings: 1, approvalRate: 0.5, medianDaysToCredits: 20 },
      active: true,
      ...profile,
    }),
    load,
  };
}

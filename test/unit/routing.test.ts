import { describe, expect, it } from 'vitest';
import partnerFile from '../../data/partners.json' with { type: 'json' };
import { modelProvider, rankPartners } from '../../functions/core/routing.ts';
import { PartnerFile, type PartnerWithLoad } from '../../schemas/partner.ts';
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
});

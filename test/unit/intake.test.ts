import { describe, expect, it } from 'vitest';
import { applicationIdFor, canonicalJson, founderTokenMatches, newApplication, newFounderToken, requestHashOf, worksheetDomainProblems } from '../../functions/core/intake.ts';
import { exampleWorksheet } from '../support/fixtures.ts';

describe('intake rules', () => {
  it('accepts the example worksheet', () => {
    expect(worksheetDomainProblems(exampleWorksheet())).toEqual([]);
  });

  it('reports every unknown model with suggestions, and address problems, at once', () => {
    const w = exampleWorksheet();
    w.workload.models[0]!.modelId = 'anthropic.claude-sonet-4-6';
    w.workload.models[1]!.modelId = 'nonsense.model';
    w.company.address = { countryCode: 'GB', city: 'London' };
    const problems = worksheetDomainProblems(w);
    expect(problems.map((p) => p.field)).toEqual(['company.address.postalCode', 'workload.models[0].modelId', 'workload.models[1].modelId']);
    expect(problems[1]?.rule).toContain('anthropic.claude-sonnet-4-6');
  });

  it('checks postal code format and US state names against the ACE lists', () => {
    const w = exampleWorksheet();
    w.company.address = { countryCode: 'CA', postalCode: '12345' };
    expect(worksheetDomainProblems(w)[0]?.field).toBe('company.address.postalCode');
    w.company.address = { countryCode: 'US', postalCode: '94107', stateOrRegion: 'Cascadia' };
    expect(worksheetDomainProblems(w)).toEqual([{ field: 'company.address.stateOrRegion', rule: expect.stringMatching(/US state/) }]);
    w.company.address = { countryCode: 'US', postalCode: '94107', stateOrRegion: 'ca' };
    expect(worksheetDomainProblems(w)).toEqual([]);
    w.company.address = { countryCode: 'XK' };
    expect(worksheetDomainProblems(w)[0]?.field).toBe('company.address.countryCode');
  });

  it('derives the same application id from the same idempotency key and founder, random ids otherwise', () => {
    const me = { email: 'ada@example.com', accountId: '111122223333' };
    expect(applicationIdFor('key-000001', me)).toBe(applicationIdFor('key-000001', { ...me }));
    expect(applicationIdFor('key-000001', me)).not.toBe(applicationIdFor('key-000002', me));
    expect(applicationIdFor(undefined, me)).not.toBe(applicationIdFor(undefined, me));
    expect(applicationIdFor('key-000001', me)).toMatch(/^app_[0-9a-f]{24}$/);
  });

  it('scopes an idempotency key to the founder address and AWS account: another client choosing the same key never collides', () => {
    const me = { email: 'ada@example.com', accountId: '111122223333' };
    expect(applicationIdFor('key-000001', { ...me, email: 'eve@example.com' })).not.toBe(applicationIdFor('key-000001', me));
    expect(applicationIdFor('key-000001', { ...me, accountId: '999988887777' })).not.toBe(applicationIdFor('key-000001', me));
    // No separator trick: the parts are encoded as a JSON array, not concatenated.
    expect(applicationIdFor('b:key-00001', { email: 'a', accountId: '1' })).not.toBe(applicationIdFor('key-00001', { email: 'a', accountId: '1:b' }));
  });

  it('fingerprints the worksheet independently of the order of its keys', () => {
    const w = exampleWorksheet();
    const reversed = (value: unknown): unknown => Array.isArray(value)
      ? value.map(reversed)
      : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reversed(v)])) : value;
    const shuffled = reversed(w) as typeof w;
    expect(JSON.stringify(shuffled)).not.toBe(JSON.stringify(w));
    expect(requestHashOf(shuffled)).toBe(requestHashOf(w));
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: undefined }] })).toBe('{"a":[{"d":2}],"b":1}');
  });

  it('stores only a hash of the founder token and matches it in constant time', () => {
    const { token, hash } = newFounderToken();
    const app = newApplication({ id: 'app_x', worksheet: exampleWorksheet(), tokenHash: hash, now: new Date() });
    expect(JSON.stringify(app)).not.toContain(token);
    expect(founderTokenMatches(app, token)).toBe(true);
    expect(founderTokenMatches(app, `${token}x`)).toBe(false);
    expect(founderTokenMatches(app, newFounderToken().token)).toBe(false);
  });

  it('opens the application with any of the tokens issued (first submission and replays), and only those', () => {
    const issued = [newFounderToken(), newFounderToken(), newFounderToken()];
    const app = { founderTokenHashes: [...issued.map((t) => t.hash), 'not-hex'] };
    for (const { token } of issued) expect(founderTokenMatches(app, token)).toBe(true);
    expect(founderTokenMatches(app, newFounderToken().token)).toBe(false);
  });

  it('hashes the parsed worksheet, so the same content gives the same hash', () => {
    expect(requestHashOf(exampleWorksheet())).toBe(requestHashOf(exampleWorksheet()));
    const w = exampleWorksheet();
    w.workload.requestsPerDay += 1;
    expect(requestHashOf(w)).not.toBe(requestHashOf(exampleWorksheet()));
  });

  it('opens a submitted application at version 1, founder-made, waiting for the address confirmation', () => {
    const worksheet = exampleWorksheet();
    const now = new Date('2026-12-01T09:30:00.000Z');
    expect(newApplication({ id: 'app_new', worksheet, tokenHash: 'hash-1', now })).toEqual({
      id: 'app_new',
      status: 'submitted',
      version: 1,
      createdAt: '2026-12-01T09:30:00.000Z',
      updatedAt: '2026-12-01T09:30:00.000Z',
      worksheet,
      requestHash: requestHashOf(worksheet),
      founderTokenHashes: ['hash-1'],
      addressConfirmation: { requested: 1, sent: 0 },
      transitions: [{ at: '2026-12-01T09:30:00.000Z', actor: { kind: 'founder', id: 'founder' }, from: null, to: 'submitted', reason: 'worksheet submitted', version: 1 }],
    });
  });
});

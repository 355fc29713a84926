import { describe, expect, it } from 'vitest';
import { applicationIdFor, founderTokenMatches, newApplication, newFounderToken, requestHashOf, worksheetDomainProblems } from '../../functions/core/intake.ts';
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

  it('derives the same application id from the same idempotency key, random ids otherwise', () => {
    expect(applicationIdFor('key-000001')).toBe(applicationIdFor('key-000001'));
    expect(applicationIdFor('key-000001')).not.toBe(applicationIdFor('key-000002'));
    expect(applicationIdFor(undefined)).not.toBe(applicationIdFor(undefined));
    expect(applicationIdFor('key-000001')).toMatch(/^app_[0-9a-f]{24}$/);
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
});

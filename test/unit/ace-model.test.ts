// The vendored Partner Central data and what the generator derives from it: the slice, postal codes and the zod
// schema must be exactly what `npm run gen:ace` produces from the vendored sources today.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generate, OUTPUTS, PROJECT_ROOT } from '../../scripts/gen-ace-model.ts';
import { postalCodes, shapeSlice, submissionRules } from '../../functions/core/ace/model.ts';

const onDisk = (path: string) => readFileSync(new URL(path, PROJECT_ROOT), 'utf8');

describe('generated ACE files', () => {
  // Generated inside each test, not while the file is collected: mutation testing credits only work done in a test
  // (~50 ms a run).
  it.each(Object.values(OUTPUTS))('%s is up to date with the vendored sources (run npm run gen:ace)', (path) => {
    expect(onDisk(path)).toBe(generate(PROJECT_ROOT)[path]);
  });

  it('writes exactly these files', () => {
    expect(Object.keys(generate(PROJECT_ROOT)).sort()).toEqual(Object.values(OUTPUTS).sort());
  });
});

describe('the CreateOpportunity shape slice', () => {
  it('is the closure of CreateOpportunityRequest, with member overrides applied', () => {
    expect(shapeSlice.root).toBe('CreateOpportunityRequest');
    const root = shapeSlice.shapes.CreateOpportunityRequest;
    expect(root?.type === 'structure' && Object.keys(root.members)).toEqual(
      expect.arrayContaining(['Catalog', 'ClientToken', 'Customer', 'Project', 'LifeCycle', 'Marketing', 'Origin']),
    );
    const account = shapeSlice.shapes.Account;
    // CompanyName overrides the shared Name shape's 80 characters with 120.
    expect(account?.type === 'structure' && account.members.CompanyName).toEqual({ target: 'Name', required: true, length: { min: 0, max: 120 } });
    expect(shapeSlice.shapes.ExpectedCustomerSpendList).toMatchObject({ type: 'list', length: { min: 0, max: 10 } });
    expect(shapeSlice.shapes.Stage).toMatchObject({ type: 'enum', values: expect.arrayContaining(['Prospect', 'Qualified']) });
    // Shapes of other operations stay out of the Lambda bundles.
    expect(shapeSlice.shapes.UpdateOpportunityRequest).toBeUndefined();
  });

  it('is a small fraction of the full model', () => {
    const full = onDisk('data/ace/partnercentral-selling-2022-07-26.json').length;
    const slice = onDisk('data/ace/create-opportunity.shapes.json').length;
    expect(slice).toBeLessThan(full / 10);
  });

  it('has patterns that compile as JavaScript Unicode regular expressions', () => {
    const patterns = Object.values(shapeSlice.shapes).flatMap((s) => {
      if (s.type === 'string') return s.pattern ? [s.pattern] : [];
      if (s.type === 'structure') return Object.values(s.members).flatMap((m) => (m.pattern ? [m.pattern] : []));
      return [];
    });
    expect(patterns.length).toBeGreaterThan(5);
    for (const p of patterns) expect(() => new RegExp(p, 'u')).not.toThrow();
  });
});

describe('postal codes', () => {
  it.each([
    ['US', '94107'], ['US', '94107-1234'], ['CA', 'K1A 0B1'], ['GB', 'SW1A 1AA'], ['GB', 'L2 2DP'], ['NL', '1012 AB'],
    ['IE', 'D02 X285'], ['BN', 'BS8811'], ['JP', '100-0001'], ['DE', '10115'], ['IN', '560001'],
  ])('%s accepts %s', (code, postal) => {
    const format = postalCodes.formats[code];
    expect(format && new RegExp(format.pattern, 'i').test(postal)).toBe(true);
  });

  it.each([['US', '9410'], ['DE', '1011'], ['CA', '12345'], ['PL', '00123']])('%s rejects %s', (code, postal) => {
    const format = postalCodes.formats[code];
    expect(format && new RegExp(format.pattern, 'i').test(postal)).toBe(false);
  });

  it('knows the countries without postal codes by their ISO code', () => {
    expect(Object.keys(postalCodes.noPostalCode)).toEqual(expect.arrayContaining(['HK', 'AE', 'QA', 'BQ', 'CW', 'GH']));
    expect(Object.keys(postalCodes.noPostalCode)).toHaveLength(59);
    expect(postalCodes.noPostalCode.US).toBeUndefined();
  });
});

describe('documented submission rules data', () => {
  it('carries the documented lists with their sources', () => {
    expect(submissionRules.lists.customerUseCases?.values).toHaveLength(39);
    expect(submissionRules.lists.usStates?.values).toHaveLength(62);
    expect(submissionRules.lists.marketingUseCases?.values).toHaveLength(26);
    expect(submissionRules.lists.apnPrograms?.values).toHaveLength(16);
    for (const list of Object.values(submissionRules.lists)) expect(list.source).not.toBe('');
    for (const rule of [...submissionRules.requiredForSubmission, ...submissionRules.forbidden]) expect(rule.source).not.toBe('');
  });

  it('names only paths that exist in the service model', () => {
    const paths = [...submissionRules.requiredForSubmission, ...submissionRules.forbidden, ...submissionRules.allowedValues].map((r) => r.path);
    for (const path of paths) {
      let shape = shapeSlice.shapes[shapeSlice.root];
      for (const segment of path.split('.')) {
        const name = segment.replace('[]', '');
        expect(shape?.type, `${path} at ${name}`).toBe('structure');
        const member = shape?.type === 'structure' ? shape.members[name] : undefined;
        expect(member, `${path}: no member ${name}`).toBeDefined();
        shape = member ? shapeSlice.shapes[member.target] : undefined;
        if (segment.endsWith('[]') && shape?.type === 'list') shape = shapeSlice.shapes[shape.member.target];
      }
    }
  });
});

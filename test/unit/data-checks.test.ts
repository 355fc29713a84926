// The bundled data files are checked at build and trusted at run (functions/core/data-checks.ts): the checks pass on
// the files as they are, they return exactly the files (so trusting an import equals parsing it), and they refuse a
// broken file with a message that names it.
import { describe, expect, it } from 'vitest';
import sliceJson from '../../data/ace/create-opportunity.shapes.json' with { type: 'json' };
import postalJson from '../../data/ace/postal-codes.json' with { type: 'json' };
import rulesJson from '../../data/ace/submission-rules.json' with { type: 'json' };
import rawRateCard from '../../data/rate-card.json' with { type: 'json' };
import rawPrograms from '../../data/programs.json' with { type: 'json' };
import rawPolicy from '../../data/data-policy.json' with { type: 'json' };
import rawMailProviders from '../../data/mail-providers.json' with { type: 'json' };
import {
  AceDataError, checkBundledData, checkedSourceData, checkRuntimeData, COMMITTED_RUNTIME_DATA, DataPolicyError, loadAceData, loadDataPolicy, loadMailProviders, loadPrograms,
  loadRateCard, loadStuckThresholds, ProgramsDataError, RateCardError, RuntimeDataError,
} from '../../functions/core/data-checks.ts';
import { rateCard } from '../../functions/core/rates.ts';
import { programsData } from '../../functions/core/programs.ts';
import { dataPolicy } from '../../functions/core/data-age.ts';
import { postalCodes, shapeSlice, submissionRules } from '../../functions/core/ace/model.ts';
import { CLOSED_LOST_REASONS } from '../../schemas/api.ts';
import wholeBenefits from '../../data/benefits.json' with { type: 'json' };
import wholeBenefitSlice from '../../data/ace/create-benefit-application.shapes.json' with { type: 'json' };
import wholeStuck from '../../data/stuck-thresholds.json' with { type: 'json' };

describe('bundled data, checked at build', () => {
  it('parses every file to exactly what the functions import and trust', () => {
    const checked = checkBundledData();
    expect(checked.rateCard).toEqual(rateCard);
    expect(checked.programs).toEqual(programsData);
    expect(checked.dataPolicy).toEqual(dataPolicy);
    expect(checked.ace).toEqual({ slice: shapeSlice, postal: postalCodes, rules: submissionRules });
    // The funding drafter and the operations read API load run-time projections of these (test/unit/runtime-data.test.ts).
    expect(checked.benefits).toEqual(wholeBenefits);
    expect(checked.benefitSlice).toEqual(wholeBenefitSlice);
    expect(checked.stuckThresholds).toEqual(wholeStuck);
  });

  it('the API\'s closed-lost reasons are the ACE model\'s', () => {
    expect(shapeSlice.shapes.ClosedLostReason).toEqual({ type: 'enum', values: [...CLOSED_LOST_REASONS] });
  });

  it('refuses an ACE rule that names a value list the file does not have', () => {
    const rules = structuredClone(rulesJson) as { allowedValues: { list: string }[] };
    (rules.allowedValues[0] as { list: string }).list = 'noSuchList';
    expect(() => loadAceData({ slice: sliceJson, postal: postalJson, rules })).toThrow(AceDataError);
    expect(() => loadAceData({ slice: sliceJson, postal: postalJson, rules })).toThrow('data/ace/submission-rules.json: unknown list "noSuchList"');
  });

  it('refuses an ACE slice of the wrong shape, naming the file', () => {
    expect(() => loadAceData({ slice: { root: 1 }, postal: postalJson, rules: rulesJson })).toThrow(/create-opportunity\.shapes\.json/);
  });

  it('refuses a data policy without its files, naming the field', () => {
    expect(() => loadDataPolicy({ ...dataPolicy, files: 'none' })).toThrow(DataPolicyError);
    expect(() => loadDataPolicy({ ...dataPolicy, files: 'none' })).toThrow(/files/);
  });
});

describe('a broken file fails the build, naming the file, each field and its rule', () => {
  it('the rate card: a RateCardError with every problem', () => {
    const error = catchError(() => loadRateCard({ ...rawRateCard, asOf: 'soon', compiledOn: 'x' }));
    expect(error).toBeInstanceOf(RateCardError);
    expect(error.name).toBe('RateCardError');
    expect(error.message).toBe('rate card is invalid: asOf must be a date YYYY-MM-DD; compiledOn must be a date YYYY-MM-DD');
    expect((error as RateCardError).problems).toEqual([{ field: 'asOf', rule: 'must be a date YYYY-MM-DD' }, { field: 'compiledOn', rule: 'must be a date YYYY-MM-DD' }]);
  });

  it('the programs: a ProgramsDataError', () => {
    const error = catchError(() => loadPrograms({ ...rawPrograms, asOf: 'soon' }));
    expect(error).toBeInstanceOf(ProgramsDataError);
    expect(error.message).toMatch(/^programs data is invalid: asOf /);
  });

  it('the data policy: a DataPolicyError with every problem', () => {
    const error = catchError(() => loadDataPolicy({ ...dataPolicy, asOf: 'soon', note: 5 }));
    expect(error).toBeInstanceOf(DataPolicyError);
    expect(error.name).toBe('DataPolicyError');
    expect(error.message).toBe('data policy is invalid: asOf must be a date YYYY-MM-DD; note must be string');
  });

  it('the stuck thresholds and the mail providers: the file, then each field and rule', () => {
    expect(catchError(() => loadStuckThresholds({ ...wholeStuck, asOf: 5, source: 3 })).message).toBe('data/stuck-thresholds.json: asOf must be string; source must be string');
    expect(catchError(() => loadMailProviders({ ...rawMailProviders, asOf: 'x', subaddressSeparator: '++' })).message)
      .toBe('data/mail-providers.json: asOf must be a date (YYYY-MM-DD); subaddressSeparator must be one character');
    expect(loadStuckThresholds(wholeStuck)).toEqual(wholeStuck);
    expect(loadMailProviders(rawMailProviders)).toEqual(rawMailProviders);
  });

  it('each ACE file: an AceDataError naming its path and quoting the schema\'s first three issues', () => {
    const issuesOf = (message: string, file: string): unknown[] => {
      const prefix = `${file} does not match its schema: `;
      expect(message.startsWith(prefix), message).toBe(true);
      return JSON.parse(message.slice(prefix.length)) as unknown[];
    };
    const slice = catchError(() => loadAceData({ slice: { root: 1 }, postal: postalJson, rules: rulesJson }));
    expect(slice).toBeInstanceOf(AceDataError);
    expect(slice.name).toBe('AceDataError');
    expect(issuesOf(slice.message, 'data/ace/create-opportunity.shapes.json')).toEqual([
      expect.objectContaining({ path: ['source'] }), expect.objectContaining({ path: ['root'] }), expect.objectContaining({ path: ['shapes'] }),
    ]);
    const postal = catchError(() => loadAceData({ slice: sliceJson, postal: { ...postalJson, noPostalCode: 1 }, rules: rulesJson }));
    expect(issuesOf(postal.message, 'data/ace/postal-codes.json')).toEqual([expect.objectContaining({ path: ['noPostalCode'] })]);
    // Submission rules with none of their fields: more than three issues, three quoted.
    const rules = catchError(() => loadAceData({ slice: sliceJson, postal: postalJson, rules: {} }));
    expect(issuesOf(rules.message, 'data/ace/submission-rules.json')).toHaveLength(3);
  });

});

describe('the source files, each checked', () => {
  const bundled = () => ({
    rateCard: rawRateCard, programs: rawPrograms, dataPolicy: rawPolicy, slice: sliceJson, postal: postalJson, rules: rulesJson,
    stuck: wholeStuck, benefits: wholeBenefits, benefitSlice: wholeBenefitSlice, mailProviders: rawMailProviders,
  });

  it('the bundled ones by default', () => {
    expect(checkedSourceData()).toEqual(checkedSourceData(bundled()));
  });

  it('a broken benefits file or benefit application slice, named by its path', () => {
    expect(catchError(() => checkedSourceData({ ...bundled(), benefits: { broken: true } })).message).toMatch(/^data\/benefits\.json does not match its schema: \[/);
    expect(catchError(() => checkedSourceData({ ...bundled(), benefitSlice: { root: 'x' } })).message)
      .toMatch(/^data\/ace\/create-benefit-application\.shapes\.json does not match its schema: \[/);
  });
});

describe('the committed run-time projections', () => {
  it('are accepted as committed', () => {
    expect(() => checkRuntimeData(checkedSourceData())).not.toThrow();
  });

  it('a RuntimeDataError names every stale file, each with the command that rewrites it', () => {
    const committed = { ...COMMITTED_RUNTIME_DATA, 'data/runtime/programs.json': {}, 'data/runtime/data-policy.json': {} };
    const error = catchError(() => checkRuntimeData(checkedSourceData(), committed));
    expect(error).toBeInstanceOf(RuntimeDataError);
    expect(error.name).toBe('RuntimeDataError');
    expect(error.message).toBe([
      'data/runtime/programs.json is not the projection of its source data: run npm run gen:runtime-data',
      'data/runtime/data-policy.json is not the projection of its source data: run npm run gen:runtime-data',
    ].join('; '));
  });
});

function catchError(f: () => unknown): Error {
  try {
    f();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

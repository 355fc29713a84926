// The bundled data files are checked at build and trusted at run (functions/core/data-checks.ts): the checks pass on
// the files as they are, they return exactly the files (so trusting an import equals parsing it), and they refuse a
// broken file with a message that names it.
import { describe, expect, it } from 'vitest';
import sliceJson from '../../data/ace/create-opportunity.shapes.json' with { type: 'json' };
import postalJson from '../../data/ace/postal-codes.json' with { type: 'json' };
import rulesJson from '../../data/ace/submission-rules.json' with { type: 'json' };
import { AceDataError, checkBundledData, DataPolicyError, loadAceData, loadDataPolicy } from '../../functions/core/data-checks.ts';
import { rateCard } from '../../functions/core/rates.ts';
import { programsData } from '../../functions/core/programs.ts';
import { dataPolicy } from '../../functions/core/data-age.ts';
import { postalCodes, shapeSlice, submissionRules } from '../../functions/core/ace/model.ts';
import { CLOSED_LOST_REASONS } from '../../schemas/api.ts';
import wholeBenefits from '../../data/benefits.json' with { type: 'json' };
import wholeBenefitSlice from '../../data/ace/create-benefit-application.shapes.json' with { type: 'json' };
import wholeStuck from '../../data/stuck-thresholds.json' with { type: 'json' };

describe('bundled data, checked at build', () => {
  const checked = checkBundledData();

  it('parses every file to exactly what the functions import and trust', () => {
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
    expect(() => loadAceData({ slice: sliceJson, postal: postalJson, rules })).toThrow(/unknown list "noSuchList"/);
  });

  it('refuses an ACE slice of the wrong shape, naming the file', () => {
    expect(() => loadAceData({ slice: { root: 1 }, postal: postalJson, rules: rulesJson })).toThrow(/create-opportunity\.shapes\.json/);
  });

  it('refuses a data policy without its files, naming the field', () => {
    expect(() => loadDataPolicy({ ...dataPolicy, files: 'none' })).toThrow(DataPolicyError);
    expect(() => loadDataPolicy({ ...dataPolicy, files: 'none' })).toThrow(/files/);
  });
});

// The packed forms of the run-time projections (functions/core/packed-data.ts): what packing writes, that unpacking
// gives back exactly what was packed, and that packing refuses, by name, what it could not give back. Each fixture is
// built inside its test (StrykerJS credits work done at collection time to no test).
import { describe, expect, it } from 'vitest';
import {
  type PackedModelCatalog,
  type PackedRateCard,
  type PackedSubmissionRules,
  packAddressRules,
  packModelCatalog,
  packPrices,
  packRateCard,
  packRows,
  packShapeSlice,
  packSubmissionRules,
  unpackAddressRules,
  unpackModelCatalog,
  unpackPrices,
  unpackRateCard,
  unpackRows,
  unpackShapeSlice,
  unpackSubmissionRules,
} from '../../functions/core/packed-data.ts';
import { checkedSourceData } from '../../functions/core/data-checks.ts';
import { addressRulesOf, projectModelCatalog, projectRateCard, projectShapeSlice, submissionRulesOf } from '../../functions/core/runtime-data.ts';
import committedRateCard from '../../data/runtime/rate-card.json' with { type: 'json' };
import committedModelCatalog from '../../data/runtime/model-catalog.json' with { type: 'json' };
import committedAddress from '../../data/runtime/ace-address.json' with { type: 'json' };
import committedValidation from '../../data/runtime/ace-validation.json' with { type: 'json' };
import type { PackedShapeSlice, PackedAceAddressRules, AceAddressRules, RuntimeRateCard, RuntimeRateModel, RuntimeShapeSlice, RuntimeSubmissionRules } from '../../schemas/runtime-data.ts';

describe('rows', () => {
  it('one column per field in first-seen order, null for an absent value, trailing nulls dropped', () => {
    const items = [{ a: 1, b: 'x' }, { b: 'y' }, { a: 2, c: [1] }, { a: 0 }];
    const packed = packRows(items);
    expect(packed).toStrictEqual({ columns: ['a', 'b', 'c'], rows: [[1, 'x'], [null, 'y'], [2, null, [1]], [0]] });
    expect(unpackRows(packed)).toStrictEqual(items);
  });

  it('an item without any value packs to an empty row and unpacks to an empty record', () => {
    expect(packRows([{}, { a: undefined }])).toStrictEqual({ columns: ['a'], rows: [[], []] });
    expect(unpackRows({ columns: ['a'], rows: [[], [null]] })).toStrictEqual([{}, {}]);
  });

  it('refuses a null, naming its column', () => {
    expect(() => packRows([{ a: 1 }, { a: null }])).toThrow(new TypeError('cannot pack a null value (a): null means absent in a packed row'));
  });

  it('encodes and decodes each present value by column, never an absent one', () => {
    const seen: string[] = [];
    const packed = packRows([{ a: 1, b: 2 }, { b: 3 }], (column, value) => {
      seen.push(column);
      return column === 'a' ? `a${value as number}` : value;
    });
    expect(seen).toEqual(['a', 'b', 'b']);
    expect(packed.rows).toStrictEqual([['a1', 2], [null, 3]]);
    const decoded: string[] = [];
    expect(unpackRows(packed, (column, value) => {
      decoded.push(column);
      return column === 'a' ? Number((value as string).slice(1)) : value;
    })).toStrictEqual([{ a: 1, b: 2 }, { b: 3 }]);
    expect(decoded).toEqual(['a', 'b', 'b']);
  });
});

describe('price sheets', () => {
  it('in PRICE_KEYS order, null for a price not listed, trailing nulls dropped, 0 kept', () => {
    expect(packPrices({ inputPer1M: 3, outputPer1M: 15 })).toStrictEqual([3, 15]);
    expect(packPrices({ inputPer1M: 0, outputPer1M: 0, cacheReadPer1M: 0.3 })).toStrictEqual([0, 0, null, null, null, null, 0.3]);
    expect(packPrices({ inputPer1M: 1, outputPer1M: 2, batchInputPer1M: 0.5, batchOutputPer1M: 1, cacheWritePer1M: 1.25, cacheWrite1hPer1M: 2, cacheReadPer1M: 0.1 }))
      .toStrictEqual([1, 2, 0.5, 1, 1.25, 2, 0.1]);
    expect(packPrices({ inputPer1M: 1, outputPer1M: 2, cacheWritePer1M: 1.25 })).toStrictEqual([1, 2, null, null, 1.25]);
  });

  it('unpack to exactly the listed prices', () => {
    expect(unpackPrices([0, 0, null, null, null, null, 0.3])).toStrictEqual({ inputPer1M: 0, outputPer1M: 0, cacheReadPer1M: 0.3 });
    expect(unpackPrices([1, 2, null, null, 1.25])).toStrictEqual({ inputPer1M: 1, outputPer1M: 2, cacheWritePer1M: 1.25 });
    expect(unpackPrices([])).toStrictEqual({});
  });
});

/** A small card: two sources, a model citing the second, one with a cache minimum, long context and geo prices. */
function card(): RuntimeRateCard {
  const base = {
    provider: 'acme', family: 'big', class: 'frontier', kind: 'text', status: 'active', lifecycleNote: 'Active', confidence: 'high',
  } as const;
  const models: RuntimeRateModel[] = [
    { ...base, modelId: 'acme.small', name: 'Acme Small', pricingBasis: 'single', pricing: { inputPer1M: 0.1, outputPer1M: 0.4 }, sources: ['s-two'] },
    {
      ...base,
      modelId: 'acme.big',
      name: 'Acme Big',
      pricingBasis: 'global',
      pricing: { inputPer1M: 3, outputPer1M: 15, cacheReadPer1M: 0.3 },
      regionalPricing: { inputPer1M: 3.3, outputPer1M: 16.5 },
      contextWindow: 1_000_000,
      longContextPricing: { appliesAbove: 200_000, pricing: { inputPer1M: 6, outputPer1M: 22.5 }, regionalPricing: { inputPer1M: 6.6, outputPer1M: 24.75 }, note: 'listed' },
      minCacheablePrefix: { tokens: 1024, sources: ['s-two', 's-one'], verified: true },
      otherProfileIds: ['acme-profile.big'],
      sources: ['s-one', 's-two'],
    },
    {
      ...base,
      modelId: 'acme.mid',
      name: 'Acme Mid',
      pricingBasis: 'single',
      pricing: { inputPer1M: 1, outputPer1M: 4 },
      longContextPricing: { appliesAbove: 100_000, pricing: { inputPer1M: 2, outputPer1M: 8 }, note: 'rule' },
      sources: ['s-one'],
    },
  ];
  return {
    asOf: '2026-11-01',
    pricingRule: 'rule',
    minCacheablePrefixAssumption: 'assumption',
    sources: [{ id: 's-one', name: 'One', date: '2026-10-01' }, { id: 's-two', name: 'Two', date: '2026-10-02' }],
    models,
  } as RuntimeRateCard;
}

describe('the rate card', () => {
  it('cites sources by their index in the card, price sheets as arrays, and unpacks to exactly the card', () => {
    const c = card();
    const packed = packRateCard(c);
    const { models: _models, ...rest } = c;
    expect(packed).toMatchObject(rest);
    const column = (name: string) => packed.models.rows.map((row) => row[packed.models.columns.indexOf(name)] ?? null);
    expect(column('sources')).toStrictEqual([[1], [0, 1], [0]]);
    expect(column('pricing')).toStrictEqual([[0.1, 0.4], [3, 15, null, null, null, null, 0.3], [1, 4]]);
    expect(column('regionalPricing')).toStrictEqual([null, [3.3, 16.5], null]);
    expect(column('minCacheablePrefix')).toStrictEqual([null, { tokens: 1024, sources: [1, 0], verified: true }, null]);
    expect(column('longContextPricing')).toStrictEqual([
      null,
      { appliesAbove: 200_000, pricing: [6, 22.5], regionalPricing: [6.6, 24.75], note: 'listed' },
      { appliesAbove: 100_000, pricing: [2, 8], note: 'rule' },
    ]);
    expect(column('otherProfileIds')).toStrictEqual([null, ['acme-profile.big'], null]);
    expect(unpackRateCard(packed)).toStrictEqual(c);
    // What is committed is JSON: it unpacks the same once through JSON text.
    expect(unpackRateCard(JSON.parse(JSON.stringify(packed)) as typeof packed)).toStrictEqual(c);
  });

  it('refuses a model, or a cache minimum, citing a source the card does not list', () => {
    const c = card();
    (c.models[0] as RuntimeRateModel).sources = ['s-three'];
    expect(() => packRateCard(c)).toThrow(new TypeError('source s-three is not one of the card\'s sources'));
    const d = card();
    (d.models[1] as RuntimeRateModel).minCacheablePrefix = { tokens: 1024, sources: ['s-one', 'nowhere'], verified: false };
    expect(() => packRateCard(d)).toThrow(new TypeError('source nowhere is not one of the card\'s sources'));
  });
});

describe('the model catalog', () => {
  it('packs its models as rows and unpacks to exactly the catalog', () => {
    const catalog = { models: [{ modelId: 'acme.big', name: 'Acme Big', kind: 'text' as const, contextWindow: 1000, otherProfileIds: ['x.big'] }, { modelId: 'acme.embed', name: 'Acme Embed', kind: 'embedding' as const }] };
    const packed = packModelCatalog(catalog);
    expect(packed).toStrictEqual({ models: { columns: ['modelId', 'name', 'kind', 'contextWindow', 'otherProfileIds'], rows: [['acme.big', 'Acme Big', 'text', 1000, ['x.big']], ['acme.embed', 'Acme Embed', 'embedding']] } });
    expect(unpackModelCatalog(packed)).toStrictEqual(catalog);
  });
});

function addressRules(): AceAddressRules {
  return {
    countryCodes: ['AD', 'DE', 'US'],
    noPostalCode: ['AD'],
    patterns: ['^\\d{5}$', '^\\d{5}(-\\d{4})?$'],
    formats: { DE: ['Germany', '99999', 0], US: ['United States', '99999 or 99999-9999', 1] },
    usStates: ['Alabama', 'District of Columbia', 'New York'],
    usStateAbbreviations: { NY: 'New York', AL: 'Alabama' },
    usStateAliases: { 'Washington DC': 'District of Columbia' },
  };
}

describe('the address rules', () => {
  it('codes as one string, formats as rows, abbreviations in state order with -- for none; unpack to exactly the rules', () => {
    const rules = addressRules();
    const packed = packAddressRules(rules);
    expect(packed).toStrictEqual({
      countryCodes: 'ADDEUS',
      noPostalCode: 'AD',
      patterns: rules.patterns,
      formats: 'DE|Germany|99999|0;US|United States|99999 or 99999-9999|1',
      usStates: rules.usStates,
      usStateAbbreviations: 'AL--NY',
      usStateAliases: rules.usStateAliases,
    });
    expect(unpackAddressRules(packed)).toStrictEqual(rules);
  });

  it('empty code lists and no abbreviations unpack to empty ones', () => {
    const rules = { ...addressRules(), noPostalCode: [], usStateAbbreviations: {} };
    const packed = packAddressRules(rules);
    expect(packed.noPostalCode).toBe('');
    expect(packed.usStateAbbreviations).toBe('------');
    expect(unpackAddressRules(packed)).toStrictEqual(rules);
  });

  it('refuses a code that is not two capital letters, naming what it is', () => {
    const rules = addressRules();
    expect(() => packAddressRules({ ...rules, countryCodes: ['AD', 'USA'] })).toThrow(new TypeError('cannot pack country code "USA": not two capital letters'));
    expect(() => packAddressRules({ ...rules, noPostalCode: ['ad'] })).toThrow(new TypeError('cannot pack country code "ad": not two capital letters'));
    expect(() => packAddressRules({ ...rules, formats: { ...rules.formats, D1: ['Nowhere', '9', 0] } })).toThrow(new TypeError('cannot pack country code "D1": not two capital letters'));
    expect(() => packAddressRules({ ...rules, usStateAbbreviations: { ...rules.usStateAbbreviations, DCA: 'District of Columbia' } }))
      .toThrow(new TypeError('cannot pack US state abbreviation "DCA": not two capital letters'));
  });

  it('refuses a format whose name or format holds a separator, naming the country', () => {
    const rules = addressRules();
    for (const format of [['A|B', '9', 0], ['A', '9;9', 0]] as const) {
      expect(() => packAddressRules({ ...rules, formats: { ...rules.formats, XX: [...format] } })).toThrow(new TypeError('cannot pack the postal format of XX: "|" or ";" in its name or format'));
    }
  });

  it('refuses an empty list of postal formats (it would unpack to one format of an empty code)', () => {
    expect(() => packAddressRules({ ...addressRules(), formats: {} })).toThrow(new TypeError('cannot pack the postal formats: an empty list'));
  });

  it('refuses two abbreviations of one state, and one of a state usStates does not list', () => {
    const message = 'cannot pack the US state abbreviations: each must name one state of usStates, one abbreviation per state';
    const rules = addressRules();
    expect(() => packAddressRules({ ...rules, usStateAbbreviations: { ...rules.usStateAbbreviations, NW: 'New York' } })).toThrow(new TypeError(message));
    expect(() => packAddressRules({ ...rules, usStateAbbreviations: { ...rules.usStateAbbreviations, ZZ: 'Atlantis' } })).toThrow(new TypeError(message));
  });
});

function slice(): RuntimeShapeSlice {
  return {
    root: 'Root',
    shapes: {
      Root: { type: 'structure', members: { Name: { target: 'Name', required: true, length: { min: 1, max: 255 } }, Kind: { target: 'Kind' } } },
      Member: {
        type: 'structure',
        members: {
          Plain: { target: 'String' },
          Required: { target: 'String', required: true },
          Patterned: { target: 'String', pattern: '^[a-z]+$' },
          Min: { target: 'String', length: { min: 2 } },
          Max: { target: 'String', length: { max: 80 } },
          Zero: { target: 'String', length: { min: 0, max: 0 } },
          All: { target: 'String', required: true, length: { min: 1, max: 9 }, pattern: '^x' },
        },
      },
      Kind: { type: 'enum', values: ['Software', 'Services'] },
      Name: { type: 'string', length: { max: 255 } },
      List: { type: 'list', member: { target: 'Name' }, length: { max: 5 } },
      Flag: { type: 'boolean' },
    },
  };
}

describe('the shape slice', () => {
  it('an enum as its values joined by |, a structure as packed members, any other shape as it is', () => {
    const s = slice();
    const packed = packShapeSlice(s);
    expect(packed).toStrictEqual({
      root: 'Root',
      shapes: {
        Root: { Name: ['Name', 1, 1, 255], Kind: 'Kind' },
        Member: {
          Plain: 'String',
          Required: ['String', 1, null, null],
          Patterned: ['String', 0, null, null, '^[a-z]+$'],
          Min: ['String', 0, 2, null],
          Max: ['String', 0, null, 80],
          Zero: ['String', 0, 0, 0],
          All: ['String', 1, 1, 9, '^x'],
        },
        Kind: 'Software|Services',
        Name: { type: 'string', length: { max: 255 } },
        List: { type: 'list', member: { target: 'Name' }, length: { max: 5 } },
        Flag: { type: 'boolean' },
      },
    });
    expect(unpackShapeSlice(packed)).toStrictEqual(s);
    expect(unpackShapeSlice(JSON.parse(JSON.stringify(packed)) as typeof packed)).toStrictEqual(s);
  });

  it('refuses an enum it could not give back, naming it', () => {
    const message = 'cannot pack enum E: an empty list, an empty value or "|" in a value';
    for (const values of [[], ['a', ''], ['a', 'b|c'], ['a|b']]) {
      expect(() => packShapeSlice({ root: 'R', shapes: { E: { type: 'enum', values } } }), JSON.stringify(values)).toThrow(new TypeError(message));
    }
  });

  it('refuses a structure with a member named "type", and a member with a field it does not pack', () => {
    expect(() => packShapeSlice({ root: 'R', shapes: { S: { type: 'structure', members: { type: { target: 'String' } } } } }))
      .toThrow(new TypeError('cannot pack structure S: a member named "type"'));
    const member = { target: 'String', default: 'x', box: true } as unknown as { target: string };
    expect(() => packShapeSlice({ root: 'R', shapes: { S: { type: 'structure', members: { M: member } } } }))
      .toThrow(new TypeError('cannot pack a slice member with default, box'));
  });
});

function submissionRules(): RuntimeSubmissionRules {
  return {
    requiredForSubmission: [{ field: 'Customer.Account.CompanyName', when: 'always' }, { field: 'Project.Title' }],
    forbidden: [{ field: 'Project.Other' }],
    allowedValues: [{ field: 'Customer.Account.Industry', list: 'industries' }],
    lists: { industries: { values: ['Software', 'Other'] }, single: { values: ['Only'] } },
  } as unknown as RuntimeSubmissionRules;
}

describe('the submission rules', () => {
  it('each rule list as rows, each value list as its values joined by |; unpack to exactly the rules', () => {
    const rules = submissionRules();
    const packed = packSubmissionRules(rules);
    expect(packed).toStrictEqual({
      requiredForSubmission: { columns: ['field', 'when'], rows: [['Customer.Account.CompanyName', 'always'], ['Project.Title']] },
      forbidden: { columns: ['field'], rows: [['Project.Other']] },
      allowedValues: { columns: ['field', 'list'], rows: [['Customer.Account.Industry', 'industries']] },
      lists: { industries: 'Software|Other', single: 'Only' },
    });
    expect(unpackSubmissionRules(packed)).toStrictEqual(rules);
  });

  it('refuses a value list it could not give back, naming it', () => {
    const message = 'cannot pack list bad: an empty list, an empty value or "|" in a value';
    for (const values of [[], ['a', ''], ['a', 'b|c'], ['a|b']]) {
      expect(() => packSubmissionRules({ ...submissionRules(), lists: { ok: { values: ['x'] }, bad: { values } } }), JSON.stringify(values)).toThrow(new TypeError(message));
    }
  });
});

describe('the committed packed files', () => {
  it('unpack to exactly the projections of the checked files they came from, and pack back to what is committed', () => {
    const sources = checkedSourceData();
    const rateCard = projectRateCard(sources.rateCard);
    expect(unpackRateCard(committedRateCard as PackedRateCard)).toStrictEqual(rateCard);
    expect(packRateCard(rateCard)).toStrictEqual(committedRateCard);
    const catalog = projectModelCatalog(sources.rateCard);
    expect(unpackModelCatalog(committedModelCatalog as PackedModelCatalog)).toStrictEqual(catalog);
    expect(packModelCatalog(catalog)).toStrictEqual(committedModelCatalog);
    const address = addressRulesOf(sources.ace);
    expect(unpackAddressRules(committedAddress as PackedAceAddressRules)).toStrictEqual(address);
    expect(packAddressRules(address)).toStrictEqual(committedAddress);
    const rules = submissionRulesOf(sources.ace.rules);
    expect(unpackSubmissionRules(committedValidation.rules as PackedSubmissionRules)).toStrictEqual(rules);
    expect(packSubmissionRules(rules)).toStrictEqual(committedValidation.rules);
    // The slice's committed projection leaves the CountryCode enum to the address rules (runtime-data.ts ADDRESS_SHAPES).
    const { CountryCode: _countryCode, ...shapes } = sources.ace.slice.shapes;
    expect(unpackShapeSlice(committedValidation.shapes as unknown as PackedShapeSlice)).toStrictEqual({ root: sources.ace.slice.root, shapes });
    expect(projectShapeSlice({ ...sources.ace.slice, shapes })).toStrictEqual(committedValidation.shapes);
  });
});

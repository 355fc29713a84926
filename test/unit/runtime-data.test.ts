// The functions load run-time projections of the data files (data/runtime/, functions/core/runtime-data.ts): the
// committed files must be the projections of the checked sources, a stale one is refused by name, and everything the
// functions compute from a projection equals what they compute from the whole file.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkedSourceData, checkRuntimeData, COMMITTED_RUNTIME_DATA, RuntimeDataError } from '../../functions/core/data-checks.ts';
import { ADDRESS_SHAPES, addressRulesOf, COMPRESSED_PROJECTIONS, projectAceShapeSlice, submissionRulesOf, projectBenefits, projectModelCatalog, projectPrograms, projectRateCard, projectStuckThresholds, runtimeDataText, runtimeProjections } from '../../functions/core/runtime-data.ts';
import { compressedModuleText, compressedPath, deflateJson, inflateJson } from '../../functions/core/compressed-data.ts';
import { benefitSlice, benefitsData } from '../../functions/core/ace/funding-draft.ts';
import { STUCK } from '../../functions/core/operations/stuck.ts';
import { packAddressRules, packPrices, packShapeSlice, packSubmissionRules, unpackShapeSlice, unpackSubmissionRules, packRows, PRICE_KEYS, unpackAddressRules, unpackPrices, unpackRows } from '../../functions/core/packed-data.ts';
import { estimate } from '../../functions/core/estimate.ts';
import { findModel, rateCard, runtimeRateCard, suggestModelIds } from '../../functions/core/rates.ts';
import { programsData, runtimePrograms } from '../../functions/core/programs.ts';
import { dataPolicy, estimateDataAge } from '../../functions/core/data-age.ts';
import { findCatalogModel, modelCatalog, modelName } from '../../functions/core/model-catalog.ts';
import { aceStateName, hasPostalCodes, postalFormat } from '../../functions/core/ace/address-rules.ts';
import { aceAddress, postalCodes, runtimeRules, runtimeShapeSlice, shapeSlice, submissionRules, valueList } from '../../functions/core/ace/model.ts';
import { ARB_NOW, arbWorksheet } from '../support/arbitraries.ts';
import { NOW, ragWorksheet } from '../support/worksheets.ts';
import { readFileSync } from 'node:fs';
import type { RateCard } from '../../schemas/rate-card.ts';

const WHOLE = { card: rateCard, programs: programsData };

describe('run-time projections', () => {
  it('are committed up to date (npm run gen:runtime-data), as the generator writes them', () => {
    const fresh = runtimeProjections(checkedSourceData());
    expect(Object.keys(COMMITTED_RUNTIME_DATA).sort()).toEqual(Object.keys(fresh).sort());
    for (const [file, projection] of Object.entries(fresh)) {
      const text = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
      if (!file.endsWith('.br.ts')) {
        expect(text, file).toBe(runtimeDataText(projection));
        continue;
      }
      // A compressed module: its header as the generator writes it, and its string inflating to the fresh projection
      // (compared inflated: another brotli build may encode the same text in other bytes).
      const json = file.replace(/\.br\.ts$/, '.json');
      expect(text.split('\n').slice(0, 2), file).toEqual(compressedModuleText(json, projection).split('\n').slice(0, 2));
      const encoded = /^export default '([A-Za-z0-9+/=]+)';$/m.exec(text)?.[1];
      expect(encoded, file).toBeDefined();
      expect(JSON.stringify(inflateJson(encoded as string)), file).toBe(JSON.stringify(projection));
    }
  });

  it('the bigger projections are committed compressed too, each beside its JSON', () => {
    const files = Object.keys(runtimeProjections(checkedSourceData()));
    for (const json of COMPRESSED_PROJECTIONS) expect(files, json).toContain(compressedPath(json));
    expect(files.filter((f) => f.endsWith('.br.ts')).sort()).toEqual(COMPRESSED_PROJECTIONS.map(compressedPath).sort());
  });

  it('refuses a compressed module that does not inflate to a fresh projection, naming it and the command', () => {
    const committed = { ...COMMITTED_RUNTIME_DATA, 'data/runtime/rate-card.br.ts': { ...(COMMITTED_RUNTIME_DATA['data/runtime/rate-card.br.ts'] as object), asOf: '2026-01-01' } };
    expect(() => checkRuntimeData(checkedSourceData(), committed)).toThrow(/data\/runtime\/rate-card\.br\.ts .*npm run gen:runtime-data/);
    const { ['data/runtime/programs.br.ts']: _dropped, ...withoutOne } = COMMITTED_RUNTIME_DATA;
    expect(() => checkRuntimeData(checkedSourceData(), withoutOne)).toThrow(/data\/runtime\/programs\.br\.ts/);
  });

  it('compression gives back the very JSON (key order, numbers, unicode)', () => {
    const value = { b: 1, a: [0.1, 1e-7, -3, null, true], 'é': 'Zürich — ✓', nested: { z: '', y: [] } };
    expect(JSON.stringify(inflateJson(deflateJson(value)))).toBe(JSON.stringify(value));
    expect(compressedPath('data/runtime/x.json')).toBe('data/runtime/x.br.ts');
  });

  it('refuses a stale projection, naming the file and the command that rewrites it', () => {
    const committed = structuredClone(COMMITTED_RUNTIME_DATA) as Record<string, { asOf: string }>;
    committed['data/runtime/rate-card.json']!.asOf = '2026-01-01';
    expect(() => checkRuntimeData(checkedSourceData(), committed)).toThrow(RuntimeDataError);
    expect(() => checkRuntimeData(checkedSourceData(), committed)).toThrow(/data\/runtime\/rate-card\.json .*npm run gen:runtime-data/);
  });

  it('refuses a file under data/runtime/ that the generator does not make', () => {
    expect(() => checkRuntimeData(checkedSourceData(), { ...COMMITTED_RUNTIME_DATA, 'data/runtime/extra.json': {} })).toThrow(/extra\.json is not made by/);
  });

  it('packed ones unpack at load to exactly the projections', () => {
    const sources = checkedSourceData();
    expect(runtimeRateCard).toStrictEqual(projectRateCard(sources.rateCard));
    expect(modelCatalog).toStrictEqual(projectModelCatalog(sources.rateCard));
    expect(runtimePrograms).toStrictEqual(projectPrograms(sources.programs));
    expect(STUCK).toStrictEqual(projectStuckThresholds(sources.stuck));
    expect(benefitsData).toStrictEqual(projectBenefits(sources.benefits));
    const { source: _source, ...slice } = sources.benefitSlice;
    expect(benefitSlice).toStrictEqual(slice);
  });

  it('packing keeps every price and absent value, and refuses a null (which means absent)', () => {
    for (const m of rateCard.models) for (const p of [m.pricing, m.regionalPricing, m.longContextPricing?.pricing]) if (p) expect(unpackPrices(packPrices(p))).toStrictEqual(p);
    expect(PRICE_KEYS).toHaveLength(7);
    const items = [{ a: 1, b: 'x' }, { b: 'y' }, { a: 2, c: [1] }];
    expect(unpackRows(packRows(items))).toStrictEqual(items);
    expect(() => packRows([{ a: null }])).toThrow(/null/);
  });

  it('the packed address rules unpack to exactly the rules, and packing refuses what it could not give back', () => {
    const rules = addressRulesOf(checkedSourceData().ace);
    expect(aceAddress).toStrictEqual(rules);
    expect(unpackAddressRules(packAddressRules(rules))).toStrictEqual(rules);
    expect(() => packAddressRules({ ...rules, countryCodes: [...rules.countryCodes, 'USA'] })).toThrow(/two capital letters/);
    expect(() => packAddressRules({ ...rules, formats: { ...rules.formats, XX: ['A|B', '9999', 0] } })).toThrow(/XX/);
    expect(() => packAddressRules({ ...rules, usStateAbbreviations: { ...rules.usStateAbbreviations, ZZ: 'Atlantis' } })).toThrow(/abbreviations/);
  });

  it('the packed shape slice unpacks to exactly the slice without its source block', () => {
    const { source: _source, ...slice } = shapeSlice;
    expect(runtimeShapeSlice).toStrictEqual(slice);
    expect(unpackShapeSlice(packShapeSlice(slice))).toStrictEqual(slice);
    // The CountryCode enum travels once, in the address rules: the slice's projection leaves it out, the loader puts it back.
    for (const name of ADDRESS_SHAPES) expect(projectAceShapeSlice(shapeSlice).shapes).not.toHaveProperty(name);
    expect((COMMITTED_RUNTIME_DATA['data/runtime/ace-validation.br.ts'] as { shapes: unknown }).shapes).toStrictEqual(projectAceShapeSlice(shapeSlice));
    expect(runtimeShapeSlice.shapes.CountryCode).toStrictEqual({ type: 'enum', values: aceAddress.countryCodes });
    expect(() => packShapeSlice({ root: 'R', shapes: { E: { type: 'enum', values: ['a|b'] } } })).toThrow(/enum E/);
    expect(() => packShapeSlice({ root: 'R', shapes: { S: { type: 'structure', members: { type: { target: 'String' } } } } })).toThrow(/structure S/);
  });

  it('the packed submission rules unpack to exactly the rules without their sources', () => {
    const rules = submissionRulesOf(checkedSourceData().ace.rules);
    expect(runtimeRules).toStrictEqual(rules);
    expect(unpackSubmissionRules(packSubmissionRules(rules))).toStrictEqual(rules);
    expect(JSON.stringify(runtimeRules)).not.toContain('"source"');
    expect(() => packSubmissionRules({ ...rules, lists: { bad: { values: ['a|b'] } } })).toThrow(/list bad/);
  });

  it('leave out prose only: the whole card\'s models keep every value the projection has', () => {
    expect(runtimeRateCard.models).toHaveLength(rateCard.models.length);
    runtimeRateCard.models.forEach((m, i) => expect(rateCard.models[i]).toMatchObject(m));
    expect(JSON.stringify(runtimeRateCard)).not.toContain('"notes"');
  });
});

describe('what the functions compute from a projection equals what they compute from the whole file', () => {
  it('estimates: the example worksheets', () => {
    for (const ws of [ragWorksheet(), ragWorksheet({ aws: { region: 'eu-west-1' }, otherServices: [{ service: 'AWS Marketplace', monthlyUsd: 1_000 }] })]) {
      expect(estimate(ws, { now: NOW })).toEqual(estimate(ws, { now: NOW, ...WHOLE }));
    }
  });

  it('estimates: arbitrary worksheets', () => {
    fc.assert(fc.property(arbWorksheet(), (w) => {
      expect(estimate(w, { now: ARB_NOW })).toEqual(estimate(w, { now: ARB_NOW, ...WHOLE }));
    }), { numRuns: 40 });
  });

  it('the data age of an estimate, stale or not', () => {
    for (const now of [NOW, new Date('2028-01-01T00:00:00Z')]) {
      const docs = { 'data/rate-card.json': rateCard, 'data/programs.json': programsData };
      const runtimeDocs = { 'data/rate-card.json': runtimeRateCard, 'data/programs.json': runtimePrograms };
      expect(estimateDataAge(runtimeDocs, now)).toEqual(estimateDataAge(docs, now, dataPolicy));
    }
  });

  it('model lookups, names and suggestions: every id and profile id, and typos', () => {
    const ids = rateCard.models.flatMap((m) => [m.modelId, ...m.inferenceProfiles, `global.${m.modelId}`, `eu.${m.modelId}`, ` ${m.modelId} `]);
    for (const id of [...ids, 'anthropic.claude-sonet-4-6', 'nova-lite', 'no-such-model']) {
      const whole = findModel(id, rateCard);
      expect(findCatalogModel(id)?.modelId, id).toBe(whole?.modelId);
      expect(modelName(id), id).toBe(whole?.name ?? id);
      expect(suggestModelIds(id), id).toEqual(suggestModelIds(id, rateCard));
    }
  });

  it('address rules: every country code and state spelling', () => {
    const countries = [...(shapeSlice.shapes.CountryCode?.type === 'enum' ? shapeSlice.shapes.CountryCode.values : []), 'ZZ'];
    for (const code of countries) {
      expect(hasPostalCodes(code), code).toBe(!(code in postalCodes.noPostalCode));
      expect(postalFormat(code), code).toEqual(postalCodes.formats[code]);
    }
    const names = [...(submissionRules.lists.usStates?.values ?? []), ...Object.keys(submissionRules.usStateAbbreviations), ...Object.keys(submissionRules.usStateAliases), 'ca', 'new york', 'Atlantis'];
    for (const name of names) {
      const exact = submissionRules.lists.usStates?.values.find((s) => s.toLowerCase() === name.trim().toLowerCase());
      const alias = Object.entries(submissionRules.usStateAliases).find(([n]) => n.toLowerCase() === name.trim().toLowerCase())?.[1];
      expect(aceStateName(name), name).toBe(exact ?? submissionRules.usStateAbbreviations[name.trim().toUpperCase()] ?? alias ?? name.trim());
    }
    for (const list of Object.keys(submissionRules.lists)) expect(valueList(list), list).toEqual(submissionRules.lists[list]?.values);
  });
});

describe('projections of data the committed files do not have', () => {
  it('a model keeps the profile ids a lookup cannot reach by stripping the prefix, and only when it has some', () => {
    const card = structuredClone(checkedSourceData().rateCard);
    const [first, second] = card.models as [RateCard['models'][number], RateCard['models'][number], ...RateCard['models']];
    first.inferenceProfiles = [`global.${first.modelId}`, `acme-profile.${first.modelId}`, `us.${first.modelId}`];
    second.inferenceProfiles = [`eu.${second.modelId}`];
    const catalog = projectModelCatalog(card);
    expect(catalog.models[0]).toStrictEqual({ modelId: first.modelId, name: first.name, kind: first.kind, ...(first.contextWindow === undefined ? {} : { contextWindow: first.contextWindow }), otherProfileIds: [`acme-profile.${first.modelId}`] });
    expect(catalog.models[1]).not.toHaveProperty('otherProfileIds');
    expect(projectRateCard(card).models[0]?.otherProfileIds).toStrictEqual([`acme-profile.${first.modelId}`]);
    expect(projectRateCard(card).models[1]).not.toHaveProperty('otherProfileIds');
    expect(projectRateCard(card).models[0]).not.toHaveProperty('inferenceProfiles');
    expect(findCatalogModel(`acme-profile.${first.modelId}`, catalog)?.modelId).toBe(first.modelId);
  });

  it('address rules: no country codes unless CountryCode is an enum, no US states unless the rules list them', () => {
    const ace = structuredClone(checkedSourceData().ace);
    const { usStates: _usStates, ...lists } = ace.rules.lists;
    const withoutStates = { ...ace, rules: { ...ace.rules, lists } };
    expect(addressRulesOf(withoutStates).usStates).toStrictEqual([]);
    expect(addressRulesOf(withoutStates).countryCodes).toContain('US');
    const { CountryCode: _country, ...shapes } = ace.slice.shapes;
    expect(addressRulesOf({ ...ace, slice: { ...ace.slice, shapes } }).countryCodes).toStrictEqual([]);
    const asString = { ...ace, slice: { ...ace.slice, shapes: { ...shapes, CountryCode: { type: 'string' as const } } } };
    expect(addressRulesOf(asString).countryCodes).toStrictEqual([]);
    expect(addressRulesOf(asString).usStates).toContain('California');
  });
});

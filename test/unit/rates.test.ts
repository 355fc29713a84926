import { describe, expect, it } from 'vitest';
import rawCard from '../../data/rate-card.json' with { type: 'json' };
import {
  activeModels,
  applicablePrices,
  findModel,
  lifecycleAt,
  rateCard,
  resolveModel,
  runtimeRateCard,
  sameClassAlternatives,
  UnknownModelError,
  type RateModel,
  type RuntimeRateCard,
} from '../../functions/core/rates.ts';
import { loadRateCard, RateCardError } from '../../functions/core/data-checks.ts';
import { estimate } from '../../functions/core/estimate.ts';
import { NOW, ragWorksheet } from '../support/worksheets.ts';

describe('rate card data', () => {
  it('is dated and sourced', () => {
    expect(rateCard.asOf).toBe('2026-07-24');
    expect(rateCard.sources.map((s) => s.id)).toContain('aws-page');
    expect(rateCard.sources.every((s) => s.date.length > 0)).toBe(true);
  });

  it('normalises lifecycle text into a status and EOL date', () => {
    expect(findModel('anthropic.claude-sonnet-4-20250514-v1:0')).toMatchObject({ status: 'eol', eolDate: '2026-10-14' });
    expect(findModel('anthropic.claude-opus-4-1-20250805-v1:0')).toMatchObject({ status: 'legacy', eolDate: '2027-01-08' });
    expect(findModel('anthropic.claude-opus-4-20250514-v1:0')).toMatchObject({ status: 'eol', eolDate: '2026-05-31', eolDateApproximate: true });
    expect(findModel('amazon.nova-2-pro-preview-20251202-v1:0')?.status).toBe('preview');
    expect(findModel('cohere.embed-english-v3')?.status).toBe('unknown');
  });

  it('assigns every model a class', () => {
    expect(findModel('anthropic.claude-opus-4-6-v1')?.class).toBe('frontier');
    expect(findModel('anthropic.claude-sonnet-4-6')?.class).toBe('mid');
    expect(findModel('amazon.nova-lite-v1:0')?.class).toBe('small');
    expect(findModel('amazon.titan-embed-text-v2:0')?.class).toBe('embedding');
  });
});

describe('loadRateCard', () => {
  it('rejects a broken file, naming each bad field by path', () => {
    const broken = structuredClone(rawCard) as { asOf: string; models: Record<string, unknown>[] };
    broken.asOf = 'last July';
    (broken.models[0] as { pricing: Record<string, unknown> }).pricing = { inputPer1M: -1 };
    (broken.models[1] as Record<string, unknown>).status = 'retired';
    try {
      loadRateCard(broken);
      expect.unreachable('a broken rate card must not load');
    } catch (error) {
      expect(error).toBeInstanceOf(RateCardError);
      const fields = (error as RateCardError).problems.map((p) => p.field);
      expect(fields).toEqual(expect.arrayContaining(['asOf', 'models[0].pricing.inputPer1M', 'models[0].pricing.outputPer1M', 'models[1].status']));
      expect((error as RateCardError).message).toContain('models[0].pricing.inputPer1M');
    }
  });

  it('rejects a model that cites an unknown source', () => {
    const broken = structuredClone(rawCard) as { models: { sources: string[] }[] };
    (broken.models[0] as { sources: string[] }).sources = ['rumour'];
    expect(() => loadRateCard(broken)).toThrow(/every model source must be one of the listed sources/);
  });
});

describe('model lookup', () => {
  it('accepts inference-profile ids', () => {
    expect(findModel('global.anthropic.claude-sonnet-4-6')?.modelId).toBe('anthropic.claude-sonnet-4-6');
    expect(findModel('us.amazon.nova-lite-v1:0')?.modelId).toBe('amazon.nova-lite-v1:0');
    expect(resolveModel('eu.anthropic.claude-haiku-4-5-20251001-v1:0').profile).toBe('geo');
  });

  it('throws a typed error suggesting the closest ids for an unknown id', () => {
    try {
      resolveModel('anthropic.claude-sonet-4-6', { field: 'workload.models[0].modelId' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(UnknownModelError);
      const e = error as UnknownModelError;
      expect(e.suggestions[0]).toBe('anthropic.claude-sonnet-4-6');
      expect(e.suggestions).toHaveLength(3);
      expect(e.toFieldProblem()).toEqual({ field: 'workload.models[0].modelId', rule: expect.stringContaining('anthropic.claude-sonnet-4-6') });
    }
  });

  it('estimate() surfaces the unknown id with its worksheet path', () => {
    const w = ragWorksheet({ workload: { models: [{ modelId: 'amazon.nova-lite', share: 1 }] } });
    expect(() => estimate(w, { now: NOW })).toThrow(UnknownModelError);
    try {
      estimate(w, { now: NOW });
    } catch (error) {
      expect((error as UnknownModelError).field).toBe('workload.models[0].modelId');
      expect((error as UnknownModelError).suggestions).toContain('amazon.nova-lite-v1:0');
    }
  });
});

describe('which price applies', () => {
  const sonnet = 'anthropic.claude-sonnet-4-6';

  it('global cross-Region price by default for models that have one', () => {
    const applied = applicablePrices(resolveModel(sonnet), 'eu-west-1');
    expect(applied.basis).toBe('global');
    expect(applied.prices.inputPer1M).toBe(3);
  });

  it('regional price when the founder pins a geo profile', () => {
    const applied = applicablePrices(resolveModel(`us.${sonnet}`), 'us-east-1');
    expect(applied.basis).toBe('regional');
    expect(applied.prices).toMatchObject({ inputPer1M: 3.3, outputPer1M: 16.5 });
  });

  it('the single list price otherwise, with a caveat outside the cheapest US Regions', () => {
    const applied = applicablePrices(resolveModel('amazon.nova-lite-v1:0'), 'eu-central-1');
    expect(applied.basis).toBe('list');
    expect(applied.note).toMatch(/eu-central-1 may cost more/);
  });
});

describe('discontinued models', () => {
  it('a legacy model becomes EOL once its date has passed', () => {
    const opus41 = findModel('anthropic.claude-opus-4-1-20250805-v1:0')!;
    expect(lifecycleAt(opus41, NOW)).toMatchObject({ status: 'legacy', discontinued: false });
    expect(lifecycleAt(opus41, new Date('2027-02-01T00:00:00Z'))).toMatchObject({ status: 'eol', discontinued: true });
  });

  it('are flagged in the estimate when requested, with active alternatives', () => {
    const e = estimate(ragWorksheet({ workload: { models: [{ modelId: 'anthropic.claude-3-5-haiku-20241022-v1:0', share: 1 }] } }), { now: NOW });
    const warning = e.warnings.find((w) => w.code === 'model-discontinued');
    expect(warning?.message).toMatch(/Claude 3\.5 Haiku .* discontinued \(EOL 2026-06-19\)/);
    expect(warning?.message).toContain('anthropic.claude-haiku-4-5-20251001-v1:0');
    expect(e.models[0]?.status).toBe('eol');
  });

  it('are never suggested as alternatives', () => {
    for (const model of rateCard.models) {
      for (const alt of sameClassAlternatives(model, NOW)) expect(lifecycleAt(alt, NOW).status).toBe('active');
    }
  });
});

describe('UnknownModelError', () => {
  it('is a ValidationError carrying the field problem', async () => {
    const { ValidationError } = await import('../../functions/core/errors.ts');
    const error = new UnknownModelError('x', ['amazon.nova-lite-v1:0'], 'workload.models[1].modelId');
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.problems).toEqual([{ field: 'workload.models[1].modelId', rule: 'must be a Bedrock model id from the rate card; closest known ids: amazon.nova-lite-v1:0' }]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Built by hand inside each test (StrykerJS counts nothing built when the file is collected as covered): a model is
// Sonnet 4.6's runtime entry with the fields a rule reads overridden, so each rule is seen on its own.

const GLOBAL = { inputPer1M: 1, outputPer1M: 2 };
const REGIONAL = { inputPer1M: 1.1, outputPer1M: 2.2 };
const LONG = { inputPer1M: 5, outputPer1M: 6 };
const LONG_REGIONAL = { inputPer1M: 5.5, outputPer1M: 6.6 };

function model(over: Partial<RateModel> = {}): RateModel {
  const { longContextPricing: _lc, eolDate: _eol, ...sonnet } = findModel('anthropic.claude-sonnet-4-6')!;
  return { ...sonnet, modelId: 'acme.test-1', name: 'Test 1', pricingBasis: 'global', pricing: GLOBAL, regionalPricing: REGIONAL, status: 'active', ...over };
}
const cardOf = (...models: RateModel[]): RuntimeRateCard => ({ ...runtimeRateCard, models });
const resolved = (m: RateModel, requestedId = m.modelId) => resolveModel(requestedId, { card: cardOf(m) });

describe('resolveModel, exactly', () => {
  it('reads the profile of the trimmed id and keeps the id as given', () => {
    const r = resolveModel('  us.anthropic.claude-sonnet-4-6 ');
    expect([r.model.modelId, r.requestedId, r.profile]).toEqual(['anthropic.claude-sonnet-4-6', '  us.anthropic.claude-sonnet-4-6 ', 'geo']);
    expect(resolveModel('global.anthropic.claude-sonnet-4-6').profile).toBe('global');
    expect(resolveModel('anthropic.claude-sonnet-4-6').profile).toBe('none');
  });

  it('looks in the card it is given, and suggests from that card', () => {
    const card = cardOf(model());
    expect(resolveModel('eu.acme.test-1', { card })).toMatchObject({ model: { modelId: 'acme.test-1' }, profile: 'geo' });
    expect(() => resolveModel('anthropic.claude-sonnet-4-6', { card })).toThrow(UnknownModelError);
    try {
      resolveModel('acme.test-2', { card });
      expect.unreachable();
    } catch (error) {
      expect((error as UnknownModelError).suggestions).toEqual(['acme.test-1']);
      expect((error as UnknownModelError).field).toBe('modelId');
    }
  });
});

describe('lifecycleAt, exactly', () => {
  it('a model is EOL from the first moment of its EOL date (UTC), not before', () => {
    const m = model({ status: 'legacy', eolDate: '2027-01-08' });
    expect(lifecycleAt(m, new Date('2027-01-07T23:59:59.999Z'))).toStrictEqual({ status: 'legacy', eolDate: '2027-01-08', discontinued: false });
    expect(lifecycleAt(m, new Date('2027-01-08T00:00:00.000Z'))).toStrictEqual({ status: 'eol', eolDate: '2027-01-08', discontinued: true });
    expect(lifecycleAt(m, new Date('2027-01-08T23:59:59.999Z'))).toStrictEqual({ status: 'eol', eolDate: '2027-01-08', discontinued: true });
    expect(lifecycleAt(m, new Date('2028-03-01T00:00:00Z'))).toStrictEqual({ status: 'eol', eolDate: '2027-01-08', discontinued: true });
  });

  it('without an EOL date the status stands and no date is added; an EOL status is discontinued either way', () => {
    const now = new Date('2026-12-01T12:00:00Z');
    expect(lifecycleAt(model({ status: 'active' }), now)).toStrictEqual({ status: 'active', discontinued: false });
    expect(lifecycleAt(model({ status: 'preview' }), now)).toStrictEqual({ status: 'preview', discontinued: false });
    expect(lifecycleAt(model({ status: 'eol' }), now)).toStrictEqual({ status: 'eol', discontinued: true });
    expect(lifecycleAt(model({ status: 'eol', eolDate: '2027-05-01' }), now)).toStrictEqual({ status: 'eol', eolDate: '2027-05-01', discontinued: true });
    expect(lifecycleAt(model({ status: 'active', eolDate: '2027-05-01' }), now)).toStrictEqual({ status: 'active', eolDate: '2027-05-01', discontinued: false });
  });
});

describe('applicablePrices, exactly', () => {
  it('global price and note for a global model named without a geo prefix', () => {
    const m = model();
    expect(applicablePrices(resolved(m), 'eu-west-1')).toStrictEqual({ prices: GLOBAL, basis: 'global', note: 'global cross-Region profile global.acme.test-1: global price' });
    expect(applicablePrices(resolved(m, 'global.acme.test-1'), 'us-east-1')).toStrictEqual({ prices: GLOBAL, basis: 'global', note: 'global cross-Region profile global.acme.test-1: global price' });
  });

  it('regional price and note for a geo profile', () => {
    expect(applicablePrices(resolved(model(), 'eu.acme.test-1'), 'eu-west-1')).toStrictEqual({
      prices: REGIONAL,
      basis: 'regional',
      note: 'geo profile eu.acme.test-1: regional price (about 10% above global)',
    });
  });

  it('the single list price, even for a geo profile or a model that lists a regional price', () => {
    const single = model({ pricingBasis: 'single' });
    const listed = { prices: GLOBAL, basis: 'list', note: 'single list price (us-east-1 unless noted)' };
    expect(applicablePrices(resolved(single, 'us.acme.test-1'), 'us-east-1')).toStrictEqual(listed);
    expect(applicablePrices(resolved(single), 'us-east-1')).toStrictEqual(listed);
    // A global model without a regional price (the card's schema refuses one) falls back to its list price too.
    expect(applicablePrices(resolved(model({ regionalPricing: undefined }), 'us.acme.test-1'), 'us-east-1')).toMatchObject(listed);
  });

  it('a single list price is caveated outside us-east-1, us-east-2 and us-west-2; a global one is not', () => {
    const single = resolved(model({ pricingBasis: 'single', regionalPricing: undefined }));
    for (const region of ['us-east-1', 'us-east-2', 'us-west-2']) expect(applicablePrices(single, region).note).toBe('single list price (us-east-1 unless noted)');
    expect(applicablePrices(single, 'eu-central-1').note).toBe(
      "single list price (us-east-1 unless noted); eu-central-1 may cost more than the us-east-1 list price (see the rate card's regionalRules)",
    );
    expect(applicablePrices(single, 'us-west-1').note).toMatch(/; us-west-1 may cost more/);
    expect(applicablePrices(resolved(model()), 'ap-southeast-2').note).toBe('global cross-Region profile global.acme.test-1: global price');
  });

  it('GovCloud is named for any model, by its prefix', () => {
    const gov = '; us-gov-west-1 is GovCloud, priced about 1.2x commercial for some models and not in the rate card';
    expect(applicablePrices(resolved(model({ pricingBasis: 'single', regionalPricing: undefined })), 'us-gov-west-1').note).toBe(`single list price (us-east-1 unless noted)${gov}`);
    expect(applicablePrices(resolved(model(), 'us.acme.test-1'), 'us-gov-west-1').note).toBe(`geo profile us.acme.test-1: regional price (about 10% above global)${gov}`);
    expect(applicablePrices(resolved(model()), 'eu-west-1-us-gov-').note).toBe('global cross-Region profile global.acme.test-1: global price');
  });

  it('long-context prices apply above the threshold only, to the basis that applies, with the reason in the note', () => {
    const lc = { appliesAbove: 1_000, pricing: LONG, regionalPricing: LONG_REGIONAL, note: 'listed' };
    const m = model({ longContextPricing: lc });
    const tier = (n: number) => `; long-context rates: ${n} input tokens a request is above 1000, so the whole request is billed at them (listed)`;
    expect(applicablePrices(resolved(m), 'us-east-1')).toMatchObject({ prices: GLOBAL, basis: 'global' });
    expect(applicablePrices(resolved(m), 'us-east-1', 1_000)).toStrictEqual({ prices: GLOBAL, basis: 'global', note: 'global cross-Region profile global.acme.test-1: global price' });
    expect(applicablePrices(resolved(m), 'us-east-1', 1_001)).toStrictEqual({ prices: LONG, basis: 'global', note: `global cross-Region profile global.acme.test-1: global price${tier(1_001)}` });
    expect(applicablePrices(resolved(m, 'us.acme.test-1'), 'us-east-1', 1_001)).toStrictEqual({
      prices: LONG_REGIONAL,
      basis: 'regional',
      note: `geo profile us.acme.test-1: regional price (about 10% above global)${tier(1_001)}`,
    });
    expect(applicablePrices(resolved(m, 'us.acme.test-1'), 'us-east-1', 1_000)).toMatchObject({ prices: REGIONAL, basis: 'regional' });
  });

  it('a geo profile with no regional long-context price gets the global one, and the note says so', () => {
    const m = model({ longContextPricing: { appliesAbove: 1_000, pricing: LONG, note: 'listed' } });
    expect(applicablePrices(resolved(m, 'us.acme.test-1'), 'us-east-1', 2_000)).toStrictEqual({
      prices: LONG,
      basis: 'regional',
      note:
        'geo profile us.acme.test-1: regional price (about 10% above global); long-context rates: 2000 input tokens a request is above 1000, so the whole request is billed at them (listed); ' +
        'no regional long-context price is listed, so the global one is used (the geo profile may cost about 10% more)',
    });
    const single = model({ pricingBasis: 'single', regionalPricing: undefined, longContextPricing: { appliesAbove: 1_000, pricing: LONG, note: 'listed' } });
    expect(applicablePrices(resolved(single), 'us-east-1', 2_000)).toStrictEqual({
      prices: LONG,
      basis: 'list',
      note: 'single list price (us-east-1 unless noted); long-context rates: 2000 input tokens a request is above 1000, so the whole request is billed at them (listed)',
    });
  });

  it('a model without long-context prices keeps its price however long the request', () => {
    expect(applicablePrices(resolved(model()), 'us-east-1', 5_000_000).prices).toBe(GLOBAL);
  });
});

describe('sameClassAlternatives and activeModels, exactly', () => {
  it('an alternative is another active text model of the same family, class and kind, not of low confidence', () => {
    const now = new Date('2026-12-01T12:00:00Z');
    const base = model({ modelId: 'acme.base' });
    const card = cardOf(
      base,
      model({ modelId: 'acme.same' }),
      model({ modelId: 'acme.medium', confidence: 'medium' }),
      model({ modelId: 'acme.other-family', family: 'other' }),
      model({ modelId: 'acme.other-class', class: 'frontier' }),
      model({ modelId: 'acme.embedding', kind: 'embedding' }),
      model({ modelId: 'acme.low', confidence: 'low' }),
      model({ modelId: 'acme.legacy', status: 'legacy' }),
      model({ modelId: 'acme.preview', status: 'preview' }),
      model({ modelId: 'acme.past-eol', status: 'active', eolDate: '2026-12-01' }),
      model({ modelId: 'acme.later-eol', status: 'active', eolDate: '2026-12-02' }),
    );
    expect(sameClassAlternatives(base, now, card).map((m) => m.modelId)).toEqual(['acme.same', 'acme.medium', 'acme.later-eol']);
    expect(activeModels(now, card).map((m) => m.modelId)).toEqual([
      'acme.base',
      'acme.same',
      'acme.medium',
      'acme.other-family',
      'acme.other-class',
      'acme.embedding',
      'acme.low',
      'acme.later-eol',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import rawCard from '../../data/rate-card.json' with { type: 'json' };
import {
  applicablePrices,
  findModel,
  lifecycleAt,
  rateCard,
  resolveModel,
  sameClassAlternatives,
  UnknownModelError,
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

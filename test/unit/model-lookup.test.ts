// Looking models up by id without any data (functions/core/model-lookup.ts): which model an id names, what an unknown
// id reports and suggests, and when a request does not fit a model's context window. Models are built in each test.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../functions/core/errors.ts';
import { contextWindowProblem, findIn, otherProfileIds, suggestModelIds, UnknownModelError } from '../../functions/core/model-lookup.ts';

describe('UnknownModelError', () => {
  it('names the id and the closest known ones, as a field problem of the field it came from', () => {
    const error = new UnknownModelError('acme.bgi', ['acme.big', 'acme.mid'], 'workload.models[2].modelId');
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toBe('unknown Bedrock model id "acme.bgi"; did you mean "acme.big", "acme.mid"?');
    expect(error.modelId).toBe('acme.bgi');
    expect(error.suggestions).toEqual(['acme.big', 'acme.mid']);
    expect(error.field).toBe('workload.models[2].modelId');
    const problem = { field: 'workload.models[2].modelId', rule: 'must be a Bedrock model id from the rate card; closest known ids: acme.big, acme.mid' };
    expect(error.problems).toEqual([problem]);
    expect(error.toFieldProblem()).toEqual(problem);
  });

  it('without suggestions: no question and no hint; the field is modelId unless given', () => {
    const error = new UnknownModelError('gpt-x', []);
    expect(error.message).toBe('unknown Bedrock model id "gpt-x"');
    expect(error.field).toBe('modelId');
    expect(error.problems).toEqual([{ field: 'modelId', rule: 'must be a Bedrock model id from the rate card' }]);
    expect(error.toFieldProblem()).toEqual({ field: 'modelId', rule: 'must be a Bedrock model id from the rate card' });
  });
});

describe('findIn', () => {
  const models = () => [
    { modelId: 'acme.big', inferenceProfiles: ['global.acme.big', 'us.acme.big', 'acme-profile.big'] },
    { modelId: 'acme.mid', otherProfileIds: ['acme-profile.mid'] },
    { modelId: 'eu.lookalike' },
    { modelId: 'acme.mid', inferenceProfiles: [] },
  ];

  it('finds a model by its id, trimmed, or a global/geo profile of it', () => {
    const m = models();
    for (const id of ['acme.big', ' acme.big\n', 'global.acme.big', 'us.acme.big', 'apac.acme.big']) expect(findIn(m, id), id).toBe(m[0]);
    expect(findIn(m, 'eu.acme.mid')).toBe(m[1]);
  });

  it('finds a profile id no prefix leads back from, in the whole card\'s list or a projection\'s', () => {
    const m = models();
    expect(findIn(m, 'acme-profile.big')).toBe(m[0]);
    expect(findIn(m, ' acme-profile.mid ')).toBe(m[1]);
  });

  it('finds an id that only looks like a profile id as itself', () => {
    const m = models();
    expect(findIn(m, 'eu.lookalike')).toBe(m[2]);
    expect(findIn(m, 'lookalike')).toBeUndefined();
  });

  it('the first in card order; nothing for an unknown id', () => {
    const m = models();
    expect(findIn(m, 'acme.mid')).toBe(m[1]);
    expect(findIn(m, 'acme.small')).toBeUndefined();
    expect(findIn(m, 'global.acme-profile.big')).toBeUndefined();
  });
});

describe('otherProfileIds', () => {
  it('keeps the profile ids splitProfile does not lead back to the model, in order', () => {
    const model = { modelId: 'acme.big', inferenceProfiles: ['global.acme.big', 'acme-profile.big', 'us.acme.big', 'eu.acme.other', 'acme.big.v2'] };
    expect(otherProfileIds(model)).toEqual(['acme-profile.big', 'eu.acme.other', 'acme.big.v2']);
    expect(otherProfileIds({ modelId: 'acme.big', inferenceProfiles: [] })).toEqual([]);
  });
});

describe('suggestModelIds', () => {
  const card = () => ({ models: ['acme.big', 'acme.bigger', 'acme.mid', 'acme.bag', 'zeta.big'].map((modelId) => ({ modelId })) });

  it('the closest known id first (the card\'s first of equally close ones), then by edit distance and name, three by default', () => {
    // acme.big and acme.bag are both 2 edits from acme.bgi: the card lists acme.big first.
    expect(suggestModelIds('acme.bgi', card())).toEqual(['acme.big', 'acme.bag', 'acme.mid']);
    // acme.bigger and acme.bag are both 2 edits from acme.bigg: by name after the closest.
    expect(suggestModelIds('acme.bigg', card())).toEqual(['acme.big', 'acme.bag', 'acme.bigger']);
  });

  it('compares the base id: the profile prefix and spaces are not part of the typo', () => {
    expect(suggestModelIds(' global.zeta.bgi ', card(), 1)).toEqual(['zeta.big']);
    expect(suggestModelIds('us.acme.mdi', card(), 2)).toEqual(['acme.mid', 'acme.bag']);
    // Untrimmed, ' us.acme.mdi' would keep its prefix and be closer to an id that starts with it.
    expect(suggestModelIds(' us.acme.mdi', { models: [{ modelId: 'acme.mid' }, { modelId: 'us.acme.mx' }] }, 1)).toEqual(['acme.mid']);
  });

  it('as many as asked, at most the card\'s', () => {
    expect(suggestModelIds('acme.big', card(), 5)).toEqual(['acme.big', 'acme.bag', 'acme.mid', 'acme.bigger', 'zeta.big']);
    expect(suggestModelIds('acme.big', card(), 9)).toHaveLength(5);
    expect(suggestModelIds('acme.big', { models: [{ modelId: 'one.model' }] })).toEqual(['one.model']);
  });
});

describe('contextWindowProblem', () => {
  const text = { name: 'Acme Big', kind: 'text' as const, contextWindow: 1000 };
  const embedding = { name: 'Acme Embed', kind: 'embedding' as const, contextWindow: 512 };

  it('a text model: input and output together, up to the window', () => {
    expect(contextWindowProblem(text, { avgInputTokens: 600, avgOutputTokens: 400 })).toBeUndefined();
    expect(contextWindowProblem(text, { avgInputTokens: 600, avgOutputTokens: 401 })).toEqual({
      field: 'workload.avgInputTokens',
      rule: 'must fit the context window of Acme Big (1000 tokens) together with avgOutputTokens',
    });
  });

  it('an embedding model: the input alone, up to the window (it produces no output tokens)', () => {
    expect(contextWindowProblem(embedding, { avgInputTokens: 512, avgOutputTokens: 10_000 })).toBeUndefined();
    expect(contextWindowProblem(embedding, { avgInputTokens: 513, avgOutputTokens: 0 })).toEqual({
      field: 'workload.avgInputTokens',
      rule: 'must fit the context window of Acme Embed (512 tokens)',
    });
  });

  it('no window on the card: nothing to check', () => {
    expect(contextWindowProblem({ name: 'Acme Open', kind: 'text' }, { avgInputTokens: 1e9, avgOutputTokens: 1e9 })).toBeUndefined();
    expect(contextWindowProblem({ name: 'Acme Open', kind: 'embedding' }, { avgInputTokens: 1e9, avgOutputTokens: 0 })).toBeUndefined();
  });
});

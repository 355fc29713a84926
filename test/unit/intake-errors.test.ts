/** Intake's model checks turn an unknown model id into a field problem, and nothing else: any other failure propagates. */
import { describe, expect, it, vi } from 'vitest';
import { worksheetDomainProblems } from '../../functions/core/intake.ts';
import type * as ModelCatalog from '../../functions/core/model-catalog.ts';
import { exampleWorksheet } from '../support/fixtures.ts';

const lookup = vi.hoisted(() => ({ failure: undefined as Error | undefined }));

vi.mock('../../functions/core/model-catalog.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof ModelCatalog>();
  return {
    ...actual,
    resolveCatalogModel: (...args: Parameters<typeof actual.resolveCatalogModel>) => {
      if (lookup.failure) throw lookup.failure;
      return actual.resolveCatalogModel(...args);
    },
  };
});

describe('intake model checks', () => {
  it('rethrows a failure that is not an unknown model id instead of reporting it as a field problem', () => {
    const failure = new Error('model catalog could not be read');
    lookup.failure = failure;
    try {
      let thrown: unknown;
      try {
        worksheetDomainProblems(exampleWorksheet());
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBe(failure);
    } finally {
      lookup.failure = undefined;
    }
  });

  it('still reports an unknown model id as a field problem through the same lookup', () => {
    const w = exampleWorksheet();
    w.workload.models[0]!.modelId = 'nonsense.model';
    expect(worksheetDomainProblems(w).map((p) => p.field)).toEqual(['workload.models[0].modelId']);
  });
});

describe('one model under two routings', () => {
  it('is refused at the second listing, naming the first and the model, with nothing else reported', () => {
    const w = exampleWorksheet();
    w.workload.models = [
      { modelId: 'anthropic.claude-sonnet-4-6', share: 0.3 },
      { modelId: 'anthropic.claude-haiku-4-5-20251001-v1:0', share: 0.4 },
      { modelId: 'global.anthropic.claude-sonnet-4-6', share: 0.2 },
      { modelId: 'us.anthropic.claude-sonnet-4-6', share: 0.1 },
    ];
    expect(worksheetDomainProblems(w)).toEqual([
      { field: 'workload.models[2].modelId', rule: 'names the same model as workload.models[0].modelId (anthropic.claude-sonnet-4-6): list each model once, under the routing it uses' },
      { field: 'workload.models[3].modelId', rule: 'names the same model as workload.models[0].modelId (anthropic.claude-sonnet-4-6): list each model once, under the routing it uses' },
    ]);
  });

  it('distinct models, each under its own routing, are fine', () => {
    const w = exampleWorksheet();
    w.workload.models = [
      { modelId: 'us.anthropic.claude-sonnet-4-6', share: 0.5 },
      { modelId: 'global.anthropic.claude-haiku-4-5-20251001-v1:0', share: 0.5 },
    ];
    expect(worksheetDomainProblems(w)).toEqual([]);
  });
});

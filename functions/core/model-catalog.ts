/**
 * Bedrock model ids, names, kinds and context windows without the prices: data/runtime/model-catalog.json, the
 * projection of the rate card (data/rate-card.json) that intake's model checks (and the revision's) read, and the
 * drafter's model names outside the workflow (the CLI; DraftBriefs names them from its estimate, so it loads neither),
 * so those functions do not load the priced card (issue 11 §1). Made by `npm run gen:runtime-data`, checked by
 * functions/core/data-checks.ts. ./rates.ts looks models up the same way (./model-lookup.ts) in the priced card.
 */
import catalogBr from '../../data/runtime/model-catalog.br.ts';
import type { CatalogModel, ModelCatalog } from '../../schemas/runtime-data.ts';
import { contextWindowProblem, findIn, suggestModelIds, UnknownModelError } from './model-lookup.ts';
import { unpackModelCatalog, type PackedModelCatalog } from './packed-data.ts';
import { inflateJson } from './compressed-data.ts';

export type { CatalogModel, ModelCatalog };
export { contextWindowProblem, UnknownModelError };

/**
 * Checked at build (functions/core/data-checks.ts, run by the unit tests and every synth), trusted at run time;
 * committed packed (./packed-data.ts) and compressed (./compressed-data.ts), inflated and unpacked once at load.
 */
export const modelCatalog: ModelCatalog = /* @__PURE__ */ unpackModelCatalog(/* @__PURE__ */ inflateJson<PackedModelCatalog>(catalogBr));

export function findCatalogModel(id: string, catalog: ModelCatalog = modelCatalog): CatalogModel | undefined {
  return findIn(catalog.models, id);
}

/** Look a model up in the catalog or throw UnknownModelError with the closest known ids. */
export function resolveCatalogModel(id: string, opts: { field?: string } = {}): CatalogModel {
  const model = findCatalogModel(id);
  if (!model) throw new UnknownModelError(id, suggestModelIds(id, modelCatalog), opts.field);
  return model;
}

/** The model's display name, or the id itself when the catalog does not know it. */
export function modelName(modelId: string): string {
  return findCatalogModel(modelId)?.name ?? modelId;
}

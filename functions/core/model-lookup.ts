/**
 * Looking Bedrock models up by id, without any data: the rules the priced rate card (./rates.ts) and the model
 * catalog (./model-catalog.ts) share, so each function loads only the data it reads (issue 11 §1).
 */
import { closest, distance } from 'fastest-levenshtein';
import type { FieldProblem } from '../../schemas/issues.ts';
import type { CatalogModel } from '../../schemas/runtime-data.ts';
import { ValidationError } from './errors.ts';
import { splitProfile } from './model-ids.ts';

/**
 * An unknown model id is a worksheet problem: a ValidationError (so the HTTP layer and the CLI report it as
 * `{ field, rule }` like any other) that also carries the closest known ids.
 */
export class UnknownModelError extends ValidationError {
  constructor(
    readonly modelId: string,
    readonly suggestions: string[],
    /** Where the id came from, e.g. `workload.models[0].modelId`. */
    readonly field = 'modelId',
  ) {
    super([unknownModelProblem(field, suggestions)], `unknown Bedrock model id "${modelId}"${suggestions.length ? `; did you mean ${suggestions.map((s) => `"${s}"`).join(', ')}?` : ''}`);
  }

  toFieldProblem(): FieldProblem {
    return unknownModelProblem(this.field, this.suggestions);
  }
}

function unknownModelProblem(field: string, suggestions: string[]): FieldProblem {
  const hint = suggestions.length ? `; closest known ids: ${suggestions.join(', ')}` : '';
  return { field, rule: `must be a Bedrock model id from the rate card${hint}` };
}

/** Where a model's profile ids are: the whole card lists them all, a projection only those `splitProfile` cannot find. */
export type ProfileIds = { inferenceProfiles?: readonly string[]; otherProfileIds?: readonly string[] };

/**
 * The model an id names (base id, or an inference-profile id with a `global.`/geo prefix), in card order. A profile id
 * whose prefix `splitProfile` strips is found by its base id, so a projection that keeps only the other profile ids
 * finds the same model as the whole card (test/unit/runtime-data.test.ts).
 */
export function findIn<M extends { modelId: string } & ProfileIds>(models: readonly M[], id: string): M | undefined {
  const trimmed = id.trim();
  const { base } = splitProfile(trimmed);
  return models.find(
    (m) => m.modelId === base || m.modelId === trimmed || m.inferenceProfiles?.includes(trimmed) === true || m.otherProfileIds?.includes(trimmed) === true,
  );
}

/** The profile ids of a model that `splitProfile` does not lead back to its id (what a projection keeps). */
export function otherProfileIds(model: { modelId: string; inferenceProfiles: readonly string[] }): string[] {
  return model.inferenceProfiles.filter((p) => splitProfile(p).base !== model.modelId);
}

/** The known ids closest to a typo, by edit distance (closest first, at most `count`). */
export function suggestModelIds(id: string, card: { models: readonly { modelId: string }[] }, count = 3): string[] {
  const { base } = splitProfile(id.trim());
  const ids = card.models.map((m) => m.modelId);
  const best = closest(base, ids);
  const ranked = ids
    .map((candidate) => ({ candidate, d: distance(base, candidate) }))
    .sort((a, b) => a.d - b.d || a.candidate.localeCompare(b.candidate))
    .map((r) => r.candidate);
  return [best, ...ranked.filter((c) => c !== best)].slice(0, count);
}

/**
 * The problem with a request shape that cannot fit `model`'s context window (input + output; an embedding model
 * produces no output tokens), or undefined when it fits or the card gives no window.
 */
export function contextWindowProblem(
  model: Pick<CatalogModel, 'name' | 'kind' | 'contextWindow'>,
  w: { avgInputTokens: number; avgOutputTokens: number },
): FieldProblem | undefined {
  if (model.contextWindow === undefined) return undefined;
  if (model.kind === 'embedding') {
    return w.avgInputTokens > model.contextWindow ? { field: 'workload.avgInputTokens', rule: `must fit the context window of ${model.name} (${model.contextWindow} tokens)` } : undefined;
  }
  return w.avgInputTokens + w.avgOutputTokens > model.contextWindow
    ? { field: 'workload.avgInputTokens', rule: `must fit the context window of ${model.name} (${model.contextWindow} tokens) together with avgOutputTokens` }
    : undefined;
}

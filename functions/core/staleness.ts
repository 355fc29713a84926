/**
 * How old the data under a figure is. Pure, and without schemas or the whole data policy, so the sizing loads only
 * what it reads (issue 11 §1): the moment comes in as `now`, the documents as values; the policy's entries of the
 * files that feed estimates (data/runtime/data-policy.json, projected from data/data-policy.json by
 * `npm run gen:runtime-data`) say per file where its date and sources are, how old it may get and what rests on it.
 * ./data-age.ts adds the whole policy (for `ace-filing data`) and the reading of a stored estimate's data age.
 */
import runtimePolicyJson from '../../data/runtime/data-policy.json' with { type: 'json' };
import type { DataFilePolicy } from '../../schemas/data-policy.ts';
import type { DataAge, DataFileAge, QualifiedFigure } from '../../schemas/estimate.ts';
import type { RuntimeDataPolicy } from '../../schemas/runtime-data.ts';
import type { Warning } from './programs.ts';

export type { DataAge, DataFileAge, RuntimeDataPolicy };

/**
 * What the estimate reads: data/runtime/data-policy.json, the policy's entries of the files that feed estimates,
 * checked at build (functions/core/data-checks.ts), trusted at run time.
 */
export const estimatePolicy = runtimePolicyJson as unknown as RuntimeDataPolicy;

const DAY_MS = 86_400_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;

/** Whole UTC days from `asOf` (YYYY-MM-DD) to `now`; never negative (a file dated ahead of the clock is new). */
export function ageInDays(asOf: string, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(`${asOf.slice(0, 10)}T00:00:00Z`)) / DAY_MS));
}

/** The value at a dotted path (`source.upstream`) of a JSON document, or undefined. */
export function readField(doc: unknown, path: string): unknown {
  let value = doc;
  for (const key of path.split('.')) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

/** One line per source: a string as it is; an object by its id, name (or title) and date (or retrieved). */
export function sourceLines(value: unknown): string[] {
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return items.map((item) => {
    if (typeof item === 'string') return item;
    const o = (item ?? {}) as Record<string, unknown>;
    const label = [o.id, o.name ?? o.title ?? o.document].filter((x) => typeof x === 'string').join(': ');
    const date = o.date ?? o.retrieved;
    return typeof date === 'string' ? `${label} (${date})` : label;
  });
}

/** The age of one data file (`doc` is its parsed JSON; undefined for a file that is not JSON). */
export function fileAge(entry: Omit<DataFilePolicy, 'why'>, doc: unknown, now: Date): DataFileAge {
  const date = entry.dateField ? readField(doc, entry.dateField) : undefined;
  const asOf = typeof date === 'string' && ISO_DATE.test(date) ? date.slice(0, 10) : null;
  const ageDays = asOf === null ? null : ageInDays(asOf, now);
  const maxAgeDays = entry.maxAgeDays ?? null;
  return {
    file: entry.file,
    dataset: entry.dataset,
    asOf,
    ageDays,
    maxAgeDays,
    // A threshold with no readable date is stale: nothing shows the data is recent.
    stale: maxAgeDays !== null && (ageDays === null || ageDays > maxAgeDays),
    sources: entry.sourcesField ? sourceLines(readField(doc, entry.sourcesField)) : [],
    dependsOnIt: entry.dependsOnIt,
  };
}

/** The `dataAge` block of an estimate: every file the policy marks as feeding estimates, aged at `now`. */
export function estimateDataAge(docs: Record<string, unknown>, now: Date, policy: RuntimeDataPolicy = estimatePolicy): DataAge {
  const files = policy.files.filter((f) => f.feedsEstimates).map((f) => fileAge(f, docs[f.file], now));
  return { evaluatedOn: now.toISOString(), policy: `data/data-policy.json as of ${policy.asOf}`, stale: files.some((f) => f.stale), files };
}

/** The same block counted to another moment (a stored estimate viewed later): dates and thresholds stay as stored. */
export function dataAgeAt(block: DataAge, now: Date): DataAge {
  const files = block.files.map((f) => {
    const ageDays = f.asOf === null ? null : ageInDays(f.asOf, now);
    return { ...f, ageDays, stale: f.maxAgeDays !== null && (ageDays === null || ageDays > f.maxAgeDays) };
  });
  return { ...block, evaluatedOn: now.toISOString(), stale: files.some((f) => f.stale), files };
}

/** What a stale file's age means, in one sentence naming the file, its date, its age and the figures resting on it. */
export function staleMessage(f: DataFileAge): string {
  const age = f.asOf === null ? 'carries no date' : `is ${f.ageDays} days old (as of ${f.asOf})`;
  return `${f.file} (${f.dataset}) ${age}, past the ${f.maxAgeDays}-day data policy: ${f.dependsOnIt.join('; ')} rest on it. Re-check its sources before relying on these figures.`;
}

export function staleDataWarnings(age: DataAge): Warning[] {
  return age.files.filter((f) => f.stale).map((f) => ({ code: 'stale-data', message: staleMessage(f) }));
}

/** One figure per stale file: what rests on it, and the file, date and age it rests on. */
export function staleFigures(age: DataAge): QualifiedFigure[] {
  return age.files
    .filter((x) => x.stale)
    .map((x) => ({
      figure: x.dependsOnIt.join('; '),
      basis: 'stale' as const,
      restsOn: `${x.dataset} in ${x.file}${x.asOf ? `, as of ${x.asOf} (${x.ageDays} days old)` : ' (undated)'}, past the ${x.maxAgeDays}-day data policy`,
    }));
}

/**
 * How old the data under a figure is. Pure: the moment comes in as `now`, the documents as values; the policy
 * (`data/data-policy.json`) says per file where its date and sources are, how old it may get and what rests on it.
 */
import rawPolicy from '../../data/data-policy.json' with { type: 'json' };
import runtimePolicyJson from '../../data/runtime/data-policy.json' with { type: 'json' };
import type { DataPolicy, DataFilePolicy } from '../../schemas/data-policy.ts';
import type { RuntimeDataPolicy } from '../../schemas/runtime-data.ts';
import * as z from 'zod/mini';
import { DataAge, QualifiedFigure, type DataFileAge } from '../../schemas/estimate.ts';
import type { Warning } from './programs.ts';

export type { DataAge, DataFileAge, DataPolicy };

/** The whole policy (every data file, with why): what `ace-filing data` reads. Checked at build (data-checks.ts). */
export const dataPolicy = rawPolicy as unknown as DataPolicy;

/**
 * What the estimate reads: data/runtime/data-policy.json, the policy's entries of the files that feed estimates
 * (`npm run gen:runtime-data`), checked at build, trusted at run time.
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

// Built on first use, not at module scope: a function that only sizes never parses a stored estimate (issue 11 §1).
let storedProvenance: z.ZodMiniObject<{ dataAge: typeof DataAge; qualifiedFigures: z.ZodMiniArray<typeof QualifiedFigure> }> | undefined;
const StoredProvenance = () => (storedProvenance ??= z.object({ dataAge: DataAge, qualifiedFigures: z.array(QualifiedFigure) }));

export type EstimateData = { dataAge: DataAge; warnings: Warning[]; qualifiedFigures: QualifiedFigure[] };

/**
 * The data under a stored estimate, aged to `now` (the moment it is viewed): its dataAge re-counted, a warning per
 * stale file, and the figures resting on stale, unverified or assumed data. With `programId`, only the figures of
 * that program's filing and those feeding every filing. Null for an estimate stored before it carried its data age.
 */
export function estimateDataAt(stored: unknown, now: Date, programId?: string): EstimateData | null {
  const parsed = StoredProvenance().safeParse(stored);
  if (!parsed.success) return null;
  const dataAge = dataAgeAt(parsed.data.dataAge, now);
  const kept = parsed.data.qualifiedFigures.filter((q) => q.basis !== 'stale' && (programId === undefined || q.programId === undefined || q.programId === programId));
  return { dataAge, warnings: staleDataWarnings(dataAge), qualifiedFigures: [...staleFigures(dataAge), ...kept] };
}

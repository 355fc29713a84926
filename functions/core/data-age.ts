/**
 * How old the data under a figure is: the pure rules of ./staleness.ts (what the sizing loads), the whole policy
 * (`data/data-policy.json`: every data file, for `ace-filing data`) and the data age of a stored estimate viewed
 * later. The policy says per file where its date and sources are, how old it may get and what rests on it.
 */
import rawPolicy from '../../data/data-policy.json' with { type: 'json' };
import type { DataPolicy } from '../../schemas/data-policy.ts';
import type { DataAge, QualifiedFigure } from '../../schemas/estimate.ts';
import type { Warning } from './programs.ts';
import { dataAgeAt, staleDataWarnings, staleFigures } from './staleness.ts';

export * from './staleness.ts';
export type { DataPolicy };

/** The whole policy (every data file, with why): what `ace-filing data` reads. Checked at build (data-checks.ts). */
export const dataPolicy = rawPolicy as unknown as DataPolicy;

/**
 * The data age and qualified figures of a stored estimate, or null for one stored before it carried them. A cheap
 * shape check, no zod: stored items are validated where they are written (and in tests) and trusted on read, so the
 * views do not build the estimate's schemas at cold start (issue 11 §1).
 */
function storedProvenance(stored: unknown): { dataAge: DataAge; qualifiedFigures: QualifiedFigure[] } | null {
  if (stored === null || typeof stored !== 'object') return null;
  const { dataAge, qualifiedFigures } = stored as { dataAge?: Partial<DataAge> | null; qualifiedFigures?: unknown };
  if (!dataAge || !Array.isArray(dataAge.files) || !Array.isArray(qualifiedFigures)) return null;
  return { dataAge: dataAge as DataAge, qualifiedFigures: qualifiedFigures as QualifiedFigure[] };
}

export type EstimateData = { dataAge: DataAge; warnings: Warning[]; qualifiedFigures: QualifiedFigure[] };

/**
 * The data under a stored estimate, aged to `now` (the moment it is viewed): its dataAge re-counted, a warning per
 * stale file, and the figures resting on stale, unverified or assumed data. With `programId`, only the figures of
 * that program's filing and those feeding every filing. Null for an estimate stored before it carried its data age.
 */
export function estimateDataAt(stored: unknown, now: Date, programId?: string): EstimateData | null {
  const provenance = storedProvenance(stored);
  if (!provenance) return null;
  const dataAge = dataAgeAt(provenance.dataAge, now);
  const kept = provenance.qualifiedFigures.filter((q) => q.basis !== 'stale' && (programId === undefined || q.programId === undefined || q.programId === programId));
  return { dataAge, warnings: staleDataWarnings(dataAge), qualifiedFigures: [...staleFigures(dataAge), ...kept] };
}

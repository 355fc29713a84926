/**
 * How old the data under a figure is: the pure rules of ./staleness.ts (what the sizing loads), the whole policy
 * (`data/data-policy.json`: every data file, for `ace-filing data`) and the data age of a stored estimate viewed
 * later. The policy says per file where its date and sources are, how old it may get and what rests on it.
 */
import rawPolicy from '../../data/data-policy.json' with { type: 'json' };
import type { DataPolicy } from '../../schemas/data-policy.ts';
import * as z from 'zod/mini';
import { DataAge, QualifiedFigure } from '../../schemas/estimate.ts';
import type { Warning } from './programs.ts';
import { dataAgeAt, staleDataWarnings, staleFigures } from './staleness.ts';

export * from './staleness.ts';
export type { DataPolicy };

/** The whole policy (every data file, with why): what `ace-filing data` reads. Checked at build (data-checks.ts). */
export const dataPolicy = rawPolicy as unknown as DataPolicy;

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

/**
 * The data staleness policy (`data/data-policy.json`): for every data file, where its date and sources are, how old
 * it may get (house policy, with the reason), and what rests on it. Read by the estimate (its `dataAge` block) and by
 * `ace-filing data`.
 */
import * as z from 'zod/mini';

const isoDate = z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be a date YYYY-MM-DD'));
const text = () => z.string().check(z.minLength(1, 'is required'));
/** A dotted path into the file's JSON, e.g. `asOf` or `source.upstream`. */
const fieldPath = () => z.string().check(z.regex(/^[A-Za-z]\w*(\.[A-Za-z]\w*)*$/, 'must be a dotted field path like source.upstream'));

export const DataFilePolicy = z
  .strictObject({
    /** Path from the project root. */
    file: text(),
    dataset: text(),
    /** Where the file's own date is; absent for a file that carries none. */
    dateField: z.optional(fieldPath()),
    sourcesField: z.optional(fieldPath()),
    /** Past this many days the figures resting on the file are stale; absent: never called stale. */
    maxAgeDays: z.optional(z.number().check(z.int('must be a whole number'), z.gt(0, 'must be > 0'))),
    why: text(),
    /** True for the files an estimate is computed from: their age is in every estimate's `dataAge`. */
    feedsEstimates: z.boolean(),
    dependsOnIt: z.array(text()).check(z.minLength(1, 'must name what depends on the file')),
  })
  .check(
    z.refine((f) => f.maxAgeDays === undefined || f.dateField !== undefined, {
      message: 'is required when maxAgeDays is set (an age needs a date)',
      path: ['dateField'],
    }),
  );
export type DataFilePolicy = z.infer<typeof DataFilePolicy>;

export const DataPolicy = z
  .strictObject({
    asOf: isoDate,
    note: text(),
    files: z.array(DataFilePolicy).check(z.minLength(1, 'must list at least one file')),
  })
  .check(
    z.refine((p) => new Set(p.files.map((f) => f.file)).size === p.files.length, { message: 'each file may be listed once', path: ['files'] }),
  );
export type DataPolicy = z.infer<typeof DataPolicy>;

/**
 * The staleness rules on their own (functions/core/staleness.ts and data-age.ts): whole UTC days, a data file exactly
 * at and just past its age limit, the warning's words and the figures it names, sources as lines, and the data age of
 * a stored estimate viewed later. Inputs are built inside each test (StrykerJS counts only what a test runs).
 */
import { describe, expect, it } from 'vitest';
import {
  ageInDays,
  dataAgeAt,
  estimateDataAge,
  estimateDataAt,
  estimatePolicy,
  fileAge,
  readField,
  sourceLines,
  staleDataWarnings,
  staleFigures,
  staleMessage,
  type DataAge,
  type DataFileAge,
  type RuntimeDataPolicy,
} from '../../functions/core/data-age.ts';

const entry = (over: Partial<RuntimeDataPolicy['files'][number]> = {}): RuntimeDataPolicy['files'][number] => ({
  file: 'data/prices.json',
  dataset: 'Prices',
  dateField: 'asOf',
  sourcesField: 'sources',
  maxAgeDays: 30,
  feedsEstimates: true,
  dependsOnIt: ['the ask', 'the forecast'],
  ...over,
});

const fileAgeOf = (over: Partial<DataFileAge> = {}): DataFileAge => ({
  file: 'data/prices.json',
  dataset: 'Prices',
  asOf: '2026-01-01',
  ageDays: 31,
  maxAgeDays: 30,
  stale: true,
  sources: [],
  dependsOnIt: ['the ask', 'the forecast'],
  ...over,
});

describe('ageInDays', () => {
  it('counts whole UTC days from midnight of the date, rounding down, never negative', () => {
    expect(ageInDays('2026-01-01', new Date('2026-01-01T00:00:00Z'))).toBe(0);
    expect(ageInDays('2026-01-01', new Date('2026-01-01T23:59:59Z'))).toBe(0);
    expect(ageInDays('2026-01-01', new Date('2026-01-02T00:00:00Z'))).toBe(1);
    expect(ageInDays('2026-01-01', new Date('2026-01-31T12:00:00Z'))).toBe(30);
    // A date ahead of the clock is new, not negative.
    expect(ageInDays('2026-01-10', new Date('2026-01-01T00:00:00Z'))).toBe(0);
    // A full timestamp counts from the midnight of its day, in UTC.
    expect(ageInDays('2026-01-01T20:00:00+05:00', new Date('2026-01-02T01:00:00Z'))).toBe(1);
  });
});

describe('readField', () => {
  it('follows a dotted path through objects and stops at anything else', () => {
    expect(readField({ source: { upstream: '2026-01-01' } }, 'source.upstream')).toBe('2026-01-01');
    expect(readField({ asOf: '2026-01-01' }, 'asOf')).toBe('2026-01-01');
    expect(readField({ source: null }, 'source.upstream')).toBeUndefined();
    expect(readField(null, 'asOf')).toBeUndefined();
    expect(readField(undefined, 'asOf')).toBeUndefined();
    // A string is not walked into: its length is not a field of the document.
    expect(readField({ asOf: 'abc' }, 'asOf.length')).toBeUndefined();
    expect(readField({ 'a.b': 1, a: { b: 2 } }, 'a.b')).toBe(2);
  });
});

describe('sourceLines', () => {
  it('one line per source: strings as they are, objects by id, name or title or document, and date or retrieved', () => {
    expect(sourceLines(undefined)).toEqual([]);
    expect(sourceLines('the price page')).toEqual(['the price page']);
    expect(sourceLines(['a', 'b'])).toEqual(['a', 'b']);
    expect(sourceLines([{ id: 'aws', name: 'Bedrock pricing', date: '2026-01-02' }])).toEqual(['aws: Bedrock pricing (2026-01-02)']);
    expect(sourceLines({ id: 'aws', title: 'Pricing page', retrieved: '2026-01-03' })).toEqual(['aws: Pricing page (2026-01-03)']);
    expect(sourceLines({ document: 'Program guide' })).toEqual(['Program guide']);
    expect(sourceLines({ id: 'x', name: 'N', title: 'T' })).toEqual(['x: N']);
    expect(sourceLines({ id: 'x', date: '2026-01-01', retrieved: '2026-02-02' })).toEqual(['x (2026-01-01)']);
    expect(sourceLines({ id: 7, name: 'Only the name', date: 20260101 })).toEqual(['Only the name']);
    expect(sourceLines([null])).toEqual(['']);
  });
});

describe('fileAge: a data file exactly at and just past its age limit', () => {
  it('at its limit it is not stale; one day past it is, with its date, age, limit, sources and dependants', () => {
    const now = new Date('2026-01-31T12:00:00Z');
    const doc = (asOf: unknown) => ({ asOf, sources: [{ id: 'aws', name: 'Pricing', date: '2025-12-30' }] });
    expect(fileAge(entry(), doc('2026-01-01'), now)).toEqual({
      file: 'data/prices.json',
      dataset: 'Prices',
      asOf: '2026-01-01',
      ageDays: 30,
      maxAgeDays: 30,
      stale: false,
      sources: ['aws: Pricing (2025-12-30)'],
      dependsOnIt: ['the ask', 'the forecast'],
    });
    expect(fileAge(entry(), doc('2025-12-31'), now)).toMatchObject({ asOf: '2025-12-31', ageDays: 31, maxAgeDays: 30, stale: true });
  });

  it('a file with a limit but no readable date is stale; without a limit nothing is stale', () => {
    const now = new Date('2026-01-31T12:00:00Z');
    expect(fileAge(entry(), { asOf: 'January' }, now)).toMatchObject({ asOf: null, ageDays: null, stale: true });
    expect(fileAge(entry(), { asOf: 'x2026-01-01' }, now)).toMatchObject({ asOf: null, ageDays: null, stale: true });
    expect(fileAge(entry(), { asOf: 20260101 }, now)).toMatchObject({ asOf: null, stale: true });
    // Only a string is a date: a list holding one is not read as one.
    expect(fileAge(entry(), { asOf: ['2026-01-20'] }, now)).toMatchObject({ asOf: null, ageDays: null, stale: true });
    expect(fileAge(entry(), undefined, now)).toMatchObject({ asOf: null, ageDays: null, stale: true, sources: [] });
    expect(fileAge(entry({ dateField: undefined, maxAgeDays: undefined }), { asOf: '2026-01-01' }, now)).toMatchObject({ asOf: null, ageDays: null, maxAgeDays: null, stale: false });
    expect(fileAge(entry({ maxAgeDays: undefined }), { asOf: '2020-01-01' }, now)).toMatchObject({ ageDays: 2222, maxAgeDays: null, stale: false });
    // A timestamp keeps only its date.
    expect(fileAge(entry(), { asOf: '2026-01-20T10:00:00Z' }, now)).toMatchObject({ asOf: '2026-01-20', ageDays: 11, stale: false });
    // Sources come only from where the policy says.
    expect(fileAge(entry({ sourcesField: undefined }), { asOf: '2026-01-20', sources: ['s'] }, now).sources).toEqual([]);
  });
});

describe('estimateDataAge and dataAgeAt', () => {
  it('ages only the files that feed estimates, names the policy and is stale when one file is', () => {
    const now = new Date('2026-01-31T12:00:00Z');
    const policy: RuntimeDataPolicy = {
      asOf: '2026-01-15',
      files: [entry(), entry({ file: 'data/rules.json', dataset: 'Rules', maxAgeDays: 60 }), entry({ file: 'data/other.json', feedsEstimates: false })],
    };
    const fresh = estimateDataAge({ 'data/prices.json': { asOf: '2026-01-01' }, 'data/rules.json': { asOf: '2025-12-02' } }, now, policy);
    expect(fresh.evaluatedOn).toBe('2026-01-31T12:00:00.000Z');
    expect(fresh.policy).toBe('data/data-policy.json as of 2026-01-15');
    expect(fresh.files.map((f) => [f.file, f.ageDays, f.stale])).toEqual([
      ['data/prices.json', 30, false],
      ['data/rules.json', 60, false],
    ]);
    expect(fresh.stale).toBe(false);
    const old = estimateDataAge({ 'data/prices.json': { asOf: '2026-01-01' }, 'data/rules.json': { asOf: '2025-12-01' } }, now, policy);
    expect(old.files.map((f) => f.stale)).toEqual([false, true]);
    expect(old.stale).toBe(true);
  });

  it('with no policy given, reads the runtime policy of the files that feed estimates', () => {
    const now = new Date('2026-01-31T12:00:00Z');
    const age = estimateDataAge({}, now);
    expect(age.policy).toBe(`data/data-policy.json as of ${estimatePolicy.asOf}`);
    expect(age.files.map((f) => f.file)).toEqual(estimatePolicy.files.filter((f) => f.feedsEstimates).map((f) => f.file));
    expect(age.files.length).toBeGreaterThan(0);
  });

  it('a stored block viewed later is re-counted: at its limit it is fresh, a day later stale; an undated file stays stale', () => {
    const block: DataAge = {
      evaluatedOn: '2026-01-01T00:00:00.000Z',
      policy: 'data/data-policy.json as of 2025-12-01',
      stale: false,
      files: [fileAgeOf({ asOf: '2026-01-01', ageDays: 0, stale: false }), fileAgeOf({ file: 'data/free.json', asOf: '2020-01-01', ageDays: 0, maxAgeDays: null, stale: false })],
    };
    const atLimit = dataAgeAt(block, new Date('2026-01-31T23:00:00Z'));
    expect(atLimit).toEqual({
      ...block,
      evaluatedOn: '2026-01-31T23:00:00.000Z',
      stale: false,
      files: [
        { ...block.files[0], ageDays: 30, stale: false },
        { ...block.files[1], ageDays: 2222, stale: false },
      ],
    });
    const past = dataAgeAt(block, new Date('2026-02-01T00:00:00Z'));
    expect(past.files.map((f) => [f.ageDays, f.stale])).toEqual([[31, true], [2223, false]]);
    expect(past.stale).toBe(true);
    const undated = dataAgeAt({ ...block, files: [fileAgeOf({ asOf: null, ageDays: null, stale: false })] }, new Date('2026-01-02T00:00:00Z'));
    expect(undated.files[0]).toMatchObject({ ageDays: null, stale: true });
    expect(undated.stale).toBe(true);
  });
});

describe('the warning and the stale figures', () => {
  it('names the file, its dataset, date, age, limit and what rests on it', () => {
    expect(staleMessage(fileAgeOf())).toBe(
      'data/prices.json (Prices) is 31 days old (as of 2026-01-01), past the 30-day data policy: the ask; the forecast rest on it. Re-check its sources before relying on these figures.',
    );
    expect(staleMessage(fileAgeOf({ asOf: null, ageDays: null }))).toBe(
      'data/prices.json (Prices) carries no date, past the 30-day data policy: the ask; the forecast rest on it. Re-check its sources before relying on these figures.',
    );
  });

  it('one warning and one figure per stale file, none for a fresh one', () => {
    const age: DataAge = {
      evaluatedOn: '2026-02-01T00:00:00.000Z',
      policy: 'p',
      stale: true,
      files: [fileAgeOf(), fileAgeOf({ file: 'data/fresh.json', ageDays: 3, stale: false }), fileAgeOf({ file: 'data/rules.json', dataset: 'Rules', asOf: null, ageDays: null, maxAgeDays: 60, dependsOnIt: ['eligibility'] })],
    };
    expect(staleDataWarnings(age)).toEqual([
      { code: 'stale-data', message: staleMessage(age.files[0] as DataFileAge) },
      { code: 'stale-data', message: staleMessage(age.files[2] as DataFileAge) },
    ]);
    expect(staleFigures(age)).toEqual([
      { figure: 'the ask; the forecast', basis: 'stale', restsOn: 'Prices in data/prices.json, as of 2026-01-01 (31 days old), past the 30-day data policy' },
      { figure: 'eligibility', basis: 'stale', restsOn: 'Rules in data/rules.json (undated), past the 60-day data policy' },
    ]);
  });
});

describe('estimateDataAt: a stored estimate viewed later', () => {
  const stored = () => ({
    dataAge: {
      evaluatedOn: '2026-01-01T00:00:00.000Z',
      policy: 'p',
      stale: false,
      files: [fileAgeOf({ asOf: '2026-01-01', ageDays: 0, stale: false })],
    },
    qualifiedFigures: [
      { figure: 'old stale figure', basis: 'stale', restsOn: 'then' },
      { figure: 'everyone', basis: 'assumed', restsOn: 'a' },
      { figure: 'mine', basis: 'unverified', restsOn: 'b', programId: 'p-one' },
      { figure: 'theirs', basis: 'unverified', restsOn: 'c', programId: 'p-two' },
    ],
  });

  it('returns null for anything stored before it carried its data age', () => {
    const now = new Date('2026-01-02T00:00:00Z');
    expect(estimateDataAt(null, now)).toBeNull();
    expect(estimateDataAt(undefined, now)).toBeNull();
    expect(estimateDataAt('estimate', now)).toBeNull();
    expect(estimateDataAt({}, now)).toBeNull();
    expect(estimateDataAt({ ...stored(), dataAge: null }, now)).toBeNull();
    expect(estimateDataAt({ ...stored(), dataAge: 'old' }, now)).toBeNull();
    expect(estimateDataAt({ ...stored(), dataAge: { ...stored().dataAge, files: 'x' } }, now)).toBeNull();
    expect(estimateDataAt({ ...stored(), qualifiedFigures: undefined }, now)).toBeNull();
    expect(estimateDataAt({ ...stored(), qualifiedFigures: {} }, now)).toBeNull();
  });

  it('fresh: no warning, stored stale figures dropped, the others kept', () => {
    const fresh = estimateDataAt(stored(), new Date('2026-01-31T00:00:00Z'));
    expect(fresh?.dataAge).toMatchObject({ evaluatedOn: '2026-01-31T00:00:00.000Z', stale: false });
    expect(fresh?.warnings).toEqual([]);
    expect(fresh?.qualifiedFigures.map((q) => q.figure)).toEqual(['everyone', 'mine', 'theirs']);
  });

  it('past its limit: the warning and the stale figure come first; a program keeps its own figures and the shared ones', () => {
    const late = estimateDataAt(stored(), new Date('2026-02-01T00:00:00Z'), 'p-one');
    expect(late?.dataAge.stale).toBe(true);
    expect(late?.warnings).toEqual([{ code: 'stale-data', message: expect.stringContaining('is 31 days old (as of 2026-01-01), past the 30-day data policy') }]);
    expect(late?.qualifiedFigures.map((q) => [q.figure, q.basis])).toEqual([
      ['the ask; the forecast', 'stale'],
      ['everyone', 'assumed'],
      ['mine', 'unverified'],
    ]);
  });
});

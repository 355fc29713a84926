/**
 * The pipeline counters' roll-up of closed days into month-to-date items against dynalite
 * (functions/adapters/dynamo/pipeline-stats.ts): the same counts and window figures before and after, far fewer items
 * read, and exactly once under repeated, concurrent and interrupted roll-ups and under transitions that arrive late for
 * a day already rolled up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { countTransitions } from '../../functions/adapters/dynamo/applications.ts';
import { projectTransitions } from '../../functions/adapters/dynamo/pipeline-projection.ts';
import { type PipelineTable, readPipelineCounters, rollUpPipelineDays } from '../../functions/adapters/dynamo/pipeline-stats.ts';
import { currentCounts, windowFigures } from '../../functions/core/operations/pipeline.ts';
import { APPLICATION_STATUSES, type Application, type ApplicationStatus, type Transition } from '../../schemas/application.ts';
import { startDynalite, type TestTable } from '../support/dynalite.ts';
import { applicationThrough } from '../support/timeline.ts';

let table: TestTable;
let send: (command: UpdateCommand) => Promise<unknown>;

beforeAll(async () => {
  table = await startDynalite('rollup');
  process.env.AWS_ENDPOINT_URL_DYNAMODB = table.endpoint;
  const { documentClient } = await import('../../functions/adapters/dynamo/client.ts');
  send = (command) => documentClient.send(command);
});
afterAll(async () => table?.stop());

const NOW = new Date('2026-12-03T08:00:00Z');

const timeline = (steps: Array<[ApplicationStatus, string]>): Application => applicationThrough(steps, 'app_rollup');

/** The counters' table, and the clock their projections run at. */
type Counters = PipelineTable & { now: Date };
const project = (at: Counters, app: Application, transitions: readonly Transition[]) => projectTransitions(at.tableName, app, transitions, at.now);

const counts = async (stats: PipelineTable) => {
  const read = await readPipelineCounters(stats);
  return currentCounts([...read.months.map((m) => m.counters), ...read.days.map((d) => d.counters)], APPLICATION_STATUSES);
};

describe('roll-up of the pipeline counters into month items', () => {
  const stats = (): Counters => ({ tableName: table.tableName, now: NOW });
  const apps: Application[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 12; i += 1) {
      const month = ['2026-09', '2026-10', '2026-11', '2026-12'][i % 4]!;
      apps.push(timeline([['submitted', `${month}-0${1 + (i % 2)}T10:00:00Z`], ['sized', `${month}-0${1 + (i % 2)}T11:00:00Z`], ['drafted', `${month}-0${3 + (i % 2)}T09:00:00Z`]]));
    }
    for (const app of apps) await project(stats(), app, app.transitions);
  });

  it('gives the same counts and window figures, from days rolled in order once over for two days, reading far fewer items', async () => {
    const before = await counts(stats());
    const readBefore = await readPipelineCounters(stats());
    const windowBefore = windowFigures(readBefore.days.filter((d) => d.day >= '2026-10-01').map((d) => d.counters), APPLICATION_STATUSES, []);
    expect(before).toMatchObject({ drafted: 12, submitted: 0, sized: 0 });
    expect(readBefore.months).toEqual([]);

    // Every calendar day from the first one with counters, up to three days back (the day itself and two days' grace).
    const first = await rollUpPipelineDays(stats(), new Date('2026-12-02T12:00:00Z'));
    expect([first[0], first.at(-1), first.length]).toEqual(['2026-09-01', '2026-11-29', 90]);
    expect(await rollUpPipelineDays(stats(), NOW)).toEqual(['2026-11-30']);
    expect(await rollUpPipelineDays(stats(), NOW)).toEqual([]);

    const after = await readPipelineCounters(stats());
    expect(after.months.map((m) => m.month)).toEqual(['2026-09', '2026-10', '2026-11']);
    expect(after.days.every((d) => d.day >= '2026-12-01')).toBe(true);
    expect(after.days.length + after.months.length).toBeLessThan(readBefore.days.length);
    expect(await counts(stats())).toEqual(before);
    const windowAfter = windowFigures([...after.months.filter((m) => m.month >= '2026-10').map((m) => m.counters), ...after.days.map((d) => d.counters)], APPLICATION_STATUSES, []);
    expect(windowAfter).toEqual(windowBefore);
  });

  it('a repeated or concurrent projection of rolled transitions counts nothing; a transition arriving late for a rolled day counts once, in its month', async () => {
    const before = await counts(stats());
    expect(await project(stats(), apps[0]!, apps[0]!.transitions)).toBe(0);
    const late = timeline([['submitted', '2026-10-20T10:00:00Z'], ['sized', '2026-10-20T10:30:00Z']]);
    const counted = await Promise.all(Array.from({ length: 4 }, () => project(stats(), late, late.transitions)));
    expect(counted.reduce((a, b) => a + b, 0)).toBe(2);
    expect(await project(stats(), late, late.transitions)).toBe(0);
    expect(await counts(stats())).toEqual({ ...before, sized: before.sized! + 1 });
    const october = (await readPipelineCounters(stats())).months.find((m) => m.month === '2026-10')!;
    expect(october.counters['conv#submitted']).toBe(4);
  });

  it('an interrupted roll-up (days stamped, month not written) holds late transitions back, then finishes exactly once', async () => {
    const app = timeline([['submitted', '2026-12-01T10:00:00Z'], ['sized', '2026-12-01T11:00:00Z']]);
    await project(stats(), app, app.transitions);
    const in2027 = (): Counters => ({ tableName: table.tableName, now: new Date('2027-01-10T00:00:00Z') });
    const before = await counts(in2027());
    // A crash after stamping December's first days: a late transition of a stamped day is held back (retried later).
    for (const day of ['2026-12-01', '2026-12-02']) {
      await send(new UpdateCommand({ TableName: table.tableName, Key: { pk: 'STATS', sk: `DAY#${day}` }, UpdateExpression: 'SET rolledInto = :m', ExpressionAttributeValues: { ':m': '2026-12' } }));
    }
    const late = timeline([['submitted', '2026-12-02T09:00:00Z']]);
    await expect(project(in2027(), late, late.transitions)).rejects.toMatchObject({ name: 'TransientError' });
    // The roll-up runs again (twice at once): December once.
    const runs = await Promise.all([rollUpPipelineDays(in2027(), new Date('2027-01-10T00:00:00Z')), rollUpPipelineDays(in2027(), new Date('2027-01-10T00:00:00Z'))]);
    expect(runs.flat()).toContain('2026-12-02');
    expect(await counts(in2027())).toEqual(before);
    // The held-back transition is counted by its re-projection, once.
    expect(await project(in2027(), late, late.transitions)).toBe(1);
    expect(await project(in2027(), late, late.transitions)).toBe(0);
    expect(await counts(in2027())).toEqual({ ...before, submitted: before.submitted! + 1 });
    const read = await readPipelineCounters(in2027());
    expect(read.months.map((m) => m.month)).toEqual(['2026-09', '2026-10', '2026-11', '2026-12', '2027-01']);
    expect(read.days).toEqual([]);
  });
});

describe("counting through the repository (countTransitions) tells the time by the caller's clock", () => {
  it('a late transition of a day the clock says is rolled up counts in its month, even when the machine is years behind that clock', async () => {
    // A day and its month rolled up (the stamp, then the month taking the day), far ahead of the machine's own time.
    const day = '2099-03-01';
    await send(new UpdateCommand({ TableName: table.tableName, Key: { pk: 'STATS', sk: `DAY#${day}` }, UpdateExpression: 'SET rolledInto = :m', ExpressionAttributeValues: { ':m': '2099-03' } }));
    await send(new UpdateCommand({ TableName: table.tableName, Key: { pk: 'STATS', sk: 'MONTH#2099-03' }, UpdateExpression: 'ADD rolledDays :d', ExpressionAttributeValues: { ':d': new Set([day]) } }));
    const late = timeline([['submitted', `${day}T09:00:00Z`]]);
    // The injected clock (a test's, or the local runtime's moved one) is ten days on: the day may be rolled, so the
    // refused day write is a late transition, counted in March. By the machine's time it would look like a repeat.
    await countTransitions(table, late, late.transitions, new Date('2099-03-11T00:00:00Z'));
    const march = (await readPipelineCounters({ tableName: table.tableName })).months.find((m) => m.month === '2099-03');
    expect(march?.counters['conv#submitted']).toBe(1);
  });
});

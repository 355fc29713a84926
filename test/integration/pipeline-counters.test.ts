/**
 * The pipeline counters' DynamoDB adapters against dynalite, each case on a table of its own and built inside it
 * (functions/adapters/dynamo/pipeline-projection.ts and pipeline-stats.ts): what a projection stores on its day item,
 * when a transition of a stamped day counts in its month, is a repeat or is held back, where the roll-up starts and
 * stops and what it writes, what the readers return, and what the business-metric claim emits and records. The
 * journeys of the same code (exactly once under retries, crashes and concurrency) are pipeline-stats.test.ts and
 * pipeline-rollup.test.ts; these run in the mutate suite (vitest.mutate.config.ts), so StrykerJS sees them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type * as Projection from '../../functions/adapters/dynamo/pipeline-projection.ts';
import type * as Stats from '../../functions/adapters/dynamo/pipeline-stats.ts';
import type * as Client from '../../functions/adapters/dynamo/client.ts';
import { counterDelta } from '../../functions/core/operations/pipeline.ts';
import type { Application, ApplicationStatus, Transition } from '../../schemas/application.ts';
import { failBefore, throttled } from '../support/dynamo-failures.ts';
import { startDynalite, type TestTable } from '../support/dynalite.ts';
import { applicationThrough } from '../support/timeline.ts';

let server: TestTable;
let projection: typeof Projection;
let stats: typeof Stats;
let client: typeof Client;

beforeAll(async () => {
  server = await startDynalite('pipeline-counters');
  process.env.AWS_ENDPOINT_URL_DYNAMODB = server.endpoint;
  projection = await import('../../functions/adapters/dynamo/pipeline-projection.ts');
  stats = await import('../../functions/adapters/dynamo/pipeline-stats.ts');
  client = await import('../../functions/adapters/dynamo/client.ts');
});
afterAll(async () => server?.stop());

let tables = 0;
/** A table of the case's own (the counters live in one partition, so cases on one table would see each other). */
async function freshTable(): Promise<string> {
  const tableName = `counters-${(tables += 1)}`;
  const ddb = new DynamoDBClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await ddb.send(new CreateTableCommand({
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
  }));
  ddb.destroy();
  return tableName;
}


const timeline = (steps: Array<[ApplicationStatus, string]>): Application => applicationThrough(steps, 'app_counters');

const get = async (tableName: string, sk: string) => (await client.documentClient.send(new GetCommand({ TableName: tableName, Key: { pk: 'STATS', sk } }))).Item;
const stamp = (tableName: string, day: string) => client.documentClient.send(new UpdateCommand({ TableName: tableName, Key: { pk: 'STATS', sk: `DAY#${day}` }, UpdateExpression: 'SET rolledInto = :m', ExpressionAttributeValues: { ':m': day.slice(0, 7) } }));
const monthTakes = (tableName: string, day: string) => client.documentClient.send(new UpdateCommand({ TableName: tableName, Key: { pk: 'STATS', sk: `MONTH#${day.slice(0, 7)}` }, UpdateExpression: 'ADD rolledDays :d', ExpressionAttributeValues: { ':d': new Set([day]) } }));
const keyOf = (app: Application, t: Transition) => `${app.id}#v${t.version}`;
const DAY_MS = 86_400_000;

describe('countersOf and addExpression', () => {
  it('counters are the numeric attributes of an item, zero included; keys, sets, stamps and JSON strings are not', () => {
    const item = { pk: 'STATS', sk: 'DAY#2026-05-10', seen: new Set(['a#v1']), rolledInto: '2026-05', emittedMetrics: '{"RecordsFiled":1}', 'in#sized': 2, 'out#submitted': 0 };
    expect(projection.countersOf(item)).toEqual({ 'in#sized': 2, 'out#submitted': 0 });
  });

  it('ADD clauses number their placeholders in order', () => {
    expect(projection.addExpression({ 'in#sized': 1, 'usd#asked': 150050 })).toEqual({
      adds: ['#a0 :a0', '#a1 :a1'],
      names: { '#a0': 'in#sized', '#a1': 'usd#asked' },
      values: { ':a0': 1, ':a1': 150050 },
    });
    expect(projection.addExpression({})).toEqual({ adds: [], names: {}, values: {} });
  });
});

describe('projectTransitions', () => {
  it("stores each transition's counters on its UTC day with its key in `seen`, once: a repeat counts 0 and changes nothing", async () => {
    const tableName = await freshTable();
    const app = timeline([['submitted', '2026-05-10T23:30:00Z'], ['sized', '2026-05-11T00:30:00Z']]);
    const [t1, t2] = app.transitions;
    const now = new Date('2026-05-11T01:00:00Z');
    expect(await projection.projectTransitions(tableName, app, app.transitions, now)).toBe(2);
    expect(await get(tableName, 'DAY#2026-05-10')).toEqual({ pk: 'STATS', sk: 'DAY#2026-05-10', ...counterDelta(app, t1!).adds, seen: new Set([keyOf(app, t1!)]) });
    const day2 = await get(tableName, 'DAY#2026-05-11');
    expect(day2).toEqual({ pk: 'STATS', sk: 'DAY#2026-05-11', ...counterDelta(app, t2!).adds, seen: new Set([keyOf(app, t2!)]) });
    expect(day2).toMatchObject({ 'in#sized': 1, 'out#submitted': 1 });
    // Again: nothing. Another application's transitions on the same day add to what is there.
    expect(await projection.projectTransitions(tableName, app, app.transitions, now)).toBe(0);
    const other = timeline([['submitted', '2026-05-11T02:00:00Z'], ['sized', '2026-05-11T03:00:00Z']]);
    expect(await projection.projectTransitions(tableName, other, other.transitions, now)).toBe(2);
    expect(await projection.projectTransitions(tableName, other, other.transitions, now)).toBe(0);
    expect(await get(tableName, 'DAY#2026-05-11')).toMatchObject({ 'in#sized': 2, 'in#submitted': 1, seen: new Set([keyOf(app, t2!), keyOf(other, other.transitions[0]!), keyOf(other, other.transitions[1]!)]) });
    expect(await get(tableName, 'MONTH#2026-05')).toBeUndefined();
  });

  it('a transition of a stamped day counts in its month once the day may be rolled (two days after it began), not a moment before', async () => {
    const tableName = await freshTable();
    const day = '2026-05-10';
    await stamp(tableName, day);
    await monthTakes(tableName, day);
    const late = timeline([['submitted', `${day}T09:00:00Z`]]);
    const [t] = late.transitions;
    const mayBeRolled = Date.parse(`${day}T00:00:00Z`) + 2 * DAY_MS;
    // A clock a moment short of that: a stamped day this early is taken for a repeat (nothing written anywhere).
    expect(await projection.projectTransitions(tableName, late, late.transitions, new Date(mayBeRolled - 1))).toBe(0);
    expect(await get(tableName, 'MONTH#2026-05')).toEqual({ pk: 'STATS', sk: 'MONTH#2026-05', rolledDays: new Set([day]) });
    // From then on: counted in the month, its key in `lateSeen`; the day item keeps no trace of it.
    expect(await projection.projectTransitions(tableName, late, late.transitions, new Date(mayBeRolled))).toBe(1);
    expect(await get(tableName, 'MONTH#2026-05')).toEqual({ pk: 'STATS', sk: 'MONTH#2026-05', rolledDays: new Set([day]), ...counterDelta(late, t!).adds, lateSeen: new Set([keyOf(late, t!)]) });
    expect(await get(tableName, `DAY#${day}`)).toEqual({ pk: 'STATS', sk: `DAY#${day}`, rolledInto: '2026-05' });
    // Its repeat finds its key in `lateSeen`: 0, the month unchanged.
    expect(await projection.projectTransitions(tableName, late, late.transitions, new Date(mayBeRolled + DAY_MS))).toBe(0);
    expect((await get(tableName, 'MONTH#2026-05'))?.['conv#submitted']).toBe(1);
  });

  it('a transition the stamped day already counted is a repeat: nothing goes to the month', async () => {
    const tableName = await freshTable();
    const day = '2026-05-10';
    const app = timeline([['submitted', `${day}T09:00:00Z`]]);
    expect(await projection.projectTransitions(tableName, app, app.transitions, new Date(`${day}T10:00:00Z`))).toBe(1);
    await stamp(tableName, day);
    await monthTakes(tableName, day);
    expect(await projection.projectTransitions(tableName, app, app.transitions, new Date('2026-06-01T00:00:00Z'))).toBe(0);
    expect(await get(tableName, 'MONTH#2026-05')).toEqual({ pk: 'STATS', sk: 'MONTH#2026-05', rolledDays: new Set([day]) });
  });

  it('a day stamped but not yet taken by its month holds a late transition back as a TransientError naming both', async () => {
    const tableName = await freshTable();
    const day = '2026-05-10';
    await stamp(tableName, day);
    const late = timeline([['submitted', `${day}T09:00:00Z`]]);
    const refused = await projection.projectTransitions(tableName, late, late.transitions, new Date('2026-06-01T00:00:00Z')).catch((e: unknown) => e as Error);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).name).toBe('TransientError');
    expect((refused as Error).message).toBe(`Pipeline day ${day} is being rolled up; transition ${late.id}#v1 is counted on the next re-projection`);
    expect(await get(tableName, 'MONTH#2026-05')).toBeUndefined();
  });

  it('a write refused for another reason than its condition fails as itself: the day write, and the month write of a late transition', async () => {
    const app = timeline([['submitted', '2026-05-10T09:00:00Z']]);
    await expect(projection.projectTransitions('no-such-table', app, app.transitions, new Date('2026-05-10T10:00:00Z'))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    const tableName = await freshTable();
    await stamp(tableName, '2026-05-10');
    await monthTakes(tableName, '2026-05-10');
    // The day write fails its condition (stamped); the month write is throttled.
    const restore = failBefore(client.documentClient, 'UpdateItemCommand', throttled, { skip: 1 });
    try {
      await expect(projection.projectTransitions(tableName, app, app.transitions, new Date('2026-06-01T00:00:00Z'))).rejects.toMatchObject({ name: 'ProvisionedThroughputExceededException' });
    } finally {
      restore();
    }
    expect(await get(tableName, 'MONTH#2026-05')).toEqual({ pk: 'STATS', sk: 'MONTH#2026-05', rolledDays: new Set(['2026-05-10']) });
  });
});

describe('reading the counters', () => {
  it('readPipelineDays: every day item, or those from one day to another inclusive, by day, counters only', async () => {
    const tableName = await freshTable();
    const apps = ['2026-05-09', '2026-05-10', '2026-05-11', '2026-05-12'].map((d) => timeline([['submitted', `${d}T09:00:00Z`]]));
    for (const app of apps) await projection.projectTransitions(tableName, app, app.transitions, new Date('2026-05-12T10:00:00Z'));
    const one = counterDelta(apps[0]!, apps[0]!.transitions[0]!).adds;
    expect(await stats.readPipelineDays({ tableName })).toEqual(['2026-05-09', '2026-05-10', '2026-05-11', '2026-05-12'].map((day) => ({ day, counters: one })));
    expect((await stats.readPipelineDays({ tableName }, { fromDay: '2026-05-10', toDay: '2026-05-11' })).map((d) => d.day)).toEqual(['2026-05-10', '2026-05-11']);
    expect(await stats.readPipelineDays({ tableName }, { fromDay: '2026-05-12', toDay: '2026-05-12' })).toEqual([{ day: '2026-05-12', counters: one }]);
  });

  it('readPipelineCounters: every month item, then only the day items after the last day any month rolled', async () => {
    const tableName = await freshTable();
    expect(await stats.readPipelineCounters({ tableName })).toEqual({ months: [], days: [] });
    const apps = ['2026-04-30', '2026-05-01', '2026-05-02', '2026-05-03'].map((d) => timeline([['submitted', `${d}T09:00:00Z`]]));
    for (const app of apps) await projection.projectTransitions(tableName, app, app.transitions, new Date('2026-05-03T10:00:00Z'));
    const one = counterDelta(apps[0]!, apps[0]!.transitions[0]!).adds;
    expect(await stats.readPipelineCounters({ tableName })).toEqual({ months: [], days: ['2026-04-30', '2026-05-01', '2026-05-02', '2026-05-03'].map((day) => ({ day, counters: one })) });
    // Rolled through May 1st (April's last day and May's first): two months, then the days after May 1st.
    expect(await stats.rollUpPipelineDays({ tableName }, new Date('2026-05-04T00:00:00Z'))).toEqual(['2026-04-30', '2026-05-01']);
    expect(await stats.readPipelineCounters({ tableName })).toEqual({
      months: [{ month: '2026-04', counters: one }, { month: '2026-05', counters: one }],
      days: [{ day: '2026-05-02', counters: one }, { day: '2026-05-03', counters: one }],
      lastRolledDay: '2026-05-01',
    });
  });
  it('the last rolled day is the latest of every month, whatever order DynamoDB returns a set in (it keeps none)', async () => {
    const tableName = await freshTable();
    const apps = ['2026-05-11', '2026-05-12', '2026-05-13'].map((d) => timeline([['submitted', `${d}T09:00:00Z`]]));
    for (const app of apps) await projection.projectTransitions(tableName, app, app.transitions, new Date('2026-05-13T10:00:00Z'));
    for (const day of ['2026-04-30', '2026-05-12', '2026-05-10', '2026-05-11']) await monthTakes(tableName, day);
    const read = await stats.readPipelineCounters({ tableName });
    expect(read.days.map((d) => d.day)).toEqual(['2026-05-13']);
    expect(read.lastRolledDay).toBe('2026-05-12');
  });
});

describe('rollUpPipelineDays', () => {
  it('with no day item rolls nothing', async () => {
    const tableName = await freshTable();
    expect(await stats.rollUpPipelineDays({ tableName }, new Date('2027-01-01T00:00:00Z'))).toEqual([]);
  });

  it('rolls a day three days after it began, not a moment before; every calendar day from the first, the empty ones stamped too', async () => {
    const tableName = await freshTable();
    const a = timeline([['submitted', '2026-05-10T09:00:00Z'], ['sized', '2026-05-10T10:00:00Z']]);
    const b = timeline([['submitted', '2026-05-12T09:00:00Z']]);
    for (const app of [a, b]) await projection.projectTransitions(tableName, app, app.transitions, new Date('2026-05-12T10:00:00Z'));
    const rollable = (day: string) => Date.parse(`${day}T00:00:00Z`) + 3 * DAY_MS;
    expect(await stats.rollUpPipelineDays({ tableName }, new Date(rollable('2026-05-10') - 1))).toEqual([]);
    expect(await get(tableName, 'DAY#2026-05-10')).not.toHaveProperty('rolledInto');
    expect(await stats.rollUpPipelineDays({ tableName }, new Date(rollable('2026-05-10')))).toEqual(['2026-05-10']);
    expect(await stats.rollUpPipelineDays({ tableName }, new Date(rollable('2026-05-12')))).toEqual(['2026-05-11', '2026-05-12']);
    // The empty day is an item now, stamped, so a late transition of it finds the stamp.
    expect(await get(tableName, 'DAY#2026-05-11')).toEqual({ pk: 'STATS', sk: 'DAY#2026-05-11', rolledInto: '2026-05' });
    expect(await get(tableName, 'DAY#2026-05-10')).toMatchObject({ rolledInto: '2026-05', 'in#sized': 1 });
    const sum: Record<string, number> = {};
    for (const app of [a, b]) for (const t of app.transitions) for (const [k, v] of Object.entries(counterDelta(app, t).adds)) sum[k] = (sum[k] ?? 0) + v;
    expect(await get(tableName, 'MONTH#2026-05')).toEqual({ pk: 'STATS', sk: 'MONTH#2026-05', ...sum, rolledDays: new Set(['2026-05-10', '2026-05-11', '2026-05-12']) });
    expect(await stats.rollUpPipelineDays({ tableName }, new Date('2026-06-30T00:00:00Z'))).toEqual([]);
  });

  it('after a rolled day starts from the next calendar day, even when the next day item is later; stops at maxDays and goes on from there', async () => {
    const tableName = await freshTable();
    const early = timeline([['submitted', '2026-05-10T09:00:00Z']]);
    await projection.projectTransitions(tableName, early, early.transitions, new Date('2026-05-10T10:00:00Z'));
    expect(await stats.rollUpPipelineDays({ tableName }, new Date('2026-05-13T00:00:00Z'))).toEqual(['2026-05-10']);
    const later = timeline([['submitted', '2026-05-14T09:00:00Z']]);
    await projection.projectTransitions(tableName, later, later.transitions, new Date('2026-05-14T10:00:00Z'));
    expect(await stats.rollUpPipelineDays({ tableName }, new Date('2026-05-17T00:00:00Z'), 2)).toEqual(['2026-05-11', '2026-05-12']);
    expect(await stats.rollUpPipelineDays({ tableName }, new Date('2026-05-17T00:00:00Z'), 2)).toEqual(['2026-05-13', '2026-05-14']);
    expect((await get(tableName, 'MONTH#2026-05'))?.rolledDays).toEqual(new Set(['2026-05-10', '2026-05-11', '2026-05-12', '2026-05-13', '2026-05-14']));
    expect((await get(tableName, 'MONTH#2026-05'))?.['conv#submitted']).toBe(2);
  });

  it('a month write refused for another reason than its condition fails the roll-up (the day stays stamped, the month untouched)', async () => {
    const tableName = await freshTable();
    const app = timeline([['submitted', '2026-05-10T09:00:00Z']]);
    await projection.projectTransitions(tableName, app, app.transitions, new Date('2026-05-10T10:00:00Z'));
    const restore = failBefore(client.documentClient, 'UpdateItemCommand', throttled, { skip: 1 });
    try {
      await expect(stats.rollUpPipelineDays({ tableName }, new Date('2026-05-13T00:00:00Z'))).rejects.toMatchObject({ name: 'ProvisionedThroughputExceededException' });
    } finally {
      restore();
    }
    expect(await get(tableName, 'DAY#2026-05-10')).toMatchObject({ rolledInto: '2026-05' });
    expect(await get(tableName, 'MONTH#2026-05')).toBeUndefined();
    // The next run finishes it, once; concurrent runs race on the month's condition and add the day once.
    const runs = await Promise.all([0, 1, 2].map(() => stats.rollUpPipelineDays({ tableName }, new Date('2026-05-13T00:00:00Z'))));
    expect(runs.flat().every((d) => d === '2026-05-10')).toBe(true);
    expect(await get(tableName, 'MONTH#2026-05')).toEqual({ pk: 'STATS', sk: 'MONTH#2026-05', ...counterDelta(app, app.transitions[0]!).adds, rolledDays: new Set(['2026-05-10']) });
  });
});

describe('claimBusinessMetrics', () => {
  it('emits the growth of every day after the last rolled one, summed, and records what it emitted per day as JSON', async () => {
    const tableName = await freshTable();
    expect(await stats.claimBusinessMetrics({ tableName })).toEqual([]);
    const apps = ['2026-05-10', '2026-05-11', '2026-05-11'].map((d) => timeline([['submitted', `${d}T09:00:00Z`], ['routed', `${d}T10:00:00Z`]]));
    for (const app of apps) await projection.projectTransitions(tableName, app, app.transitions, new Date('2026-05-11T12:00:00Z'));
    expect(await stats.claimBusinessMetrics({ tableName })).toEqual([{ name: 'ApplicationsSubmitted', value: 3, unit: 'Count' }, { name: 'ApplicationsRouted', value: 3, unit: 'Count' }]);
    const emitted = (await get(tableName, 'DAY#2026-05-11'))?.emittedMetrics as string;
    expect(JSON.parse(emitted)).toEqual({ ApplicationsSubmitted: 2, ApplicationsRouted: 2, RecordsFiled: 0, RecordsApproved: 0, RecordsRejected: 0, CreditsApplied: 0, CreditsAppliedUsd: 0, Redrives: 0 });
    expect(await stats.claimBusinessMetrics({ tableName })).toEqual([]);
    // A day that counted nothing a metric counts (a sizing) is left as it is: no claim written.
    const sizing = timeline([['submitted', '2026-05-13T09:00:00Z'], ['sized', '2026-05-14T09:00:00Z']]);
    await projection.projectTransitions(tableName, sizing, sizing.transitions.slice(1), new Date('2026-05-14T10:00:00Z'));
    expect(await stats.claimBusinessMetrics({ tableName })).toEqual([]);
    expect(await get(tableName, 'DAY#2026-05-14')).not.toHaveProperty('emittedMetrics');
    // More on a day already claimed, and on a new one: only the growth, summed over both days.
    const more = ['2026-05-11', '2026-05-12'].map((d) => timeline([['submitted', `${d}T11:00:00Z`]]));
    for (const app of more) await projection.projectTransitions(tableName, app, app.transitions, new Date('2026-05-12T12:00:00Z'));
    expect(await stats.claimBusinessMetrics({ tableName })).toEqual([{ name: 'ApplicationsSubmitted', value: 2, unit: 'Count' }]);
    expect(JSON.parse((await get(tableName, 'DAY#2026-05-11'))?.emittedMetrics as string)).toMatchObject({ ApplicationsSubmitted: 3, ApplicationsRouted: 2 });
    // A rolled day is not read again: its unclaimed growth is not emitted (it is in the pipeline's figures).
    const unclaimed = timeline([['submitted', '2026-05-12T13:00:00Z']]);
    await projection.projectTransitions(tableName, unclaimed, unclaimed.transitions, new Date('2026-05-12T14:00:00Z'));
    const after = timeline([['submitted', '2026-05-20T13:00:00Z']]);
    await projection.projectTransitions(tableName, after, after.transitions, new Date('2026-05-20T14:00:00Z'));
    expect(await stats.rollUpPipelineDays({ tableName }, new Date('2026-05-15T23:00:00Z'))).toEqual(['2026-05-10', '2026-05-11', '2026-05-12']);
    expect(await stats.claimBusinessMetrics({ tableName })).toEqual([{ name: 'ApplicationsSubmitted', value: 1, unit: 'Count' }]);
  });

  it('of concurrent claims one emits each growth; a claim refused for another reason fails as itself', async () => {
    const tableName = await freshTable();
    for (const round of [1, 2]) {
      const app = timeline([['submitted', `2026-05-10T0${round}:00:00Z`]]);
      await projection.projectTransitions(tableName, app, app.transitions, new Date('2026-05-10T12:00:00Z'));
      const claims = await Promise.all([0, 1, 2, 3].map(() => stats.claimBusinessMetrics({ tableName })));
      expect(claims.flat()).toEqual([{ name: 'ApplicationsSubmitted', value: 1, unit: 'Count' }]);
    }
    const app = timeline([['submitted', '2026-05-10T05:00:00Z']]);
    await projection.projectTransitions(tableName, app, app.transitions, new Date('2026-05-10T12:00:00Z'));
    const restore = failBefore(client.documentClient, 'UpdateItemCommand', throttled);
    try {
      await expect(stats.claimBusinessMetrics({ tableName })).rejects.toMatchObject({ name: 'ProvisionedThroughputExceededException' });
    } finally {
      restore();
    }
    expect(await stats.claimBusinessMetrics({ tableName })).toEqual([{ name: 'ApplicationsSubmitted', value: 1, unit: 'Count' }]);
  });
});

/**
 * Pipeline counters in DynamoDB (access pattern 9 in keys.ts). Writing: one conditional UpdateItem per transition on
 * its day's item, ADDing the counters and the transition's key to `seen` unless the key is already there, so a
 * retried or repeated projection never counts twice (functions/core/operations/pipeline.ts). Reading: the closed
 * months' roll-up items plus the day items since, two Queries on the `STATS` partition, never a Scan.
 *
 * Crash between the application's write and this one: the transition is not counted yet. Every Notify of the
 * application re-projects its not-yet-notified transitions (functions/usecases/notifier.ts), and operations actions
 * re-project the application's whole timeline, so the count catches up; the condition keeps those repeats exact.
 *
 * Roll-up into month-to-date items (`rollUp`, run hourly by the OpsSweep schedule): each UTC day, once it has been
 * over for ROLL_UP_GRACE_DAYS, in order: 1. the day item is stamped `rolledInto` (created if the day had no
 * transition), after which no projection changes it (their condition requires the stamp absent); 2. the now stable day
 * is read (strongly consistent); 3. ONE UpdateItem ADDs its counters to `MONTH#<yyyy-mm>` and the day to the month's
 * `rolledDays`, on condition that the day is not in it yet. A crash anywhere re-runs the same steps (the stamp is
 * idempotent, the counters the same, the month takes the day once); concurrent runs race on that one condition. A
 * transition that arrives late for a stamped day (a crash catch-up weeks later) goes straight to the month item under
 * its own condition (`contains(rolledDays, day) AND NOT contains(lateSeen, key)`): counted once, never in both.
 * Readers take every month item and the day items after the last rolled day (days roll in order), so nothing is
 * counted twice or skipped.
 *
 * Counting (the write every transition makes) is in ./pipeline-projection.ts; this module reads, rolls up and emits
 * the business metrics, for the operations functions only.
 *
 * Business metrics (`claimBusinessMetrics`, run hourly by the OpsSweep, which already publishes metrics): read off the
 * day items after the last rolled day, each day item keeping what was emitted of it as `emittedMetrics` (a JSON
 * string, so never taken for a counter). One conditional UpdateItem per day claims the growth ("emittedMetrics is
 * still what I read"), then the caller emits it: concurrent sweeps emit each count once; a sweep that dies between its
 * claim and its publish loses that hour's growth (as a count's emission was lost before when its function died
 * between counting and publishing). Not emitted: a late transition counted straight into a rolled month (a crash's
 * catch-up more than ROLL_UP_GRACE_DAYS later); it is in the pipeline's figures.
 */
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { businessMetricCounts, businessMetricsGrowth, type BusinessMetric, type CounterItem } from '../../core/operations/pipeline.ts';
import { documentClient, isConditionFailure, queryPages } from './client.ts';
import { STATS_PARTITION, statsDayKey, statsMonthKey } from './keys.ts';
import { addExpression, countersOf, DAY_MS, dayStart, monthOf, nextDay, ROLL_UP_GRACE_DAYS } from './pipeline-projection.ts';

export { ROLL_UP_GRACE_DAYS };

export interface CounterReads {
  /** Month-to-date roll-ups, oldest first. */
  readonly months: { month: string; counters: CounterItem }[];
  /** Day items after the last rolled day, oldest first. */
  readonly days: { day: string; counters: CounterItem }[];
  /** The latest day the month items hold (every earlier day is rolled too); absent before the first roll-up. */
  readonly lastRolledDay?: string;
}

/** The pipeline counters live in the application table; reading, rolling up and claiming are functions over it, so a bundle carries only those it calls (counting is ./pipeline-projection.ts `projectTransitions`). */
export class PipelineStats {
  constructor(readonly tableName: string) {}
}

/** What these functions need of the counters: their table. */
export type PipelineTable = Pick<PipelineStats, 'tableName'>;

/**
 * The business metrics counted since they were last emitted, claimed (see the module comment): the caller emits
 * exactly these. Reads the day items after the last rolled day (a few: days roll ROLL_UP_GRACE_DAYS after they end).
 */
export async function claimBusinessMetrics(stats: PipelineTable): Promise<{ name: BusinessMetric; value: number; unit: 'Count' | 'None' }[]> {
  const last = lastRolledDay(await queryMonths(stats));
  const claimed: Partial<Record<BusinessMetric, number>> = {};
  for (const item of await queryStats(stats, unrolledFrom(last), 'DAY#~')) {
    const counts = businessMetricCounts(countersOf(item));
    const before = item.emittedMetrics as string | undefined; // only ever written as JSON text, below
    const emitted = before ? JSON.parse(before) as Partial<Record<BusinessMetric, number>> : {};
    const growth = businessMetricsGrowth(counts, emitted);
    if (growth.length === 0) continue;
    try {
      await documentClient.send(new UpdateCommand({
        TableName: stats.tableName,
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: 'SET #em = :now',
        ConditionExpression: before ? '#em = :before' : 'attribute_not_exists(#em)',
        ExpressionAttributeNames: { '#em': 'emittedMetrics' },
        ExpressionAttributeValues: { ':now': JSON.stringify(counts), ...(before ? { ':before': before } : {}) },
      }));
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      continue; // claimed by a concurrent sweep: it emits this growth
    }
    for (const name of Object.keys(counts) as BusinessMetric[]) claimed[name] = (claimed[name] ?? 0) + counts[name] - (emitted[name] ?? 0);
  }
  return businessMetricsGrowth(claimed, {});
}

/** Day items from `fromDay` to `toDay` (inclusive, `yyyy-mm-dd`), or all of them; counters only. */
export async function readPipelineDays(stats: PipelineTable, range?: { fromDay: string; toDay: string }): Promise<{ day: string; counters: CounterItem }[]> {
  const from = range ? statsDayKey(range.fromDay).sk : 'DAY#';
  const to = range ? statsDayKey(range.toDay).sk : 'DAY#~';
  return (await queryStats(stats, from, to)).map((item) => ({ day: String(item.sk).slice('DAY#'.length), counters: countersOf(item) }));
}

/** What the pipeline reads: every month-to-date item, then the day items after the last rolled day (two Queries). */
export async function readPipelineCounters(stats: PipelineTable): Promise<CounterReads> {
  const monthItems = await queryMonths(stats);
  const last = lastRolledDay(monthItems);
  const dayItems = await queryStats(stats, unrolledFrom(last), 'DAY#~');
  return {
    months: monthItems.map((item) => ({ month: String(item.sk).slice('MONTH#'.length), counters: countersOf(item) })),
    days: dayItems.map((item) => ({ day: String(item.sk).slice('DAY#'.length), counters: countersOf(item) })),
    ...(last ? { lastRolledDay: last } : {}),
  };
}

/**
 * Rolls every day over for ROLL_UP_GRACE_DAYS and not rolled yet into its month, oldest first, calendar day by
 * calendar day from the first day item after the last rolled day (see the module comment). Returns the days rolled.
 */
export async function rollUpPipelineDays(stats: PipelineTable, now: Date, maxDays = 400): Promise<string[]> {
  const rolled: string[] = [];
  const last = lastRolledDay(await queryMonths(stats, true));
  const first = await documentClient.send(new QueryCommand({
    TableName: stats.tableName,
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': STATS_PARTITION, ':from': unrolledFrom(last), ':to': 'DAY#~' },
    Limit: 1,
    ConsistentRead: true,
  }));
  const firstDay = first.Items?.[0] ? String(first.Items[0].sk).slice('DAY#'.length) : undefined;
  if (!firstDay) return rolled;
  // Every calendar day from there (an empty day is stamped too, so a late transition of it finds the stamp).
  for (let day = last ? nextDay(last) : firstDay; rolled.length < maxDays; day = nextDay(day)) {
    if (now.getTime() < dayStart(day) + (1 + ROLL_UP_GRACE_DAYS) * DAY_MS) break;
    await rollUpDay(stats, day);
    rolled.push(day);
  }
  return rolled;
}

async function rollUpDay(stats: PipelineTable, day: string): Promise<void> {
  // 1. The stamp: from here on no projection changes this day.
  await documentClient.send(new UpdateCommand({
    TableName: stats.tableName,
    Key: statsDayKey(day),
    UpdateExpression: 'SET #rolled = :month',
    ExpressionAttributeNames: { '#rolled': 'rolledInto' },
    ExpressionAttributeValues: { ':month': monthOf(day) },
  }));
  // 2. The stable day, read strongly consistent.
  const item = (await documentClient.send(new GetCommand({ TableName: stats.tableName, Key: statsDayKey(day), ConsistentRead: true }))).Item ?? {};
  // 3. One conditional write: the month takes the day once.
  const updates = addExpression(countersOf(item));
  updates.names['#days'] = 'rolledDays';
  updates.values[':day'] = new Set([day]);
  updates.values[':d'] = day;
  try {
    await documentClient.send(new UpdateCommand({
      TableName: stats.tableName,
      Key: statsMonthKey(monthOf(day)),
      UpdateExpression: `ADD ${[...updates.adds, '#days :day'].join(', ')}`,
      ConditionExpression: 'NOT contains(#days, :d)',
      ExpressionAttributeNames: updates.names,
      ExpressionAttributeValues: updates.values,
    }));
  } catch (error) {
    if (!isConditionFailure(error)) throw error; // rolled by another run (or this one before a crash)
  }
}

async function queryStats(stats: PipelineTable, from: string, to: string, consistent = false): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for await (const out of queryPages({
    TableName: stats.tableName,
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': STATS_PARTITION, ':from': from, ':to': to },
    ...(consistent ? { ConsistentRead: true } : {}),
  })) items.push(...(out.Items ?? []));
  return items;
}

/** Every month-to-date item, oldest first. */
function queryMonths(stats: PipelineTable, consistent = false): Promise<Record<string, unknown>[]> {
  return queryStats(stats, 'MONTH#', 'MONTH#~', consistent);
}

/** Where the day items not rolled up yet begin: the day after the last rolled one, or the first day item. */
function unrolledFrom(last: string | undefined): string {
  return last ? statsDayKey(nextDay(last)).sk : 'DAY#';
}

/**
 * The latest day any month item has rolled up (days roll in order, so every earlier day is rolled too). Every month
 * item has `rolledDays`: the roll-up creates it with its first day, and a late transition only adds to a month that
 * took its day.
 */
function lastRolledDay(monthItems: readonly Record<string, unknown>[]): string | undefined {
  let last: string | undefined;
  for (const item of monthItems) for (const d of item.rolledDays as Set<string>) if (!last || d > last) last = d;
  return last;
}

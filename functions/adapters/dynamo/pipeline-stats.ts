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
 */
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Application, Transition } from '../../../schemas/application.ts';
import { businessMetrics, counterDelta, type CounterItem } from '../../core/operations/pipeline.ts';
import { metrics, MetricUnit } from '../metrics.ts';
import { documentClient, isConditionFailure } from './client.ts';
import { STATS_PARTITION, statsDayKey, statsMonthKey } from './keys.ts';

/** Days after a day ends before it is rolled up (crash catch-ups of its transitions normally land within minutes). */
export const ROLL_UP_GRACE_DAYS = 2;
const DAY_MS = 86_400_000;
const dayStart = (day: string): number => Date.parse(`${day}T00:00:00Z`);
const nextDay = (day: string): string => new Date(dayStart(day) + DAY_MS).toISOString().slice(0, 10);
/** When a day may be rolled up (a day early, so a Lambda whose clock runs behind never misses a stamp). */
const mayBeRolled = (day: string, now: Date): boolean => dayStart(day) + ROLL_UP_GRACE_DAYS * DAY_MS <= now.getTime();

/** Counters of one stored item: its numeric attributes (keys, `seen`, `lateSeen` and stamps are not numbers). */
function countersOf(item: Record<string, unknown>): CounterItem {
  return Object.fromEntries(Object.entries(item).filter(([, v]) => typeof v === 'number')) as CounterItem;
}

const monthOf = (day: string): string => day.slice(0, 7);

export interface CounterReads {
  /** Month-to-date roll-ups, oldest first. */
  readonly months: { month: string; counters: CounterItem }[];
  /** Day items after the last rolled day, oldest first. */
  readonly days: { day: string; counters: CounterItem }[];
}

export class PipelineStats {
  constructor(private readonly tableName: string, private readonly now: () => Date = () => new Date()) {}

  /** Counts each transition once; returns how many were counted now (0 for repeats). */
  async project(app: Application, transitions: readonly Transition[]): Promise<number> {
    let counted = 0;
    let emitted = 0;
    const now = this.now();
    for (const t of transitions) {
      const delta = counterDelta(app, t);
      const updates = addExpression(delta.adds);
      updates.names['#seen'] = 'seen';
      updates.names['#rolled'] = 'rolledInto';
      updates.values[':key'] = new Set([delta.key]);
      updates.values[':k'] = delta.key;
      let countedNow = false;
      try {
        await documentClient.send(new UpdateCommand({
          TableName: this.tableName,
          Key: statsDayKey(delta.day),
          UpdateExpression: `ADD ${[...updates.adds, '#seen :key'].join(', ')}`,
          ConditionExpression: 'NOT contains(#seen, :k) AND attribute_not_exists(#rolled)',
          ExpressionAttributeNames: updates.names,
          ExpressionAttributeValues: updates.values,
        }));
        countedNow = true;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        // A recent day is never rolled: a repeat. An older one may be: then a late transition counts in its month.
        if (mayBeRolled(delta.day, now)) countedNow = await this.projectLate(delta.day, delta.key, delta.adds);
      }
      if (!countedNow) continue;
      counted += 1;
      // Emitted only when counted, so the business metrics are exactly once per transition like the counters.
      for (const m of businessMetrics(t, delta)) {
        metrics.addMetric(m.name, m.unit === 'Count' ? MetricUnit.Count : MetricUnit.NoUnit, m.value);
        emitted += 1;
      }
    }
    if (emitted > 0) metrics.publishStoredMetrics();
    return counted;
  }

  /** A transition of a day that failed its condition: a repeat, or late for a rolled day (then into the month). */
  private async projectLate(day: string, key: string, adds: Readonly<Record<string, number>>): Promise<boolean> {
    const dayItem = (await documentClient.send(new GetCommand({ TableName: this.tableName, Key: statsDayKey(day), ConsistentRead: true }))).Item;
    if (!dayItem?.rolledInto || (dayItem.seen as Set<string> | undefined)?.has(key)) return false;
    const updates = addExpression(adds);
    updates.names['#late'] = 'lateSeen';
    updates.names['#days'] = 'rolledDays';
    updates.values[':key'] = new Set([key]);
    updates.values[':k'] = key;
    updates.values[':d'] = day;
    try {
      await documentClient.send(new UpdateCommand({
        TableName: this.tableName,
        Key: statsMonthKey(monthOf(day)),
        UpdateExpression: `ADD ${[...updates.adds, '#late :key'].join(', ')}`,
        ConditionExpression: 'contains(#days, :d) AND NOT contains(#late, :k)',
        ExpressionAttributeNames: updates.names,
        ExpressionAttributeValues: updates.values,
      }));
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const month = (await documentClient.send(new GetCommand({ TableName: this.tableName, Key: statsMonthKey(monthOf(day)), ConsistentRead: true }))).Item;
      if ((month?.lateSeen as Set<string> | undefined)?.has(key)) return false;
      // The day's roll-up is between its stamp and its month write (milliseconds): the next re-projection counts it.
      const busy = new Error(`Pipeline day ${day} is being rolled up; transition ${key} is counted on the next re-projection`);
      busy.name = 'TransientError';
      throw busy;
    }
  }

  /** Day items from `fromDay` to `toDay` (inclusive, `yyyy-mm-dd`), or all of them; counters only. */
  async days(range?: { fromDay: string; toDay: string }): Promise<{ day: string; counters: CounterItem }[]> {
    const from = range ? statsDayKey(range.fromDay).sk : 'DAY#';
    const to = range ? statsDayKey(range.toDay).sk : 'DAY#~';
    return (await this.query(from, to)).map((item) => ({ day: String(item.sk).slice('DAY#'.length), counters: countersOf(item) }));
  }

  /** What the pipeline reads: every month-to-date item, then the day items after the last rolled day (two Queries). */
  async read(): Promise<CounterReads> {
    const monthItems = await this.query('MONTH#', 'MONTH#~');
    const last = lastRolledDay(monthItems);
    const dayItems = await this.query(last ? statsDayKey(nextDay(last)).sk : 'DAY#', 'DAY#~');
    return {
      months: monthItems.map((item) => ({ month: String(item.sk).slice('MONTH#'.length), counters: countersOf(item) })),
      days: dayItems.map((item) => ({ day: String(item.sk).slice('DAY#'.length), counters: countersOf(item) })),
    };
  }

  /**
   * Rolls every day over for ROLL_UP_GRACE_DAYS and not rolled yet into its month, oldest first, calendar day by
   * calendar day from the first day item after the last rolled day (see the module comment). Returns the days rolled.
   */
  async rollUp(now: Date, maxDays = 400): Promise<string[]> {
    const rolled: string[] = [];
    const last = lastRolledDay(await this.query('MONTH#', 'MONTH#~', true));
    const first = await documentClient.send(new QueryCommand({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': STATS_PARTITION, ':from': last ? statsDayKey(nextDay(last)).sk : 'DAY#', ':to': 'DAY#~' },
      Limit: 1,
      ConsistentRead: true,
    }));
    const firstDay = first.Items?.[0] ? String(first.Items[0].sk).slice('DAY#'.length) : undefined;
    if (!firstDay) return rolled;
    // Every calendar day from there (an empty day is stamped too, so a late transition of it finds the stamp).
    for (let day = last ? nextDay(last) : firstDay; rolled.length < maxDays; day = nextDay(day)) {
      if (now.getTime() < dayStart(day) + (1 + ROLL_UP_GRACE_DAYS) * DAY_MS) break;
      await this.rollUpDay(day);
      rolled.push(day);
    }
    return rolled;
  }

  private async rollUpDay(day: string): Promise<void> {
    // 1. The stamp: from here on no projection changes this day.
    await documentClient.send(new UpdateCommand({
      TableName: this.tableName,
      Key: statsDayKey(day),
      UpdateExpression: 'SET #rolled = :month',
      ExpressionAttributeNames: { '#rolled': 'rolledInto' },
      ExpressionAttributeValues: { ':month': monthOf(day) },
    }));
    // 2. The stable day, read strongly consistent.
    const item = (await documentClient.send(new GetCommand({ TableName: this.tableName, Key: statsDayKey(day), ConsistentRead: true }))).Item ?? {};
    // 3. One conditional write: the month takes the day once.
    const updates = addExpression(countersOf(item));
    updates.names['#days'] = 'rolledDays';
    updates.values[':day'] = new Set([day]);
    updates.values[':d'] = day;
    try {
      await documentClient.send(new UpdateCommand({
        TableName: this.tableName,
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

  private async query(from: string, to: string, consistent = false): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await documentClient.send(new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': STATS_PARTITION, ':from': from, ':to': to },
        ExclusiveStartKey: start,
        ...(consistent ? { ConsistentRead: true } : {}),
      }));
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }
}

/** The latest day any month item has rolled up (days roll in order, so every earlier day is rolled too). */
function lastRolledDay(monthItems: readonly Record<string, unknown>[]): string | undefined {
  let last: string | undefined;
  for (const item of monthItems) for (const d of (item.rolledDays as Set<string> | undefined) ?? []) if (!last || d > last) last = d;
  return last;
}

/** `ADD #a0 :a0, ...` clauses for counters, with their placeholders. */
function addExpression(adds: Readonly<Record<string, number>>): { adds: string[]; names: Record<string, string>; values: Record<string, unknown> } {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const clauses: string[] = [];
  Object.entries(adds).forEach(([attr, n], i) => {
    names[`#a${i}`] = attr;
    values[`:a${i}`] = n;
    clauses.push(`#a${i} :a${i}`);
  });
  return { adds: clauses, names, values };
}

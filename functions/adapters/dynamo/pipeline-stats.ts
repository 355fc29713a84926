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
 * Monthly roll-up (`rollUp`, run hourly by the OpsSweep schedule; a month is rolled once it has been closed for
 * ROLL_UP_GRACE_DAYS): 1. every calendar day of the month is stamped `rolledInto` (created if it had no transition),
 * after which no projection can change a day of that month (their condition requires the stamp absent); 2. the now
 * stable day items are read (strongly consistent) and summed; 3. ONE UpdateItem ADDs the sums to `MONTH#<yyyy-mm>` and
 * sets `rolledUp`, on condition that `rolledUp` is absent. A crash anywhere re-runs the same steps (stamps are
 * idempotent, the sums are the same, the month write happens once). A transition of a stamped day that arrives late
 * (a crash catch-up weeks later) goes straight to the month item under its own condition (`NOT contains(lateSeen,
 * key) AND attribute_exists(rolledUp)`): counted once, never in both. Readers use a month item only once `rolledUp` is
 * set, and the days of every month after the last rolled one, so nothing is counted twice or skipped.
 */
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Application, Transition } from '../../../schemas/application.ts';
import { businessMetrics, counterDelta, type CounterItem } from '../../core/operations/pipeline.ts';
import { metrics, MetricUnit } from '../metrics.ts';
import { documentClient, isConditionFailure } from './client.ts';
import { STATS_PARTITION, statsDayKey, statsMonthKey } from './keys.ts';

/** Days after a month ends before it is rolled up (crash catch-ups of its transitions normally land within minutes). */
export const ROLL_UP_GRACE_DAYS = 2;

/** Counters of one stored item: its numeric attributes (keys, `seen`, `lateSeen` and stamps are not numbers). */
function countersOf(item: Record<string, unknown>): CounterItem {
  return Object.fromEntries(Object.entries(item).filter(([, v]) => typeof v === 'number')) as CounterItem;
}

const monthOf = (day: string): string => day.slice(0, 7);

/** Every calendar day (`yyyy-mm-dd`) of a month (`yyyy-mm`). */
export function daysOfMonth(month: string): string[] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const count = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return Array.from({ length: count }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`);
}

/** The month after `month`. */
export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 7);
}

export interface CounterReads {
  /** Rolled-up months, oldest first. */
  readonly months: { month: string; counters: CounterItem }[];
  /** Day items after the last rolled month, oldest first. */
  readonly days: { day: string; counters: CounterItem }[];
}

export class PipelineStats {
  constructor(private readonly tableName: string, private readonly now: () => Date = () => new Date()) {}

  /** Counts each transition once; returns how many were counted now (0 for repeats). */
  async project(app: Application, transitions: readonly Transition[]): Promise<number> {
    let counted = 0;
    let emitted = 0;
    const currentMonth = monthOf(this.now().toISOString());
    for (const t of transitions) {
      const delta = counterDelta(app, t);
      const updates = addExpression(delta.adds);
      updates.names['#seen'] = 'seen';
      updates.names['#rolled'] = 'rolledInto';
      updates.values[':key'] = new Set([delta.key]);
      updates.values[':k'] = delta.key;
      let now = false;
      try {
        await documentClient.send(new UpdateCommand({
          TableName: this.tableName,
          Key: statsDayKey(delta.day),
          UpdateExpression: `ADD ${[...updates.adds, '#seen :key'].join(', ')}`,
          ConditionExpression: 'NOT contains(#seen, :k) AND attribute_not_exists(#rolled)',
          ExpressionAttributeNames: updates.names,
          ExpressionAttributeValues: updates.values,
        }));
        now = true;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        // A day of the current month is never rolled: a repeat. An older day may be: then it counts in its month.
        if (monthOf(delta.day) < currentMonth) now = await this.projectLate(delta.day, delta.key, delta.adds);
      }
      if (!now) continue;
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
    updates.names['#rolledUp'] = 'rolledUp';
    updates.values[':key'] = new Set([key]);
    updates.values[':k'] = key;
    try {
      await documentClient.send(new UpdateCommand({
        TableName: this.tableName,
        Key: statsMonthKey(monthOf(day)),
        UpdateExpression: `ADD ${[...updates.adds, '#late :key'].join(', ')}`,
        ConditionExpression: 'attribute_exists(#rolledUp) AND NOT contains(#late, :k)',
        ExpressionAttributeNames: updates.names,
        ExpressionAttributeValues: updates.values,
      }));
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const month = (await documentClient.send(new GetCommand({ TableName: this.tableName, Key: statsMonthKey(monthOf(day)), ConsistentRead: true }))).Item;
      if ((month?.lateSeen as Set<string> | undefined)?.has(key)) return false;
      // The month's roll-up is between its stamps and its write (seconds): the next re-projection counts it.
      const busy = new Error(`Pipeline month ${monthOf(day)} is being rolled up; transition ${key} is counted on the next re-projection`);
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

  /** What the pipeline reads: every rolled-up month, then the day items after the last of them (two Queries). */
  async read(): Promise<CounterReads> {
    const monthItems = await this.query('MONTH#', 'MONTH#~');
    const months = monthItems.filter((item) => typeof item.rolledUp === 'string')
      .map((item) => ({ month: String(item.sk).slice('MONTH#'.length), counters: countersOf(item) }));
    const last = months.at(-1)?.month;
    const dayItems = await this.query(last ? statsDayKey(`${nextMonth(last)}-01`).sk : 'DAY#', 'DAY#~');
    return { months, days: dayItems.map((item) => ({ day: String(item.sk).slice('DAY#'.length), counters: countersOf(item) })) };
  }

  /**
   * Rolls up every month closed for ROLL_UP_GRACE_DAYS and not rolled yet, oldest first (see the module comment).
   * Returns the months rolled now.
   */
  async rollUp(now: Date, maxMonths = 24): Promise<string[]> {
    const rolled: string[] = [];
    const months = await this.query('MONTH#', 'MONTH#~', true);
    const lastRolled = months.filter((m) => typeof m.rolledUp === 'string').map((m) => String(m.sk).slice('MONTH#'.length)).at(-1);
    // The first month with day items after the last rolled one.
    const first = await documentClient.send(new QueryCommand({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': STATS_PARTITION, ':from': lastRolled ? statsDayKey(`${nextMonth(lastRolled)}-01`).sk : 'DAY#', ':to': 'DAY#~' },
      Limit: 1,
      ConsistentRead: true,
    }));
    const firstDay = first.Items?.[0] ? String(first.Items[0].sk).slice('DAY#'.length) : undefined;
    if (!firstDay) return rolled;
    for (let month = monthOf(firstDay); rolled.length < maxMonths; month = nextMonth(month)) {
      const due = Date.parse(`${nextMonth(month)}-01T00:00:00Z`) + ROLL_UP_GRACE_DAYS * 86_400_000;
      if (now.getTime() < due) break;
      await this.rollUpMonth(month, now);
      rolled.push(month);
    }
    return rolled;
  }

  private async rollUpMonth(month: string, now: Date): Promise<void> {
    const days = daysOfMonth(month);
    // 1. Stamp every day (creating the empty ones): from here on no projection changes a day of this month.
    for (const day of days) {
      await documentClient.send(new UpdateCommand({
        TableName: this.tableName,
        Key: statsDayKey(day),
        UpdateExpression: 'SET #rolled = :month',
        ExpressionAttributeNames: { '#rolled': 'rolledInto' },
        ExpressionAttributeValues: { ':month': month },
      }));
    }
    // 2. The stable days, read strongly consistent, summed.
    const items = await this.query(statsDayKey(days[0]!).sk, statsDayKey(days.at(-1)!).sk, true);
    const sums: Record<string, number> = {};
    for (const item of items) for (const [k, v] of Object.entries(countersOf(item))) sums[k] = (sums[k] ?? 0) + v;
    // 3. One conditional write: the month once (late transitions may have ADDed to it already only after this).
    const updates = addExpression(sums);
    updates.names['#rolledUp'] = 'rolledUp';
    updates.values[':at'] = now.toISOString();
    try {
      await documentClient.send(new UpdateCommand({
        TableName: this.tableName,
        Key: statsMonthKey(month),
        UpdateExpression: `SET #rolledUp = :at${updates.adds.length ? ` ADD ${updates.adds.join(', ')}` : ''}`,
        ConditionExpression: 'attribute_not_exists(#rolledUp)',
        ExpressionAttributeNames: updates.names,
        ExpressionAttributeValues: updates.values,
      }));
    } catch (error) {
      if (!isConditionFailure(error)) throw error; // rolled by an earlier run (this one repeated it after a crash)
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

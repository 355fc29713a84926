/**
 * Counting transitions into the pipeline counters (access pattern 9 in keys.ts): what every function that makes a
 * transition runs, through the repository (applications.ts `countTransitions`). Kept apart from the reading, the
 * roll-up and the business metrics (./pipeline-stats.ts, used by the operations functions only), so a transition
 * carries only this. The design (exactly once, crash catch-up, roll-up, late transitions) is in ./pipeline-stats.ts.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Application, Transition } from '../../../schemas/application.ts';
import { counterDelta, type CounterItem } from '../../core/operations/pipeline.ts';
import { documentClient, isConditionFailure } from './client.ts';
import { statsDayKey, statsMonthKey } from './keys.ts';

/** Days after a day ends before it is rolled up (crash catch-ups of its transitions normally land within minutes). */
export const ROLL_UP_GRACE_DAYS = 2;
export const DAY_MS = 86_400_000;
export const dayStart = (day: string): number => Date.parse(`${day}T00:00:00Z`);
export const nextDay = (day: string): string => new Date(dayStart(day) + DAY_MS).toISOString().slice(0, 10);
/** When a day may be rolled up (a day early, so a Lambda whose clock runs behind never misses a stamp). */
const mayBeRolled = (day: string, now: Date): boolean => dayStart(day) + ROLL_UP_GRACE_DAYS * DAY_MS <= now.getTime();
export const monthOf = (day: string): string => day.slice(0, 7);

/** Counters of one stored item: its numeric attributes (keys, `seen`, `lateSeen` and stamps are not numbers). */
export function countersOf(item: Record<string, unknown>): CounterItem {
  return Object.fromEntries(Object.entries(item).filter(([, v]) => typeof v === 'number')) as CounterItem;
}

/** `ADD #a0 :a0, ...` clauses for counters, with their placeholders. */
export function addExpression(adds: Readonly<Record<string, number>>): { adds: string[]; names: Record<string, string>; values: Record<string, unknown> } {
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

/** Counts each transition once; returns how many were counted now (0 for repeats). */
export async function projectTransitions(tableName: string, app: Application, transitions: readonly Transition[], now: Date): Promise<number> {
  let counted = 0;
  for (const t of transitions) {
    const delta = counterDelta(app, t);
    const updates = addExpression(delta.adds);
    updates.names['#seen'] = 'seen';
    updates.names['#rolled'] = 'rolledInto';
    updates.values[':key'] = new Set([delta.key]);
    updates.values[':k'] = delta.key;
    try {
      await documentClient.send(new UpdateCommand({
        TableName: tableName,
        Key: statsDayKey(delta.day),
        UpdateExpression: `ADD ${[...updates.adds, '#seen :key'].join(', ')}`,
        ConditionExpression: 'NOT contains(#seen, :k) AND attribute_not_exists(#rolled)',
        ExpressionAttributeNames: updates.names,
        ExpressionAttributeValues: updates.values,
      }));
      counted += 1;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // A recent day is never rolled: a repeat. An older one may be: then a late transition counts in its month.
      if (mayBeRolled(delta.day, now) && await projectLate(tableName, delta.day, delta.key, delta.adds)) counted += 1;
    }
  }
  return counted;
}

/** A transition of a day that failed its condition: a repeat, or late for a rolled day (then into the month). */
async function projectLate(tableName: string, day: string, key: string, adds: Readonly<Record<string, number>>): Promise<boolean> {
  const dayItem = (await documentClient.send(new GetCommand({ TableName: tableName, Key: statsDayKey(day), ConsistentRead: true }))).Item;
  if (!dayItem?.rolledInto || (dayItem.seen as Set<string> | undefined)?.has(key)) return false;
  const updates = addExpression(adds);
  updates.names['#late'] = 'lateSeen';
  updates.names['#days'] = 'rolledDays';
  updates.values[':key'] = new Set([key]);
  updates.values[':k'] = key;
  updates.values[':d'] = day;
  try {
    await documentClient.send(new UpdateCommand({
      TableName: tableName,
      Key: statsMonthKey(monthOf(day)),
      UpdateExpression: `ADD ${[...updates.adds, '#late :key'].join(', ')}`,
      ConditionExpression: 'contains(#days, :d) AND NOT contains(#late, :k)',
      ExpressionAttributeNames: updates.names,
      ExpressionAttributeValues: updates.values,
    }));
    return true;
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const month = (await documentClient.send(new GetCommand({ TableName: tableName, Key: statsMonthKey(monthOf(day)), ConsistentRead: true }))).Item;
    if ((month?.lateSeen as Set<string> | undefined)?.has(key)) return false;
    // The day's roll-up is between its stamp and its month write (milliseconds): the next re-projection counts it.
    const busy = new Error(`Pipeline day ${day} is being rolled up; transition ${key} is counted on the next re-projection`);
    busy.name = 'TransientError';
    throw busy;
  }
}

/**
 * Pipeline counters in DynamoDB (access pattern 9 in keys.ts). Writing: one conditional UpdateItem per transition on
 * its day's item, ADDing the counters and the transition's key to `seen` unless the key is already there, so a
 * retried or repeated projection never counts twice (functions/core/operations/pipeline.ts). Reading: one Query on the
 * `STATS` partition (a window: `sk BETWEEN`), never a Scan.
 *
 * Crash between the application's write and this one: the transition is not counted yet. Every Notify of the
 * application re-projects its not-yet-notified transitions (functions/usecases/notifier.ts), and operations actions
 * re-project the application's whole timeline, so the count catches up; the condition keeps those repeats exact.
 */
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Application, Transition } from '../../../schemas/application.ts';
import { businessMetrics, counterDelta, type CounterItem } from '../../core/operations/pipeline.ts';
import { metrics, MetricUnit } from '../metrics.ts';
import { documentClient, isConditionFailure } from './client.ts';
import { STATS_PARTITION, statsDayKey } from './keys.ts';

export class PipelineStats {
  constructor(private readonly tableName: string) {}

  /** Counts each transition once; returns how many were counted now (0 for repeats). */
  async project(app: Application, transitions: readonly Transition[]): Promise<number> {
    let counted = 0;
    let emitted = 0;
    for (const t of transitions) {
      const delta = counterDelta(app, t);
      const names: Record<string, string> = { '#seen': 'seen' };
      const values: Record<string, unknown> = { ':key': new Set([delta.key]), ':k': delta.key };
      const adds = ['#seen :key'];
      Object.entries(delta.adds).forEach(([attr, n], i) => {
        names[`#a${i}`] = attr;
        values[`:a${i}`] = n;
        adds.push(`#a${i} :a${i}`);
      });
      try {
        await documentClient.send(new UpdateCommand({
          TableName: this.tableName,
          Key: statsDayKey(delta.day),
          UpdateExpression: `ADD ${adds.join(', ')}`,
          ConditionExpression: 'NOT contains(#seen, :k)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }));
        counted += 1;
        // Emitted only when counted, so the business metrics are exactly once per transition like the counters.
        for (const m of businessMetrics(t, delta)) {
          metrics.addMetric(m.name, m.unit === 'Count' ? MetricUnit.Count : MetricUnit.NoUnit, m.value);
          emitted += 1;
        }
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    if (emitted > 0) metrics.publishStoredMetrics();
    return counted;
  }

  /** Day items from `fromDay` to `toDay` (inclusive, `yyyy-mm-dd`), or all of them; counters only. */
  async days(range?: { fromDay: string; toDay: string }): Promise<{ day: string; counters: CounterItem }[]> {
    const items: { day: string; counters: CounterItem }[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await documentClient.send(new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: range ? 'pk = :pk AND sk BETWEEN :from AND :to' : 'pk = :pk',
        ExpressionAttributeValues: {
          ':pk': STATS_PARTITION,
          ...(range ? { ':from': statsDayKey(range.fromDay).sk, ':to': statsDayKey(range.toDay).sk } : {}),
        },
        ExclusiveStartKey: start,
      }));
      for (const item of out.Items ?? []) {
        const counters = Object.fromEntries(Object.entries(item).filter(([, v]) => typeof v === 'number')) as CounterItem;
        items.push({ day: String(item.sk).slice('DAY#'.length), counters });
      }
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }
}

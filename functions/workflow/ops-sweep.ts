/**
 * OpsSweep (hourly, EventBridge Scheduler; locally the same schedule on the movable clock):
 * - counts stuck work (functions/usecases/stuck-count.ts) and publishes `StuckApplications` / `EscalatedApplications`,
 *   on which the stack alarms;
 * - emits the business metrics counted since its last run (ApplicationsSubmitted, RecordsFiled, ...: read off the
 *   pipeline counters, functions/adapters/dynamo/pipeline-stats.ts `claimBusinessMetrics`), so the functions that
 *   make transitions do not carry the Metrics library;
 * - rolls every day over for a couple of days into its month's item (functions/adapters/dynamo/pipeline-stats.ts), so
 *   a pipeline request reads a dozen month items a year and a few days instead of every day.
 */
import { systemClock } from '../adapters/clock.ts';
import { readConfig } from '../adapters/config.ts';
import { claimBusinessMetrics, PipelineStats, rollUpPipelineDays } from '../adapters/dynamo/pipeline-stats.ts';
import { metrics, MetricUnit } from '../adapters/metrics.ts';
import { logger } from '../adapters/observability.ts';
import { STUCK_METRICS } from '../core/operations/stuck-limits.ts';
import { countStuck } from '../usecases/stuck-count.ts';
import { object, optional, text } from '../core/input-shape.ts';
import { workflowTask } from './task.ts';

const config = readConfig(['TABLE_NAME']);
// The count needs only the table (applications-lists.ts), not the repository class every writer loads.
const deps = { applications: { tableName: config.TABLE_NAME }, clock: systemClock };
const stats = new PipelineStats(config.TABLE_NAME);

export const OpsSweepInput = object({ sweep: optional(text()) });

export const handler = workflowTask('OpsSweep', OpsSweepInput, async () => {
  const count = await countStuck(deps);
  // Published every run, zero included, so the alarm sees a value (and clears) each period.
  metrics.addMetric(STUCK_METRICS.stuck, MetricUnit.Count, count.stuck);
  metrics.addMetric(STUCK_METRICS.escalated, MetricUnit.Count, count.escalated);
  metrics.publishStoredMetrics();
  logger.info('Stuck work counted', { ...count });
  // Before the roll-up: a day is emitted in full before it rolls into its month.
  const business = await claimBusinessMetrics(stats);
  for (const m of business) metrics.addMetric(m.name, m.unit === 'Count' ? MetricUnit.Count : MetricUnit.NoUnit, m.value);
  if (business.length) metrics.publishStoredMetrics();
  const rolledUp = await rollUpPipelineDays(stats, systemClock.now());
  if (rolledUp.length) logger.info('Pipeline days rolled up into their months', { days: rolledUp.length, first: rolledUp[0], last: rolledUp.at(-1) });
  return { ...count, businessMetrics: business.length, rolledUp: rolledUp.length };
});

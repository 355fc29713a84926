/** StuckCount (hourly, EventBridge Scheduler): wires functions/usecases/stuck-count.ts and publishes its metrics. */
import * as z from 'zod/mini';
import { systemClock } from '../adapters/clock.ts';
import { readConfig } from '../adapters/config.ts';
import { ApplicationRepository } from '../adapters/dynamo/applications.ts';
import { metrics, MetricUnit } from '../adapters/metrics.ts';
import { logger } from '../adapters/observability.ts';
import { STUCK_METRICS } from '../core/operations/stuck.ts';
import { countStuck } from '../usecases/stuck-count.ts';
import { workflowTask } from './task.ts';

const config = readConfig(['TABLE_NAME']);
const deps = { applications: new ApplicationRepository(config.TABLE_NAME), clock: systemClock };

export const StuckCountInput = z.object({ sweep: z.optional(z.string()) });

export const handler = workflowTask('StuckCount', StuckCountInput, async () => {
  const count = await countStuck(deps);
  // Published every run, zero included, so the alarm sees a value (and clears) each period.
  metrics.addMetric(STUCK_METRICS.stuck, MetricUnit.Count, count.stuck);
  metrics.addMetric(STUCK_METRICS.escalated, MetricUnit.Count, count.escalated);
  metrics.publishStoredMetrics();
  logger.info('Stuck work counted', { ...count });
  return count;
});

/**
 * The stuck-work count (issue 9 §4; run by OpsSweep, EventBridge Scheduler hourly; locally the same schedule on the
 * movable clock): how many applications are past their status's threshold (data/stuck-thresholds.json, as projected in data/runtime/stuck-limits.json) and how many
 * of those the workflow escalated, published as the metrics `StuckApplications` and `EscalatedApplications`, on which
 * the stack alarms (lib/constructs/observability.ts).
 *
 * Cheap and Scan-free: the stuck list's own query (the operations index by status, `updatedAt` before the threshold),
 * with `Select: COUNT`, one Query per status with a threshold (more only past 1 MB of rows in a status: ~2,000 rows).
 */
import type { ApplicationRepository } from '../adapters/dynamo/applications.ts';
import { countInStatusSince } from '../adapters/dynamo/applications-lists.ts';
import type { ApplicationStatus } from '../../schemas/application.ts';
import type { Clock } from '../core/clock.ts';
import { STUCK_LIMITS, stuckBefore } from '../core/operations/stuck-limits.ts';

export interface StuckCountDeps {
  readonly applications: Pick<ApplicationRepository, 'tableName'>;
  readonly clock: Clock;
}

export interface StuckCount {
  readonly at: string;
  readonly stuck: number;
  readonly escalated: number;
  readonly byStatus: Partial<Record<ApplicationStatus, number>>;
  /** DynamoDB Query requests made (one per status with a threshold, unless a status holds more than a page). */
  readonly queries: number;
}

export async function countStuck(deps: StuckCountDeps): Promise<StuckCount> {
  const now = deps.clock.now();
  const counts = await Promise.all(STUCK_LIMITS.thresholds.map(async (t) => ({ status: t.status, ...(await countInStatusSince(deps.applications, t.status, stuckBefore(t, now))) })));
  const byStatus: Partial<Record<ApplicationStatus, number>> = {};
  for (const c of counts) if (c.count > 0) byStatus[c.status] = c.count;
  return {
    at: now.toISOString(),
    stuck: counts.reduce((n, c) => n + c.count, 0),
    escalated: counts.reduce((n, c) => n + c.escalated, 0),
    byStatus,
    queries: counts.reduce((n, c) => n + c.queries, 0),
  };
}

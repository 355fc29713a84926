/**
 * What the counting functions read of the stuck thresholds (data/runtime/stuck-limits.json, the run-time projection of
 * data/stuck-thresholds.json made by npm run gen:runtime-data): each status's hours and the reminders before an
 * escalation, without the why/unstick prose only the operations read API shows (./stuck.ts). OpsSweep's count and
 * Notify's escalation load this alone (issue 11 §1).
 */
import rawLimits from '../../../data/runtime/stuck-limits.json' with { type: 'json' };
import type { StuckThreshold, StuckThresholds } from '../../../schemas/operations.ts';

/** The projection: a structural subset of data/stuck-thresholds.json (code typed against it accepts the whole file). */
export interface StuckLimits {
  readonly reminderEscalation: Pick<StuckThresholds['reminderEscalation'], 'awsDecisionReminders' | 'creditsReminders'>;
  readonly thresholds: readonly Pick<StuckThreshold, 'status' | 'hours'>[];
}

// Checked at build (functions/core/data-checks.ts: the projection is compared with a fresh one of the checked file).
export const STUCK_LIMITS = rawLimits as unknown as StuckLimits;

/** Metrics the hourly stuck count publishes (functions/workflow/ops-sweep.ts), alarmed on by the stack. */
export const STUCK_METRICS = { stuck: 'StuckApplications', escalated: 'EscalatedApplications' } as const;

/** The latest `updatedAt` that counts as stuck in `threshold.status` at `now`. */
export function stuckBefore(threshold: Pick<StuckThreshold, 'hours'>, now: Date): string {
  return new Date(now.getTime() - threshold.hours * 3_600_000).toISOString();
}

/** The projection of the checked file (functions/core/runtime-data.ts). */
export function projectStuckLimits(stuck: StuckThresholds): StuckLimits {
  const { awsDecisionReminders, creditsReminders } = stuck.reminderEscalation;
  return {
    reminderEscalation: { awsDecisionReminders, creditsReminders },
    thresholds: stuck.thresholds.map(({ status, hours }) => ({ status, hours })),
  };
}

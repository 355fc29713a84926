/**
 * Stuck work: an application held in a status past that status's threshold (data/stuck-thresholds.json, dated and
 * checked at build), with why that is too long and what would unstick it. Failed applications: what failed and what
 * a redrive will do.
 */
import thresholdsJson from '../../../data/runtime/stuck-thresholds.json' with { type: 'json' };
import type { ApplicationStatus } from '../../../schemas/application.ts';
import type { ApplicationListItem } from '../../../schemas/stored-application.ts';
import type { StuckThreshold } from '../../../schemas/operations.ts';
import type { RuntimeStuckThresholds } from '../../../schemas/runtime-data.ts';

// Checked at build (functions/core/data-checks.ts: unit test and every synth), trusted here like the other bundled data.
// For the operations read API (each threshold with why and unstick, the file's date): data/runtime/stuck-thresholds.json,
// the projection of data/stuck-thresholds.json; the counting functions load ./stuck-limits.ts instead.
export const STUCK = thresholdsJson as unknown as RuntimeStuckThresholds;

export { STUCK_METRICS, stuckBefore } from './stuck-limits.ts';

export function thresholdFor(status: ApplicationStatus): StuckThreshold | undefined {
  return STUCK.thresholds.find((t) => t.status === status);
}

/**
 * One stuck row from what the operations index projects (the list row: status, update time and list summary), so a
 * page is the index Query alone, never a read per row.
 */
export function stuckItem(row: ApplicationListItem, threshold: StuckThreshold, now: Date) {
  const hours = Math.max(0, (now.getTime() - Date.parse(row.updatedAt)) / 3_600_000);
  const escalation = row.summary.escalation;
  return {
    id: row.id,
    status: row.status,
    company: row.summary.company,
    partnerId: row.summary.partnerId ?? null,
    since: row.updatedAt,
    hoursInStatus: Math.round(hours * 10) / 10,
    thresholdHours: threshold.hours,
    why: escalation ? `${threshold.why} The reminders ran out and the workflow escalated it (${escalation.at.slice(0, 10)}).` : threshold.why,
    unstick: escalation ? `${threshold.unstick} The workflow has ended: a change recorded on it (AWS's decision, credits applied) resumes it.` : threshold.unstick,
    lastReason: row.summary.lastReason,
    escalated: escalation !== undefined,
  };
}

/** One failed row from the operations index (the list summary carries the failure). */
export function failedItem(row: ApplicationListItem) {
  const failure = row.summary.failure;
  return {
    id: row.id,
    company: row.summary.company,
    failedAt: failure?.at ?? row.updatedAt,
    state: failure?.state ?? 'unknown',
    error: failure?.error ?? 'unknown',
    cause: failure?.cause ?? '',
    failedFrom: failure?.failedFrom ?? 'submitted',
    redrive: redriveDescription(failure),
    executionArn: row.summary.executionArn ?? null,
  };
}

/** Where a redrive puts the application back, and what the workflow then does, in words. */
export function redriveDescription(failure: { state: string; failedFrom?: ApplicationStatus | undefined } | undefined): string {
  const from = failure?.failedFrom;
  if (!from) return 'Nothing to redrive: no failure is recorded.';
  return `Back to '${from}' (where it was when ${failure.state} failed), then a new execution enters at CheckStanding and carries on from there: ${NEXT_STEP[from] ?? 'the step the status calls for'}.`;
}

const NEXT_STEP: Partial<Record<ApplicationStatus, string>> = {
  submitted: 'SizeAsk (EstimateAsk, RecordEstimate), DraftBriefs, RoutePartner',
  sized: 'DraftBriefs, then routing',
  drafted: 'RoutePartner picks a partner',
  routed: 'the partner is mailed and the review wait starts again',
  unrouted: 'the application waits for operations to assign a partner',
  in_partner_review: 'the partner review wait starts again (slot booked again)',
  changes_requested: "the wait for the founder's revision starts again",
  approved_for_filing: "the wait for filing and AWS's decision starts again",
  filed: "the wait for AWS's decision starts again",
  in_aws_review: "the wait for AWS's decision starts again",
  action_required: "the wait for AWS's decision starts again",
  approved: 'the wait for credits starts again',
  credits_applied: 'any pending notice is mailed and the workflow ends (expiry reminders run on their schedule)',
  expiring: 'any pending notice is mailed and the workflow ends',
};

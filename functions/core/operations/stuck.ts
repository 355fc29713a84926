/**
 * Stuck work: an application held in a status past that status's threshold (data/stuck-thresholds.json, dated and
 * validated at load), with why that is too long and what would unstick it. Failed applications: what failed and what
 * a redrive will do.
 */
import rawThresholds from '../../../data/stuck-thresholds.json' with { type: 'json' };
import type { Application, ApplicationStatus } from '../../../schemas/application.ts';
import { StuckThresholds, type StuckThreshold } from '../../../schemas/operations.ts';
import { parseWith } from '../../../schemas/issues.ts';

function load(): StuckThresholds {
  const parsed = parseWith(StuckThresholds, rawThresholds);
  if (!parsed.ok) throw new Error(`data/stuck-thresholds.json: ${parsed.problems.map((p) => `${p.field} ${p.rule}`).join('; ')}`);
  return parsed.value;
}

export const STUCK = load();

export function thresholdFor(status: ApplicationStatus): StuckThreshold | undefined {
  return STUCK.thresholds.find((t) => t.status === status);
}

/** The latest `updatedAt` that counts as stuck in `threshold.status` at `now`. */
export function stuckBefore(threshold: StuckThreshold, now: Date): string {
  return new Date(now.getTime() - threshold.hours * 3_600_000).toISOString();
}

/** The marker an escalation note carries in its reason (reserved for the bounded reminders of issue 9, not yet written by the workflow). */
export const ESCALATION_MARK = 'escalated to operations';

export function stuckItem(app: Application, threshold: StuckThreshold, now: Date) {
  const hours = Math.max(0, (now.getTime() - Date.parse(app.updatedAt)) / 3_600_000);
  const last = app.transitions.at(-1);
  const changedAt = lastStatusChange(app)?.version ?? 0;
  return {
    id: app.id,
    status: app.status,
    company: app.worksheet.company.name,
    partnerId: app.partner?.partnerId ?? null,
    since: app.updatedAt,
    hoursInStatus: Math.round(hours * 10) / 10,
    thresholdHours: threshold.hours,
    why: threshold.why,
    unstick: threshold.unstick,
    lastReason: last?.reason ?? '',
    escalated: app.transitions.some((t) => t.version > changedAt && t.from === t.to && t.reason.includes(ESCALATION_MARK)),
  };
}

function lastStatusChange(app: Application) {
  return [...app.transitions].reverse().find((t) => t.from !== t.to);
}

/** Where a redrive puts the application back, and what the workflow then does, in words. */
export function redriveDescription(app: Application): string {
  const from = app.failure?.failedFrom;
  if (!from) return 'Nothing to redrive: no failure is recorded.';
  return `Back to '${from}' (where it was when ${app.failure?.state ?? 'a task'} failed), then a new execution enters at CheckStanding and carries on from there: ${NEXT_STEP[from] ?? 'the step the status calls for'}.`;
}

const NEXT_STEP: Partial<Record<ApplicationStatus, string>> = {
  submitted: 'SizeAsk, DraftBriefs, RoutePartner',
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

/**
 * Bounded reminders (issue 9 §4): the waits for AWS's decision and for credits remind the partner and operations each
 * time they lapse (every 21 and 30 days); after the counted number of reminders (data/stuck-thresholds.json
 * `reminderEscalation`) the next lapse escalates to operations instead: a note in the timeline (status unchanged,
 * the operator-visible mark of a stuck application), one mail to operations, and the execution ends, far below Step
 * Functions' one-year limit. The partner review, the founder's revision and the address confirmation are already
 * bounded (a reminder, then re-route, close or expiry), so only these two waits count.
 *
 * The count is durable, not kept in the execution's state: the reminders of a wait are the sent reminder notices at
 * the application's current version (their claim keys name the version and the day, functions/workflow/notify.ts).
 * Any transition or note bumps the version, so a partner's move or an operator's nudge starts the count again, and a
 * retried task counts the same. A retry after the escalation note was written finds the note and replays it.
 */
import type { Actor, Application, Transition } from '../../../schemas/application.ts';
import type { NoticeKind } from '../notifications.ts';
import { TASK_TOKEN_KINDS } from '../application/commands.ts';

/** What an escalation note's reason starts with: read back by the stuck list, the list summary and the board. */
export const ESCALATION_MARK = 'escalated to operations';

/** The reminded waits, named by their task-token kind. */
export type RemindedWait = typeof TASK_TOKEN_KINDS.awsDecision | typeof TASK_TOKEN_KINDS.credits;

export interface RemindedWaitRule {
  readonly wait: RemindedWait;
  /** The partner's reminder notice: its sent keys at the current version are the reminders counted. */
  readonly reminderKind: NoticeKind;
  /** Its limit's name in data/stuck-thresholds.json `reminderEscalation`. */
  readonly limitField: 'awsDecisionReminders' | 'creditsReminders';
  readonly what: string;
}

// Built by a call marked pure: its property reads would otherwise keep the table in every bundle that imports this
// module for ESCALATION_MARK alone (the list summary, so every function that writes an application; issue 11 §1).
export const REMINDED_WAITS: Record<RemindedWait, RemindedWaitRule> = /* @__PURE__ */ remindedWaits();

function remindedWaits(): Record<RemindedWait, RemindedWaitRule> {
  return {
    [TASK_TOKEN_KINDS.awsDecision]: {
      wait: TASK_TOKEN_KINDS.awsDecision, reminderKind: 'partner-aws-decision-reminder', limitField: 'awsDecisionReminders', what: "AWS's decision",
    },
    [TASK_TOKEN_KINDS.credits]: {
      wait: TASK_TOKEN_KINDS.credits, reminderKind: 'partner-credits-reminder', limitField: 'creditsReminders', what: 'the credits to be applied',
    },
  };
}

/** Reminders of this wait sent at the application's current version (one per lapse: the key names the day). */
export function remindersSent(app: Application, rule: RemindedWaitRule): number {
  const prefix = `${rule.reminderKind}:v${app.version}:`;
  return (app.notified ?? []).filter((key) => key.startsWith(prefix)).length;
}

/** The latest real change: a status change or a record's (a note, such as a nudge or an escalation, is neither). */
function lastChange(app: Application): Transition | undefined {
  return app.transitions.findLast((t) => t.from !== t.to || t.record !== undefined);
}

/** Whether a transition is an escalation note (a note, keeping the status, that says it escalated). */
export function isEscalationNote(t: Transition): boolean {
  return t.from === t.to && t.reason.startsWith(ESCALATION_MARK);
}

/** The escalation note standing now: written after the latest change (a later change clears it; a nudge does not). */
export function escalationOf(app: Application): Transition | undefined {
  const changedAt = lastChange(app)?.version ?? 0;
  return app.transitions.findLast((t) => t.version > changedAt && isEscalationNote(t));
}

/** The latest escalation note ever written (standing or not): its execution ended there. */
export function latestEscalation(app: Application): Transition | undefined {
  return app.transitions.findLast(isEscalationNote);
}

export type ReminderPlan =
  | { readonly kind: 'remind'; readonly sent: number }
  | { readonly kind: 'escalate'; readonly note: Transition }
  | { readonly kind: 'escalated'; readonly note: Transition };

const SYSTEM: Actor = { kind: 'system', id: 'Notify' };

/**
 * What a lapse of `wait` does now: remind again, escalate (a new note), or replay an escalation already written.
 * `limits` is data/stuck-thresholds.json `reminderEscalation` (functions/core/operations/stuck.ts STUCK).
 */
export function planReminder(app: Application, wait: RemindedWait, limits: Readonly<Record<RemindedWaitRule['limitField'], number>>, now: Date): ReminderPlan {
  const rule = REMINDED_WAITS[wait];
  const standing = escalationOf(app);
  if (standing && app.transitions.at(-1) === standing) return { kind: 'escalated', note: standing };
  const sent = remindersSent(app, rule);
  if (sent < limits[rule.limitField]) return { kind: 'remind', sent };
  return {
    kind: 'escalate',
    note: {
      at: now.toISOString(),
      actor: SYSTEM,
      from: app.status,
      to: app.status,
      reason: `${ESCALATION_MARK}: waited for ${rule.what} through ${sent} reminder${sent === 1 ? '' : 's'} without a change; no further reminders, the workflow has ended and operations take over (a recorded change resumes it)`,
      version: app.version + 1,
    },
  };
}

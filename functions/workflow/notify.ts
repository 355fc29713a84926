/**
 * Notify: mails people for the workflow (with the expiry sweep, one of the two functions allowed to send mail).
 *
 * - event `transitions`: every transition not yet notified, recipients chosen by the new status
 *   (functions/core/notifications.ts `noticesForTransition`), claimed per transition version (functions/usecases/notifier.ts).
 * - reminder events (a wait lapsed): fixed notices, claimed per application version and day, so a retried task
 *   never mails twice while a reminder weeks later (same version, nothing happened) still goes out.
 * - `aws-decision-overdue` / `credits-overdue` are bounded: past the counted reminders the lapse escalates to
 *   operations instead (functions/core/operations/escalation.ts) and answers `escalated: true`, which ends the
 *   execution (lib/workflow/definition.ts, the `…RemindersLeft` choices).
 * - `routed` / `unrouted` / `failed`: the issue-3 events, kept.
 */
import { systemClock } from '../adapters/clock.ts';
import { readConfig } from '../adapters/config.ts';
import { ApplicationRepository } from '../adapters/dynamo/applications.ts';
import { appendNote } from '../adapters/dynamo/applications-edits.ts';
import { PartnerRepository } from '../adapters/dynamo/partners.ts';
import { logger } from '../adapters/observability.ts';
import { composeNotice, type NoticeKind } from '../core/notifications.ts';
import { ConflictError } from '../core/errors.ts';
import { TASK_TOKEN_KINDS } from '../core/application/commands.ts';
import { planReminder, type RemindedWait } from '../core/operations/escalation.ts';
import { STUCK_LIMITS } from '../core/operations/stuck-limits.ts';
import { Notifier } from '../usecases/notifier.ts';
import { sendConfirmationMail } from '../usecases/address-confirmation.ts';
import { readConfirmationSettings } from '../wiring/intake-settings.ts';
import { object, oneOf, text } from '../core/input-shape.ts';
import { workflowTask } from './task.ts';

const config = readConfig(['TABLE_NAME', 'SENDER_EMAIL', 'SES_CONFIGURATION_SET', 'PUBLIC_BASE_URL', 'OPS_EMAIL']);
const applications = new ApplicationRepository(config.TABLE_NAME);
const notifier = new Notifier(applications, new PartnerRepository(config.TABLE_NAME), config, composeNotice);
const confirmation = { applications, notifier, clock: systemClock, settings: readConfirmationSettings(), baseUrl: config.PUBLIC_BASE_URL };

const DAY_MS = 86_400_000;

/** Workflow events and the notices each one sends (`transitions` is computed from the timeline). */
export const NOTICES_BY_EVENT = {
  transitions: [],
  'partner-review-overdue': ['partner-review-reminder'],
  'founder-revision-reminder': ['founder-revision-reminder'],
  'revision-abandoned': ['founder-revision-abandoned', 'ops-revision-abandoned', 'partner-status-update'],
  'aws-decision-overdue': ['partner-aws-decision-reminder', 'ops-aws-decision-reminder'],
  'credits-overdue': ['partner-credits-reminder', 'ops-credits-reminder'],
  failed: ['ops-failure'],
  /** The founder's address confirmation (a new single-use secret each time; functions/usecases/address-confirmation.ts). */
  'address-confirmation': ['founder-address-confirmation'],
} as const satisfies Record<string, readonly NoticeKind[]>;

type NotifyEvent = keyof typeof NOTICES_BY_EVENT;

/** Waits whose reminders are counted and, past their bound, escalate to operations (core/operations/escalation.ts). */
const BOUNDED_REMINDERS: Partial<Record<NotifyEvent, RemindedWait>> = { 'aws-decision-overdue': TASK_TOKEN_KINDS.awsDecision, 'credits-overdue': TASK_TOKEN_KINDS.credits };

/** Reminders repeat while nothing changes: their claim also names the day. */
const REMINDER_EVENTS: ReadonlySet<NotifyEvent> = new Set(['partner-review-overdue', 'founder-revision-reminder', 'aws-decision-overdue', 'credits-overdue']);

export const NotifyInput = object({
  applicationId: text({ min: 1 }),
  event: oneOf(Object.keys(NOTICES_BY_EVENT) as NotifyEvent[]),
});

export const handler = workflowTask('Notify', NotifyInput, async ({ applicationId, event }) => {
  const app = await applications.mustGet(applicationId);
  if (event === 'transitions') {
    const sent = await notifier.notifyTransitions(app);
    logger.info('Transition notices sent', { sent });
    return { applicationId, sent };
  }
  if (event === 'address-confirmation') {
    const sent = await sendConfirmationMail(confirmation, app);
    logger.info('Address confirmation', { sent });
    return { applicationId, sent };
  }
  const partner = await notifier.partnerOf(app);
  const bounded = BOUNDED_REMINDERS[event];
  if (bounded) {
    const plan = planReminder(app, bounded, STUCK_LIMITS.reminderEscalation, systemClock.now());
    if (plan.kind !== 'remind') {
      // The note first (a conditional write: a change recorded meanwhile wins, and the workflow waits again, which
      // hands that change on), then operations' mail, claimed by the note's version so a retry after a crash sends it
      // once (the retry finds the note and replays it).
      let escalated = app;
      if (plan.kind === 'escalate') {
        try {
          escalated = await appendNote(applications, app, plan.note);
        } catch (error) {
          if (!(error instanceof ConflictError)) throw error;
          logger.info('Escalation overtaken by a change', { event });
          return { applicationId, sent: [], escalated: false };
        }
      }
      const sent = await notifier.deliver(escalated, 'ops-escalation', `ops-escalation:v${plan.note.version}`, { transition: plan.note, detail: plan.note.reason }, partner);
      logger.info('Reminders exhausted: escalated to operations', { event, replay: plan.kind === 'escalated', sent });
      return { applicationId, sent: sent ? ['ops-escalation'] : [], escalated: true };
    }
  }
  const day = REMINDER_EVENTS.has(event) ? `:d${Math.floor(systemClock.now().getTime() / DAY_MS)}` : '';
  const sent: string[] = [];
  for (const kind of NOTICES_BY_EVENT[event] as readonly NoticeKind[]) {
    const key = `${kind}:v${app.version}${partner ? `:${partner.id}` : ''}${day}`;
    const extras = event === 'revision-abandoned' && kind === 'partner-status-update'
      ? { detail: `The founder did not answer your change request on application ${app.id} after a reminder: the application is closed and your review slot is free again.` }
      : {};
    if (await notifier.deliver(app, kind, key, extras, partner)) sent.push(kind);
  }
  logger.info('Notices sent', { event, sent });
  return { applicationId, sent, escalated: false };
});

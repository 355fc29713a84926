/**
 * The mails each function that sends notices composes (functions/usecases/notifier.ts takes one of these), so each
 * loads only its own (issue 11 §1): Notify composes every kind (functions/core/notifications.ts `composeNotice`).
 */
import { composerOf } from '../core/notice-mail.ts';
import { composeExpiryNotice } from '../core/notices-expiry.ts';
import { composeReminderNotice } from '../core/notices-reminder.ts';
import { composeTransitionNotice } from '../core/notices-transition.ts';

/** The expiry sweep: the expiry reminder, and what its own transitions (expiring, expired) call for. */
export const expirySweepNotices = /* @__PURE__ */ composerOf(composeTransitionNotice, composeExpiryNotice);

/**
 * Operations' actions (redrive, reassign, cancel): what their transitions call for (notifyTransitions mails every
 * transition not yet notified, so every transition notice, never a reminder).
 */
export const operationsActionNotices = /* @__PURE__ */ composerOf(composeTransitionNotice);

/** Operations' nudge (its own function, functions/http/ops-nudge.ts): the reminder it sends again, nothing else. */
export const operationsNudgeNotices = /* @__PURE__ */ composerOf(composeReminderNotice);

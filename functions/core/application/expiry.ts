/**
 * Credit expiry: reminders 60 and 30 days before a record's credits expire, the application moving to `expiring`
 * with the first of them, and each record moving to `expired` on its expiry date. Pure: the sweeper passes `now`.
 */
import type { Application } from '../../../schemas/application.ts';
import { recordOf } from './record-state.ts';

/** Days before expiry at which the founder is reminded, most distant first. */
export const EXPIRY_REMINDER_DAYS = [60, 30] as const;

const DAY_MS = 86_400_000;

export interface ExpiryReminder {
  readonly programId: string;
  /** The threshold this mail is for (the most urgent one due). */
  readonly days: number;
  /** Every threshold this mail covers (a sweep that ran late may pass two at once: one mail, both recorded). */
  readonly covers: readonly number[];
  readonly daysLeft: number;
  readonly expiresOn: string;
  readonly amountUsd?: string;
}

export interface ExpiryPlan {
  readonly reminders: readonly ExpiryReminder[];
  /** Records whose credits have expired. */
  readonly expire: readonly { readonly programId: string; readonly expiresOn: string }[];
  /** The application moves credits_applied → expiring (a record is within the first reminder's reach). */
  readonly toExpiring: boolean;
}

/** Whole days from `now` until the expiry date (its start, UTC, for a plain date), rounded up. */
export function daysUntil(expiresOn: string, now: Date): number {
  return Math.ceil((Date.parse(expiresOn) - now.getTime()) / DAY_MS);
}

export function planExpiry(app: Application, now: Date): ExpiryPlan {
  const reminders: ExpiryReminder[] = [];
  const expire: { programId: string; expiresOn: string }[] = [];
  let withinReach = false;
  for (const brief of app.briefs ?? []) {
    const record = recordOf(brief);
    const expiresOn = record.credits?.expiresOn;
    if (record.status !== 'credits_applied' || !expiresOn || Number.isNaN(Date.parse(expiresOn))) continue;
    const daysLeft = daysUntil(expiresOn, now);
    if (daysLeft <= 0) {
      expire.push({ programId: brief.programId, expiresOn });
      continue;
    }
    if (daysLeft <= Math.max(...EXPIRY_REMINDER_DAYS)) withinReach = true;
    const sent = record.remindersSent ?? [];
    const due = EXPIRY_REMINDER_DAYS.filter((d) => daysLeft <= d && !sent.includes(d));
    if (due.length > 0) {
      reminders.push({
        programId: brief.programId, days: Math.min(...due), covers: due, daysLeft, expiresOn,
        ...(record.credits?.amountUsd ? { amountUsd: record.credits.amountUsd } : {}),
      });
    }
  }
  return { reminders, expire, toExpiring: app.status === 'credits_applied' && (withinReach || expire.length > 0) };
}

/**
 * When the sweep next has something to do for this application: the earliest unsent reminder or expiry of its
 * credited records (undefined when none is credited). The sweep reads only applications due by now, so this must
 * never be later than the truth; earlier only costs a visit that finds nothing to do.
 */
export function nextExpiryCheck(app: Pick<Application, 'briefs'>): Date | undefined {
  let earliest: number | undefined;
  for (const brief of app.briefs ?? []) {
    const record = recordOf(brief);
    const expiresOn = record.credits?.expiresOn;
    const expiry = expiresOn ? Date.parse(expiresOn) : NaN;
    if (record.status !== 'credits_applied' || Number.isNaN(expiry)) continue;
    const sent = record.remindersSent ?? [];
    // daysUntil(expiresOn, t) <= d exactly when t >= expiry - d days.
    const moments = [expiry, ...EXPIRY_REMINDER_DAYS.filter((d) => !sent.includes(d)).map((d) => expiry - d * DAY_MS)];
    for (const m of moments) earliest = earliest === undefined ? m : Math.min(earliest, m);
  }
  return earliest === undefined ? undefined : new Date(earliest);
}

/**
 * The expiry sweep (the daily ExpirySweep task, EventBridge Scheduler; locally the same schedule on the movable
 * clock): for applications whose credits are applied (`credits_applied`, `expiring`, or `approved` with some records already applied):
 * - reminds the founder 60 and 30 days before a record's credits expire (claimed per record and threshold, so
 *   never twice; recorded in `record.remindersSent`);
 * - moves the application credits_applied → expiring with the first reminder, and each record → expired on its
 *   expiry date (the application follows its records: expired once every record is);
 * - mails about its own transitions through the same transition notices as the workflow.
 *
 * Its daily work is proportional to what is due, not to the table: it reads only the applications whose next reminder
 * or expiry is due by now (the `gsi3` index, kept with every write of a credited application from
 * `nextExpiryCheck`), and an application it visits moves its next check forward. At 100,000 credited applications
 * a day with 50 due reads those 50 (bench: `npm run bench -- sweep`).
 *
 * Its function sends mail itself (the second with SES rights, see lib/constructs/workflow.ts): it has no caller
 * input and uses the same claims and the same composeNotice as Notify. One application's failure does not stop the
 * others; the sweep fails at the end so Scheduler retries it (everything it does is idempotent).
 */
import { type ApplicationRepository, applyTransition } from '../adapters/dynamo/applications.ts';
import { listExpiryDue, recordReminderSent, refreshExpiryDue } from '../adapters/dynamo/applications-expiry.ts';
import { logger } from '../adapters/observability.ts';
import type { Clock } from '../core/clock.ts';
import { planExpiry } from '../core/application/expiry.ts';
import { planTransition } from '../core/application/lifecycle.ts';
import { planRecordMove } from '../core/application/record-state.ts';
import { ConflictError } from '../core/errors.ts';
import type { Actor, Application } from '../../schemas/application.ts';
import type { Notifier } from './notifier.ts';

export interface ExpirySweepDeps {
  readonly applications: ApplicationRepository;
  readonly notifier: Pick<Notifier, 'deliver' | 'notifyTransitions'>;
  readonly clock: Clock;
}

export interface ExpirySweepTotals {
  applications: number;
  reminders: number;
  expired: number;
  expiring: number;
  failed: number;
}

export class ExpirySweepError extends Error {
  override readonly name = 'ExpirySweepError';
}

interface Outcome {
  reminders: number;
  expired: number;
  expiring: boolean;
}

async function sweepOne(deps: ExpirySweepDeps, actor: Actor, app: Application, now: Date): Promise<Outcome> {
  let current = app;
  const plan = planExpiry(current, now);
  const outcome: Outcome = { reminders: 0, expired: 0, expiring: false };
  if (plan.toExpiring) {
    const days = Math.min(...plan.reminders.map((r) => r.daysLeft), ...(plan.expire.length ? [0] : []));
    current = await applyTransition(deps.applications, current, planTransition({
      current: current.status, version: current.version, to: 'expiring', actor, now,
      reason: Number.isFinite(days) ? `credits expire in ${Math.max(0, days)} day(s)` : 'credits expire soon',
    }));
    outcome.expiring = true;
  }
  // A failed application accepts no record change until operations redrive it: remind, but do not expire.
  for (const { programId, expiresOn } of current.status === 'failed' ? [] : plan.expire) {
    const p = planRecordMove({ app: current, programId, to: 'expired', actor, now, reason: `credits expired on ${expiresOn}` });
    current = await applyTransition(deps.applications, current, p, { briefs: p.briefs });
    outcome.expired += 1;
  }
  for (const r of plan.reminders) {
    const { programId, daysLeft, expiresOn, amountUsd } = r;
    const sent = await deps.notifier.deliver(current, 'founder-expiry-reminder', `expiry:${programId}:${r.days}`, {
      expiry: { programId, daysLeft, expiresOn, ...(amountUsd ? { amountUsd } : {}) },
    });
    if (sent) outcome.reminders += 1;
    current = await recordReminderSent(deps.applications, current, programId, r.covers);
  }
  // Nothing to do (a check due earlier than the truth): look again later. A failed application's expired credits keep
  // it due (their expiry has passed): visited each day, it expires once operations redrive it.
  if (!plan.toExpiring && plan.expire.length === 0 && plan.reminders.length === 0) await refreshExpiryDue(deps.applications, current);
  // Its own transitions (expiring, expired) are mailed like the workflow's; an application it did not change is left
  // to its workflow's notices.
  if (outcome.expiring || outcome.expired > 0) await deps.notifier.notifyTransitions(await deps.applications.mustGet(current.id));
  return outcome;
}

export async function sweepExpiries(deps: ExpirySweepDeps, actor: Actor): Promise<ExpirySweepTotals> {
  const now = deps.clock.now();
  const totals: ExpirySweepTotals = { applications: 0, reminders: 0, expired: 0, expiring: 0, failed: 0 };
  let cursor: string | undefined;
  do {
    // A visited application's entry moves past now (or stays put): the cursor never meets it again in this run.
    const page = await listExpiryDue(deps.applications, now, { limit: 100, ...(cursor ? { cursor } : {}) });
    for (const id of page.ids) {
      totals.applications += 1;
      try {
        const app = await deps.applications.get(id);
        if (!app) continue;
        const o = await sweepOne(deps, actor, app, now);
        totals.reminders += o.reminders;
        totals.expired += o.expired;
        totals.expiring += o.expiring ? 1 : 0;
      } catch (error) {
        // A concurrent change: the next run (or Scheduler's retry) picks it up from the new state.
        totals.failed += 1;
        logger.warn('Expiry sweep skipped an application', { applicationId: id, conflict: error instanceof ConflictError, error: String(error) });
      }
    }
    cursor = page.cursor;
  } while (cursor);
  logger.info('Expiry sweep done', { ...totals, at: now.toISOString() });
  if (totals.failed > 0) throw new ExpirySweepError(`${totals.failed} application(s) could not be swept; retrying is safe`);
  return totals;
}

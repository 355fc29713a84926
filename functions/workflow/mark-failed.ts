/**
 * MarkFailed: the workflow's failure path. Records where and why the workflow failed and keeps every
 * byte of the application (worksheet, estimate, briefs), so operations can fix the cause and redrive.
 */
import { systemClock } from '../adapters/clock.ts';
import { readConfig } from '../adapters/config.ts';
import { ApplicationRepository, applyTransition } from '../adapters/dynamo/applications.ts';
import { PartnerRepository } from '../adapters/dynamo/partners.ts';
import { planTransition } from '../core/application/lifecycle.ts';
import { cleanFailureCause } from '../core/failure-cause.ts';
import { logger } from '../adapters/observability.ts';
import { object, optional, text } from '../core/input-shape.ts';
import { systemActor, workflowTask } from './task.ts';

const config = readConfig(['TABLE_NAME']);
const applications = new ApplicationRepository(config.TABLE_NAME);
const partners = new PartnerRepository(config.TABLE_NAME);

export const MarkFailedInput = object({
  applicationId: text({ min: 1 }),
  /** The Catch's error output: `{ Error, Cause }`. */
  error: optional(object({ Error: optional(text()), Cause: optional(text()) })),
  /** The task that failed, named by the Pass state its catch-all goes through (lib/workflow/definition.ts). */
  failedState: optional(text()),
});

export const handler = workflowTask('MarkFailed', MarkFailedInput, async ({ applicationId, error, failedState }) => {
  const app = await applications.mustGet(applicationId);
  if (app.status === 'failed') {
    if (app.partner) await partners.release(app.partner.partnerId, applicationId); // a retry after the write
    return { applicationId, status: app.status };
  }
  const now = systemClock.now();
  const errorName = error?.Error ?? 'UnknownError';
  // The full cause (with Lambda's stack trace) goes to the logs only; the application keeps the name and a clean message.
  logger.error('Workflow failed', { failedState, errorName, cause: error?.Cause });
  const cause = cleanFailureCause(error?.Cause);
  const updated = await applyTransition(applications, app, planTransition({
    current: app.status, version: app.version, to: 'failed', actor: systemActor('MarkFailed'), now,
    reason: `workflow failed in ${failedState ?? 'an unnamed state'}: ${errorName}`,
  }), {
    failure: { at: now.toISOString(), state: failedState ?? 'unknown', error: errorName, cause, failedFrom: app.status },
  });
  // A failed application is not under review: give the partner's slot back (idempotent per application).
  if (updated.partner) await partners.release(updated.partner.partnerId, applicationId);
  return { applicationId, status: updated.status };
});

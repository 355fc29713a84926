/**
 * AwaitReview (a `.waitForTaskToken` task): keeps the task token server-side, keyed by the application,
 * and marks the application as in partner review (routed → in_partner_review). The workflow then waits
 * until a partner's decision arrives through the API, which resumes it with this token.
 */
import * as z from 'zod/mini';
import { readConfig } from '../adapters/config.ts';
import { ApplicationRepository } from '../adapters/dynamo/applications.ts';
import { planTransition } from '../core/application/lifecycle.ts';
import { systemActor, workflowTask } from './task.ts';

const config = readConfig(['TABLE_NAME']);
const applications = new ApplicationRepository(config.TABLE_NAME);

/** Kept a little longer than the longest human wait the workflow allows. */
const TOKEN_RETENTION_DAYS = 30;

export const AwaitReviewInput = z.object({
  applicationId: z.string().check(z.minLength(1)),
  taskToken: z.string().check(z.minLength(1)),
  /** Which human step is waiting; the partner review unless said otherwise. */
  kind: z.optional(z.string()),
});

export const handler = workflowTask('AwaitReview', AwaitReviewInput, async ({ applicationId, taskToken, kind }) => {
  const now = new Date();
  // Token first, status second: a crash in between leaves a stored token and a retry that finishes the move.
  await applications.saveTaskToken(applicationId, kind ?? 'partner-review', taskToken, {
    now, expiresAt: new Date(now.getTime() + TOKEN_RETENTION_DAYS * 86_400_000),
  });
  const app = await applications.mustGet(applicationId);
  if (app.status === 'routed') {
    await applications.applyTransition(app, planTransition({
      current: app.status, version: app.version, to: 'in_partner_review', actor: systemActor('AwaitReview'), now,
      reason: `waiting on ${app.partner?.partnerName ?? 'the partner'}'s review`,
    }));
  }
  return { applicationId, waiting: kind ?? 'partner-review' };
});

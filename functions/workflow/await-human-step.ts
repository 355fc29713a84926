/**
 * AwaitHumanStep (the `.waitForTaskToken` task of every human wait; deployed as the function AwaitReview): keeps the task token server-side under its kind
 * (`address-confirmation`, `partner-review`, `founder-revision`, `aws-decision`, `credits`) and, for the partner review, marks the
 * application as in partner review (routed → in_partner_review). The API resumes the workflow with this token after
 * it has written the transition (DynamoDB first, callback second; docs/CONTRACTS.md).
 *
 * A callback can be lost to a race: the person acts after the previous token was spent and before this one is
 * stored, so the API finds a used token (harmless for it). The token is therefore stored FIRST and the application
 * read AFTER: if it already moved past what this wait is for, the task fails with `ChangedWhileWaiting` and the
 * workflow goes to NotifyChange → CheckStanding instead of waiting for a callback that already happened.
 */
import { systemClock } from '../adapters/clock.ts';
import { readConfig } from '../adapters/config.ts';
import { ApplicationRepository, applyTransition } from '../adapters/dynamo/applications.ts';
import { saveTaskToken } from '../adapters/dynamo/applications-tasks.ts';
import { TASK_TOKEN_KINDS, type TaskTokenKind } from '../core/application/commands.ts';
import { planTransition } from '../core/application/lifecycle.ts';
import { standingOf } from '../core/application/standing.ts';
import { addressConfirmed, awaitingAddressConfirmation, confirmationMailDue } from '../core/address-confirmation.ts';
import { ConflictError } from '../core/errors.ts';
import type { Application } from '../../schemas/application.ts';
import { possessive, unnotifiedTransitions } from '../core/notice-markers.ts';
import { object, oneOf, optional, text } from '../core/input-shape.ts';
import { systemActor, workflowTask } from './task.ts';

const config = readConfig(['TABLE_NAME']);
const applications = new ApplicationRepository(config.TABLE_NAME);

/** Kept a little longer than the longest human wait the workflow allows (30 days for credits by default). */
const TOKEN_RETENTION_DAYS = 45;

export const AwaitHumanStepInput = object({
  applicationId: text({ min: 1 }),
  taskToken: text({ min: 1 }),
  /** Which human step is waiting; the partner review unless said otherwise. */
  kind: optional(oneOf(Object.values(TASK_TOKEN_KINDS))),
});

/** The application already moved on (a callback for this wait can no longer come). */
export class ChangedWhileWaiting extends Error {
  override readonly name = 'ChangedWhileWaiting';
}

/** Why this wait would never be answered, or undefined when waiting is right. */
function movedOn(app: Application, kind: TaskTokenKind): string | undefined {
  switch (kind) {
    case TASK_TOKEN_KINDS.partnerReview:
      return app.status === 'routed' || app.status === 'in_partner_review' ? undefined : `the application is already '${app.status}'`;
    case TASK_TOKEN_KINDS.addressConfirmation:
      if (!awaitingAddressConfirmation(app)) return addressConfirmed(app) ? 'the address is already confirmed' : `the application is already '${app.status}'`;
      // A resend asked for before this wait began: its mail goes out first (CheckStanding → SendAddressConfirmation).
      return app.addressConfirmation && confirmationMailDue(app.addressConfirmation) ? 'a confirmation mail is due' : undefined;
    case TASK_TOKEN_KINDS.founderRevision:
      return app.status === 'changes_requested' ? undefined : `the application is already '${app.status}'`;
    case TASK_TOKEN_KINDS.awsDecision:
    case TASK_TOKEN_KINDS.credits: {
      const stage = standingOf(app);
      if (stage !== kind) return `the application is at '${stage}' ('${app.status}')`;
      // Every change after filing is a record change the workflow must mail about and react to.
      const missed = unnotifiedTransitions(app);
      return missed.length ? `${missed.length} change(s) arrived before this wait (last: version ${missed.at(-1)?.version ?? '?'})` : undefined;
    }
  }
}

export const handler = workflowTask('AwaitReview', AwaitHumanStepInput, async ({ applicationId, taskToken, kind: given }) => {
  const kind = given ?? TASK_TOKEN_KINDS.partnerReview;
  const now = systemClock.now();
  // Token first, status second: a crash in between leaves a stored token and a retry that finishes the move.
  await saveTaskToken(applications, applicationId, kind, taskToken, {
    now, expiresAt: new Date(now.getTime() + TOKEN_RETENTION_DAYS * 86_400_000),
  });
  const app = await applications.mustGet(applicationId);
  const why = movedOn(app, kind);
  if (why) throw new ChangedWhileWaiting(`${kind}: ${why}`);
  if (kind === TASK_TOKEN_KINDS.partnerReview && app.status === 'routed') {
    try {
      await applyTransition(applications, app, planTransition({
        current: app.status, version: app.version, to: 'in_partner_review', actor: systemActor('AwaitReview'), now, // the actor id stored in timelines stays
        reason: `waiting on ${app.partner ? possessive(app.partner.partnerName) : "the partner's"} review`,
      }));
    } catch (error) {
      // Withdrawn (or otherwise moved) meanwhile: not a failure, the workflow finds out where it stands.
      if (error instanceof ConflictError) throw new ChangedWhileWaiting(`${kind}: ${error.message}`);
      throw error;
    }
  }
  return { applicationId, waiting: kind };
});

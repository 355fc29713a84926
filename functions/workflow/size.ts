/** SizeAsk: sizes the credit ask from the worksheet and stores the estimate (submitted → sized). */
import { systemClock } from '../adapters/clock.ts';
import { readConfig } from '../adapters/config.ts';
import { ApplicationRepository, applyTransition } from '../adapters/dynamo/applications.ts';
import { planTransition } from '../core/application/lifecycle.ts';
import { estimate } from '../core/estimate.ts';
import { ApplicationTaskInput, systemActor, workflowTask } from './task.ts';

const config = readConfig(['TABLE_NAME']);
const applications = new ApplicationRepository(config.TABLE_NAME);

export const handler = workflowTask('SizeAsk', ApplicationTaskInput, async ({ applicationId }) => {
  const app = await applications.mustGet(applicationId);
  // A retried task after a successful write finds the work done.
  if (app.status !== 'submitted') return { applicationId, status: app.status };
  const now = systemClock.now();
  const result = estimate(app.worksheet, { now });
  const plan = planTransition({
    current: app.status, version: app.version, to: 'sized', actor: systemActor('SizeAsk'), now,
    reason: `credit ask sized: ${result.plan.filings.map((f) => `${f.programId} $${f.askUsd}`).join(', ') || 'no program to file'}`,
  });
  const updated = await applyTransition(applications, app, plan, { estimate: result });
  return { applicationId, status: updated.status };
});

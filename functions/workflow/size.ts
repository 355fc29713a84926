/**
 * SizeAsk and RecordEstimate (one function, two states): the stored side of sizing the credit ask
 * (submitted → sized). The engine itself runs in EstimateAsk (./estimate.ts), which needs no AWS client:
 * - called with `{ applicationId }` (SizeAsk): reads the application and, when it waits to be sized, returns the
 *   worksheet's sizing fields and the version they were read at;
 * - called with `{ applicationId, estimate, forVersion }` (RecordEstimate): stores the estimate with the transition
 *   when the application is still at that version; if anything wrote it meanwhile, it returns the fresh sizing fields
 *   instead, and the workflow sizes again (NeedsEstimate? loops through EstimateAsk).
 * A retried task after a successful write finds the work done (the application is no longer `submitted`).
 */
import { systemClock } from '../adapters/clock.ts';
import { readConfig } from '../adapters/config.ts';
import { ApplicationRepository, applyTransition } from '../adapters/dynamo/applications.ts';
import { planTransition } from '../core/application/lifecycle.ts';
import { number, object, optional, record, text, whole } from '../core/input-shape.ts';
import { sizingWorksheetOf, type SizingWorksheet } from '../core/sizing-worksheet.ts';
import type { Estimate } from '../../schemas/estimate.ts';
import { systemActor, workflowTask } from './task.ts';

const config = readConfig(['TABLE_NAME']);
const applications = new ApplicationRepository(config.TABLE_NAME);

const SizeTaskInput = object({
  applicationId: text({ min: 1 }),
  estimate: optional(record()),
  forVersion: optional(number(whole('must be a whole number'))),
});

/** Always the same fields (null when there is nothing to size), so the state machine's selector finds each path. */
export interface SizeTaskResult {
  applicationId: string;
  status: string;
  forVersion: number | null;
  worksheet: SizingWorksheet | null;
}

export const handler = workflowTask('SizeAsk', SizeTaskInput, async ({ applicationId, estimate, forVersion }): Promise<SizeTaskResult> => {
  const app = await applications.mustGet(applicationId);
  if (app.status !== 'submitted') return { applicationId, status: app.status, forVersion: null, worksheet: null };
  if (estimate === undefined || forVersion !== app.version) {
    return { applicationId, status: app.status, forVersion: app.version, worksheet: sizingWorksheetOf(app.worksheet) };
  }
  const result = estimate as unknown as Estimate;
  const plan = planTransition({
    current: app.status, version: app.version, to: 'sized', actor: systemActor('SizeAsk'), now: systemClock.now(),
    reason: `credit ask sized: ${result.plan.filings.map((f) => `${f.programId} $${f.askUsd}`).join(', ') || 'no program to file'}`,
  });
  const updated = await applyTransition(applications, app, plan, { estimate: result });
  return { applicationId, status: updated.status, forVersion: null, worksheet: null };
});

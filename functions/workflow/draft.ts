/**
 * DraftBriefs: drafts one CreateOpportunity body per stacked ACE program and validates each against
 * the service model (sized → drafted). A brief that fails validation never reaches a partner: the task
 * fails with BriefValidationError and the workflow's failure path keeps the application for operations.
 */
import { systemClock } from '../adapters/clock.ts';
import { readConfig } from '../adapters/config.ts';
import { ApplicationRepository, applyTransition } from '../adapters/dynamo/applications.ts';
import { planTransition } from '../core/application/lifecycle.ts';
import { draftBriefsWith, estimateModelNames } from '../core/ace/draft.ts';
import { addressConfirmed } from '../core/address-confirmation.ts';
import type { Estimate } from '../../schemas/estimate.ts';
import { ApplicationTaskInput, systemActor, workflowTask } from './task.ts';

const config = readConfig(['TABLE_NAME', 'ACE_CATALOG']);
const applications = new ApplicationRepository(config.TABLE_NAME);

export class BriefValidationError extends Error {
  override readonly name = 'BriefValidationError';
}

export const handler = workflowTask('DraftBriefs', ApplicationTaskInput, async ({ applicationId }) => {
  const app = await applications.mustGet(applicationId);
  // `addressConfirmed` leads the workflow to routing, or first to the founder's address confirmation.
  if (app.status !== 'sized') return { applicationId, status: app.status, addressConfirmed: addressConfirmed(app) };
  const now = systemClock.now();
  const estimate = app.estimate as Estimate;
  const revision = app.transitions.filter((t) => t.to === 'submitted').length;
  const briefs = draftBriefsWith(app.worksheet, estimate.plan.filings, {
    now, catalog: config.ACE_CATALOG as 'AWS' | 'Sandbox', applicationId, revision, modelName: estimateModelNames(estimate),
  });
  const invalid = briefs.filter((b) => b.problems.length > 0);
  if (invalid.length > 0) {
    throw new BriefValidationError(invalid.map((b) => `${b.programId}: ${b.problems.map((p) => `${p.field} ${p.rule}`).join('; ')}`).join(' | '));
  }
  const plan = planTransition({
    current: app.status, version: app.version, to: 'drafted', actor: systemActor('DraftBriefs'), now,
    reason: briefs.length ? `${briefs.length} ACE record(s) drafted and validated: ${briefs.map((b) => b.programId).join(', ')}` : 'no ACE record to draft',
  });
  const updated = await applyTransition(applications, app, plan, {
    briefs: briefs.map((b) => ({ programId: b.programId, body: b.body as Record<string, unknown>, problems: b.problems, revision: 1, record: { status: 'draft' as const } })),
  });
  return { applicationId, status: updated.status, briefs: briefs.length, addressConfirmed: addressConfirmed(updated) };
});

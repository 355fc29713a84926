/**
 * RoutePartner: ranks vetted partners (functions/core/routing.ts), books the best one with a slot free
 * (an atomic conditional write per partner, so concurrent routings never overbook), and records the
 * assignment (drafted → routed). With no match the application goes to the operations queue
 * (drafted → unrouted) with the reasons.
 */
import { readConfig } from '../adapters/config.ts';
import { ApplicationRepository } from '../adapters/dynamo/applications.ts';
import { PartnerRepository } from '../adapters/dynamo/partners.ts';
import { logger } from '../adapters/observability.ts';
import { planTransition } from '../core/application/lifecycle.ts';
import { ConflictError } from '../core/errors.ts';
import { rankPartners } from '../core/routing.ts';
import { ApplicationTaskInput, systemActor, workflowTask } from './task.ts';

const config = readConfig(['TABLE_NAME']);
const applications = new ApplicationRepository(config.TABLE_NAME);
const partners = new PartnerRepository(config.TABLE_NAME);

export const handler = workflowTask('RoutePartner', ApplicationTaskInput, async ({ applicationId }) => {
  const app = await applications.mustGet(applicationId);
  if (app.status !== 'drafted') {
    return { applicationId, routed: app.status !== 'unrouted' && app.partner !== undefined, partnerId: app.partner?.partnerId ?? null };
  }
  const ranking = rankPartners(app.worksheet, await partners.list(), app.passedOverBy ?? []);
  const actor = systemActor('RoutePartner');

  for (const candidate of ranking.candidates) {
    if (!(await partners.book(candidate.partner.id))) continue; // filled up since we read it: try the next
    const now = new Date();
    try {
      await applications.applyTransition(app, planTransition({
        current: app.status, version: app.version, to: 'routed', actor, now,
        reason: `routed to ${candidate.partner.name}: ${candidate.reasons.join('; ')}`,
      }), {
        partner: { partnerId: candidate.partner.id, partnerName: candidate.partner.name, assignedAt: now.toISOString(), reasons: candidate.reasons },
      });
    } catch (error) {
      // Someone else moved the application first: give the slot back, report what is there now.
      await partners.release(candidate.partner.id);
      if (error instanceof ConflictError) {
        const latest = await applications.mustGet(applicationId);
        return { applicationId, routed: latest.partner !== undefined, partnerId: latest.partner?.partnerId ?? null };
      }
      throw error;
    }
    logger.info('Partner booked', { partnerId: candidate.partner.id, score: candidate.score });
    return { applicationId, routed: true, partnerId: candidate.partner.id };
  }

  const why = ranking.excluded.map((e) => `${e.partnerId}: ${e.reason}`).join('; ') || 'no partners on file';
  await applications.applyTransition(app, planTransition({
    current: app.status, version: app.version, to: 'unrouted', actor, now: new Date(),
    reason: `no partner could take it (${why})`,
  }));
  return { applicationId, routed: false, partnerId: null };
});

/**
 * Routing an application (the RoutePartner task): ranks vetted partners (functions/core/routing.ts), books the best
 * one with a slot free (an atomic conditional write per partner, so concurrent routings never overbook), and records
 * the assignment (drafted → routed). With no match the application goes to the operations queue
 * (drafted → unrouted) with the reasons. After a founder's revision the application goes back to the partner who
 * asked for the changes (their slot is still held: request-changes keeps it), without ranking again.
 */
import { type ApplicationRepository, applyTransition } from '../adapters/dynamo/applications.ts';
import { bookPartner, listPartners, type PartnerRepository } from '../adapters/dynamo/partners.ts';
import { logger } from '../adapters/observability.ts';
import type { Actor } from '../../schemas/application.ts';
import type { Clock } from '../core/clock.ts';
import { planTransition } from '../core/application/lifecycle.ts';
import { ConflictError } from '../core/errors.ts';
import { rankPartners } from '../core/routing.ts';

export interface RoutingDeps {
  readonly applications: ApplicationRepository;
  readonly partners: PartnerRepository;
  readonly clock: Clock;
}

export interface RoutingResult {
  readonly applicationId: string;
  /** What the workflow's IsRouted choice reads. */
  readonly routed: boolean;
  readonly partnerId: string | null;
}

export async function routePartner(deps: RoutingDeps, applicationId: string, actor: Actor): Promise<RoutingResult> {
  const app = await deps.applications.mustGet(applicationId);
  if (app.status !== 'drafted') {
    // A retry after the write, or withdrawn meanwhile: report what is there (the next wait finds out the rest).
    return { applicationId, routed: app.status !== 'unrouted' && app.partner !== undefined, partnerId: app.partner?.partnerId ?? null };
  }
  // Nothing to file through ACE (e.g. only the cohort long shot fits): no partner is asked to review nothing; the
  // application goes to the operations queue with the reason, and a partner slot held from a revision is given back.
  if ((app.briefs ?? []).length === 0) {
    try {
      await applyTransition(deps.applications, app, planTransition({
        current: app.status, version: app.version, to: 'unrouted', actor, now: deps.clock.now(),
        reason: 'nothing to file through ACE: no partner-filed program fits this worksheet (see the estimate\'s programs and reasons)',
      }), { partner: undefined });
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      return { applicationId, routed: false, partnerId: null };
    }
    if (app.partner) await deps.partners.release(app.partner.partnerId, applicationId);
    return { applicationId, routed: false, partnerId: null };
  }
  // Back from a change request: the same partner, who still holds the slot (a decline or timeout clears `partner`).
  if (app.partner && !(app.passedOverBy ?? []).includes(app.partner.partnerId)) {
    const same = app.partner;
    try {
      await applyTransition(deps.applications, app, planTransition({
        current: app.status, version: app.version, to: 'routed', actor, now: deps.clock.now(),
        reason: `back to ${same.partnerName} with the revised worksheet`,
      }));
    } catch (error) {
      // Withdrawn (or moved on) meanwhile: report what is there; the next wait hands it to NotifyChange.
      if (!(error instanceof ConflictError)) throw error;
      const latest = await deps.applications.mustGet(applicationId);
      return { applicationId, routed: latest.status === 'routed', partnerId: latest.partner?.partnerId ?? null };
    }
    return { applicationId, routed: true, partnerId: same.partnerId };
  }
  const ranking = rankPartners(app.worksheet, await listPartners(deps.partners), app.passedOverBy ?? []);

  for (const candidate of ranking.candidates) {
    if (!(await bookPartner(deps.partners, candidate.partner.id, applicationId))) continue; // filled up since we read it: try the next
    const now = deps.clock.now();
    try {
      await applyTransition(deps.applications, app, planTransition({
        current: app.status, version: app.version, to: 'routed', actor, now,
        reason: `routed to ${candidate.partner.name}: ${candidate.reasons.join('; ')}`,
      }), {
        partner: { partnerId: candidate.partner.id, partnerName: candidate.partner.name, assignedAt: now.toISOString(), reasons: candidate.reasons },
      });
    } catch (error) {
      // Someone else moved the application first: give the slot back unless that someone (a retried routing of this
      // same application) assigned this very partner, whose one slot per application it then holds.
      const latest = await deps.applications.get(applicationId);
      if (latest?.partner?.partnerId !== candidate.partner.id) await deps.partners.release(candidate.partner.id, applicationId);
      if (error instanceof ConflictError && latest) {
        return { applicationId, routed: latest.partner !== undefined, partnerId: latest.partner?.partnerId ?? null };
      }
      throw error;
    }
    logger.info('Partner booked', { partnerId: candidate.partner.id, score: candidate.score });
    return { applicationId, routed: true, partnerId: candidate.partner.id };
  }

  const why = ranking.excluded.map((e) => `${e.partnerId}: ${e.reason}`).join('; ') || 'no partners on file';
  await applyTransition(deps.applications, app, planTransition({
    current: app.status, version: app.version, to: 'unrouted', actor, now: deps.clock.now(),
    reason: `no partner could take it (${why})`,
  }));
  return { applicationId, routed: false, partnerId: null };
}

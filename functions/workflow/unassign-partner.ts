/**
 * UnassignPartner (states Reroute and ReleasePartner; deployed as the function Reroute): takes an application away
 * from its partner. Its transitions keep the actor id `Reroute` (stored in timelines; a retry looks for it).
 * - `review-timeout` (the review SLA and the grace period after the reminder both lapsed): records the partner in
 *   `passedOverBy`, clears the assignment and moves in_partner_review → drafted (system, one conditional write), then
 *   releases the partner's slot; RoutePartner then picks the next partner.
 * - `revision-abandoned` (the founder never answered a change request, reminder included): closes the application
 *   (changes_requested → withdrawn, by system, with the reason) and releases the slot. Its data is kept.
 *
 * A slot is held per application (PartnerRepository: a set of application ids), so a retried release is a no-op.
 */
import { systemClock } from '../adapters/clock.ts';
import { readConfig } from '../adapters/config.ts';
import { ApplicationRepository, applyTransition } from '../adapters/dynamo/applications.ts';
import { PartnerRepository } from '../adapters/dynamo/partners.ts';
import { logger } from '../adapters/observability.ts';
import { planTransition } from '../core/application/lifecycle.ts';
import { ConflictError } from '../core/errors.ts';
import { object, oneOf, text } from '../core/input-shape.ts';
import { systemActor, workflowTask } from './task.ts';

const config = readConfig(['TABLE_NAME']);
const applications = new ApplicationRepository(config.TABLE_NAME);
const partners = new PartnerRepository(config.TABLE_NAME);

export const UnassignPartnerInput = object({
  applicationId: text({ min: 1 }),
  mode: oneOf(['review-timeout', 'revision-abandoned']),
});

export const handler = workflowTask('Reroute', UnassignPartnerInput, async ({ applicationId, mode }) => {
  const app = await applications.mustGet(applicationId);

  if (mode === 'revision-abandoned') {
    let status = app.status;
    if (app.status === 'changes_requested') {
      try {
        status = (await applyTransition(applications, app, planTransition({
          current: app.status, version: app.version, to: 'withdrawn', actor: systemActor('Reroute'), now: systemClock.now(),
          reason: 'closed: no revised worksheet arrived after the change request and a reminder',
        }))).status;
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        status = (await applications.mustGet(applicationId)).status; // the founder answered at the last moment
      }
    }
    if (status === 'withdrawn' && app.partner) await partners.release(app.partner.partnerId, applicationId);
    return { applicationId, status, released: status === 'withdrawn' ? (app.partner?.partnerId ?? null) : null };
  }

  if (app.status === 'in_partner_review' || app.status === 'routed') {
    const partnerId = app.partner?.partnerId;
    try {
      await applyTransition(applications, app, planTransition({
        current: app.status, version: app.version, to: 'drafted', actor: systemActor('Reroute'), now: systemClock.now(),
        reason: `${app.partner?.partnerName ?? 'the partner'} did not review in time (reminder sent); re-routing to the next partner`,
      }), { passedOverBy: [...new Set([...(app.passedOverBy ?? []), ...(partnerId ? [partnerId] : [])])], partner: undefined });
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      // The partner acted (or the founder withdrew) at the last moment: nothing to take away.
      const latest = await applications.mustGet(applicationId);
      logger.info('Reroute skipped: the application moved', { status: latest.status });
      return { applicationId, status: latest.status, released: null };
    }
    if (partnerId) await partners.release(partnerId, applicationId);
    return { applicationId, status: 'drafted', released: partnerId ?? null };
  }
  // A retry after the transition was written: finish its release (a no-op when already done).
  const done = app.status === 'drafted' ? app.transitions.findLast((t) => t.to === 'drafted' && t.actor.id === 'Reroute') : undefined;
  const passedOver = app.passedOverBy?.at(-1);
  if (done && passedOver) await partners.release(passedOver, applicationId);
  return { applicationId, status: app.status, released: done ? (passedOver ?? null) : null };
});

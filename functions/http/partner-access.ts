/**
 * What every partner route checks first (functions/http/partner.ts, partner-briefs.ts, partner-approve.ts, partner-filing.ts,
 * partner-update.ts, partner-funding.ts): the caller is in group
 * `partner` with a `custom:partnerId` claim, and the application is assigned to them (404 otherwise, exactly like an id
 * that does not exist).
 */
import { logger } from '../adapters/observability.ts';
import type { ApplicationRepository } from '../adapters/dynamo/applications.ts';
import type { Application } from '../../schemas/application.ts';
import { isAssignedTo } from '../core/application/commands.ts';
import { awaitingAddressConfirmation } from '../core/address-confirmation.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../core/errors.ts';
import { callerOf, pathParameter, requireGroup, type HttpEvent } from './middleware.ts';

/** The calling partner's id: group `partner` and a `custom:partnerId` claim, or 403. */
export function partnerIdOf(event: HttpEvent): string {
  const caller = callerOf(event);
  requireGroup(caller, 'partner');
  if (!caller.partnerId) throw new ForbiddenError('This token has no custom:partnerId claim: it is not linked to a partner');
  logger.appendKeys({ partnerId: caller.partnerId });
  return caller.partnerId;
}

export function programIdOf(event: HttpEvent): string {
  return pathParameter(event, 'programId');
}

/** The application if it is assigned to this partner; 404 otherwise (no difference between "missing" and "not yours"). */
export async function ownApplication(applications: ApplicationRepository, id: string, partnerId: string): Promise<Application> {
  const app = await applications.get(id);
  if (!app || !isAssignedTo(app, partnerId)) throw new NotFoundError(`Application ${id} not found`);
  // A revision that changed the contact address or the AWS account does not reach the partner before it is confirmed.
  if (awaitingAddressConfirmation(app)) {
    throw new ConflictError(`Application ${id} is back with the founder: the revised worksheet changes the contact address or the AWS account, and it returns to your review queue once the founder confirms it from the contact address`, app.status);
  }
  return app;
}

/** The partner, the application and the record a Partner Central route acts on (./partner-filing.ts, ./partner-update.ts, ./partner-funding.ts). */
export function partnerCentralTarget(event: HttpEvent): { partnerId: string; applicationId: string; programId: string } {
  const caller = callerOf(event);
  requireGroup(caller, 'partner');
  if (!caller.partnerId) throw new ForbiddenError('This token has no custom:partnerId claim: it is not linked to a partner');
  const applicationId = pathParameter(event, 'id');
  const programId = pathParameter(event, 'programId');
  logger.appendKeys({ partnerId: caller.partnerId, applicationId });
  return { partnerId: caller.partnerId, applicationId, programId };
}

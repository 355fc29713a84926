/**
 * Partner route (JWT, group `partner`, claim `custom:partnerId`): file a record through the Partner Central Selling
 * API with the role the partner registered — `POST /partner/applications/{id}/briefs/{programId}/file-via-api`.
 * Only the partner's own applications (404 otherwise), only a record approved for filing (409 otherwise).
 *
 * Before submitting for AWS review the partner associates a solution with the opportunity in the Partner Central
 * console (AssociateOpportunity and the submission are not done here); recording a record filed by hand
 * (`POST …/filed` in functions/http/partner.ts) always works, with or without a role.
 * The rules: functions/core/ace/partner-central-rules.ts; the steps: functions/usecases/partner-central-sync.ts.
 */
import type { FiledViaApiResponse } from '../../schemas/partner-central-messages.ts';
import { logger } from '../adapters/observability.ts';
import { partnerCentralDepsFromEnv } from '../wiring/partner-central-deps.ts';
import { findBrief } from '../core/application/records.ts';
import { partnerBriefView } from './views.ts';
import { ForbiddenError } from '../core/errors.ts';
import { fileViaApi } from '../usecases/partner-central-sync.ts';
import { callerOf, httpHandler, json, requireGroup, type HttpEvent, pathParameter } from './middleware.ts';

const deps = partnerCentralDepsFromEnv();

async function fileViaApiRoute(event: HttpEvent) {
  const caller = callerOf(event);
  requireGroup(caller, 'partner');
  if (!caller.partnerId) throw new ForbiddenError('This token has no custom:partnerId claim: it is not linked to a partner');
  const applicationId = pathParameter(event, 'id');
  const programId = pathParameter(event, 'programId');
  logger.appendKeys({ partnerId: caller.partnerId, applicationId });
  const result = await fileViaApi(deps, { applicationId, programId, partnerId: caller.partnerId });
  logger.info('Filed via API', { programId, opportunityId: result.opportunityId, replayed: result.replayed });
  const body: FiledViaApiResponse = {
    applicationId,
    programId,
    opportunityId: result.opportunityId,
    filedVia: 'api',
    status: result.app.status,
    brief: partnerBriefView(result.app, findBrief(result.app, programId), deps.clock.now()),
    next: 'Associate a solution with the opportunity in the Partner Central console, then submit it for AWS review.',
  };
  return json(200, body);
}

export const handler = httpHandler({
  'POST /partner/applications/{id}/briefs/{programId}/file-via-api': fileViaApiRoute,
});

/**
 * Partner route (JWT, group `partner`, claim `custom:partnerId`): file a record through the Partner Central Selling
 * API with the role the partner registered — `POST /partner/applications/{id}/briefs/{programId}/file-via-api`.
 * Only the partner's own applications (404 otherwise), only a record approved for filing (409 otherwise).
 *
 * Then, with the same role: `POST …/submit-via-api` associates a solution and submits the opportunity for AWS review
 * (again after Action Required), `GET …/opportunity` reads it as Partner Central has it. The change under Action
 * Required (`POST …/update-via-api`, based on the LastModifiedDate read) is its own function, ./partner-update.ts: only
 * it loads ACE's opportunity model to check each member sent (issue 11). Recording a record filed by hand
 * (`POST …/filed` in functions/http/partner.ts) always works, with or without a role.
 * The rules: functions/core/ace/partner-central-rules.ts and partner-central-submission.ts; the steps:
 * functions/usecases/partner-central-filing.ts and partner-central-submission.ts. The funding request (Benefits API)
 * is its own function: ./partner-funding.ts (issue 11: these routes do not load the Benefits client or its rules).
 */
import type { FiledViaApiResponse, SubmitViaApiResponse } from '../../schemas/partner-central-messages.ts';
import { SubmitViaApiRequest } from '../../schemas/api-requests.ts';
import { logger } from '../adapters/observability.ts';
import { partnerCentralDepsFromEnv } from '../wiring/partner-central-deps.ts';
import { findBrief } from '../core/application/record-state.ts';
import { partnerBriefView } from './views.ts';
import { fileViaApi } from '../usecases/partner-central-filing.ts';
import { readViaApi, submitViaApi } from '../usecases/partner-central-submission.ts';
import { httpHandler, json, jsonBody, parseOr400, type HttpEvent } from './middleware.ts';
import { partnerCentralTarget as target } from './partner-access.ts';

const deps = partnerCentralDepsFromEnv();

async function fileViaApiRoute(event: HttpEvent) {
  const { partnerId, applicationId, programId } = target(event);
  const result = await fileViaApi(deps, { applicationId, programId, partnerId });
  logger.info('Filed via API', { programId, opportunityId: result.opportunityId, replayed: result.replayed });
  const body: FiledViaApiResponse = {
    applicationId,
    programId,
    opportunityId: result.opportunityId,
    filedVia: 'api',
    status: result.app.status,
    brief: partnerBriefView(result.app, findBrief(result.app, programId), deps.clock.now()),
    next: 'Submit it for AWS review: POST …/submit-via-api (associates your solution, Co-Sell with Full visibility unless you choose otherwise).',
  };
  return json(200, body);
}

async function submitViaApiRoute(event: HttpEvent) {
  const { partnerId, applicationId, programId } = target(event);
  const request = parseOr400(SubmitViaApiRequest(), event.body ? jsonBody(event) : {});
  const result = await submitViaApi(deps, { applicationId, programId, partnerId, ...request });
  logger.info('Submitted via API', { programId, opportunityId: result.opportunityId, replayed: result.replayed });
  const body: SubmitViaApiResponse = {
    applicationId, programId, opportunityId: result.opportunityId,
    ...(result.solutionId ? { solutionId: result.solutionId } : {}),
    involvementType: result.choice.involvementType, visibility: result.choice.visibility, explained: result.choice.explained,
    replayed: result.replayed,
    status: result.app.status,
    brief: partnerBriefView(result.app, findBrief(result.app, programId), deps.clock.now()),
    next: "AWS reviews it; its decision arrives by itself (Partner Central's events, or the reconciliation within 30 minutes).",
  };
  return json(200, body);
}

async function readOpportunityRoute(event: HttpEvent) {
  const { partnerId, applicationId, programId } = target(event);
  return json(200, await readViaApi(deps, { applicationId, programId, partnerId }));
}

export const handler = httpHandler({
  'POST /partner/applications/{id}/briefs/{programId}/file-via-api': fileViaApiRoute,
  'POST /partner/applications/{id}/briefs/{programId}/submit-via-api': submitViaApiRoute,
  'GET /partner/applications/{id}/briefs/{programId}/opportunity': readOpportunityRoute,
});

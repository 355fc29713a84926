/**
 * Partner route (JWT, group `partner`, claim `custom:partnerId`): file a record through the Partner Central Selling
 * API with the role the partner registered — `POST /partner/applications/{id}/briefs/{programId}/file-via-api`.
 * Only the partner's own applications (404 otherwise), only a record approved for filing (409 otherwise).
 *
 * Then, with the same role: `POST …/submit-via-api` associates a solution and submits the opportunity for AWS review
 * (again after Action Required), `GET …/opportunity` reads it as Partner Central has it, `POST …/update-via-api`
 * changes it under Action Required based on the LastModifiedDate read. Recording a record filed by hand
 * (`POST …/filed` in functions/http/partner.ts) always works, with or without a role.
 * The rules: functions/core/ace/partner-central-rules.ts and partner-central-submission.ts; the steps:
 * functions/usecases/partner-central-filing.ts, partner-central-submission.ts and partner-central-funding.ts.
 */
import type { Application, FundingState } from '../../schemas/application.ts';
import type { FiledViaApiResponse, FundingSubmitResponse, FundingView, SubmitViaApiResponse } from '../../schemas/partner-central-messages.ts';
import { FundingPatch, SubmitViaApiRequest, UpdateViaApiRequest } from '../../schemas/api-requests.ts';
import { logger } from '../adapters/observability.ts';
import { partnerCentralDepsFromEnv } from '../wiring/partner-central-deps.ts';
import { findBrief, recordOf } from '../core/application/records.ts';
import { fundingEtag } from '../core/ace/funding-draft.ts';
import { editFunding, readFunding, submitFundingViaApi } from '../usecases/partner-central-funding.ts';
import { partnerBriefView } from './views.ts';
import { ForbiddenError, ValidationError } from '../core/errors.ts';
import { fileViaApi } from '../usecases/partner-central-filing.ts';
import { readViaApi, submitViaApi, updateViaApi } from '../usecases/partner-central-submission.ts';
import {
  callerOf, header, httpHandler, json, jsonBody, JSON_MEDIA_TYPE, MERGE_PATCH_MEDIA_TYPE, parseOr400, requireGroup, type HttpEvent, pathParameter,
} from './middleware.ts';

const deps = partnerCentralDepsFromEnv();

/** The partner, the application and the record a route acts on. */
function target(event: HttpEvent): { partnerId: string; applicationId: string; programId: string } {
  const caller = callerOf(event);
  requireGroup(caller, 'partner');
  if (!caller.partnerId) throw new ForbiddenError('This token has no custom:partnerId claim: it is not linked to a partner');
  const applicationId = pathParameter(event, 'id');
  const programId = pathParameter(event, 'programId');
  logger.appendKeys({ partnerId: caller.partnerId, applicationId });
  return { partnerId: caller.partnerId, applicationId, programId };
}

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

async function updateViaApiRoute(event: HttpEvent) {
  const { partnerId, applicationId, programId } = target(event);
  const request = parseOr400(UpdateViaApiRequest(), jsonBody(event));
  const result = await updateViaApi(deps, { applicationId, programId, partnerId, ...request });
  return json(200, { ...result, next: 'When everything AWS asked for is fixed, resubmit: POST …/submit-via-api.' });
}

// ---------------------------------------------------------------------------------------------------------------
// The funding request through the Partner Central Benefits API

const FUNDING_NEXT: Record<FundingState['status'], string> = {
  drafted: 'Review the benefit application (PATCH …/funding with If-Match to change it), then send it: POST …/funding/submit-via-api.',
  created: 'Created at AWS; association and submission did not finish: POST …/funding/submit-via-api again (nothing is sent twice).',
  submitted: "With AWS. Its decision and the credits arrive by themselves (the scheduled reconciliation).",
  in_review: "AWS is reviewing it; its decision and the credits arrive by themselves.",
  action_required: 'AWS asks for changes (see review): PATCH …/funding (Name, Description, BenefitApplicationDetails, PartnerContacts, FileDetails), then resubmit with POST …/funding/submit-via-api.',
  approved: 'Approved; the credits are recorded when AWS allocates them.',
  allocated: 'Credits allocated and recorded on the record; expiry reminders follow.',
  rejected: 'Rejected by AWS (see review). Credits obtained another way can still be recorded with POST …/credits.',
};

function fundingView(app: Application, programId: string, funding: FundingState): FundingView {
  return {
    applicationId: app.id, programId, recordStatus: recordOf(findBrief(app, programId)).status, status: funding.status,
    createBenefitApplication: funding.body, problems: funding.problems, etag: fundingEtag(funding), revision: funding.revision,
    benefitApplicationId: funding.benefitApplicationId ?? null, review: funding.review ?? null, allocation: funding.allocation ?? null,
    next: FUNDING_NEXT[funding.status],
  };
}

async function readFundingRoute(event: HttpEvent) {
  const { partnerId, applicationId, programId } = target(event);
  const { app, funding } = await readFunding(deps, { applicationId, programId, partnerId });
  const view = fundingView(app, programId, funding);
  return json(200, view, { etag: view.etag });
}

async function patchFundingRoute(event: HttpEvent) {
  const { partnerId, applicationId, programId } = target(event);
  const raw = jsonBody(event, [JSON_MEDIA_TYPE, MERGE_PATCH_MEDIA_TYPE]);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ValidationError([{ field: '(body)', rule: 'must be a JSON object: an RFC 7396 merge patch of the CreateBenefitApplication body' }]);
  }
  const patch = parseOr400(FundingPatch(), raw);
  const { app, funding } = await editFunding(deps, { applicationId, programId, partnerId, patch, ifMatch: header(event, 'if-match') });
  const view = fundingView(app, programId, funding);
  logger.info('Funding request edited', { programId, revision: view.revision, problems: view.problems.length });
  return json(200, view, { etag: view.etag });
}

async function submitFundingRoute(event: HttpEvent) {
  const { partnerId, applicationId, programId } = target(event);
  const result = await submitFundingViaApi(deps, { applicationId, programId, partnerId });
  const body: FundingSubmitResponse = {
    applicationId, programId, benefitApplicationId: result.benefitApplicationId, replayed: result.replayed, steps: result.steps,
    funding: fundingView(result.app, programId, result.funding),
  };
  return json(200, body);
}

export const handler = httpHandler({
  'GET /partner/applications/{id}/briefs/{programId}/funding': readFundingRoute,
  'PATCH /partner/applications/{id}/briefs/{programId}/funding': patchFundingRoute,
  'POST /partner/applications/{id}/briefs/{programId}/funding/submit-via-api': submitFundingRoute,
  'POST /partner/applications/{id}/briefs/{programId}/file-via-api': fileViaApiRoute,
  'POST /partner/applications/{id}/briefs/{programId}/submit-via-api': submitViaApiRoute,
  'GET /partner/applications/{id}/briefs/{programId}/opportunity': readOpportunityRoute,
  'POST /partner/applications/{id}/briefs/{programId}/update-via-api': updateViaApiRoute,
});

/**
 * Partner routes (JWT, group `partner`, claim `custom:partnerId`, own applications only): the funding request that
 * follows an approved opportunity, through the Partner Central Benefits API with the role the partner registered —
 * `GET|PATCH /partner/applications/{id}/briefs/{programId}/funding` (read; edit as a JSON Merge Patch with If-Match)
 * and `POST …/funding/submit-via-api` (create, associate and submit; nothing is sent twice).
 * Its own function, apart from the opportunity routes (./partner-filing.ts): only these load the Benefits client and
 * the funding rules (issue 11). The steps: functions/usecases/partner-central-funding.ts.
 */
import type { Application, FundingState } from '../../schemas/application.ts';
import type { FundingSubmitResponse, FundingView } from '../../schemas/partner-central-messages.ts';
import { logger } from '../adapters/observability.ts';
import { partnerCentralDepsFromEnv } from '../wiring/partner-central-deps.ts';
import { findBrief, recordOf } from '../core/application/record-state.ts';
import { fundingEtag } from '../core/ace/funding-draft.ts';
import { editFunding, readFunding, submitFundingViaApi } from '../usecases/partner-central-funding.ts';
import { ValidationError } from '../core/errors.ts';
import { FundingPatchShape } from '../core/request-shapes.ts';
import { checkOr400, header, httpHandler, json, jsonBody, JSON_MEDIA_TYPE, MERGE_PATCH_MEDIA_TYPE, type HttpEvent } from './middleware.ts';
import { partnerCentralTarget as target } from './partner-access.ts';

const deps = partnerCentralDepsFromEnv();

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
  // As FundingPatch (schemas/api-requests.ts) parses it, without zod (issue 11 §1).
  const patch = checkOr400(FundingPatchShape, raw);
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
});

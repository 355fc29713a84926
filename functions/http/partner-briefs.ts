/**
 * The brief edit (JWT, group `partner`, claim `custom:partnerId`, own applications only):
 * `PATCH /partner/applications/{id}/briefs/{programId}`, a JSON Merge Patch of the brief's CreateOpportunity body with
 * If-Match, re-validated against ACE's rules. Its own function, apart from functions/http/partner.ts (only the brief
 * edit and the approval, functions/http/partner-approve.ts, load ACE's model, submission rules and postal codes) and
 * from the approval (an edit writes the brief and answers no workflow: no Step Functions client, rights or
 * transition code here; issue 11: a function holds only the code its routes need).
 * The rules live in functions/core/application/review.ts (planBriefEdit).
 */
import { systemClock } from '../adapters/clock.ts';
import { readConfig } from '../adapters/config.ts';
import { ApplicationRepository } from '../adapters/dynamo/applications.ts';
import { updateBriefs } from '../adapters/dynamo/applications-edits.ts';
import { logger } from '../adapters/observability.ts';
import { findBrief } from '../core/application/records.ts';
import { BriefPatchShape } from '../core/request-shapes.ts';
import { planBriefEdit } from '../core/application/review.ts';
import { partnerBriefView } from './views.ts';
import { ValidationError } from '../core/errors.ts';
import { retryOnConflict } from '../core/conflict-retry.ts';
import {
  checkOr400, header, httpHandler, json, jsonBody, JSON_MEDIA_TYPE, MERGE_PATCH_MEDIA_TYPE, type HttpEvent, applicationIdParameter,
} from './middleware.ts';
import { ownApplication, partnerIdOf, programIdOf } from './partner-access.ts';

const config = readConfig(['TABLE_NAME']);
const applications = new ApplicationRepository(config.TABLE_NAME);

async function patchBrief(event: HttpEvent) {
  const partnerId = partnerIdOf(event);
  const id = applicationIdParameter(event);
  const programId = programIdOf(event);
  const raw = jsonBody(event, [JSON_MEDIA_TYPE, MERGE_PATCH_MEDIA_TYPE]);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ValidationError([{ field: '(body)', rule: 'must be a JSON object: an RFC 7396 merge patch of the CreateOpportunity body' }]);
  }
  // As BriefPatch (schemas/api-requests.ts) parses it, without zod (issue 11 §1).
  const patch = checkOr400(BriefPatchShape, raw);
  const ifMatch = header(event, 'if-match');
  // Something else in the application changed: re-read; If-Match then decides whether this brief did.
  return retryOnConflict(async (guarded) => {
    const app = await ownApplication(applications, id, partnerId);
    const now = systemClock.now();
    const plan = planBriefEdit({ app, programId, partnerId, patch, ifMatch, now });
    if (plan.kind === 'unchanged') {
      const view = partnerBriefView(app, plan.brief, systemClock.now());
      return json(200, view, { etag: view.etag });
    }
    const saved = await guarded(updateBriefs(applications, app, plan.briefs, now));
    const view = partnerBriefView(saved, findBrief(saved, programId), systemClock.now());
    logger.info('Brief edited', { programId, revision: view.revision, problems: view.validation.problems.length });
    return json(200, view, { etag: view.etag });
  });
}

export const handler = httpHandler({
  'PATCH /partner/applications/{id}/briefs/{programId}': patchBrief,
});

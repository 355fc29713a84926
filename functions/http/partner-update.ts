/**
 * Partner route (JWT, group `partner`, claim `custom:partnerId`): change an opportunity under Action Required through
 * the Partner Central Selling API with the role the partner registered —
 * `POST /partner/applications/{id}/briefs/{programId}/update-via-api`, based on the LastModifiedDate the partner read
 * (`GET …/opportunity`). Only the partner's own applications (404 otherwise). Each member sent is checked whole against
 * ACE's opportunity model before anything is sent or recorded (422 naming each field).
 * Its own function, apart from the other opportunity routes (./partner-filing.ts): only this rare route loads ACE's
 * opportunity model (the shape check and its data), and it answers no workflow (the table and the partner's role, no
 * Step Functions; issue 11 §1). The rules: functions/core/ace/partner-central-submission.ts and update-problems.ts;
 * the steps: functions/usecases/partner-central-update.ts.
 */
import { UpdateViaApiRequest } from '../../schemas/api-requests.ts';
import { systemClock } from '../adapters/clock.ts';
import { readConfig } from '../adapters/config.ts';
import { ApplicationRepository } from '../adapters/dynamo/applications.ts';
import { PartnerCentralStore } from '../adapters/dynamo/partner-central-store.ts';
import { PartnerRepository } from '../adapters/dynamo/partners.ts';
import type { AceCatalog } from '../core/ace/partner-central-rules.ts';
import { updateViaApi, type PartnerUpdateDeps } from '../usecases/partner-central-update.ts';
import { httpHandler, json, jsonBody, parseOr400, type HttpEvent } from './middleware.ts';
import { partnerCentralTarget as target } from './partner-access.ts';

const config = readConfig(['TABLE_NAME', 'ACE_CATALOG']);
const deps: PartnerUpdateDeps = {
  applications: new ApplicationRepository(config.TABLE_NAME),
  partners: new PartnerRepository(config.TABLE_NAME),
  store: new PartnerCentralStore(config.TABLE_NAME),
  defaultCatalog: config.ACE_CATALOG as AceCatalog,
  clock: systemClock,
};

async function updateViaApiRoute(event: HttpEvent) {
  const { partnerId, applicationId, programId } = target(event);
  const request = parseOr400(UpdateViaApiRequest(), jsonBody(event));
  const result = await updateViaApi(deps, { applicationId, programId, partnerId, ...request });
  return json(200, { ...result, next: 'When everything AWS asked for is fixed, resubmit: POST …/submit-via-api.' });
}

export const handler = httpHandler({
  'POST /partner/applications/{id}/briefs/{programId}/update-via-api': updateViaApiRoute,
});

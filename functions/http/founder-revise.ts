/**
 * `POST /applications/{id}/revisions` (founder bearer token, checked here): answer a change request with a revised
 * worksheet. Its own function, apart from the founder's other routes (./founder.ts): re-validating a worksheet needs
 * the worksheet schema, the rate card and ACE's address rules, which reading a status or withdrawing does not.
 */
import { systemClock } from '../adapters/clock.ts';
import { readConfig } from '../adapters/config.ts';
import { ApplicationRepository } from '../adapters/dynamo/applications.ts';
import { putDedupeItems } from '../adapters/dynamo/applications-intake.ts';
import { PartnerRepository } from '../adapters/dynamo/partners.ts';
import { logger } from '../adapters/observability.ts';
import { dedupeValues } from '../core/dedupe.ts';
import { requestHashOf } from '../core/intake-hashes.ts';
import { planRevision } from '../core/application/founder-steps.ts';
import { runCommand } from '../usecases/run-command.ts';
import { httpHandler, json, type HttpEvent, applicationIdParameter } from './middleware.ts';
import { bearerToken, ownedBy } from './founder-access.ts';
import { parseWorksheet } from './worksheet-input.ts';

const config = readConfig(['TABLE_NAME', 'STATE_MACHINE_ARN']);
const applications = new ApplicationRepository(config.TABLE_NAME);
const partners = new PartnerRepository(config.TABLE_NAME);
const deps = { applications, partners, stateMachineArn: config.STATE_MACHINE_ARN, clock: systemClock };

async function revise(event: HttpEvent) {
  const token = bearerToken(event);
  const id = applicationIdParameter(event);
  const worksheet = parseWorksheet(event);
  ownedBy(await applications.get(id), token, id);
  const requestHash = requestHashOf(worksheet);
  const result = await runCommand(deps, id, (app, now) => planRevision({ app: ownedBy(app, token, id), worksheet, requestHash, now }));
  // Index the revised values only once the revision is accepted (a refused one changes nothing); a crash before this
  // is repaired by repeating the request, which replays and indexes again (idempotent puts).
  await putDedupeItems(applications, id, dedupeValues(worksheet), systemClock.now());
  logger.info('Worksheet revised', { replayed: result.replayed });
  return json(200, { applicationId: id, status: result.transition?.to ?? result.app.status, links: { application: `/applications/${id}` } });
}

export const handler = httpHandler({
  'POST /applications/{id}/revisions': revise,
});

/**
 * The founder's routes, authenticated by the access token issued at submission (checked in the handler):
 * `GET /applications/{id}` (status, each record's status and the credits granted), `POST /applications/{id}/revisions`
 * (answer a change request with a revised worksheet) and `POST /applications/{id}/withdraw` (any time before filing).
 */
import { systemClock } from '../adapters/clock.ts';
import { readConfig } from '../adapters/config.ts';
import { ApplicationRepository } from '../adapters/dynamo/applications.ts';
import { PartnerRepository } from '../adapters/dynamo/partners.ts';
import { logger } from '../adapters/observability.ts';
import type { Application } from '../../schemas/application.ts';
import { dedupeValues } from '../core/dedupe.ts';
import { NotFoundError, UnauthorizedError } from '../core/errors.ts';
import { founderTokenMatches, requestHashOf } from '../core/intake.ts';
import { planRevision, planWithdraw } from '../core/application/founder-steps.ts';
import { founderView } from './views.ts';
import { runCommand } from '../usecases/run-command.ts';
import { header, httpHandler, json, type HttpEvent, applicationIdParameter } from './middleware.ts';
import { parseWorksheet } from './worksheet-input.ts';

const config = readConfig(['TABLE_NAME', 'STATE_MACHINE_ARN']);
const applications = new ApplicationRepository(config.TABLE_NAME);
const partners = new PartnerRepository(config.TABLE_NAME);
const deps = { applications, partners, stateMachineArn: config.STATE_MACHINE_ARN, clock: systemClock };

function bearerToken(event: HttpEvent): string {
  const value = header(event, 'authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(value);
  if (!match?.[1]) throw new UnauthorizedError('Send the founder access token as "Authorization: Bearer <token>"');
  return match[1];
}

/** The same answer for "no such application" and "not your token", so ids cannot be probed. */
function ownedBy(app: Application | undefined, token: string, id: string): Application {
  if (!app || !founderTokenMatches(app, token)) throw new NotFoundError(`Application ${id} not found for this token`);
  return app;
}

async function getApplication(event: HttpEvent) {
  const token = bearerToken(event);
  const id = applicationIdParameter(event);
  return json(200, founderView(ownedBy(await applications.get(id), token, id), systemClock.now()));
}

async function revise(event: HttpEvent) {
  const token = bearerToken(event);
  const id = applicationIdParameter(event);
  const worksheet = parseWorksheet(event);
  ownedBy(await applications.get(id), token, id);
  const requestHash = requestHashOf(worksheet);
  const result = await runCommand(deps, id, (app, now) => planRevision({ app: ownedBy(app, token, id), worksheet, requestHash, now }));
  // Index the revised values only once the revision is accepted (a refused one changes nothing); a crash before this
  // is repaired by repeating the request, which replays and indexes again (idempotent puts).
  await applications.putDedupeItems(id, dedupeValues(worksheet), systemClock.now());
  logger.info('Worksheet revised', { replayed: result.replayed });
  return json(200, { applicationId: id, status: result.transition?.to ?? result.app.status, links: { application: `/applications/${id}` } });
}

async function withdraw(event: HttpEvent) {
  const token = bearerToken(event);
  const id = applicationIdParameter(event);
  const result = await runCommand(deps, id, (app, now) => planWithdraw({ app: ownedBy(app, token, id), now }));
  logger.info('Application withdrawn', { replayed: result.replayed });
  return json(200, { applicationId: id, status: 'withdrawn', links: { application: `/applications/${id}` } });
}

export const handler = httpHandler({
  'GET /applications/{id}': getApplication,
  'POST /applications/{id}/revisions': revise,
  'POST /applications/{id}/withdraw': withdraw,
});

/**
 * The founder's routes, authenticated by the access token issued at submission (checked in the handler):
 * `GET /applications/{id}` (status, each record's status and the credits granted), `POST /applications/{id}/revisions`
 * (answer a change request with a revised worksheet), `POST /applications/{id}/withdraw` (any time before filing),
 * `POST /applications/{id}/confirm-email/resend`; and, authenticated by the mailed secret instead,
 * `GET|POST /applications/{id}/confirm-email` (functions/core/address-confirmation.ts).
 */
import { systemClock } from '../adapters/clock.ts';
import { readConfig } from '../adapters/config.ts';
import { ApplicationRepository } from '../adapters/dynamo/applications.ts';
import { putDedupeItems } from '../adapters/dynamo/applications-intake.ts';
import { LimitRepository } from '../adapters/dynamo/limits.ts';
import { PartnerRepository } from '../adapters/dynamo/partners.ts';
import { logger } from '../adapters/observability.ts';
import type { Application } from '../../schemas/application.ts';
import { dedupeValues } from '../core/dedupe.ts';
import { NotFoundError, UnauthorizedError } from '../core/errors.ts';
import { founderTokenMatches, requestHashOf } from '../core/intake.ts';
import { planRevision, planWithdraw } from '../core/application/founder-steps.ts';
import { founderView } from './views.ts';
import { runCommand } from '../usecases/run-command.ts';
import { header, httpHandler, json, jsonBody, parseOr400, type HttpEvent, applicationIdParameter } from './middleware.ts';
import { confirmAddress, requestResend } from '../usecases/address-confirmation.ts';
import { readConfirmationSettings } from '../wiring/intake-settings.ts';
import { ConfirmAddressRequest } from '../../schemas/api.ts';
import { confirmationPage } from './confirmation-page.ts';
import { parseWorksheet } from './worksheet-input.ts';

const config = readConfig(['TABLE_NAME', 'STATE_MACHINE_ARN']);
const applications = new ApplicationRepository(config.TABLE_NAME);
const partners = new PartnerRepository(config.TABLE_NAME);
const deps = { applications, partners, stateMachineArn: config.STATE_MACHINE_ARN, clock: systemClock };
const resendDeps = { ...deps, limits: new LimitRepository(config.TABLE_NAME), settings: readConfirmationSettings() };

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
  await putDedupeItems(applications, id, dedupeValues(worksheet), systemClock.now());
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

/** The page the confirmation mail links to: safe to fetch (changes nothing); the secret stays in the URL fragment. */
async function confirmationPageRoute(event: HttpEvent) {
  const id = applicationIdParameter(event);
  return confirmationPage(id);
}

/** The secret from the mail is the credential here (the founder may open the mail on another device than the token). */
async function confirmEmail(event: HttpEvent) {
  const id = applicationIdParameter(event);
  const { secret } = parseOr400(ConfirmAddressRequest, jsonBody(event));
  const result = await confirmAddress(deps, id, secret);
  logger.info('Address confirmed', { replayed: result.replayed, callback: result.callback });
  return json(200, { applicationId: id, status: result.app.status, addressConfirmed: true, replayed: result.replayed, links: { application: `/applications/${id}` } });
}

async function resendConfirmation(event: HttpEvent) {
  const token = bearerToken(event);
  const id = applicationIdParameter(event);
  const app = ownedBy(await applications.get(id), token, id);
  const result = await requestResend(resendDeps, app);
  logger.info('Confirmation mail resend asked for', { requested: result.requested, callback: result.callback });
  return json(202, { applicationId: id, status: app.status, confirmationMails: result.requested, links: { application: `/applications/${id}` } });
}

export const handler = httpHandler({
  'GET /applications/{id}/confirm-email': confirmationPageRoute,
  'POST /applications/{id}/confirm-email': confirmEmail,
  'POST /applications/{id}/confirm-email/resend': resendConfirmation,
  'GET /applications/{id}': getApplication,
  'POST /applications/{id}/revisions': revise,
  'POST /applications/{id}/withdraw': withdraw,
});

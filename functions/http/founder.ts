/**
 * The founder's routes, authenticated by the access token issued at submission (checked in the handler):
 * `GET /applications/{id}` (status, each record's status and the credits granted), `POST /applications/{id}/withdraw`
 * (any time before filing), `POST /applications/{id}/confirm-email/resend`; and, authenticated by the mailed secret
 * instead, `POST /applications/{id}/confirm-email` (functions/core/address-confirmation.ts). The page the mail links
 * to, `GET /applications/{id}/confirm-email`, is its own function (./confirm-email-page.ts: static, no grants).
 * `POST /applications/{id}/revisions` is its own function (./founder-revise.ts): it alone re-validates a worksheet,
 * which needs the rate card and ACE's address rules (issue 11: a function holds only the code its routes need).
 */
import { systemClock } from '../adapters/clock.ts';
import { readConfig } from '../adapters/config.ts';
import { ApplicationRepository } from '../adapters/dynamo/applications.ts';
import { LimitRepository } from '../adapters/dynamo/limits.ts';
import { PartnerRepository } from '../adapters/dynamo/partners.ts';
import { logger } from '../adapters/observability.ts';
import { planWithdraw } from '../core/application/founder-steps.ts';
import { founderView } from './views.ts';
import { runCommand } from '../usecases/run-command.ts';
import { endWorkflow } from '../usecases/end-workflow.ts';
import { httpHandler, json, jsonBody, type HttpEvent, applicationIdParameter } from './middleware.ts';
import { bearerToken, ownedBy } from './founder-access.ts';
import { confirmAddress, requestResend } from '../usecases/address-confirmation.ts';
import { readConfirmationSettings, readIntakeLimits } from '../wiring/intake-settings.ts';
import { ValidationError } from '../core/errors.ts';
import { ConfirmAddressBody } from '../core/address-confirmation.ts';
import { checkInput } from '../core/input-shape.ts';

const config = readConfig(['TABLE_NAME', 'STATE_MACHINE_ARN']);
const applications = new ApplicationRepository(config.TABLE_NAME);
const partners = new PartnerRepository(config.TABLE_NAME);
// The withdrawal ends the workflow (../usecases/end-workflow.ts).
const deps = { applications, partners, stateMachineArn: config.STATE_MACHINE_ARN, clock: systemClock, endWorkflow };
const addressDeps = { ...deps, limits: new LimitRepository(config.TABLE_NAME), settings: { ...readConfirmationSettings(), ...readIntakeLimits() } };

async function getApplication(event: HttpEvent) {
  const token = bearerToken(event);
  const id = applicationIdParameter(event);
  return json(200, founderView(ownedBy(await applications.get(id), token, id), systemClock.now()));
}

async function withdraw(event: HttpEvent) {
  const token = bearerToken(event);
  const id = applicationIdParameter(event);
  const result = await runCommand(deps, id, (app, now) => planWithdraw({ app: ownedBy(app, token, id), now }));
  logger.info('Application withdrawn', { replayed: result.replayed });
  return json(200, { applicationId: id, status: 'withdrawn', links: { application: `/applications/${id}` } });
}

/** The secret from the mail is the credential here (the founder may open the mail on another device than the token). */
async function confirmEmail(event: HttpEvent) {
  const id = applicationIdParameter(event);
  // Checked without zod: the only body this function parses (issue 11 §1).
  const parsed = checkInput(ConfirmAddressBody, jsonBody(event));
  if (!parsed.ok) throw new ValidationError(parsed.problems);
  const { secret } = parsed.value;
  const result = await confirmAddress(addressDeps, id, secret);
  logger.info('Address confirmed', { replayed: result.replayed, callback: result.callback });
  return json(200, { applicationId: id, status: result.app.status, addressConfirmed: true, replayed: result.replayed, links: { application: `/applications/${id}` } });
}

async function resendConfirmation(event: HttpEvent) {
  const token = bearerToken(event);
  const id = applicationIdParameter(event);
  const app = ownedBy(await applications.get(id), token, id);
  const result = await requestResend(addressDeps, app);
  logger.info('Confirmation mail resend asked for', { requested: result.requested, callback: result.callback });
  return json(202, { applicationId: id, status: app.status, confirmationMails: result.requested, links: { application: `/applications/${id}` } });
}

export const handler = httpHandler({
  'POST /applications/{id}/confirm-email': confirmEmail,
  'POST /applications/{id}/confirm-email/resend': resendConfirmation,
  'GET /applications/{id}': getApplication,
  'POST /applications/{id}/withdraw': withdraw,
});

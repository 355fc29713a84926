/** `GET /applications/{id}` for the founder, authenticated by the access token issued at submission. */
import { readConfig } from '../adapters/config.ts';
import { ApplicationRepository } from '../adapters/dynamo/applications.ts';
import { logger } from '../adapters/observability.ts';
import { NotFoundError, UnauthorizedError } from '../core/errors.ts';
import { founderTokenMatches } from '../core/intake.ts';
import { founderView } from '../core/application/views.ts';
import { header, httpHandler, json, type HttpEvent } from './middleware.ts';

const config = readConfig(['TABLE_NAME']);
const applications = new ApplicationRepository(config.TABLE_NAME);

function bearerToken(event: HttpEvent): string {
  const value = header(event, 'authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(value);
  if (!match?.[1]) throw new UnauthorizedError('Send the founder access token as "Authorization: Bearer <token>"');
  return match[1];
}

async function getApplication(event: HttpEvent) {
  const token = bearerToken(event);
  const id = event.pathParameters?.id ?? '';
  logger.appendKeys({ applicationId: id });
  const app = await applications.get(id);
  // The same answer for "no such application" and "not your token", so ids cannot be probed.
  if (!app || !founderTokenMatches(app, token)) throw new NotFoundError(`Application ${id} not found for this token`);
  return json(200, founderView(app));
}

export const handler = httpHandler({ 'GET /applications/{id}': getApplication });

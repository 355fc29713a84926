/**
 * The founder's credential on their routes (functions/http/founder.ts, founder-revise.ts): the access token issued at
 * submission, sent as a bearer token and checked against the stored hashes.
 */
import type { Application } from '../../schemas/application.ts';
import { NotFoundError, UnauthorizedError } from '../core/errors.ts';
import { founderTokenMatches } from '../core/intake-hashes.ts';
import { header, type HttpEvent } from './middleware.ts';

export function bearerToken(event: HttpEvent): string {
  const value = header(event, 'authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(value);
  if (!match?.[1]) throw new UnauthorizedError('Send the founder access token as "Authorization: Bearer <token>"');
  return match[1];
}

/** The same answer for "no such application" and "not your token", so ids cannot be probed. */
export function ownedBy(app: Application | undefined, token: string, id: string): Application {
  if (!app || !founderTokenMatches(app, token)) throw new NotFoundError(`Application ${id} not found for this token`);
  return app;
}

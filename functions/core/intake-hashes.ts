/**
 * The hashes of intake: canonical JSON, a worksheet's request hash and the founder access token (only its hash is
 * stored). Apart from ./intake.ts so the founder's routes check a token without loading the rate card or ACE's data.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Application } from '../../schemas/application.ts';
import type { Worksheet } from '../../schemas/worksheet.ts';

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** JSON with object keys sorted at every level: the same value gives the same text whatever order its keys came in. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  // An undefined item reads as null, as in JSON.stringify (canonicalJson(undefined) is 'null').
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  // An object's keys are distinct: no two compare equal.
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** Canonical hash of a parsed worksheet: independent of the order of keys in the request. */
export function requestHashOf(worksheet: Worksheet): string {
  return sha256(canonicalJson(worksheet));
}

/** A founder access token: 256 random bits; only its hash is ever stored. */
export function newFounderToken(): { token: string; hash: string } {
  const token = `aft_${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashFounderToken(token) };
}

export function hashFounderToken(token: string): string {
  return sha256(`founder-token:v1:${token}`);
}

export function founderTokenMatches(app: Pick<Application, 'founderTokenHashes'>, token: string): boolean {
  const candidate = Buffer.from(hashFounderToken(token), 'hex');
  return app.founderTokenHashes.some((h) => {
    const stored = Buffer.from(h, 'hex');
    return stored.length === candidate.length && timingSafeEqual(stored, candidate);
  });
}

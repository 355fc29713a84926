/** The ETag of a stored brief (optimistic concurrency for partner edits). Pure. */
import { createHash } from 'node:crypto';
import type { StoredBrief } from '../../../schemas/application.ts';

/** JSON with object keys sorted, so a body read back from DynamoDB in any key order hashes the same. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A short hash of a body, independent of its key order: the content half of the ETags. */
export function bodyHash(body: unknown): string {
  return createHash('sha256').update(stableJson(body)).digest('base64url').slice(0, 16);
}

/** Strong ETag of a brief: its edit counter and a hash of its body (a re-drafted brief restarts its counter). */
export function etagOf(brief: StoredBrief): string {
  return `"${brief.revision ?? 1}-${bodyHash(brief.body)}"`;
}


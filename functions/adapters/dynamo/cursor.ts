/**
 * Opaque pagination cursors: DynamoDB's LastEvaluatedKey, base64url-encoded. On the way back in a cursor must name
 * exactly the key attributes of the index being read, all strings, and stay inside the partition being queried;
 * anything else is the caller's mistake (400), never a 500 from DynamoDB.
 */
import { ValidationError } from '../../core/errors.ts';

export function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export const CURSOR_FIELD = 'query.cursor';

function invalid(): ValidationError {
  return new ValidationError([{ field: CURSOR_FIELD, rule: 'must be a nextCursor returned by the previous page of the same query' }]);
}

export function decodeCursor(cursor: string, expected: { attributes: readonly string[]; partition: { attribute: string; value: string } }): Record<string, string> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    // Not JSON: left undefined, refused just below.
  }
  // Not an object (or not JSON) is refused here; an array passes, but its members are indices: refused by name below.
  if (value === null || typeof value !== 'object') throw invalid();
  const key = value as Record<string, unknown>;
  const names = Object.keys(key).sort();
  const wanted = [...expected.attributes].sort();
  // Name by name: joined, { 'gsi1sk,pk': … } would pass for gsi1sk and pk, and DynamoDB would answer a 500.
  if (names.length !== wanted.length || names.some((n, i) => n !== wanted[i])) throw invalid();
  // A key attribute is a non-empty string of at most 1024 bytes (a sort key's limit; a partition key's is 2048).
  if (!names.every((n) => typeof key[n] === 'string' && key[n] !== '' && Buffer.byteLength(key[n]) <= 1024)) throw invalid();
  if (key[expected.partition.attribute] !== expected.partition.value) throw invalid();
  return key as Record<string, string>;
}

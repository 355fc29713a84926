/**
 * Opaque pagination cursors: DynamoDB's LastEvaluatedKey, base64url-encoded. On the way back in a cursor must name
 * exactly the key attributes of the index being read, all strings, and stay inside the partition being queried;
 * anything else is the caller's mistake (400), never a 500 from DynamoDB.
 */
import { ValidationError } from '../../core/errors.ts';

export function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
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
    throw invalid();
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw invalid();
  const key = value as Record<string, unknown>;
  const names = Object.keys(key).sort();
  if (names.join() !== [...expected.attributes].sort().join()) throw invalid();
  if (!names.every((n) => typeof key[n] === 'string' && (key[n] as string).length > 0 && (key[n] as string).length <= 1024)) throw invalid();
  if (key[expected.partition.attribute] !== expected.partition.value) throw invalid();
  return key as Record<string, string>;
}

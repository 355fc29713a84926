/** Opaque pagination cursors: DynamoDB's LastEvaluatedKey, base64url-encoded, validated on the way back in. */
import { ValidationError } from '../../core/errors.ts';

export function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through to the validation error below
  }
  throw new ValidationError([{ field: 'cursor', rule: 'must be a cursor returned by a previous page' }]);
}

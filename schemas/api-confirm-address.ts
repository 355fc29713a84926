/**
 * `POST /applications/{id}/confirm-email`'s body, `{ "secret": "acs_…" }`, checked without zod: the founder function
 * parses nothing else, and importing zod at all would add ~13 KB to it (issue 11 §1). ./api-requests.ts builds the
 * same rule as a zod schema (ConfirmAddressRequest, for the OpenAPI document); test/unit/api-confirm-address.test.ts
 * checks that both give the same value or the same problems for the same input.
 */
import type { FieldProblem, Parsed } from './issue-rules.ts';

export const CONFIRMATION_SECRET_PATTERN = /^acs_[A-Za-z0-9_-]{43}$/;
export const CONFIRMATION_SECRET_RULE = "must be the secret from the confirmation mail's link (acs_ and 43 characters)";

/** The body as ConfirmAddressRequest parses it: a strict object holding only the secret. */
export function parseConfirmAddress(input: unknown): Parsed<{ secret: string }> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, problems: [{ field: '(root)', rule: 'must be object' }] };
  }
  const problems: FieldProblem[] = [];
  const secret = (input as Record<string, unknown>).secret;
  if (secret === undefined) problems.push({ field: 'secret', rule: 'is required' });
  else if (typeof secret !== 'string') problems.push({ field: 'secret', rule: 'must be string' });
  else if (!CONFIRMATION_SECRET_PATTERN.test(secret)) problems.push({ field: 'secret', rule: CONFIRMATION_SECRET_RULE });
  for (const key of Object.keys(input)) if (key !== 'secret') problems.push({ field: key, rule: 'unknown field not allowed' });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: { secret: secret as string } };
}

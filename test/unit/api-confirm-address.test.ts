/**
 * The founder function checks the confirm-email body (and the reconciliation its fixed input) without zod (schemas/api-confirm-address.ts); the OpenAPI document
 * and every other reader use the zod schema (ConfirmAddressRequest). Both must agree on every input: the same value,
 * or the same problems in the same words.
 */
import { describe, expect, it } from 'vitest';
import { parseConfirmAddress } from '../../schemas/api-confirm-address.ts';
import { ConfirmAddressRequest, ReconcileInput } from '../../schemas/api-requests.ts';
import { isReconcileInput } from '../../schemas/api-reconcile-input.ts';
import { parseWith } from '../../schemas/issues.ts';

const good = `acs_${'a'.repeat(43)}`;
const inputs: unknown[] = [
  { secret: good },
  { secret: `acs_${'Z9_-'.repeat(10)}abc` },
  {},
  { secret: undefined },
  { secret: null },
  { secret: 42 },
  { secret: ['x'] },
  { secret: 'acs_short' },
  { secret: `acs_${'a'.repeat(44)}` },
  { secret: `ACS_${'a'.repeat(43)}` },
  { secret: ` ${good}` },
  { secret: good, extra: 1 },
  { secret: 'bad', extra: 1, more: 'x' },
  { other: true },
  null,
  [],
  [good],
  'acs_string',
  7,
  true,
];

describe('the confirm-email body without zod', () => {
  it.each(inputs.map((input) => [JSON.stringify(input) ?? String(input), input]))('parses %s as ConfirmAddressRequest does', (_label, input) => {
    expect(parseConfirmAddress(input)).toEqual(parseWith(ConfirmAddressRequest(), input));
  });

  it('accepts the secret and refuses the rest, naming the field and the rule', () => {
    expect(parseConfirmAddress({ secret: good })).toEqual({ ok: true, value: { secret: good } });
    expect(parseConfirmAddress({ secret: 'acs_x', extra: 1 })).toEqual({
      ok: false,
      problems: [
        { field: 'secret', rule: "must be the secret from the confirmation mail's link (acs_ and 43 characters)" },
        { field: 'extra', rule: 'unknown field not allowed' },
      ],
    });
  });
});

describe('the reconciliation input without zod', () => {
  const candidates: unknown[] = [
    { reconcile: 'partner-central' }, { reconcile: 'partner-central', extra: 1 }, { reconcile: 'other' }, { reconcile: 1 }, {},
    null, [], ['partner-central'], 'partner-central', 0,
  ];
  it.each(candidates.map((input) => [JSON.stringify(input), input]))('accepts %s exactly when ReconcileInput does', (_label, input) => {
    expect(isReconcileInput(input)).toBe(parseWith(ReconcileInput(), input).ok);
  });
});

/**
 * The founder function checks the confirm-email body (and the reconciliation its fixed input) without zod (ConfirmAddressBody, functions/core/address-confirmation.ts); the OpenAPI document
 * and every other reader use the zod schema (ConfirmAddressRequest). Both must agree on every input: the same value,
 * or the same problems in the same words.
 */
import { describe, expect, it } from 'vitest';
import { ConfirmAddressBody } from '../../functions/core/address-confirmation.ts';
import { checkInput } from '../../functions/core/input-shape.ts';
import { FundingPatchShape } from '../../functions/core/request-shapes.ts';
import { ConfirmAddressRequest, FundingPatch, ReconcileInput } from '../../schemas/api-requests.ts';
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
    expect(checkInput(ConfirmAddressBody, input)).toEqual(parseWith(ConfirmAddressRequest(), input));
  });

  it('accepts the secret and refuses the rest, naming the field and the rule', () => {
    expect(checkInput(ConfirmAddressBody, { secret: good })).toEqual({ ok: true, value: { secret: good } });
    expect(checkInput(ConfirmAddressBody, { secret: 'acs_x', extra: 1 })).toEqual({
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

describe('the funding merge patch without zod', () => {
  const bodies: string[] = [
    '{}', '{"Name":"x"}', '{"Name":null,"BenefitApplicationDetails":{"a":[1,2,{"b":null}]}}', '{"1":1,"":2}',
    '{"__proto__":{"polluted":true},"Name":"y"}', '{"constructor":{"prototype":{"x":1}}}',
  ];
  it.each(bodies)('reads %s as FundingPatch does', (text) => {
    const body = JSON.parse(text) as Record<string, unknown>;
    const parsed = parseWith(FundingPatch(), body);
    expect(parsed.ok).toBe(true);
    const checked = checkInput(FundingPatchShape, body);
    expect(checked.ok).toBe(true);
    const mine = checked.ok ? checked.value : {};
    expect(mine).toStrictEqual(parsed.ok ? parsed.value : undefined);
    expect(Object.getPrototypeOf(mine)).toBe(Object.prototype);
    expect(Object.keys(mine)).toEqual(parsed.ok ? Object.keys(parsed.value) : []);
  });
});

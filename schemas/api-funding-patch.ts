/**
 * `PATCH …/funding`'s body as FundingPatch (./api-requests.ts, `z.record(z.string(), z.unknown())`) reads a JSON
 * object, without zod: the handler refuses anything but a JSON object first, and importing zod at all would add ~13 KB
 * to the partner-funding function (issue 11 §1). Like zod: a fresh object with the own enumerable keys, `__proto__`
 * dropped. test/unit/api-confirm-address.test.ts checks both give the same value.
 */
export function fundingPatchOf(body: Record<string, unknown>): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(body)) if (key !== '__proto__') patch[key] = body[key];
  return patch;
}

/**
 * ACE's address rules as the functions load them: data/runtime/ace-address.json, the projection of the shape
 * slice's country codes, the postal-code file and the submission rules' US states (`npm run gen:runtime-data`,
 * checked by functions/core/data-checks.ts). Apart from the rest of the ACE data so that intake's address check loads
 * only these (issue 11 §1); the drafter and the validator read them from here too.
 */
import addressBr from '../../../data/runtime/ace-address.br.ts';
import type { AceAddressRules, PackedAceAddressRules, PostalFormat } from '../../../schemas/runtime-data.ts';
import { unpackAddressRules } from '../packed-data.ts';
import { inflateJson } from '../compressed-data.ts';

/**
 * Checked at build (functions/core/data-checks.ts, run by the unit tests and every synth), trusted at run time; packed
 * (functions/core/packed-data.ts) and compressed (functions/core/compressed-data.ts), inflated and unpacked once at load.
 */
export const aceAddress: AceAddressRules = /* @__PURE__ */ unpackAddressRules(/* @__PURE__ */ inflateJson<PackedAceAddressRules>(addressBr));

/** ACE takes no postal code for these countries (and rejects one). */
export function hasPostalCodes(countryCode: string): boolean {
  return !aceAddress.noPostalCode.includes(countryCode);
}

/** The country's postal format (name, format as AWS writes it, pattern), when AWS lists one. */
export function postalFormat(countryCode: string): PostalFormat | undefined {
  if (!Object.hasOwn(aceAddress.formats, countryCode)) return undefined;
  const [name, format, pattern] = aceAddress.formats[countryCode] as AceAddressRules['formats'][string];
  return { name, format, pattern: aceAddress.patterns[pattern] as string };
}

/**
 * ACE spells US states out ("California"); founders write "CA", "california" or "District of Columbia". Here beside the
 * data rather than in the drafter, so intake's address check does not load the drafter (issue 11 §1).
 */
export function aceStateName(input: string): string {
  const text = input.trim();
  const exact = aceAddress.usStates.find((s) => s.toLowerCase() === text.toLowerCase());
  if (exact) return exact;
  const byAbbreviation = aceAddress.usStateAbbreviations[text.toUpperCase()];
  if (byAbbreviation) return byAbbreviation;
  const alias = Object.entries(aceAddress.usStateAliases).find(([name]) => name.toLowerCase() === text.toLowerCase());
  // Unknown names pass through unchanged: the validator then names the field and the rule.
  return alias?.[1] ?? text;
}

/**
 * The ACE address rules applied to a founder's worksheet at intake, so a founder hears about a wrong
 * country code, postal code or US state at once instead of a partner finding it in a drafted brief.
 * The same data drive the brief validator; intake loads only the address rules (./address-rules.ts).
 */
import type { FieldProblem } from '../../../schemas/issues.ts';
import type { Worksheet } from '../../../schemas/worksheet.ts';
import { aceAddress, aceStateName, hasPostalCodes as countryHasPostalCodes, postalFormat } from './address-rules.ts';

export function worksheetAddressProblems(address: Worksheet['company']['address'], field = 'company.address'): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const country = address.countryCode;
  if (!aceAddress.countryCodes.includes(country)) {
    problems.push({ field: `${field}.countryCode`, rule: 'must be a country code on the ACE list (ISO 3166 alpha-2)' });
    return problems;
  }
  const hasPostalCodes = countryHasPostalCodes(country);
  const format = postalFormat(country);
  if (hasPostalCodes && address.postalCode === undefined) {
    problems.push({ field: `${field}.postalCode`, rule: `is required for ${country}` });
  } else if (hasPostalCodes && format && address.postalCode !== undefined && !new RegExp(format.pattern, 'i').test(address.postalCode)) {
    problems.push({ field: `${field}.postalCode`, rule: `must match the ${format.name} postal code format ${format.format}` });
  }
  if (country === 'US' && address.stateOrRegion !== undefined && !aceAddress.usStates.includes(aceStateName(address.stateOrRegion))) {
    problems.push({ field: `${field}.stateOrRegion`, rule: 'must be a US state or territory name or its two-letter code (e.g. California or CA)' });
  }
  return problems;
}

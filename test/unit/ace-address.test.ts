// The ACE address rules a founder's worksheet meets at intake (functions/core/ace/address.ts), each with the exact
// { field, rule } the founder sees; intake.test.ts checks them through the whole worksheet.
import { describe, expect, it } from 'vitest';
import { worksheetAddressProblems } from '../../functions/core/ace/address.ts';

type Address = Parameters<typeof worksheetAddressProblems>[0];
const check = (address: Address, field?: string) => worksheetAddressProblems(address, field);

describe('worksheet address rules', () => {
  it('a country off the ACE list is the only problem named, whatever else is wrong', () => {
    expect(check({ countryCode: 'XK', stateOrRegion: 'Cascadia' })).toEqual([
      { field: 'company.address.countryCode', rule: 'must be a country code on the ACE list (ISO 3166 alpha-2)' },
    ]);
  });

  it('names the field under the path it is given', () => {
    expect(check({ countryCode: 'GB' }, 'addr')).toEqual([{ field: 'addr.postalCode', rule: 'is required for GB' }]);
  });

  it('a postal code is required where the country has them, and optional where it has none', () => {
    expect(check({ countryCode: 'DE' })).toEqual([{ field: 'company.address.postalCode', rule: 'is required for DE' }]);
    expect(check({ countryCode: 'AE', city: 'Dubai' })).toEqual([]);
  });

  it('a postal code is checked against the country format, ignoring case', () => {
    expect(check({ countryCode: 'CA', postalCode: '12345' })).toEqual([
      { field: 'company.address.postalCode', rule: 'must match the Canada postal code format A9A 9A9 or A9A9A9' },
    ]);
    expect(check({ countryCode: 'CA', postalCode: 'K1A 0B1' })).toEqual([]);
    expect(check({ countryCode: 'GB', postalCode: 'sw1a 1aa' })).toEqual([]);
  });

  it('any postal code passes where ACE lists no format for the country', () => {
    expect(check({ countryCode: 'AR', postalCode: 'anything 1' })).toEqual([]);
  });

  it('a US state by name or two-letter code passes; anything else is named', () => {
    expect(check({ countryCode: 'US', postalCode: '94107', stateOrRegion: 'california' })).toEqual([]);
    expect(check({ countryCode: 'US', postalCode: '94107', stateOrRegion: 'CA' })).toEqual([]);
    expect(check({ countryCode: 'US', postalCode: '94107' })).toEqual([]);
    expect(check({ countryCode: 'US', postalCode: '94107', stateOrRegion: 'Cascadia' })).toEqual([
      { field: 'company.address.stateOrRegion', rule: 'must be a US state or territory name or its two-letter code (e.g. California or CA)' },
    ]);
  });

  it('a region outside the US is not checked against the US states', () => {
    expect(check({ countryCode: 'DE', postalCode: '10115', stateOrRegion: 'Berlin' })).toEqual([]);
  });

  it('a postal-code problem and a state problem are both named', () => {
    expect(check({ countryCode: 'US', postalCode: '9410', stateOrRegion: 'Cascadia' }).map((p) => p.field)).toEqual([
      'company.address.postalCode', 'company.address.stateOrRegion',
    ]);
  });
});

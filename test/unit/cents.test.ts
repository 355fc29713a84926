// cents.ts converts USD amounts without big.js: exactly what money.ts computed with it (the reference below), for
// every number or decimal string big.js reads, and it refuses text that is not a number.
import Big from 'big.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { centsToUsd, formatUsd, usdAmountToCents, usdToCents } from '../../functions/core/cents.ts';
import { usdToCents as viaMoney } from '../../functions/core/money.ts';

/** The big.js conversion money.ts used (rate × 100, rounded once half up). */
const reference = (usd: number | string): bigint => BigInt(new Big(usd).times(100).round(0, Big.roundHalfUp).toFixed(0));

const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
const decimalText = fc
  .record({
    minus: fc.boolean(),
    whole: digits(0, 14),
    fraction: fc.option(digits(0, 8), { nil: undefined }),
    exponent: fc.option(fc.integer({ min: -12, max: 12 }), { nil: undefined }),
    upper: fc.boolean(),
  })
  .filter((d) => d.whole !== '' || (d.fraction !== undefined && d.fraction !== ''))
  .map((d) => `${d.minus ? '-' : ''}${d.whole}${d.fraction !== undefined ? `.${d.fraction}` : ''}${d.exponent !== undefined ? `${d.upper ? 'E' : 'e'}${d.exponent}` : ''}`);

describe('usdToCents without big.js', () => {
  it('equals the big.js conversion for decimal text, exponents and signs included', () => {
    fc.assert(fc.property(decimalText, (text) => { expect(usdToCents(text)).toBe(reference(text)); }), { numRuns: 3000 });
  });

  it('equals the big.js conversion for numbers', () => {
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e15, max: 1e15 }), (n) => { expect(usdToCents(n)).toBe(reference(n)); }), { numRuns: 3000 });
  });

  it('rounds half away from zero, once', () => {
    expect([usdToCents('0.005'), usdToCents('0.00499'), usdToCents('-0.005'), usdToCents('1234.565'), usdToCents('.5e-2'), usdToCents(-0)]).toEqual([1n, 0n, -1n, 123457n, 1n, 0n]);
  });

  it('money.ts re-exports the same function', () => {
    expect(viaMoney).toBe(usdToCents);
  });

  it('refuses text big.js refuses', () => {
    for (const text of ['', '.', '1,000', '$5', ' 5', '1e', '+5', 'NaN', 'Infinity', '0x10']) {
      expect(() => reference(text)).toThrow();
      expect(() => usdToCents(text), text).toThrow(RangeError);
    }
  });
});

describe('usdToCents at its limits', () => {
  it('names the text it refuses', () => {
    expect(() => usdToCents('1,000')).toThrow('not a USD amount: 1,000');
    expect(() => usdToCents(Number.NaN)).toThrow('not a USD amount: NaN');
  });

  it('reads an exponent up to a million digits and refuses a larger one by the same rule', () => {
    expect(usdToCents('1e1000000')).toBe(10n ** 1_000_002n);
    expect(usdToCents('-1e-1000000')).toBe(0n);
    expect(() => usdToCents('1e1000001')).toThrow('not a USD amount: 1e1000001');
    expect(() => usdToCents('1e-1000001')).toThrow(RangeError);
  });

  it('keeps every digit of a huge amount and of whole cents', () => {
    expect(usdToCents('123456789012345678901234567890.12')).toBe(12345678901234567890123456789012n);
    expect(usdToCents('-0.01')).toBe(-1n);
    expect(usdToCents(1e21)).toBe(10n ** 23n);
  });
});

describe('usdAmountToCents (the UsdAmount boundary format)', () => {
  it('reads whole dollars and one or two decimals exactly', () => {
    expect(['12', '1234.5', '0.07', '1234.56', '0', '90071992547409931.99'].map(usdAmountToCents)).toEqual([1200n, 123450n, 7n, 123456n, 0n, 9007199254740993199n]);
  });

  it('refuses anything else by name: signs, exponents, three decimals, a bare point, other characters', () => {
    for (const text of ['', 'x12', '12x', '-1', '+1', '1e2', '1.234', '1.', '.5', '1,000', ' 1', '1 ', '$1']) {
      expect(() => usdAmountToCents(text), text).toThrow(new RangeError(`not a USD amount: ${text}`));
    }
  });

  it('is exact where the big.js conversion is, and centsToUsd writes it back', () => {
    const amount = fc.tuple(digits(1, 20), fc.option(digits(1, 2), { nil: undefined })).map(([w, f]) => (f === undefined ? w : `${w}.${f}`));
    fc.assert(fc.property(amount, (text) => {
      const cents = usdAmountToCents(text);
      expect(cents).toBe(reference(text));
      expect(centsToUsd(cents)).toBe(new Big(text).toFixed(2));
    }), { numRuns: 1000 });
  });
});

describe('centsToUsd', () => {
  it('writes two decimals always', () => {
    expect([0n, 7n, 50n, 123456n, 120000n, 12345678901234567890123n].map(centsToUsd)).toEqual(['0.00', '0.07', '0.50', '1234.56', '1200.00', '123456789012345678901.23']);
  });

  it('refuses a negative amount, naming it', () => {
    expect(() => centsToUsd(-5n)).toThrow(new RangeError('negative amount -5 cents cannot be a UsdAmount'));
  });
});

describe('formatUsd', () => {
  it('groups thousands, keeps cents below ten with their zero and drops ".00"', () => {
    expect([0n, 5n, 105n, 100n, 123456n, 100000000n, 123456789012n].map(formatUsd)).toEqual(['$0', '$0.05', '$1.05', '$1', '$1,234.56', '$1,000,000', '$1,234,567,890.12']);
  });

  it('signs a negative amount before the dollar sign', () => {
    expect([-1n, -123456n, -100000000n].map(formatUsd)).toEqual(['-$0.01', '-$1,234.56', '-$1,000,000']);
  });

  it('equals the amount big.js writes, grouped as en-US groups a bigint', () => {
    fc.assert(fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), (cents) => {
      const [whole = '', fraction = ''] = new Big(cents.toString()).div(100).abs().toFixed(2).split('.');
      const expected = `${cents < 0n ? '-' : ''}$${BigInt(whole).toLocaleString('en-US')}${fraction === '00' ? '' : `.${fraction}`}`;
      expect(formatUsd(cents)).toBe(expected);
    }), { numRuns: 1000 });
  });
});

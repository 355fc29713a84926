// cents.ts converts USD amounts without big.js: exactly what money.ts computed with it (the reference below), for
// every number or decimal string big.js reads, and it refuses text that is not a number.
import Big from 'big.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { usdToCents } from '../../functions/core/cents.ts';
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

// money.ts's own arithmetic (the conversions it re-exports are tested in cents.test.ts): token cost, one rounding
// half up, min/max, a share, rounding up to a step and the largest-remainder split of an exact total into cents.
// Every input is built inside its test (StrykerJS counts nothing built when the file is collected as covered).
import Big from 'big.js';
import { describe, expect, it } from 'vitest';
import { allocateCents, ceilToStep, centsToBig, maxCents, minCents, roundCents, shareOfCents, tokenCostCents } from '../../functions/core/money.ts';

const big = (xs: string[]) => xs.map((x) => new Big(x));

describe('tokenCostCents', () => {
  it('is tokens × USD per 1M × 100 / 1M, unrounded', () => {
    expect(tokenCostCents(new Big(2_000), 3).toString()).toBe('0.6');
    expect(tokenCostCents(new Big(1), 0.3).toString()).toBe('0.00003');
    expect(tokenCostCents(new Big('304166.666666666666666667'), 15).toFixed(6)).toBe('456.250000');
    expect(tokenCostCents(new Big(0), 75).toString()).toBe('0');
  });
});

describe('roundCents', () => {
  it('rounds once, half up, to a bigint of cents', () => {
    expect([roundCents(new Big('2.5')), roundCents(new Big('2.4999999')), roundCents(new Big('0.5')), roundCents(new Big('0.49')), roundCents(new Big('7'))]).toEqual([3n, 2n, 1n, 0n, 7n]);
  });

  it('keeps every digit past 2^53', () => {
    expect(roundCents(new Big('9007199254740993.5'))).toBe(9007199254740994n);
  });
});

describe('centsToBig', () => {
  it('is exact past 2^53', () => {
    expect(centsToBig(9007199254740993n).toFixed(0)).toBe('9007199254740993');
    expect(centsToBig(0n).toString()).toBe('0');
  });
});

describe('maxCents and minCents', () => {
  it('pick the larger and the smaller whichever comes first', () => {
    expect([maxCents(2n, 3n), maxCents(3n, 2n), maxCents(-1n, -4n), maxCents(5n, 5n)]).toEqual([3n, 3n, -1n, 5n]);
    expect([minCents(2n, 3n), minCents(3n, 2n), minCents(-1n, -4n), minCents(5n, 5n)]).toEqual([2n, 2n, -4n, 5n]);
  });
});

describe('shareOfCents', () => {
  it('is the share of the amount rounded once, half up', () => {
    expect(shareOfCents(401_425n, 0.1)).toBe(40_143n); // 40,142.5 → up
    expect(shareOfCents(1_001n, 0.15)).toBe(150n); // 150.15
    expect(shareOfCents(319_375n, 0.15)).toBe(47_906n); // 47,906.25
    expect(shareOfCents(12_345n, 0)).toBe(0n);
  });
});

describe('ceilToStep', () => {
  it('rounds up to the next multiple of the step and leaves an amount on a step alone', () => {
    expect([ceilToStep(1n, 50_000n), ceilToStep(49_999n, 50_000n), ceilToStep(50_000n, 50_000n), ceilToStep(50_001n, 50_000n), ceilToStep(0n, 50_000n)]).toEqual([
      50_000n,
      50_000n,
      50_000n,
      100_000n,
      0n,
    ]);
    expect(ceilToStep(123_456n, 100n)).toBe(123_500n);
  });

  it('leaves the amount as it is for a step of zero or less', () => {
    expect(ceilToStep(123n, 0n)).toBe(123n);
    expect(ceilToStep(123n, -5n)).toBe(123n);
  });
});

describe('allocateCents', () => {
  it('floors each part and gives the cents left to the largest remainders', () => {
    expect(allocateCents(big(['1.2', '2.3', '3.4']))).toEqual([1n, 2n, 4n]); // 6.9 → 7: the 0.4 remainder takes it
    expect(allocateCents(big(['0.4', '0.6']))).toEqual([0n, 1n]);
    expect(allocateCents(big(['0.6', '0.4']))).toEqual([1n, 0n]);
    expect(allocateCents(big(['0.1', '0.95', '0.45', '0.5']))).toEqual([0n, 1n, 0n, 1n]); // 2.0: 0.95 then 0.5
  });

  it('hands out exactly the cents the rounded total needs, one per part', () => {
    expect(allocateCents(big(['0.7', '0.7', '0.7']))).toEqual([1n, 1n, 0n]); // 2.1 → 2
    expect(allocateCents(big(['0.3', '0.3', '0.3']))).toEqual([1n, 0n, 0n]); // 0.9 → 1
    expect(allocateCents(big(['0.2', '0.2']))).toEqual([0n, 0n]); // 0.4 → 0
    expect(allocateCents(big(['5', '7']))).toEqual([5n, 7n]); // whole cents: nothing left to hand out
    expect(allocateCents([])).toEqual([]);
  });

  it('breaks a tie of remainders in favour of the earlier part', () => {
    expect(allocateCents(big(['0.5', '0.5']))).toEqual([1n, 0n]);
    expect(allocateCents(big(['0.5', '0.5', '0.5', '0.5']))).toEqual([1n, 1n, 0n, 0n]);
    expect(allocateCents(big(['0.25', '0.5', '0.25', '0.5', '0.5']))).toEqual([0n, 1n, 0n, 1n, 0n]); // 2.0
    expect(allocateCents(big(['3.5', '0', '1.5']))).toEqual([4n, 0n, 1n]);
  });

  it('keeps every digit past 2^53 and sums to the total rounded once', () => {
    const parts = big(['12345678901234567.5', '0.5', '0.25']);
    expect(allocateCents(parts)).toEqual([12345678901234568n, 0n, 0n]); // 12345678901234568.25 → …568
  });
});

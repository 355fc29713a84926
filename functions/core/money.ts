/**
 * Money: exact decimal arithmetic with big.js for rate × tokens, integer cents (bigint) for every amount that is
 * added up, USD decimal strings at the boundary. bigint rather than number because a 24-month forecast at the
 * worksheet's upper limits exceeds 2^53 cents; no total may drift.
 */
import Big from 'big.js';
import { sumCents, type Cents } from './cents.ts';

export { centsToUsd, formatUsd, sumCents, usdAmountToCents, usdToCents, type Cents } from './cents.ts';

const TOKENS_PER_PRICE_UNIT = 1_000_000;

/** Exact (unrounded) cost in cents of `tokens` at `usdPer1M` USD per 1M tokens. */
export function tokenCostCents(tokens: Big, usdPer1M: number): Big {
  return tokens.times(usdPer1M).times(100).div(TOKENS_PER_PRICE_UNIT);
}

/** Round an exact cent amount once, half up (amounts are never negative here). */
export function roundCents(exact: Big): Cents {
  return BigInt(exact.round(0, Big.roundHalfUp).toFixed(0));
}

export function centsToBig(cents: Cents): Big {
  return new Big(cents.toString());
}

export function maxCents(a: Cents, b: Cents): Cents {
  return a > b ? a : b;
}

export function minCents(a: Cents, b: Cents): Cents {
  return a < b ? a : b;
}

/** `share` (e.g. 0.15) of an amount, rounded once half up. */
export function shareOfCents(cents: Cents, share: number): Cents {
  return roundCents(centsToBig(cents).times(share));
}

/** Round up to the next multiple of `stepCents` (an amount already on a step stays). */
export function ceilToStep(cents: Cents, stepCents: Cents): Cents {
  if (stepCents <= 0n) return cents;
  const rem = cents % stepCents;
  return rem === 0n ? cents : cents + (stepCents - rem);
}

/**
 * Split an exact total into integer-cent line items that add up to the total rounded once: floor every part, then
 * hand the remaining cents to the largest remainders (ties: earlier part first, as Array.prototype.sort is stable).
 * Each line is within a cent of its exact value, and the lines always sum to round(total), so a rounded total is
 * monotone in its exact value.
 */
export function allocateCents(exactParts: readonly Big[]): Cents[] {
  const total = exactParts.reduce((sum, p) => sum.plus(p), new Big(0));
  const target = roundCents(total);
  const floors = exactParts.map((p) => BigInt(p.round(0, Big.roundDown).toFixed(0)));
  let remaining = target - sumCents(floors);
  const order = exactParts
    .map((p, i) => ({ i, rem: p.minus(p.round(0, Big.roundDown)) }))
    .sort((a, b) => b.rem.cmp(a.rem));
  const out = [...floors];
  for (const { i } of order) {
    if (remaining <= 0n) break;
    out[i] = (out[i] as Cents) + 1n;
    remaining -= 1n;
  }
  return out;
}

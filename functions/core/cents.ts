/**
 * Integer cents (bigint) and USD decimal strings, without big.js: what the repository, the pipeline counters, the
 * views and the ACE drafters need, apart from ./money.ts (the exact rate × tokens arithmetic) so the functions that
 * only convert and add up amounts do not load the decimal library (issue 11 §1, bundle size). ./money.ts re-exports
 * all of it.
 */
export type Cents = bigint;

/** A `UsdAmount` string ("1234.5", "0.07", "12"; schemas/estimate.ts) to cents, exactly. */
export function usdAmountToCents(amount: string): Cents {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(amount);
  if (!m) throw new RangeError(`not a USD amount: ${amount}`);
  return BigInt(m[1] as string) * 100n + BigInt((m[2] ?? '').padEnd(2, '0'));
}

/** "1234.56" — the boundary format (schemas/estimate.ts `UsdAmount`). */
export function centsToUsd(cents: Cents): string {
  if (cents < 0n) throw new RangeError(`negative amount ${cents} cents cannot be a UsdAmount`);
  const whole = cents / 100n;
  const rest = (cents % 100n).toString().padStart(2, '0');
  return `${whole}.${rest}`;
}

/** "$12,345.67" for sentences (warnings, rationales). Whole dollars drop the ".00". */
export function formatUsd(cents: Cents): string {
  const sign = cents < 0n ? '-' : '';
  const abs = cents < 0n ? -cents : cents;
  const whole = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const rest = abs % 100n;
  return `${sign}$${whole}${rest === 0n ? '' : `.${rest.toString().padStart(2, '0')}`}`;
}

export function sumCents(values: Iterable<Cents>): Cents {
  let total = 0n;
  for (const v of values) total += v;
  return total;
}

// A decimal number as big.js reads one: optional minus, digits with an optional fraction (or a bare fraction), an
// optional exponent.
const DECIMAL = /^(-?)(\d+(?:\.\d*)?|\.\d+)(?:e([+-]?\d+))?$/i;
const MAX_EXPONENT = 1_000_000;

/**
 * A USD amount (number or decimal string, exponent allowed) to cents, rounded once half away from zero: exactly what
 * ./money.ts computed with big.js (`new Big(usd).times(100)` rounded half up), without the decimal library, so the
 * functions that only convert amounts do not load it (issue 11 §1). Throws RangeError for text that is not a number.
 */
export function usdToCents(usd: number | string): Cents {
  // -0 reads as "0": the same 0n cents (a bigint has no negative zero).
  const text = String(usd);
  const m = DECIMAL.exec(text);
  const exponent = Number(m?.[3] ?? 0);
  if (!m || Math.abs(exponent) > MAX_EXPONENT) throw new RangeError(`not a USD amount: ${text}`);
  const [whole, fraction = ''] = (m[2] as string).split('.') as [string, string?];
  const digits = `${whole}${fraction}`;
  // value = digits × 10^(exponent − fraction length); cents = value × 100.
  const shift = exponent - fraction.length + 2;
  let cents: Cents;
  if (shift >= 0) {
    cents = BigInt(digits) * 10n ** BigInt(shift);
  } else {
    const keep = digits.length + shift;
    cents = keep > 0 ? BigInt(digits.slice(0, keep)) : 0n;
    // Half away from zero: the first dropped digit decides (the magnitude is rounded, then signed). When even that
    // digit lies beyond the cents (keep < 0), charAt answers '': nothing rounds up.
    if (digits.charAt(keep) >= '5') cents += 1n;
  }
  return m[1] === '-' ? -cents : cents;
}


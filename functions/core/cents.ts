/**
 * Integer cents (bigint) and USD decimal strings, without big.js: what the repository, the pipeline counters and the
 * views need, apart from ./money.ts (the exact rate × tokens arithmetic) so the functions that only add up
 * amounts do not load the decimal library (issue 11 §1, bundle size). ./money.ts re-exports all of it.
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

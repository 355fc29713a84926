/** A non-negative USD amount as a decimal string with at most two decimals, e.g. "1234.50". */
import * as z from 'zod/mini';
import { USD_AMOUNT_PATTERN, USD_AMOUNT_RULE } from './request-rules.ts';

// Apart from ./estimate.ts (re-exported there) so request schemas can use it without building the estimate's schemas.
// Built by a pure IIFE so that a bundle which never reads it (only request builders it does not call do) drops it.
export const UsdAmount = /* @__PURE__ */ (() => z.string().check(z.regex(USD_AMOUNT_PATTERN, USD_AMOUNT_RULE)))();

/**
 * `POST /applications/{id}/confirm-email`'s body, `{ "secret": "acs_…" }`: the secret's rule, shared by the zod schema
 * (ConfirmAddressRequest in ./api-requests.ts, for the OpenAPI document) and the zod-free shape the founder function
 * checks with (ConfirmAddressBody in functions/core/address-confirmation.ts; issue 11 §1: importing zod at all would add
 * ~13 KB to it). test/unit/api-confirm-address.test.ts checks both give the same value or the same problems.
 */
export const CONFIRMATION_SECRET_PATTERN = /^acs_[A-Za-z0-9_-]{43}$/;
export const CONFIRMATION_SECRET_RULE = "must be the secret from the confirmation mail's link (acs_ and 43 characters)";

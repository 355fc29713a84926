/**
 * The founder confirms the contact address before anyone else is involved: after intake the application is sized
 * and drafted, then waits (a task-token wait, kind `address-confirmation`) until the founder follows the link in the
 * confirmation mail. Only then is it routed: no partner slot is booked and no partner is mailed before.
 *
 * The link carries a secret of 256 random bits in the URL FRAGMENT (`…/confirm-email#secret=…`): a fragment never
 * leaves the browser, so mail scanners that prefetch the link, proxies and access logs never see it, and the GET
 * page changes nothing. The page POSTs the secret when the founder presses the button. Only its hash is stored, and
 * only until it is used (single use); it expires when the wait does. It is never a task token.
 *
 * Pure: hashing comes from node:crypto.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressConfirmation, Application, ApplicationStatus } from '../../schemas/application.ts';
import type { Worksheet } from '../../schemas/worksheet.ts';
import { CONFIRMATION_SECRET_PATTERN, CONFIRMATION_SECRET_RULE } from '../../schemas/api-confirm-address.ts';
import { object, text } from './input-shape.ts';

/** Settings (cdk.json context, passed to the functions as environment). */
export interface ConfirmationSettings {
  /** How long a confirmation mail's link works, and how long the workflow waits for it. */
  readonly confirmWithinHours: number;
  /** Resends one application may ask for (so an unconfirmed one is gone at most (1 + this) × the window after intake). */
  readonly maxResendsPerApplication: number;
}

export const DEFAULT_CONFIRMATION_SETTINGS: ConfirmationSettings = { confirmWithinHours: 72, maxResendsPerApplication: 3 };

export function newConfirmationSecret(): { secret: string; hash: string } {
  const secret = `acs_${randomBytes(32).toString('base64url')}`;
  return { secret, hash: hashConfirmationSecret(secret) };
}

export function hashConfirmationSecret(secret: string): string {
  return createHash('sha256').update(`address-confirmation:v1:${secret}`, 'utf8').digest('hex');
}

export function hashesEqual(a: string | undefined, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The link in the mail: the page is public and harmless to fetch; the secret rides in the fragment. */
export function confirmationLink(baseUrl: string, applicationId: string, secret: string): string {
  return `${baseUrl}/applications/${encodeURIComponent(applicationId)}/confirm-email#secret=${secret}`;
}

/** The same mailbox: addresses compare without surrounding space and case (as the per-address limits do). */
export function sameAddress(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/**
 * What a founder's revision changed that is confirmed from the mailbox before the revised application goes back to
 * the partner: the contact address (the new one is confirmed, as at intake), or the AWS account. The credits are
 * applied to the account named, so a change of it is confirmed from the contact mailbox as well (the founder's token
 * alone does not move them), and the confirmation claims the new account's open-application slot
 * (functions/usecases/address-confirmation.ts), as it does for the account a worksheet is submitted with.
 */
export function revisionToConfirm(before: Worksheet, after: Worksheet): { address: boolean; account: boolean } {
  return { address: !sameAddress(before.contact.email, after.contact.email), account: before.aws.accountId !== after.aws.accountId };
}

/**
 * A revision that changes the contact address (or the AWS account: revisionToConfirm) must be confirmed from the
 * (new) address before the revised application goes back to the partner: the confirmation starts over, numbered on from the last mail (so its mail is
 * a notice of its own, never taken for one already sent), with its own resend allowance.
 */
export function reconfirmation(previous: AddressConfirmation | undefined): AddressConfirmation {
  const next = (previous?.requested ?? 0) + 1;
  return { requested: next, sent: previous?.sent ?? 0, firstMail: next };
}

/** Whether this confirmation is for an address a revision gave (not the one the worksheet was submitted with). */
export function confirmsRevisedAddress(c: AddressConfirmation | undefined): boolean {
  return (c?.firstMail ?? 1) > 1;
}

/** Applications stored before confirmation existed have no record of it: they count as confirmed. */
export function addressConfirmed(app: Pick<Application, 'addressConfirmation'>): boolean {
  return !app.addressConfirmation || app.addressConfirmation.confirmedAt !== undefined;
}

/**
 * The application reached nobody but its contact address: the address was never confirmed and no partner was ever
 * assigned. Anyone can submit a worksheet naming any address, account or company, so such an application is shown
 * to no partner (not even as a likely duplicate) and its closing mails nobody.
 */
export function reachedNobody(app: Pick<Application, 'partner' | 'addressConfirmation'>): boolean {
  return !app.partner && !addressConfirmed(app);
}

/** The application sits drafted, waiting on the founder's confirmation. */
export function awaitingAddressConfirmation(app: Pick<Application, 'status' | 'addressConfirmation'>): boolean {
  return app.status === 'drafted' && !addressConfirmed(app);
}

/** A resend was asked for and its mail has not gone out yet. */
export function confirmationMailDue(c: AddressConfirmation): boolean {
  return c.sent < c.requested;
}

export type ConfirmOutcome =
  | { readonly kind: 'confirm' }
  /** The same secret already confirmed it: answer the same, and resume the workflow again (it may have been lost). */
  | { readonly kind: 'replay' }
  /** Wrong, used by another click, expired, or the application is no longer waiting: one answer for all. */
  | { readonly kind: 'invalid' };

/** What a confirmation with this secret hash means for the application as stored. */
export function confirmOutcome(app: Pick<Application, 'status' | 'addressConfirmation'>, hash: string, now: Date): ConfirmOutcome {
  const c = app.addressConfirmation;
  if (!c) return { kind: 'invalid' };
  if (c.confirmedAt !== undefined) return hashesEqual(c.confirmedHash, hash) ? { kind: 'replay' } : { kind: 'invalid' };
  if (app.status !== 'drafted' || !hashesEqual(c.secretHash, hash)) return { kind: 'invalid' };
  if (!c.expiresAt || Date.parse(c.expiresAt) <= now.getTime()) return { kind: 'invalid' };
  return { kind: 'confirm' };
}

/** Why a resend cannot be asked for now, or undefined when it can. */
export function resendRefusal(app: Pick<Application, 'status' | 'addressConfirmation'>, settings: ConfirmationSettings): string | undefined {
  const c = app.addressConfirmation;
  if (!c || c.confirmedAt !== undefined) return 'the address is already confirmed';
  if (app.status !== 'drafted') return `the application is ${app.status.replaceAll('_', ' ')}, not waiting for a confirmation`;
  if (c.requested - (c.firstMail ?? 1) >= settings.maxResendsPerApplication) return `at most ${settings.maxResendsPerApplication} confirmation mails can be resent for one application`;
  return undefined;
}

// ---- open applications per founder address and per AWS account ----

/**
 * Open: on its way to a partner or with one, not yet filed. An open application holds one of a small number of slots
 * per address and per account (functions/adapters/dynamo/limits.ts); a slot whose application is no longer open is
 * reclaimed by the next intake, so no counter needs repairing after a crash.
 */
export const OPEN_STATUSES: readonly ApplicationStatus[] = [
  'submitted', 'sized', 'drafted', 'routed', 'unrouted', 'in_partner_review', 'changes_requested', 'approved_for_filing',
];

export function isOpen(app: Pick<Application, 'status'>): boolean {
  return OPEN_STATUSES.includes(app.status);
}

/**
 * Withdrawn before its address was confirmed, with the link last mailed still live: its intake slots stay held until
 * that link would have expired, as if it had been left to expire. Otherwise whoever submits a worksheet naming
 * someone else's address (and so holds its founder token) could withdraw at once and submit again, mailing that
 * address without end; with this, one address gets at most `maxOpenPerAddress` intake mails per confirmation window.
 * One withdrawn before any mail (no link yet) or after confirming frees its slots at once.
 */
function withdrawnWithLiveLink(app: Pick<Application, 'status' | 'addressConfirmation'>, now: Date): boolean {
  const c = app.addressConfirmation;
  return app.status === 'withdrawn' && c !== undefined && c.confirmedAt === undefined && c.expiresAt !== undefined && Date.parse(c.expiresAt) > now.getTime();
}

/** Whether an application holds its open-application slots (per address, per AWS account) at `now`. */
export function holdsIntakeSlot(app: Pick<Application, 'status' | 'addressConfirmation'>, now: Date): boolean {
  return isOpen(app) || withdrawnWithLiveLink(app, now);
}

/** Settings of the intake limits. */
export interface IntakeLimits {
  readonly maxOpenPerAddress: number;
  readonly maxOpenPerAccount: number;
  /** Well-formed worksheets accepted for processing from one network (core/source-network.ts) per UTC day. */
  readonly worksheetsPerSourcePerDay: number;
}

export const DEFAULT_INTAKE_LIMITS: IntakeLimits = { maxOpenPerAddress: 3, maxOpenPerAccount: 5, worksheetsPerSourcePerDay: 20 };

/**
 * When a full set of slots may free up: the earliest moment an unconfirmed holder expires (its link's expiry),
 * else a day (a confirmed open application frees its slot when filed or closed, which nobody can predict).
 */
export function retryAfterSeconds(holders: readonly Pick<Application, 'status' | 'addressConfirmation'>[], now: Date): number {
  const DAY_S = 86_400;
  const expiries = holders
    .filter((a) => (awaitingAddressConfirmation(a) || withdrawnWithLiveLink(a, now)) && a.addressConfirmation?.expiresAt)
    .map((a) => Math.ceil((Date.parse(a.addressConfirmation!.expiresAt!) - now.getTime()) / 1000));
  const soonest = Math.min(DAY_S, ...expiries);
  return Math.max(1, soonest);
}

/** The confirm-email body as ConfirmAddressRequest (schemas/api-requests.ts) parses it, checked without zod. */
// Both calls marked pure: a function that imports this module for something else (the drafter, the views) drops it.
export const ConfirmAddressBody = /* @__PURE__ */ object({ secret: /* @__PURE__ */ text({ pattern: CONFIRMATION_SECRET_PATTERN, patternRule: CONFIRMATION_SECRET_RULE }) }, { strict: true });

/**
 * The founder's address confirmation (rules in functions/core/address-confirmation.ts), as steps over the adapters:
 *
 * - `sendConfirmationMail` (Notify, event `address-confirmation`): a new secret, its hash stored, then the mail; the
 *   mail is claimed per number (`address-confirmation:<n>`), so a retried task never mails twice, and a retry before
 *   the claim only replaces a secret nobody received (a failed send gives the claim back and the task is retried).
 * - `confirmAddress` (POST /applications/{id}/confirm-email): first the slots of what a confirmed application counts
 *   against: its mailbox's (intake's, re-found; a revision's new address claims one here), its mail domain's, outside
 *   the public mail services (a catch-all domain confirms any address), then its AWS account's (claimed here, not at
 *   intake, so naming someone else's account id holds nothing until confirmed; a revision that changes the account
 *   is confirmed again, so the new account's slot is claimed here too);
 *   429 when any has its limit: nothing is confirmed and the link stays valid. Then one conditional write uses the
 *   secret (single use), then the workflow's `address-confirmation` wait is resumed. A crash after a claim leaves the
 *   slot with an open application that will confirm on the repeated click or expire, freeing it. A crash between the
 *   write and the resume is repaired by repeating the request (the same secret is recognised and the callback
 *   replayed) and, failing that, by the wait's own timeout: ExpireUnconfirmed finds the address confirmed and routes
 *   it instead of closing it.
 * - `requestResend` (POST /applications/{id}/confirm-email/resend): rate limited per address (fixed daily window) and
 *   capped per application; one conditional write asks for mail n+1, then the wait is resumed so the workflow sends it.
 * - `expireUnconfirmed` (the wait timed out): drafted → withdrawn by the system, nothing was booked or shared. After a
 *   revision that changed the contact address or the AWS account, the partner who asked for the changes still holds a
 *   slot: it is given back, and the workflow goes through CheckStanding, whose NotifyChange tells that partner.
 */
import type { Application } from '../../schemas/application.ts';
import { type ApplicationRepository, applyTransition } from '../adapters/dynamo/applications.ts';
import type { PartnerRepository } from '../adapters/dynamo/partners.ts';
import { confirmAddress as confirmStoredAddress, markConfirmationSent, requestConfirmationMail, storeConfirmationSecret } from '../adapters/dynamo/applications-confirmation.ts';
import { addressScope, type LimitTable, takeFromWindow } from '../adapters/dynamo/limits.ts';
import type { Clock } from '../core/clock.ts';
import {
  awaitingAddressConfirmation, confirmationLink, confirmationMailDue, confirmOutcome, hashConfirmationSecret,
  newConfirmationSecret, resendRefusal, type ConfirmationSettings,
} from '../core/address-confirmation.ts';
import { TASK_TOKEN_KINDS } from '../core/application/commands.ts';
import { planTransition } from '../core/application/lifecycle.ts';
import { ConflictError, NotFoundError, TooManyRequestsError } from '../core/errors.ts';
import { mailboxOf } from '../core/mailbox.ts';
import { claimOpenSlot, openSlotScopes } from './open-slots.ts';
import type { Notifier } from './notifier.ts';
import { runEffects, type CallbackOutcome, type CommandDeps } from './run-command.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The workflow's wait resumes with one of these (lib/workflow/definition.ts AddressConfirmationOutcome). */
export const CONFIRMATION_OUTCOMES = { confirmed: 'confirmed', resend: 'resend' } as const;

export interface ConfirmationMailDeps {
  readonly applications: Pick<ApplicationRepository, 'tableName'>;
  readonly notifier: Pick<Notifier, 'deliver'>;
  readonly clock: Clock;
  readonly settings: ConfirmationSettings;
  readonly baseUrl: string;
}

/**
 * Mails confirmation number `requested` unless it went out already; the notices sent. The claim (in the notified set)
 * is checked BEFORE a new secret is stored, so a retry after the mail went out never replaces the mailed secret;
 * `sent` is recorded only after the mail (a retry in between finds the claim and only records it).
 */
export async function sendConfirmationMail(deps: ConfirmationMailDeps, app: Application): Promise<string[]> {
  const c = app.addressConfirmation;
  if (!c || !awaitingAddressConfirmation(app) || !confirmationMailDue(c)) return [];
  const key = `address-confirmation:${c.requested}`;
  if (!(app.notified ?? []).includes(key)) {
    const now = deps.clock.now();
    const expiresAt = new Date(now.getTime() + deps.settings.confirmWithinHours * HOUR_MS);
    const { secret, hash } = newConfirmationSecret();
    if (!(await storeConfirmationSecret(deps.applications, app.id, { hash, number: c.requested, now, expiresAt }))) return [];
    const link = confirmationLink(deps.baseUrl, app.id, secret);
    if (await deps.notifier.deliver(app, 'founder-address-confirmation', key, { confirmation: { link, expiresAt: expiresAt.toISOString() } })) {
      await markConfirmationSent(deps.applications, app.id, c.requested);
      return [key];
    }
  }
  await markConfirmationSent(deps.applications, app.id, c.requested);
  return [];
}

export interface ConfirmDeps extends CommandDeps {
  readonly limits: LimitTable;
  readonly settings: { readonly maxOpenPerAddress: number; readonly maxOpenPerMailDomain: number; readonly maxOpenPerAccount: number };
}

/** Confirms with the secret from the link; NotFoundError (one answer for every bad case) when it cannot. */
export async function confirmAddress(deps: ConfirmDeps, id: string, secret: string): Promise<{ app: Application; replayed: boolean; callback?: CallbackOutcome }> {
  const invalid = () => new NotFoundError('This confirmation link is not valid: it is wrong, already used, expired, or the application no longer waits for it. Ask for a new one with POST /applications/{id}/confirm-email/resend.');
  const hash = hashConfirmationSecret(secret);
  const app = await deps.applications.get(id);
  if (!app) throw invalid();
  const now = deps.clock.now();
  let outcome = confirmOutcome(app, hash, now);
  if (outcome.kind === 'confirm') {
    await claimConfirmedSlots(deps, app, now);
    if (!(await confirmStoredAddress(deps.applications, id, hash, now))) {
      // Lost a race (a concurrent click with the same link wins: then this is a replay) or the secret just expired.
      outcome = confirmOutcome(await deps.applications.mustGet(id), hash, now);
      if (outcome.kind === 'confirm') outcome = { kind: 'invalid' };
    }
  }
  if (outcome.kind === 'invalid') throw invalid();
  const latest = await deps.applications.mustGet(id);
  const callback = await runEffects(deps, latest, { callback: { kinds: [TASK_TOKEN_KINDS.addressConfirmation], output: { outcome: CONFIRMATION_OUTCOMES.confirmed } } }, now);
  return { app: latest, replayed: outcome.kind === 'replay', ...(callback ? { callback } : {}) };
}

/**
 * The slots a confirmed open application holds: its mailbox's (claimed at intake already, so re-found, unless a
 * revision gave a new address), its mail domain's (none on a public mail service), then its AWS account's; 429 naming
 * the first that has none free. The domain comes before the account, so a stranger refused by their own full domain
 * never gets to hold a slot of the account they named.
 */
async function claimConfirmedSlots(deps: ConfirmDeps, app: Application, now: Date): Promise<void> {
  const { mailbox, domain } = mailboxOf(app.worksheet.contact.email);
  const accountId = app.worksheet.aws.accountId;
  const held = openSlotScopes(app.worksheet);
  const scopes = [
    { scope: held.mailbox, limit: deps.settings.maxOpenPerAddress, what: `open application(s) per mailbox: ${mailbox}` },
    ...(held.mailDomain ? [{ scope: held.mailDomain, limit: deps.settings.maxOpenPerMailDomain, what: `confirmed open application(s) per mail domain: ${domain}` }] : []),
    { scope: held.account, limit: deps.settings.maxOpenPerAccount, what: `confirmed open application(s) per AWS account: AWS account ${accountId}` },
  ];
  for (const s of scopes) {
    const retryAfter = await claimOpenSlot(deps, s.scope, s.limit, app.id, now);
    if (retryAfter !== undefined) {
      throw new TooManyRequestsError(`At most ${s.limit} ${s.what} has ${s.limit}. Nothing was confirmed and this link stays valid until it expires; confirm again once one of them is filed, closed or withdrawn.`, retryAfter);
    }
  }
}

export interface ResendDeps extends CommandDeps {
  readonly limits: LimitTable;
  readonly settings: ConfirmationSettings & { readonly resendsPerAddressPerDay: number };
}

/** Asks the workflow for another confirmation mail; 409 when none can be sent, 429 with Retry-After when rate limited. */
export async function requestResend(deps: ResendDeps, app: Application): Promise<{ requested: number; callback?: CallbackOutcome }> {
  const refusal = resendRefusal(app, deps.settings);
  if (refusal) throw new ConflictError(`No confirmation mail can be resent: ${refusal}`, app.status);
  const now = deps.clock.now();
  const limited = await takeFromWindow(deps.limits, addressScope(mailboxOf(app.worksheet.contact.email).mailbox), 'confirmation-resend', {
    limit: deps.settings.resendsPerAddressPerDay, windowMs: DAY_MS, now,
  });
  if (!limited.ok) throw new TooManyRequestsError(`At most ${deps.settings.resendsPerAddressPerDay} confirmation mails a day go to one mailbox`, limited.retryAfterSeconds);
  const requested = app.addressConfirmation!.requested;
  if (!(await requestConfirmationMail(deps.applications, app.id, requested))) {
    const latest = await deps.applications.mustGet(app.id);
    throw new ConflictError(`No confirmation mail can be resent: ${resendRefusal(latest, deps.settings) ?? 'another resend was asked for at the same moment'}`, latest.status);
  }
  const latest = await deps.applications.mustGet(app.id);
  const callback = await runEffects(deps, latest, { callback: { kinds: [TASK_TOKEN_KINDS.addressConfirmation], output: { outcome: CONFIRMATION_OUTCOMES.resend } } }, now);
  return { requested: requested + 1, ...(callback ? { callback } : {}) };
}

export interface ExpireDeps {
  readonly applications: Pick<ApplicationRepository, 'tableName' | 'get' | 'mustGet'>;
  readonly partners: Pick<PartnerRepository, 'release'>;
  readonly clock: Clock;
  readonly settings: ConfirmationSettings;
}

/**
 * What the timed-out wait found: closed quietly (`expired`: nobody else was ever involved), closed after a revision
 * whose new address was never confirmed (`closed-after-revision`: the partner is told, through CheckStanding and
 * NotifyChange), confirmed after all (route it), or something else (ask where).
 */
export type ExpiryOutcome = 'expired' | 'closed-after-revision' | 'confirmed' | 'other';

export async function expireUnconfirmed(deps: ExpireDeps, id: string, actor: Application['transitions'][number]['actor']): Promise<ExpiryOutcome> {
  const app = await deps.applications.mustGet(id);
  // A retry after the write below (the task died before the release): finish the release.
  const last = app.transitions.at(-1);
  if (app.status === 'withdrawn' && app.partner && last?.from === 'drafted' && last.actor.kind === 'system' && last.actor.id === actor.id) {
    await deps.partners.release(app.partner.partnerId, app.id);
    return 'closed-after-revision';
  }
  if (app.status !== 'drafted') return 'other';
  if (!awaitingAddressConfirmation(app)) return 'confirmed';
  // A resend asked for at the last moment, or a link still valid: not expired yet (CheckStanding sends or waits again).
  const c = app.addressConfirmation!;
  if (confirmationMailDue(c) || (c.expiresAt && Date.parse(c.expiresAt) > deps.clock.now().getTime())) return 'other';
  const partner = app.partner;
  try {
    await applyTransition(deps.applications, app, planTransition({
      current: app.status, version: app.version, to: 'withdrawn', actor, now: deps.clock.now(),
      reason: partner
        ? `the founder's revision (a new contact address or AWS account) was not confirmed from the contact address within ${deps.settings.confirmWithinHours} hours of the confirmation mail; the revision was not shared with the partner`
        : `the contact address was not confirmed within ${deps.settings.confirmWithinHours} hours of the confirmation mail; nothing was shared with a partner`,
    }));
  } catch (error) {
    if (error instanceof ConflictError) return 'other';
    throw error;
  }
  if (!partner) return 'expired';
  // The slot the change request kept (the assignment stays on the application, so NotifyChange can tell the partner).
  await deps.partners.release(partner.partnerId, app.id);
  return 'closed-after-revision';
}

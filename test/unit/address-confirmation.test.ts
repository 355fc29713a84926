/**
 * The address confirmation's rules (functions/core/address-confirmation.ts), one by one: the secret and its hash,
 * single use and expiry, the resend cap, what counts as open, and when a full set of slots may free up. Written to
 * fail when any comparison or branch of those rules is changed (npm run mutate).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  addressConfirmed, awaitingAddressConfirmation, confirmationLink, confirmationMailDue, confirmOutcome, confirmsRevisedAddress,
  DEFAULT_CONFIRMATION_SETTINGS, DEFAULT_INTAKE_LIMITS, hashConfirmationSecret, hashesEqual, isOpen, newConfirmationSecret,
  OPEN_STATUSES, reconfirmation, resendRefusal, retryAfterSeconds, sameAddress,
} from '../../functions/core/address-confirmation.ts';
import { APPLICATION_STATUSES, type AddressConfirmation, type ApplicationStatus } from '../../schemas/application.ts';

const now = new Date('2026-12-01T12:00:00Z');
const inAnHour = new Date(now.getTime() + 3_600_000).toISOString();
const anHourAgo = new Date(now.getTime() - 3_600_000).toISOString();
const secret = `acs_${'x'.repeat(43)}`;
const hash = hashConfirmationSecret(secret);

const waiting = (c: Partial<AddressConfirmation> = {}, status: ApplicationStatus = 'drafted') => ({
  status, addressConfirmation: { requested: 1, sent: 1, secretHash: hash, expiresAt: inAnHour, ...c },
});

describe('the confirmation secret', () => {
  it('is 256 random bits after acs_, stored only as a domain-separated sha256', () => {
    const a = newConfirmationSecret();
    const b = newConfirmationSecret();
    expect(a.secret).toMatch(/^acs_[A-Za-z0-9_-]{43}$/);
    expect(a.secret).not.toBe(b.secret);
    expect(a.hash).toBe(hashConfirmationSecret(a.secret));
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.hash).not.toContain(a.secret.slice(4));
    // Domain-separated: not the bare sha256 of the secret.
    expect(hash).toBe(createHash('sha256').update(`address-confirmation:v1:${secret}`).digest('hex'));
    expect(hash).not.toBe(createHash('sha256').update(secret).digest('hex'));
    expect(hashConfirmationSecret(secret)).not.toBe(hashConfirmationSecret(`${secret}y`));
  });

  it('compares hashes in constant time, and never matches a missing or differently sized one', () => {
    expect(hashesEqual(hash, hash)).toBe(true);
    expect(hashesEqual(undefined, hash)).toBe(false);
    expect(hashesEqual('', hash)).toBe(false);
    expect(hashesEqual(hash.slice(0, 62), hash)).toBe(false);
    expect(hashesEqual(hashConfirmationSecret('acs_other'), hash)).toBe(false);
  });

  it('rides in the link\'s fragment, after an encoded application id', () => {
    expect(confirmationLink('https://api.example.com', 'app_1/2', secret)).toBe(`https://api.example.com/applications/app_1%2F2/confirm-email#secret=${secret}`);
  });
});

describe('confirming', () => {
  it('confirms with the live secret before it expires, while drafted', () => {
    expect(confirmOutcome(waiting(), hash, now)).toEqual({ kind: 'confirm' });
  });

  it('refuses a wrong secret, an expired or expiring-now link, a link without expiry, or an application not waiting', () => {
    expect(confirmOutcome(waiting(), hashConfirmationSecret('acs_wrong'), now)).toEqual({ kind: 'invalid' });
    expect(confirmOutcome(waiting({ expiresAt: anHourAgo }), hash, now)).toEqual({ kind: 'invalid' });
    expect(confirmOutcome(waiting({ expiresAt: now.toISOString() }), hash, now)).toEqual({ kind: 'invalid' });
    const { expiresAt: _e, ...noExpiry } = waiting().addressConfirmation;
    expect(confirmOutcome({ status: 'drafted', addressConfirmation: noExpiry }, hash, now)).toEqual({ kind: 'invalid' });
    expect(confirmOutcome(waiting({}, 'withdrawn'), hash, now)).toEqual({ kind: 'invalid' });
    expect(confirmOutcome(waiting({}, 'sized'), hash, now)).toEqual({ kind: 'invalid' });
    expect(confirmOutcome({ status: 'drafted' }, hash, now)).toEqual({ kind: 'invalid' });
  });

  it('a used secret: the same one replays (converges), any other is refused, whatever the status now', () => {
    const used = { status: 'in_partner_review' as const, addressConfirmation: { requested: 1, sent: 1, confirmedAt: anHourAgo, confirmedHash: hash } };
    expect(confirmOutcome(used, hash, now)).toEqual({ kind: 'replay' });
    expect(confirmOutcome(used, hashConfirmationSecret('acs_other'), now)).toEqual({ kind: 'invalid' });
  });

  it('says whether an application is confirmed, and whether it waits drafted on a confirmation', () => {
    expect(addressConfirmed({})).toBe(true); // stored before confirmation existed
    expect(addressConfirmed(waiting())).toBe(false);
    expect(addressConfirmed(waiting({ confirmedAt: anHourAgo }))).toBe(true);
    expect(awaitingAddressConfirmation(waiting())).toBe(true);
    expect(awaitingAddressConfirmation(waiting({}, 'sized'))).toBe(false);
    expect(awaitingAddressConfirmation(waiting({ confirmedAt: anHourAgo }))).toBe(false);
    expect(awaitingAddressConfirmation({ status: 'drafted' })).toBe(false);
  });

  it('a mail is due while fewer were sent than asked for', () => {
    expect(confirmationMailDue({ requested: 2, sent: 1 })).toBe(true);
    expect(confirmationMailDue({ requested: 2, sent: 2 })).toBe(false);
    expect(confirmationMailDue({ requested: 1, sent: 2 })).toBe(false);
  });
});

describe('resends', () => {
  const settings = DEFAULT_CONFIRMATION_SETTINGS;
  it('allows 3 after the first mail, then refuses naming the cap', () => {
    expect(settings).toEqual({ confirmWithinHours: 72, maxResendsPerApplication: 3 });
    for (const requested of [1, 2, 3]) expect(resendRefusal(waiting({ requested, sent: requested }), settings)).toBeUndefined();
    expect(resendRefusal(waiting({ requested: 4, sent: 4 }), settings)).toBe('at most 3 confirmation mails can be resent for one application');
  });

  it('refuses once confirmed, for an application stored before confirmation existed, and when not waiting (in words)', () => {
    expect(resendRefusal(waiting({ confirmedAt: anHourAgo }), settings)).toBe('the address is already confirmed');
    expect(resendRefusal({ status: 'drafted' }, settings)).toBe('the address is already confirmed');
    expect(resendRefusal(waiting({}, 'in_partner_review'), settings)).toBe('the application is in partner review, not waiting for a confirmation');
  });

  it('after a revision that changed the address, counts from that round\'s first mail', () => {
    const round = reconfirmation({ requested: 4, sent: 4, confirmedAt: anHourAgo, confirmedHash: hash });
    expect(round).toEqual({ requested: 5, sent: 4, firstMail: 5 });
    expect(confirmationMailDue(round)).toBe(true);
    expect(confirmsRevisedAddress(round)).toBe(true);
    expect(confirmsRevisedAddress({ requested: 3, sent: 3 })).toBe(false);
    expect(confirmsRevisedAddress({ requested: 1, sent: 1, firstMail: 1 })).toBe(false);
    expect(confirmsRevisedAddress(undefined)).toBe(false);
    expect(resendRefusal(waiting({ ...round, requested: 7, sent: 7 }), settings)).toBeUndefined();
    expect(resendRefusal(waiting({ ...round, requested: 8, sent: 8 }), settings)).toMatch(/at most 3/);
    expect(reconfirmation(undefined)).toEqual({ requested: 1, sent: 0, firstMail: 1 });
  });

  it('compares addresses trimmed and case-blind', () => {
    expect(sameAddress(' Founder@Example.com ', 'founder@example.com')).toBe(true);
    expect(sameAddress('founder@example.com', 'founder2@example.com')).toBe(false);
  });
});

describe('open applications', () => {
  it('are those on the way to a partner or with one, before filing', () => {
    expect(DEFAULT_INTAKE_LIMITS).toEqual({ maxOpenPerAddress: 3, maxOpenPerAccount: 5, worksheetsPerSourcePerDay: 20 });
    const open = APPLICATION_STATUSES.filter((status) => isOpen({ status }));
    expect(open).toEqual([...OPEN_STATUSES]);
    expect(open).toEqual(['submitted', 'sized', 'drafted', 'routed', 'unrouted', 'in_partner_review', 'changes_requested', 'approved_for_filing']);
  });

  it('Retry-After: the soonest expiry of an unconfirmed holder, else a day; never below a second', () => {
    const expiring = (ms: number) => waiting({ expiresAt: new Date(now.getTime() + ms).toISOString() });
    expect(retryAfterSeconds([], now)).toBe(86_400);
    expect(retryAfterSeconds([expiring(7_200_000), expiring(3_600_500)], now)).toBe(3_601);
    expect(retryAfterSeconds([expiring(100 * 3_600_000)], now)).toBe(86_400);
    expect(retryAfterSeconds([expiring(-5_000)], now)).toBe(1);
    // A confirmed holder, or one not waiting, frees its slot at no predictable time.
    expect(retryAfterSeconds([waiting({ confirmedAt: anHourAgo, expiresAt: inAnHour }), waiting({}, 'in_partner_review')], now)).toBe(86_400);
  });
});

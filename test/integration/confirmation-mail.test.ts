/**
 * The confirmation mail, its resend and its expiry (functions/usecases/address-confirmation.ts sendConfirmationMail,
 * requestResend, expireUnconfirmed) against dynalite, each step on its own: what is stored, what is mailed and with
 * which link, what a retry or a lost race finds, and each answer's words. The workflow suites run the same steps
 * through Step Functions; these run in the mutate suite (vitest.mutate.config.ts), so StrykerJS sees them.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApplicationRepository, applyTransition } from '../../functions/adapters/dynamo/applications.ts';
import { planTransition } from '../../functions/core/application/lifecycle.ts';
import type * as Intake from '../../functions/adapters/dynamo/applications-intake.ts';
import type * as Limits from '../../functions/adapters/dynamo/limits.ts';
import type * as Notices from '../../functions/adapters/dynamo/applications-notices.ts';
import type * as Confirmation from '../../functions/usecases/address-confirmation.ts';
import { hashConfirmationSecret } from '../../functions/core/address-confirmation.ts';
import { ConflictError, TooManyRequestsError } from '../../functions/core/errors.ts';
import { newApplication } from '../../functions/core/intake.ts';
import type { NoticeKind } from '../../functions/core/notifications.ts';
import type { Application, AddressConfirmation } from '../../schemas/application.ts';
import { startDynalite, type TestTable } from '../support/dynalite.ts';
import { exampleWorksheet } from '../support/fixtures.ts';

let table: TestTable;
let applications: ApplicationRepository;
let limits: Limits.LimitRepository;
let intake: typeof Intake;
let confirmation: typeof Confirmation;
let notices: typeof Notices;
const now = new Date('2026-12-07T12:00:00Z');
const HOUR_MS = 3_600_000;
const settings = { confirmWithinHours: 72, maxResendsPerApplication: 3 };
const SYSTEM = { kind: 'system', id: 'ExpireUnconfirmed' } as const;

beforeAll(async () => {
  table = await startDynalite();
  process.env.AWS_ENDPOINT_URL_DYNAMODB = table.endpoint;
  const { ApplicationRepository } = await import('../../functions/adapters/dynamo/applications.ts');
  const limitsModule = await import('../../functions/adapters/dynamo/limits.ts');
  intake = await import('../../functions/adapters/dynamo/applications-intake.ts');
  confirmation = await import('../../functions/usecases/address-confirmation.ts');
  notices = await import('../../functions/adapters/dynamo/applications-notices.ts');
  applications = new ApplicationRepository(table.tableName);
  limits = new limitsModule.LimitRepository(table.tableName);
});
afterAll(async () => table?.stop());

const clock = { now: () => now, sleep: async () => undefined };

/** Stored drafted with the confirmation state given (and what else the case needs). */
async function stored(c: AddressConfirmation | undefined, extra: Partial<Application> = {}, email = `f-${randomUUID().slice(0, 8)}@outlook.com`): Promise<Application> {
  const worksheet = exampleWorksheet();
  worksheet.contact.email = email;
  const id = `app_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
  const app: Application = { ...newApplication({ id, worksheet, tokenHash: 'h'.repeat(64), now }), status: 'drafted', ...(c ? { addressConfirmation: c } : {}), ...extra };
  if (!c) delete app.addressConfirmation;
  expect(await intake.createApplication(applications, app)).toBe(true);
  return applications.mustGet(id);
}

type Delivery = { id: string; kind: NoticeKind; key: string; link?: string; expiresAt?: string };

/** A notifier that records what it was asked to mail and answers as a claim would (`claimed` false: another sent it). */
function recordingNotifier(claimed = true) {
  const deliveries: Delivery[] = [];
  return {
    deliveries,
    notifier: {
      deliver: async (app: Application, kind: NoticeKind, key: string, extras: { confirmation?: { link: string; expiresAt: string } } = {}) => {
        deliveries.push({ id: app.id, kind, key, ...(extras.confirmation ?? {}) });
        return claimed;
      },
    },
  };
}

const mailDeps = (notifier: ReturnType<typeof recordingNotifier>['notifier']): Confirmation.ConfirmationMailDeps => ({
  applications, notifier, clock, settings, baseUrl: 'https://credits.example',
});

describe('sendConfirmationMail', () => {
  it('mails the due confirmation once: a new secret stored as its hash, the link carrying it, expiring after the configured hours', async () => {
    const app = await stored({ requested: 1, sent: 0 });
    const { notifier, deliveries } = recordingNotifier();
    expect(await confirmation.sendConfirmationMail(mailDeps(notifier), app)).toEqual(['address-confirmation:1']);

    expect(deliveries).toHaveLength(1);
    const [mail] = deliveries as [Delivery];
    expect(mail).toMatchObject({ id: app.id, kind: 'founder-address-confirmation', key: 'address-confirmation:1', expiresAt: new Date(now.getTime() + 72 * HOUR_MS).toISOString() });
    const match = new RegExp(`^https://credits\\.example/applications/${app.id}/confirm-email#secret=(acs_[A-Za-z0-9_-]{43})$`).exec(mail.link ?? '');
    expect(match, mail.link).not.toBeNull();
    const after = (await applications.mustGet(app.id)).addressConfirmation!;
    expect(after).toMatchObject({ requested: 1, sent: 1, secretHash: hashConfirmationSecret(match![1] as string), expiresAt: mail.expiresAt, lastSentAt: now.toISOString() });
  });

  it('a retry after the mail was claimed replaces no secret and mails nothing: it only records the mail as sent', async () => {
    const secretHash = hashConfirmationSecret('acs_mailed');
    const first = await stored({ requested: 1, sent: 0, secretHash, expiresAt: new Date(now.getTime() + HOUR_MS).toISOString() });
    await notices.markNoticesSent(applications, first.id, ['address-confirmation:1']);
    const app = await applications.mustGet(first.id);
    expect(app.notified).toEqual(['address-confirmation:1']);
    const { notifier, deliveries } = recordingNotifier();
    expect(await confirmation.sendConfirmationMail(mailDeps(notifier), app)).toEqual([]);
    expect(deliveries).toEqual([]);
    expect((await applications.mustGet(app.id)).addressConfirmation).toMatchObject({ sent: 1, secretHash });
  });

  it('a mail another attempt claimed first is recorded as sent, not reported as sent by this one', async () => {
    const app = await stored({ requested: 2, sent: 1, firstMail: 1 });
    const { notifier, deliveries } = recordingNotifier(false);
    expect(await confirmation.sendConfirmationMail(mailDeps(notifier), app)).toEqual([]);
    expect(deliveries.map((d) => d.key)).toEqual(['address-confirmation:2']);
    expect((await applications.mustGet(app.id)).addressConfirmation?.sent).toBe(2);
  });

  it('sends nothing when no mail is due, the address is confirmed, the application no longer waits or has no confirmation', async () => {
    const cases = [
      await stored({ requested: 1, sent: 1 }),
      await stored({ requested: 2, sent: 1, confirmedAt: now.toISOString() }),
      await stored({ requested: 1, sent: 0 }, { status: 'withdrawn' }),
      await stored(undefined),
    ];
    const { notifier, deliveries } = recordingNotifier();
    for (const app of cases) expect(await confirmation.sendConfirmationMail(mailDeps(notifier), app), app.id).toEqual([]);
    expect(deliveries).toEqual([]);
    expect((await applications.mustGet(cases[0]!.id)).addressConfirmation?.secretHash).toBeUndefined();
  });

  it('a copy read before another attempt stored and sent that mail mails nothing (the stored secret is not replaced)', async () => {
    const secretHash = hashConfirmationSecret('acs_sent_by_the_other');
    const app = await stored({ requested: 1, sent: 1, secretHash });
    const stale: Application = { ...app, addressConfirmation: { requested: 1, sent: 0 } };
    const { notifier, deliveries } = recordingNotifier();
    expect(await confirmation.sendConfirmationMail(mailDeps(notifier), stale)).toEqual([]);
    expect(deliveries).toEqual([]);
    expect((await applications.mustGet(app.id)).addressConfirmation).toMatchObject({ sent: 1, secretHash });
  });
});

describe('recording a confirmation mail as sent', () => {
  it('a retry that finds the mail claimed and already recorded (its copy read before the record) mails nothing and does not fail', async () => {
    const secretHash = hashConfirmationSecret('acs_mailed_and_recorded');
    const app = await stored({ requested: 1, sent: 1, secretHash });
    await notices.markNoticesSent(applications, app.id, ['address-confirmation:1']);
    const stale: Application = { ...(await applications.mustGet(app.id)), addressConfirmation: { requested: 1, sent: 0, secretHash } };
    const { notifier, deliveries } = recordingNotifier();
    expect(await confirmation.sendConfirmationMail(mailDeps(notifier), stale)).toEqual([]);
    expect(deliveries).toEqual([]);
    expect((await applications.mustGet(app.id)).addressConfirmation).toMatchObject({ requested: 1, sent: 1, secretHash });
  });

  it('never moves back: an earlier number is ignored, quietly', async () => {
    const { markConfirmationSent } = await import('../../functions/adapters/dynamo/applications-confirmation.ts');
    const app = await stored({ requested: 3, sent: 3, firstMail: 1 });
    await expect(markConfirmationSent(applications, app.id, 2)).resolves.toBeUndefined();
    await expect(markConfirmationSent(applications, app.id, 3)).resolves.toBeUndefined();
    expect((await applications.mustGet(app.id)).addressConfirmation?.sent).toBe(3);
  });
});

const resendDeps = (resendsPerAddressPerDay = 5): Confirmation.ResendDeps => ({
  applications, limits, clock, stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:test',
  settings: { ...settings, resendsPerAddressPerDay },
});

describe('requestResend', () => {
  it('asks for the next mail and resumes the wait (no stored token yet: the workflow reads the request when it gets there)', async () => {
    const app = await stored({ requested: 1, sent: 1, firstMail: 1 });
    expect(await confirmation.requestResend(resendDeps(), app)).toEqual({ requested: 2, callback: 'no-token' });
    expect((await applications.mustGet(app.id)).addressConfirmation).toMatchObject({ requested: 2, sent: 1 });
  });

  it('refuses with 409 naming why when no mail can be resent, and changes nothing', async () => {
    const capped = await stored({ requested: 4, sent: 4, firstMail: 1 });
    const confirmed = await stored({ requested: 1, sent: 1, confirmedAt: now.toISOString() });
    await expect(confirmation.requestResend(resendDeps(), capped)).rejects.toThrow(new ConflictError('No confirmation mail can be resent: at most 3 confirmation mails can be resent for one application', 'drafted'));
    await expect(confirmation.requestResend(resendDeps(), confirmed)).rejects.toThrow('No confirmation mail can be resent: the address is already confirmed');
    expect((await applications.mustGet(capped.id)).addressConfirmation?.requested).toBe(4);
    expect((await applications.mustGet(confirmed.id)).addressConfirmation?.requested).toBe(1);
  });

  it('counts resends per mailbox and UTC day: over the limit, 429 with Retry-After to midnight, and no mail asked for', async () => {
    const inbox = `r${randomUUID().slice(0, 6)}`;
    const first = await stored({ requested: 1, sent: 1, firstMail: 1 }, {}, `${inbox}@gmail.com`);
    const second = await stored({ requested: 1, sent: 1, firstMail: 1 }, {}, `${inbox.slice(0, 3)}.${inbox.slice(3)}+x@googlemail.com`);
    expect((await confirmation.requestResend(resendDeps(1), first)).requested).toBe(2);
    const refused = await confirmation.requestResend(resendDeps(1), second).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TooManyRequestsError);
    expect((refused as TooManyRequestsError).message).toBe('At most 1 confirmation mails a day go to one mailbox');
    expect((refused as TooManyRequestsError).retryAfterSeconds).toBe(12 * 3600);
    expect((await applications.mustGet(second.id)).addressConfirmation?.requested).toBe(1);
  });

  it('a resend another request asked for first (a stale copy) is a 409 naming what the stored application says', async () => {
    const app = await stored({ requested: 1, sent: 1, firstMail: 1 });
    expect((await confirmation.requestResend(resendDeps(), app)).requested).toBe(2);
    // The same copy again: its count is behind the stored one, so the conditional write refuses it.
    await expect(confirmation.requestResend(resendDeps(), app)).rejects.toThrow('No confirmation mail can be resent: another resend was asked for at the same moment');
    expect((await applications.mustGet(app.id)).addressConfirmation?.requested).toBe(2);

    const capped = await stored({ requested: 4, sent: 4, firstMail: 1 });
    const staleCopy: Application = { ...capped, addressConfirmation: { requested: 3, sent: 3, firstMail: 1 } };
    await expect(confirmation.requestResend(resendDeps(), staleCopy)).rejects.toThrow('No confirmation mail can be resent: at most 3 confirmation mails can be resent for one application');
  });
});

function recordingPartners() {
  const released: [string, string][] = [];
  return { released, partners: { release: async (partnerId: string, applicationId: string) => { released.push([partnerId, applicationId]); } } };
}

const expiredLink = (c: Partial<AddressConfirmation> = {}): AddressConfirmation => ({ requested: 1, sent: 1, secretHash: 'x', expiresAt: now.toISOString(), ...c });

describe('expireUnconfirmed', () => {
  const expireDeps = (partners: ReturnType<typeof recordingPartners>['partners'], repo: Confirmation.ExpireDeps['applications'] = applications): Confirmation.ExpireDeps => ({
    applications: repo, partners, clock, settings,
  });

  it('closes an application whose link expired (exactly now) and that reached nobody: withdrawn by the system, with why', async () => {
    const app = await stored(expiredLink());
    const { partners, released } = recordingPartners();
    expect(await confirmation.expireUnconfirmed(expireDeps(partners), app.id, SYSTEM)).toBe('expired');
    const after = await applications.mustGet(app.id);
    expect(after.status).toBe('withdrawn');
    expect(after.transitions.at(-1)).toMatchObject({
      from: 'drafted', to: 'withdrawn', actor: SYSTEM,
      reason: 'the contact address was not confirmed within 72 hours of the confirmation mail; nothing was shared with a partner',
    });
    expect(released).toEqual([]);
  });

  it("after a revision never confirmed: closed, and the partner who asked for the changes gets the slot back", async () => {
    // Sized and drafted again after the revision, as the workflow leaves it (so the closing is not the second step).
    let app = await stored(expiredLink({ requested: 2, sent: 2, firstMail: 2 }), { status: 'submitted', partner: { partnerId: 'p-north', partnerName: 'North', assignedAt: now.toISOString(), reasons: [] } });
    for (const to of ['sized', 'drafted'] as const) app = await applyTransition(applications, app, planTransition({ current: app.status, version: app.version, to, actor: { kind: 'system', id: 'Workflow' }, reason: 'test', now }));
    const { partners, released } = recordingPartners();
    expect(await confirmation.expireUnconfirmed(expireDeps(partners), app.id, SYSTEM)).toBe('closed-after-revision');
    const after = await applications.mustGet(app.id);
    expect(after.transitions.at(-1)?.reason).toBe("the founder's revision (a new contact address or AWS account) was not confirmed from the contact address within 72 hours of the confirmation mail; the revision was not shared with the partner");
    expect(released).toEqual([['p-north', app.id]]);

    // The task retried after that write (it died before the release): the release is finished, nothing else.
    expect(await confirmation.expireUnconfirmed(expireDeps(partners), app.id, SYSTEM)).toBe('closed-after-revision');
    expect(released).toEqual([['p-north', app.id], ['p-north', app.id]]);
    expect((await applications.mustGet(app.id)).version).toBe(after.version);
    // Another actor's retry is not that task's: it finds a closed application and does nothing.
    expect(await confirmation.expireUnconfirmed(expireDeps(partners), app.id, { kind: 'system', id: 'Other' })).toBe('other');
    expect(released).toHaveLength(2);
  });

  it("recognises a retry by its own closing only: another closing of a withdrawn application is left alone, nothing released", async () => {
    const partner = { partnerId: 'p-north', partnerName: 'North', assignedAt: now.toISOString(), reasons: [] };
    // Each: withdrawn, with the last transition as given (after a realistic history, so the last is not the second).
    const closedBy = async (from: Application['status'], by: Application['transitions'][number]['actor'], withPartner: boolean): Promise<Application> => {
      let app = await stored(expiredLink(), { status: 'submitted', ...(withPartner ? { partner } : {}) });
      const path = from === 'drafted' ? (['sized', 'drafted'] as const) : (['sized', 'drafted', 'routed', 'in_partner_review', 'changes_requested'] as const);
      for (const to of path) {
        const actor = to === 'changes_requested' ? { kind: 'partner', id: 'p-north' } as const : { kind: 'system', id: 'Workflow' } as const;
        app = await applyTransition(applications, app, planTransition({ current: app.status, version: app.version, to, actor, reason: 'test', now }));
      }
      return applyTransition(applications, app, planTransition({ current: app.status, version: app.version, to: 'withdrawn', actor: by, reason: 'test', now }));
    };
    const cases = [
      // Closed by this task before any partner (nothing to release): a retry finds nothing to finish.
      await closedBy('drafted', SYSTEM, false),
      // The founder withdrew while the revision waited for its confirmation: not this task's closing.
      await closedBy('drafted', { kind: 'founder', id: 'founder' }, true),
      // Closed by the system from another status (the founder never answered the change request): only a closing
      // from drafted, where the confirmation waits, is this task's.
      await closedBy('changes_requested', SYSTEM, true),
    ];
    const { partners, released } = recordingPartners();
    for (const app of cases) expect(await confirmation.expireUnconfirmed(expireDeps(partners), app.id, SYSTEM), String(app.transitions.at(-1)?.from)).toBe('other');
    expect(released).toEqual([]);
  });

  it('a write that fails for another reason than a lost race (the table is gone) fails the task, to be retried', async () => {
    const app = await stored(expiredLink());
    const gone = { tableName: 'no-such-table', get: async () => app, mustGet: async () => app };
    const { partners } = recordingPartners();
    await expect(confirmation.expireUnconfirmed(expireDeps(partners, gone), app.id, SYSTEM)).rejects.toThrow(/non-existent table|ResourceNotFound|not found/i);
  });

  it('leaves alone a live link, a resend asked for at the last moment, a confirmed address and a closed application', async () => {
    const live = await stored(expiredLink({ expiresAt: new Date(now.getTime() + 1).toISOString() }));
    const resend = await stored(expiredLink({ requested: 2, sent: 1, firstMail: 1 }));
    const confirmed = await stored(expiredLink({ confirmedAt: now.toISOString() }));
    const closed = await stored(expiredLink(), { status: 'withdrawn' });
    const { partners, released } = recordingPartners();
    expect(await confirmation.expireUnconfirmed(expireDeps(partners), live.id, SYSTEM)).toBe('other');
    expect(await confirmation.expireUnconfirmed(expireDeps(partners), resend.id, SYSTEM)).toBe('other');
    expect(await confirmation.expireUnconfirmed(expireDeps(partners), confirmed.id, SYSTEM)).toBe('confirmed');
    expect(await confirmation.expireUnconfirmed(expireDeps(partners), closed.id, SYSTEM)).toBe('other');
    for (const app of [live, resend, confirmed]) expect((await applications.mustGet(app.id)).status).toBe('drafted');
    expect(released).toEqual([]);
  });

  it('a change that landed after the read (the founder confirmed at the last moment) wins: nothing is closed or released', async () => {
    const app = await stored(expiredLink(), { partner: { partnerId: 'p-north', partnerName: 'North', assignedAt: now.toISOString(), reasons: [] } });
    const stale = { ...app, version: app.version - 1 };
    const repo = { tableName: applications.tableName, get: async () => stale, mustGet: async () => stale };
    const { partners, released } = recordingPartners();
    expect(await confirmation.expireUnconfirmed(expireDeps(partners, repo), app.id, SYSTEM)).toBe('other');
    expect((await applications.mustGet(app.id)).status).toBe('drafted');
    expect(released).toEqual([]);
  });
});

/**
 * The open-application slots claimed when an address is confirmed (functions/usecases/address-confirmation.ts
 * confirmAddress, functions/usecases/open-slots.ts) against dynalite, for the confirmation a founder's revision asks
 * for: a revision cannot move a confirmed application into an AWS account or a mailbox that is full, and the slot a
 * revision leaves behind is taken back by the next claim of that scope.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApplicationRepository, applyTransition } from '../../functions/adapters/dynamo/applications.ts';
import type * as Intake from '../../functions/adapters/dynamo/applications-intake.ts';
import type * as Limits from '../../functions/adapters/dynamo/limits.ts';
import type * as ConfirmationStore from '../../functions/adapters/dynamo/applications-confirmation.ts';
import type * as Confirmation from '../../functions/usecases/address-confirmation.ts';
import type * as OpenSlots from '../../functions/usecases/open-slots.ts';
import type * as ClientModule from '../../functions/adapters/dynamo/client.ts';
import { hashConfirmationSecret, addressConfirmed } from '../../functions/core/address-confirmation.ts';
import { TooManyRequestsError } from '../../functions/core/errors.ts';
import { newApplication, requestHashOf } from '../../functions/core/intake.ts';
import { planRevision } from '../../functions/core/application/founder-steps.ts';
import { planTransition } from '../../functions/core/application/lifecycle.ts';
import type { Application } from '../../schemas/application.ts';
import type { Worksheet } from '../../schemas/worksheet.ts';
import { startDynalite, type TestTable } from '../support/dynalite.ts';
import { exampleWorksheet } from '../support/fixtures.ts';

let table: TestTable;
let applications: ApplicationRepository;
let limits: Limits.LimitRepository;
let limitsModule: typeof Limits;
let intake: typeof Intake;
let confirmation: typeof Confirmation;
let openSlots: typeof OpenSlots;
let confirmationStore: typeof ConfirmationStore;
let documentClient: typeof ClientModule.documentClient;
const now = new Date('2026-12-07T12:00:00Z');
const LIMIT = 2;

beforeAll(async () => {
  table = await startDynalite();
  process.env.AWS_ENDPOINT_URL_DYNAMODB = table.endpoint;
  const { ApplicationRepository } = await import('../../functions/adapters/dynamo/applications.ts');
  limitsModule = await import('../../functions/adapters/dynamo/limits.ts');
  intake = await import('../../functions/adapters/dynamo/applications-intake.ts');
  confirmation = await import('../../functions/usecases/address-confirmation.ts');
  openSlots = await import('../../functions/usecases/open-slots.ts');
  confirmationStore = await import('../../functions/adapters/dynamo/applications-confirmation.ts');
  ({ documentClient } = await import('../../functions/adapters/dynamo/client.ts'));
  applications = new ApplicationRepository(table.tableName);
  limits = new limitsModule.LimitRepository(table.tableName);
});
afterAll(async () => table?.stop());

const deps = (): Confirmation.ConfirmDeps => ({
  applications, limits, stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:test',
  clock: { now: () => now, sleep: async () => undefined },
  settings: { maxOpenPerAddress: LIMIT, maxOpenPerMailDomain: LIMIT, maxOpenPerAccount: LIMIT },
});

const freshAccount = () => String(100_000_000_000 + Math.floor(Math.random() * 899_999_999_999));
const freshAddress = () => `f-${randomUUID().slice(0, 8)}@outlook.com`; // a public mail service: no domain slot

function worksheetOf(email: string, accountId: string): Worksheet {
  const w = exampleWorksheet();
  w.contact.email = email;
  w.aws.accountId = accountId;
  return w;
}

/**
 * Stored as the workflow leaves it waiting on a confirmation (drafted, a live link), `firstMail` 2 when a revision
 * asked for it; returns the link's secret.
 */
async function awaitingConfirmation(worksheet: Worksheet, opts: { revised?: boolean; linkFor?: number } = {}): Promise<{ id: string; secret: string }> {
  const id = `app_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
  const secret = `acs_${randomUUID()}`;
  const n = opts.revised ? 2 : 1;
  const app: Application = {
    ...newApplication({ id, worksheet, tokenHash: 'h'.repeat(64), now }),
    status: 'drafted',
    addressConfirmation: { requested: n, sent: n, firstMail: n, secretHash: hashConfirmationSecret(secret), expiresAt: new Date(now.getTime() + (opts.linkFor ?? 3_600_000)).toISOString() },
  };
  expect(await intake.createApplication(applications, app)).toBe(true);
  return { id, secret };
}

/** Confirmed open applications of the account (each holding its slots, as after a confirmation). */
async function confirmedOn(accountId: string, count: number, email?: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const { id, secret } = await awaitingConfirmation(worksheetOf(email ?? freshAddress(), accountId));
    await confirmation.confirmAddress(deps(), id, secret);
    ids.push(id);
  }
  return ids;
}

/** Walks a confirmed, drafted application through routing and a partner's change request to the founder's revision. */
async function revise(id: string, edit: (w: Worksheet) => void): Promise<Application> {
  let app = await applications.mustGet(id);
  for (const [to, kind] of [['routed', 'system'], ['in_partner_review', 'system'], ['changes_requested', 'partner']] as const) {
    app = await applyTransition(applications, app, planTransition({ current: app.status, version: app.version, to, actor: { kind, id: kind === 'partner' ? 'p-test' : 'RoutePartner' }, reason: 'test', now }));
  }
  const worksheet = structuredClone(app.worksheet);
  edit(worksheet);
  const command = planRevision({ app, worksheet, requestHash: requestHashOf(worksheet), now });
  if (command.kind !== 'apply') throw new Error('expected a new revision');
  return applyTransition(applications, app, command.plan, command.changes);
}

/** The workflow's round after a revision: sized and drafted again, then a new link mailed (its secret returned). */
async function redraftedWithLink(id: string): Promise<string> {
  let app = await applications.mustGet(id);
  for (const to of ['sized', 'drafted'] as const) {
    app = await applyTransition(applications, app, planTransition({ current: app.status, version: app.version, to, actor: { kind: 'system', id: 'Workflow' }, reason: 'test', now }));
  }
  const secret = `acs_${randomUUID()}`;
  const stored = await confirmationStore.storeConfirmationSecret(applications, id, {
    hash: hashConfirmationSecret(secret), number: app.addressConfirmation!.requested, now, expiresAt: new Date(now.getTime() + 3_600_000),
  });
  expect(stored).toBe(true);
  return secret;
}

async function withdraw(id: string): Promise<void> {
  const app = await applications.mustGet(id);
  await applyTransition(applications, app, planTransition({ current: app.status, version: app.version, to: 'withdrawn', actor: { kind: 'founder', id: 'founder' }, reason: 'test', now }));
}

const refusal = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e);
const holdersOf = async (scope: string) => (await limitsModule.slotHolders(limits, scope)).map((h) => h.applicationId).sort();

describe('a revision that changes the AWS account', () => {
  it('into a full account: the confirmation answers 429 naming the account and confirms nothing; once a slot frees, the same link confirms', async () => {
    const full = freshAccount();
    const [first] = await confirmedOn(full, LIMIT);
    // Confirmed on an account of its own, then revised onto the full one: the revision asks for a new confirmation.
    const [id] = await confirmedOn(freshAccount(), 1);
    const moved = await revise(id!, (w) => { w.aws.accountId = full; });
    expect(moved.transitions.at(-1)?.reason).toContain('(the new AWS account is confirmed from the contact address before it returns to the partner)');
    const revised = { id: id!, secret: await redraftedWithLink(id!) };

    const refused = await refusal(confirmation.confirmAddress(deps(), revised.id, revised.secret));
    expect(refused).toBeInstanceOf(TooManyRequestsError);
    expect((refused as Error).message).toBe(`At most ${LIMIT} confirmed open application(s) per AWS account: AWS account ${full} has ${LIMIT}. Nothing was confirmed and this link stays valid until it expires; confirm again once one of them is filed, closed or withdrawn.`);
    expect(addressConfirmed(await applications.mustGet(revised.id))).toBe(false);
    expect(await holdersOf(limitsModule.accountScope(full))).not.toContain(revised.id);

    // One of the account's applications is withdrawn: its slot is taken back, and the same link now confirms.
    await withdraw(first!);
    const done = await confirmation.confirmAddress(deps(), revised.id, revised.secret);
    expect(done.replayed).toBe(false);
    expect(addressConfirmed(await applications.mustGet(revised.id))).toBe(true);
    expect(await holdersOf(limitsModule.accountScope(full))).toContain(revised.id);
  });

  it('the slot of the account it left is taken back by the next claim there, though the application is still open', async () => {
    const left = freshAccount();
    const [stays] = await confirmedOn(left, 1);
    // Confirmed on `left`, then revised to another account (open, waiting to be confirmed again): it still holds `left`'s slot.
    const mover = await awaitingConfirmation(worksheetOf(freshAddress(), left));
    await confirmation.confirmAddress(deps(), mover.id, mover.secret);
    expect(await holdersOf(limitsModule.accountScope(left))).toEqual([mover.id, stays!].sort());
    const moved = await revise(mover.id, (w) => { w.aws.accountId = freshAccount(); });
    expect(moved.addressConfirmation).toMatchObject({ requested: 2, firstMail: 2 });
    expect(moved.addressConfirmation?.confirmedAt).toBeUndefined();

    // A third founder on `left` confirms: the mover's slot is free again (it no longer names `left`), the other is kept.
    const third = await awaitingConfirmation(worksheetOf(freshAddress(), left));
    await confirmation.confirmAddress(deps(), third.id, third.secret);
    expect(await holdersOf(limitsModule.accountScope(left))).toEqual([stays!, third.id].sort());
    expect((await applications.mustGet(mover.id)).status).toBe('submitted');
  });
});

describe('a revision that changes the contact address', () => {
  it('into a mailbox with its open applications: the confirmation answers 429 naming the mailbox (every spelling counts)', async () => {
    const name = `ann${randomUUID().slice(0, 6)}`;
    // Two open applications hold the mailbox's slots (intake claimed them): one spelled with a plus tag.
    for (const email of [`${name}@gmail.com`, `${name}+b@gmail.com`]) {
      const { id } = await awaitingConfirmation(worksheetOf(email, freshAccount()));
      expect(await openSlots.claimOpenSlot(deps(), limitsModule.addressScope(`${name}@gmail.com`), LIMIT, id, now)).toBeUndefined();
    }
    const revised = await awaitingConfirmation(worksheetOf(`${name[0]}.${name.slice(1)}@googlemail.com`, freshAccount()), { revised: true });
    const refused = await refusal(confirmation.confirmAddress(deps(), revised.id, revised.secret));
    expect(refused).toBeInstanceOf(TooManyRequestsError);
    expect((refused as Error).message).toMatch(new RegExp(`^At most ${LIMIT} open application\\(s\\) per mailbox: ${name}@gmail.com has ${LIMIT}\\. Nothing was confirmed`));
    expect(addressConfirmed(await applications.mustGet(revised.id))).toBe(false);
  });

  it('the intake slot of the first confirmation is found again, not claimed twice', async () => {
    const email = freshAddress();
    const { id, secret } = await awaitingConfirmation(worksheetOf(email, freshAccount()));
    const scope = limitsModule.addressScope(email);
    expect(await openSlots.claimOpenSlot(deps(), scope, LIMIT, id, now)).toBeUndefined();
    await confirmation.confirmAddress(deps(), id, secret);
    expect(await holdersOf(scope)).toEqual([id]);
  });
});

describe('confirmAddress', () => {
  const notValid = 'This confirmation link is not valid: it is wrong, already used, expired, or the application no longer waits for it. Ask for a new one with POST /applications/{id}/confirm-email/resend.';

  it('one answer for an unknown application and a wrong secret, and a wrong secret claims no slot', async () => {
    await expect(confirmation.confirmAddress(deps(), 'app_nobody', 'acs_x')).rejects.toThrow(notValid);
    const email = freshAddress();
    const { id } = await awaitingConfirmation(worksheetOf(email, freshAccount()));
    const refused = await refusal(confirmation.confirmAddress(deps(), id, 'acs_wrong'));
    expect(refused).toMatchObject({ name: 'NotFoundError', message: notValid });
    expect(await holdersOf(limitsModule.addressScope(email))).toEqual([]);
    expect(addressConfirmed(await applications.mustGet(id))).toBe(false);
  });

  it('confirms once; the same link again is a replay; the workflow is not waiting yet, so there is no token to resume', async () => {
    const { id, secret } = await awaitingConfirmation(worksheetOf(freshAddress(), freshAccount()));
    const first = await confirmation.confirmAddress(deps(), id, secret);
    expect(first).toMatchObject({ replayed: false, callback: 'no-token' });
    expect(addressConfirmed(first.app)).toBe(true);
    expect(first.app.version).toBe((await applications.mustGet(id)).version);
    expect(await confirmation.confirmAddress(deps(), id, secret)).toMatchObject({ replayed: true, callback: 'no-token' });
  });

  it('two clicks at once: one confirms, the other is its replay; each slot is held once', async () => {
    const email = freshAddress();
    const { id, secret } = await awaitingConfirmation(worksheetOf(email, freshAccount()));
    const both = await Promise.all([confirmation.confirmAddress(deps(), id, secret), confirmation.confirmAddress(deps(), id, secret)]);
    expect(both.map((r) => r.replayed).sort()).toEqual([false, true]);
    expect(await holdersOf(limitsModule.addressScope(email))).toEqual([id]);
  });

  it('a company domain (no public mail service) holds its slot: the third address there is refused, naming the domain', async () => {
    const domain = `acme-${randomUUID().slice(0, 8)}.io`;
    for (const who of ['a', 'b']) {
      const { id, secret } = await awaitingConfirmation(worksheetOf(`${who}@${domain}`, freshAccount()));
      await confirmation.confirmAddress(deps(), id, secret);
    }
    const third = await awaitingConfirmation(worksheetOf(`c@${domain}`, freshAccount()));
    const refused = await refusal(confirmation.confirmAddress(deps(), third.id, third.secret));
    expect((refused as Error).message).toMatch(new RegExp(`^At most ${LIMIT} confirmed open application\\(s\\) per mail domain: ${domain.replaceAll('.', '\\.')} has ${LIMIT}\\.`));
    expect((await holdersOf(limitsModule.mailDomainScope(domain))).length).toBe(LIMIT);
  });
});

describe('claimOpenSlot when every slot is held', () => {
  // A mailbox whose holders name it (a holder that no longer counts against the scope would be taken back).
  const fullMailbox = () => {
    const email = `full-${randomUUID().slice(0, 8)}@outlook.com`;
    return { email, scope: limitsModule.addressScope(email) };
  };

  it('answers Retry-After as the soonest expiry of an unconfirmed holder\'s link, rounded up to the second', async () => {
    const { email, scope } = fullMailbox();
    for (const linkFor of [7_200_000, 1_800_500]) {
      const { id } = await awaitingConfirmation(worksheetOf(email, freshAccount()), { linkFor });
      expect(await openSlots.claimOpenSlot(deps(), scope, LIMIT, id, now)).toBeUndefined();
    }
    expect(await openSlots.claimOpenSlot(deps(), scope, LIMIT, 'app_third', now)).toBe(1801);
  });

  it('counts only the slots below the limit: a holder above a lowered limit neither frees a slot nor sets Retry-After', async () => {
    const { email, scope } = fullMailbox();
    // Slot 0: confirmed and open (frees when filed or closed: Retry-After a day). Slot 1 (above a limit lowered to 1):
    // unconfirmed, its link expiring in 10 minutes.
    const [held] = await confirmedOn(freshAccount(), 1, email);
    expect(await holdersOf(scope)).toEqual([held!]);
    const { id: above } = await awaitingConfirmation(worksheetOf(email, freshAccount()), { linkFor: 600_000 });
    expect(await limitsModule.claimSlot(limits, scope, 1, above, now)).toBe(true);
    expect(await openSlots.claimOpenSlot(deps(), scope, 1, 'app_next', now)).toBe(86_400);
    expect(await holdersOf(scope)).toEqual([above, held!].sort());
  });

  it('gives up after three rounds when every slot it frees is taken at once by another claim (Retry-After 60)', async () => {
    const { scope } = fullMailbox();
    const longAgo = new Date(now.getTime() - 3_600_000);
    expect(await limitsModule.claimSlot(limits, scope, 0, 'app_orphan', longAgo)).toBe(true);
    // Each time the claim takes a stale slot back, a rival (itself never stored, claimed long ago) takes it first.
    const rivals: string[] = [];
    const name = `rival-${randomUUID()}`;
    documentClient.middlewareStack.add((next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName === 'UpdateItemCommand') {
        const rival = `app_rival_${rivals.length}`;
        if (await limitsModule.claimSlot(limits, scope, 0, rival, longAgo)) rivals.push(rival);
      }
      return result;
    }, { step: 'initialize', name });
    try {
      expect(await openSlots.claimOpenSlot(deps(), scope, 1, 'app_loser', now)).toBe(60);
    } finally {
      documentClient.middlewareStack.remove(name);
    }
    expect(rivals).toEqual(['app_rival_0', 'app_rival_1', 'app_rival_2']);
    expect(await holdersOf(scope)).toEqual(['app_rival_2']);
  });

  it('takes back a slot whose holder was never stored only once the grace period is over, not at its last moment', async () => {
    const { scope } = fullMailbox();
    const claimedAt = new Date(now.getTime() - openSlots.ORPHAN_SLOT_GRACE_MS);
    for (let slot = 0; slot < LIMIT; slot += 1) expect(await limitsModule.claimSlot(limits, scope, slot, `app_orphan_${slot}`, claimedAt)).toBe(true);
    expect(await openSlots.claimOpenSlot(deps(), scope, LIMIT, 'app_waiting', now)).toBe(86_400);
    expect(await openSlots.claimOpenSlot(deps(), scope, LIMIT, 'app_waiting', new Date(now.getTime() + 1))).toBeUndefined();
    expect(await holdersOf(scope)).toEqual(['app_waiting']);
  });
});

describe('openSlotScopes', () => {
  it('names the mailbox, the mail domain outside the public services, and the account', () => {
    const company = openSlots.openSlotScopes(worksheetOf('Ann+x@Acme.io', '123456789012'));
    expect(company).toEqual({ mailbox: limitsModule.addressScope('ann@acme.io'), mailDomain: limitsModule.mailDomainScope('acme.io'), account: 'acct#123456789012' });
    expect(openSlots.openSlotScopes(worksheetOf('a.n.n@gmail.com', '123456789012'))).toEqual({ mailbox: limitsModule.addressScope('ann@gmail.com'), account: 'acct#123456789012' });
  });
});

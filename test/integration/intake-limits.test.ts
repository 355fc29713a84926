/**
 * Issue 8: intake's open-application limits and idempotency against dynalite (no transactions): concurrency cannot
 * exceed a limit, a slot comes back when its application closes or was never stored, one client's key never lands
 * on another's application, and a replay never takes a working token away.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApplicationRepository, applyTransition } from '../../functions/adapters/dynamo/applications.ts';
import type * as LimitsModule from '../../functions/adapters/dynamo/limits.ts';
import type { LimitRepository } from '../../functions/adapters/dynamo/limits.ts';
import type * as ClientModule from '../../functions/adapters/dynamo/client.ts';
import { rateWindowKey } from '../../functions/adapters/dynamo/keys.ts';
import type * as SubmitWorksheet from '../../functions/usecases/submit-worksheet.ts';
import { founderTokenMatches } from '../../functions/core/intake.ts';
import { mailboxOf } from '../../functions/core/mailbox.ts';
import { planTransition } from '../../functions/core/application/lifecycle.ts';
import { ConflictError, IdempotencyKeyReusedError, TooManyRequestsError } from '../../functions/core/errors.ts';
import type { Worksheet } from '../../schemas/worksheet.ts';
import { startDynalite, type TestTable } from '../support/dynalite.ts';
import { failBefore, throttled } from '../support/dynamo-failures.ts';
import { exampleWorksheet } from '../support/fixtures.ts';

let table: TestTable;
let applications: ApplicationRepository;
let limits: LimitRepository;
let submit: typeof SubmitWorksheet.submitWorksheet;
let limitsModule: typeof LimitsModule;
let documentClient: typeof ClientModule.documentClient;
let now = new Date('2026-11-27T10:00:00Z');
const started: string[] = [];

beforeAll(async () => {
  table = await startDynalite();
  process.env.AWS_ENDPOINT_URL_DYNAMODB = table.endpoint;
  const { ApplicationRepository } = await import('../../functions/adapters/dynamo/applications.ts');
  limitsModule = await import('../../functions/adapters/dynamo/limits.ts');
  ({ documentClient } = await import('../../functions/adapters/dynamo/client.ts'));
  ({ submitWorksheet: submit } = await import('../../functions/usecases/submit-worksheet.ts'));
  applications = new ApplicationRepository(table.tableName);
  limits = new limitsModule.LimitRepository(table.tableName);
});
afterAll(async () => table?.stop());

function deps(settings = { maxOpenPerAddress: 3, maxOpenPerAccount: 5, worksheetsPerSourcePerDay: 1000 }): SubmitWorksheet.IntakeDeps {
  return {
    applications, limits, settings,
    clock: { now: () => now, sleep: async () => undefined },
    startWorkflow: async (id) => {
      started.push(id);
      return { executionArn: `arn:aws:states:us-east-1:000000000000:execution:sm:${id}`, alreadyStarted: started.filter((s) => s === id).length > 1 };
    },
  };
}

function founder(edit: (w: Worksheet) => void = () => undefined): Worksheet {
  const w = exampleWorksheet();
  w.contact.email = `f-${randomUUID().slice(0, 8)}@example.com`;
  w.aws.accountId = String(100_000_000_000 + Math.floor(Math.random() * 899_999_999_999));
  edit(w);
  return w;
}

const outcome = (p: Promise<unknown>) => p.then(() => 'accepted', (e: unknown) => (e instanceof TooManyRequestsError ? `429:${e.retryAfterSeconds > 0}` : `error:${String(e)}`));

describe('open applications per address and per AWS account', () => {
  it('20 concurrent submissions from one address (each its own key) get exactly 3 accepted; the rest 429 with Retry-After, nothing stored', async () => {
    const w = founder();
    const results = await Promise.all(Array.from({ length: 20 }, () => outcome(submit(deps(), w, `k-${randomUUID()}`))));
    expect(results.filter((r) => r === 'accepted')).toHaveLength(3);
    expect(results.filter((r) => r === '429:true')).toHaveLength(17);
    const holders = await limitsModule.slotHolders(limits, limitsModule.addressScope(w.contact.email));
    expect(holders).toHaveLength(3);
    expect((await (await import('../../functions/adapters/dynamo/applications-lists.ts')).getHeads(applications, holders.map((hd) => hd.applicationId))).every((a) => a.worksheet.contact.email === w.contact.email)).toBe(true);
    const stored = (await Promise.all((await (await import('../../functions/adapters/dynamo/applications-lists.ts')).listByStatus(applications, 'submitted', { limit: 100 })).items.map((row) => applications.mustGet(row.id)))).filter((a) => a.worksheet.contact.email === w.contact.email);
    expect(stored).toHaveLength(3);
  });

  it('intake holds no slot of the AWS account (claimed at confirmation): six applications naming one account from six addresses are all accepted', async () => {
    const account = founder().aws.accountId;
    for (let i = 0; i < 6; i += 1) await submit(deps(), founder((w) => { w.aws.accountId = account; }), `k-${randomUUID()}`);
    expect(await limitsModule.slotHolders(limits, limitsModule.accountScope(account))).toEqual([]);
  });

  it('a slot comes back once its application is closed: the next intake from the address reclaims it', async () => {
    const w = founder();
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) ids.push((await submit(deps(), w, `k-${randomUUID()}`)).applicationId);
    await expect(submit(deps(), w, `k-${randomUUID()}`)).rejects.toBeInstanceOf(TooManyRequestsError);
    // Close one (the founder's withdrawal before any mail frees it at once): its slot is reclaimed by the next intake.
    const app = await applications.mustGet(ids[0]!);
    await applyTransition(applications, app, planTransition({ current: app.status, version: app.version, to: 'withdrawn', actor: { kind: 'founder', id: 'founder' }, reason: 'test', now }));
    const accepted = await submit(deps(), w, `k-${randomUUID()}`);
    const holders = (await limitsModule.slotHolders(limits, limitsModule.addressScope(w.contact.email))).map((hd) => hd.applicationId);
    expect(holders).toHaveLength(3);
    expect(holders).toContain(accepted.applicationId);
    expect(holders).not.toContain(ids[0]);
  });

  it('a crash between the slot claim and the application leaves an orphan slot, reclaimed after the grace period (never before)', async () => {
    const w = founder();
    const scope = limitsModule.addressScope(w.contact.email);
    for (let slot = 0; slot < 3; slot += 1) await limitsModule.claimSlot(limits, scope, slot, `app_never_stored_${slot}`, now);
    await expect(submit(deps(), w, `k-${randomUUID()}`)).rejects.toBeInstanceOf(TooManyRequestsError);
    now = new Date(now.getTime() + 11 * 60_000);
    const accepted = await submit(deps(), w, `k-${randomUUID()}`);
    expect((await limitsModule.slotHolders(limits, scope)).map((hd) => hd.applicationId)).toContain(accepted.applicationId);
  });
});

describe('idempotency keys', () => {
  it('are scoped: another founder using the same key gets an application of their own', async () => {
    const key = `shared-${randomUUID()}`;
    const a = await submit(deps(), founder(), key);
    const b = await submit(deps(), founder(), key);
    expect(b.applicationId).not.toBe(a.applicationId);
    expect(b.replayed).toBe(false);
  });

  it('a replay with the keys of the worksheet in another order is the same request; a different worksheet is refused', async () => {
    const w = founder();
    const key = `k-${randomUUID()}`;
    const first = await submit(deps(), w, key);
    const reordered = JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(w).reverse()))) as Worksheet;
    const replay = await submit(deps(), reordered, key);
    expect(replay).toMatchObject({ applicationId: first.applicationId, replayed: true });
    await expect(submit(deps(), { ...w, useCase: { ...w.useCase, summary: `${w.useCase.summary} (changed)` } }, key)).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
  });

  it('a replay never takes a working token away: at the cap it is refused (409) and every token handed out still opens the application', async () => {
    const w = founder();
    const key = `k-${randomUUID()}`;
    const first = await submit(deps(), w, key);
    const tokens = [first.founderToken];
    for (let i = 0; i < 9; i += 1) tokens.push((await submit(deps(), w, key)).founderToken);
    const refused = await submit(deps(), w, key).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConflictError);
    expect((refused as Error).message).toMatch(/use one of those tokens/);
    const app = await applications.mustGet(first.applicationId);
    expect(app.founderTokenHashes).toHaveLength(10);
    for (const token of tokens) expect(founderTokenMatches(app, token)).toBe(true);
  });
});

const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e);

describe('the scope of a contact address', () => {
  it('is the same across releases and for any spelling of one address, and never carries the address', () => {
    // Slots and rate windows are stored under it: a changed derivation would forget every open slot at the next deploy.
    const scope = 'addr#649e3a0f9322db6eec8a2c880d692a1a';
    expect(limitsModule.addressScope('founder@example.com')).toBe(scope);
    // The worksheet schema trims and lower-cases the address already; an address that reached intake another way counts
    // the same, and so does every address that reaches the same inbox (core/mailbox.ts).
    for (const spelling of [' Founder@Example.COM ', 'founder+credits@example.com']) expect(limitsModule.addressScope(mailboxOf(spelling).mailbox)).toBe(scope);
    expect(scope).not.toMatch(/founder|example/i);
  });
});

describe('a failed write is not a held slot, and a lost race for a freed slot is not a failure', () => {
  it('a throttled slot claim fails the intake as itself (the caller retries), never as "too many open applications"; the retry is accepted', async () => {
    const w = founder();
    const key = `k-${randomUUID()}`;
    const restore = failBefore(documentClient, 'PutItemCommand', throttled);
    const refused = await failure(submit(deps(), w, key)).finally(restore);
    expect(refused).toMatchObject({ name: 'ProvisionedThroughputExceededException' });
    expect(await limitsModule.slotHolders(limits, limitsModule.addressScope(w.contact.email))).toEqual([]);
    const accepted = await submit(deps(), w, key);
    expect((await limitsModule.slotHolders(limits, limitsModule.addressScope(w.contact.email))).map((hd) => hd.applicationId)).toEqual([accepted.applicationId]);
  });

  it('a freed slot is held by nobody; of two intakes taking back the same slot, the later release leaves the new holder alone and does not fail', async () => {
    const scope = limitsModule.addressScope(founder().contact.email);
    expect(await limitsModule.claimSlot(limits, scope, 0, 'app_closed', now)).toBe(true);
    expect(await limitsModule.claimSlot(limits, scope, 1, 'app_open', now)).toBe(true);
    await limitsModule.releaseSlot(limits, scope, 0, 'app_closed');
    expect(await limitsModule.slotHolders(limits, scope)).toEqual([{ slot: 1, applicationId: 'app_open', claimedAt: now.toISOString() }]);
    expect(await limitsModule.claimSlot(limits, scope, 0, 'app_new', now)).toBe(true);
    // The other intake read the same closed holder and releases it now: its condition fails, quietly.
    await expect(limitsModule.releaseSlot(limits, scope, 0, 'app_closed')).resolves.toBeUndefined();
    expect((await limitsModule.slotHolders(limits, scope)).map((hd) => [hd.slot, hd.applicationId])).toEqual([[0, 'app_new'], [1, 'app_open']]);
    expect(await limitsModule.claimSlot(limits, scope, 0, 'app_other', now)).toBe(false);
  });

  it('a throttled release fails as itself (the intake is retried) and leaves the slot with its holder', async () => {
    const scope = limitsModule.addressScope(founder().contact.email);
    await limitsModule.claimSlot(limits, scope, 0, 'app_closed', now);
    const restore = failBefore(documentClient, 'UpdateItemCommand', throttled);
    const refused = await failure(limitsModule.releaseSlot(limits, scope, 0, 'app_closed')).finally(restore);
    expect(refused).toMatchObject({ name: 'ProvisionedThroughputExceededException' });
    expect((await limitsModule.slotHolders(limits, scope)).map((hd) => hd.applicationId)).toEqual(['app_closed']);
  });
});

describe('rate windows (confirmation mails per address and day)', () => {
  const DAY_MS = 86_400_000;
  const day = (at: string) => ({ limit: 2, windowMs: DAY_MS, now: new Date(at) });

  it('counts the limit in a UTC day, then refuses until midnight UTC with the seconds left; the next day counts afresh', async () => {
    const scope = limitsModule.addressScope(founder().contact.email);
    expect(await limitsModule.takeFromWindow(limits, scope, 'confirmation-resend', day('2026-12-07T10:00:00Z'))).toEqual({ ok: true });
    expect(await limitsModule.takeFromWindow(limits, scope, 'confirmation-resend', day('2026-12-07T10:00:00Z'))).toEqual({ ok: true });
    expect(await limitsModule.takeFromWindow(limits, scope, 'confirmation-resend', day('2026-12-07T10:00:00Z'))).toEqual({ ok: false, retryAfterSeconds: 14 * 3600 });
    expect(await limitsModule.takeFromWindow(limits, scope, 'confirmation-resend', day('2026-12-07T23:59:59.500Z'))).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(await limitsModule.takeFromWindow(limits, scope, 'confirmation-resend', day('2026-12-08T00:00:00Z'))).toEqual({ ok: true });
  });

  it('counts per address and per kind of event: another address, or another kind, is not refused', async () => {
    const scope = limitsModule.addressScope(founder().contact.email);
    for (let i = 0; i < 2; i += 1) await limitsModule.takeFromWindow(limits, scope, 'confirmation-resend', day('2026-12-07T10:00:00Z'));
    expect((await limitsModule.takeFromWindow(limits, scope, 'confirmation-resend', day('2026-12-07T11:00:00Z'))).ok).toBe(false);
    expect((await limitsModule.takeFromWindow(limits, scope, 'another-kind', day('2026-12-07T11:00:00Z'))).ok).toBe(true);
    expect((await limitsModule.takeFromWindow(limits, limitsModule.addressScope(founder().contact.email), 'confirmation-resend', day('2026-12-07T11:00:00Z'))).ok).toBe(true);
  });

  it('keeps the count until its window is over: the item expires (TTL) after the window ends, never within it', async () => {
    const scope = limitsModule.addressScope(founder().contact.email);
    await limitsModule.takeFromWindow(limits, scope, 'confirmation-resend', day('2026-12-07T10:00:00Z'));
    const { Item } = await documentClient.send(new GetCommand({ TableName: limits.tableName, Key: rateWindowKey(scope, 'confirmation-resend', Date.parse('2026-12-07T00:00:00Z')), ConsistentRead: true }));
    expect(Item?.count).toBe(1);
    expect((Item?.expiresAt as number) * 1000).toBeGreaterThanOrEqual(Date.parse('2026-12-08T00:00:00Z'));
  });

  it('a throttled count fails as itself, never as "rate limited", and counts nothing', async () => {
    const scope = limitsModule.addressScope(founder().contact.email);
    const once = { limit: 1, windowMs: DAY_MS, now: new Date('2026-12-07T10:00:00Z') };
    const restore = failBefore(documentClient, 'UpdateItemCommand', throttled);
    const refused = await failure(limitsModule.takeFromWindow(limits, scope, 'confirmation-resend', once)).finally(restore);
    expect(refused).toMatchObject({ name: 'ProvisionedThroughputExceededException' });
    expect(await limitsModule.takeFromWindow(limits, scope, 'confirmation-resend', once)).toEqual({ ok: true });
  });
});

describe('worksheets per source network and day', () => {
  const atSource = (limit: number) => deps({ maxOpenPerAddress: 3, maxOpenPerAccount: 5, worksheetsPerSourcePerDay: limit });
  const failureOf = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e);

  it('takes the limit from one IPv4 address, then 429 naming the network until midnight UTC, nothing stored; a replay is not counted; the next day counts afresh', async () => {
    const saved = now;
    try {
      now = new Date('2026-12-09T18:00:00Z');
      const ip = '198.51.100.7';
      const accepted = [];
      for (let i = 0; i < 3; i += 1) {
        const w = founder();
        const key = `k-${randomUUID()}`;
        accepted.push({ w, key, result: await submit(atSource(3), w, key, ip) });
      }
      // A replay of an accepted request (the same key and worksheet) is the same application, not a new worksheet.
      const replay = await submit(atSource(3), accepted[0]!.w, accepted[0]!.key, ip);
      expect(replay).toMatchObject({ applicationId: accepted[0]!.result.applicationId, replayed: true });

      const fourth = founder();
      const refused = await failureOf(submit(atSource(3), fourth, `k-${randomUUID()}`, ip));
      expect(refused).toBeInstanceOf(TooManyRequestsError);
      expect((refused as TooManyRequestsError).message).toBe('At most 3 worksheets a day are taken from one network (198.51.100.7); nothing was stored. Try again after midnight UTC.');
      expect((refused as TooManyRequestsError).retryAfterSeconds).toBe(6 * 3600);
      // Nothing of the refused worksheet: not even its mailbox's slot.
      expect(await limitsModule.slotHolders(limits, limitsModule.addressScope(fourth.contact.email))).toEqual([]);
      // Another network is not refused, nor a request with no source (a direct invocation, never a public one).
      expect((await submit(atSource(3), founder(), `k-${randomUUID()}`, '198.51.100.8')).replayed).toBe(false);
      expect((await submit(atSource(3), founder(), `k-${randomUUID()}`, undefined)).replayed).toBe(false);

      now = new Date('2026-12-10T00:00:00Z');
      expect((await submit(atSource(3), fourth, `k-${randomUUID()}`, ip)).replayed).toBe(false);
    } finally {
      now = saved;
    }
  });

  it('counts an IPv6 host by its /64 (any address it picks there), and an IPv4-mapped address as its IPv4', async () => {
    expect((await submit(atSource(1), founder(), `k-${randomUUID()}`, '2001:db8:77:1::1')).replayed).toBe(false);
    expect(await failureOf(submit(atSource(1), founder(), `k-${randomUUID()}`, '2001:db8:77:1:aaaa:bbbb:cccc:dddd'))).toBeInstanceOf(TooManyRequestsError);
    expect((await submit(atSource(1), founder(), `k-${randomUUID()}`, '2001:db8:77:2::1')).replayed).toBe(false);

    expect((await submit(atSource(1), founder(), `k-${randomUUID()}`, '192.0.2.55')).replayed).toBe(false);
    const mapped = await failureOf(submit(atSource(1), founder(), `k-${randomUUID()}`, '::ffff:192.0.2.55'));
    expect((mapped as Error).message).toContain('one network (192.0.2.55)');
  });
});

describe("intake's answer and what it stores", () => {
  const executionOf = async (id: string) => (await applications.mustGet(id)).executionArn;

  it("answers a new application 'submitted' with its execution stored; a replay answers the stored status and leaves the stored execution alone", async () => {
    const w = founder();
    const key = `k-${randomUUID()}`;
    const first = await submit(deps(), w, key);
    expect(first).toMatchObject({ status: 'submitted', replayed: false, alreadyStarted: false });
    expect(await executionOf(first.applicationId)).toBe(`arn:aws:states:us-east-1:000000000000:execution:sm:${first.applicationId}`);

    // Later the workflow moved it on, and a resumed execution (functions/usecases/run-command.ts) is the one stored:
    // a late replay finds the first execution already started and must not point the application back at it.
    const app = await applications.mustGet(first.applicationId);
    await applyTransition(applications, app, planTransition({ current: app.status, version: app.version, to: 'sized', actor: { kind: 'system', id: 'Workflow' }, reason: 'test', now }));
    const resumed = `arn:aws:states:us-east-1:000000000000:execution:sm:${first.applicationId}-resume-3`;
    const { setExecutionArn } = await import('../../functions/adapters/dynamo/applications-tasks.ts');
    await setExecutionArn(applications, first.applicationId, resumed);
    const replay = await submit(deps(), w, key);
    expect(replay).toMatchObject({ applicationId: first.applicationId, status: 'sized', replayed: true, alreadyStarted: true });
    expect(await executionOf(first.applicationId)).toBe(resumed);
  });

  it('a request whose read missed a concurrent first attempt (its put then loses) answers as a replay: its token opens the application; another worksheet under the key is refused', async () => {
    const w = founder();
    const key = `k-${randomUUID()}`;
    const first = await submit(deps(), w, key);
    // Its first read ran before the first attempt's put landed and found nothing, so the request goes on to the put.
    const raced = () => {
      let reads = 0;
      const missed: ApplicationRepository = Object.assign(Object.create(applications) as ApplicationRepository, {
        get: async (id: string) => (reads++ === 0 ? undefined : applications.get(id)),
      });
      return { ...deps(), applications: missed };
    };
    const second = await submit(raced(), w, key);
    expect(second).toMatchObject({ applicationId: first.applicationId, status: 'submitted', replayed: true });
    const app = await applications.mustGet(first.applicationId);
    for (const token of [first.founderToken, second.founderToken]) expect(founderTokenMatches(app, token)).toBe(true);

    const changed = { ...w, useCase: { ...w.useCase, summary: `${w.useCase.summary} (changed)` } };
    const refused = await failure(submit(raced(), changed, key));
    expect(refused).toBeInstanceOf(IdempotencyKeyReusedError);
    expect((refused as Error).message).toBe('This Idempotency-Key was already used with a different worksheet; use a new key for a new submission');
    expect((await applications.mustGet(first.applicationId)).founderTokenHashes).toHaveLength(2);
  });

  it('the 429 for a full mailbox names the address typed, and the mailbox when another spelling reached it', async () => {
    const one = { maxOpenPerAddress: 1, maxOpenPerAccount: 5, worksheetsPerSourcePerDay: 1000 };
    const w = founder();
    await submit(deps(one), w, `k-${randomUUID()}`);
    const typed = w.contact.email;
    const plain = await failure(submit(deps(one), founder((x) => { x.contact.email = typed; }), `k-${randomUUID()}`));
    expect(plain).toBeInstanceOf(TooManyRequestsError);
    expect((plain as Error).message).toBe(`At most 1 open application(s) per contact address: this contact address (${typed}) has 1. Confirm, withdraw or finish one first (one withdrawn before its address was confirmed holds its slot until its confirmation link would have expired).`);
    const tagged = typed.replace('@', '+credits@');
    const other = await failure(submit(deps(one), founder((x) => { x.contact.email = tagged; }), `k-${randomUUID()}`));
    expect((other as Error).message).toBe(`At most 1 open application(s) per contact address: this contact address (${tagged}, which reaches the mailbox ${typed}) has 1. Confirm, withdraw or finish one first (one withdrawn before its address was confirmed holds its slot until its confirmation link would have expired).`);
  });

  it('a request with no source network is counted against none: at one worksheet per network, two such requests are both accepted', async () => {
    const one = { maxOpenPerAddress: 3, maxOpenPerAccount: 5, worksheetsPerSourcePerDay: 1 };
    for (let i = 0; i < 2; i += 1) expect((await submit(deps(one), founder(), `k-${randomUUID()}`, undefined)).replayed).toBe(false);
  });

  it("stores a network's count for the UTC day under its scope and the kind 'worksheet' (a renamed kind would forget the day's counts at a deploy)", async () => {
    const ip = '203.0.113.200';
    for (let i = 0; i < 2; i += 1) await submit(deps(), founder(), `k-${randomUUID()}`, ip);
    const dayStart = Math.floor(now.getTime() / 86_400_000) * 86_400_000;
    const key = rateWindowKey(limitsModule.sourceScope(ip), 'worksheet', dayStart);
    const { Item } = await documentClient.send(new GetCommand({ TableName: limits.tableName, Key: key, ConsistentRead: true }));
    expect(Item?.count).toBe(2);
  });
});

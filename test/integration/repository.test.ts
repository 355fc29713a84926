import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Client from '../../functions/adapters/dynamo/client.ts';
import { type ApplicationRepository, applyTransition } from '../../functions/adapters/dynamo/applications.ts';
import { createApplication } from '../../functions/adapters/dynamo/applications-intake.ts';
import { markNoticesSent } from '../../functions/adapters/dynamo/applications-notices.ts';
import { getTaskToken, saveTaskToken } from '../../functions/adapters/dynamo/applications-tasks.ts';
import { bookPartner, listPartners, type PartnerRepository, upsertPartnerProfile } from '../../functions/adapters/dynamo/partners.ts';
import { startDynalite, type TestTable } from '../support/dynalite.ts';
import { failBefore, throttled } from '../support/dynamo-failures.ts';
import { exampleWorksheet } from '../support/fixtures.ts';
import { newApplication, newFounderToken } from '../../functions/core/intake.ts';
import { planTransition } from '../../functions/core/application/lifecycle.ts';
import { ConflictError } from '../../functions/core/errors.ts';
import { estimate } from '../../functions/core/estimate.ts';
import { Estimate } from '../../schemas/estimate.ts';
import { NOTICE_LEASE_MS } from '../../schemas/stored-application.ts';
import type { PartnerProfile } from '../../schemas/partner.ts';
import { checkStoredItems } from '../support/stored-items.ts';

let table: TestTable;
let client: typeof Client;
let repos: {
  applications: ApplicationRepository;
  partners: PartnerRepository;
};

beforeAll(async () => {
  table = await startDynalite();
  process.env.AWS_ENDPOINT_URL_DYNAMODB = table.endpoint;
  const { ApplicationRepository } = await import('../../functions/adapters/dynamo/applications.ts');
  const { PartnerRepository } = await import('../../functions/adapters/dynamo/partners.ts');
  client = await import('../../functions/adapters/dynamo/client.ts');
  repos = { applications: new ApplicationRepository(table.tableName), partners: new PartnerRepository(table.tableName) };
});
afterAll(async () => table?.stop());

const system = { kind: 'system', id: 'test' } as const;
let counter = 0;
function freshApplication() {
  counter += 1;
  return newApplication({ id: `app_test${counter}`, worksheet: exampleWorksheet(), tokenHash: newFounderToken().hash, now: new Date('2026-11-27T10:00:00Z') });
}

describe('application repository against dynalite', () => {
  it('stores an application once; a second create with the same id is refused', async () => {
    const app = freshApplication();
    expect(await createApplication(repos.applications, app)).toBe(true);
    expect(await createApplication(repos.applications, { ...app, status: 'sized' })).toBe(false);
    const stored = await repos.applications.get(app.id);
    expect(stored?.status).toBe('submitted');
    expect(stored?.worksheet.company.name).toBe('Ledgerly Labs');
    expect(stored).not.toHaveProperty('pk');
  });

  it('changes status and appends the transition in one conditional write', async () => {
    const app = freshApplication();
    await createApplication(repos.applications, app);
    const plan = planTransition({ current: 'submitted', version: 1, to: 'sized', actor: system, reason: 'sized', now: new Date('2026-11-27T10:01:00Z') });
    const sized = estimate(app.worksheet, { now: new Date('2026-11-27T10:01:00Z') });
    const updated = await applyTransition(repos.applications, app, plan, { estimate: sized });
    expect(updated.status).toBe('sized');
    expect(updated.version).toBe(2);
    expect(updated.transitions.map((t) => `${t.from}->${t.to}`)).toEqual(['null->submitted', 'submitted->sized']);
    // Read back from storage: the estimate is parsed (typed), the timeline assembled from the head and its items.
    const stored = await repos.applications.get(app.id);
    expect(stored?.estimate).toEqual(Estimate.parse(sized));
    expect(stored?.estimate?.plan.totalAskUsd).toBe(sized.plan.totalAskUsd);
    expect(stored?.transitions.map((t) => `${t.from}->${t.to}`)).toEqual(['null->submitted', 'submitted->sized']);
  });

  it('refuses a stale transition with a ConflictError naming the current state', async () => {
    const app = freshApplication();
    await createApplication(repos.applications, app);
    const plan = planTransition({ current: 'submitted', version: 1, to: 'sized', actor: system, reason: 'first', now: new Date() });
    await applyTransition(repos.applications, app, plan);
    const err = await applyTransition(repos.applications, app, plan).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).currentState).toBe('sized');
    expect((err as ConflictError).message).toBe(`Application ${app.id} is 'sized' (version 2); it can no longer move from 'submitted' to 'sized'`);
    const stored = await repos.applications.get(app.id);
    expect(stored?.transitions).toHaveLength(2);
  });

  it('a change to an application that is not stored answers not found (404), not a conflict, and stores nothing', async () => {
    const app = freshApplication();
    const plan = planTransition({ current: 'submitted', version: 1, to: 'sized', actor: system, reason: 'first', now: new Date() });
    await expect(applyTransition(repos.applications, app, plan)).rejects.toMatchObject({ name: 'NotFoundError', message: `Application ${app.id} not found` });
    await expect(repos.applications.mustGet(app.id)).rejects.toMatchObject({ name: 'NotFoundError', message: `Application ${app.id} not found` });
    expect(await repos.applications.get(app.id)).toBeUndefined();
  });

  it('lets exactly one of 20 concurrent identical transitions win, recording one transition', async () => {
    const app = freshApplication();
    await createApplication(repos.applications, app);
    const attempts = Array.from({ length: 20 }, (_, i) =>
      applyTransition(repos.applications, app, planTransition({ current: 'submitted', version: 1, to: 'sized', actor: system, reason: `attempt ${i}`, now: new Date() })));
    const results = await Promise.allSettled(attempts);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof ConflictError)).toHaveLength(19);
    const stored = await repos.applications.get(app.id);
    expect(stored?.version).toBe(2);
    expect(stored?.transitions.filter((t) => t.to === 'sized')).toHaveLength(1);
  });

  it('lists applications by status for operations, oldest first, with a working cursor', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const app = freshApplication();
      ids.push(app.id);
      await createApplication(repos.applications, app);
      await applyTransition(repos.applications, app, planTransition({ current: 'submitted', version: 1, to: 'failed', actor: system, reason: 'x', now: new Date(Date.UTC(2026, 0, 1, 0, i)) }));
    }
    const first = await (await import('../../functions/adapters/dynamo/applications-lists.ts')).listByStatus(repos.applications, 'failed', { limit: 3 });
    expect(first.items.map((a) => a.id)).toEqual(ids.slice(0, 3));
    expect(first.cursor).toBeTypeOf('string');
    const second = await (await import('../../functions/adapters/dynamo/applications-lists.ts')).listByStatus(repos.applications, 'failed', { limit: 3, cursor: first.cursor as string });
    expect(second.items.map((a) => a.id)).toEqual(ids.slice(3));
    // A tampered cursor is the caller's 400, never DynamoDB's "The provided starting key is invalid" (a 500): two
    // attribute names run together, or the failed list's key re-pointed at another status.
    const { encodeCursor } = await import('../../functions/adapters/dynamo/cursor.ts');
    const key = JSON.parse(Buffer.from(first.cursor as string, 'base64url').toString('utf8')) as Record<string, string>;
    for (const cursor of [encodeCursor({ gsi2pk: key.gsi2pk, 'gsi2sk,pk': `${key.gsi2sk},${key.pk}`, sk: key.sk }), encodeCursor({ ...key, gsi2pk: 'STATUS#sized' })]) {
      await expect((await import('../../functions/adapters/dynamo/applications-lists.ts')).listByStatus(repos.applications, 'failed', { limit: 3, cursor })).rejects.toMatchObject({ name: 'ValidationError', problems: [{ field: 'query.cursor' }] });
    }
  });

  it('claims a notice with a lease: busy while held, free again once released or expired, never after it was sent', async () => {
    const app = freshApplication();
    await createApplication(repos.applications, app);
    const t0 = new Date('2026-11-27T10:00:00Z');
    const at = (ms: number) => new Date(t0.getTime() + ms);
    expect((await (await import('../../functions/adapters/dynamo/applications-notices.ts')).claimNotice(repos.applications, app.id, 'k:v1', t0)).state).toBe('claimed');
    expect(await (await import('../../functions/adapters/dynamo/applications-notices.ts')).claimNotice(repos.applications, app.id, 'k:v1', at(1000))).toEqual({ state: 'busy', leaseUntil: t0.getTime() + NOTICE_LEASE_MS });
    await (await import('../../functions/adapters/dynamo/applications-notices.ts')).releaseNotice(repos.applications, app.id, 'k:v1');
    expect((await (await import('../../functions/adapters/dynamo/applications-notices.ts')).claimNotice(repos.applications, app.id, 'k:v1', at(2000))).state).toBe('claimed');
    // The holder died: its lease runs out and the notice can be claimed again.
    expect((await (await import('../../functions/adapters/dynamo/applications-notices.ts')).claimNotice(repos.applications, app.id, 'k:v1', at(2000 + NOTICE_LEASE_MS + 1))).state).toBe('claimed');
    expect((await repos.applications.get(app.id))?.notified).toEqual([]);
    await markNoticesSent(repos.applications, app.id, ['k:v1']);
    await (await import('../../functions/adapters/dynamo/applications-notices.ts')).releaseNotice(repos.applications, app.id, 'k:v1'); // never undoes a sent notice
    expect((await (await import('../../functions/adapters/dynamo/applications-notices.ts')).claimNotice(repos.applications, app.id, 'k:v1', at(10 * NOTICE_LEASE_MS))).state).toBe('sent');
    expect((await repos.applications.get(app.id))?.notified).toEqual(['k:v1']);
  });

  it('never drops a founder token hash it handed out: at the cap a further one is refused with 409', async () => {
    const app = freshApplication();
    await createApplication(repos.applications, app);
    const hashes = Array.from({ length: 12 }, (_, i) => `hash-${i}`);
    const results = [];
    const { addFounderTokenHash } = await import('../../functions/adapters/dynamo/applications-intake.ts');
    for (const h of hashes) results.push(await addFounderTokenHash(repos.applications, app.id, h).then(() => 'added', (e: unknown) => e));
    expect(results.slice(0, 9)).toEqual(Array(9).fill('added'));
    expect(results.slice(9).every((e) => e instanceof ConflictError)).toBe(true);
    expect((results[9] as ConflictError).message).toBe('This Idempotency-Key was already answered 10 times, each time with its own founder token, and each of them still works: '
      + `use one of those tokens to follow application ${app.id} (no further token is issued for it)`);
    expect((results[9] as ConflictError).currentState).toBe('submitted');
    const stored = (await repos.applications.get(app.id))?.founderTokenHashes;
    expect(stored).toEqual([app.founderTokenHashes[0], ...hashes.slice(0, 9)]);
  });

  it('concurrent token additions either keep their hash or are refused; none is added then dropped', async () => {
    const app = freshApplication();
    await createApplication(repos.applications, app);
    const hashes = Array.from({ length: 20 }, (_, i) => `concurrent-${i}`);
    const { addFounderTokenHash } = await import('../../functions/adapters/dynamo/applications-intake.ts');
    const results = await Promise.allSettled(hashes.map((h) => addFounderTokenHash(repos.applications, app.id, h)));
    const added = hashes.filter((_, i) => results[i]?.status === 'fulfilled');
    expect(added).toHaveLength(9);
    const stored = (await repos.applications.get(app.id))?.founderTokenHashes ?? [];
    for (const h of added) expect(stored).toContain(h);
    expect(stored).toHaveLength(10);
  });

  it('a token for an application never stored is refused as not found (404), not as the cap (409)', async () => {
    const { addFounderTokenHash } = await import('../../functions/adapters/dynamo/applications-intake.ts');
    await expect(addFounderTokenHash(repos.applications, 'app_never_stored', 'hash')).rejects.toMatchObject({ name: 'NotFoundError', message: 'Application app_never_stored not found' });
  });

  it('a refused create (the id is stored already) writes nothing over it: a late replay leaves the stored timeline as it was', async () => {
    const app = freshApplication();
    await createApplication(repos.applications, app);
    await applyTransition(repos.applications, app, planTransition({ current: 'submitted', version: 1, to: 'sized', actor: system, reason: 'sized', now: new Date('2026-11-27T10:01:00Z') }));
    const replay = newApplication({ id: app.id, worksheet: exampleWorksheet(), tokenHash: newFounderToken().hash, now: new Date('2026-11-28T09:00:00Z') });
    expect(await createApplication(repos.applications, replay)).toBe(false);
    const stored = await repos.applications.mustGet(app.id);
    expect(stored.transitions[0]).toEqual(app.transitions[0]);
    expect(stored.transitions.map((t) => `${t.from}->${t.to}`)).toEqual(['null->submitted', 'submitted->sized']);
  });

  it('indexes likely duplicates: the candidates are the applications stored under any of the values, each once, at most limitPerValue per value', async () => {
    const { putDedupeItems, findDedupeCandidates } = await import('../../functions/adapters/dynamo/applications-intake.ts');
    const { dedupeKey } = await import('../../functions/adapters/dynamo/keys.ts');
    const { GetCommand } = await import('@aws-sdk/lib-dynamodb');
    const { documentClient } = await import('../../functions/adapters/dynamo/client.ts');
    const tag = `${Date.now()}${counter}`;
    const account = { kind: 'account', value: `acct-${tag}` } as const;
    const company = { kind: 'company', value: `company ${tag}` } as const;
    const other = { kind: 'company', value: `other ${tag}` } as const;
    const at = new Date('2026-11-27T10:00:00Z');
    await putDedupeItems(repos.applications, 'app_dup_a', [account, company], at);
    await putDedupeItems(repos.applications, 'app_dup_b', [account], at);
    await putDedupeItems(repos.applications, 'app_dup_c', [other], at);

    expect((await findDedupeCandidates(repos.applications, [account, company])).sort()).toEqual(['app_dup_a', 'app_dup_b']);
    expect(await findDedupeCandidates(repos.applications, [other])).toEqual(['app_dup_c']);
    expect(await findDedupeCandidates(repos.applications, [{ kind: 'domain', value: `nobody-${tag}.example` }])).toEqual([]);
    expect(await findDedupeCandidates(repos.applications, [account], 1)).toHaveLength(1);
    const { Item } = await documentClient.send(new GetCommand({ TableName: repos.applications.tableName, Key: dedupeKey('company', company.value, 'app_dup_a'), ConsistentRead: true }));
    expect(Item).toEqual({ ...dedupeKey('company', company.value, 'app_dup_a'), entity: 'dedupe', kind: 'company', value: company.value, applicationId: 'app_dup_a', indexedAt: at.toISOString() });
  });

  it('keeps task tokens server-side and ignores expired ones', async () => {
    const app = freshApplication();
    await createApplication(repos.applications, app);
    const now = new Date('2026-11-27T00:00:00Z');
    await saveTaskToken(repos.applications, app.id, 'partner-review', 'token-abc', { now, expiresAt: new Date('2026-12-01T00:00:00Z') });
    expect((await getTaskToken(repos.applications, app.id, 'partner-review', now))?.token).toBe('token-abc');
    expect(await getTaskToken(repos.applications, app.id, 'partner-review', new Date('2026-12-02T00:00:00Z'))).toBeUndefined();
    expect(await repos.applications.get(app.id)).not.toHaveProperty('token');
  });
});

describe('partner repository against dynalite', () => {
  const profile: PartnerProfile = {
    id: 'p-race', name: 'Race Partners', tier: 'Advanced', regions: ['us-east-1'], contactEmail: 'race@example.com',
    strengths: { modelProviders: ['anthropic'], useCases: ['agent'], services: [] }, capacity: 3,
    record: { filings: 1, approvalRate: 0.5, medianDaysToCredits: 20 }, active: true,
  };

  it('never overbooks a partner under 12 concurrent bookings for 3 slots', async () => {
    await upsertPartnerProfile(repos.partners, profile);
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => bookPartner(repos.partners, 'p-race', `app_race${i}`)));
    expect(results.filter(Boolean)).toHaveLength(3);
    expect((await repos.partners.get('p-race'))?.load).toBe(3);
    const holder = `app_race${results.findIndex(Boolean)}`;
    await repos.partners.release('p-race', holder);
    expect((await repos.partners.get('p-race'))?.load).toBe(2);
  });

  it('holds one slot per application: booking and releasing twice for the same application count once', async () => {
    await upsertPartnerProfile(repos.partners, { ...profile, id: 'p-once', capacity: 2 });
    expect(await bookPartner(repos.partners, 'p-once', 'app_once')).toBe(true);
    expect(await bookPartner(repos.partners, 'p-once', 'app_once')).toBe(true);
    expect((await repos.partners.get('p-once'))?.load).toBe(1);
    await repos.partners.release('p-once', 'app_once');
    await repos.partners.release('p-once', 'app_once');
    await repos.partners.release('p-once', 'app_never_booked');
    expect((await repos.partners.get('p-once'))?.load).toBe(0);
    expect(await repos.partners.get('p-once')).not.toHaveProperty('slots');
  });

  it('keeps the live load when a profile is re-seeded, and lists the directory', async () => {
    await upsertPartnerProfile(repos.partners, { ...profile, name: 'Race Partners LLC' });
    const listed = await listPartners(repos.partners);
    const race = listed.find((p) => p.id === 'p-race');
    expect(race?.name).toBe('Race Partners LLC');
    expect(race?.load).toBe(2);
  });

  it('stores the profile as a partner item in the directory, the live load and slots beside it', async () => {
    await upsertPartnerProfile(repos.partners, { ...profile, id: 'p-item' });
    expect(await bookPartner(repos.partners, 'p-item', 'app_item')).toBe(true);
    const item = (await client.documentClient.send(new GetCommand({ TableName: table.tableName, Key: { pk: 'PARTNER#p-item', sk: 'PROFILE' } }))).Item;
    expect(item).toMatchObject({ entity: 'partner', id: 'p-item', gsi2pk: 'DIRECTORY#partner', gsi2sk: 'p-item', load: 1, slots: new Set(['app_item']), name: 'Race Partners' });
    expect(await repos.partners.get('p-item')).toEqual({ ...profile, id: 'p-item', load: 1 });
  });

  it('books no slot of a partner not on file, inactive or full (false, nothing written)', async () => {
    expect(await bookPartner(repos.partners, 'p-nobody', 'app_x')).toBe(false);
    expect(await repos.partners.get('p-nobody')).toBeUndefined();
    await upsertPartnerProfile(repos.partners, { ...profile, id: 'p-inactive', active: false });
    expect(await bookPartner(repos.partners, 'p-inactive', 'app_x')).toBe(false);
    await upsertPartnerProfile(repos.partners, { ...profile, id: 'p-full', capacity: 1 });
    expect(await bookPartner(repos.partners, 'p-full', 'app_first')).toBe(true);
    expect(await bookPartner(repos.partners, 'p-full', 'app_x')).toBe(false);
    expect((await repos.partners.get('p-inactive'))?.load).toBe(0);
    expect((await repos.partners.get('p-full'))?.load).toBe(1);
  });

  it('books a full partner when told the application was already theirs (a redrive), still once per application', async () => {
    await upsertPartnerProfile(repos.partners, { ...profile, id: 'p-over', capacity: 1 });
    expect(await bookPartner(repos.partners, 'p-over', 'app_first')).toBe(true);
    expect(await bookPartner(repos.partners, 'p-over', 'app_back')).toBe(false);
    expect(await bookPartner(repos.partners, 'p-over', 'app_back', { overCapacity: true })).toBe(true);
    expect(await bookPartner(repos.partners, 'p-over', 'app_back', { overCapacity: true })).toBe(true);
    expect((await repos.partners.get('p-over'))?.load).toBe(2);
    expect(await bookPartner(repos.partners, 'p-nobody', 'app_back', { overCapacity: true })).toBe(false);
    await upsertPartnerProfile(repos.partners, { ...profile, id: 'p-over-off', active: false });
    expect(await bookPartner(repos.partners, 'p-over-off', 'app_back', { overCapacity: true })).toBe(false);
    expect((await repos.partners.get('p-over-off'))?.load).toBe(0);
  });

  it('passes on a booking or a release that fails for another reason than its condition', async () => {
    await upsertPartnerProfile(repos.partners, { ...profile, id: 'p-throttled' });
    let undo = failBefore(client.documentClient, 'UpdateItemCommand', throttled);
    try {
      await expect(bookPartner(repos.partners, 'p-throttled', 'app_t')).rejects.toThrow(/throughput/);
    } finally {
      undo();
    }
    expect(await bookPartner(repos.partners, 'p-throttled', 'app_t')).toBe(true);
    undo = failBefore(client.documentClient, 'UpdateItemCommand', throttled);
    try {
      await expect(repos.partners.release('p-throttled', 'app_t')).rejects.toThrow(/throughput/);
    } finally {
      undo();
    }
    expect((await repos.partners.get('p-throttled'))?.load).toBe(1);
  });
});

// Stored items are trusted on read (functions/adapters/dynamo/stored-guard.ts): everything this suite wrote must parse.
it('every item the suite wrote parses against schemas/stored-application.ts', async () => {
  const { checked, problems } = await checkStoredItems(table.endpoint, table.tableName);
  expect(problems).toEqual([]);
  expect(checked.application ?? 0).toBeGreaterThan(0);
});

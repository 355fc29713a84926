import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplicationRepository } from '../../functions/adapters/dynamo/applications.ts';
import type { PartnerRepository } from '../../functions/adapters/dynamo/partners.ts';
import { startDynalite, type TestTable } from '../support/dynalite.ts';
import { exampleWorksheet } from '../support/fixtures.ts';
import { newApplication, newFounderToken } from '../../functions/core/intake.ts';
import { planTransition } from '../../functions/core/application/lifecycle.ts';
import { ConflictError } from '../../functions/core/errors.ts';
import type { PartnerProfile } from '../../schemas/partner.ts';

let table: TestTable;
let repos: {
  applications: ApplicationRepository;
  partners: PartnerRepository;
};

beforeAll(async () => {
  table = await startDynalite();
  process.env.AWS_ENDPOINT_URL_DYNAMODB = table.endpoint;
  const { ApplicationRepository } = await import('../../functions/adapters/dynamo/applications.ts');
  const { PartnerRepository } = await import('../../functions/adapters/dynamo/partners.ts');
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
    expect(await repos.applications.create(app)).toBe(true);
    expect(await repos.applications.create({ ...app, status: 'sized' })).toBe(false);
    const stored = await repos.applications.get(app.id);
    expect(stored?.status).toBe('submitted');
    expect(stored?.worksheet.company.name).toBe('Ledgerly Labs');
    expect(stored).not.toHaveProperty('pk');
  });

  it('changes status and appends the transition in one conditional write', async () => {
    const app = freshApplication();
    await repos.applications.create(app);
    const plan = planTransition({ current: 'submitted', version: 1, to: 'sized', actor: system, reason: 'sized', now: new Date('2026-11-27T10:01:00Z') });
    const updated = await repos.applications.applyTransition(app, plan, { estimate: { total: '1.00' } });
    expect(updated.status).toBe('sized');
    expect(updated.version).toBe(2);
    expect(updated.transitions.map((t) => `${t.from}->${t.to}`)).toEqual(['null->submitted', 'submitted->sized']);
    expect(updated.estimate).toEqual({ total: '1.00' });
  });

  it('refuses a stale transition with a ConflictError naming the current state', async () => {
    const app = freshApplication();
    await repos.applications.create(app);
    const plan = planTransition({ current: 'submitted', version: 1, to: 'sized', actor: system, reason: 'first', now: new Date() });
    await repos.applications.applyTransition(app, plan);
    const err = await repos.applications.applyTransition(app, plan).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).currentState).toBe('sized');
    const stored = await repos.applications.get(app.id);
    expect(stored?.transitions).toHaveLength(2);
  });

  it('lets exactly one of 20 concurrent identical transitions win, recording one transition', async () => {
    const app = freshApplication();
    await repos.applications.create(app);
    const attempts = Array.from({ length: 20 }, (_, i) =>
      repos.applications.applyTransition(app, planTransition({ current: 'submitted', version: 1, to: 'sized', actor: system, reason: `attempt ${i}`, now: new Date() })));
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
      await repos.applications.create(app);
      await repos.applications.applyTransition(app, planTransition({ current: 'submitted', version: 1, to: 'failed', actor: system, reason: 'x', now: new Date(Date.UTC(2026, 0, 1, 0, i)) }));
    }
    const first = await repos.applications.listByStatus('failed', { limit: 3 });
    expect(first.items.map((a) => a.id)).toEqual(ids.slice(0, 3));
    expect(first.cursor).toBeTypeOf('string');
    const second = await repos.applications.listByStatus('failed', { limit: 3, cursor: first.cursor as string });
    expect(second.items.map((a) => a.id)).toEqual(ids.slice(3));
  });

  it('claims a notice once', async () => {
    const app = freshApplication();
    await repos.applications.create(app);
    expect(await repos.applications.claimNotice(app.id, 'founder-confirmation:v1')).toBe(true);
    expect(await repos.applications.claimNotice(app.id, 'founder-confirmation:v1')).toBe(false);
    await repos.applications.releaseNotice(app.id, 'founder-confirmation:v1');
    expect(await repos.applications.claimNotice(app.id, 'founder-confirmation:v1')).toBe(true);
    expect((await repos.applications.get(app.id))?.notified).toEqual(['founder-confirmation:v1']);
  });

  it('never drops a founder token hash handed out: past ten the replay is refused (409) and the stored ones stay', async () => {
    const app = freshApplication();
    await repos.applications.create(app);
    const hashes = Array.from({ length: 9 }, (_, i) => `hash-${i}`);
    for (const h of hashes) await repos.applications.addFounderTokenHash(app.id, h);
    await expect(repos.applications.addFounderTokenHash(app.id, 'hash-too-many')).rejects.toBeInstanceOf(ConflictError);
    const stored = (await repos.applications.get(app.id))?.founderTokenHashes;
    expect(stored).toEqual([app.founderTokenHashes[0], ...hashes]);
  });

  it('keeps task tokens server-side and ignores expired ones', async () => {
    const app = freshApplication();
    await repos.applications.create(app);
    const now = new Date('2026-11-27T00:00:00Z');
    await repos.applications.saveTaskToken(app.id, 'partner-review', 'token-abc', { now, expiresAt: new Date('2026-12-01T00:00:00Z') });
    expect((await repos.applications.getTaskToken(app.id, 'partner-review', now))?.token).toBe('token-abc');
    expect(await repos.applications.getTaskToken(app.id, 'partner-review', new Date('2026-12-02T00:00:00Z'))).toBeUndefined();
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
    await repos.partners.upsertProfile(profile);
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => repos.partners.book('p-race', `app_race${i}`)));
    expect(results.filter(Boolean)).toHaveLength(3);
    expect((await repos.partners.get('p-race'))?.load).toBe(3);
    const holder = `app_race${results.findIndex(Boolean)}`;
    await repos.partners.release('p-race', holder);
    expect((await repos.partners.get('p-race'))?.load).toBe(2);
  });

  it('holds one slot per application: booking and releasing twice for the same application count once', async () => {
    await repos.partners.upsertProfile({ ...profile, id: 'p-once', capacity: 2 });
    expect(await repos.partners.book('p-once', 'app_once')).toBe(true);
    expect(await repos.partners.book('p-once', 'app_once')).toBe(true);
    expect((await repos.partners.get('p-once'))?.load).toBe(1);
    await repos.partners.release('p-once', 'app_once');
    await repos.partners.release('p-once', 'app_once');
    await repos.partners.release('p-once', 'app_never_booked');
    expect((await repos.partners.get('p-once'))?.load).toBe(0);
    expect(await repos.partners.get('p-once')).not.toHaveProperty('slots');
  });

  it('keeps the live load when a profile is re-seeded, and lists the directory', async () => {
    await repos.partners.upsertProfile({ ...profile, name: 'Race Partners LLC' });
    const listed = await repos.partners.list();
    const race = listed.find((p) => p.id === 'p-race');
    expect(race?.name).toBe('Race Partners LLC');
    expect(race?.load).toBe(2);
  });
});

/**
 * A revision whose new contact address is never confirmed (functions/usecases/address-confirmation.ts,
 * expireUnconfirmed) against dynalite: the application is closed and the partner's slot, kept by the change request,
 * is given back exactly once, even when the task dies between the two writes and is retried.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplicationRepository } from '../../functions/adapters/dynamo/applications.ts';
import { createApplication } from '../../functions/adapters/dynamo/applications-intake.ts';
import { markNoticesSent } from '../../functions/adapters/dynamo/applications-notices.ts';
import { bookPartner, type PartnerRepository, upsertPartnerProfile } from '../../functions/adapters/dynamo/partners.ts';
import { newApplication, newFounderToken } from '../../functions/core/intake.ts';
import { DEFAULT_CONFIRMATION_SETTINGS } from '../../functions/core/address-confirmation.ts';
import { transitionMarker } from '../../functions/core/notifications.ts';
import { expireUnconfirmed, type ExpireDeps } from '../../functions/usecases/address-confirmation.ts';
import type { Application } from '../../schemas/application.ts';
import type { PartnerProfile } from '../../schemas/partner.ts';
import { startDynalite, type TestTable } from '../support/dynalite.ts';
import { exampleWorksheet } from '../support/fixtures.ts';
import { checkStoredItems } from '../support/stored-items.ts';

let table: TestTable;
let applications: ApplicationRepository;
let partners: PartnerRepository;

beforeAll(async () => {
  table = await startDynalite();
  process.env.AWS_ENDPOINT_URL_DYNAMODB = table.endpoint;
  const { ApplicationRepository } = await import('../../functions/adapters/dynamo/applications.ts');
  const { PartnerRepository } = await import('../../functions/adapters/dynamo/partners.ts');
  applications = new ApplicationRepository(table.tableName);
  partners = new PartnerRepository(table.tableName);
});
afterAll(async () => table?.stop());

const now = new Date('2026-12-01T12:00:00Z');
const actor = { kind: 'system', id: 'ExpireUnconfirmed' } as const;
const profile: PartnerProfile = {
  id: 'p-reconfirm', name: 'Reconfirm Partners', tier: 'Advanced', regions: ['us-east-1'], contactEmail: 'reconfirm@example.com',
  strengths: { modelProviders: ['anthropic'], useCases: ['agent'], services: [] }, capacity: 3,
  record: { filings: 1, approvalRate: 0.5, medianDaysToCredits: 20 }, active: true,
};

/** Drafted again after a revision that changed the address; its link expired an hour ago; the partner holds its slot. */
async function revisedAndUnconfirmed(id: string, withPartner = true): Promise<Application> {
  const base = newApplication({ id, worksheet: exampleWorksheet(), tokenHash: newFounderToken().hash, now: new Date('2026-11-27T10:00:00Z') });
  const app: Application = {
    ...base,
    status: 'drafted',
    addressConfirmation: { requested: 2, sent: 2, firstMail: 2, secretHash: 'a'.repeat(64), expiresAt: new Date(now.getTime() - 3_600_000).toISOString() },
    ...(withPartner ? { partner: { partnerId: profile.id, partnerName: profile.name, assignedAt: base.createdAt, reasons: ['serves the Region'] } } : {}),
  };
  expect(await createApplication(applications, app)).toBe(true);
  await markNoticesSent(applications, app.id, app.transitions.map((t) => transitionMarker(t.version)));
  if (withPartner) expect(await bookPartner(partners, profile.id, id)).toBe(true);
  return app;
}

const deps = (release: ExpireDeps['partners']['release']): ExpireDeps => ({
  applications, partners: { release }, clock: { now: () => now, sleep: async () => undefined }, settings: DEFAULT_CONFIRMATION_SETTINGS,
});
const load = async (): Promise<number> => (await partners.get(profile.id))!.load;

describe('a revision whose new address is never confirmed', () => {
  beforeAll(async () => upsertPartnerProfile(partners, profile));

  it('is closed and the partner\'s slot given back; a retry after a crash between the two writes finishes the release, once', async () => {
    await revisedAndUnconfirmed('app_reconfirm1');
    const before = await load();
    const crashing = deps(async () => {
      throw Object.assign(new Error('the task died after closing the application'), { name: 'Crash' });
    });
    await expect(expireUnconfirmed(crashing, 'app_reconfirm1', actor)).rejects.toThrow(/died/);
    const closed = await applications.mustGet('app_reconfirm1');
    expect(closed.status).toBe('withdrawn');
    expect(closed.transitions.at(-1)).toMatchObject({ from: 'drafted', to: 'withdrawn', actor });
    expect(closed.transitions.at(-1)?.reason).toMatch(/the founder's revision \(a new contact address or AWS account\) was not confirmed from the contact address within 72 hours/);
    expect(closed.partner?.partnerId).toBe(profile.id); // kept, so the partner can be told
    expect(await load()).toBe(before);

    const real = deps((p, a) => partners.release(p, a));
    expect(await expireUnconfirmed(real, 'app_reconfirm1', actor)).toBe('closed-after-revision');
    expect(await load()).toBe(before - 1);
    // Again (a redelivered task): nothing more is released.
    expect(await expireUnconfirmed(real, 'app_reconfirm1', actor)).toBe('closed-after-revision');
    expect(await load()).toBe(before - 1);
    expect((await applications.mustGet('app_reconfirm1')).version).toBe(closed.version);
  });

  it('without a partner (never routed) it is closed quietly: `expired`, nothing released', async () => {
    await revisedAndUnconfirmed('app_reconfirm2', false);
    let released = 0;
    expect(await expireUnconfirmed(deps(async () => { released += 1; }), 'app_reconfirm2', actor)).toBe('expired');
    expect(released).toBe(0);
    expect((await applications.mustGet('app_reconfirm2')).transitions.at(-1)?.reason).toMatch(/^the contact address was not confirmed .*nothing was shared with a partner/);
    // Already closed, no slot held: a redelivered task has nothing to finish.
    expect(await expireUnconfirmed(deps(async () => { released += 1; }), 'app_reconfirm2', { kind: 'system', id: 'Other' })).toBe('other');
    expect(released).toBe(0);
  });
});

// Stored items are trusted on read (functions/adapters/dynamo/stored-guard.ts): everything this suite wrote must parse.
it('every item the suite wrote parses against schemas/stored-application.ts', async () => {
  const { checked, problems } = await checkStoredItems(table.endpoint, table.tableName);
  expect(problems).toEqual([]);
  expect(checked.application ?? 0).toBeGreaterThan(0);
});

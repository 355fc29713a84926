/**
 * The funding request's steps against dynalite and the local Partner Central: each step re-runnable after a crash
 * (a CreateBenefitApplication whose answer was lost, a submission whose record was never written), the write pace
 * (429, nothing sent), and the reconciliation applying an allocation once. Time in the write gate is a fake clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplicationRepository } from '../../functions/adapters/dynamo/applications.ts';
import { updateBriefs } from '../../functions/adapters/dynamo/applications-edits.ts';
import { createApplication } from '../../functions/adapters/dynamo/applications-intake.ts';
import { getBenefitMapping, type PartnerCentralStore, partnersWithOpenReviews, tryTakeWriteSlot } from '../../functions/adapters/dynamo/partner-central-store.ts';
import { type PartnerRepository, upsertPartnerProfile } from '../../functions/adapters/dynamo/partners.ts';
import type * as Funding from '../../functions/usecases/partner-central-funding.ts';
import type * as Client from '../../functions/adapters/partner-central-client.ts';
import { draftFunding, fundingEtag } from '../../functions/core/ace/funding-draft.ts';
import { CONFLICT_RETRY_ATTEMPTS } from '../../functions/core/conflict-retry.ts';
import type { Clock } from '../../functions/core/clock.ts';
import { ConflictError, TooManyRequestsError } from '../../functions/core/errors.ts';
import { estimate } from '../../functions/core/estimate.ts';
import { newApplication, newFounderToken } from '../../functions/core/intake.ts';
import type { Application } from '../../schemas/application.ts';
import type { PartnerProfile } from '../../schemas/partner.ts';
import { startDynalite, type TestTable } from '../support/dynalite.ts';
import { exampleWorksheet } from '../support/fixtures.ts';
import { startFixtureServer, type FixtureServer } from '../support/partner-central-server.ts';
import { checkStoredItems } from '../support/stored-items.ts';

const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:AceFiling';
const PROGRAM = 'bedrock-poc';
const NOW = '2026-11-27T12:00:00.000Z';

let table: TestTable;
let server: FixtureServer;
let m: { applications: ApplicationRepository; partners: PartnerRepository; store: PartnerCentralStore; funding: typeof Funding; client: typeof Client };
let standInNow = Date.parse(NOW);

beforeAll(async () => {
  table = await startDynalite();
  server = await startFixtureServer({ now: () => standInNow });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
    AWS_ENDPOINT_URL_PARTNERCENTRAL_SELLING: server.endpoint,
    AWS_ENDPOINT_URL_PARTNERCENTRAL_BENEFITS: server.endpoint,
    AWS_ENDPOINT_URL_STS: server.endpoint,
    AWS_ENDPOINT_URL_SFN: server.endpoint,
    TABLE_NAME: table.tableName, STATE_MACHINE_ARN, ACE_CATALOG: 'Sandbox',
  });
  const { ApplicationRepository } = await import('../../functions/adapters/dynamo/applications.ts');
  const { PartnerRepository } = await import('../../functions/adapters/dynamo/partners.ts');
  const { PartnerCentralStore } = await import('../../functions/adapters/dynamo/partner-central-store.ts');
  m = {
    applications: new ApplicationRepository(table.tableName), partners: new PartnerRepository(table.tableName), store: new PartnerCentralStore(table.tableName),
    funding: await import('../../functions/usecases/partner-central-funding.ts'), client: await import('../../functions/adapters/partner-central-client.ts'),
  };
});
afterAll(async () => {
  await server?.stop();
  await table?.stop();
});

/** Our functions' clock and the stand-in's are one time here (the gate's waits move both, as real time would). */
function fakeClock(start: string, advanceOnSleep = true): Clock {
  standInNow = Math.max(standInNow, Date.parse(start));
  return { now: () => new Date(standInNow), sleep: async (ms) => { if (advanceOnSleep) standInNow += ms; } };
}

function deps(clock: Clock = fakeClock(NOW)) {
  return { applications: m.applications, partners: m.partners, store: m.store, stateMachineArn: STATE_MACHINE_ARN, defaultCatalog: 'Sandbox' as const, clock };
}

const roleOf = (account: string) => ({ roleArn: `arn:aws:iam::${account}:role/AceFilingPartnerCentralFiling`, externalId: `ext-${account}` });

async function seedPartner(id: string, account: string): Promise<void> {
  const profile: PartnerProfile = {
    id, name: `Partner ${id}`, tier: 'Premier', regions: ['us-east-1'], contactEmail: `${id}@partners.example`,
    strengths: { modelProviders: ['anthropic'], useCases: ['agent'], services: [] }, capacity: 10,
    record: { filings: 10, approvalRate: 0.9, medianDaysToCredits: 12 }, active: true, filing: { ...roleOf(account), catalog: 'Sandbox' },
  };
  await upsertPartnerProfile(m.partners, profile);
}

let n = 0;
/** An application whose PROGRAM record AWS approved (opportunity filed at the stand-in), funding drafted. */
async function seedApproved(partnerId: string, account: string): Promise<Application> {
  n += 1;
  const id = `app_fund${n}`;
  const worksheet = exampleWorksheet();
  const created = server.standIn.catalog.CreateOpportunity({ accountId: account, roleArn: roleOf(account).roleArn }, { Catalog: 'Sandbox', ClientToken: `opp-${id}` });
  const opportunityId = String(created.Id);
  const base = newApplication({ id, worksheet, tokenHash: newFounderToken().hash, now: new Date(NOW) });
  const brief = { programId: PROGRAM, body: { Catalog: 'Sandbox' }, problems: [], revision: 1 };
  const app: Application = {
    ...base, status: 'approved', version: 2, estimate: estimate(worksheet, { now: new Date(NOW) }),
    partner: { partnerId, partnerName: partnerId, assignedAt: NOW, reasons: ['test'] },
    briefs: [{ ...brief, record: { status: 'approved', opportunityId, filedVia: 'api' } }],
    transitions: [...base.transitions, { at: NOW, actor: { kind: 'system', id: 'partner-central' }, from: 'submitted', to: 'approved', reason: 'seeded', version: 2 }],
  };
  const funding = draftFunding({ app, brief: app.briefs![0]!, opportunityId })!;
  app.briefs = [{ ...app.briefs![0]!, record: { status: 'approved', opportunityId, filedVia: 'api', funding } }];
  await createApplication(m.applications, app);
  return app;
}

const benefitWrites = (account: string) => server.calls.filter((c) => /^PartnerCentralBenefitsService\.(Create|Associate|Submit|Update)/.test(c.target) && c.accessKeyId === server.standIn.accessKeyIdFor(roleOf(account).roleArn));
const benefitReads = (account: string) => server.calls.filter((c) => c.target === 'PartnerCentralBenefitsService.GetBenefitApplication' && c.accessKeyId === server.standIn.accessKeyIdFor(roleOf(account).roleArn));
const fundingOf = async (id: string) => (await m.applications.get(id))?.briefs?.[0]?.record?.funding;

describe('sending the funding request, after a crash', () => {
  it('a CreateBenefitApplication whose answer was lost: the repeat gets the same application and creates nothing more', async () => {
    await seedPartner('p-crash1', '666600000001');
    const app = await seedApproved('p-crash1', '666600000001');
    const funding = (await fundingOf(app.id))!;
    // The first attempt reached Partner Central, then the function died before recording anything.
    const lost = await m.client.createBenefitApplication(roleOf('666600000001'), { ...funding.body, Catalog: 'Sandbox' });
    standInNow += 2000;

    const result = await m.funding.submitFundingViaApi(deps(), { applicationId: app.id, programId: PROGRAM, partnerId: 'p-crash1' });
    expect(result.benefitApplicationId).toBe(lost.id);
    expect(server.standIn.benefits.applications().filter((a) => a.accountId === '666600000001')).toHaveLength(1);
    expect(await fundingOf(app.id)).toMatchObject({ status: 'submitted', benefitApplicationId: lost.id, sentRevision: 1 });
    expect((await getBenefitMapping(m.store, 'Sandbox', lost.id))?.applicationId).toBe(app.id);
    expect(server.standIn.benefits.view(lost.id).Status).toBe('IN_REVIEW');
    // One read decides what is missing (associate, submit): nothing is read again between the writes.
    expect(benefitReads('666600000001')).toHaveLength(1);
  });

  it('a submission whose record was never written: the repeat reads Partner Central, sends no write, records submitted', async () => {
    await seedPartner('p-crash2', '666600000002');
    const app = await seedApproved('p-crash2', '666600000002');
    // Created and recorded, then associated and submitted at AWS, then the function died before the last record.
    const d = deps(fakeClock('2026-11-27T13:00:00.000Z'));
    const result = await m.funding.submitFundingViaApi(d, { applicationId: app.id, programId: PROGRAM, partnerId: 'p-crash2' });
    const id = result.benefitApplicationId;
    const stored = (await m.applications.get(app.id))!;
    const briefs = stored.briefs!.map((b) => {
      const { sentRevision: _s, ...funding } = b.record!.funding!;
      return { ...b, record: { ...b.record!, funding: { ...funding, status: 'created' as const } } };
    });
    await updateBriefs(m.applications, stored, briefs as NonNullable<Application['briefs']>, new Date());
    const writesBefore = benefitWrites('666600000002').length;

    const again = await m.funding.submitFundingViaApi(deps(fakeClock('2026-11-27T14:00:00.000Z')), { applicationId: app.id, programId: PROGRAM, partnerId: 'p-crash2' });
    expect(again.steps).toEqual([]);
    expect(benefitWrites('666600000002')).toHaveLength(writesBefore);
    expect(benefitReads('666600000002')).toHaveLength(2); // one per send
    expect(await fundingOf(app.id)).toMatchObject({ status: 'submitted', benefitApplicationId: id });
  });

  it('three concurrent sends: one benefit application, each write once, every caller answered (done, or 409/429 to retry)', async () => {
    await seedPartner('p-race', '666600000006');
    const app = await seedApproved('p-race', '666600000006');
    const clock = fakeClock(new Date(standInNow + 3600_000).toISOString());
    const results = await Promise.allSettled([1, 2, 3].map(() => m.funding.submitFundingViaApi(deps(clock), { applicationId: app.id, programId: PROGRAM, partnerId: 'p-race' })));
    // A loser is told to come back: the account's write slot is busy (429) or another request holds the send (409).
    for (const r of results) if (r.status === 'rejected') expect([TooManyRequestsError, ConflictError].some((E) => r.reason instanceof E)).toBe(true);
    expect(results.some((r) => r.status === 'fulfilled')).toBe(true);
    // A retry of any refused one converges.
    standInNow += 5000;
    const last = await m.funding.submitFundingViaApi(deps(clock), { applicationId: app.id, programId: PROGRAM, partnerId: 'p-race' });
    expect(server.standIn.benefits.applications().filter((a) => a.accountId === '666600000006')).toHaveLength(1);
    const writes = benefitWrites('666600000006').map((c) => c.target.split('.')[1]);
    expect(writes.filter((w) => w === 'AssociateBenefitApplicationResource')).toHaveLength(1);
    expect(writes.filter((w) => w === 'SubmitBenefitApplication')).toHaveLength(1);
    expect(await fundingOf(app.id)).toMatchObject({ status: 'submitted', benefitApplicationId: last.benefitApplicationId });
  });

  it('the write pace: a caller that finds the slot taken past its one wait gets 429, and nothing is sent or recorded', async () => {
    await seedPartner('p-busy', '666600000003');
    const app = await seedApproved('p-busy', '666600000003');
    const clock = fakeClock(NOW, false);
    await tryTakeWriteSlot(m.store, '666600000003', clock.now(), clock.now().getTime() + 60_000);
    await expect(m.funding.submitFundingViaApi(deps(clock), { applicationId: app.id, programId: PROGRAM, partnerId: 'p-busy' })).rejects.toBeInstanceOf(TooManyRequestsError);
    expect(benefitWrites('666600000003')).toHaveLength(0);
    expect(await fundingOf(app.id)).toMatchObject({ status: 'drafted' });
  });
});

describe('editing the funding request while the application is written by others', () => {
  /**
   * deps where another writer saves the application right after the edit reads it (the read is then stale), `losses`
   * times. Reads alternate: the edit's read, then the refused write's read of the winner (conflictAfter), left alone.
   */
  function racedDeps(losses: number) {
    let left = losses;
    let winnerReadNext = false;
    const get = async (id: string) => {
      const read = await m.applications.get(id);
      if (read && !winnerReadNext && left > 0) {
        left -= 1;
        await updateBriefs(m.applications, read, read.briefs ?? [], new Date(NOW));
        winnerReadNext = true;
      } else {
        winnerReadNext = false;
      }
      return read;
    };
    return { ...deps(), applications: Object.assign(Object.create(m.applications) as ApplicationRepository, { get }) };
  }
  const edit = async (app: Application, d: ReturnType<typeof racedDeps>, Description: string) => {
    const ifMatch = fundingEtag((await fundingOf(app.id))!);
    return m.funding.editFunding(d, { applicationId: app.id, programId: PROGRAM, partnerId: 'p-edit', patch: { Description }, ifMatch });
  };

  it(`is re-read and saved after ${CONFLICT_RETRY_ATTEMPTS - 1} lost races; one more and the last ConflictError is the answer`, async () => {
    await seedPartner('p-edit', '666600000007');
    const app = await seedApproved('p-edit', '666600000007');
    const saved = await edit(app, racedDeps(CONFLICT_RETRY_ATTEMPTS - 1), 'Saved on the last attempt');
    expect(saved.funding).toMatchObject({ revision: 2, body: { Description: 'Saved on the last attempt' } });
    expect(await fundingOf(app.id)).toMatchObject({ revision: 2, body: { Description: 'Saved on the last attempt' } });

    await expect(edit(app, racedDeps(CONFLICT_RETRY_ATTEMPTS), 'Never saved')).rejects.toBeInstanceOf(ConflictError);
    expect(await fundingOf(app.id)).toMatchObject({ revision: 2, body: { Description: 'Saved on the last attempt' } });
  });
});

describe('the reconciliation', () => {
  it('brings Action Required, then a rejection, each applied once; the watermark is AWS\'s UpdatedAt', async () => {
    await seedPartner('p-recon', '666600000004');
    const app = await seedApproved('p-recon', '666600000004');
    const d = deps(fakeClock(new Date(standInNow).toISOString()));
    const sent = await m.funding.submitFundingViaApi(d, { applicationId: app.id, programId: PROGRAM, partnerId: 'p-recon' });
    const partner = (await m.partners.get('p-recon'))!;

    standInNow += 60_000;
    server.standIn.benefits.review(sent.benefitApplicationId, { status: 'ACTION_REQUIRED', reason: 'Attach the plan' });
    expect((await m.funding.reconcileFunding(d, partner))?.outcomes).toEqual({ applied: 1 });
    expect(await fundingOf(app.id)).toMatchObject({ status: 'action_required', review: { reason: 'Attach the plan' } });
    expect((await m.funding.reconcileFunding(d, partner))?.outcomes).toEqual({ unchanged: 1 });

    standInNow += 60_000;
    server.standIn.benefits.review(sent.benefitApplicationId, { status: 'REJECTED', reason: 'changed its mind' });
    const rejected = server.standIn.benefits.view(sent.benefitApplicationId);
    expect(rejected.Status).toBe('REJECTED');
    const result = await m.funding.reconcileFunding(d, partner);
    expect(result?.outcomes).toEqual({ applied: 1 });
    expect(result?.watermark).toBe(rejected.UpdatedAt);
    const stored = (await m.applications.get(app.id))!;
    expect(stored.briefs![0]!.record).toMatchObject({ status: 'approved', funding: { status: 'rejected' } });
    const versions = stored.version;
    await m.funding.reconcileFunding(d, partner);
    expect((await m.applications.get(app.id))!.version).toBe(versions);
    expect((await partnersWithOpenReviews(m.store)).map((p) => p.partnerId)).not.toContain('p-recon');
  });

  it('an approval with an allocation moves the record to credits_applied once, even across runs', async () => {
    await seedPartner('p-alloc', '666600000005');
    const app = await seedApproved('p-alloc', '666600000005');
    const d = deps(fakeClock(new Date(standInNow).toISOString()));
    const sent = await m.funding.submitFundingViaApi(d, { applicationId: app.id, programId: PROGRAM, partnerId: 'p-alloc' });
    const partner = (await m.partners.get('p-alloc'))!;
    // Sent: the partner is listed for the funding reconciliation (and not for the opportunities').
    expect(await partnersWithOpenReviews(m.store)).toContainEqual({ partnerId: 'p-alloc', catalog: 'BENEFITS#Sandbox' });
    expect((await m.funding.reconcileFundingAll(d)).map((r) => r.partnerId)).toContain('p-alloc');
    standInNow += 60_000;
    server.standIn.benefits.review(sent.benefitApplicationId, { status: 'APPROVED', amountUsd: '12500.50', startsAt: '2026-12-01T00:00:00.000Z', expiresAt: '2027-12-01T00:00:00.000Z' });
    await m.funding.reconcileFunding(d, partner);
    const record = (await m.applications.get(app.id))!.briefs![0]!.record!;
    expect(record).toMatchObject({ status: 'credits_applied', credits: { amountUsd: '12500.50', appliedOn: '2026-12-01', expiresOn: '2027-12-01' }, funding: { status: 'allocated' } });
    const version = (await m.applications.get(app.id))!.version;
    // APPROVED ones are re-read every run until allocated; once allocated nothing changes.
    expect((await m.funding.reconcileFunding(d, partner))?.outcomes).toEqual({ unchanged: 1 });
    expect((await m.applications.get(app.id))!.version).toBe(version);
    // Allocated: nothing left to follow, so the next runs do not visit the partner.
    expect((await partnersWithOpenReviews(m.store)).map((p) => p.partnerId)).not.toContain('p-alloc');
    expect((await m.funding.reconcileFundingAll(d)).map((r) => r.partnerId)).not.toContain('p-alloc');

    // A second request of the same partner, sent ten minutes later, puts the partner back in the reconciliation: its
    // runs read the open one and no longer the allocated one (they do not grow with a partner's settled history).
    standInNow += 10 * 60_000;
    const other = await seedApproved('p-alloc', '666600000005');
    const later = deps(fakeClock(new Date(standInNow).toISOString()));
    const sentOther = await m.funding.submitFundingViaApi(later, { applicationId: other.id, programId: PROGRAM, partnerId: 'p-alloc' });
    await m.funding.reconcileFunding(later, partner); // the watermark moves to the second one's UpdatedAt
    const readsOf = (id: string) => server.calls.filter((c) => /^PartnerCentralBenefitsService\.Get/.test(c.target) && (c.body as { Identifier?: string }).Identifier === id).length;
    const [allocatedReads, openReads] = [readsOf(sent.benefitApplicationId), readsOf(sentOther.benefitApplicationId)];
    const run = await m.funding.reconcileFunding(later, partner);
    expect(run?.seen).toBe(2);
    expect(readsOf(sentOther.benefitApplicationId)).toBeGreaterThan(openReads);
    expect(readsOf(sent.benefitApplicationId)).toBe(allocatedReads);
  });
});

// Stored items are trusted on read (functions/adapters/dynamo/stored-guard.ts): everything this suite wrote must parse.
it('every item the suite wrote parses against schemas/stored-application.ts', async () => {
  const { checked, problems } = await checkStoredItems(table.endpoint, table.tableName);
  expect(problems).toEqual([]);
  expect(checked.application ?? 0).toBeGreaterThan(0);
});

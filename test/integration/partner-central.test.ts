/**
 * Filing through the Partner Central Selling API and following AWS's review, against dynalite and the local Partner
 * Central stand-in (AWS JSON 1.0, STS AssumeRole query/XML; recorded AWS answers put in front of it where a test needs
 * them) and Step Functions' SendTaskSuccess. Time in the write gate is an injectable fake clock: no sleeps.
 */
import type { Context } from 'aws-lambda';
// Types only: the modules themselves are imported after the endpoints are set (beforeAll).
import { type ApplicationRepository, applyTransition } from '../../functions/adapters/dynamo/applications.ts';
import { createApplication } from '../../functions/adapters/dynamo/applications-intake.ts';
import { saveTaskToken } from '../../functions/adapters/dynamo/applications-tasks.ts';
import { advanceStoredWatermark, getOpportunityMapping, getWatermark, initWatermark, openOpportunities, type PartnerCentralStore, partnersWithOpenReviews, putOpportunityMapping, trackOpen, tryTakeWriteSlot } from '../../functions/adapters/dynamo/partner-central-store.ts';
import { type PartnerRepository, upsertPartnerProfile } from '../../functions/adapters/dynamo/partners.ts';
import type { handler as EventsHandler } from '../../functions/events/partner-central-events.ts';
import type { handler as FilingHandler } from '../../functions/http/partner-filing.ts';
import type * as Access from '../../functions/usecases/partner-central-access.ts';
import type * as Filing from '../../functions/usecases/partner-central-filing.ts';
import type * as Sync from '../../functions/usecases/partner-central-sync.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Application, RecordState } from '../../schemas/application.ts';
import type { PartnerProfile } from '../../schemas/partner.ts';
import type { Clock } from '../../functions/core/clock.ts';
import { TooManyRequestsError } from '../../functions/core/errors.ts';
import { newApplication, newFounderToken } from '../../functions/core/intake.ts';
import { startDynalite, type TestTable } from '../support/dynalite.ts';
import { exampleWorksheet } from '../support/fixtures.ts';
import { fixture, LOCAL_STATE_MACHINE_ARN, startFixtureServer, useLocalPartnerCentral, type FixtureServer } from '../support/partner-central-server.ts';
import { checkStoredItems } from '../support/stored-items.ts';

type Modules = {
  applications: ApplicationRepository;
  partners: PartnerRepository;
  store: PartnerCentralStore;
  usecases: typeof Access & typeof Filing & typeof Sync;
  filingHandler: typeof FilingHandler;
  eventsHandler: typeof EventsHandler;
};

const STATE_MACHINE_ARN = LOCAL_STATE_MACHINE_ARN;
const PROGRAM = 'bedrock-poc';
const FILE_ROUTE = 'POST /partner/applications/{id}/briefs/{programId}/file-via-api';
const OLD = '2026-11-27T08:00:00.000Z';

let table: TestTable;
let server: FixtureServer;
let m: Modules;

beforeAll(async () => {
  table = await startDynalite();
  server = await startFixtureServer();
  useLocalPartnerCentral(table, server);
  const { ApplicationRepository } = await import('../../functions/adapters/dynamo/applications.ts');
  const { PartnerRepository } = await import('../../functions/adapters/dynamo/partners.ts');
  const { PartnerCentralStore } = await import('../../functions/adapters/dynamo/partner-central-store.ts');
  m = {
    applications: new ApplicationRepository(table.tableName),
    partners: new PartnerRepository(table.tableName),
    store: new PartnerCentralStore(table.tableName),
    usecases: {
      ...(await import('../../functions/usecases/partner-central-access.ts')),
      ...(await import('../../functions/usecases/partner-central-filing.ts')),
      ...(await import('../../functions/usecases/partner-central-sync.ts')),
    },
    filingHandler: (await import('../../functions/http/partner-filing.ts')).handler,
    eventsHandler: (await import('../../functions/events/partner-central-events.ts')).handler,
  };
});
afterAll(async () => {
  await server?.stop();
  await table?.stop();
});

// ---- builders ----

function fakeClock(start: string, opts: { advanceOnSleep: boolean } = { advanceOnSleep: true }): Clock & { sleeps: number[] } {
  let t = Date.parse(start);
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => new Date(t),
    sleep: async (ms) => {
      sleeps.push(ms);
      if (opts.advanceOnSleep) t += ms;
    },
  };
}

function deps(clock: Clock = fakeClock('2026-11-27T12:00:00.000Z')) {
  return { applications: m.applications, partners: m.partners, store: m.store, stateMachineArn: STATE_MACHINE_ARN, defaultCatalog: 'Sandbox' as const, clock };
}

async function seedPartner(id: string, account: string, filing: Partial<NonNullable<PartnerProfile['filing']>> | null = {}): Promise<PartnerProfile> {
  const profile: PartnerProfile = {
    id, name: `Partner ${id}`, tier: 'Premier', regions: ['us-east-1'], contactEmail: `${id}@partners.example`,
    strengths: { modelProviders: ['anthropic'], useCases: ['agent'], services: [] }, capacity: 10,
    record: { filings: 10, approvalRate: 0.9, medianDaysToCredits: 12 }, active: true,
    ...(filing === null ? {} : { filing: { roleArn: `arn:aws:iam::${account}:role/AceFilingPartnerCentralFiling`, externalId: `ext-${id}`, ...filing } }),
  };
  await upsertPartnerProfile(m.partners, profile);
  return profile;
}

let appCounter = 0;
async function seedApplication(partnerId: string, record: RecordState, extra: Partial<Application> = {}): Promise<Application> {
  appCounter += 1;
  const id = `app_pc${appCounter}`;
  const base = newApplication({ id, worksheet: exampleWorksheet(), tokenHash: newFounderToken().hash, now: new Date(OLD) });
  const status = record.status === 'draft' ? 'in_partner_review' : record.status;
  const app: Application = {
    ...base,
    status: status as Application['status'],
    version: 2,
    partner: { partnerId, partnerName: partnerId, assignedAt: OLD, reasons: ['test'] },
    briefs: [{
      programId: PROGRAM,
      body: { Catalog: 'AWS', ClientToken: `ace-${id}-${PROGRAM}-1`, Origin: 'Partner Referral', Customer: { Account: { CompanyName: 'Ledgerly Labs' } } },
      problems: [], revision: 1, record,
    }],
    transitions: [...base.transitions, { at: OLD, actor: { kind: 'partner', id: partnerId }, from: 'submitted', to: status as Application['status'], reason: 'seeded', version: 2 }],
    ...extra,
  };
  await createApplication(m.applications, app);
  // The workflow waits for AWS's decision: its token is stored (before anything the tests change).
  await saveTaskToken(m.applications, id, 'aws-decision', `token-${id}-1`, { now: new Date('2026-11-27T08:00:01.000Z'), expiresAt: new Date('2099-01-01T00:00:00Z') });
  return app;
}

/** What AwaitReview does when the workflow enters its next wait: a new token, stored now. */
async function workflowWaitsAgain(id: string, n: number): Promise<void> {
  await saveTaskToken(m.applications, id, 'aws-decision', `token-${id}-${n}`, { now: new Date(), expiresAt: new Date('2099-01-01T00:00:00Z') });
}

function callbacksFor(id: string): unknown[] {
  return server.callsOf('AWSStepFunctions.SendTaskSuccess').filter((c) => String(c.body.taskToken).startsWith(`token-${id}-`)).map((c) => c.body);
}

async function recordOf(id: string): Promise<RecordState | undefined> {
  return (await m.applications.get(id))?.briefs?.[0]?.record;
}

const context = { awsRequestId: 'test', functionName: 'test', functionVersion: '$LATEST', invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:test', memoryLimitInMB: '512', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

async function fileRequest(id: string, partnerId: string): Promise<{ statusCode: number; headers: Record<string, string>; body: Record<string, unknown> }> {
  const event = {
    routeKey: FILE_ROUTE, rawPath: `/partner/applications/${id}/briefs/${PROGRAM}/file-via-api`, headers: {},
    pathParameters: { id, programId: PROGRAM }, isBase64Encoded: false,
    requestContext: { authorizer: { jwt: { claims: { sub: `user-${partnerId}`, 'cognito:groups': '[partner]', 'custom:partnerId': partnerId } } } },
  };
  const res = (await m.filingHandler(event as never, context)) as { statusCode: number; headers: Record<string, string>; body: string };
  return { statusCode: res.statusCode, headers: res.headers, body: JSON.parse(res.body) as Record<string, unknown> };
}

// ---- filing through the API ----

describe('POST …/file-via-api', () => {
  it('files once with the partner role and catalog, records the O-id, maps it, calls back; a repeat creates nothing new', async () => {
    await seedPartner('p-filer', '111100000001', { catalog: 'Sandbox' });
    const app = await seedApplication('p-filer', { status: 'approved_for_filing' });

    const first = await fileRequest(app.id, 'p-filer');
    expect(first.statusCode, JSON.stringify(first.body)).toBe(200);
    const opportunityId = String(first.body.opportunityId);
    expect(opportunityId).toMatch(/^O\d+$/);
    expect(first.body).toMatchObject({ filedVia: 'api', status: 'filed' });

    const creates = server.callsOf('AWSPartnerCentralSelling.CreateOpportunity').filter((c) => c.body.ClientToken === `ace-${app.id}-${PROGRAM}-1`);
    expect(creates).toHaveLength(1);
    expect(creates[0]!.body.Catalog).toBe('Sandbox'); // forced to the partner's catalog (the stored body said AWS)
    expect(creates[0]!.accessKeyId).toBe(server.standIn.accessKeyIdFor('arn:aws:iam::111100000001:role/AceFilingPartnerCentralFiling')); // signed with the assumed role's credentials
    expect(server.assumed).toContainEqual({ roleArn: 'arn:aws:iam::111100000001:role/AceFilingPartnerCentralFiling', externalId: 'ext-p-filer' });

    const record = await recordOf(app.id);
    expect(record).toMatchObject({ status: 'filed', opportunityId, filedVia: 'api' });
    expect(await getOpportunityMapping(m.store, 'Sandbox', opportunityId)).toMatchObject({ applicationId: app.id, programId: PROGRAM, partnerId: 'p-filer' });
    expect(await getWatermark(m.store, 'p-filer', 'Sandbox')).toBeDefined();
    expect(await openOpportunities(m.store, 'p-filer', 'Sandbox')).toEqual([opportunityId]); // followed by the reconciliation
    expect(callbacksFor(app.id)).toEqual([{ taskToken: `token-${app.id}-1`, output: JSON.stringify({ event: 'record-changed', programId: PROGRAM }) }]);

    const again = await fileRequest(app.id, 'p-filer');
    expect(again.statusCode).toBe(200);
    expect(again.body.opportunityId).toBe(opportunityId);
    expect(server.callsOf('AWSPartnerCentralSelling.CreateOpportunity').filter((c) => c.body.ClientToken === `ace-${app.id}-${PROGRAM}-1`)).toHaveLength(1);
    const stored = await m.applications.get(app.id);
    expect(stored?.transitions.filter((t) => t.record?.to === 'filed')).toHaveLength(1);
  });

  it('two simultaneous requests: the second waits for the write slot, gets the same opportunity (ClientToken) and records nothing twice', async () => {
    await seedPartner('p-twice', '111100000002');
    const app = await seedApplication('p-twice', { status: 'approved_for_filing' });
    const clock = fakeClock('2026-11-27T12:00:00.000Z');
    const args = { applicationId: app.id, programId: PROGRAM, partnerId: 'p-twice' };
    const [a, b] = await Promise.all([m.usecases.fileViaApi(deps(clock), args), m.usecases.fileViaApi(deps(clock), args)]);
    expect(a.opportunityId).toBe(b.opportunityId);
    expect(clock.sleeps).toEqual([1000]); // one waited one second for its turn
    const token = `ace-${app.id}-${PROGRAM}-1`;
    expect(server.created.get(token)).toBe(a.opportunityId); // Partner Central made one opportunity for the token
    const stored = await m.applications.get(app.id);
    expect(stored?.transitions.filter((t) => t.record?.to === 'filed')).toHaveLength(1);
    expect(stored?.briefs?.[0]?.record).toMatchObject({ status: 'filed', opportunityId: a.opportunityId, filedVia: 'api' });
  });

  it('maps a ValidationException to 422 with its ErrorList as field problems, and leaves the record as it was', async () => {
    await seedPartner('p-invalid', '111100000003');
    const app = await seedApplication('p-invalid', { status: 'approved_for_filing' });
    server.failNextCreateWith = { status: 400, fixture: 'validation-exception' };
    const res = await fileRequest(app.id, 'p-invalid');
    expect(res.statusCode).toBe(422);
    expect(res.body.problems).toEqual([
      { field: 'Customer.Account.WebsiteUrl', rule: 'Enter a valid website URL. (Partner Central INVALID_STRING_FORMAT)' },
      { field: 'LifeCycle.TargetCloseDate', rule: 'Target close date must be in the future. (Partner Central INVALID_VALUE)' },
    ]);
    expect((await recordOf(app.id))?.status).toBe('approved_for_filing');
    expect(callbacksFor(app.id)).toEqual([]);
  });

  it('maps AccessDenied to 403 naming the role, and leaves the record as it was', async () => {
    await seedPartner('p-denied', '111100000019');
    const app = await seedApplication('p-denied', { status: 'approved_for_filing' });
    server.failNextCreateWith = { status: 400, fixture: 'access-denied-exception' };
    const res = await fileRequest(app.id, 'p-denied');
    expect(res.statusCode).toBe(403);
    expect(String(res.body.message)).toContain('AceFilingPartnerCentral');
    expect((await recordOf(app.id))?.status).toBe('approved_for_filing');
    expect(callbacksFor(app.id)).toEqual([]);
  });

  it('refuses a record not approved for filing (409), another partner\'s application (404), a partner without a role (422)', async () => {
    await seedPartner('p-norole', '111100000004', null);
    await seedPartner('p-other', '111100000005');
    const draft = await seedApplication('p-other', { status: 'draft' });
    expect((await fileRequest(draft.id, 'p-other')).statusCode).toBe(409);
    const approved = await seedApplication('p-other', { status: 'approved_for_filing' });
    expect((await fileRequest(approved.id, 'p-norole')).statusCode).toBe(404);
    const mine = await seedApplication('p-norole', { status: 'approved_for_filing' });
    const res = await fileRequest(mine.id, 'p-norole');
    expect(res.statusCode).toBe(422);
    expect(res.body.problems).toEqual([expect.objectContaining({ field: 'partner.filing.roleArn' })]);
  });

  it('answers 429 with Retry-After when Partner Central itself throttles the write, and leaves the record as it was', async () => {
    // A Partner Central whose write budget for the account is spent (burst 0: every write is throttled). A new role
    // gets new clients, which read the endpoint settings when they are built.
    const throttling = await startFixtureServer({ pace: { writesPerSecond: 1, writeBurst: 0, readsPerSecond: 10, readBurst: 20 } });
    const saved = { sts: process.env.AWS_ENDPOINT_URL_STS, selling: process.env.AWS_ENDPOINT_URL_PARTNERCENTRAL_SELLING };
    Object.assign(process.env, { AWS_ENDPOINT_URL_STS: throttling.endpoint, AWS_ENDPOINT_URL_PARTNERCENTRAL_SELLING: throttling.endpoint });
    try {
      await seedPartner('p-throttled', '111100000031');
      const app = await seedApplication('p-throttled', { status: 'approved_for_filing' });
      const res = await fileRequest(app.id, 'p-throttled');
      expect(res.statusCode).toBe(429);
      expect(res.headers['retry-after']).toBe('1');
      expect(String(res.body.message)).toContain('Partner Central is throttling');
      expect(throttling.callsOf('AWSPartnerCentralSelling.CreateOpportunity')).toHaveLength(1); // no SDK retry of a write
      expect((await recordOf(app.id))?.status).toBe('approved_for_filing');
      expect(callbacksFor(app.id)).toEqual([]);
    } finally {
      Object.assign(process.env, { AWS_ENDPOINT_URL_STS: saved.sts, AWS_ENDPOINT_URL_PARTNERCENTRAL_SELLING: saved.selling });
      await throttling.stop();
    }
  });

  it('answers 429 with Retry-After when the partner account\'s write slot is taken for longer than it waits', async () => {
    await seedPartner('p-busy', '111100000006');
    const app = await seedApplication('p-busy', { status: 'approved_for_filing' });
    const now = Date.now();
    await tryTakeWriteSlot(m.store, '111100000006', new Date(now), now + 60_000); // e.g. another writer far ahead
    const res = await fileRequest(app.id, 'p-busy');
    expect(res.statusCode).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(58);
    expect((await recordOf(app.id))?.status).toBe('approved_for_filing');
  });
});

// ---- the write gate ----

describe('write gate: one Partner Central write per second per partner account', () => {
  it('of simultaneous writers at one instant exactly one gets the slot; the rest wait once, then get 429', async () => {
    const clock = fakeClock('2026-11-27T13:00:00.000Z', { advanceOnSleep: false });
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => m.usecases.takeWriteSlot({ store: m.store, clock }, '222200000001')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused).toHaveLength(4);
    for (const r of refused) {
      expect(r.reason).toBeInstanceOf(TooManyRequestsError);
      expect((r.reason as TooManyRequestsError).retryAfterSeconds).toBe(1);
    }
  });

  it('grants the next write one second later, and other partner accounts at once', async () => {
    const clock = fakeClock('2026-11-27T14:00:00.000Z');
    const gate = { store: m.store, clock };
    await m.usecases.takeWriteSlot(gate, '222200000002');
    await m.usecases.takeWriteSlot({ store: m.store, clock: fakeClock('2026-11-27T14:00:00.000Z') }, '222200000003'); // another account
    await m.usecases.takeWriteSlot(gate, '222200000002'); // waits for the slot
    expect(clock.sleeps).toEqual([1000]);
    expect(clock.now().toISOString()).toBe('2026-11-27T14:00:01.000Z');
    await m.usecases.takeWriteSlot(gate, '222200000002');
    expect(clock.sleeps).toEqual([1000, 1000]); // never two writes within one second
  });
});

// ---- EventBridge events ----

describe('Opportunity Updated events', () => {
  function eventFor(opportunityId: string, id: string): Record<string, unknown> {
    const e = fixture('opportunity-updated-event');
    return { ...e, id, detail: { ...(e.detail as object), opportunity: { identifier: opportunityId } } };
  }

  async function filedApp(partnerId: string, opportunityId: string, status: RecordState['status'] = 'filed'): Promise<Application> {
    const app = await seedApplication(partnerId, { status, opportunityId, filedAt: OLD, filedVia: 'api' });
    await putOpportunityMapping(m.store, { catalog: 'Sandbox', opportunityId, applicationId: app.id, programId: PROGRAM, partnerId }, new Date());
    return app;
  }

  it('moves the record to Action Required with AWS\'s comments and calls back once; a duplicate delivery is ignored', async () => {
    await seedPartner('p-sync', '333300000001');
    const event = fixture('opportunity-updated-event'); // O1234567, as recorded
    const app = await filedApp('p-sync', 'O1234567');
    server.opportunities.set('O1234567', 'get-opportunity-action-required');

    const first = await m.eventsHandler(event, context);
    expect(first).toEqual({ outcome: 'applied' });
    const record = await recordOf(app.id);
    expect(record?.status).toBe('action_required');
    expect(record?.awsReview).toMatchObject({
      comments: 'The customer website does not resolve; provide the company\'s public website.',
      reason: 'Customer website is invalid',
    });
    const stored = await m.applications.get(app.id);
    expect(stored?.status).toBe('action_required');
    expect(stored?.transitions.at(-1)).toMatchObject({ actor: { kind: 'system', id: 'partner-central' }, record: { programId: PROGRAM, from: 'filed', to: 'action_required' } });
    expect(callbacksFor(app.id)).toHaveLength(1);

    expect(await m.eventsHandler(event, context)).toEqual({ outcome: 'duplicate' });
    expect(callbacksFor(app.id)).toHaveLength(1);
    expect(server.callsOf('AWSPartnerCentralSelling.GetOpportunity').filter((c) => c.body.Identifier === 'O1234567')).toHaveLength(1);
    expect((await m.applications.get(app.id))?.transitions.filter((t) => t.record?.to === 'action_required')).toHaveLength(1);
  });

  it('a later event (new id) with the same status changes nothing once the workflow waits again; Approved then moves it on', async () => {
    await seedPartner('p-sync2', '333300000002');
    const app = await filedApp('p-sync2', 'O3000001');
    server.opportunities.set('O3000001', 'get-opportunity-action-required');
    const d = deps();
    expect(await m.usecases.handleOpportunityEvent(d, eventFor('O3000001', 'evt-a1'))).toBe('applied');
    await workflowWaitsAgain(app.id, 2);
    expect(await m.usecases.handleOpportunityEvent(d, eventFor('O3000001', 'evt-a2'))).toBe('unchanged');
    expect(callbacksFor(app.id)).toHaveLength(1);

    server.opportunities.set('O3000001', 'get-opportunity-approved');
    expect(await m.usecases.handleOpportunityEvent(d, eventFor('O3000001', 'evt-a3'))).toBe('applied');
    expect((await recordOf(app.id))?.status).toBe('approved');
    expect(callbacksFor(app.id)).toHaveLength(2);
  });

  it('Rejected carries the closed-lost reason', async () => {
    await seedPartner('p-sync3', '333300000003');
    const app = await filedApp('p-sync3', 'O3000002', 'in_aws_review');
    server.opportunities.set('O3000002', 'get-opportunity-rejected');
    expect(await m.usecases.handleOpportunityEvent(deps(), eventFor('O3000002', 'evt-r1'))).toBe('applied');
    const record = await recordOf(app.id);
    expect(record?.status).toBe('rejected');
    expect(record?.awsReview).toMatchObject({ reason: 'No Opportunity', comments: 'Duplicate of an existing opportunity for this customer.' });
    expect((await m.applications.get(app.id))?.status).toBe('rejected');
  });

  it('a change written before a crash (callback lost) is called back when the status is seen again', async () => {
    await seedPartner('p-sync4', '333300000004');
    const app = await filedApp('p-sync4', 'O3000003');
    server.opportunities.set('O3000003', 'get-opportunity-approved');
    // The write happened, the callback did not: apply the same plan without its effects.
    const { planSyncedReview, reviewFromLifeCycle } = await import('../../functions/core/ace/partner-central-rules.ts');
    const review = reviewFromLifeCycle({ ReviewStatus: 'Approved' })!;
    const current = (await m.applications.get(app.id))!;
    const plan = planSyncedReview({ app: current, programId: PROGRAM, review, now: new Date() });
    if (plan.kind !== 'apply' || plan.command.kind !== 'apply') throw new Error('expected a plan');
    await applyTransition(m.applications, current, plan.command.plan, plan.command.changes);
    expect(callbacksFor(app.id)).toHaveLength(0);

    expect(await m.usecases.handleOpportunityEvent(deps(), eventFor('O3000003', 'evt-c1'))).toBe('caught-up');
    expect(callbacksFor(app.id)).toHaveLength(1);
    expect((await m.applications.get(app.id))?.transitions.filter((t) => t.record?.to === 'approved')).toHaveLength(1);
  });

  it('ignores events for opportunities this service did not file, and gives the claim back when handling fails', async () => {
    expect(await m.usecases.handleOpportunityEvent(deps(), eventFor('O9999999', 'evt-x1'))).toBe('not-ours');
    await seedPartner('p-sync5', '333300000005');
    await filedApp('p-sync5', 'O3000004');
    // No GetOpportunity answer: ResourceNotFound → the handler fails, EventBridge retries the same event id.
    await expect(m.usecases.handleOpportunityEvent(deps(), eventFor('O3000004', 'evt-f1'))).rejects.toThrow();
    server.opportunities.set('O3000004', 'get-opportunity-approved');
    expect(await m.usecases.handleOpportunityEvent(deps(), eventFor('O3000004', 'evt-f1'))).toBe('applied');
  });
});

// ---- reconciliation ----

describe('reconciliation through ListOpportunities', () => {
  it('a later filing keeps the watermark it finds, and the watermark only ever moves forward', async () => {
    // initWatermark runs at every API filing: moving an existing watermark forward would skip the changes between.
    await initWatermark(m.store, 'p-marks', 'Sandbox', '2026-11-27T11:00:00.000Z');
    await initWatermark(m.store, 'p-marks', 'Sandbox', '2026-11-27T13:00:00.000Z');
    expect(await getWatermark(m.store, 'p-marks', 'Sandbox')).toBe('2026-11-27T11:00:00.000Z');
    await advanceStoredWatermark(m.store, 'p-marks', 'Sandbox', '2026-11-27T12:00:00.000Z');
    expect(await getWatermark(m.store, 'p-marks', 'Sandbox')).toBe('2026-11-27T12:00:00.000Z');
    // A slower concurrent run that read less never moves it back.
    await advanceStoredWatermark(m.store, 'p-marks', 'Sandbox', '2026-11-27T11:30:00.000Z');
    expect(await getWatermark(m.store, 'p-marks', 'Sandbox')).toBe('2026-11-27T12:00:00.000Z');
  });

  it('catches changes whose events were lost, across pages, and advances the watermark only then', async () => {
    const partner = await seedPartner('p-recon', '444400000001');
    const approved = await seedApplication('p-recon', { status: 'in_aws_review', opportunityId: 'O2000001', filedAt: OLD, filedVia: 'api' });
    const inReview = await seedApplication('p-recon', { status: 'filed', opportunityId: 'O2000002', filedAt: OLD, filedVia: 'api' });
    for (const [app, id] of [[approved, 'O2000001'], [inReview, 'O2000002']] as const) {
      await putOpportunityMapping(m.store, { catalog: 'Sandbox', opportunityId: id, applicationId: app.id, programId: PROGRAM, partnerId: 'p-recon' }, new Date());
    }
    await initWatermark(m.store, 'p-recon', 'Sandbox', '2026-11-27T11:00:00.000Z');
    const profile = (await m.partners.get('p-recon'))!;
    expect(profile.filing).toEqual(partner.filing);

    // A failing second page: nothing is lost, the watermark stays.
    server.listPages = ['list-opportunities-page-1', 'missing-page'];
    await expect(m.usecases.reconcilePartner(deps(), profile)).rejects.toThrow();
    expect(await getWatermark(m.store, 'p-recon', 'Sandbox')).toBe('2026-11-27T11:00:00.000Z');
    // Page 1 was applied before the failure (and called back); the workflow has moved on to its next wait since.
    expect((await recordOf(inReview.id))?.status).toBe('in_aws_review');
    expect(callbacksFor(inReview.id)).toHaveLength(1);
    await workflowWaitsAgain(inReview.id, 2);

    server.listPages = ['list-opportunities-page-1', 'list-opportunities-page-2'];
    const before = server.callsOf('AWSPartnerCentralSelling.ListOpportunities').length;
    const result = await m.usecases.reconcilePartner(deps(), profile);
    const lists = server.callsOf('AWSPartnerCentralSelling.ListOpportunities').slice(before);
    expect(lists).toHaveLength(2);
    expect(lists[0]!.body).toMatchObject({ Catalog: 'Sandbox', LastModifiedDate: { AfterLastModifiedDate: '2026-11-27T10:55:00Z' }, Sort: { SortBy: 'LastModifiedDate', SortOrder: 'ASCENDING' } });
    expect(lists[1]!.body.NextToken).toBe(fixture('list-opportunities-page-1').NextToken);
    expect(lists[0]!.accessKeyId).toBe(server.standIn.accessKeyIdFor('arn:aws:iam::444400000001:role/AceFilingPartnerCentralFiling'));

    expect(result?.seen).toBe(3);
    expect((await recordOf(approved.id))?.status).toBe('approved');
    expect((await recordOf(inReview.id))?.status).toBe('in_aws_review');
    expect(callbacksFor(approved.id)).toHaveLength(1);
    expect(callbacksFor(inReview.id)).toHaveLength(1);
    expect(await getWatermark(m.store, 'p-recon', 'Sandbox')).toBe('2026-11-27T12:10:00.000Z');

    // The next run sees the same summaries (overlap): nothing changes, nobody is called again.
    await workflowWaitsAgain(approved.id, 2);
    const again = await m.usecases.reconcilePartner(deps(), profile);
    expect(again?.outcomes).toEqual({ unchanged: 2 });
    expect(callbacksFor(approved.id)).toHaveLength(1);
    expect(callbacksFor(inReview.id)).toHaveLength(1);
    expect(await getWatermark(m.store, 'p-recon', 'Sandbox')).toBe('2026-11-27T12:10:00.000Z');
  });
});

describe('reconciliation follows only the partners with records in AWS review (issue 11 §3)', () => {
  it('skips a partner with a role and nothing in review, and drops a partner once its last record is decided', async () => {
    await seedPartner('p-open', '444400000011');
    await seedPartner('p-idle', '444400000012');
    const inReview = await seedApplication('p-open', { status: 'in_aws_review', opportunityId: 'O2000001', filedAt: OLD, filedVia: 'api' });
    const filed = await seedApplication('p-open', { status: 'filed', opportunityId: 'O2000002', filedAt: OLD, filedVia: 'api' });
    for (const [app, id] of [[inReview, 'O2000001'], [filed, 'O2000002']] as const) {
      await putOpportunityMapping(m.store, { catalog: 'Sandbox', opportunityId: id, applicationId: app.id, programId: PROGRAM, partnerId: 'p-open' }, new Date());
      await trackOpen(m.store, 'p-open', 'Sandbox', id);
    }
    await trackOpen(m.store, 'p-open', 'Sandbox', 'O2000002'); // a repeat changes nothing
    await initWatermark(m.store, 'p-open', 'Sandbox', '2026-11-27T11:00:00.000Z');
    // p-idle filed once, long ago, and everything it filed was decided: a watermark, nothing open.
    await initWatermark(m.store, 'p-idle', 'Sandbox', '2026-11-27T11:00:00.000Z');
    expect(await openOpportunities(m.store, 'p-open', 'Sandbox')).toEqual(['O2000001', 'O2000002']);
    expect(await partnersWithOpenReviews(m.store)).toContainEqual({ partnerId: 'p-open', catalog: 'Sandbox' });
    expect((await partnersWithOpenReviews(m.store)).map((p) => p.partnerId)).not.toContain('p-idle');

    const idleKey = server.standIn.accessKeyIdFor('arn:aws:iam::444400000012:role/AceFilingPartnerCentralFiling');
    const openKey = server.standIn.accessKeyIdFor('arn:aws:iam::444400000011:role/AceFilingPartnerCentralFiling');
    server.listPages = ['list-opportunities-page-1', 'list-opportunities-page-2'];
    const before = server.callsOf('AWSPartnerCentralSelling.ListOpportunities').length;
    const results = await m.usecases.reconcileAll(deps());
    const lists = server.callsOf('AWSPartnerCentralSelling.ListOpportunities').slice(before);
    expect(results.map((r) => r.partnerId)).toContain('p-open');
    expect(results.map((r) => r.partnerId)).not.toContain('p-idle');
    expect(lists.some((c) => c.accessKeyId === openKey)).toBe(true);
    expect(lists.some((c) => c.accessKeyId === idleKey)).toBe(false);

    // O2000001 came back Approved: it left the set; O2000002 is still in review, so p-open stays listed.
    expect((await recordOf(inReview.id))?.status).toBe('approved');
    expect(await openOpportunities(m.store, 'p-open', 'Sandbox')).toEqual(['O2000002']);
    expect((await partnersWithOpenReviews(m.store)).map((p) => p.partnerId)).toContain('p-open');

    // Its last record decided (Rejected, by event or by the next run): p-open leaves the partition.
    await m.applications.get(filed.id).then(async (app) => {
      const mapping = (await getOpportunityMapping(m.store, 'Sandbox', 'O2000002'))!;
      expect(app && mapping.partnerId).toBe('p-open');
      await m.usecases.applyObservedReview(deps(), mapping, { opportunityId: 'O2000002', lifeCycle: { ReviewStatus: 'Rejected', ClosedLostReason: 'Other' } } as never);
    });
    expect((await recordOf(filed.id))?.status).toBe('rejected');
    expect(await openOpportunities(m.store, 'p-open', 'Sandbox')).toEqual([]);
    expect((await partnersWithOpenReviews(m.store)).map((p) => p.partnerId)).not.toContain('p-open');
    // Its watermark is kept for the next filing.
    expect(await getWatermark(m.store, 'p-open', 'Sandbox')).toBe('2026-11-27T12:10:00.000Z');
  });
});

// Stored items are trusted on read (functions/adapters/dynamo/stored-guard.ts): everything this suite wrote must parse.
it('every item the suite wrote parses against schemas/stored-application.ts', async () => {
  const { checked, problems } = await checkStoredItems(table.endpoint, table.tableName);
  expect(problems).toEqual([]);
  expect(checked.application ?? 0).toBeGreaterThan(0);
});

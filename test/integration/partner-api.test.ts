/**
 * The partner's and founder's human steps through the real route handlers, against dynalite and the local Step
 * Functions API (a one-wait state machine that stores its token through the real repository): authorization,
 * convergence of repeated and concurrent requests, the DB-write-then-callback order and its crash, ETag/If-Match,
 * validation errors that name field and rule, and likely duplicates.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApplicationRepository, applyTransition } from '../../functions/adapters/dynamo/applications.ts';
import { createApplication } from '../../functions/adapters/dynamo/applications-intake.ts';
import { getTaskToken, saveTaskToken } from '../../functions/adapters/dynamo/applications-tasks.ts';
import { bookPartner, type PartnerRepository, upsertPartnerProfile } from '../../functions/adapters/dynamo/partners.ts';
import { startDynalite, type TestTable } from '../support/dynalite.ts';
import { exampleWorksheetJson } from '../support/fixtures.ts';
import { startLocalSfn, SM_ARN, type LocalSfn } from '../support/local-sfn.ts';
import { call, partnerClaims, type Request, type Response } from '../support/http-events.ts';
import { newApplication, newFounderToken } from '../../functions/core/intake.ts';
import { planTransition } from '../../functions/core/application/lifecycle.ts';
import { estimate } from '../../functions/core/estimate.ts';
import { draftBriefs } from '../../functions/core/ace/draft.ts';
import { dedupeValues } from '../../functions/core/dedupe.ts';
import type { Application } from '../../schemas/application.ts';
import { Worksheet } from '../../schemas/worksheet.ts';
import type { PartnerProfile } from '../../schemas/partner.ts';
import { checkStoredItems } from '../support/stored-items.ts';
import { PROTO_KEY_RULE } from '../../functions/http/middleware.ts';

type Repos = {
  applications: ApplicationRepository;
  partners: PartnerRepository;
};
type RouteHandler = Parameters<typeof call>[0];

let table: TestTable;
let sfn: LocalSfn;
let repos: Repos;
let partnerHandler: RouteHandler;
let partnerBriefsHandler: RouteHandler;
let partnerApproveHandler: RouteHandler;
let partnerRecordsHandler: RouteHandler;
let founderHandler: RouteHandler;
let founderReviseHandler: RouteHandler;

const A = 'p-alpha';
const B = 'p-beta';
const system = { kind: 'system', id: 'test' } as const;

function profile(id: string): PartnerProfile {
  return {
    id, name: `Partner ${id}`, tier: 'Premier', regions: ['us-east-1'], contactEmail: `${id}@example.com`,
    strengths: { modelProviders: ['anthropic'], useCases: ['rag-assistant'], services: [] }, capacity: 50,
    record: { filings: 10, approvalRate: 0.8, medianDaysToCredits: 20 }, active: true,
  };
}

beforeAll(async () => {
  table = await startDynalite();
  sfn = await startLocalSfn(async (applicationId, kind, token) => {
    const now = new Date();
    await saveTaskToken(repos.applications, applicationId, kind, token, { now, expiresAt: new Date(now.getTime() + 86_400_000) });
  });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
    AWS_ENDPOINT_URL_SFN: sfn.url,
    TABLE_NAME: table.tableName,
    STATE_MACHINE_ARN: SM_ARN,
  });
  const { ApplicationRepository } = await import('../../functions/adapters/dynamo/applications.ts');
  const { PartnerRepository } = await import('../../functions/adapters/dynamo/partners.ts');
  repos = { applications: new ApplicationRepository(table.tableName), partners: new PartnerRepository(table.tableName) };
  partnerHandler = (await import('../../functions/http/partner.ts')).handler as unknown as RouteHandler;
  partnerBriefsHandler = (await import('../../functions/http/partner-briefs.ts')).handler as unknown as RouteHandler;
  partnerApproveHandler = (await import('../../functions/http/partner-approve.ts')).handler as unknown as RouteHandler;
  partnerRecordsHandler = (await import('../../functions/http/partner-records.ts')).handler as unknown as RouteHandler;
  founderHandler = (await import('../../functions/http/founder.ts')).handler as unknown as RouteHandler;
  founderReviseHandler = (await import('../../functions/http/founder-revise.ts')).handler as unknown as RouteHandler;
  await upsertPartnerProfile(repos.partners, profile(A));
  await upsertPartnerProfile(repos.partners, profile(B));
});
afterAll(async () => {
  await sfn?.close();
  await table?.stop();
});

let counter = 0;
interface Seeded {
  readonly id: string;
  readonly founderToken: string;
  readonly executionArn: string;
}

function worksheetFor(n: number, patch: (ws: Record<string, unknown>) => void = () => undefined): Worksheet {
  const json = structuredClone(exampleWorksheetJson) as { company: Record<string, unknown>; aws: Record<string, unknown> };
  json.company.name = `Company ${n}`;
  json.company.website = `https://company${n}.example.com`;
  json.aws.accountId = String(100000000000 + n);
  patch(json as unknown as Record<string, unknown>);
  return Worksheet.parse(json);
}

/** An application as the workflow leaves it: sized, drafted, routed to `partnerId`, waiting on the partner review. */
async function seedInReview(partnerId: string, worksheet?: Worksheet): Promise<Seeded> {
  counter += 1;
  const id = `app_api${counter}_${Date.now().toString(36)}`;
  const ws = worksheet ?? worksheetFor(counter);
  const now = new Date();
  const { token, hash } = newFounderToken();
  await (await import('../../functions/adapters/dynamo/applications-intake.ts')).putDedupeItems(repos.applications, id, dedupeValues(ws), now);
  const created = newApplication({ id, worksheet: ws, tokenHash: hash, now });
  await createApplication(repos.applications, created);
  const est = estimate(ws, { now });
  let app: Application = await applyTransition(repos.applications, created, planTransition({ current: 'submitted', version: 1, to: 'sized', actor: system, reason: 'sized', now }), { estimate: est });
  const briefs = draftBriefs(ws, est.plan.filings, { now, catalog: 'Sandbox', applicationId: id, revision: 1 });
  app = await applyTransition(repos.applications, app, planTransition({ current: 'sized', version: app.version, to: 'drafted', actor: system, reason: 'drafted', now }), {
    briefs: briefs.map((b) => ({ programId: b.programId, body: b.body as Record<string, unknown>, problems: b.problems, revision: 1, record: { status: 'draft' as const } })),
  });
  expect(await bookPartner(repos.partners, partnerId, id)).toBe(true);
  app = await applyTransition(repos.applications, app, planTransition({ current: 'drafted', version: app.version, to: 'routed', actor: system, reason: 'routed', now }), {
    partner: { partnerId, partnerName: `Partner ${partnerId}`, assignedAt: now.toISOString(), reasons: ['test'] },
  });
  await applyTransition(repos.applications, app, planTransition({ current: 'routed', version: app.version, to: 'in_partner_review', actor: system, reason: 'waiting', now }));
  const executionArn = await sfn.wait(id, 'partner-review');
  return { id, founderToken: token, executionArn };
}

// The brief edit, the approval and the record changes are functions of their own (lib/constructs/api.ts), as API
// Gateway routes them.
const PARTNER_RECORDS_ROUTES = ['filed', 'aws-review', 'credits'].map((kind) => `POST /partner/applications/{id}/briefs/{programId}/${kind}`);
const partnerFunction = (routeKey: string): RouteHandler =>
  routeKey === 'PATCH /partner/applications/{id}/briefs/{programId}' ? partnerBriefsHandler
    : routeKey === 'POST /partner/applications/{id}/approve' ? partnerApproveHandler
      : PARTNER_RECORDS_ROUTES.includes(routeKey) ? partnerRecordsHandler : partnerHandler;
const partner = (partnerId: string | undefined, req: Omit<Request, 'claims'>, groups?: string): Promise<Response> =>
  call(partnerFunction(req.routeKey), { ...req, claims: partnerClaims(partnerId, groups) });
// The revision route is its own function (lib/constructs/api.ts), as API Gateway routes it.
const founder = (token: string, req: Omit<Request, 'headers'>): Promise<Response> =>
  call(req.routeKey === 'POST /applications/{id}/revisions' ? founderReviseHandler : founderHandler, { ...req, headers: { authorization: `Bearer ${token}` } });

const approve = (partnerId: string, id: string) => partner(partnerId, { routeKey: 'POST /partner/applications/{id}/approve', pathParameters: { id } });
const getApp = (partnerId: string, id: string) => partner(partnerId, { routeKey: 'GET /partner/applications/{id}', pathParameters: { id } });
const patchBrief = (partnerId: string, id: string, programId: string, body: unknown, ifMatch?: string) =>
  partner(partnerId, {
    routeKey: 'PATCH /partner/applications/{id}/briefs/{programId}', pathParameters: { id, programId }, body,
    headers: ifMatch ? { 'if-match': ifMatch } : {},
  });
const recordRoute = (kind: 'filed' | 'aws-review' | 'credits', partnerId: string, id: string, programId: string, body: unknown) =>
  partner(partnerId, { routeKey: `POST /partner/applications/{id}/briefs/{programId}/${kind}`, pathParameters: { id, programId }, body });

async function load(partnerId: string): Promise<number> {
  return (await repos.partners.get(partnerId))?.load ?? -1;
}

describe('authorization', () => {
  it('a partner sees and touches only applications assigned to them (404 otherwise, like a missing id)', async () => {
    const mine = await seedInReview(A);
    const theirs = await seedInReview(B);
    expect((await getApp(A, mine.id)).status).toBe(200);
    const probes = [
      await getApp(A, theirs.id),
      await approve(A, theirs.id),
      await partner(A, { routeKey: 'POST /partner/applications/{id}/decline', pathParameters: { id: theirs.id }, body: { reason: 'not my kind of work' } }),
      await patchBrief(A, theirs.id, 'bedrock-poc', { Project: { Title: 'x' } }, '"1-x"'),
      await partner(A, { routeKey: 'GET /partner/applications/{id}/briefs/{programId}/create-opportunity', pathParameters: { id: theirs.id, programId: 'bedrock-poc' } }),
      await recordRoute('filed', A, theirs.id, 'bedrock-poc', { opportunityId: 'O123' }),
      await getApp(A, 'app_does_not_exist'),
    ];
    for (const r of probes) expect(r.status).toBe(404);
    expect(probes[0]!.body.message).toBe(`Application ${theirs.id} not found`);
    expect(probes[6]!.body.message).toBe('Application app_does_not_exist not found');
    // Nothing moved on B's application.
    expect((await repos.applications.get(theirs.id))?.status).toBe('in_partner_review');
    expect((await sfn.status(theirs.executionArn)).status).toBe('RUNNING');
  });

  it('needs the partner group and a custom:partnerId claim', async () => {
    const app = await seedInReview(A);
    expect((await call(partnerHandler, { routeKey: 'GET /partner/applications' })).status).toBe(401);
    expect((await partner(A, { routeKey: 'GET /partner/applications/{id}', pathParameters: { id: app.id } }, '[ops]')).status).toBe(403);
    const noClaim = await partner(undefined, { routeKey: 'GET /partner/applications' });
    expect(noClaim.status).toBe(403);
    expect(noClaim.body.message).toMatch(/custom:partnerId/);
    // Both renderings of the groups claim are accepted.
    expect((await partner(A, { routeKey: 'GET /partner/applications/{id}', pathParameters: { id: app.id } }, '[ops partner]')).status).toBe(200);
  });

  it("a founder token opens only its own application", async () => {
    const one = await seedInReview(A);
    const two = await seedInReview(A);
    expect((await founder(one.founderToken, { routeKey: 'GET /applications/{id}', pathParameters: { id: one.id } })).status).toBe(200);
    for (const routeKey of ['GET /applications/{id}', 'POST /applications/{id}/withdraw']) {
      const r = await founder(one.founderToken, { routeKey, pathParameters: { id: two.id } });
      expect(r.status, routeKey).toBe(404);
    }
    const revise = await founder(one.founderToken, { routeKey: 'POST /applications/{id}/revisions', pathParameters: { id: two.id }, body: exampleWorksheetJson });
    expect(revise.status).toBe(404);
    expect((await call(founderHandler, { routeKey: 'POST /applications/{id}/withdraw', pathParameters: { id: one.id } })).status).toBe(401);
    expect((await repos.applications.get(two.id))?.status).toBe('in_partner_review');
  });
});

describe('the review queue and the application view', () => {
  it('lists only your applications, oldest first, filtered by status, paginated', async () => {
    const first = await seedInReview(B);
    const second = await seedInReview(B);
    const page1 = await partner(B, { routeKey: 'GET /partner/applications', query: { status: 'in_partner_review', limit: '1' } });
    expect(page1.status).toBe(200);
    const items1 = page1.body.items as { id: string; status: string; records: unknown[] }[];
    expect(items1).toHaveLength(1);
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    const all: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await partner(B, { routeKey: 'GET /partner/applications', query: { status: 'in_partner_review', limit: '2', ...(cursor ? { cursor } : {}) } });
      all.push(...(page.body.items as { id: string }[]).map((i) => i.id));
      cursor = (page.body.nextCursor as string | null) ?? undefined;
    } while (cursor);
    expect(all.indexOf(first.id)).toBeLessThan(all.indexOf(second.id));
    const mineOnly = await partner(A, { routeKey: 'GET /partner/applications', query: { limit: '100' } });
    expect((mineOnly.body.items as { id: string }[]).map((i) => i.id)).not.toContain(first.id);
    const bad = await partner(B, { routeKey: 'GET /partner/applications', query: { limit: '0', status: 'nope' } });
    expect(bad.status).toBe(400);
    expect(bad.body.problems).toEqual(expect.arrayContaining([
      { field: 'query.limit', rule: 'must be >= 1' },
      expect.objectContaining({ field: 'query.status', rule: expect.stringMatching(/^must be one of: /) }),
    ]));
  });

  it('shows worksheet, estimate, briefs with validation and ETag, record statuses, timeline; exports the exact body', async () => {
    const app = await seedInReview(A);
    const view = await getApp(A, app.id);
    expect(view.status).toBe(200);
    const briefs = view.body.briefs as { programId: string; etag: string; validation: { valid: boolean }; record: { status: string }; createOpportunity: unknown }[];
    expect(briefs.map((b) => b.programId)).toEqual(['bedrock-poc', 'activate-portfolio']);
    for (const b of briefs) {
      expect(b.etag).toMatch(/^"1-[A-Za-z0-9_-]{16}"$/);
      expect(b.validation.valid).toBe(true);
      expect(b.record.status).toBe('draft');
    }
    expect(view.body).toMatchObject({ status: 'in_partner_review', worksheet: { company: { name: expect.any(String) } }, estimate: expect.any(Object) });
    expect((view.body.timeline as { to: string }[]).map((t) => t.to)).toEqual(['submitted', 'sized', 'drafted', 'routed', 'in_partner_review']);
    const exported = await partner(A, { routeKey: 'GET /partner/applications/{id}/briefs/{programId}/create-opportunity', pathParameters: { id: app.id, programId: 'bedrock-poc' } });
    expect(exported.status).toBe(200);
    expect(exported.body).toEqual(briefs[0]!.createOpportunity);
    expect(exported.headers.etag).toBe(briefs[0]!.etag);
    expect(exported.body).toMatchObject({ Catalog: 'Sandbox', Origin: 'Partner Referral', ClientToken: expect.any(String) });
  });

  it('flags likely duplicates on AWS account id, website domain and company name, with links only to your own', async () => {
    const base = worksheetFor(9001);
    const original = await seedInReview(A, base);
    const sameAccount = await seedInReview(B, worksheetFor(9002, (ws) => { (ws.aws as Record<string, unknown>).accountId = base.aws.accountId; }));
    const sameDomainAndName = await seedInReview(A, worksheetFor(9003, (ws) => {
      const c = ws.company as Record<string, unknown>;
      c.website = 'http://WWW.company9001.example.com/about';
      c.name = 'Company 9001, Inc.';
    }));
    await seedInReview(A, worksheetFor(9004));
    const view = await getApp(A, original.id);
    const dupes = view.body.duplicates as { applicationId: string; matchedOn: string[]; assignedToYou: boolean; link: string | null; records: unknown[] }[];
    expect(dupes.map((d) => [d.applicationId, d.matchedOn, d.assignedToYou, d.link])).toEqual([
      [sameAccount.id, ['account'], false, null],
      [sameDomainAndName.id, ['domain', 'company'], true, `/partner/applications/${sameDomainAndName.id}`],
    ]);
    expect(dupes[0]!.records).toEqual([
      { programId: 'bedrock-poc', status: 'draft', opportunityId: null },
      { programId: 'activate-portfolio', status: 'draft', opportunityId: null },
    ]);
  });
  // Anyone can submit a worksheet naming a target's AWS account, website or company, with any company name they like:
  // before its address is confirmed (and while no partner has it) such an application has reached nobody, and the
  // target's partner must not see it, its text or its status as a likely duplicate.
  it('leaves out of the likely duplicates applications that reached nobody: address never confirmed, no partner', async () => {
    const base = worksheetFor(9101);
    const original = await seedInReview(A, base);
    const strangers: string[] = [];
    for (const status of ['drafted', 'withdrawn'] as const) {
      const ws = worksheetFor(9102 + strangers.length, (w) => {
        (w.aws as Record<string, unknown>).accountId = base.aws.accountId;
        (w.company as Record<string, unknown>).name = 'Company 9101 - DO NOT FILE: fraud, call +1 555 0100';
      });
      const id = `app_stranger${strangers.length}_${Date.now().toString(36)}`;
      const now = new Date();
      await (await import('../../functions/adapters/dynamo/applications-intake.ts')).putDedupeItems(repos.applications, id, dedupeValues(ws), now);
      const created = newApplication({ id, worksheet: ws, tokenHash: newFounderToken().hash, now });
      await createApplication(repos.applications, created);
      let app: Application = await applyTransition(repos.applications, created, planTransition({ current: 'submitted', version: 1, to: 'sized', actor: system, reason: 'sized', now }));
      app = await applyTransition(repos.applications, app, planTransition({ current: 'sized', version: app.version, to: 'drafted', actor: system, reason: 'drafted', now }));
      if (status === 'withdrawn') await applyTransition(repos.applications, app, planTransition({ current: 'drafted', version: app.version, to: 'withdrawn', actor: { kind: 'founder', id: 'founder' }, reason: 'withdrawn', now }));
      strangers.push(id);
    }
    // One that did reach a partner (the founder confirmed the address) is still flagged.
    const confirmedElsewhere = await seedInReview(B, worksheetFor(9110, (w) => { (w.aws as Record<string, unknown>).accountId = base.aws.accountId; }));
    const view = await getApp(A, original.id);
    expect(view.status).toBe(200);
    const ids = (view.body.duplicates as { applicationId: string }[]).map((d) => d.applicationId);
    expect(ids).toEqual([confirmedElsewhere.id]);
    expect(JSON.stringify(view.body.duplicates)).not.toContain('DO NOT FILE');
  });
});

describe('editing a brief (JSON Merge Patch, If-Match)', () => {
  it('refuses a `__proto__` member anywhere in the patch (400 naming it), changing nothing: merged by assignment it would set a prototype, a field validation reads and the store drops', async () => {
    const app = await seedInReview(A);
    const etag = ((await getApp(A, app.id)).body.briefs as { etag: string }[])[0]!.etag;
    const before = await repos.applications.get(app.id);
    const crafted = await patchBrief(A, app.id, 'bedrock-poc', '{"Project":{"Title":"Ledger assistant proof of concept"},"Customer":{"Account":{"__proto__":{"Duns":"123456789"}}}}', etag);
    expect(crafted.status).toBe(400);
    expect(crafted.body.problems).toEqual([{ field: 'Customer.Account.__proto__', rule: PROTO_KEY_RULE }]);
    expect((await repos.applications.get(app.id))?.version).toBe(before?.version);
  });

  it('428 without If-Match, 412 with a stale one (naming the current ETag), 200 with a new ETag and re-validation', async () => {
    const app = await seedInReview(A);
    const view = await getApp(A, app.id);
    const etag = (view.body.briefs as { etag: string }[])[0]!.etag;
    const missing = await patchBrief(A, app.id, 'bedrock-poc', { Project: { Title: 'Ledger assistant proof of concept' } });
    expect(missing.status).toBe(428);

    const ok = await patchBrief(A, app.id, 'bedrock-poc', { Project: { Title: 'Ledger assistant proof of concept' } }, etag);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ revision: 2, validation: { valid: true }, createOpportunity: { Project: { Title: 'Ledger assistant proof of concept' } } });
    expect(ok.headers.etag).toBe(ok.body.etag);
    expect(ok.body.etag).not.toBe(etag);

    // The same change again with the old ETag: already in place, so it converges to the current brief (200).
    const repeated = await patchBrief(A, app.id, 'bedrock-poc', { Project: { Title: 'Ledger assistant proof of concept' } }, etag);
    expect(repeated.status).toBe(200);
    expect(repeated.body.etag).toBe(ok.body.etag);

    const stale = await patchBrief(A, app.id, 'bedrock-poc', { Project: { Title: 'Another title entirely' } }, etag);
    expect(stale.status).toBe(412);
    expect(stale.body.currentETag).toBe(ok.body.etag);
    expect(stale.headers.etag).toBe(ok.body.etag);

    // A field made invalid is saved and reported at once; approval is then refused naming it.
    const invalid = await patchBrief(A, app.id, 'bedrock-poc', { Project: { CustomerBusinessProblem: 'too short' }, LifeCycle: { TargetCloseDate: '2020-01-01' } }, String(ok.body.etag));
    expect(invalid.status).toBe(200);
    const problems = (invalid.body.validation as { problems: { field: string; rule: string }[] }).problems;
    expect(problems).toEqual(expect.arrayContaining([
      { field: 'Project.CustomerBusinessProblem', rule: expect.stringMatching(/at least 20 characters/) },
      { field: 'LifeCycle.TargetCloseDate', rule: expect.stringMatching(/.+/) },
    ]));
    const refused = await approve(A, app.id);
    expect(refused.status).toBe(422);
    expect(refused.body.problems).toEqual(expect.arrayContaining([
      { field: 'briefs.bedrock-poc.Project.CustomerBusinessProblem', rule: expect.stringMatching(/at least 20 characters/) },
    ]));
    expect((await repos.applications.get(app.id))?.status).toBe('in_partner_review');
    expect(sfn.calls.filter((c) => c.operation === 'SendTaskSuccess' && String(c.body.output).includes(app.id))).toHaveLength(0);

    // Fixed: approval goes through.
    const fixed = await patchBrief(A, app.id, 'bedrock-poc', {
      Project: { CustomerBusinessProblem: 'A bookkeeping assistant that answers ledger questions with cited sources.' },
      LifeCycle: { TargetCloseDate: new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10) },
    }, String(invalid.body.etag));
    expect(fixed.body.validation).toEqual({ valid: true, problems: [] });
    expect((await approve(A, app.id)).status).toBe(200);
  });

  it('refuses service-managed fields and bodies that are not objects, naming field and rule', async () => {
    const app = await seedInReview(A);
    const etag = ((await getApp(A, app.id)).body.briefs as { etag: string }[])[0]!.etag;
    const managed = await patchBrief(A, app.id, 'bedrock-poc', { ClientToken: 'mine', Catalog: 'AWS' }, etag);
    expect(managed.status).toBe(400);
    expect(managed.body.problems).toEqual([
      { field: 'Catalog', rule: 'is set by the service and cannot be edited' },
      { field: 'ClientToken', rule: 'is set by the service and cannot be edited' },
    ]);
    const notObject = await patchBrief(A, app.id, 'bedrock-poc', ['x'], etag);
    expect(notObject.status).toBe(400);
    expect(notObject.body.problems).toEqual([{ field: '(body)', rule: 'must be a JSON object: an RFC 7396 merge patch of the CreateOpportunity body' }]);
    const unknownProgram = await patchBrief(A, app.id, 'no-such-program', { Project: {} }, etag);
    expect(unknownProgram.status).toBe(404);
  });
});

describe('the partner decision: DB write first, then the callback', () => {
  it('20 simultaneous approvals: one write, one transition, one callback delivered; all answer the same 200', async () => {
    const app = await seedInReview(A);
    const before = await load(A);
    const results = await Promise.all(Array.from({ length: 20 }, () => approve(A, app.id)));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    const bodies = new Set(results.map((r) => JSON.stringify(r.body)));
    expect(bodies.size).toBe(1);
    expect(results[0]!.body).toMatchObject({ applicationId: app.id, decision: 'approved', status: 'approved_for_filing' });

    const stored = await repos.applications.get(app.id);
    expect(stored?.status).toBe('approved_for_filing');
    expect(stored?.transitions.filter((t) => t.to === 'approved_for_filing')).toHaveLength(1);
    expect(stored?.briefs?.map((b) => b.record?.status)).toEqual(['approved_for_filing', 'approved_for_filing']);
    expect(await load(A)).toBe(before - 1);

    const done = await sfn.finished(app.executionArn);
    expect(done).toMatchObject({ status: 'SUCCEEDED', output: { result: { decision: 'approved' } } });
    const executionCalls = sfn.calls.filter((c) => c.operation === 'SendTaskSuccess' && String(c.body.output) === JSON.stringify({ decision: 'approved' }));
    // Every attempt beyond the first found the token spent: harmless, and exactly one was accepted for this token.
    const token = (await getTaskToken(repos.applications, app.id, 'partner-review', new Date()))?.token;
    const forToken = executionCalls.filter((c) => c.body.taskToken === token);
    expect(forToken.filter((c) => c.outcome === 'ok')).toHaveLength(1);
    expect(forToken.filter((c) => c.outcome !== 'ok').every((c) => ['TaskTimedOut', 'InvalidToken'].includes(c.outcome))).toBe(true);
  });

  it('conflicting simultaneous decisions: one wins, the other gets 409 naming the current state', async () => {
    const app = await seedInReview(A);
    const [approved, declined] = await Promise.all([
      approve(A, app.id),
      partner(A, { routeKey: 'POST /partner/applications/{id}/decline', pathParameters: { id: app.id }, body: { reason: 'capacity issues this month' } }),
    ]);
    expect([approved.status, declined.status].sort()).toEqual([200, 409]);
    const loser = approved.status === 409 ? approved : declined;
    const stored = await repos.applications.get(app.id);
    expect(loser.body.currentState).toBe(stored?.status);
    expect(stored?.transitions.filter((t) => t.from === 'in_partner_review')).toHaveLength(1);
  });

  it('a crash between the DB write and the callback converges when the request is repeated', async () => {
    const app = await seedInReview(A);
    const before = await load(A);
    sfn.failNext('SendTaskSuccess', 'SimulatedCrash');
    const crashed = await approve(A, app.id);
    expect(crashed.status).toBe(500);
    expect(crashed.body).toEqual({ error: 'InternalError', message: expect.any(String), requestId: 'test-request' });
    // The database is ahead of the workflow: approved, slot released, the execution still waiting.
    expect((await repos.applications.get(app.id))?.status).toBe('approved_for_filing');
    expect(await load(A)).toBe(before - 1);
    expect((await sfn.status(app.executionArn)).status).toBe('RUNNING');

    const retried = await approve(A, app.id);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ decision: 'approved', status: 'approved_for_filing' });
    expect(await sfn.finished(app.executionArn)).toMatchObject({ status: 'SUCCEEDED', output: { result: { decision: 'approved' } } });
    const stored = await repos.applications.get(app.id);
    expect(stored?.transitions.filter((t) => t.to === 'approved_for_filing')).toHaveLength(1);
    expect(await load(A)).toBe(before - 1); // released once, not twice

    // Once more: a duplicate callback on a spent token is harmless.
    const again = await approve(A, app.id);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(retried.body);
    expect(await load(A)).toBe(before - 1);
  });

  it('request changes: message to the founder; the founder revises; repeated requests converge', async () => {
    const app = await seedInReview(A);
    const short = await partner(A, { routeKey: 'POST /partner/applications/{id}/request-changes', pathParameters: { id: app.id }, body: { message: 'fix' } });
    expect(short.status).toBe(400);
    expect(short.body.problems).toEqual([{ field: 'message', rule: 'must be at least 10 characters' }]);
    const message = 'Please confirm the monthly request volume; it looks high for a seed-stage pilot.';
    const asked = await partner(A, { routeKey: 'POST /partner/applications/{id}/request-changes', pathParameters: { id: app.id }, body: { message } });
    expect(asked.status).toBe(200);
    expect(asked.body).toMatchObject({ decision: 'changes_requested', status: 'changes_requested' });
    expect(await sfn.finished(app.executionArn)).toMatchObject({ status: 'SUCCEEDED', output: { result: { decision: 'changes_requested' } } });
    const askedAgain = await partner(A, { routeKey: 'POST /partner/applications/{id}/request-changes', pathParameters: { id: app.id }, body: { message } });
    expect(askedAgain.body).toEqual(asked.body);
    // The partner keeps the slot while the founder revises; approval now is a conflict naming the state.
    const tooEarly = await approve(A, app.id);
    expect(tooEarly.status).toBe(409);
    expect(tooEarly.body.currentState).toBe('changes_requested');

    const seen = await founder(app.founderToken, { routeKey: 'GET /applications/{id}', pathParameters: { id: app.id } });
    expect(seen.body.changeRequest).toEqual({ at: expect.any(String), message });
    expect((seen.body.timeline as { reason: string }[]).at(-1)?.reason).toBe(message);

    const waiting = await sfn.wait(app.id, 'founder-revision', `${app.id}-revision`);
    const invalid = await founder(app.founderToken, { routeKey: 'POST /applications/{id}/revisions', pathParameters: { id: app.id }, body: { ...(exampleWorksheetJson as object), aws: { accountId: '12', region: 'us-east-1' } } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.problems).toEqual([{ field: 'aws.accountId', rule: 'must be exactly 12 digits' }]);
    const revisedWorksheet = worksheetFor(counter + 500, (ws) => { ((ws.workload as Record<string, unknown>).requestsPerDay as number) = 5_000; });
    const revised = await founder(app.founderToken, { routeKey: 'POST /applications/{id}/revisions', pathParameters: { id: app.id }, body: revisedWorksheet });
    expect(revised.status).toBe(200);
    expect(revised.body).toMatchObject({ applicationId: app.id, status: 'submitted' });
    expect(await sfn.finished(waiting)).toMatchObject({ status: 'SUCCEEDED', output: { result: { decision: 'revised' } } });
    const repeated = await founder(app.founderToken, { routeKey: 'POST /applications/{id}/revisions', pathParameters: { id: app.id }, body: revisedWorksheet });
    expect(repeated).toMatchObject({ status: 200, body: revised.body });
    const stored = await repos.applications.get(app.id);
    expect(stored?.worksheet.workload.requestsPerDay).toBe(5_000);
    expect(stored?.transitions.filter((t) => t.to === 'submitted')).toHaveLength(2);
    expect(stored?.partner?.partnerId).toBe(A);
    // A different worksheet now is not a repeat: no change request is open.
    const other = await founder(app.founderToken, { routeKey: 'POST /applications/{id}/revisions', pathParameters: { id: app.id }, body: worksheetFor(counter + 501) });
    expect(other.status).toBe(409);
    expect(other.body.currentState).toBe('submitted');
  });

  it('decline: routed onward without this partner, slot released once; the decliner then sees 404 but a repeat converges', async () => {
    const app = await seedInReview(A);
    const before = await load(A);
    const reason = 'We do not deliver this use case this quarter.';
    const declined = await partner(A, { routeKey: 'POST /partner/applications/{id}/decline', pathParameters: { id: app.id }, body: { reason } });
    expect(declined.status).toBe(200);
    expect(declined.body).toMatchObject({ decision: 'declined', status: 'drafted' });
    expect(await sfn.finished(app.executionArn)).toMatchObject({ status: 'SUCCEEDED', output: { result: { decision: 'declined' } } });
    const stored = await repos.applications.get(app.id);
    expect(stored).toMatchObject({ status: 'drafted', passedOverBy: [A] });
    expect(stored?.partner).toBeUndefined();
    expect(await load(A)).toBe(before - 1);
    expect((await getApp(A, app.id)).status).toBe(404);
    const repeat = await partner(A, { routeKey: 'POST /partner/applications/{id}/decline', pathParameters: { id: app.id }, body: { reason } });
    expect(repeat).toMatchObject({ status: 200, body: declined.body });
    expect(await load(A)).toBe(before - 1);
  });

  it('withdraw before filing: withdrawn, slot released, the waiting task told (ChangedWhileWaiting); repeated harmlessly; refused after filing', async () => {
    const app = await seedInReview(B);
    const before = await load(B);
    const out = await founder(app.founderToken, { routeKey: 'POST /applications/{id}/withdraw', pathParameters: { id: app.id } });
    expect(out).toMatchObject({ status: 200, body: { applicationId: app.id, status: 'withdrawn' } });
    // The wait is failed with ChangedWhileWaiting, which the real definition catches into NotifyChange (mailing the
    // withdrawal) before ending; this test's one-wait definition has no such catch, so its execution fails with it.
    expect(await sfn.finished(app.executionArn)).toMatchObject({ status: 'FAILED', error: 'ChangedWhileWaiting' });
    expect(await load(B)).toBe(before - 1);
    const again = await founder(app.founderToken, { routeKey: 'POST /applications/{id}/withdraw', pathParameters: { id: app.id } });
    expect(again).toMatchObject({ status: 200, body: out.body });
    expect(await load(B)).toBe(before - 1);
    expect((await repos.applications.get(app.id))?.transitions.filter((t) => t.to === 'withdrawn')).toHaveLength(1);
    // The partner can no longer decide.
    const late = await approve(B, app.id);
    expect(late.status).toBe(409);
    expect(late.body.currentState).toBe('withdrawn');

    const filed = await seedInReview(B);
    expect((await approve(B, filed.id)).status).toBe(200);
    expect((await recordRoute('filed', B, filed.id, 'bedrock-poc', { opportunityId: 'O5550001' })).status).toBe(200);
    const refused = await founder(filed.founderToken, { routeKey: 'POST /applications/{id}/withdraw', pathParameters: { id: filed.id } });
    // One stacked record is filed (the other still waits), so the application reads approved_for_filing: still too late.
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ currentState: 'approved_for_filing', message: expect.stringMatching(/bedrock-poc record is already 'filed'/) });
    expect((await repos.applications.get(filed.id))?.status).toBe('approved_for_filing');
  });
});

describe('records after approval: filing, AWS review, credits', () => {
  it('walks a record to credits applied, each change written first and the workflow told', async () => {
    const app = await seedInReview(A);
    expect((await approve(A, app.id)).status).toBe(200);
    const awsWait = await sfn.wait(app.id, 'aws-decision', `${app.id}-aws`);

    const badId = await recordRoute('filed', A, app.id, 'bedrock-poc', { opportunityId: 'X12' });
    expect(badId.status).toBe(400);
    expect(badId.body.problems).toEqual([{ field: 'opportunityId', rule: "must be an ACE opportunity id: 'O' followed by digits" }]);

    const filed = await recordRoute('filed', A, app.id, 'bedrock-poc', { opportunityId: 'O1234567', filedAt: '2026-12-02T10:00:00Z' });
    expect(filed.status).toBe(200);
    expect(filed.body).toMatchObject({ status: 'approved_for_filing', brief: { record: { status: 'filed', opportunityId: 'O1234567', filedAt: '2026-12-02T10:00:00Z' } } });
    expect(await sfn.finished(awsWait)).toMatchObject({ status: 'SUCCEEDED', output: { result: { event: 'record-changed', programId: 'bedrock-poc' } } });
    expect((await recordRoute('filed', A, app.id, 'bedrock-poc', { opportunityId: 'O1234567' })).status).toBe(200);
    const otherId = await recordRoute('filed', A, app.id, 'bedrock-poc', { opportunityId: 'O7654321' });
    expect(otherId.status).toBe(409);
    expect(otherId.body.currentState).toBe('filed');
    expect((await recordRoute('filed', A, app.id, 'activate-portfolio', { opportunityId: 'O1234568' })).body).toMatchObject({ status: 'filed' });

    const needsComments = await recordRoute('aws-review', A, app.id, 'bedrock-poc', { outcome: 'action-required' });
    expect(needsComments.status).toBe(400);
    expect(needsComments.body.problems).toEqual([{ field: 'comments', rule: 'is required' }]);
    const badReason = await recordRoute('aws-review', A, app.id, 'bedrock-poc', { outcome: 'rejected', reason: 'Because' });
    expect(badReason.status).toBe(400);
    expect(badReason.body.problems).toEqual([{ field: 'reason', rule: expect.stringMatching(/^must be one of: "Customer Deficiency"/) }]);

    const badOutcome = await recordRoute('aws-review', A, app.id, 'bedrock-poc', { outcome: 'maybe' });
    expect(badOutcome.body.problems).toEqual([{ field: 'outcome', rule: 'must be one of: "in-review", "action-required", "approved", "rejected"' }]);
    const badCredits = await recordRoute('credits', A, app.id, 'bedrock-poc', { amountUsd: 25000, appliedOn: '2027-01-05', expiresOn: '31/12/2027' });
    expect(badCredits.body.problems).toEqual([
      { field: 'amountUsd', rule: 'must be string' },
      { field: 'expiresOn', rule: 'must be a date YYYY-MM-DD' },
    ]);

    const actionRequired = await recordRoute('aws-review', A, app.id, 'bedrock-poc', { outcome: 'action-required', comments: 'Website does not resolve; confirm the domain.' });
    expect(actionRequired.body).toMatchObject({ status: 'action_required', brief: { record: { status: 'action_required', awsReview: { comments: 'Website does not resolve; confirm the domain.' } } } });
    const etag = String((actionRequired.body.brief as { etag: string }).etag);
    const notAllowed = await patchBrief(A, app.id, 'bedrock-poc', { Project: { Title: 'New title' }, Customer: { Account: { WebsiteUrl: 'https://www.ledgerly.ai' } } }, etag);
    expect(notAllowed.status).toBe(400);
    expect(notAllowed.body.problems).toEqual([{ field: 'Project.Title', rule: expect.stringMatching(/^cannot be changed while the record is in Action Required: ACE lets a partner change only/) }]);
    const allowed = await patchBrief(A, app.id, 'bedrock-poc', { Customer: { Account: { WebsiteUrl: 'https://www.ledgerly.ai' } } }, etag);
    expect(allowed.status).toBe(200);
    expect(allowed.body).toMatchObject({ revision: 2, createOpportunity: { Customer: { Account: { WebsiteUrl: 'https://www.ledgerly.ai' } } } });
    // The ClientToken of a filed record stays as filed.
    expect((allowed.body.createOpportunity as { ClientToken: string }).ClientToken).toBe((filed.body.brief as { createOpportunity: { ClientToken: string } }).createOpportunity.ClientToken);

    expect((await recordRoute('aws-review', A, app.id, 'bedrock-poc', { outcome: 'in-review' })).body).toMatchObject({ brief: { record: { status: 'in_aws_review' } } });
    const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
    const expiry = day(400);
    const approvedBody = { outcome: 'approved', amountUsd: '25000.00', expiresOn: expiry };
    const approved = await recordRoute('aws-review', A, app.id, 'bedrock-poc', approvedBody);
    expect(approved.body).toMatchObject({ brief: { record: { status: 'approved', award: { amountUsd: '25000.00', expiresOn: expiry } } } });
    expect((await recordRoute('aws-review', A, app.id, 'bedrock-poc', approvedBody)).status).toBe(200);
    const creditsWait = await sfn.wait(app.id, 'credits', `${app.id}-credits`);
    // Dates that would make the record expire at once, or credits applied in the future, change nothing.
    for (const [body, problems] of [
      [{ appliedOn: day(-10), expiresOn: day(-20) }, [{ field: 'expiresOn', rule: `must be after appliedOn (${day(-10)})` }]],
      [{ appliedOn: day(-30), expiresOn: day(-1) }, [{ field: 'expiresOn', rule: expect.stringMatching(/^must not be in the past/) }]],
      [{ appliedOn: day(3), expiresOn: expiry }, [{ field: 'appliedOn', rule: expect.stringMatching(/^must not be in the future/) }]],
    ] as const) {
      const refused = await recordRoute('credits', A, app.id, 'bedrock-poc', { amountUsd: '25000.00', ...body });
      expect(refused.status).toBe(400);
      expect(refused.body.problems).toEqual(problems);
    }
    const credits = await recordRoute('credits', A, app.id, 'bedrock-poc', { amountUsd: '25000.00', appliedOn: day(0), expiresOn: expiry });
    expect(credits.body).toMatchObject({ brief: { record: { status: 'credits_applied', credits: { amountUsd: '25000.00' } } } });
    expect(credits.body).not.toHaveProperty('warnings'); // as AWS approved
    expect(await sfn.finished(creditsWait)).toMatchObject({ status: 'SUCCEEDED', output: { result: { event: 'record-changed' } } });
    const rejected = await recordRoute('aws-review', A, app.id, 'activate-portfolio', { outcome: 'rejected', reason: 'No Opportunity', comments: 'Duplicate of an existing record.' });
    expect(rejected.body).toMatchObject({ status: 'credits_applied', brief: { record: { status: 'rejected', awsReview: { reason: 'No Opportunity' } } } });

    const seen = await founder(app.founderToken, { routeKey: 'GET /applications/{id}', pathParameters: { id: app.id } });
    expect(seen.body.credits).toEqual({ awardedUsd: '25000.00', appliedUsd: '25000.00' });
    expect((seen.body.briefs as { programId: string; record: { status: string } }[]).map((b) => [b.programId, b.record.status])).toEqual([
      ['bedrock-poc', 'credits_applied'], ['activate-portfolio', 'rejected'],
    ]);
    const timeline = seen.body.timeline as { record?: { programId: string; to: string } }[];
    expect(timeline.filter((t) => t.record?.programId === 'bedrock-poc').map((t) => t.record?.to)).toEqual([
      'filed', 'action_required', 'in_aws_review', 'approved', 'credits_applied',
    ]);
  });
});

// Stored items are trusted on read (functions/adapters/dynamo/stored-guard.ts): everything this suite wrote must parse.
it('every item the suite wrote parses against schemas/stored-application.ts', async () => {
  const { checked, problems } = await checkStoredItems(table.endpoint, table.tableName);
  expect(problems).toEqual([]);
  expect(checked.application ?? 0).toBeGreaterThan(0);
});

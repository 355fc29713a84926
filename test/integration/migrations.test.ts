/**
 * Table maintenance against dynalite (scripts/migrations.ts): version-1 application items rewritten
 * as version 2 (the same application read back; a second run finds nothing; a run stopped after a page resumes; an
 * item that does not parse is reported and left as it is), superseded documents marked to expire and purged, and an
 * edit back to earlier content keeping its document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type ApplicationRepository, applyTransition } from '../../functions/adapters/dynamo/applications.ts';
import { updateBriefs } from '../../functions/adapters/dynamo/applications-edits.ts';
import { createApplication } from '../../functions/adapters/dynamo/applications-intake.ts';
import type * as Migrations from '../../scripts/migrations.ts';
import { startDynalite, type TestTable } from '../support/dynalite.ts';
import { exampleWorksheet } from '../support/fixtures.ts';
import { newApplication, newFounderToken } from '../../functions/core/intake.ts';
import { planTransition } from '../../functions/core/application/lifecycle.ts';
import { estimate } from '../../functions/core/estimate.ts';
import { applicationKey, applicationPartition, operationsKeys } from '../../functions/adapters/dynamo/keys.ts';
import type { Actor, Application, StoredBrief } from '../../schemas/application.ts';
import { openOpportunities, partnersWithOpenReviews, putOpportunityMapping } from '../../functions/adapters/dynamo/partner-central-store.ts';

let table: TestTable;
let applications: ApplicationRepository;
let migrations: typeof Migrations;
let raw: DynamoDBDocumentClient;

beforeAll(async () => {
  table = await startDynalite('ace-filing-migrations');
  process.env.AWS_ENDPOINT_URL_DYNAMODB = table.endpoint;
  process.env.AWS_REGION ??= 'us-east-1';
  const repo = await import('../../functions/adapters/dynamo/applications.ts');
  migrations = await import('../../scripts/migrations.ts');
  applications = new repo.ApplicationRepository(table.tableName);
  raw = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: table.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
}, 30_000);
afterAll(async () => {
  raw?.destroy();
  await table?.stop();
});

const system: Actor = { kind: 'system', id: 'test' };
const T0 = Date.parse('2026-01-05T09:00:00Z');
let counter = 0;

function brief(programId: string, title: string): StoredBrief {
  return { programId, body: { Project: { Title: title, CustomerBusinessProblem: 'x'.repeat(400) } }, problems: [], revision: 1, record: { status: 'draft' } };
}

/** A whole application as version 1 stored it: sized and drafted, three transitions, two sent notices. */
function legacyApplication(): Application {
  counter += 1;
  let app = newApplication({ id: `app_legacy${counter}`, worksheet: exampleWorksheet(), tokenHash: newFounderToken().hash, now: new Date(T0) });
  const step = (to: Application['status'], minutes: number, changes: Partial<Application>) => {
    const plan = planTransition({ current: app.status, version: app.version, to, actor: system, reason: `to ${to}`, now: new Date(T0 + minutes * 60_000) });
    app = { ...app, ...changes, status: to, version: plan.transition.version, updatedAt: plan.transition.at, transitions: [...app.transitions, plan.transition] };
  };
  step('sized', 1, { estimate: estimate(app.worksheet, { now: new Date(T0) }) });
  step('drafted', 2, { briefs: [brief('bedrock-poc', 'Ledgerly PoC'), brief('activate-portfolio', 'Ledgerly Activate')] });
  return { ...app, notified: ['t:v1', 't:v2'] };
}

/** The item version 1 wrote: everything on one item, sent notices as a string set, no schemaVersion. */
function legacyItem(app: Application): Record<string, unknown> {
  const { notified, ...rest } = app;
  return {
    ...applicationKey(app.id), entity: 'application', ...operationsKeys(app.status, app.updatedAt, app.id), ...rest,
    ...(notified?.length ? { notifiedSet: new Set(notified) } : {}),
  };
}

async function putLegacy(app: Application): Promise<void> {
  await raw.send(new PutCommand({ TableName: table.tableName, Item: legacyItem(app) }));
}

async function partition(id: string): Promise<Record<string, unknown>[]> {
  const out = await raw.send(new QueryCommand({ TableName: table.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': applicationPartition(id) } }));
  return out.Items ?? [];
}

describe('migration of version-1 application items', () => {
  it('rewrites one as version 2: the same application reads back; a second run has nothing to do', async () => {
    const app = legacyApplication();
    await putLegacy(app);
    await expect(applications.get(app.id)).rejects.toThrow(/does not match schema version 2/);

    const first = await migrations.migrateApplications(table.tableName);
    expect(first.migrated).toContain(app.id);
    expect(first.failed).toEqual([]);
    expect(await applications.get(app.id)).toEqual(app);
    const sks = (await partition(app.id)).map((i) => String(i.sk));
    expect(sks.filter((sk) => sk.startsWith('T#'))).toHaveLength(app.transitions.length - 1);
    expect(sks.filter((sk) => sk.startsWith('N#'))).toHaveLength(2);
    expect(sks.filter((sk) => sk.startsWith('D#'))).toHaveLength(3); // the estimate and two brief bodies
    const head = (await raw.send(new GetCommand({ TableName: table.tableName, Key: applicationKey(app.id) }))).Item;
    expect(head?.schemaVersion).toBe(2);
    expect(head?.transitions).toBeUndefined();

    const second = await migrations.migrateApplications(table.tableName);
    expect(second.migrated).not.toContain(app.id);
    expect(second.scanned).toBe(0);
    expect(await applications.get(app.id)).toEqual(app);
  });

  it('never writes over an item that is no longer the version-1 item it read', async () => {
    const app = legacyApplication();
    await putLegacy(app);
    expect(await (await import('../../functions/adapters/dynamo/applications-migration.ts')).replaceLegacy(applications, app)).toBe(true);
    expect(await (await import('../../functions/adapters/dynamo/applications-migration.ts')).replaceLegacy(applications, app)).toBe(false); // already version 2
    const moved = legacyApplication();
    await putLegacy({ ...moved, version: moved.version + 1 });
    expect(await (await import('../../functions/adapters/dynamo/applications-migration.ts')).replaceLegacy(applications, moved)).toBe(false); // changed since it was read
  });

  it('resumes where a stopped run left off, page by page, until the table is done', async () => {
    const apps = [legacyApplication(), legacyApplication(), legacyApplication()];
    for (const a of apps) await putLegacy(a);
    const checkpoints: (Record<string, unknown> | undefined)[] = [];
    let startKey: Record<string, unknown> | undefined;
    const migrated: string[] = [];
    let runs = 0;
    do {
      const r = await migrations.migrateApplications(table.tableName, { pageSize: 5, maxPages: 1, ...(startKey ? { startKey } : {}), onPage: (p) => void checkpoints.push(p.nextKey) });
      migrated.push(...r.migrated);
      startKey = r.nextKey;
      runs += 1;
    } while (startKey && runs < 100);
    expect(runs).toBeGreaterThan(1);
    expect(checkpoints.at(-1)).toBeUndefined();
    expect(migrated).toEqual(expect.arrayContaining(apps.map((a) => a.id)));
    for (const a of apps) expect(await applications.get(a.id)).toEqual(a);
  });

  it('reports an item that does not parse, by id and field, and leaves it as it is', async () => {
    const app = legacyApplication();
    const item = { ...legacyItem(app), status: 'lost-in-time' };
    await raw.send(new PutCommand({ TableName: table.tableName, Item: item }));
    const r = await migrations.migrateApplications(table.tableName);
    expect(r.failed).toEqual([{ id: app.id, problems: [expect.stringContaining('status')] }]);
    const stored = (await raw.send(new GetCommand({ TableName: table.tableName, Key: applicationKey(app.id) }))).Item;
    expect(stored?.status).toBe('lost-in-time');
    expect(stored?.schemaVersion).toBeUndefined();
  });
});

describe('superseded documents', () => {
  async function documents(id: string): Promise<Record<string, unknown>[]> {
    return (await partition(id)).filter((i) => String(i.sk).startsWith('D#'));
  }

  it('a brief edit marks the body it replaced to expire; an edit back brings it back; purge deletes only what expired', async () => {
    const app = { ...legacyApplication(), notified: [] };
    await createApplication(applications, app);
    const before = await documents(app.id);
    expect(before).toHaveLength(3);
    expect(before.every((d) => d.expiresAt === undefined)).toBe(true);

    const original = app.briefs ?? [];
    const edited = original.map((b, i) => (i === 0 ? { ...b, body: { Project: { Title: 'edited' } }, revision: 2 } : b));
    const v1 = await updateBriefs(applications, app, edited, new Date());
    const afterEdit = await documents(app.id);
    expect(afterEdit).toHaveLength(4);
    const expiring = afterEdit.filter((d) => typeof d.expiresAt === 'number');
    expect(expiring).toHaveLength(1); // the first brief's old body
    const nowSeconds = Date.now() / 1000;
    expect(expiring[0]!.expiresAt as number).toBeGreaterThan(nowSeconds + 23 * 3600);
    expect(expiring[0]!.expiresAt as number).toBeLessThan(nowSeconds + 25 * 3600);
    expect(await applications.get(app.id)).toMatchObject({ briefs: edited });

    // Edited back to the original content: its document is written again without an expiry; the other one expires.
    const v2 = await updateBriefs(applications, v1, original.map((b) => ({ ...b, revision: 3 })), new Date());
    const afterRevert = await documents(app.id);
    const oldBodyKey = String(expiring[0]!.sk);
    expect(afterRevert.find((d) => d.sk === oldBodyKey)?.expiresAt).toBeUndefined();
    expect(afterRevert.filter((d) => typeof d.expiresAt === 'number').map((d) => d.sk)).not.toContain(oldBodyKey);
    expect(afterRevert.filter((d) => typeof d.expiresAt === 'number')).toHaveLength(1);

    // A day and more later (dynalite has no TTL): the explicit purge deletes the expired body, nothing the head uses.
    const purge = await migrations.purgeExpired(table.tableName, new Date(Date.now() + 2 * 86_400_000));
    expect(purge.deleted).toBeGreaterThanOrEqual(1);
    expect(await documents(app.id)).toHaveLength(3);
    expect(await applications.get(app.id)).toEqual({ ...v2, notified: [] });
  });

  it('a revised estimate marks the one it replaced; nothing is marked before it is superseded', async () => {
    const app = { ...legacyApplication(), notified: [] };
    await createApplication(applications, app);
    const purgeNow = await migrations.purgeExpired(table.tableName, new Date());
    expect((await documents(app.id))).toHaveLength(3);
    expect(purgeNow.deleted).toBe(0);
    const revised = estimate({ ...app.worksheet, workload: { ...app.worksheet.workload, requestsPerDay: app.worksheet.workload.requestsPerDay * 2 } }, { now: new Date(T0) });
    expect(revised).not.toEqual(app.estimate);
    // Any transition that carries a new estimate (here the failure path, which the lifecycle allows from drafted).
    const plan = planTransition({ current: app.status, version: app.version, to: 'failed', actor: system, reason: 'reset', now: new Date() });
    const failed = await applyTransition(applications, app, plan, { estimate: revised });
    const docs = await documents(app.id);
    expect(docs.filter((d) => typeof d.expiresAt === 'number')).toHaveLength(1);
    expect((await applications.get(app.id))?.estimate).toEqual(revised);
    expect(failed.estimate).toEqual(revised);
  });
});

describe('backfill of the partners to reconcile', () => {
  it('adds the records still in AWS review to their partner\'s open set, and not the decided ones; a repeat adds nothing', async () => {
    const { PartnerCentralStore } = await import('../../functions/adapters/dynamo/partner-central-store.ts');
    const store = new PartnerCentralStore(table.tableName);
    const filed = (status: 'in_aws_review' | 'approved', opportunityId: string): Application => {
      const app = { ...legacyApplication(), notified: [] };
      return { ...app, briefs: (app.briefs ?? []).slice(0, 1).map((b) => ({ ...b, record: { status, opportunityId, filedVia: 'api' as const, filedAt: new Date(T0).toISOString() } })) };
    };
    const inReview = filed('in_aws_review', 'O9100001');
    const decided = filed('approved', 'O9100002');
    for (const [app, opportunityId] of [[inReview, 'O9100001'], [decided, 'O9100002']] as const) {
      await createApplication(applications, app);
      await putOpportunityMapping(store, { catalog: 'AWS', opportunityId, applicationId: app.id, programId: 'bedrock-poc', partnerId: 'p-backfill' }, new Date(T0));
    }
    const first = await migrations.backfillOpenReviews(table.tableName);
    expect(first.tracked).toBe(1);
    expect(await openOpportunities(store, 'p-backfill', 'AWS')).toEqual(['O9100001']);
    expect(await partnersWithOpenReviews(store)).toContainEqual({ partnerId: 'p-backfill', catalog: 'AWS' });
    await migrations.backfillOpenReviews(table.tableName);
    expect(await openOpportunities(store, 'p-backfill', 'AWS')).toEqual(['O9100001']);
  });
});

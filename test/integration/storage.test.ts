/**
 * How an application is stored, against dynalite: what grows lives in items of its own (a long-lived application
 * stays far below the 400 KB item limit), every pair of writes can be cut, reads are parsed (a partition past 1 MB
 * too, over pages), the expiry sweep reads only what is due, and a notice claimed by a sender that died is sent by
 * the next one.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type ApplicationRepository, applyTransition, type TransitionChanges } from '../../functions/adapters/dynamo/applications.ts';
import { createApplication } from '../../functions/adapters/dynamo/applications-intake.ts';
import { markNoticesSent } from '../../functions/adapters/dynamo/applications-notices.ts';
import type { PartnerRepository } from '../../functions/adapters/dynamo/partners.ts';
import type { Notifier } from '../../functions/usecases/notifier.ts';
import { startDynalite, type TestTable } from '../support/dynalite.ts';
import { failBefore, throttled } from '../support/dynamo-failures.ts';
import { exampleWorksheet } from '../support/fixtures.ts';
import { itemSize } from '../support/item-size.ts';
import { storedItemProblems } from '../support/stored-items.ts';
import { newApplication, newFounderToken } from '../../functions/core/intake.ts';
import { planTransition } from '../../functions/core/application/lifecycle.ts';
import { estimate } from '../../functions/core/estimate.ts';
import { applicationPartition } from '../../functions/adapters/dynamo/keys.ts';
import { NOTICE_LEASE_MS } from '../../schemas/stored-application.ts';
import { APPLICATION_STATUSES, type Actor, type Application, type ApplicationStatus } from '../../schemas/application.ts';
import { readPipelineDays } from '../../functions/adapters/dynamo/pipeline-stats.ts';
import { currentCounts } from '../../functions/core/operations/pipeline.ts';
import { logger } from '../../functions/adapters/observability.ts';
import type { Clock } from '../../functions/core/clock.ts';
import { startSes, type SesHandle } from '../../lib/local/ses.ts';
import { composeNotice } from '../../functions/core/notifications.ts';

let table: TestTable;
let ses: SesHandle;
let applications: ApplicationRepository;
let partners: PartnerRepository;
let raw: DynamoDBDocumentClient;
let documentClient: DynamoDBDocumentClient;
let NotifierClass: typeof Notifier;

beforeAll(async () => {
  table = await startDynalite('ace-filing-storage');
  ses = await startSes({ host: '127.0.0.1', port: 0 });
  process.env.AWS_ENDPOINT_URL_DYNAMODB = table.endpoint;
  process.env.AWS_ENDPOINT_URL_SES = ses.url;
  process.env.AWS_REGION ??= 'us-east-1';
  const repo = await import('../../functions/adapters/dynamo/applications.ts');
  const partnerRepo = await import('../../functions/adapters/dynamo/partners.ts');
  ({ documentClient } = await import('../../functions/adapters/dynamo/client.ts'));
  ({ Notifier: NotifierClass } = await import('../../functions/usecases/notifier.ts'));
  applications = new repo.ApplicationRepository(table.tableName);
  partners = new partnerRepo.PartnerRepository(table.tableName);
  raw = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: table.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
}, 30_000);
afterAll(async () => {
  raw?.destroy();
  await ses?.close();
  await table?.stop();
});

const system: Actor = { kind: 'system', id: 'test' };
const partner: Actor = { kind: 'partner', id: 'p-test' };
const founder: Actor = { kind: 'founder', id: 'founder' };
let counter = 0;
const T0 = Date.parse('2026-01-05T09:00:00Z');

function freshApplication(): Application {
  counter += 1;
  return newApplication({ id: `app_store${counter}`, worksheet: exampleWorksheet(), tokenHash: newFounderToken().hash, now: new Date(T0) });
}

async function move(app: Application, to: ApplicationStatus, actor: Actor, at: number, reason: string, changes: TransitionChanges = {}): Promise<Application> {
  return applyTransition(applications, app, planTransition({ current: app.status, version: app.version, to, actor, reason, now: new Date(at) }), changes);
}

async function partitionItems(id: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await raw.send(new QueryCommand({ TableName: table.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': applicationPartition(id) }, ExclusiveStartKey: start }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Makes the next `times` writes of `command` (e.g. 'UpdateItemCommand') fail as if the process died just before them. */
function cutBefore(command: string, times = 1): () => void {
  return failBefore(documentClient, command, () => Object.assign(new Error(`process died before ${command}`), { name: 'SimulatedCrash' }), { times });
}

function briefsFor(round: number, app: Application) {
  return ['bedrock-poc', 'activate-portfolio'].map((programId) => ({
    programId,
    body: { Round: round, Project: { Title: `${app.worksheet.company.name} round ${round}`, CustomerBusinessProblem: 'x'.repeat(1500) }, LifeCycle: { NextSteps: `step ${round}` } },
    problems: [],
    revision: 1,
  }));
}

describe('application storage (dynalite)', () => {
  // Skipped in `npm run mutate` only (vitest.mutate.config.ts): seconds per mutant.
  it.skipIf(process.env.ACE_MUTATION_RUN === '1')('30 revision rounds and a year of reminders: every item stays far below the 400 KB limit, the timeline complete', async () => {
    let app = freshApplication();
    await createApplication(applications, app);
    let at = T0;
    const step = () => (at += 3_600_000);
    for (let round = 1; round <= 30; round += 1) {
      const worksheet = { ...app.worksheet, useCase: { ...app.worksheet.useCase, summary: `${app.worksheet.useCase.summary} (revision ${round})` } };
      app = await move(app, 'sized', system, step(), `sized round ${round}`, { estimate: estimate(worksheet, { now: new Date(at) }) });
      app = await move(app, 'drafted', system, step(), `drafted round ${round}`, { briefs: briefsFor(round, app) });
      app = await move(app, 'routed', system, step(), 'routed', { partner: { partnerId: 'p-test', partnerName: 'Test', assignedAt: new Date(at).toISOString(), reasons: ['region'] } });
      app = await move(app, 'in_partner_review', system, step(), 'queued');
      if (round === 30) break;
      app = await move(app, 'changes_requested', partner, step(), `Please clarify the monthly token volume and the model mix, round ${round}. ${'Detail. '.repeat(60)}`);
      app = await move(app, 'submitted', founder, step(), `revised worksheet ${round}`, { worksheet });
    }
    // A year of mail: every transition's notices, weekly overdue reminders, expiry reminders.
    const keys = [...app.transitions.flatMap((t) => [`v${t.version}:founder-status-update`, `v${t.version}:partner-status-update`, `t:v${t.version}`]),
      ...Array.from({ length: 52 }, (_, w) => `overdue:week${w}`), 'expiry:bedrock-poc:60', 'expiry:bedrock-poc:30'];
    await markNoticesSent(applications, app.id, keys);

    const stored = await applications.mustGet(app.id);
    expect(stored.transitions).toHaveLength(1 + 29 * 6 + 4);
    expect(stored.transitions.map((t) => t.version)).toEqual(stored.transitions.map((_, i) => i + 1));
    expect(stored.transitions.at(-1)?.to).toBe('in_partner_review');
    expect(stored.notified).toHaveLength(keys.length);
    expect(stored.briefs?.[0]?.body).toMatchObject({ Round: 30 });
    expect(stored.worksheet.useCase.summary).toContain('(revision 29)');

    const items = await partitionItems(app.id);
    const sizes = items.map((i) => ({ sk: String(i.sk), bytes: itemSize(i) })).sort((a, b) => b.bytes - a.bytes);
    const largest = sizes[0]!;
    // Stated bound: 16 KB per item, whatever the application's age (the head, what every change rewrites, is smaller).
    expect(largest.bytes).toBeLessThan(16 * 1024);
    expect(sizes.find((s) => s.sk === 'APP')!.bytes).toBeLessThan(8 * 1024);
    console.info(`long-lived application: ${items.length} items, largest ${largest.sk.slice(0, 2)} ${(largest.bytes / 1024).toFixed(1)} KB, head ${(sizes.find((s) => s.sk === 'APP')!.bytes / 1024).toFixed(1)} KB`);
  }, 120_000);

  it('a crash between the transition copy and the status write: nothing lost, nothing doubled, the retry converges', async () => {
    let app = freshApplication();
    await createApplication(applications, app);
    app = await move(app, 'sized', system, T0 + 1000, 'sized');
    const restore = cutBefore('UpdateItemCommand');
    const plan = planTransition({ current: 'sized', version: app.version, to: 'drafted', actor: system, reason: 'drafted', now: new Date(T0 + 2000) });
    await expect(applyTransition(applications, app, plan, { briefs: briefsFor(1, app) })).rejects.toThrow(/process died/);
    restore();
    // Cut: the copy of version 2's transition (and the new brief documents) exist; the head still says version 2.
    const afterCut = await applications.mustGet(app.id);
    expect(afterCut.status).toBe('sized');
    expect(afterCut.transitions.map((t) => t.version)).toEqual([1, 2]);
    expect(afterCut.briefs).toBeUndefined();
    // The retried task re-plans from what it reads and lands once.
    const done = await applyTransition(applications, afterCut, plan, { briefs: briefsFor(1, afterCut) });
    expect(done.status).toBe('drafted');
    const stored = await applications.mustGet(app.id);
    expect(stored.transitions.map((t) => `${t.version}:${t.to}`)).toEqual(['1:submitted', '2:sized', '3:drafted']);
    expect(stored.briefs?.map((b) => b.programId)).toEqual(['bedrock-poc', 'activate-portfolio']);
  });

  it('a crash before the transition copy: the status write never happens, the application is as it was', async () => {
    let app = freshApplication();
    await createApplication(applications, app);
    app = await move(app, 'sized', system, T0 + 1000, 'sized');
    const restore = cutBefore('PutItemCommand');
    await expect(move(app, 'drafted', system, T0 + 2000, 'drafted')).rejects.toThrow(/process died/);
    restore();
    const stored = await applications.mustGet(app.id);
    expect(stored.status).toBe('sized');
    expect(stored.transitions.map((t) => t.version)).toEqual([1, 2]);
  });

  it('a partition past 1 MB (where DynamoDB pages a Query) reads back whole: every document, transition and notice', async () => {
    let app = freshApplication();
    await createApplication(applications, app);
    app = await move(app, 'sized', system, T0 + 1000, 'sized');
    // Six brief bodies of ~300 KB that do not compress (documents are stored gzipped): ~1.4 MB, so the read pages.
    const briefs = ['bedrock-poc', 'activate-portfolio', 'map-assess', 'map-mobilize', 'isv-accelerate', 'migration-acceleration'].map((programId, i) => ({
      programId, body: { Project: { Title: `brief ${i}`, CustomerBusinessProblem: randomBytes(225_000).toString('base64') } }, problems: [], revision: 1,
    }));
    app = await move(app, 'drafted', system, T0 + 2000, 'drafted', { briefs });
    app = await move(app, 'routed', system, T0 + 3000, 'routed', { partner: { partnerId: 'p-test', partnerName: 'Test', assignedAt: new Date(T0 + 3000).toISOString(), reasons: ['region'] } });
    const sent = app.transitions.map((t) => `t:v${t.version}`);
    await markNoticesSent(applications, app.id, sent);
    const pages = await raw.send(new QueryCommand({ TableName: table.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': applicationPartition(app.id) } }));
    expect(pages.LastEvaluatedKey).toBeDefined(); // the premise: one Query does not hold the partition

    const stored = await applications.mustGet(app.id);
    expect(stored.briefs?.map((b) => b.body)).toEqual(briefs.map((b) => b.body));
    expect(stored.transitions.map((t) => `${t.version}:${t.to}`)).toEqual(['1:submitted', '2:sized', '3:drafted', '4:routed']);
    expect(stored.notified).toEqual([...sent].sort());
    expect(stored).toEqual({ ...app, notified: [...sent].sort() });
  });

  it('refuses an item of another schema version or another entity, by name (trusted on read otherwise)', async () => {
    const app = freshApplication();
    await createApplication(applications, app);
    const key = { pk: applicationPartition(app.id), sk: 'APP' };
    await raw.send(new UpdateCommand({ TableName: table.tableName, Key: key, UpdateExpression: 'SET schemaVersion = :v', ExpressionAttributeValues: { ':v': 1 } }));
    const old = await applications.get(app.id).catch((e: unknown) => e as Error);
    expect(old).toMatchObject({ name: 'StoredItemError' });
    expect((old as Error).message).toMatch(/schema version 1; this code reads version 2/);
    await expect((await import('../../functions/adapters/dynamo/applications-lists.ts')).listByStatus(applications, app.status, { limit: 1000 })).rejects.toThrow(/schema version 1; this code reads version 2/);
    // Another entity under the head's key is refused, not read as a head.
    await raw.send(new UpdateCommand({ TableName: table.tableName, Key: key, UpdateExpression: 'SET schemaVersion = :v, entity = :e', ExpressionAttributeValues: { ':v': 2, ':e': 'transition' } }));
    await expect(applications.get(app.id)).rejects.toThrow(/is a 'transition' item where a 'application' item was expected/);
    // A field that breaks the stored shape is not checked on read (no schema runs in a handler): the stored-items
    // check every journey ends with (test/support/stored-items.ts) is what catches a write like this one.
    await raw.send(new UpdateCommand({ TableName: table.tableName, Key: key, UpdateExpression: 'SET entity = :e, #s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':e': 'application', ':s': 'lost' } }));
    const head = (await raw.send(new GetCommand({ TableName: table.tableName, Key: key }))).Item!;
    expect(storedItemProblems(head).join('\n')).toMatch(/status/);
    // An item of the right entity and version that lacks what every reader needs is refused by name.
    await raw.send(new UpdateCommand({ TableName: table.tableName, Key: key, UpdateExpression: 'SET #s = :s REMOVE lastTransition', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': app.status } }));
    await expect(applications.get(app.id)).rejects.toThrow(/^Application \(.*\) does not match schema version 2: lastTransition: missing$/);
    await expect((await import('../../functions/adapters/dynamo/applications-lists.ts')).getHeads(applications, [app.id])).rejects.toThrow(/lastTransition: missing/);
    // A pre-split item (the whole application in one item, no schema version) is refused, not misread.
    await raw.send(new PutCommand({ TableName: table.tableName, Item: { ...key, entity: 'application', ...app, id: app.id } }));
    await expect(applications.get(app.id)).rejects.toThrow(/does not match schema version 2: it carries no schemaVersion/);
  });

  it('refuses a stored transition without its transition, or a notice neither claimed nor sent, by name', async () => {
    let app = freshApplication();
    await createApplication(applications, app);
    app = await move(app, 'sized', system, T0 + 1000, 'sized');
    await markNoticesSent(applications, app.id, ['v2:founder-status-update']);
    const pk = applicationPartition(app.id);
    await raw.send(new UpdateCommand({ TableName: table.tableName, Key: { pk, sk: 'N#v2:founder-status-update' }, UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'state' }, ExpressionAttributeValues: { ':s': 'lost' } }));
    await expect(applications.get(app.id)).rejects.toThrow(/^Application notice \(.*\) does not match schema version 2: state: 'lost' is neither 'claimed' nor 'sent'$/);
    await raw.send(new UpdateCommand({ TableName: table.tableName, Key: { pk, sk: 'N#v2:founder-status-update' }, UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'state' }, ExpressionAttributeValues: { ':s': 'sent' } }));
    expect((await applications.mustGet(app.id)).notified).toEqual(['v2:founder-status-update']);
    const copy = (await partitionItems(app.id)).find((i) => String(i.sk).startsWith('T#'))!;
    await raw.send(new UpdateCommand({ TableName: table.tableName, Key: { pk, sk: copy.sk }, UpdateExpression: 'REMOVE #t', ExpressionAttributeNames: { '#t': 'transition' } }));
    await expect(applications.get(app.id)).rejects.toThrow(/^Application transition \(.*\) does not match schema version 2: transition: missing$/);
  });

  it('refuses a document the head refers to that is missing, not binary or not an object, by name (never read as empty)', async () => {
    let app = freshApplication();
    await createApplication(applications, app);
    app = await move(app, 'sized', system, T0 + 1000, 'sized', { estimate: estimate(app.worksheet, { now: new Date(T0) }) });
    app = await move(app, 'drafted', system, T0 + 2000, 'drafted', { briefs: briefsFor(1, app).slice(0, 1) });
    const docs = (await partitionItems(app.id)).filter((i) => String(i.sk).startsWith('D#'));
    const keyOf = (kind: string) => { const d = docs.find((i) => i.kind === kind)!; return { pk: d.pk, sk: d.sk }; };
    const setGz = async (kind: string, gz: unknown) => raw.send(new UpdateCommand({ TableName: table.tableName, Key: keyOf(kind), UpdateExpression: 'SET gz = :gz', ExpressionAttributeValues: { ':gz': gz } }));
    const { gzipSync } = await import('node:zlib');
    await setGz('estimate', 'not gzip');
    await expect(applications.get(app.id)).rejects.toThrow(/gz: not binary/);
    await setGz('estimate', gzipSync(JSON.stringify([1, 2])));
    await expect(applications.get(app.id)).rejects.toThrow(new RegExp(`Application ${app.id}: estimate \\S+ is not an object`));
    await setGz('estimate', gzipSync('"a string"'));
    await expect(applications.get(app.id)).rejects.toThrow(/estimate \S+ is not an object/);
    await setGz('estimate', gzipSync(JSON.stringify(app.estimate)));
    expect((await applications.mustGet(app.id)).estimate).toEqual(app.estimate);
    await setGz('brief-body', gzipSync('null'));
    await expect(applications.get(app.id)).rejects.toThrow(new RegExp(`Application ${app.id}: brief body \\S+ is not an object`));
    await setGz('brief-body', gzipSync('"a string"'));
    await expect(applications.get(app.id)).rejects.toThrow(/brief body \S+ is not an object/);
    await raw.send(new DeleteCommand({ TableName: table.tableName, Key: keyOf('brief-body') }));
    await expect(applications.get(app.id)).rejects.toMatchObject({ name: 'StoredItemError', message: expect.stringMatching(/document \S+ referred to by its head is missing/) });
  });

  it('lists only what is due for the expiry sweep, and moves an application forward once reminded', async () => {
    let app = freshApplication();
    await createApplication(applications, app);
    const expiresOn = '2027-06-30';
    const record = { status: 'credits_applied' as const, credits: { amountUsd: '1000.00', appliedOn: '2026-03-01', expiresOn } };
    app = await move(app, 'sized', system, T0 + 1000, 'sized');
    app = await move(app, 'drafted', system, T0 + 2000, 'drafted', { briefs: briefsFor(1, app).slice(0, 1).map((b) => ({ ...b, record })) });
    const dueIds = async (at: string) => {
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await (await import('../../functions/adapters/dynamo/applications-expiry.ts')).listExpiryDue(applications, new Date(at), { limit: 50, ...(cursor ? { cursor } : {}) });
        ids.push(...page.ids);
        cursor = page.cursor;
      } while (cursor);
      return ids;
    };
    expect(await dueIds('2027-04-30T00:00:00Z')).not.toContain(app.id); // 61 days before
    expect(await dueIds('2027-05-01T00:00:00Z')).toContain(app.id); // 60 days before
    await (await import('../../functions/adapters/dynamo/applications-expiry.ts')).recordReminderSent(applications, app, 'bedrock-poc', [60]);
    expect(await dueIds('2027-05-02T00:00:00Z')).not.toContain(app.id);
    expect(await dueIds('2027-05-31T00:00:00Z')).toContain(app.id); // 30 days before
  });
});

/** What a change writes beside the head: the documents it refers to and retires, the index keys, the pipeline counts. */
describe('what a transition writes beside its status (dynalite)', () => {
  const documents = async (id: string) => (await partitionItems(id)).filter((i) => String(i.sk).startsWith('D#'));
  const expiring = (docs: Record<string, unknown>[]) => docs.filter((d) => d.expiresAt !== undefined).map((d) => String(d.sk)).sort();
  const routedTo = (partnerId: string, at: number) => ({ partner: { partnerId, partnerName: partnerId, assignedAt: new Date(at).toISOString(), reasons: ['region'] } });
  const distinctBriefs = (app: Application) => briefsFor(1, app).map((b) => ({ ...b, body: { ...b.body, Program: b.programId } }));
  const counts = async () => currentCounts((await readPipelineDays({ tableName: table.tableName })).map((d) => d.counters), APPLICATION_STATUSES);

  it('a replaced estimate or brief body expires a day after the change; what the head still refers to never does', async () => {
    let app = freshApplication();
    await createApplication(applications, app);
    app = await move(app, 'sized', system, T0 + 1000, 'sized', { estimate: estimate(app.worksheet, { now: new Date(T0) }) });
    app = await move(app, 'drafted', system, T0 + 2000, 'drafted', { briefs: distinctBriefs(app) });
    const drafted = app;
    // Each document is written once, for the version that first refers to it, and carries no expiry.
    const first = await documents(app.id);
    expect(first.map((d) => [d.kind, d.writtenFor]).sort()).toEqual([['brief-body', 3], ['brief-body', 3], ['estimate', 2]]);
    expect(expiring(first)).toEqual([]);
    // A change that keeps every body (routing) writes no document again.
    app = await move(app, 'routed', system, T0 + 3000, 'routed', routedTo('p-docs', T0 + 3000));
    expect((await documents(app.id)).map((d) => d.writtenFor).sort()).toEqual([2, 3, 3]);

    // Back to drafted with the first brief's body edited: only that old body expires, 24 h after the change.
    const edited = distinctBriefs(app).map((b, i) => (i === 0 ? { ...b, body: { ...b.body, Round: 2 } } : b));
    const changeAt = T0 + 4000;
    app = await move(app, 'drafted', system, changeAt, 'partner passed', { briefs: edited, partner: undefined });
    const afterEdit = await documents(app.id);
    const oldBody = afterEdit.filter((d) => d.writtenFor === 3 && d.expiresAt !== undefined);
    expect(oldBody).toHaveLength(1);
    expect(oldBody[0]).toMatchObject({ kind: 'brief-body', expiresAt: Math.floor((changeAt + 24 * 3600 * 1000) / 1000), supersededBy: app.version });
    expect(expiring(afterEdit)).toEqual([String(oldBody[0]!.sk)]);
    expect(afterEdit.find((d) => d.writtenFor === app.version)).toMatchObject({ kind: 'brief-body' });
    // The second brief's body is unchanged: not written again (it keeps the version it was first written for).
    expect(afterEdit.filter((d) => d.writtenFor === 3 && d.expiresAt === undefined)).toHaveLength(1);
    expect(await applications.mustGet(app.id)).toEqual({ ...app, notified: [] });

    // A late retry of an older retirement (drafted → routed's view, where the edited-away body was still current)
    // finds that body written again for a later version: it is not marked. Nor is a purged document brought back.
    const revertedAt = T0 + 5000;
    app = await move(app, 'routed', system, revertedAt, 'routed again', { briefs: drafted.briefs, ...routedTo('p-docs', revertedAt) });
    const reverted = await documents(app.id);
    expect(reverted.find((d) => d.sk === oldBody[0]!.sk)).toMatchObject({ writtenFor: app.version });
    expect(reverted.find((d) => d.sk === oldBody[0]!.sk)?.expiresAt).toBeUndefined();
    const editedKey = reverted.find((d) => d.writtenFor === app.version - 1)!;
    expect(editedKey.expiresAt).toBe(Math.floor((revertedAt + 24 * 3600 * 1000) / 1000));
    const { retireDocuments } = await import('../../functions/adapters/dynamo/applications.ts');
    const staleNext = { ...drafted, version: app.version - 1, briefs: edited };
    const warn = vi.spyOn(logger, 'warn');
    expect(await retireDocuments(applications, drafted, staleNext, new Date(T0 + 6000))).toBe(0);
    expect(warn).not.toHaveBeenCalled(); // a refused mark is expected here, not an operator's concern
    warn.mockRestore();
    expect((await documents(app.id)).find((d) => d.sk === oldBody[0]!.sk)?.expiresAt).toBeUndefined();
    await raw.send(new DeleteCommand({ TableName: table.tableName, Key: { pk: editedKey.pk, sk: editedKey.sk } }));
    expect(await retireDocuments(applications, { ...app, briefs: edited }, { ...app, version: app.version + 1 }, new Date(T0 + 6000))).toBe(0);
    expect((await documents(app.id)).map((d) => d.sk)).not.toContain(editedKey.sk);
  });

  it('a revised estimate: the one it replaced is marked (counted), and an estimate cleared by a change is gone on read', async () => {
    let app = freshApplication();
    await createApplication(applications, app);
    const { retireDocuments } = await import('../../functions/adapters/dynamo/applications.ts');
    const sized = await move(app, 'sized', system, T0 + 1000, 'sized', { estimate: estimate(app.worksheet, { now: new Date(T0) }) });
    const worksheet = { ...app.worksheet, workload: { ...app.worksheet.workload, requestsPerDay: app.worksheet.workload.requestsPerDay * 2 } };
    const revised = await move(sized, 'drafted', system, T0 + 2000, 'drafted', { estimate: estimate(worksheet, { now: new Date(T0) }) });
    expect(revised.estimate).not.toEqual(sized.estimate);
    const docs = await documents(app.id);
    expect(docs.filter((d) => d.kind === 'estimate')).toHaveLength(2);
    expect(expiring(docs)).toHaveLength(1);
    expect(docs.find((d) => d.expiresAt !== undefined)).toMatchObject({ writtenFor: 2, supersededBy: 3, expiresAt: Math.floor((T0 + 2000) / 1000) + 86_400 });
    // Marking it again (a retry) counts it again: the marks are idempotent, the count is what was marked this time.
    expect(await retireDocuments(applications, sized, revised, new Date(T0 + 2000))).toBe(1);
    app = await move(revised, 'failed', system, T0 + 3000, 'reset', { estimate: undefined });
    expect(app.estimate).toBeUndefined();
    const stored = await applications.mustGet(app.id);
    expect(stored.estimate).toBeUndefined();
    expect(stored).toEqual({ ...app, notified: [] });
    expect(expiring(await documents(app.id))).toHaveLength(2);
  });

  it("unassigning the partner removes it on read and takes the application off that partner's queue", async () => {
    const { listPartnerQueue } = await import('../../functions/adapters/dynamo/applications-lists.ts');
    let app = freshApplication();
    await createApplication(applications, app);
    app = await move(app, 'sized', system, T0 + 1000, 'sized');
    app = await move(app, 'drafted', system, T0 + 2000, 'drafted', { briefs: briefsFor(1, app) });
    app = await move(app, 'routed', system, T0 + 3000, 'routed', routedTo('p-unassign', T0 + 3000));
    expect((await listPartnerQueue(applications, 'p-unassign', { limit: 10 })).items.map((i) => i.id)).toEqual([app.id]);
    app = await move(app, 'drafted', system, T0 + 4000, 'partner did not review in time', { partner: undefined, passedOverBy: ['p-unassign'] });
    const stored = await applications.mustGet(app.id);
    expect(stored.partner).toBeUndefined();
    expect(stored.passedOverBy).toEqual(['p-unassign']);
    expect((await listPartnerQueue(applications, 'p-unassign', { limit: 10 })).items).toEqual([]);
  });

  it('each transition is counted once in the pipeline; a counter write that fails leaves the change stored and warns', async () => {
    let app = freshApplication();
    await createApplication(applications, app);
    const before = await counts();
    app = await move(app, 'sized', system, T0 + 1000, 'sized');
    const afterOne = await counts();
    expect(afterOne.sized).toBe(before.sized! + 1);
    const warn = vi.spyOn(logger, 'warn');
    // The head's write goes through; the day counter's (the next UpdateItem) is throttled.
    const restore = failBefore(documentClient, 'UpdateItemCommand', throttled, { skip: 1 });
    try {
      app = await move(app, 'drafted', system, T0 + 2000, 'drafted');
      expect(app.status).toBe('drafted');
      expect((await applications.mustGet(app.id)).status).toBe('drafted');
      expect(warn).toHaveBeenCalledWith('Pipeline counters not updated; the next re-projection catches up', { error: expect.objectContaining({ name: 'ProvisionedThroughputExceededException' }) });
    } finally {
      restore();
      warn.mockRestore();
    }
    expect(await counts()).toEqual(afterOne);
  });
});

describe('a notice claimed by a sender that died (dynalite + the SES stand-in)', () => {
  function fakeClock(start: number): Clock & { at: number } {
    const clock = { at: start, now: () => new Date(clock.at), sleep: async (ms: number) => { clock.at += ms; } };
    return clock;
  }
  const config = { SENDER_EMAIL: 'credits@example.com', SES_CONFIGURATION_SET: 'test', PUBLIC_BASE_URL: 'http://localhost', OPS_EMAIL: 'ops@example.com' };
  const inbox = async () => ((await (await fetch(`${ses.url}/store`)).json()) as { emails: { subject: string }[] }).emails;

  it('is sent by the next run once the lease runs out (at least once), and only once', async () => {
    let app = freshApplication();
    await createApplication(applications, app);
    app = await move(app, 'sized', system, T0 + 1000, 'sized');
    const clock = fakeClock(T0 + 5000);
    // The first sender claims the notice and dies before SES is called.
    expect((await (await import('../../functions/adapters/dynamo/applications-notices.ts')).claimNotice(applications, app.id, 'v2:founder-status-update', clock.now())).state).toBe('claimed');
    const before = (await inbox()).length;
    // The retry arrives while the lease still holds: it waits the lease out, claims and sends.
    const notifier = new NotifierClass(applications, partners, config, composeNotice, clock);
    expect(await notifier.deliver(app, 'founder-status-update', 'v2:founder-status-update', { transition: app.transitions.at(-1)! })).toBe(true);
    expect(clock.at).toBeGreaterThanOrEqual(T0 + 5000 + NOTICE_LEASE_MS);
    expect((await inbox()).length).toBe(before + 1);
    // Any later run finds it sent.
    expect(await notifier.deliver(app, 'founder-status-update', 'v2:founder-status-update', { transition: app.transitions.at(-1)! })).toBe(false);
    expect((await inbox()).length).toBe(before + 1);
    expect((await applications.mustGet(app.id)).notified).toContain('v2:founder-status-update');
  });
});

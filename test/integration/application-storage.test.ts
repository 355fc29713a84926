/**
 * The application repository's smaller modules, each function on its own against dynalite (functions/adapters/dynamo/
 * applications-edits.ts, -expiry.ts, -lists.ts, -notices.ts, -tasks.ts): what is stored, what a stale read or a repeat
 * finds, pagination, and each refusal's words. Fixtures are built inside each test. Runs in the mutate suite
 * (vitest.mutate.config.ts), so StrykerJS sees it.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand as Get, PutCommand as Put, QueryCommand as Query, UpdateCommand as Update } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplicationRepository } from '../../functions/adapters/dynamo/applications.ts';
import type * as Edits from '../../functions/adapters/dynamo/applications-edits.ts';
import type * as Expiry from '../../functions/adapters/dynamo/applications-expiry.ts';
import type * as Intake from '../../functions/adapters/dynamo/applications-intake.ts';
import type * as Lists from '../../functions/adapters/dynamo/applications-lists.ts';
import type * as Notices from '../../functions/adapters/dynamo/applications-notices.ts';
import type * as Tasks from '../../functions/adapters/dynamo/applications-tasks.ts';
import type * as Client from '../../functions/adapters/dynamo/client.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../functions/core/errors.ts';
import { newApplication } from '../../functions/core/intake.ts';
import { transitionMarker } from '../../functions/core/notice-markers.ts';
import type { Application, ApplicationStatus, RecordState, StoredBrief, Transition } from '../../schemas/application.ts';
import { NOTICE_LEASE_MS } from '../../schemas/stored-version.ts';
import { startDynalite, type TestTable } from '../support/dynalite.ts';
import { failBefore } from '../support/dynamo-failures.ts';
import { exampleWorksheet } from '../support/fixtures.ts';

let table: TestTable;
let applications: ApplicationRepository;
let intake: typeof Intake;
let edits: typeof Edits;
let expiry: typeof Expiry;
let lists: typeof Lists;
let notices: typeof Notices;
let tasks: typeof Tasks;
let client: typeof Client;

beforeAll(async () => {
  table = await startDynalite();
  process.env.AWS_ENDPOINT_URL_DYNAMODB = table.endpoint;
  const { ApplicationRepository } = await import('../../functions/adapters/dynamo/applications.ts');
  intake = await import('../../functions/adapters/dynamo/applications-intake.ts');
  edits = await import('../../functions/adapters/dynamo/applications-edits.ts');
  expiry = await import('../../functions/adapters/dynamo/applications-expiry.ts');
  lists = await import('../../functions/adapters/dynamo/applications-lists.ts');
  notices = await import('../../functions/adapters/dynamo/applications-notices.ts');
  tasks = await import('../../functions/adapters/dynamo/applications-tasks.ts');
  client = await import('../../functions/adapters/dynamo/client.ts');
  applications = new ApplicationRepository(table.tableName);
});
afterAll(async () => table?.stop());

const created = new Date('2026-11-27T10:00:00Z');
const OPS = { kind: 'ops', id: 'ops-1' } as const;

function newId(): string {
  return `app_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
}

/** Stored with the status, briefs (one per record given, or the briefs given) and whatever else the case needs. */
async function stored(status: ApplicationStatus, opts: { records?: (RecordState | undefined)[]; briefs?: StoredBrief[]; partnerId?: string; updatedAt?: string; id?: string } = {}): Promise<Application> {
  const id = opts.id ?? newId();
  const base = newApplication({ id, worksheet: exampleWorksheet(), tokenHash: 'h'.repeat(64), now: created });
  const briefs = opts.briefs ?? (opts.records ?? []).map((record, i) => ({
    programId: i === 0 ? 'bedrock-poc' : 'activate-portfolio', body: { Project: { Title: `brief ${i} of ${id}` } }, problems: [], revision: 1, ...(record ? { record } : {}),
  }));
  const app: Application = {
    ...base,
    status,
    ...(opts.updatedAt ? { updatedAt: opts.updatedAt } : {}),
    ...(opts.partnerId ? { partner: { partnerId: opts.partnerId, partnerName: 'Northwind', assignedAt: base.createdAt, reasons: ['serves the Region'] } } : {}),
    ...(briefs.length > 0 ? { briefs } : {}),
  };
  expect(await intake.createApplication(applications, app)).toBe(true);
  return applications.mustGet(id);
}

async function rawItem(pk: string, sk: string): Promise<Record<string, unknown> | undefined> {
  return (await client.documentClient.send(new Get({ TableName: table.tableName, Key: { pk, sk }, ConsistentRead: true }))).Item;
}
const head = (id: string) => rawItem(`APP#${id}`, 'APP');

function note(app: Application, reason = 'nudged the partner', at = '2026-11-28T09:00:00Z'): Transition {
  return { at, actor: OPS, from: app.status, to: app.status, reason, version: app.version + 1 };
}

async function refusal(promise: Promise<unknown>): Promise<Error> {
  return promise.then(() => { throw new Error('expected a refusal'); }, (error: unknown) => error as Error);
}

/** A credited record: credits expire on `expiresOn`, the reminders given already sent. */
function credited(expiresOn: string, remindersSent?: number[]): RecordState {
  return { status: 'credits_applied', opportunityId: 'O1234567', credits: { amountUsd: '25000.00', appliedOn: '2026-01-01', expiresOn }, ...(remindersSent ? { remindersSent } : {}) };
}
const DAY_MS = 86_400_000;
const dueKey = (at: number, id: string) => `${new Date(at).toISOString()}#${id}`;

describe('appendNote', () => {
  it('refuses a note that changes the status or skips a version, with nothing written', async () => {
    const app = await stored('drafted');
    const message = 'appendNote: a note keeps the status and takes the next version';
    await expect(edits.appendNote(applications, app, { ...note(app), to: 'routed' })).rejects.toThrow(message);
    await expect(edits.appendNote(applications, app, { ...note(app), version: app.version + 2 })).rejects.toThrow(message);
    await expect(edits.appendNote(applications, app, { ...note(app), version: app.version })).rejects.toThrow(message);
    expect(await applications.mustGet(app.id)).toEqual(app);
  });

  it('stores the note as the latest transition and the earlier one as its own item; the status time and indexes stay; no mail is owed', async () => {
    const app = await stored('drafted');
    const before = await head(app.id);
    const n = note(app);
    const next = await edits.appendNote(applications, app, n);
    expect(next).toEqual({ ...app, version: 2, transitions: [...app.transitions, n] });
    const after = await head(app.id);
    expect(after).toMatchObject({ status: 'drafted', version: 2, lastTransition: n, updatedAt: app.updatedAt, gsi2pk: before?.gsi2pk, gsi2sk: before?.gsi2sk });
    expect((after?.summary as { lastReason: string }).lastReason).toBe('nudged the partner');
    expect(after?.briefs).toBeUndefined();
    expect((await rawItem(`APP#${app.id}`, 'T#000001'))?.transition).toEqual(app.transitions[0]);
    expect(await rawItem(`APP#${app.id}`, `N#${transitionMarker(2)}`)).toMatchObject({ state: 'sent', entity: 'notice' });
    const read = await applications.mustGet(app.id);
    expect(read).toEqual({ ...next, notified: [transitionMarker(2)] });
  });

  it('with briefs: stores them and their new bodies, and marks the replaced body for expiry', async () => {
    const app = await stored('action_required', { records: [{ status: 'action_required', opportunityId: 'O1111111' }] });
    const oldRef = (await head(app.id))?.briefs as { bodyRef: string }[];
    const briefs = app.briefs!.map((b) => ({ ...b, body: { Project: { Title: 'copied back from Partner Central' } } }));
    const next = await edits.appendNote(applications, app, note(app, 'updated in Partner Central'), { briefs });
    expect(next.briefs).toEqual(briefs);
    expect((await applications.mustGet(app.id)).briefs).toEqual(briefs);
    const newRef = (await head(app.id))?.briefs as { bodyRef: string }[];
    expect(newRef[0]!.bodyRef).not.toBe(oldRef[0]!.bodyRef);
    expect(await rawItem(`APP#${app.id}`, `D#${oldRef[0]!.bodyRef}`)).toMatchObject({ expiresAt: Math.floor(Date.parse('2026-11-28T09:00:00Z') / 1000) + 86_400, supersededBy: 2 });
    const written = await rawItem(`APP#${app.id}`, `D#${newRef[0]!.bodyRef}`);
    expect(written).toMatchObject({ entity: 'document', kind: 'brief-body', writtenFor: 2 });
    expect(written?.expiresAt).toBeUndefined();
  });

  it('loses to a concurrent change (the version or the status moved): ConflictError naming the state now, no notice marked', async () => {
    const app = await stored('drafted');
    await edits.appendNote(applications, app, note(app, 'first'));
    const error = await refusal(edits.appendNote(applications, app, note(app, 'second')));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toBe(`Application ${app.id} changed meanwhile (now 'drafted', version 2); try again`);
    const latest = await applications.mustGet(app.id);
    expect(latest.transitions.at(-1)?.reason).toBe('first');
    // Same version, another status read: the status half of the guard.
    const stale = { ...latest, status: 'routed' as const };
    const byStatus = await refusal(edits.appendNote(applications, stale, note(stale)));
    expect(byStatus.message).toBe(`Application ${app.id} changed meanwhile (now 'drafted', version 2); try again`);
    expect(await rawItem(`APP#${app.id}`, `N#${transitionMarker(3)}`)).toBeUndefined();
    expect((await head(app.id))?.version).toBe(2);
  });

  it('on an application that does not exist: NotFoundError, no head created', async () => {
    const app = { ...newApplication({ id: newId(), worksheet: exampleWorksheet(), tokenHash: 'h'.repeat(64), now: created }), status: 'drafted' as const };
    const error = await refusal(edits.appendNote(applications, app, note(app)));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toBe(`Application ${app.id} not found`);
    expect(await head(app.id)).toBeUndefined();
  });

  it('a write failing otherwise fails as itself', async () => {
    const app = await stored('drafted');
    const restore = failBefore(client.documentClient, 'UpdateItemCommand', () => Object.assign(new Error('boom'), { name: 'InternalServerError' }));
    const error = await refusal(edits.appendNote(applications, app, note(app))).finally(restore);
    expect(error.name).toBe('InternalServerError');
    expect(await rawItem(`APP#${app.id}`, `N#${transitionMarker(2)}`)).toBeUndefined();
  });
});

describe('updateBriefs', () => {
  it('replaces the briefs, bumps the version, keeps the status, and marks the replaced body for expiry', async () => {
    const app = await stored('action_required', { records: [{ status: 'action_required', opportunityId: 'O1111111' }] });
    const oldRef = ((await head(app.id))?.briefs as { bodyRef: string }[])[0]!.bodyRef;
    const briefs = app.briefs!.map((b) => ({ ...b, body: { Project: { Title: 'fixed' } }, revision: 2 }));
    const now = new Date('2026-11-29T00:00:00Z');
    const next = await edits.updateBriefs(applications, app, briefs, now);
    expect(next).toEqual({ ...app, briefs, version: 2 });
    expect(await applications.mustGet(app.id)).toEqual(next);
    const after = await head(app.id);
    expect(after).toMatchObject({ status: 'action_required', version: 2, updatedAt: app.updatedAt });
    expect(after?.summary).toMatchObject({ records: [{ programId: 'bedrock-poc', status: 'action_required' }] });
    expect(await rawItem(`APP#${app.id}`, `D#${oldRef}`)).toMatchObject({ expiresAt: now.getTime() / 1000 + 86_400, supersededBy: 2 });
    const newRef = ((await head(app.id))?.briefs as { bodyRef: string }[])[0]!.bodyRef;
    expect(await rawItem(`APP#${app.id}`, `D#${newRef}`)).toMatchObject({ entity: 'document', kind: 'brief-body', writtenFor: 2 });
  });

  it('loses to a concurrent change: ConflictError naming the state now, the winner kept', async () => {
    const app = await stored('action_required', { records: [{ status: 'action_required', opportunityId: 'O1111111' }] });
    const first = app.briefs!.map((b) => ({ ...b, body: { Project: { Title: 'first' } } }));
    await edits.updateBriefs(applications, app, first, new Date());
    const error = await refusal(edits.updateBriefs(applications, app, app.briefs!.map((b) => ({ ...b, body: { Project: { Title: 'second' } } })), new Date()));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toBe(`Application ${app.id} changed while the brief was being saved (now 'action_required', version 2)`);
    const latest = await applications.mustGet(app.id);
    expect(latest.briefs).toEqual(first);
    const byStatus = await refusal(edits.updateBriefs(applications, { ...latest, status: 'approved' }, first, new Date()));
    expect(byStatus.message).toBe(`Application ${app.id} changed while the brief was being saved (now 'action_required', version 2)`);
  });

  it('on an application that does not exist: NotFoundError, no head created; another failure fails as itself', async () => {
    const app = { ...newApplication({ id: newId(), worksheet: exampleWorksheet(), tokenHash: 'h'.repeat(64), now: created }), briefs: [] };
    await expect(edits.updateBriefs(applications, app, [], new Date())).rejects.toThrow(`Application ${app.id} not found`);
    expect(await head(app.id)).toBeUndefined();
    const real = await stored('drafted');
    const restore = failBefore(client.documentClient, 'UpdateItemCommand', () => Object.assign(new Error('boom'), { name: 'InternalServerError' }));
    expect((await refusal(edits.updateBriefs(applications, real, [], new Date())).finally(restore)).name).toBe('InternalServerError');
  });
});

describe('recordReminderSent', () => {
  it('appends only the days not yet recorded and moves the sweep index to the next check', async () => {
    const expiresOn = '2027-03-01';
    const app = await stored('credits_applied', { records: [credited(expiresOn, [60])] });
    const expiresAt = Date.parse(expiresOn);
    expect((await head(app.id))?.gsi3sk).toBe(dueKey(expiresAt - 30 * DAY_MS, app.id));
    const after = await expiry.recordReminderSent(applications, app, 'bedrock-poc', [60, 30]);
    expect(after.briefs![0]!.record?.remindersSent).toEqual([60, 30]);
    const read = await applications.mustGet(app.id);
    expect(read.briefs![0]!.record?.remindersSent).toEqual([60, 30]);
    expect(read.version).toBe(app.version);
    expect(await head(app.id)).toMatchObject({ gsi3pk: 'EXPIRY', gsi3sk: dueKey(expiresAt, app.id) });
  });

  it('records the first reminder where none was recorded yet, on the right brief', async () => {
    const app = await stored('credits_applied', { records: [credited('2027-05-01'), credited('2027-03-01')] });
    const after = await expiry.recordReminderSent(applications, app, 'activate-portfolio', [60]);
    expect(after.briefs!.map((b) => b.record?.remindersSent)).toEqual([undefined, [60]]);
    const read = await applications.mustGet(app.id);
    expect(read.briefs!.map((b) => b.record?.remindersSent)).toEqual([undefined, [60]]);
    expect((await head(app.id))?.gsi3sk).toBe(dueKey(Date.parse('2027-03-01') - 30 * DAY_MS, app.id));
  });

  it('writes nothing when the program has no brief or no record, or every day is recorded', async () => {
    const app = await stored('credits_applied', { records: [credited('2027-03-01', [60, 30]), undefined] });
    expect(await expiry.recordReminderSent(applications, app, 'no-such-program', [60])).toBe(app);
    expect(await expiry.recordReminderSent(applications, app, 'activate-portfolio', [60])).toBe(app);
    expect(await expiry.recordReminderSent(applications, app, 'bedrock-poc', [30, 60])).toBe(app);
    expect(await expiry.recordReminderSent(applications, { ...app, briefs: undefined }, 'bedrock-poc', [60])).toEqual({ ...app, briefs: undefined });
    expect(await applications.mustGet(app.id)).toEqual(app);
  });

  it('removes the sweep index when the record no longer calls for a visit', async () => {
    const app = await stored('approved', { records: [{ status: 'approved', opportunityId: 'O3333333', award: { amountUsd: '1.00', expiresOn: '2027-01-15' } }] });
    await client.documentClient.send(new Update({ TableName: table.tableName, Key: { pk: `APP#${app.id}`, sk: 'APP' }, UpdateExpression: 'SET gsi3pk = :pk, gsi3sk = :sk', ExpressionAttributeValues: { ':pk': 'EXPIRY', ':sk': `2000-01-01T00:00:00.000Z#${app.id}` } }));
    await expiry.recordReminderSent(applications, app, 'bedrock-poc', [60]);
    const after = await head(app.id);
    expect(after?.gsi3pk).toBeUndefined();
    expect(after?.gsi3sk).toBeUndefined();
    expect((await applications.mustGet(app.id)).briefs![0]!.record?.remindersSent).toEqual([60]);
  });

  it('after a concurrent change: records the reminder but leaves the index as the other writer set it', async () => {
    const app = await stored('credits_applied', { records: [credited('2027-03-01')] });
    await edits.appendNote(applications, app, note(app));
    const indexBefore = (await head(app.id))?.gsi3sk;
    const after = await expiry.recordReminderSent(applications, app, 'bedrock-poc', [60]);
    expect(after.briefs![0]!.record?.remindersSent).toEqual([60]);
    expect((await applications.mustGet(app.id)).briefs![0]!.record?.remindersSent).toEqual([60]);
    expect((await head(app.id))?.gsi3sk).toBe(indexBefore);
  });

  it('a repeat from a stale read records nothing twice', async () => {
    const app = await stored('credits_applied', { records: [credited('2027-03-01')] });
    await expiry.recordReminderSent(applications, app, 'bedrock-poc', [60]);
    await expiry.recordReminderSent(applications, app, 'bedrock-poc', [60, 30]);
    expect((await applications.mustGet(app.id)).briefs![0]!.record?.remindersSent).toEqual([60]);
    await expiry.recordReminderSent(applications, app, 'bedrock-poc', [30]);
    expect((await applications.mustGet(app.id)).briefs![0]!.record?.remindersSent).toEqual([60, 30]);
  });

  it('writes nowhere else when the stored briefs moved (another program at that place, or no record there) or the application is gone', async () => {
    const app = await stored('credits_applied', { records: [credited('2027-03-01'), credited('2027-04-01')] });
    const swapped = { ...app, briefs: [...app.briefs!].reverse() };
    await expiry.recordReminderSent(applications, swapped, 'activate-portfolio', [60]);
    expect((await applications.mustGet(app.id)).briefs!.map((b) => b.record?.remindersSent)).toEqual([undefined, undefined]);
    const bare = await stored('credits_applied', { records: [undefined] });
    await expiry.recordReminderSent(applications, { ...bare, briefs: [{ ...bare.briefs![0]!, record: credited('2027-03-01') }] }, 'bedrock-poc', [60]);
    expect((await applications.mustGet(bare.id)).briefs![0]!.record).toBeUndefined();
    const ghost = { ...app, id: newId() };
    await expiry.recordReminderSent(applications, ghost, 'bedrock-poc', [60]);
    expect(await head(ghost.id)).toBeUndefined();
  });

  it('a write failing otherwise fails as itself, first or fallback', async () => {
    const app = await stored('credits_applied', { records: [credited('2027-03-01')] });
    const restore = failBefore(client.documentClient, 'UpdateItemCommand', () => Object.assign(new Error('boom'), { name: 'InternalServerError' }), { skip: 1 });
    await edits.appendNote(applications, app, note(app)).catch(() => undefined);
    const error = await refusal(expiry.recordReminderSent(applications, app, 'bedrock-poc', [60])).finally(restore);
    expect(error.name).toBe('InternalServerError');
  });
});

describe('refreshExpiryDue', () => {
  it('sets the index from the application when it is the stored version, removes it when nothing is due, leaves it otherwise', async () => {
    const app = await stored('credits_applied', { records: [credited('2027-03-01')] });
    const expiresAt = Date.parse('2027-03-01');
    const withSent = { ...app, briefs: [{ ...app.briefs![0]!, record: credited('2027-03-01', [60]) }] };
    await expiry.refreshExpiryDue(applications, withSent);
    expect(await head(app.id)).toMatchObject({ gsi3pk: 'EXPIRY', gsi3sk: dueKey(expiresAt - 30 * DAY_MS, app.id) });
    await expiry.refreshExpiryDue(applications, { ...app, version: app.version + 1, briefs: [] });
    expect((await head(app.id))?.gsi3sk).toBe(dueKey(expiresAt - 30 * DAY_MS, app.id));
    await expiry.refreshExpiryDue(applications, { ...app, briefs: [] });
    const after = await head(app.id);
    expect(after?.gsi3pk).toBeUndefined();
    expect(after?.gsi3sk).toBeUndefined();
    const ghost = { ...app, id: newId() };
    await expiry.refreshExpiryDue(applications, ghost);
    expect(await head(ghost.id)).toBeUndefined();
  });

  it('a write failing otherwise fails as itself', async () => {
    const app = await stored('credits_applied', { records: [credited('2027-03-01')] });
    const restore = failBefore(client.documentClient, 'UpdateItemCommand', () => Object.assign(new Error('boom'), { name: 'InternalServerError' }));
    expect((await refusal(expiry.refreshExpiryDue(applications, app)).finally(restore)).name).toBe('InternalServerError');
  });
});

describe('listExpiryDue', () => {
  it('lists the applications due by now (inclusive), earliest first, page by page; a foreign cursor is refused', async () => {
    // Credits that expired in 1990 (their reminders due in 1989, long before anything else in this table).
    const late = await stored('credits_applied', { records: [credited('1990-03-01', [60, 30])] });
    const early = await stored('credits_applied', { records: [credited('1990-01-01', [60, 30])] });
    const middle = await stored('credits_applied', { records: [credited('1990-02-01', [60, 30])] });
    const now = new Date('1990-03-01T00:00:00Z');
    const first = await expiry.listExpiryDue(applications, now, { limit: 2 });
    expect(first.ids).toEqual([early.id, middle.id]);
    expect(first.cursor).toEqual(expect.any(String));
    const second = await expiry.listExpiryDue(applications, now, { limit: 2, cursor: first.cursor! });
    expect(second.ids).toEqual([late.id]);
    const all = await expiry.listExpiryDue(applications, now, { limit: 10 });
    expect(all).toEqual({ ids: [early.id, middle.id, late.id] });
    expect((await expiry.listExpiryDue(applications, new Date('1990-02-28T23:59:59.999Z'), { limit: 10 })).ids).toEqual([early.id, middle.id]);
    // A cursor of another query (the operations list) does not page this one.
    const other = await stored('rejected');
    await stored('rejected');
    const foreign = (await lists.listByStatus(applications, 'rejected', { limit: 1 })).cursor;
    expect(other.id).toBeDefined();
    expect(await refusal(expiry.listExpiryDue(applications, now, { limit: 2, cursor: foreign! }))).toBeInstanceOf(ValidationError);
    // Nor does one of the same index's other partition (the partners to reconcile, keys.ts access pattern 8b).
    const reconcile = Buffer.from(JSON.stringify({ pk: 'PARTNER#p-x', sk: 'PCSYNC#AWS', gsi3pk: 'PCSYNC#OPEN', gsi3sk: 'p-x#AWS' })).toString('base64url');
    expect(await refusal(expiry.listExpiryDue(applications, now, { limit: 2, cursor: reconcile }))).toBeInstanceOf(ValidationError);
    const own = Buffer.from(JSON.stringify({ pk: `APP#${early.id}`, sk: 'APP', gsi3pk: 'EXPIRY', gsi3sk: dueKey(Date.parse('1990-01-01'), early.id) })).toString('base64url');
    expect((await expiry.listExpiryDue(applications, now, { limit: 10, cursor: own })).ids).toEqual([middle.id, late.id]);
  });
});

describe('list pages', () => {
  it('getHeads: the heads by id, without timeline or bodies; missing ids left out', async () => {
    const a = await stored('drafted', { records: [{ status: 'draft' }] });
    const b = await stored('routed');
    const heads = await lists.getHeads(applications, [a.id, newId(), b.id]);
    expect(heads.map((h) => h.id).sort()).toEqual([a.id, b.id].sort());
    const ha = heads.find((h) => h.id === a.id)!;
    expect(ha).toMatchObject({ status: 'drafted', version: 1, lastTransition: a.transitions[0] });
    expect(ha).not.toHaveProperty('transitions');
    expect(ha).not.toHaveProperty('pk');
    expect(await lists.getHeads(applications, [])).toEqual([]);
  });

  it('listByStatus: oldest or newest first, stuck since a time, paginated; only list rows', async () => {
    const ids = [];
    for (const day of ['01', '03', '02']) ids.push((await stored('withdrawn', { updatedAt: `2026-10-${day}T00:00:00.000Z` })).id);
    await stored('expired', { updatedAt: '2026-10-01T00:00:00.000Z' });
    const [d1, d3, d2] = ids;
    const oldest = await lists.listByStatus(applications, 'withdrawn', { limit: 10 });
    expect(oldest.items.map((i) => i.id)).toEqual([d1, d2, d3]);
    expect(oldest.cursor).toBeUndefined();
    expect(oldest.items[0]).toEqual({ id: d1, status: 'withdrawn', updatedAt: '2026-10-01T00:00:00.000Z', summary: expect.objectContaining({ lastReason: 'worksheet submitted' }) });
    expect((await lists.listByStatus(applications, 'withdrawn', { limit: 10, newestFirst: true })).items.map((i) => i.id)).toEqual([d3, d2, d1]);
    expect((await lists.listByStatus(applications, 'withdrawn', { limit: 10, newestFirst: false })).items.map((i) => i.id)).toEqual([d1, d2, d3]);
    expect((await lists.listByStatus(applications, 'withdrawn', { limit: 10, updatedBefore: '2026-10-03T00:00:00.000Z' })).items.map((i) => i.id)).toEqual([d1, d2]);
    const page1 = await lists.listByStatus(applications, 'withdrawn', { limit: 2 });
    expect(page1.items.map((i) => i.id)).toEqual([d1, d2]);
    const page2 = await lists.listByStatus(applications, 'withdrawn', { limit: 2, cursor: page1.cursor! });
    expect(page2.items.map((i) => i.id)).toEqual([d3]);
    // The cursor belongs to that status's list.
    expect(await refusal(lists.listByStatus(applications, 'expired', { limit: 2, cursor: page1.cursor! }))).toBeInstanceOf(ValidationError);
  });

  it('countInStatusSince: every row stuck since before the time and the escalated ones, in one Query', async () => {
    const base = await stored('in_partner_review', { updatedAt: '2026-09-01T00:00:00.000Z' });
    await stored('in_partner_review', { updatedAt: '2026-09-02T00:00:00.000Z' });
    await stored('in_partner_review', { updatedAt: '2026-09-20T00:00:00.000Z' });
    expect(await lists.countInStatusSince(applications, 'in_partner_review', '2026-09-10T00:00:00.000Z')).toEqual({ count: 2, escalated: 0, queries: 1 });
    await client.documentClient.send(new Update({ TableName: table.tableName, Key: { pk: `APP#${base.id}`, sk: 'APP' }, UpdateExpression: 'SET summary.escalation = :e', ExpressionAttributeValues: { ':e': { at: '2026-09-05T00:00:00.000Z', reason: 'stuck' } } }));
    expect(await lists.countInStatusSince(applications, 'in_partner_review', '2026-09-10T00:00:00.000Z')).toEqual({ count: 2, escalated: 1, queries: 1 });
    expect(await lists.countInStatusSince(applications, 'in_partner_review', '2026-09-01T00:00:00.000Z')).toEqual({ count: 0, escalated: 0, queries: 1 });
  });

  it('listPartnerQueue: one partner, one status or all, oldest first, paginated', async () => {
    const partnerId = `p-${randomUUID().slice(0, 8)}`;
    const routed2 = await stored('routed', { partnerId, updatedAt: '2026-10-02T00:00:00.000Z' });
    const routed1 = await stored('routed', { partnerId, updatedAt: '2026-10-01T00:00:00.000Z' });
    const approved = await stored('approved', { partnerId, updatedAt: '2026-09-01T00:00:00.000Z' });
    await stored('routed', { partnerId: `${partnerId}-other` });
    const all = await lists.listPartnerQueue(applications, partnerId, { limit: 10 });
    expect(all.items.map((i) => i.id)).toEqual([approved.id, routed1.id, routed2.id]);
    const routed = await lists.listPartnerQueue(applications, partnerId, { status: 'routed', limit: 1 });
    expect(routed.items.map((i) => i.id)).toEqual([routed1.id]);
    const more = await lists.listPartnerQueue(applications, partnerId, { status: 'routed', limit: 1, cursor: routed.cursor! });
    expect(more.items.map((i) => i.id)).toEqual([routed2.id]);
    expect(await refusal(lists.listPartnerQueue(applications, `${partnerId}-other`, { limit: 1, cursor: routed.cursor! }))).toBeInstanceOf(ValidationError);
    expect(await refusal(lists.listByStatus(applications, 'routed', { limit: 1, cursor: routed.cursor! }))).toBeInstanceOf(ValidationError);
  });
});

describe('notices', () => {
  it('claim, busy until the lease ends, sent once marked; a claim whose lease ran out is claimed again', async () => {
    const id = newId();
    const now = new Date('2026-12-01T00:00:00Z');
    const t = now.getTime();
    expect(await notices.claimNotice(applications, id, 'k1', now)).toEqual({ state: 'claimed', leaseUntil: t + NOTICE_LEASE_MS });
    expect(await rawItem(`APP#${id}`, 'N#k1')).toMatchObject({ entity: 'notice', key: 'k1', state: 'claimed', leaseUntil: t + NOTICE_LEASE_MS });
    expect(await notices.claimNotice(applications, id, 'k1', new Date(t + NOTICE_LEASE_MS))).toEqual({ state: 'busy', leaseUntil: t + NOTICE_LEASE_MS });
    expect(await notices.claimNotice(applications, id, 'k1', new Date(t + NOTICE_LEASE_MS + 1))).toEqual({ state: 'claimed', leaseUntil: t + 2 * NOTICE_LEASE_MS + 1 });
    await notices.markNoticesSent(applications, id, ['k1', 'k2']);
    expect(await rawItem(`APP#${id}`, 'N#k2')).toEqual({ pk: `APP#${id}`, sk: 'N#k2', entity: 'notice', key: 'k2', state: 'sent' });
    expect(await notices.claimNotice(applications, id, 'k1', new Date(t + 10 * NOTICE_LEASE_MS))).toEqual({ state: 'sent' });
  });

  it('a claim stored without a lease (none is written so today) counts as run out: claimed, not retried for ever', async () => {
    const id = newId();
    const now = new Date('2026-12-01T00:00:00Z');
    await client.documentClient.send(new Put({ TableName: table.tableName, Item: { pk: `APP#${id}`, sk: 'N#k', entity: 'notice', key: 'k', state: 'claimed' } }));
    // The read treats a missing lease as 0 (run out); the write's condition must agree, or the claim recurses.
    const stuck = new Promise<'still retrying'>((resolve) => setTimeout(() => resolve('still retrying'), 5_000).unref());
    expect(await Promise.race([notices.claimNotice(applications, id, 'k', now), stuck])).toEqual({ state: 'claimed', leaseUntil: now.getTime() + NOTICE_LEASE_MS });
  });

  it('release: the next attempt claims at once; a sent notice stays sent; an unknown notice is not created', async () => {
    const id = newId();
    const now = new Date('2026-12-01T00:00:00Z');
    await notices.claimNotice(applications, id, 'k', now);
    await notices.releaseNotice(applications, id, 'k');
    expect((await rawItem(`APP#${id}`, 'N#k'))?.leaseUntil).toBe(0);
    expect(await notices.claimNotice(applications, id, 'k', now)).toEqual({ state: 'claimed', leaseUntil: now.getTime() + NOTICE_LEASE_MS });
    await notices.markNoticesSent(applications, id, ['k']);
    await notices.releaseNotice(applications, id, 'k');
    expect(await rawItem(`APP#${id}`, 'N#k')).toEqual({ pk: `APP#${id}`, sk: 'N#k', entity: 'notice', key: 'k', state: 'sent' });
    await notices.releaseNotice(applications, id, 'none');
    expect(await rawItem(`APP#${id}`, 'N#none')).toBeUndefined();
    const restore = failBefore(client.documentClient, 'UpdateItemCommand', () => Object.assign(new Error('boom'), { name: 'InternalServerError' }));
    expect((await refusal(notices.releaseNotice(applications, id, 'k')).finally(restore)).name).toBe('InternalServerError');
  });

  it('a claim refused by a claim released meanwhile (or gone) tries again and gets it', async () => {
    const id = newId();
    const now = new Date('2026-12-01T00:00:00Z');
    const conditionFailed = () => Object.assign(new Error('The conditional request failed (injected)'), { name: 'ConditionalCheckFailedException' });
    let restore = failBefore(client.documentClient, 'PutItemCommand', conditionFailed);
    expect(await notices.claimNotice(applications, id, 'gone', now).finally(restore)).toEqual({ state: 'claimed', leaseUntil: now.getTime() + NOTICE_LEASE_MS });
    await notices.claimNotice(applications, id, 'released', now);
    await notices.releaseNotice(applications, id, 'released');
    restore = failBefore(client.documentClient, 'PutItemCommand', conditionFailed);
    expect(await notices.claimNotice(applications, id, 'released', now).finally(restore)).toEqual({ state: 'claimed', leaseUntil: now.getTime() + NOTICE_LEASE_MS });
    // Held by another (lease live): busy, even when the refusal came first.
    restore = failBefore(client.documentClient, 'PutItemCommand', conditionFailed);
    expect(await notices.claimNotice(applications, id, 'released', now).finally(restore)).toEqual({ state: 'busy', leaseUntil: now.getTime() + NOTICE_LEASE_MS });
  });
});

describe('task bookkeeping', () => {
  it('setExecutionArn: on the head and its list summary; refused for an application that does not exist', async () => {
    const app = await stored('submitted');
    const arn = 'arn:aws:states:us-east-1:000000000000:execution:ace:one';
    await tasks.setExecutionArn(applications, app.id, arn);
    expect(await head(app.id)).toMatchObject({ executionArn: arn, summary: expect.objectContaining({ executionArn: arn }) });
    expect((await applications.mustGet(app.id)).executionArn).toBe(arn);
    const ghost = newId();
    expect((await refusal(tasks.setExecutionArn(applications, ghost, arn))).name).toBe('ConditionalCheckFailedException');
    expect(await head(ghost)).toBeUndefined();
  });

  it('saveTaskToken / getTaskToken: stored beside the application, read until it expires (to the second)', async () => {
    const id = newId();
    const now = new Date('2026-12-01T00:00:00.000Z');
    const expiresAt = new Date('2026-12-02T00:00:00.900Z');
    await tasks.saveTaskToken(applications, id, 'partner-review', 'tok-1', { executionArn: 'arn:x', now, expiresAt });
    expect(await rawItem(`APP#${id}`, 'TASK#partner-review')).toEqual({
      pk: `APP#${id}`, sk: 'TASK#partner-review', entity: 'task-token', applicationId: id, kind: 'partner-review', token: 'tok-1',
      executionArn: 'arn:x', storedAt: now.toISOString(), expiresAt: Math.floor(expiresAt.getTime() / 1000),
    });
    const answer = { token: 'tok-1', storedAt: now.toISOString() };
    expect(await tasks.getTaskToken(applications, id, 'partner-review', now)).toEqual(answer);
    expect(await tasks.getTaskToken(applications, id, 'partner-review', new Date('2026-12-02T00:00:00.999Z'))).toEqual(answer);
    expect(await tasks.getTaskToken(applications, id, 'partner-review', new Date('2026-12-02T00:00:01.000Z'))).toBeUndefined();
    expect(await tasks.getTaskToken(applications, id, 'other', now)).toBeUndefined();
    // A token stored without an expiry (an older item) is read whenever.
    await client.documentClient.send(new Update({ TableName: table.tableName, Key: { pk: `APP#${id}`, sk: 'TASK#partner-review' }, UpdateExpression: 'REMOVE expiresAt' }));
    expect(await tasks.getTaskToken(applications, id, 'partner-review', new Date('2030-01-01T00:00:00Z'))).toEqual(answer);
    await tasks.saveTaskToken(applications, id, 'partner-review', 'tok-2', { now, expiresAt });
    expect(await rawItem(`APP#${id}`, 'TASK#partner-review')).not.toHaveProperty('executionArn');
    // Task tokens never show up in the application read.
    expect(await applications.get(id)).toBeUndefined();
    expect((await client.documentClient.send(new Query({ TableName: table.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `APP#${id}` } }))).Count).toBe(1);
  });
});

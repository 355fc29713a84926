/**
 * The daily expiry sweep (functions/usecases/expiry-sweep.ts sweepExpiries) against dynalite: which applications it
 * visits (those due on the sweep index), the transitions it writes (credits_applied → expiring, records → expired),
 * the reminders it asks the notifier for and records, the index it moves on, its totals and a run where an
 * application fails. The notifier is a recorder; the sweep index's listing is the real one, its calls recorded.
 * Each case has a table of its own (the sweep reads the whole index). Runs in the mutate suite
 * (vitest.mutate.config.ts).
 */
import { randomUUID } from 'node:crypto';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApplicationRepository } from '../../functions/adapters/dynamo/applications.ts';
import type * as Applications from '../../functions/adapters/dynamo/applications.ts';
import type * as Intake from '../../functions/adapters/dynamo/applications-intake.ts';
import type * as Client from '../../functions/adapters/dynamo/client.ts';
import type * as Expiry from '../../functions/adapters/dynamo/applications-expiry.ts';
import type * as Sweep from '../../functions/usecases/expiry-sweep.ts';
import { logger } from '../../functions/adapters/observability.ts';
import { newApplication } from '../../functions/core/intake.ts';
import type { NoticeKind } from '../../functions/core/notifications.ts';
import type { Application, ApplicationStatus, RecordState } from '../../schemas/application.ts';
import { createTable, startDynalite, type TestTable } from '../support/dynalite.ts';
import { failBefore, throttled } from '../support/dynamo-failures.ts';
import { exampleWorksheet } from '../support/fixtures.ts';

/** The pages of the sweep index asked for (the real listing answers them). */
const pages = vi.hoisted(() => [] as unknown[]);
vi.mock('../../functions/adapters/dynamo/applications-expiry.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof Expiry>();
  return {
    ...actual,
    listExpiryDue: async (...args: Parameters<typeof actual.listExpiryDue>) => {
      pages.push(args[2]);
      return actual.listExpiryDue(...args);
    },
  };
});

let server: TestTable;
let applicationsModule: typeof Applications;
let intake: typeof Intake;
let client: typeof Client;
let sweep: typeof Sweep;

beforeAll(async () => {
  server = await startDynalite('expiry-sweep');
  process.env.AWS_ENDPOINT_URL_DYNAMODB = server.endpoint;
  applicationsModule = await import('../../functions/adapters/dynamo/applications.ts');
  intake = await import('../../functions/adapters/dynamo/applications-intake.ts');
  client = await import('../../functions/adapters/dynamo/client.ts');
  sweep = await import('../../functions/usecases/expiry-sweep.ts');
});
afterAll(async () => server?.stop());

const now = new Date('2026-12-07T12:00:00.000Z');
const clock = { now: () => now, sleep: async () => undefined };
const SWEEP = { kind: 'system', id: 'ExpirySweep' } as const;
const DAY_MS = 86_400_000;
/** The plain date `days` after now's (a whole number of days left: the expiry is at the start of that day, UTC). */
const inDays = (days: number) => new Date(Date.parse('2026-12-07') + days * DAY_MS).toISOString().slice(0, 10);

interface World {
  tableName: string;
  applications: ApplicationRepository;
  mails: Array<{ id: string; kind: NoticeKind; key: string; extras: unknown }>;
  notified: Application[];
  deps: Sweep.ExpirySweepDeps;
}

let tables = 0;
/** A table of the case's own; the notifier records and answers `claimed` (false: another attempt sent it). */
async function world(claimed = true): Promise<World> {
  const tableName = `expiry-${(tables += 1)}`;
  await createTable(server.endpoint, tableName);
  const applications = new applicationsModule.ApplicationRepository(tableName);
  const mails: World['mails'] = [];
  const notified: Application[] = [];
  const notifier = {
    deliver: async (app: Application, kind: NoticeKind, key: string, extras: unknown) => {
      mails.push({ id: app.id, kind, key, extras });
      return claimed;
    },
    notifyTransitions: async (app: Application) => {
      notified.push(app);
      return [];
    },
  };
  return { tableName, applications, mails, notified, deps: { applications, notifier, clock } };
}

function credited(expiresOn: string, remindersSent?: number[], amountUsd = '25000.00'): RecordState {
  return { status: 'credits_applied', opportunityId: 'O1234567', credits: { amountUsd, appliedOn: '2026-01-01', expiresOn }, ...(remindersSent ? { remindersSent } : {}) };
}

const PROGRAMS = ['bedrock-poc', 'activate-portfolio'];

/** Stored in `status` with one brief per record. */
async function stored(w: World, status: ApplicationStatus, records: RecordState[]): Promise<Application> {
  const id = `app_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
  const briefs = records.map((record, i) => ({ programId: PROGRAMS[i]!, body: { Project: { Title: `brief ${i}` } }, problems: [], revision: 1, record }));
  const app: Application = { ...newApplication({ id, worksheet: exampleWorksheet(), tokenHash: 'h'.repeat(64), now: new Date('2026-01-01T00:00:00Z') }), status, briefs };
  expect(await intake.createApplication(w.applications, app)).toBe(true);
  return w.applications.mustGet(id);
}

const headOf = async (w: World, id: string) => (await client.documentClient.send(new GetCommand({ TableName: w.tableName, Key: { pk: `APP#${id}`, sk: 'APP' }, ConsistentRead: true }))).Item;
/** Its sweep index entry moved to a week ago: due now. */
const dueNow = (w: World, id: string) => client.documentClient.send(new UpdateCommand({ TableName: w.tableName, Key: { pk: `APP#${id}`, sk: 'APP' }, UpdateExpression: 'SET gsi3sk = :sk', ExpressionAttributeValues: { ':sk': `2026-12-01T00:00:00.000Z#${id}` } }));
/** A sweep index entry under an application partition that holds no application (no head item). */
const ghostEntry = (w: World, id: string, at: string) => client.documentClient.send(new UpdateCommand({ TableName: w.tableName, Key: { pk: `APP#${id}`, sk: 'DOC#x' }, UpdateExpression: 'SET gsi3pk = :pk, gsi3sk = :sk', ExpressionAttributeValues: { ':pk': 'EXPIRY', ':sk': `${at}#${id}` } }));
const noTotals = { applications: 0, reminders: 0, expired: 0, expiring: 0, failed: 0 };

describe('sweepExpiries', () => {
  it('reminds 60 days ahead and moves the application to expiring, once', async () => {
    const w = await world();
    const app = await stored(w, 'credits_applied', [credited(inDays(45))]);
    const info = vi.spyOn(logger, 'info').mockImplementation(() => undefined);
    try {
      expect(await sweep.sweepExpiries(w.deps, SWEEP)).toEqual({ ...noTotals, applications: 1, reminders: 1, expiring: 1 });
      expect(info).toHaveBeenCalledWith('Expiry sweep done', { ...noTotals, applications: 1, reminders: 1, expiring: 1, at: now.toISOString() });
    } finally {
      info.mockRestore();
    }
    expect(w.mails).toEqual([{ id: app.id, kind: 'founder-expiry-reminder', key: 'expiry:bedrock-poc:60', extras: { expiry: { programId: 'bedrock-poc', daysLeft: 45, expiresOn: inDays(45), amountUsd: '25000.00' } } }]);
    const after = await w.applications.mustGet(app.id);
    expect(after.status).toBe('expiring');
    expect(after.transitions.at(-1)).toMatchObject({ from: 'credits_applied', to: 'expiring', actor: SWEEP, at: now.toISOString(), reason: 'credits expire in 45 day(s)' });
    expect(after.briefs![0]!.record?.remindersSent).toEqual([60]);
    expect(w.notified.map((a) => [a.id, a.status, a.version])).toEqual([[app.id, 'expiring', after.version]]);
    // Not due again before the 30-day reminder: a second run today visits nothing.
    expect(await sweep.sweepExpiries(w.deps, SWEEP)).toEqual(noTotals);
    expect(w.mails).toHaveLength(1);
  });

  it('the mail names the earliest reminder of several records; one without an amount is mailed without one', async () => {
    const w = await world();
    const app = await stored(w, 'credits_applied', [credited(inDays(50)), credited(inDays(20), undefined, '')]);
    expect(await sweep.sweepExpiries(w.deps, SWEEP)).toEqual({ ...noTotals, applications: 1, reminders: 2, expiring: 1 });
    expect(lastReason(await w.applications.mustGet(app.id))).toBe('credits expire in 20 day(s)');
    expect(w.mails.map((m) => [m.key, m.extras])).toEqual([
      ['expiry:bedrock-poc:60', { expiry: { programId: 'bedrock-poc', daysLeft: 50, expiresOn: inDays(50), amountUsd: '25000.00' } }],
      ['expiry:activate-portfolio:30', { expiry: { programId: 'activate-portfolio', daysLeft: 20, expiresOn: inDays(20) } }],
    ]);
    // A sweep that ran late passed both thresholds of the second record: one mail, both recorded.
    expect((await w.applications.mustGet(app.id)).briefs!.map((b) => b.record?.remindersSent)).toEqual([[60], [60, 30]]);
  });

  it('a reminder another attempt already mailed is recorded, not counted', async () => {
    const w = await world(false);
    const app = await stored(w, 'expiring', [credited(inDays(25), [60])]);
    expect(await sweep.sweepExpiries(w.deps, SWEEP)).toEqual({ ...noTotals, applications: 1 });
    expect(w.mails.map((m) => m.key)).toEqual(['expiry:bedrock-poc:30']);
    expect((await w.applications.mustGet(app.id)).briefs![0]!.record?.remindersSent).toEqual([60, 30]);
    // Its status did not change: its transitions are left to the workflow's notices.
    expect(w.notified).toEqual([]);
  });

  it('expires a record on its date; the application follows once every record has expired', async () => {
    const w = await world();
    const app = await stored(w, 'credits_applied', [credited(inDays(0), [60, 30])]);
    expect(await sweep.sweepExpiries(w.deps, SWEEP)).toEqual({ ...noTotals, applications: 1, expired: 1, expiring: 1 });
    const after = await w.applications.mustGet(app.id);
    expect(after.transitions.slice(-2).map((t) => [t.from, t.to, t.reason])).toEqual([
      ['credits_applied', 'expiring', 'credits expire in 0 day(s)'],
      ['expiring', 'expired', `credits expired on ${inDays(0)}`],
    ]);
    expect(after.status).toBe('expired');
    expect(after.briefs![0]!.record?.status).toBe('expired');
    expect(w.notified.map((a) => a.status)).toEqual(['expired']);
    expect(w.mails).toEqual([]);
  });

  it('an application already expiring: its records expire without a second move to expiring', async () => {
    const w = await world();
    const app = await stored(w, 'expiring', [credited(inDays(-1), [60, 30]), credited(inDays(-2), [60, 30])]);
    expect(await sweep.sweepExpiries(w.deps, SWEEP)).toEqual({ ...noTotals, applications: 1, expired: 2 });
    const after = await w.applications.mustGet(app.id);
    expect(after.status).toBe('expired');
    expect(after.transitions.filter((t) => t.from === 'credits_applied')).toEqual([]);
    expect(w.notified.map((a) => [a.id, a.status])).toEqual([[app.id, 'expired']]);
  });

  it('moves to expiring with every reminder already sent: "credits expire soon"', async () => {
    const w = await world();
    const app = await stored(w, 'credits_applied', [credited(inDays(10), [60, 30])]);
    // Its next check is the expiry itself; a visit due earlier (a sweep that failed after recording the reminders).
    await dueNow(w, app.id);
    expect(await sweep.sweepExpiries(w.deps, SWEEP)).toEqual({ ...noTotals, applications: 1, expiring: 1 });
    expect(lastReason(await w.applications.mustGet(app.id))).toBe('credits expire soon');
  });

  it('a failed application is reminded but nothing of it expires until operations redrive it', async () => {
    const w = await world();
    const app = await stored(w, 'failed', [credited(inDays(-1), [60, 30]), credited(inDays(40))]);
    expect(await sweep.sweepExpiries(w.deps, SWEEP)).toEqual({ ...noTotals, applications: 1, reminders: 1 });
    const after = await w.applications.mustGet(app.id);
    expect(after).toMatchObject({ status: 'failed', version: app.version });
    expect(after.briefs!.map((b) => [b.record?.status, b.record?.remindersSent])).toEqual([['credits_applied', [60, 30]], ['credits_applied', [60]]]);
    // Still due (its expired record), so the next run visits it again, and does nothing again.
    expect(await sweep.sweepExpiries(w.deps, SWEEP)).toEqual({ ...noTotals, applications: 1 });
    expect((await w.applications.mustGet(app.id)).version).toBe(app.version);
  });

  it('a visit due earlier than the truth finds nothing to do and moves the index to the next check', async () => {
    const w = await world();
    const app = await stored(w, 'credits_applied', [credited(inDays(100))]);
    const next = `${new Date(Date.parse(inDays(100)) - 60 * DAY_MS).toISOString()}#${app.id}`;
    expect((await headOf(w, app.id))?.gsi3sk).toBe(next);
    await dueNow(w, app.id);
    expect(await sweep.sweepExpiries(w.deps, SWEEP)).toEqual({ ...noTotals, applications: 1 });
    expect((await headOf(w, app.id))?.gsi3sk).toBe(next);
    expect(await w.applications.mustGet(app.id)).toMatchObject({ status: 'credits_applied', version: app.version });
    expect(w.notified).toEqual([]);
  });

  it('an entry whose application is gone is counted and skipped', async () => {
    const w = await world();
    await ghostEntry(w, 'app_ghost', '2026-12-01T00:00:00.000Z');
    expect(await sweep.sweepExpiries(w.deps, SWEEP)).toEqual({ ...noTotals, applications: 1 });
  });

  it('reads every page of what is due', async () => {
    const w = await world();
    // A full first page of entries due earlier (items whose application is gone: the cheapest to visit).
    await Promise.all(Array.from({ length: 100 }, (_, i) => ghostEntry(w, `app_ghost${String(i).padStart(3, '0')}`, '2026-11-30T00:00:00.000Z')));
    const app = await stored(w, 'expiring', [credited(inDays(25), [60])]);
    pages.length = 0;
    expect(await sweep.sweepExpiries(w.deps, SWEEP)).toEqual({ ...noTotals, applications: 101, reminders: 1 });
    expect(pages).toEqual([{ limit: 100 }, { limit: 100, cursor: expect.any(String) }]);
    expect(w.mails.map((m) => [m.id, m.key])).toEqual([[app.id, 'expiry:bedrock-poc:30']]);
  });

  it('one application failing does not stop the others; the run then fails so Scheduler retries it', async () => {
    const w = await world();
    const first = await stored(w, 'credits_applied', [credited(inDays(45))]);
    const second = await stored(w, 'credits_applied', [credited(inDays(46))]);
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
    // The first application's transition write is throttled; the second's goes through.
    const undo = failBefore(client.documentClient, 'UpdateItemCommand', throttled);
    try {
      await expect(sweep.sweepExpiries(w.deps, SWEEP)).rejects.toThrow(new sweep.ExpirySweepError('1 application(s) could not be swept; retrying is safe'));
      expect(warn).toHaveBeenCalledWith('Expiry sweep skipped an application', expect.objectContaining({ applicationId: first.id, conflict: false }));
    } finally {
      undo();
      warn.mockRestore();
    }
    expect((await w.applications.mustGet(first.id)).status).toBe('credits_applied');
    expect((await w.applications.mustGet(second.id)).status).toBe('expiring');
    expect(new sweep.ExpirySweepError('x').name).toBe('ExpirySweepError');
  });
});

const lastReason = (app: Application) => app.transitions.at(-1)?.reason;

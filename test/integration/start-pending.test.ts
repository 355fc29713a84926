/**
 * The intake outbox (functions/usecases/start-pending.ts startPending) against dynalite: which stored applications it
 * starts (submitted, no execution, older than the grace period), the arn it records, its counts, pages, and a run
 * with failed starts. The workflow start is injected (recorded); the operations index listing is the real one, its
 * calls recorded. Each case has a table of its own. Runs in the mutate suite (vitest.mutate.config.ts).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApplicationRepository } from '../../functions/adapters/dynamo/applications.ts';
import type * as Applications from '../../functions/adapters/dynamo/applications.ts';
import type * as Intake from '../../functions/adapters/dynamo/applications-intake.ts';
import type * as Lists from '../../functions/adapters/dynamo/applications-lists.ts';
import type * as StartPending from '../../functions/usecases/start-pending.ts';
import { logger } from '../../functions/adapters/observability.ts';
import { newApplication } from '../../functions/core/intake.ts';
import type { Application, ApplicationStatus } from '../../schemas/application.ts';
import { createTable, startDynalite, type TestTable } from '../support/dynalite.ts';
import { exampleWorksheet } from '../support/fixtures.ts';

/** The listings asked for; `endless` answers every page with one more cursor (a listing that never ends). */
const listing = vi.hoisted(() => ({ calls: [] as Array<{ status: string; opts: unknown }>, endless: false }));
vi.mock('../../functions/adapters/dynamo/applications-lists.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof Lists>();
  return {
    ...actual,
    listByStatus: async (...args: Parameters<typeof actual.listByStatus>) => {
      listing.calls.push({ status: args[1], opts: args[2] });
      if (!listing.endless) return actual.listByStatus(...args);
      return { ...(await actual.listByStatus(args[0], args[1], { limit: args[2].limit })), cursor: 'more' };
    },
  };
});

let server: TestTable;
let applicationsModule: typeof Applications;
let intake: typeof Intake;
let sweep: typeof StartPending;

beforeAll(async () => {
  server = await startDynalite('start-pending');
  process.env.AWS_ENDPOINT_URL_DYNAMODB = server.endpoint;
  applicationsModule = await import('../../functions/adapters/dynamo/applications.ts');
  intake = await import('../../functions/adapters/dynamo/applications-intake.ts');
  sweep = await import('../../functions/usecases/start-pending.ts');
});
afterAll(async () => server?.stop());
beforeEach(() => {
  listing.calls.length = 0;
  listing.endless = false;
});

const now = new Date('2026-12-07T12:00:00.000Z');
const clock = { now: () => now, sleep: async () => undefined };
const arnOf = (id: string) => `arn:aws:states:us-east-1:123456789012:execution:AceFiling:${id}`;

let tables = 0;
async function table(): Promise<ApplicationRepository> {
  const tableName = `pending-${(tables += 1)}`;
  await createTable(server.endpoint, tableName);
  return new applicationsModule.ApplicationRepository(tableName);
}

/** Stored `msAgo` before now, in `status`, with the execution given (none by default). */
async function stored(applications: ApplicationRepository, msAgo: number, extra: Partial<Application> = {}, status: ApplicationStatus = 'submitted'): Promise<Application> {
  const id = `app_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
  const app: Application = { ...newApplication({ id, worksheet: exampleWorksheet(), tokenHash: 'h'.repeat(64), now: new Date(now.getTime() - msAgo) }), status, ...extra };
  expect(await intake.createApplication(applications, app)).toBe(true);
  return app;
}

/** A workflow start that records the ids and fails for those in `failing`. */
function starter(failing: readonly string[] = []) {
  const started: string[] = [];
  return {
    started,
    startWorkflow: async (id: string) => {
      started.push(id);
      if (failing.includes(id)) throw new Error(`no start for ${id}`);
      return { executionArn: arnOf(id), alreadyStarted: false };
    },
  };
}

describe('startPending', () => {
  it('starts a submitted application without an execution once the grace period is over, and records its execution', async () => {
    const applications = await table();
    const due = await stored(applications, sweep.START_GRACE_MS);
    const young = await stored(applications, sweep.START_GRACE_MS - 1);
    const running = await stored(applications, 10 * sweep.START_GRACE_MS, { executionArn: arnOf('running') });
    await stored(applications, 10 * sweep.START_GRACE_MS, {}, 'sized');
    const { started, startWorkflow } = starter();
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
    try {
      expect(await sweep.startPending({ applications, clock, startWorkflow })).toEqual({ checked: 3, started: 1, failed: 0 });
      expect(warn).toHaveBeenCalledWith('Started the workflow of an application its intake left unstarted', { applicationId: due.id });
    } finally {
      warn.mockRestore();
    }
    expect(started).toEqual([due.id]);
    expect((await applications.mustGet(due.id)).executionArn).toBe(arnOf(due.id));
    expect((await applications.mustGet(young.id)).executionArn).toBeUndefined();
    expect((await applications.mustGet(running.id)).executionArn).toBe(arnOf('running'));
    expect(listing.calls).toEqual([{ status: 'submitted', opts: { limit: 100 } }]);
  });

  it('reads every page, passing the cursor on', async () => {
    const applications = await table();
    // A first page of running applications (oldest first), then one left unstarted on the second page.
    await Promise.all(Array.from({ length: 100 }, (_, i) => stored(applications, 2 * sweep.START_GRACE_MS + i, { executionArn: arnOf(`running${i}`) })));
    const due = await stored(applications, sweep.START_GRACE_MS);
    const { started, startWorkflow } = starter();
    expect(await sweep.startPending({ applications, clock, startWorkflow })).toEqual({ checked: 101, started: 1, failed: 0 });
    expect(started).toEqual([due.id]);
    expect(listing.calls).toHaveLength(2);
    expect(listing.calls[1]).toEqual({ status: 'submitted', opts: { limit: 100, cursor: expect.any(String) } });
  });

  it('reads at most 20 pages in a run', async () => {
    const applications = await table();
    await stored(applications, 0);
    listing.endless = true;
    expect(await sweep.startPending({ applications, clock, startWorkflow: starter().startWorkflow })).toEqual({ checked: 20, started: 0, failed: 0 });
    expect(listing.calls).toHaveLength(20);
  });

  it('starts the others when one start fails, then fails the run so Scheduler retries it', async () => {
    const applications = await table();
    const broken = await stored(applications, 3 * sweep.START_GRACE_MS);
    const fine = await stored(applications, 2 * sweep.START_GRACE_MS);
    const { started, startWorkflow } = starter([broken.id]);
    const error = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    try {
      await expect(sweep.startPending({ applications, clock, startWorkflow })).rejects.toThrow(new Error('StartPending: 1 of 2 pending application(s) could not be started'));
      expect(error).toHaveBeenCalledWith('Could not start a pending application', { applicationId: broken.id, error: new Error(`no start for ${broken.id}`) });
    } finally {
      error.mockRestore();
    }
    expect(started).toEqual([broken.id, fine.id]);
    expect((await applications.mustGet(broken.id)).executionArn).toBeUndefined();
    expect((await applications.mustGet(fine.id)).executionArn).toBe(arnOf(fine.id));
  });

  it('an empty outbox: nothing checked, nothing started', async () => {
    const applications = await table();
    expect(await sweep.startPending({ applications, clock, startWorkflow: starter().startWorkflow })).toEqual({ checked: 0, started: 0, failed: 0 });
  });
});

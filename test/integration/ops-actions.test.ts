/**
 * Operations' redrive, reassign and cancel (functions/usecases/ops-actions.ts) against dynalite: the stored change,
 * the partner slots booked and released, the founder's and partners' mail asked for, the Step Functions calls made
 * (the two workflow adapters are replaced by recorders: starting, failing a waiting task, stopping), a repeat of each,
 * and each answer. Each case has a table of its own. Runs in the mutate suite (vitest.mutate.config.ts); the
 * operations end-to-end suite runs the same actions through the HTTP API and the local Step Functions.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApplicationRepository } from '../../functions/adapters/dynamo/applications.ts';
import type * as Applications from '../../functions/adapters/dynamo/applications.ts';
import type * as Intake from '../../functions/adapters/dynamo/applications-intake.ts';
import type * as Tasks from '../../functions/adapters/dynamo/applications-tasks.ts';
import type * as Partners from '../../functions/adapters/dynamo/partners.ts';
import type * as Ops from '../../functions/usecases/ops-actions.ts';
import type * as WorkflowEngine from '../../functions/adapters/workflow-engine.ts';
import type { Notifier } from '../../functions/usecases/notifier.ts';
import { planTransition } from '../../functions/core/application/lifecycle.ts';
import { ConflictError, NotFoundError } from '../../functions/core/errors.ts';
import { newApplication } from '../../functions/core/intake.ts';
import type { Application, ApplicationStatus, PartnerAssignment } from '../../schemas/application.ts';
import type { PartnerProfile } from '../../schemas/partner.ts';
import { createTable, startDynalite, type TestTable } from '../support/dynalite.ts';
import { exampleWorksheet } from '../support/fixtures.ts';

/** What the workflow adapters were asked to do, and what the next start answers. */
const sfn = vi.hoisted(() => ({
  starts: [] as Array<{ stateMachineArn: string; name: string; input: Record<string, unknown> }>,
  failed: [] as Array<{ token: string; error: string; cause: string }>,
  stopped: [] as Array<{ arn: string; error: string; cause: string }>,
  alreadyStarted: false,
  failAnswer: 'delivered' as 'delivered' | 'token-no-longer-valid',
}));

vi.mock('../../functions/adapters/workflow-restart.ts', () => ({
  startNamedExecution: async (stateMachineArn: string, name: string, input: Record<string, unknown>) => {
    sfn.starts.push({ stateMachineArn, name, input });
    return { executionArn: `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`, alreadyStarted: sfn.alreadyStarted };
  },
}));
vi.mock('../../functions/adapters/workflow-engine.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof WorkflowEngine>()),
  failTask: async (token: string, error: string, cause: string) => {
    sfn.failed.push({ token, error, cause });
    return sfn.failAnswer;
  },
  stopExecution: async (arn: string, error: string, cause: string) => {
    sfn.stopped.push({ arn, error, cause });
    return 'stopped';
  },
}));

let server: TestTable;
let applicationsModule: typeof Applications;
let intake: typeof Intake;
let tasks: typeof Tasks;
let partners: typeof Partners;
let ops: typeof Ops;

beforeAll(async () => {
  server = await startDynalite('ops-actions');
  process.env.AWS_ENDPOINT_URL_DYNAMODB = server.endpoint;
  applicationsModule = await import('../../functions/adapters/dynamo/applications.ts');
  intake = await import('../../functions/adapters/dynamo/applications-intake.ts');
  tasks = await import('../../functions/adapters/dynamo/applications-tasks.ts');
  partners = await import('../../functions/adapters/dynamo/partners.ts');
  ops = await import('../../functions/usecases/ops-actions.ts');
});
afterAll(async () => server?.stop());
beforeEach(() => {
  sfn.starts.length = 0;
  sfn.failed.length = 0;
  sfn.stopped.length = 0;
  sfn.alreadyStarted = false;
  sfn.failAnswer = 'delivered';
});

const now = new Date('2026-12-07T12:00:00.000Z');
const clock = { now: () => now, sleep: async () => undefined };
const OPERATOR = { kind: 'ops', id: 'op-1' } as const;
const SM = 'arn:aws:states:us-east-1:123456789012:stateMachine:AceFiling';
const executionOf = (name: string) => `arn:aws:states:us-east-1:123456789012:execution:AceFiling:${name}`;

interface World {
  applications: ApplicationRepository;
  partnerRepo: Partners.PartnerRepository;
  notified: Application[];
  deps: Ops.ActionDeps;
}

let tables = 0;
async function world(profiles: Array<Partial<PartnerProfile> & { id: string }> = [{ id: 'p-old' }, { id: 'p-new' }]): Promise<World> {
  const tableName = `ops-${(tables += 1)}`;
  await createTable(server.endpoint, tableName);
  const applications = new applicationsModule.ApplicationRepository(tableName);
  const partnerRepo = new partners.PartnerRepository(tableName);
  for (const p of profiles) {
    await partners.upsertPartnerProfile(partnerRepo, {
      name: `Partner ${p.id}`, tier: 'Advanced', regions: ['us-east-1'], contactEmail: 'desk@partner.example',
      strengths: { modelProviders: [], useCases: [], services: [] }, capacity: 2,
      record: { filings: 10, approvalRate: 0.8, medianDaysToCredits: 21 }, active: true, ...p,
    });
  }
  const notified: Application[] = [];
  const notifier = { notifyTransitions: async (app: Application) => { notified.push(app); return []; } } as unknown as Notifier;
  return { applications, partnerRepo, notified, deps: { tableName, applications, partners: partnerRepo, notifier, stateMachineArn: SM, clock } };
}

const assignment = (partnerId: string): PartnerAssignment => ({ partnerId, partnerName: `Partner ${partnerId}`, assignedAt: '2026-12-01T00:00:00.000Z', reasons: ['earlier'] });

async function stored(w: World, status: ApplicationStatus, extra: Partial<Application> = {}): Promise<Application> {
  const id = `app_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
  const app: Application = { ...newApplication({ id, worksheet: exampleWorksheet(), tokenHash: 'h'.repeat(64), now }), status, executionArn: executionOf(id), ...extra };
  expect(await intake.createApplication(w.applications, app)).toBe(true);
  return w.applications.mustGet(id);
}

/** Held by `partnerId` (its slot booked for the application). */
async function holding(w: World, status: ApplicationStatus, partnerId: string, extra: Partial<Application> = {}): Promise<Application> {
  const app = await stored(w, status, { partner: assignment(partnerId), ...extra });
  expect(await partners.bookPartner(w.partnerRepo, partnerId, app.id)).toBe(true);
  return app;
}

const loadOf = async (w: World, partnerId: string) => (await w.partnerRepo.get(partnerId))?.load;
const failure = (failedFrom: ApplicationStatus) => ({ at: '2026-12-06T00:00:00.000Z', state: 'RequestReview', error: 'States.TaskFailed', cause: 'boom', failedFrom });
const waitingReview = (w: World, id: string) => tasks.saveTaskToken(w.applications, id, 'partner-review', 'token-review', { now, expiresAt: new Date(now.getTime() + 86_400_000) });

describe('redrive', () => {
  it('puts a failed application back where it failed, books its partner\'s slot again and starts a new execution', async () => {
    const w = await world();
    const app = await stored(w, 'failed', { partner: assignment('p-old'), failure: failure('in_partner_review') });
    const answer = await ops.redrive(w.deps, app.id, OPERATOR, 'SES was down');
    const name = `${app.id}--ops-v2`;
    expect(answer).toEqual({ applicationId: app.id, action: 'redrive', status: 'in_partner_review', applied: true, detail: 'back to \'in_partner_review\'; a new execution carries on from there', executionArn: executionOf(name) });
    expect(sfn.starts).toEqual([{ stateMachineArn: SM, name, input: { applicationId: app.id, resume: 'redrive' } }]);
    const after = await w.applications.mustGet(app.id);
    expect(after).toMatchObject({ status: 'in_partner_review', version: 2, executionArn: executionOf(name) });
    expect(after.failure).toBeUndefined();
    expect(after.transitions.at(-1)).toMatchObject({ from: 'failed', to: 'in_partner_review', actor: OPERATOR, at: now.toISOString(), reason: 'redriven from RequestReview by operations: SES was down' });
    expect(await loadOf(w, 'p-old')).toBe(1);
  });

  it('books the slot again even when the partner has filled up meanwhile (the application was already theirs)', async () => {
    const w = await world([{ id: 'p-old', capacity: 1 }]);
    expect(await partners.bookPartner(w.partnerRepo, 'p-old', 'app_other')).toBe(true);
    const app = await stored(w, 'failed', { partner: assignment('p-old'), failure: failure('in_partner_review') });
    await ops.redrive(w.deps, app.id, OPERATOR, 'retry');
    expect(await loadOf(w, 'p-old')).toBe(2);
    // Held, so the approval or a decline gives it back.
    await w.partnerRepo.release('p-old', app.id);
    expect(await loadOf(w, 'p-old')).toBe(1);
  });

  it('books no slot for a status that holds none', async () => {
    const w = await world();
    const app = await stored(w, 'failed', { partner: assignment('p-old'), failure: failure('approved_for_filing') });
    expect((await ops.redrive(w.deps, app.id, OPERATOR, 'retry')).status).toBe('approved_for_filing');
    expect(await loadOf(w, 'p-old')).toBe(0);
  });

  it('a repeat writes nothing, books nothing, and records the execution a crash left unrecorded', async () => {
    const w = await world();
    const app = await stored(w, 'failed', { failure: failure('drafted') });
    await ops.redrive(w.deps, app.id, OPERATOR, 'retry');
    const name = `${app.id}--ops-v2`;
    // A crash between starting the execution and recording it: the application still names the first one.
    await tasks.setExecutionArn(w.applications, app.id, executionOf(app.id));
    sfn.alreadyStarted = true;
    const answer = await ops.redrive(w.deps, app.id, OPERATOR, 'retry');
    expect(answer).toMatchObject({ status: 'drafted', applied: false, executionArn: executionOf(name) });
    expect(sfn.starts.map((s) => s.name)).toEqual([name, name]);
    expect(await w.applications.mustGet(app.id)).toMatchObject({ version: 2, executionArn: executionOf(name) });
  });

  it('refuses an application that is not failed, starting nothing', async () => {
    const w = await world();
    const app = await stored(w, 'drafted');
    await expect(ops.redrive(w.deps, app.id, OPERATOR, 'retry')).rejects.toThrow(ConflictError);
    await expect(ops.redrive(w.deps, 'app_missing', OPERATOR, 'retry')).rejects.toThrow('Application app_missing not found');
    expect(sfn.starts).toEqual([]);
  });
});

describe('reassign', () => {
  it('refuses a partner not on file or inactive', async () => {
    const w = await world([{ id: 'p-old' }, { id: 'p-off', active: false }]);
    const app = await holding(w, 'in_partner_review', 'p-old');
    await expect(ops.reassign(w.deps, app.id, OPERATOR, 'p-none', 'x')).rejects.toThrow(new NotFoundError('No active partner \'p-none\''));
    await expect(ops.reassign(w.deps, app.id, OPERATOR, 'p-off', 'x')).rejects.toThrow(new NotFoundError('No active partner \'p-off\''));
    expect((await w.applications.mustGet(app.id)).version).toBe(app.version);
  });

  it('refuses a full partner before anything changes', async () => {
    const w = await world([{ id: 'p-old' }, { id: 'p-new', capacity: 1 }]);
    expect(await partners.bookPartner(w.partnerRepo, 'p-new', 'app_other')).toBe(true);
    const app = await holding(w, 'in_partner_review', 'p-old');
    const refused = await ops.reassign(w.deps, app.id, OPERATOR, 'p-new', 'x').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConflictError);
    expect(refused).toMatchObject({ message: 'Partner p-new has no free review slot (capacity 1)', currentState: 'partner-at-capacity' });
    expect((await w.applications.mustGet(app.id)).version).toBe(app.version);
    expect(await loadOf(w, 'p-old')).toBe(1);
    expect(sfn.failed).toEqual([]);
  });

  it('moves a waiting review to the new partner: slots swapped, everyone told, the waiting task failed', async () => {
    const w = await world();
    const app = await holding(w, 'in_partner_review', 'p-old');
    await waitingReview(w, app.id);
    const answer = await ops.reassign(w.deps, app.id, OPERATOR, 'p-new', 'p-old is on leave');
    expect(answer).toEqual({ applicationId: app.id, action: 'reassign', status: 'routed', applied: true, detail: 'with p-new now; p-old released; both partners and the founder are told', executionArn: executionOf(app.id) });
    const after = await w.applications.mustGet(app.id);
    expect(after.partner?.partnerId).toBe('p-new');
    expect(after.passedOverBy).toEqual(['p-old']);
    expect(await loadOf(w, 'p-new')).toBe(1);
    expect(await loadOf(w, 'p-old')).toBe(0);
    expect(w.notified.map((a) => [a.id, a.status, a.version])).toEqual([[app.id, 'routed', 2]]);
    expect(sfn.failed).toEqual([{ token: 'token-review', error: 'ChangedWhileWaiting', cause: 'reassigned to p-new by operations' }]);
    expect(sfn.starts).toEqual([]);
  });

  it('between tasks (no waiting review): fails nothing, the workflow reads the new assignment at the wait', async () => {
    const w = await world();
    const app = await holding(w, 'routed', 'p-old');
    await ops.reassign(w.deps, app.id, OPERATOR, 'p-new', 'x');
    expect(sfn.failed).toEqual([]);
    expect(sfn.starts).toEqual([]);
  });

  it('an unrouted application gets a new execution', async () => {
    const w = await world();
    const app = await stored(w, 'unrouted');
    const answer = await ops.reassign(w.deps, app.id, OPERATOR, 'p-new', 'by hand');
    const name = `${app.id}--ops-v2`;
    expect(answer).toEqual({ applicationId: app.id, action: 'reassign', status: 'routed', applied: true, detail: 'with p-new now; both partners and the founder are told', executionArn: executionOf(name) });
    expect(sfn.starts).toEqual([{ stateMachineArn: SM, name, input: { applicationId: app.id, resume: 'assigned' } }]);
    expect((await w.applications.mustGet(app.id)).executionArn).toBe(executionOf(name));
    expect(await loadOf(w, 'p-new')).toBe(1);
  });

  it('an unrouted application assigned to the partner it names keeps the slot just booked', async () => {
    const w = await world();
    const app = await stored(w, 'unrouted', { partner: assignment('p-new') });
    expect((await ops.reassign(w.deps, app.id, OPERATOR, 'p-new', 'by hand')).detail).toBe('with p-new now; both partners and the founder are told');
    expect(await loadOf(w, 'p-new')).toBe(1);
  });

  it('refuses the partner it is already with, keeping that partner\'s slot', async () => {
    const w = await world();
    const app = await holding(w, 'in_partner_review', 'p-new');
    await expect(ops.reassign(w.deps, app.id, OPERATOR, 'p-new', 'x')).rejects.toThrow(`Application ${app.id} is already with p-new ('in_partner_review')`);
    expect(await loadOf(w, 'p-new')).toBe(1);
  });

  it('a repeat of an unrouted application\'s assignment starts nothing new and releases nobody', async () => {
    const w = await world();
    const app = await stored(w, 'unrouted');
    await ops.reassign(w.deps, app.id, OPERATOR, 'p-new', 'by hand');
    sfn.alreadyStarted = true;
    const answer = await ops.reassign(w.deps, app.id, OPERATOR, 'p-new', 'by hand');
    expect(answer).toEqual({ applicationId: app.id, action: 'reassign', status: 'routed', applied: false, detail: 'with p-new now; both partners and the founder are told', executionArn: executionOf(`${app.id}--ops-v2`) });
    expect(sfn.starts.map((s) => s.name)).toEqual([`${app.id}--ops-v2`, `${app.id}--ops-v2`]);
    expect(await loadOf(w, 'p-new')).toBe(1);
  });

  it('a repeat writes nothing, releases the partner it replaced (a no-op now) and fails the waiting task again', async () => {
    const w = await world();
    const app = await holding(w, 'in_partner_review', 'p-old');
    await waitingReview(w, app.id);
    await ops.reassign(w.deps, app.id, OPERATOR, 'p-new', 'x');
    // A crash before the old slot was released: the repeat releases it.
    expect(await partners.bookPartner(w.partnerRepo, 'p-old', app.id)).toBe(true);
    const answer = await ops.reassign(w.deps, app.id, OPERATOR, 'p-new', 'x');
    expect(answer).toMatchObject({ applied: false, status: 'routed', detail: 'with p-new now; p-old released; both partners and the founder are told' });
    expect((await w.applications.mustGet(app.id)).version).toBe(2);
    expect(await loadOf(w, 'p-old')).toBe(0);
    expect(await loadOf(w, 'p-new')).toBe(1);
    expect(sfn.failed).toHaveLength(2);
  });

  it('refused after booking (the application moved meanwhile): the new slot is given back', async () => {
    const w = await world();
    const app = await holding(w, 'in_partner_review', 'p-old');
    let raced = false;
    const applications = Object.create(w.applications) as ApplicationRepository;
    applications.get = async (id: string) => {
      const read = await w.applications.get(id);
      if (!raced && read) {
        raced = true;
        await applicationsModule.applyTransition(w.applications, read, planTransition({ current: read.status, version: read.version, to: 'withdrawn', actor: { kind: 'founder', id: 'f' }, now, reason: 'withdrawn' }));
      }
      return read;
    };
    await expect(ops.reassign({ ...w.deps, applications }, app.id, OPERATOR, 'p-new', 'x')).rejects.toThrow(ConflictError);
    expect(await loadOf(w, 'p-new')).toBe(0);
    expect(await loadOf(w, 'p-old')).toBe(1);
    expect(w.notified).toEqual([]);
  });
});

describe('cancel', () => {
  it('withdraws the application, releases the slot, tells everyone and fails the waiting task', async () => {
    const w = await world();
    const app = await holding(w, 'in_partner_review', 'p-old');
    await waitingReview(w, app.id);
    const answer = await ops.cancel(w.deps, app.id, OPERATOR, 'duplicate');
    expect(answer).toEqual({ applicationId: app.id, action: 'cancel', status: 'withdrawn', applied: true, detail: 'withdrawn by operations; the workflow is ended, the partner slot released, the founder told', executionArn: executionOf(app.id) });
    const after = await w.applications.mustGet(app.id);
    expect(after.transitions.at(-1)).toMatchObject({ from: 'in_partner_review', to: 'withdrawn', actor: OPERATOR, reason: 'cancelled by operations: duplicate' });
    expect(await loadOf(w, 'p-old')).toBe(0);
    expect(w.notified.map((a) => [a.id, a.status])).toEqual([[app.id, 'withdrawn']]);
    expect(sfn.failed).toEqual([{ token: 'token-review', error: 'ChangedWhileWaiting', cause: 'cancelled by operations: duplicate' }]);
    expect(sfn.stopped).toEqual([]);
  });

  it('nothing waiting: the execution is stopped; no partner: nothing released', async () => {
    const w = await world();
    const app = await stored(w, 'drafted');
    expect(await partners.bookPartner(w.partnerRepo, 'p-old', 'app_other')).toBe(true);
    expect((await ops.cancel(w.deps, app.id, OPERATOR, 'spam')).applied).toBe(true);
    expect(sfn.stopped).toEqual([{ arn: executionOf(app.id), error: 'CancelledByOperations', cause: 'cancelled by operations: spam' }]);
    expect(await loadOf(w, 'p-old')).toBe(1);
    // A repeat: nothing written again, the answer says so.
    expect(await ops.cancel(w.deps, app.id, OPERATOR, 'spam')).toMatchObject({ applied: false, status: 'withdrawn' });
    expect((await w.applications.mustGet(app.id)).version).toBe(2);
  });
});

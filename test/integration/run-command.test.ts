/**
 * A human step run by functions/usecases/run-command.ts against dynalite: the write (or the replay it finds), then the
 * effects in order: the partner's slot, the callback to the stored task token (the latest among the kinds), and the
 * resumed execution of an escalated application. Step Functions is replaced by recording fakes of its two adapters
 * (workflow-engine.ts completeTask, workflow-restart.ts startNamedExecution); the tests assert the calls made. Runs in
 * the mutate suite (vitest.mutate.config.ts), so StrykerJS sees it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApplicationRepository } from '../../functions/adapters/dynamo/applications.ts';
import type { PartnerRepository } from '../../functions/adapters/dynamo/partners.ts';
import type * as Intake from '../../functions/adapters/dynamo/applications-intake.ts';
import type * as Tasks from '../../functions/adapters/dynamo/applications-tasks.ts';
import type * as RunCommand from '../../functions/usecases/run-command.ts';
import type * as WorkflowEngine from '../../functions/adapters/workflow-engine.ts';
import { logger } from '../../functions/adapters/observability.ts';
import type { Command } from '../../functions/core/application/commands.ts';
import { planTransition } from '../../functions/core/application/lifecycle.ts';
import { NotFoundError } from '../../functions/core/errors.ts';
import { newApplication } from '../../functions/core/intake.ts';
import { ESCALATION_MARK } from '../../functions/core/operations/escalation.ts';
import type { Application, ApplicationStatus } from '../../schemas/application.ts';
import { startDynalite, type TestTable } from '../support/dynalite.ts';
import { exampleWorksheet } from '../support/fixtures.ts';

/** What the fakes of Step Functions were asked, and what they answer. */
const sfn = vi.hoisted(() => ({
  completed: [] as [string, Record<string, unknown>][],
  started: [] as [string, string, Record<string, unknown>][],
  callbackAnswer: 'delivered' as 'delivered' | 'token-no-longer-valid',
  alreadyStarted: false,
}));

vi.mock('../../functions/adapters/workflow-engine.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof WorkflowEngine>()),
  completeTask: async (token: string, output: Record<string, unknown>) => {
    sfn.completed.push([token, output]);
    return sfn.callbackAnswer;
  },
}));

vi.mock('../../functions/adapters/workflow-restart.ts', () => ({
  startNamedExecution: async (stateMachineArn: string, name: string, input: Record<string, unknown>) => {
    sfn.started.push([stateMachineArn, name, input]);
    return { executionArn: `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`, alreadyStarted: sfn.alreadyStarted };
  },
}));

let table: TestTable;
let applications: ApplicationRepository;
let intake: typeof Intake;
let tasks: typeof Tasks;
let run: typeof RunCommand;
const now = new Date('2026-12-07T12:00:00Z');
const STATE_MACHINE = 'arn:aws:states:us-east-1:000000000000:stateMachine:workflow';
const SYSTEM = { kind: 'system', id: 'Workflow' } as const;

beforeAll(async () => {
  table = await startDynalite();
  process.env.AWS_ENDPOINT_URL_DYNAMODB = table.endpoint;
  const { ApplicationRepository } = await import('../../functions/adapters/dynamo/applications.ts');
  intake = await import('../../functions/adapters/dynamo/applications-intake.ts');
  tasks = await import('../../functions/adapters/dynamo/applications-tasks.ts');
  run = await import('../../functions/usecases/run-command.ts');
  applications = new ApplicationRepository(table.tableName);
});
afterAll(async () => table?.stop());
afterEach(() => {
  sfn.completed.length = 0;
  sfn.started.length = 0;
  sfn.callbackAnswer = 'delivered';
  sfn.alreadyStarted = false;
  vi.restoreAllMocks();
});

function recordingPartners() {
  const released: [string, string][] = [];
  // runEffects calls release only.
  const partners = { release: async (partnerId: string, applicationId: string) => void released.push([partnerId, applicationId]) } as Pick<PartnerRepository, 'release'>;
  return { released, partners: partners as PartnerRepository };
}

const deps = (extra: Partial<RunCommand.CommandDeps> = {}): RunCommand.CommandDeps => ({
  applications, stateMachineArn: STATE_MACHINE, clock: { now: () => now, sleep: async () => undefined }, ...extra,
});

/** Stored in `status`; `escalated`: its last transition is an escalation note (its execution ended there). */
async function stored(status: ApplicationStatus = 'submitted', escalated = false): Promise<Application> {
  const id = `app_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
  const base = newApplication({ id, worksheet: exampleWorksheet(), tokenHash: 'h'.repeat(64), now });
  const first = base.transitions[0]!;
  const moved = { ...first, from: 'submitted', to: status, reason: 'test', version: 2 } as const;
  const note = { ...first, from: status, to: status, actor: { kind: 'system', id: 'Notify' }, reason: `${ESCALATION_MARK}: no answer`, version: 3 } as const;
  const transitions = status === 'submitted' ? [first] : escalated ? [first, moved, note] : [first, moved];
  const app: Application = { ...base, status, version: transitions.length, transitions };
  expect(await intake.createApplication(applications, app)).toBe(true);
  return applications.mustGet(id);
}

const token = async (app: Application, kind: string, value: string, storedAt: Date) =>
  tasks.saveTaskToken(applications, app.id, kind, value, { now: storedAt, expiresAt: new Date(now.getTime() + 86_400_000) });

const sizing = (app: Application, at: Date): Command => ({
  kind: 'apply', plan: planTransition({ current: app.status, version: app.version, to: 'sized', actor: SYSTEM, reason: 'sized', now: at }), changes: {}, effects: {},
});

describe('runCommand: the write', () => {
  it('applies the planned transition once, planned on the stored application with the clock', async () => {
    const app = await stored();
    const seen: [number, Date][] = [];
    const result = await run.runCommand(deps(), app.id, (current, at) => {
      seen.push([current.version, at]);
      return sizing(current, at);
    });
    expect(seen).toEqual([[1, now]]);
    expect(result).toEqual({ app: expect.objectContaining({ id: app.id, status: 'sized', version: 2 }), transition: expect.objectContaining({ from: 'submitted', to: 'sized', version: 2 }), replayed: false });
    expect((await applications.mustGet(app.id)).status).toBe('sized');
  });

  it('a replay writes nothing and answers the application as stored, with the transition it found', async () => {
    const app = await stored('sized');
    const found = app.transitions.at(-1)!;
    const result = await run.runCommand(deps(), app.id, () => ({ kind: 'replay', transition: found, effects: {} }));
    expect(result).toEqual({ app, transition: found, replayed: true });
    expect((await applications.mustGet(app.id)).version).toBe(app.version);
  });

  it('a lost race re-reads and plans again on the winner\'s state', async () => {
    const app = await stored();
    let reads = 0;
    // The first read is a copy from before a concurrent writer moved the application on: its write fails its condition.
    const stale: ApplicationRepository = Object.assign(Object.create(applications) as ApplicationRepository, {
      get: async (id: string) => (reads++ === 0 ? app : applications.get(id)),
    });
    await run.runCommand(deps(), app.id, (current, at) => sizing(current, at));
    const planned: string[] = [];
    const result = await run.writeCommand(deps({ applications: stale }), app.id, (current, at) => {
      planned.push(`${current.status}@${current.version}`);
      return current.status === 'submitted' ? sizing(current, at) : { kind: 'replay', transition: current.transitions.at(-1), effects: {} };
    });
    expect(planned).toEqual(['submitted@1', 'sized@2']);
    expect(result).toMatchObject({ replayed: true, app: { version: 2 }, effects: {}, now });
  });

  it('an application that is not stored is not found (404), and nothing is planned', async () => {
    const plan = vi.fn();
    const refused = await run.runCommand(deps(), 'app_never_stored', plan).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NotFoundError);
    expect((refused as Error).message).toBe('Application app_never_stored not found');
    expect(plan).not.toHaveBeenCalled();
  });
});

describe('runEffects: the partner\'s slot', () => {
  it('gives back the slot of the partner named, for this application; none when none is named or no partners are passed', async () => {
    const app = await stored('sized');
    const { partners, released } = recordingPartners();
    await run.runEffects(deps({ partners }), app, { releaseSlotOf: 'p-north' }, now);
    expect(released).toEqual([['p-north', app.id]]);
    await run.runEffects(deps({ partners }), app, {}, now);
    expect(released).toHaveLength(1);
    await expect(run.runEffects(deps(), app, { releaseSlotOf: 'p-north' }, now)).resolves.toBeUndefined();
  });
});

describe('runEffects: the callback', () => {
  const kinds = ['partner-review', 'founder-revision'];
  const output = { decision: 'approved' };

  it('completes the most recently stored token among the kinds (whatever their order), and answers what the callback found', async () => {
    const app = await stored('in_partner_review');
    await token(app, 'partner-review', 'token-older', new Date('2026-12-05T00:00:00Z'));
    await token(app, 'founder-revision', 'token-newer', new Date('2026-12-06T00:00:00Z'));
    const info = vi.spyOn(logger, 'info');
    const result = await run.runCommand(deps(), app.id, () => ({ kind: 'replay', effects: { callback: { kinds, output } } }));
    expect(sfn.completed).toEqual([['token-newer', output]]);
    expect(result.callback).toBe('delivered');
    expect(info).toHaveBeenCalledWith('Workflow callback', { kinds, result: 'delivered' });
    expect(await run.latestToken(deps(), app.id, [...kinds].reverse(), now)).toEqual({ token: 'token-newer', storedAt: '2026-12-06T00:00:00.000Z' });
  });

  it('with no stored token (the workflow is not waiting yet) calls nothing and answers no-token', async () => {
    const app = await stored('in_partner_review');
    await token(app, 'aws-decision', 'token-of-another-kind', now);
    const info = vi.spyOn(logger, 'info');
    expect(await run.runEffects(deps(), app, { callback: { kinds, output } }, now)).toBe('no-token');
    expect(sfn.completed).toEqual([]);
    expect(info).toHaveBeenCalledWith('Workflow callback skipped: no stored task token', { kinds });
    expect(await run.latestToken(deps(), app.id, kinds, now)).toBeUndefined();
  });

  it('no callback planned: none made, and the answer carries none', async () => {
    const app = await stored('in_partner_review');
    await token(app, 'partner-review', 'token', now);
    const result = await run.runCommand(deps(), app.id, () => ({ kind: 'replay', effects: {} }));
    expect(result).not.toHaveProperty('callback');
    expect(sfn.completed).toEqual([]);
  });
});

describe('runEffects: an escalated application', () => {
  const callback = { kinds: ['aws-decision'], output: { outcome: 'approved' } };
  const resumeName = (app: Application) => `${app.id}--resume-v3`;

  it('a change nobody waits for (no token) starts the execution that resumes it, named after the escalation, and stores it', async () => {
    const app = await stored('in_aws_review', true);
    const info = vi.spyOn(logger, 'info');
    expect(await run.runEffects(deps(), app, { callback }, now)).toBe('no-token');
    expect(sfn.started).toEqual([[STATE_MACHINE, resumeName(app), { applicationId: app.id, resume: 'a change recorded after an escalation' }]]);
    expect((await applications.mustGet(app.id)).executionArn).toBe(`arn:aws:states:us-east-1:000000000000:execution:workflow:${resumeName(app)}`);
    expect(info).toHaveBeenCalledWith('Workflow resumed after an escalation', { alreadyStarted: false });
  });

  it('so does a token the ended execution left behind (no longer valid)', async () => {
    const app = await stored('approved', true);
    await token(app, 'aws-decision', 'token-of-the-ended-execution', now);
    sfn.callbackAnswer = 'token-no-longer-valid';
    expect(await run.runEffects(deps(), app, { callback }, now)).toBe('token-no-longer-valid');
    expect(sfn.started.map(([, name]) => name)).toEqual([resumeName(app)]);
  });

  it('an execution already started for that escalation is not stored again (the stored one may be newer)', async () => {
    const app = await stored('in_aws_review', true);
    await tasks.setExecutionArn(applications, app.id, 'arn:aws:states:us-east-1:000000000000:execution:workflow:newer');
    sfn.alreadyStarted = true;
    await run.runEffects(deps(), app, { callback }, now);
    expect(sfn.started).toHaveLength(1);
    expect((await applications.mustGet(app.id)).executionArn).toBe('arn:aws:states:us-east-1:000000000000:execution:workflow:newer');
  });

  it('starts nothing when the callback was delivered, the application never escalated, or it is closed', async () => {
    const waiting = await stored('in_aws_review', true);
    await token(waiting, 'aws-decision', 'token-live', now);
    expect(await run.runEffects(deps(), waiting, { callback }, now)).toBe('delivered');
    expect(await run.runEffects(deps(), await stored('in_aws_review'), { callback }, now)).toBe('no-token');
    expect(await run.runEffects(deps(), await stored('withdrawn', true), { callback }, now)).toBe('no-token');
    expect(sfn.started).toEqual([]);
  });
});

// The local Step Functions API (lib/local/sfn) driven through @aws-sdk/client-sfn, as handlers and tests use it:
// a small hand-written definition first, then the definition the CDK stack synthesizes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SFNClient,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { DescribeExecutionCommandOutput } from '@aws-sdk/client-sfn';
import { MovableClock } from '../../lib/local/clock.ts';
import { FunctionMapInvoker } from '../../lib/local/lambda-runtime.ts';
import type { Handler } from '../../lib/local/lambda-runtime.ts';
import { LocalStepFunctions } from '../../lib/local/sfn/engine.ts';
import { createSfnServer } from '../../lib/local/sfn/server.ts';
import { closeServer, listen } from '../../lib/local/net.ts';
import type { CfnTemplate } from '../../lib/local/template-model.ts';

const fn = (name: string): string => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
const SM_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:Sample';
const HOUR = 3_600_000;

class TransientError extends Error {
  override name = 'TransientError';
}
class PermanentError extends Error {
  override name = 'PermanentError';
}

/** A definition exercising lambda:invoke, a task-token wait with timeout, Retry, Catch and a Wait state. */
const definition = {
  StartAt: 'Prepare',
  States: {
    Prepare: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: fn('Prepare'), 'Payload.$': '$' },
      ResultSelector: { 'prepared.$': '$.Payload.prepared', 'status.$': '$.StatusCode' },
      ResultPath: '$.prep',
      Retry: [{ ErrorEquals: ['TransientError'], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2 }],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'MarkFailed' }],
      Next: 'MaybeWait',
    },
    MaybeWait: {
      Type: 'Choice',
      Choices: [{ Variable: '$.waitDays', IsPresent: true, Next: 'Sleep' }],
      Default: 'AwaitReview',
    },
    Sleep: { Type: 'Wait', SecondsPath: '$.waitSeconds', Next: 'AwaitReview' },
    AwaitReview: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: fn('Await'), Payload: { 'id.$': '$.id', 'taskToken.$': '$$.Task.Token' } },
      TimeoutSeconds: 3600,
      ResultPath: '$.review',
      Catch: [
        { ErrorEquals: ['States.TaskFailed'], ResultPath: '$.failure', Next: 'MarkFailed' },
        { ErrorEquals: ['States.Timeout'], ResultPath: '$.timedOut', Next: 'Overdue' },
      ],
      Next: 'Done',
    },
    Overdue: { Type: 'Pass', Result: 'overdue', ResultPath: '$.outcome', End: true },
    MarkFailed: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: fn('MarkFailed'), 'Payload.$': '$' },
      ResultPath: null,
      Next: 'Failed',
    },
    Failed: { Type: 'Fail', Error: 'ApplicationFailed', Cause: 'marked failed' },
    Done: { Type: 'Succeed' },
  },
};

interface Harness {
  client: SFNClient;
  clock: MovableClock;
  sfn: LocalStepFunctions;
  tokens: Map<string, string>;
  calls: { name: string; event: unknown }[];
  failPrepare: Map<string, Error[]>;
  close(): Promise<void>;
}

async function harness(opts: { dataDir?: string; definitions?: { arn: string; name: string; definition: Record<string, unknown> }[]; fns?: Record<string, Handler> } = {}): Promise<Harness> {
  const clock = new MovableClock();
  const tokens = new Map<string, string>();
  const calls: { name: string; event: unknown }[] = [];
  const failPrepare = new Map<string, Error[]>();
  const record = (name: string, h: Handler): Handler => (event, ctx) => {
    calls.push({ name, event });
    return h(event, ctx);
  };
  const invoker = new FunctionMapInvoker(
    opts.fns ?? {
      Prepare: record('Prepare', (e) => {
        const ev = e as { id: string };
        const next = failPrepare.get(ev.id)?.shift();
        if (next) throw next;
        return { prepared: true };
      }),
      Await: record('Await', (e) => {
        const ev = e as { id: string; taskToken: string };
        tokens.set(ev.id, ev.taskToken);
        return { stored: true };
      }),
      MarkFailed: record('MarkFailed', () => ({ marked: true })),
    },
  );
  const sfn = new LocalStepFunctions({
    clock,
    invoker,
    stateMachines: opts.definitions ?? [{ arn: SM_ARN, name: 'Sample', definition }],
    retryDelayMs: 0,
    ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
  });
  await sfn.init();
  const server: Server = createSfnServer(sfn);
  const url = await listen(server, '127.0.0.1', 0);
  const client = new SFNClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  return {
    client,
    clock,
    sfn,
    tokens,
    calls,
    failPrepare,
    close: async () => {
      client.destroy();
      await sfn.stop();
      await closeServer(server);
    },
  };
}

/** Polls (bounded, no fixed sleeps) until `check` returns a value. */
async function until<T>(h: Harness, check: () => Promise<T | undefined> | T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await check();
    if (v !== undefined) return v;
    await Promise.race([h.sfn.nextChange(), new Promise((r) => setTimeout(r, 20))]);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function finished(h: Harness, executionArn: string): Promise<DescribeExecutionCommandOutput> {
  return until(
    h,
    async () => {
      const d = await h.client.send(new DescribeExecutionCommand({ executionArn }));
      return d.status === 'RUNNING' ? undefined : d;
    },
    `${executionArn} to finish`,
  );
}

async function historyTypes(h: Harness, executionArn: string): Promise<string[]> {
  const { events } = await h.client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
  return (events ?? []).map((e) => e.type as string);
}

describe('local Step Functions through @aws-sdk/client-sfn (hand-written definition)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('runs to a task-token wait, hands the handler a real token, and resumes on SendTaskSuccess', async () => {
    const { executionArn, startDate } = await h.client.send(new StartExecutionCommand({ stateMachineArn: SM_ARN, name: 'ok-1', input: JSON.stringify({ id: 'ok-1' }) }));
    expect(executionArn).toBe('arn:aws:states:us-east-1:000000000000:execution:Sample:ok-1');
    expect(startDate).toBeInstanceOf(Date);
    const token = await until(h, () => h.tokens.get('ok-1'), 'the token');
    expect(token).toMatch(/^AQ[A-Za-z0-9+/=]{200,}$/);

    const running = await h.client.send(new DescribeExecutionCommand({ executionArn }));
    expect(running.status).toBe('RUNNING');

    await h.client.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ decision: 'approved' }) }));
    const done = await finished(h, executionArn as string);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output as string)).toEqual({ id: 'ok-1', prep: { prepared: true, status: 200 }, review: { decision: 'approved' } });
    expect(done.stopDate).toBeInstanceOf(Date);

    const types = await historyTypes(h, executionArn as string);
    expect(types).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'ChoiceStateEntered',
      'ChoiceStateExited',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);

    // The token is spent: AWS answers TaskTimedOut for a task that no longer exists, InvalidToken for garbage.
    await expect(h.client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toMatchObject({ name: 'TaskTimedOut' });
    await expect(h.client.send(new SendTaskSuccessCommand({ taskToken: 'AQnope', output: '{}' }))).rejects.toMatchObject({ name: 'InvalidToken' });
  });

  it('mints a different token for every task-token wait', async () => {
    await h.client.send(new StartExecutionCommand({ stateMachineArn: SM_ARN, name: 'tok-a', input: JSON.stringify({ id: 'tok-a' }) }));
    await h.client.send(new StartExecutionCommand({ stateMachineArn: SM_ARN, name: 'tok-b', input: JSON.stringify({ id: 'tok-b' }) }));
    const a = await until(h, () => h.tokens.get('tok-a'), 'token a');
    const b = await until(h, () => h.tokens.get('tok-b'), 'token b');
    expect(a).not.toBe(b);
    await h.client.send(new SendTaskHeartbeatCommand({ taskToken: a }));
    await h.client.send(new StopExecutionCommand({ executionArn: `${SM_ARN.replace(':stateMachine:', ':execution:')}:tok-a`, error: 'Stopped', cause: 'test' }));
    await h.client.send(new SendTaskSuccessCommand({ taskToken: b, output: '{}' }));
    const stopped = await h.client.send(new DescribeExecutionCommand({ executionArn: `${SM_ARN.replace(':stateMachine:', ':execution:')}:tok-a` }));
    expect(stopped).toMatchObject({ status: 'ABORTED', error: 'Stopped', cause: 'test' });
    await expect(h.client.send(new SendTaskSuccessCommand({ taskToken: a, output: '{}' }))).rejects.toMatchObject({ name: 'TaskTimedOut' });
  });

  it('SendTaskFailure fails the task: the error name reaches Catch (States.TaskFailed) and the failure path runs', async () => {
    const { executionArn } = await h.client.send(new StartExecutionCommand({ stateMachineArn: SM_ARN, name: 'fail-1', input: JSON.stringify({ id: 'fail-1' }) }));
    const token = await until(h, () => h.tokens.get('fail-1'), 'the token');
    await h.client.send(new SendTaskFailureCommand({ taskToken: token, error: 'Declined', cause: 'not a fit' }));
    const done = await finished(h, executionArn as string);
    expect(done).toMatchObject({ status: 'FAILED', error: 'ApplicationFailed', cause: 'marked failed' });
    const marked = h.calls.find((c) => c.name === 'MarkFailed' && (c.event as { id: string }).id === 'fail-1');
    expect((marked?.event as { failure: unknown }).failure).toEqual({ Error: 'Declined', Cause: 'not a fit' });
  });

  it('times a task-token wait out on the movable clock (States.Timeout, not matched by States.TaskFailed)', async () => {
    const { executionArn } = await h.client.send(new StartExecutionCommand({ stateMachineArn: SM_ARN, name: 'late-1', input: JSON.stringify({ id: 'late-1' }) }));
    const token = await until(h, () => h.tokens.get('late-1'), 'the token');
    h.clock.advance(HOUR - 1000);
    expect((await h.client.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
    h.clock.advance(1000);
    const done = await finished(h, executionArn as string);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output as string)).toMatchObject({ outcome: 'overdue', timedOut: { Error: 'States.Timeout' } });
    expect(await historyTypes(h, executionArn as string)).toContain('TaskTimedOut');
    await expect(h.client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toMatchObject({ name: 'TaskTimedOut' });
  });

  it('Retry: a transient handler error is retried, then the task succeeds', async () => {
    h.failPrepare.set('retry-1', [new TransientError('busy'), new TransientError('still busy')]);
    const { executionArn } = await h.client.send(new StartExecutionCommand({ stateMachineArn: SM_ARN, name: 'retry-1', input: JSON.stringify({ id: 'retry-1' }) }));
    const token = await until(h, () => h.tokens.get('retry-1'), 'the token');
    await h.client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));
    expect((await finished(h, executionArn as string)).status).toBe('SUCCEEDED');
    const { events } = await h.client.send(new GetExecutionHistoryCommand({ executionArn }));
    const failed = (events ?? []).filter((e) => e.type === 'TaskFailed');
    expect(failed).toHaveLength(2);
    expect(failed[0]?.taskFailedEventDetails?.error).toBe('TransientError');
    expect(JSON.parse(failed[0]?.taskFailedEventDetails?.cause as string)).toMatchObject({ errorType: 'TransientError', errorMessage: 'busy' });
    expect((events ?? []).filter((e) => e.type === 'TaskScheduled')).toHaveLength(4); // 3 Prepare + 1 AwaitReview
  });

  it('Catch: a permanent handler error takes the failure path with {Error, Cause} like Lambda', async () => {
    h.failPrepare.set('perm-1', [new PermanentError('bad input')]);
    const { executionArn } = await h.client.send(new StartExecutionCommand({ stateMachineArn: SM_ARN, name: 'perm-1', input: JSON.stringify({ id: 'perm-1' }) }));
    const done = await finished(h, executionArn as string);
    expect(done).toMatchObject({ status: 'FAILED', error: 'ApplicationFailed' });
    const marked = h.calls.find((c) => c.name === 'MarkFailed' && (c.event as { id: string }).id === 'perm-1');
    const failure = (marked?.event as { failure: { Error: string; Cause: string } }).failure;
    expect(failure.Error).toBe('PermanentError');
    expect(JSON.parse(failure.Cause)).toMatchObject({ errorType: 'PermanentError', errorMessage: 'bad input' });
  });

  it('Wait states wait on the movable clock', async () => {
    const { executionArn } = await h.client.send(
      new StartExecutionCommand({ stateMachineArn: SM_ARN, name: 'wait-1', input: JSON.stringify({ id: 'wait-1', waitDays: 60, waitSeconds: 60 * 86400 }) }),
    );
    await until(h, async () => ((await historyTypes(h, executionArn as string)).includes('WaitStateEntered') ? true : undefined), 'the Wait state');
    expect(h.tokens.has('wait-1')).toBe(false);
    h.clock.advance(60 * 86400 * 1000);
    const token = await until(h, () => h.tokens.get('wait-1'), 'the token after the wait');
    await h.client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));
    expect((await finished(h, executionArn as string)).status).toBe('SUCCEEDED');
  });

  it('StartExecution: same name + same input is idempotent while running; otherwise ExecutionAlreadyExists', async () => {
    const input = JSON.stringify({ id: 'idem-1' });
    const first = await h.client.send(new StartExecutionCommand({ stateMachineArn: SM_ARN, name: 'idem-1', input }));
    const again = await h.client.send(new StartExecutionCommand({ stateMachineArn: SM_ARN, name: 'idem-1', input }));
    expect(again.executionArn).toBe(first.executionArn);
    expect(again.startDate?.getTime()).toBe(first.startDate?.getTime());
    await expect(h.client.send(new StartExecutionCommand({ stateMachineArn: SM_ARN, name: 'idem-1', input: '{"id":"other"}' }))).rejects.toMatchObject({
      name: 'ExecutionAlreadyExists',
    });
    const token = await until(h, () => h.tokens.get('idem-1'), 'the token');
    await h.client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));
    await finished(h, first.executionArn as string);
    await expect(h.client.send(new StartExecutionCommand({ stateMachineArn: SM_ARN, name: 'idem-1', input }))).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
    await expect(h.client.send(new DescribeExecutionCommand({ executionArn: `${first.executionArn}-nope` }))).rejects.toMatchObject({ name: 'ExecutionDoesNotExist' });
    await expect(h.client.send(new StartExecutionCommand({ stateMachineArn: `${SM_ARN}Nope`, input }))).rejects.toMatchObject({ name: 'StateMachineDoesNotExist' });
  });

  it('ListExecutions: newest first, statusFilter, maxResults and nextToken', async () => {
    const all: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await h.client.send(new ListExecutionsCommand({ stateMachineArn: SM_ARN, maxResults: 3, ...(nextToken ? { nextToken } : {}) }));
      expect(page.executions?.length).toBeLessThanOrEqual(3);
      all.push(...(page.executions ?? []).map((e) => e.name as string));
      nextToken = page.nextToken;
      pages++;
    } while (nextToken);
    expect(pages).toBeGreaterThan(2);
    expect(new Set(all).size).toBe(all.length);
    expect(all.indexOf('idem-1')).toBeLessThan(all.indexOf('ok-1')); // newest first
    const failed = await h.client.send(new ListExecutionsCommand({ stateMachineArn: SM_ARN, statusFilter: 'FAILED' }));
    expect(failed.executions?.map((e) => e.name).sort()).toEqual(['fail-1', 'perm-1']);
    expect(failed.executions?.every((e) => e.status === 'FAILED' && e.stopDate instanceof Date)).toBe(true);
    await expect(h.client.send(new ListExecutionsCommand({ stateMachineArn: SM_ARN, nextToken: 'garbage' }))).rejects.toMatchObject({ name: 'InvalidToken' });
  });

  it('GetExecutionHistory pages and reverses', async () => {
    const executionArn = `${SM_ARN.replace(':stateMachine:', ':execution:')}:ok-1`;
    const full = await historyTypes(h, executionArn);
    const first = await h.client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 5 }));
    const second = await h.client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 5, nextToken: first.nextToken }));
    expect([...(first.events ?? []), ...(second.events ?? [])].map((e) => e.type)).toEqual(full.slice(0, 10));
    expect(first.events?.[0]?.timestamp).toBeInstanceOf(Date);
    const reversed = await h.client.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 1 }));
    expect(reversed.events?.[0]?.type).toBe('ExecutionSucceeded');
  });
});

describe('local Step Functions: execution timeout and heartbeats on the movable clock', () => {
  it('TimeoutSeconds of the execution ends it TIMED_OUT; a missed heartbeat fails the task with States.HeartbeatTimeout', async () => {
    const arn = 'arn:aws:states:us-east-1:000000000000:stateMachine:Timed';
    const timed = {
      StartAt: 'Wait',
      TimeoutSeconds: 600,
      States: {
        Wait: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: fn('Await'), Payload: { 'id.$': '$.id', 'taskToken.$': '$$.Task.Token' } },
          HeartbeatSeconds: 60,
          Catch: [{ ErrorEquals: ['States.HeartbeatTimeout'], ResultPath: '$.hb', Next: 'Missed' }],
          End: true,
        },
        Missed: { Type: 'Pass', End: true },
      },
    };
    const h = await harness({ definitions: [{ arn, name: 'Timed', definition: timed }] });
    try {
      const a = await h.client.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'hb', input: JSON.stringify({ id: 'hb' }) }));
      const token = await until(h, () => h.tokens.get('hb'), 'the token');
      h.clock.advance(50_000);
      await h.client.send(new SendTaskHeartbeatCommand({ taskToken: token }));
      h.clock.advance(50_000); // 100 s in, but only 50 s since the heartbeat
      expect((await h.client.send(new DescribeExecutionCommand({ executionArn: a.executionArn }))).status).toBe('RUNNING');
      h.clock.advance(11_000);
      const done = await finished(h, a.executionArn as string);
      expect(done.status).toBe('SUCCEEDED');
      expect(JSON.parse(done.output as string).hb).toMatchObject({ Error: 'States.HeartbeatTimeout' });

      const b = await h.client.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'slow', input: JSON.stringify({ id: 'slow' }) }));
      const slowToken = await until(h, () => h.tokens.get('slow'), 'the token');
      for (let i = 0; i < 10; i++) {
        h.clock.advance(55_000);
        await h.client.send(new SendTaskHeartbeatCommand({ taskToken: slowToken }));
      }
      expect((await h.client.send(new DescribeExecutionCommand({ executionArn: b.executionArn }))).status).toBe('RUNNING');
      h.clock.advance(55_000); // 605 s > the execution's 600 s
      const timedOut = await finished(h, b.executionArn as string);
      expect(timedOut).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
      expect(await historyTypes(h, b.executionArn as string)).toContain('ExecutionTimedOut');
      await expect(h.client.send(new SendTaskHeartbeatCommand({ taskToken: slowToken }))).rejects.toMatchObject({ name: 'TaskTimedOut' });
    } finally {
      await h.close();
    }
  });
});

describe('local Step Functions persistence (--data)', () => {
  it('resumes a waiting execution after a restart with the same task token', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'local-sfn-'));
    try {
      const a = await harness({ dataDir });
      const { executionArn } = await a.client.send(new StartExecutionCommand({ stateMachineArn: SM_ARN, name: 'persist-1', input: JSON.stringify({ id: 'persist-1' }) }));
      const token = await until(a, () => a.tokens.get('persist-1'), 'the token');
      await until(a, () => (a.sfn.pendingTasks().length ? true : undefined), 'the pending task');
      await a.close();

      const b = await harness({ dataDir });
      try {
        expect((await b.client.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
        await b.client.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ decision: 'approved' }) }));
        const done = await finished(b, executionArn as string);
        expect(done.status).toBe('SUCCEEDED');
        expect(JSON.parse(done.output as string).review).toEqual({ decision: 'approved' });
        expect(b.calls.filter((c) => c.name === 'Await')).toHaveLength(0); // the wait's handler is not invoked again
        const types = await historyTypes(b, executionArn as string);
        expect(types.filter((t) => t === 'ExecutionStarted')).toHaveLength(1);
        expect(types.filter((t) => t === 'TaskScheduled')).toHaveLength(2);
      } finally {
        await b.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('local Step Functions on the synthesized definition', () => {
  let h: Harness;
  let smArn: string;
  let functions: Record<string, { logicalId: string; entry: string }>;
  const calls: { entry: string; event: Record<string, unknown> }[] = [];
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    const { synthTemplate, resolveDefinition } = await import('../../lib/template.ts');
    const template = synthTemplate();
    const resolved = resolveDefinition(template);
    // The local runtime resolves the definition itself (without importing aws-cdk-lib): it must agree.
    const { buildLocalModel } = await import('../../lib/local/template-model.ts');
    const model = buildLocalModel(template as unknown as CfnTemplate, {
      region: 'us-east-1',
      accountId: '000000000000',
      apiUrl: 'http://127.0.0.1:3000',
      userPoolId: 'pool',
      userPoolClientId: 'client',
      stackName: 'test',
    });
    expect(model.stateMachines[0]?.definition).toEqual(resolved.definition);
    functions = resolved.functions;
    const fns: Record<string, Handler> = {};
    for (const [arn, info] of Object.entries(resolved.functions)) {
      fns[arn] = (event) => {
        const e = event as Record<string, unknown>;
        calls.push({ entry: info.entry, event: e });
        if (info.entry.endsWith('route.ts')) return { routed: e.applicationId !== 'unrouted' };
        // Every application here has its address confirmed but one, which waits for the founder.
        if (info.entry.endsWith('draft.ts')) return { addressConfirmed: e.applicationId !== 'app-unconfirmed' };
        if (info.entry.endsWith('expire-unconfirmed.ts')) return { outcome: 'expired' };
        if (info.entry.endsWith('size.ts') && e.applicationId === 'broken') throw new PermanentError('cannot size');
        // SizeAsk hands over the sizing fields, EstimateAsk returns an estimate, RecordEstimate (size.ts again) stores it.
        if (info.entry.endsWith('size.ts')) return e.estimate ? { status: 'sized', forVersion: null, worksheet: null } : { status: 'submitted', forVersion: 7, worksheet: { workload: e.applicationId } };
        if (info.entry.endsWith('estimate.ts')) return { estimate: { sizedFrom: e.worksheet } };
        if (typeof e.taskToken === 'string') tokens.set(String(e.applicationId), e.taskToken);
        return { ok: true };
      };
    }
    smArn = 'arn:aws:states:us-east-1:000000000000:stateMachine:AceFiling';
    h = await harness({ definitions: [{ arn: smArn, name: 'AceFiling', definition: resolved.definition as unknown as Record<string, unknown> }], fns });
  }, 180_000); // synthesis, on a shared machine
  afterAll(async () => {
    await h?.close();
  });

  it('sizes, drafts, routes, notifies, then waits on partner review; the approval callback moves it on to the AWS decision wait', async () => {
    const { executionArn } = await h.client.send(new StartExecutionCommand({ stateMachineArn: smArn, name: 'app-1', input: JSON.stringify({ applicationId: 'app-1' }) }));
    const token = await until(h, () => tokens.get('app-1'), 'the review token');
    const entries = calls.filter((c) => c.event.applicationId === 'app-1').map((c) => c.entry);
    expect(entries).toEqual([
      'functions/workflow/size.ts',
      'functions/workflow/estimate.ts',
      'functions/workflow/size.ts',
      'functions/workflow/draft.ts',
      'functions/workflow/route.ts',
      'functions/workflow/notify.ts',
      'functions/workflow/await-human-step.ts',
    ]);
    // The state carried the sizing fields to the engine and its estimate back, with the version they were read at.
    const sizing = calls.filter((c) => c.event.applicationId === 'app-1').slice(0, 3).map((c) => c.event);
    expect(sizing[1]).toEqual({ applicationId: 'app-1', worksheet: { workload: 'app-1' } });
    expect(sizing[2]).toEqual({ applicationId: 'app-1', estimate: { sizedFrom: { workload: 'app-1' } }, forVersion: 7 });
    tokens.delete('app-1');
    await h.client.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ decision: 'approved' }) }));
    await until(h, () => tokens.get('app-1'), 'the AWS decision token');
    const waits = calls.filter((c) => c.event.applicationId === 'app-1' && c.entry.endsWith('await-human-step.ts')).map((c) => c.event.kind);
    expect(waits).toEqual(['partner-review', 'aws-decision']);
    expect((await h.client.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
    expect(Object.keys(functions).length).toBeGreaterThan(0);
  });

  it('an unconfirmed address: the confirmation mail, then the address-confirmation wait; its timeout expires the application', async () => {
    const { executionArn } = await h.client.send(new StartExecutionCommand({ stateMachineArn: smArn, name: 'app-unconfirmed', input: JSON.stringify({ applicationId: 'app-unconfirmed' }) }));
    await until(h, () => tokens.get('app-unconfirmed'), 'the confirmation token');
    const mine = () => calls.filter((c) => c.event.applicationId === 'app-unconfirmed');
    expect(mine().map((c) => [c.entry, c.event.event ?? c.event.kind])).toEqual([
      ['functions/workflow/size.ts', undefined],
      ['functions/workflow/estimate.ts', undefined],
      ['functions/workflow/size.ts', undefined],
      ['functions/workflow/draft.ts', undefined],
      ['functions/workflow/notify.ts', 'address-confirmation'],
      ['functions/workflow/await-human-step.ts', 'address-confirmation'],
    ]);
    h.clock.advance(73 * 3_600_000);
    expect(await finished(h, executionArn as string)).toMatchObject({ status: 'SUCCEEDED' });
    expect(mine().at(-1)?.entry).toBe('functions/workflow/expire-unconfirmed.ts');
    expect(mine().some((c) => c.entry.endsWith('route.ts'))).toBe(false);
  });

  it('a partner review that times out (moved clock) takes the overdue path', async () => {
    const { executionArn } = await h.client.send(new StartExecutionCommand({ stateMachineArn: smArn, name: 'app-late', input: JSON.stringify({ applicationId: 'app-late' }) }));
    await until(h, () => tokens.get('app-late'), 'the review token');
    const notifiesBefore = calls.filter((c) => c.event.applicationId === 'app-late' && c.entry.endsWith('notify.ts')).length;
    h.clock.advance(30 * 86_400_000);
    await until(h, async () => ((await historyTypes(h, executionArn as string)).includes('TaskTimedOut') ? true : undefined), 'the timeout');
    await until(
      h,
      () => (calls.filter((c) => c.event.applicationId === 'app-late' && c.entry.endsWith('notify.ts')).length > notifiesBefore ? true : undefined),
      'the overdue notice',
    );
  });

  it('a task failing for good ends in the failure path (MarkFailed, then ApplicationFailed)', async () => {
    const { executionArn } = await h.client.send(new StartExecutionCommand({ stateMachineArn: smArn, name: 'broken', input: JSON.stringify({ applicationId: 'broken' }) }));
    const done = await finished(h, executionArn as string);
    expect(done).toMatchObject({ status: 'FAILED', error: 'ApplicationFailed' });
    const mark = calls.find((c) => c.event.applicationId === 'broken' && c.entry.endsWith('mark-failed.ts'));
    expect(JSON.stringify(mark?.event)).toContain('PermanentError'); // the caught {Error, Cause} is handed on
  });
});

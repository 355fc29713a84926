/**
 * The local Step Functions API (lib/local/sfn) for handler tests: a tiny state machine that waits on one task token
 * (stored through the real repository under the requested kind, as functions/workflow/await-human-step.ts does), served
 * over the SFN JSON protocol so handlers reach it through @aws-sdk/client-sfn (AWS_ENDPOINT_URL_SFN). Every API call
 * is recorded with its outcome, and a failure can be injected once to simulate a crash between write and callback.
 */
import type { Server } from 'node:http';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { MovableClock } from '../../lib/local/clock.ts';
import { FunctionMapInvoker } from '../../lib/local/lambda-runtime.ts';
import { LocalStepFunctions, SfnApiError } from '../../lib/local/sfn/engine.ts';
import { createSfnServer } from '../../lib/local/sfn/server.ts';
import { closeServer, listen } from '../../lib/local/net.ts';

export const SM_NAME = 'AceFilingTest';
export const SM_ARN = `arn:aws:states:us-east-1:000000000000:stateMachine:${SM_NAME}`;

const definition = {
  StartAt: 'Await',
  States: {
    Await: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: {
        FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:Await',
        Payload: { 'applicationId.$': '$.applicationId', 'kind.$': '$.kind', 'taskToken.$': '$$.Task.Token' },
      },
      ResultPath: '$.result',
      End: true,
    },
  },
};

export interface SfnCall {
  readonly operation: string;
  readonly body: Record<string, unknown>;
  readonly outcome: 'ok' | string;
}

export interface LocalSfn {
  readonly url: string;
  readonly client: SFNClient;
  readonly calls: SfnCall[];
  /** The next call of `operation` fails with this error name (not retried by the SDK: a 400). */
  failNext(operation: string, errorName: string): void;
  /** Starts an execution that stores a token of `kind` for the application; resolves once it is stored. */
  wait(applicationId: string, kind: string, name?: string): Promise<string>;
  /** The execution's status now. */
  status(executionArn: string): Promise<{ status: string; output?: unknown; error?: string }>;
  /** Polls (bounded) until the execution has ended. */
  finished(executionArn: string): Promise<{ status: string; output?: unknown; error?: string }>;
  /** SendTaskSuccess calls that the service accepted, by output. */
  delivered(): Record<string, unknown>[];
  close(): Promise<void>;
}

export async function startLocalSfn(storeToken: (applicationId: string, kind: string, token: string) => Promise<void>): Promise<LocalSfn> {
  const clock = new MovableClock();
  const stored = new Map<string, () => void>();
  const invoker = new FunctionMapInvoker({
    Await: async (event) => {
      const e = event as { applicationId: string; kind: string; taskToken: string };
      await storeToken(e.applicationId, e.kind, e.taskToken);
      stored.get(`${e.applicationId}\u0000${e.kind}`)?.();
      return { stored: true };
    },
  });
  const sfn = new LocalStepFunctions({ clock, invoker, stateMachines: [{ arn: SM_ARN, name: SM_NAME, definition }], retryDelayMs: 0 });
  await sfn.init();
  const calls: SfnCall[] = [];
  const failures = new Map<string, string>();
  const server: Server = createSfnServer({
    call(operation, body) {
      const failure = failures.get(operation);
      if (failure) {
        failures.delete(operation);
        calls.push({ operation, body, outcome: failure });
        throw new SfnApiError(failure, `injected ${failure}`);
      }
      try {
        const out = sfn.call(operation, body);
        calls.push({ operation, body, outcome: 'ok' });
        return out;
      } catch (error) {
        calls.push({ operation, body, outcome: (error as Error).name });
        throw error;
      }
    },
  });
  const url = await listen(server, '127.0.0.1', 0);
  const client = new SFNClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  return {
    url,
    client,
    calls,
    failNext: (operation, errorName) => failures.set(operation, errorName),
    async wait(applicationId, kind, name = applicationId) {
      const done = new Promise<void>((resolve) => stored.set(`${applicationId}\u0000${kind}`, resolve));
      const out = await client.send(new StartExecutionCommand({ stateMachineArn: SM_ARN, name, input: JSON.stringify({ applicationId, kind }) }));
      await done;
      return out.executionArn ?? '';
    },
    status: (executionArn) => describe(client, executionArn),
    async finished(executionArn) {
      for (let i = 0; i < 200; i += 1) {
        const d = await describe(client, executionArn);
        if (d.status !== 'RUNNING') return d;
        await Promise.race([sfn.nextChange(), new Promise((r) => setTimeout(r, 10))]);
      }
      throw new Error(`${executionArn} did not finish`);
    },
    delivered: () => calls
      .filter((c) => c.operation === 'SendTaskSuccess' && c.outcome === 'ok')
      .map((c) => JSON.parse(String(c.body.output)) as Record<string, unknown>),
    async close() {
      client.destroy();
      await sfn.stop();
      await closeServer(server);
    },
  };
}

async function describe(client: SFNClient, executionArn: string): Promise<{ status: string; output?: unknown; error?: string }> {
  const d = await client.send(new DescribeExecutionCommand({ executionArn }));
  return { status: d.status ?? 'UNKNOWN', ...(d.output ? { output: JSON.parse(d.output) as unknown } : {}), ...(d.error ? { error: d.error } : {}) };
}

/**
 * Ending the workflow after a step that closes the application (functions/usecases/end-workflow.ts) against dynalite,
 * with the workflow adapter recorded: the latest waiting task is failed with ChangedWhileWaiting; with nothing
 * waiting, or a token no longer valid, the execution is stopped: the one the application names, or the first one.
 * Runs in the mutate suite (vitest.mutate.config.ts).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApplicationRepository } from '../../functions/adapters/dynamo/applications.ts';
import type * as Tasks from '../../functions/adapters/dynamo/applications-tasks.ts';
import type * as WorkflowEngine from '../../functions/adapters/workflow-engine.ts';
import type * as End from '../../functions/usecases/end-workflow.ts';
import { logger } from '../../functions/adapters/observability.ts';
import { newApplication } from '../../functions/core/intake.ts';
import type { Application } from '../../schemas/application.ts';
import { startDynalite, type TestTable } from '../support/dynalite.ts';
import { exampleWorksheet } from '../support/fixtures.ts';

const sfn = vi.hoisted(() => ({
  failed: [] as Array<{ token: string; error: string; cause: string }>,
  stopped: [] as Array<{ arn: string; error: string; cause: string }>,
  failAnswer: 'delivered' as 'delivered' | 'token-no-longer-valid',
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

let table: TestTable;
let applications: ApplicationRepository;
let tasks: typeof Tasks;
let end: typeof End;

beforeAll(async () => {
  table = await startDynalite('end-workflow');
  process.env.AWS_ENDPOINT_URL_DYNAMODB = table.endpoint;
  const { ApplicationRepository } = await import('../../functions/adapters/dynamo/applications.ts');
  tasks = await import('../../functions/adapters/dynamo/applications-tasks.ts');
  end = await import('../../functions/usecases/end-workflow.ts');
  applications = new ApplicationRepository(table.tableName);
});
afterAll(async () => table?.stop());
beforeEach(() => {
  sfn.failed.length = 0;
  sfn.stopped.length = 0;
  sfn.failAnswer = 'delivered';
  vi.restoreAllMocks();
});

const now = new Date('2026-12-07T12:00:00.000Z');
const SM = 'arn:aws:states:us-east-1:123456789012:stateMachine:AceFiling';
const deps = () => ({ applications, stateMachineArn: SM, clock: { now: () => now, sleep: async () => undefined } });
const STOP = { error: 'CancelledByOperations', cause: 'cancelled by operations: spam' };

function application(extra: Partial<Application> = {}): Application {
  const id = `app_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
  return { ...newApplication({ id, worksheet: exampleWorksheet(), tokenHash: 'h'.repeat(64), now }), status: 'withdrawn', ...extra };
}
const saveToken = (id: string, kind: string, token: string, at: number) =>
  tasks.saveTaskToken(applications, id, kind, token, { now: new Date(at), expiresAt: new Date(now.getTime() + 86_400_000) });

describe('endWorkflow', () => {
  it('fails the latest waiting task and stops nothing; the log names why', async () => {
    const app = application();
    await saveToken(app.id, 'partner-review', 'older', now.getTime() - 60_000);
    await saveToken(app.id, 'aws-decision', 'newer', now.getTime() - 1000);
    const info = vi.spyOn(logger, 'info');
    await end.endWorkflow(deps(), app, STOP, now);
    expect(sfn.failed).toEqual([{ token: 'newer', error: 'ChangedWhileWaiting', cause: 'cancelled by operations: spam' }]);
    expect(sfn.stopped).toEqual([]);
    expect(info).toHaveBeenCalledWith('Waiting task told the application changed', { reason: 'CancelledByOperations' });
  });

  it('a token no longer valid: the execution the application names is stopped', async () => {
    const named = 'arn:aws:states:us-east-1:123456789012:execution:AceFiling:app_x--ops-v4';
    const app = application({ executionArn: named });
    await saveToken(app.id, 'partner-review', 'spent', now.getTime() - 1000);
    sfn.failAnswer = 'token-no-longer-valid';
    const info = vi.spyOn(logger, 'info');
    await end.endWorkflow(deps(), app, STOP, now);
    expect(sfn.failed).toHaveLength(1);
    expect(sfn.stopped).toEqual([{ arn: named, ...STOP }]);
    expect(info).toHaveBeenCalledWith('Execution stopped', { result: 'stopped' });
  });

  it('nothing waiting and no execution recorded: the first execution, named by the application id, is stopped', async () => {
    const app = application();
    await end.endWorkflow(deps(), app, STOP, now);
    expect(sfn.failed).toEqual([]);
    expect(sfn.stopped).toEqual([{ arn: `arn:aws:states:us-east-1:123456789012:execution:AceFiling:${app.id}`, ...STOP }]);
  });
});

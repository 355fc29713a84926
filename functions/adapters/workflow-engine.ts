/**
 * Step Functions adapter: start an application's workflow, resume a waiting task, list executions.
 * Executions are named after the application, so a repeated start is harmless.
 */
import {
  SFNClient,
  StartExecutionCommand,
  SendTaskSuccessCommand,
  SendTaskFailureCommand,
  StopExecutionCommand,
  ListExecutionsCommand,
  DescribeExecutionCommand,
  type ExecutionStatus,
} from '@aws-sdk/client-sfn';
import { ValidationError } from '../core/errors.ts';

const sfn = new SFNClient({});

export function executionArnFor(stateMachineArn: string, name: string): string {
  // arn:aws:states:region:account:stateMachine:Name -> arn:aws:states:region:account:execution:Name:execName
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

export async function startApplicationWorkflow(stateMachineArn: string, applicationId: string): Promise<{ executionArn: string; alreadyStarted: boolean }> {
  try {
    const out = await sfn.send(new StartExecutionCommand({
      stateMachineArn,
      name: applicationId,
      input: JSON.stringify({ applicationId }),
    }));
    return { executionArn: out.executionArn ?? executionArnFor(stateMachineArn, applicationId), alreadyStarted: false };
  } catch (error) {
    if ((error as Error).name === 'ExecutionAlreadyExists') {
      return { executionArn: executionArnFor(stateMachineArn, applicationId), alreadyStarted: true };
    }
    throw error;
  }
}

export type TaskCallbackResult = 'delivered' | 'token-no-longer-valid';

/** Resume a waiting task. A token that already completed or timed out is a domain outcome, not a crash. */
export async function completeTask(taskToken: string, output: Record<string, unknown>): Promise<TaskCallbackResult> {
  try {
    await sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
    return 'delivered';
  } catch (error) {
    if (['TaskTimedOut', 'InvalidToken', 'TaskDoesNotExist'].includes((error as Error).name)) return 'token-no-longer-valid';
    throw error;
  }
}

export async function failTask(taskToken: string, error: string, cause: string): Promise<TaskCallbackResult> {
  try {
    await sfn.send(new SendTaskFailureCommand({ taskToken, error, cause }));
    return 'delivered';
  } catch (err) {
    if (['TaskTimedOut', 'InvalidToken', 'TaskDoesNotExist'].includes((err as Error).name)) return 'token-no-longer-valid';
    throw err;
  }
}

/** Stop an execution (withdrawal). Stopping one that already ended, or never started, is not an error. */
export async function stopExecution(executionArn: string, error: string, cause: string): Promise<'stopped' | 'not-found'> {
  try {
    await sfn.send(new StopExecutionCommand({ executionArn, error, cause }));
    return 'stopped';
  } catch (err) {
    if ((err as Error).name === 'ExecutionDoesNotExist') return 'not-found';
    throw err;
  }
}

export interface ExecutionSummary {
  executionArn: string;
  applicationId: string;
  status: string;
  startDate: string | undefined;
  stopDate: string | undefined;
}

export async function listExecutions(args: {
  stateMachineArn: string;
  status?: ExecutionStatus;
  maxResults: number;
  nextToken?: string;
}): Promise<{ executions: ExecutionSummary[]; nextToken?: string }> {
  const out = await sfn.send(new ListExecutionsCommand({
    stateMachineArn: args.stateMachineArn,
    statusFilter: args.status,
    maxResults: args.maxResults,
    nextToken: args.nextToken,
  })).catch((error: unknown) => {
    // A made-up or stale page token is the caller's mistake, not a server error.
    if ((error as Error).name === 'InvalidToken') {
      throw new ValidationError([{ field: 'query.cursor', rule: 'must be a nextCursor returned by the previous page of the same query' }]);
    }
    throw error;
  });
  return {
    executions: (out.executions ?? []).map((e) => ({
      executionArn: e.executionArn ?? '',
      // Operations' restarts are named `<applicationId>--ops-v<version>` (functions/core/operations/actions.ts).
      applicationId: (e.name ?? '').split('--')[0] ?? '',
      status: e.status ?? 'UNKNOWN',
      startDate: e.startDate?.toISOString(),
      stopDate: e.stopDate?.toISOString(),
    })),
    ...(out.nextToken ? { nextToken: out.nextToken } : {}),
  };
}

export async function describeExecution(executionArn: string): Promise<{ status: string; error?: string; cause?: string }> {
  const out = await sfn.send(new DescribeExecutionCommand({ executionArn }));
  return { status: out.status ?? 'UNKNOWN', ...(out.error ? { error: out.error } : {}), ...(out.cause ? { cause: out.cause } : {}) };
}

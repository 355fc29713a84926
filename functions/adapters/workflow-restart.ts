/**
 * Starting a further execution for an application (operations: redrive, or an unrouted application assigned by
 * hand). Step Functions keeps a Standard execution's name for 90 days, so the name carries the transition that asked
 * for it (functions/core/operations/actions.ts): a repeated request starts nothing new.
 */
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { executionArnFor } from './workflow-engine.ts';

const sfn = new SFNClient({});

export async function startNamedExecution(stateMachineArn: string, name: string, input: Record<string, unknown>): Promise<{ executionArn: string; alreadyStarted: boolean }> {
  try {
    const out = await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
    return { executionArn: out.executionArn ?? executionArnFor(stateMachineArn, name), alreadyStarted: false };
  } catch (error) {
    if ((error as Error).name === 'ExecutionAlreadyExists') return { executionArn: executionArnFor(stateMachineArn, name), alreadyStarted: true };
    throw error;
  }
}

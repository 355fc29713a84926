/**
 * Reads one execution for operations: DescribeExecution and every page of GetExecutionHistory, always WITHOUT
 * execution data (`includeExecutionData: false`): no state inputs, outputs or task parameters, which is where a task
 * token would be. Same calls against AWS and the local Step Functions API.
 */
import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient, type HistoryEvent } from '@aws-sdk/client-sfn';
import type { ExecutionDescription, HistoryEventInput } from '../core/operations/story.ts';

const sfn = new SFNClient({});

/** A long execution's history is bounded: a year of reminders is a few hundred events. */
const MAX_EVENTS = 5_000;

export async function readExecution(executionArn: string): Promise<{ execution: ExecutionDescription; events: HistoryEventInput[] } | undefined> {
  let described;
  try {
    described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
  } catch (error) {
    if ((error as Error).name === 'ExecutionDoesNotExist') return undefined;
    throw error;
  }
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, includeExecutionData: false, maxResults: 1000, nextToken }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken && events.length < MAX_EVENTS);
  return {
    execution: {
      executionArn,
      name: described.name ?? '',
      status: described.status ?? 'UNKNOWN',
      ...(described.startDate ? { startDate: described.startDate } : {}),
      ...(described.stopDate ? { stopDate: described.stopDate } : {}),
      ...(described.error ? { error: described.error } : {}),
      ...(described.cause ? { cause: described.cause } : {}),
    },
    events: events.map((e) => ({ ...e, id: e.id ?? 0, type: e.type ?? 'Unknown', timestamp: e.timestamp ?? 0 }) as HistoryEventInput),
  };
}

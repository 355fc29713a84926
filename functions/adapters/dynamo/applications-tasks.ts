/**
 * The Step Functions bookkeeping of the application repository (./applications.ts): the execution that runs an
 * application, and the task tokens its waiting steps hand out (kept server-side next to the application, never sent
 * to people). Only the functions that start executions or wait on and answer tasks load it.
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ApplicationTable } from './applications.ts';
import { documentClient } from './client.ts';
import { applicationKey, expiresAtSeconds, taskTokenKey } from './keys.ts';

/** Record the execution that runs the application (on the head and in its list summary). */
export async function setExecutionArn(repo: ApplicationTable, id: string, executionArn: string): Promise<void> {
  await documentClient.send(new UpdateCommand({
    TableName: repo.tableName,
    Key: applicationKey(id),
    UpdateExpression: 'SET executionArn = :arn, summary.executionArn = :arn',
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeValues: { ':arn': executionArn },
  }));
}

export async function saveTaskToken(repo: ApplicationTable, id: string, kind: string, token: string, opts: { executionArn?: string; now: Date; expiresAt: Date }): Promise<void> {
  await documentClient.send(new PutCommand({
    TableName: repo.tableName,
    Item: {
      ...taskTokenKey(id, kind),
      entity: 'task-token',
      applicationId: id,
      kind,
      token,
      executionArn: opts.executionArn,
      storedAt: opts.now.toISOString(),
      // Removed by DynamoDB TTL in AWS; readers also ignore expired tokens (dynalite has no TTL).
      expiresAt: expiresAtSeconds(opts.expiresAt),
    },
  }));
}

export async function getTaskToken(repo: ApplicationTable, id: string, kind: string, now: Date): Promise<{ token: string; storedAt: string } | undefined> {
  const out = await documentClient.send(new GetCommand({ TableName: repo.tableName, Key: taskTokenKey(id, kind), ConsistentRead: true }));
  const item = out.Item;
  if (!item || (typeof item.expiresAt === 'number' && item.expiresAt < expiresAtSeconds(now))) return undefined;
  return { token: String(item.token), storedAt: String(item.storedAt) };
}

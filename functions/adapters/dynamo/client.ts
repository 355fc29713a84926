/** The DynamoDB document client, created once per container; endpoint from the standard SDK settings. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand, type QueryCommandInput, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';

export const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});

export function isConditionFailure(error: unknown): boolean {
  return (error as Error | undefined)?.name === 'ConditionalCheckFailedException';
}

/** Items by key, 100 per BatchGetItem, unprocessed keys retried (a few times); missing keys are left out. */
export async function batchGetAll(tableName: string, keys: readonly Record<string, unknown>[], consistent = false): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i += 100) {
    let pending: Record<string, unknown>[] | undefined = keys.slice(i, i + 100);
    for (let attempt = 0; pending && pending.length > 0 && attempt < 5; attempt += 1) {
      const res = await documentClient.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ...(consistent ? { ConsistentRead: true } : {}) } } }));
      out.push(...(res.Responses?.[tableName] ?? []));
      pending = res.UnprocessedKeys?.[tableName]?.Keys as Record<string, unknown>[] | undefined;
    }
  }
  return out;
}

/** Every page of one Query, in order (DynamoDB ends a page at 1 MB): the adapters' one paging loop. */
export async function* queryPages(input: QueryCommandInput): AsyncGenerator<QueryCommandOutput> {
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documentClient.send(new QueryCommand({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) }));
    yield page;
    start = page.LastEvaluatedKey;
  } while (start);
}

/**
 * A real DynamoDB stand-in for integration tests: dynalite on a free loopback port, with the table
 * created from the one key-design module (functions/adapters/dynamo/keys.ts), exactly as deployed.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import dynalite from 'dynalite';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { INDEX_LIST, projectionOf, TABLE_KEYS } from '../../functions/adapters/dynamo/keys.ts';

export interface TestTable {
  readonly endpoint: string;
  readonly tableName: string;
  stop(): Promise<void>;
}

export async function startDynalite(tableName = 'ace-filing-test'): Promise<TestTable> {
  const server: Server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await createTable(endpoint, tableName);
  return {
    endpoint,
    tableName,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Another table on the same dynalite (a case of its own where a whole partition or directory is read). */
export async function createTable(endpoint: string, tableName: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const keyAttributes = new Set<string>([TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, ...INDEX_LIST.flatMap((i) => [i.partitionKey, i.sortKey])]);
  await client.send(new CreateTableCommand({
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...keyAttributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: INDEX_LIST.map((i) => ({
      IndexName: i.indexName,
      KeySchema: [{ AttributeName: i.partitionKey, KeyType: 'HASH' }, { AttributeName: i.sortKey, KeyType: 'RANGE' }],
      Projection: projectionOf(i),
    })),
  }));
  client.destroy();
}

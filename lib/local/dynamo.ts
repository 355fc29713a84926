// DynamoDB stand-in: dynalite in this process, in memory by default or on disk (LevelDB) under `<dataDir>/dynamodb`,
// with the table(s) created exactly as the template declares them (key schema, attribute definitions, GSIs/LSIs).
// Not emulated by dynalite: transactions, TTL expiry, streams, PartiQL (see /work/shared/reference/local-stack.md).
import type { Server } from 'node:http';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import dynalite from 'dynalite';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import type { TableSpec } from './template-model.ts';
import { listen, closeServer } from './net.ts';

export interface DynamoHandle {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export async function startDynamo(opts: { host: string; port: number; dataDir?: string }): Promise<DynamoHandle> {
  let path: string | undefined;
  if (opts.dataDir) {
    path = join(opts.dataDir, 'dynamodb');
    mkdirSync(path, { recursive: true });
  }
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(path ? { path } : {}) });
  const url = await listen(server, opts.host, opts.port);
  return { url, server, close: () => closeServer(server) };
}

/** Creates each table unless it exists (persisted data); waits until ACTIVE. Returns the names created. */
export async function ensureTables(endpoint: string, tables: TableSpec[]): Promise<string[]> {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const created: string[] = [];
  try {
    for (const t of tables) {
      try {
        await client.send(new DescribeTableCommand({ TableName: t.tableName }));
        continue;
      } catch (err) {
        if (!(err instanceof ResourceNotFoundException)) throw err;
      }
      await client.send(new CreateTableCommand(t.createTable as unknown as CreateTableCommandInput));
      created.push(t.tableName);
      for (let i = 0; i < 200; i++) {
        const d = await client.send(new DescribeTableCommand({ TableName: t.tableName }));
        if (d.Table?.TableStatus === 'ACTIVE') break;
        await new Promise((r) => setTimeout(r, 5));
      }
    }
  } finally {
    client.destroy();
  }
  return created;
}

/**
 * DynamoDB capacity units as AWS would bill them, counted from the real items: a middleware on the functions' own
 * document client reads each written item before and after the write (with a separate client, so it is not counted)
 * and applies DynamoDB's rules, on the table and on each index with what that index projects (keys.ts):
 * - table: a put or update costs ceil(max(size before, size after) / 1 KB) write units, a delete ceil(size before);
 *   a failed conditional write costs what it would have written;
 * - index: an item entering costs its projected size, leaving costs its projected size before, a key change both,
 *   a change of a projected attribute the larger projected size; nothing when nothing projected changed;
 * - reads: GetItem ceil(size / 4 KB), Query and BatchGet the sum of what they return over 4 KB (a Query rounds once),
 *   halved for eventually consistent reads.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../functions/adapters/dynamo/client.ts';
import { INDEX_LIST, TABLE_KEYS, type IndexDefinition } from '../functions/adapters/dynamo/keys.ts';
import { itemSize } from '../test/support/item-size.ts';

type Item = Record<string, unknown>;

export interface Units {
  writeUnits: number;
  /** Write units by where they land: `table`, or an index name. */
  writeUnitsByTarget: Record<string, number>;
  readUnits: number;
  writes: number;
  reads: number;
}

export const emptyUnits = (): Units => ({ writeUnits: 0, writeUnitsByTarget: {}, readUnits: 0, writes: 0, reads: 0 });

function projected(item: Item | undefined, index: IndexDefinition): Item | undefined {
  if (!item || typeof item[index.partitionKey] !== 'string' || typeof item[index.sortKey] !== 'string') return undefined;
  // An index without a projection in keys.ts projects ALL (how the indexes were before issue 11; kept to measure it).
  const projection = (index as { projection?: IndexDefinition['projection'] }).projection;
  if (!projection) return item;
  const keep = new Set<string>([TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, index.partitionKey, index.sortKey, ...projection.attributes]);
  return Object.fromEntries(Object.entries(item).filter(([k]) => keep.has(k)));
}

const kb = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));

/** Write units of one write that changed `before` into `after`, on the table and each index. */
export function writeUnitsOf(before: Item | undefined, after: Item | undefined): Record<string, number> {
  const out: Record<string, number> = { table: kb(Math.max(before ? itemSize(before) : 0, after ? itemSize(after) : 0)) };
  for (const index of INDEX_LIST) {
    const a = projected(before, index);
    const b = projected(after, index);
    let units = 0;
    if (a && b) {
      const keyChanged = a[index.partitionKey] !== b[index.partitionKey] || a[index.sortKey] !== b[index.sortKey];
      if (keyChanged) units = kb(itemSize(a)) + kb(itemSize(b));
      else if (JSON.stringify(a) !== JSON.stringify(b)) units = kb(Math.max(itemSize(a), itemSize(b)));
    } else if (b) units = kb(itemSize(b));
    else if (a) units = kb(itemSize(a));
    if (units) out[index.indexName] = units;
  }
  return out;
}

function readUnits(bytes: number, consistent: boolean): number {
  const units = Math.max(1, Math.ceil(bytes / 4096));
  return consistent ? units : units / 2;
}

/** Starts counting every request the functions make; `take()` returns the units since the last take. */
export function meterCapacity(endpoint: string, tableName: string): { take(): Units; stop(): void } {
  const raw = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
  let units = emptyUnits();
  const read = async (key: Item): Promise<Item | undefined> => (await raw.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;
  const name = 'bench-capacity-meter';
  // Writes to one item are serialized through the meter so that its before/after reads see only that write.
  let queue: Promise<unknown> = Promise.resolve();
  documentClient.middlewareStack.add((next, context) => async (args) => {
    const input = args.input as Item;
    const command = context.commandName ?? '';
    const isWrite = ['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand'].includes(command);
    if (!isWrite) {
      const result = await next(args);
      const output = result.output as Item;
      if (command === 'GetItemCommand') {
        units.reads += 1;
        units.readUnits += readUnits(output.Item ? itemSize(output.Item as Item) : 0, Boolean(input.ConsistentRead));
      } else if (command === 'QueryCommand') {
        units.reads += 1;
        const bytes = ((output.Items ?? []) as Item[]).reduce((sum, i) => sum + itemSize(i), 0);
        units.readUnits += readUnits(bytes, Boolean(input.ConsistentRead));
      } else if (command === 'BatchGetItemCommand') {
        units.reads += 1;
        for (const items of Object.values((output.Responses ?? {}) as Record<string, Item[]>)) {
          for (const i of items) units.readUnits += readUnits(itemSize(i), false);
        }
      }
      return result;
    }
    const key = (command === 'PutItemCommand'
      ? { pk: (input.Item as Item).pk, sk: (input.Item as Item).sk }
      : input.Key) as Item;
    const run = queue.then(async () => {
      const before = await read(key);
      let failed = false;
      try {
        return await next(args);
      } catch (error) {
        failed = true;
        throw error;
      } finally {
        const after = failed ? before : await read(key);
        const charged = failed ? { table: kb(Math.max(before ? itemSize(before) : 0, command === 'PutItemCommand' ? itemSize(input.Item as Item) : 0)) } : writeUnitsOf(before, after);
        units.writes += 1;
        for (const [target, n] of Object.entries(charged)) {
          units.writeUnits += n;
          units.writeUnitsByTarget[target] = (units.writeUnitsByTarget[target] ?? 0) + n;
        }
      }
    });
    queue = run.catch(() => undefined);
    return run;
  }, { step: 'initialize', name });
  return {
    take: () => {
      const out = units;
      units = emptyUnits();
      return out;
    },
    stop: () => {
      documentClient.middlewareStack.remove(name);
      raw.destroy();
    },
  };
}

/** Sum of two unit counts. */
export function addUnits(a: Units, b: Units): Units {
  const byTarget = { ...a.writeUnitsByTarget };
  for (const [k, v] of Object.entries(b.writeUnitsByTarget)) byTarget[k] = (byTarget[k] ?? 0) + v;
  return { writeUnits: a.writeUnits + b.writeUnits, writeUnitsByTarget: byTarget, readUnits: a.readUnits + b.readUnits, writes: a.writes + b.writes, reads: a.reads + b.reads };
}


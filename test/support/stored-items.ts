/**
 * The other half of "validated where written, trusted on read" (functions/adapters/dynamo/stored-guard.ts): at the
 * end of a journey, every item the journey wrote is read straight from the table (a Scan, tests only) and parsed
 * against schemas/stored-application.ts by its entity, documents unzipped and the estimate parsed against its schema.
 * A write that drifts from the stored shapes fails the journey that made it, not a reader in production.
 */
import { gunzipSync } from 'node:zlib';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type * as z from 'zod/mini';
import { Estimate } from '../../schemas/estimate.ts';
import {
  ApplicationHead, ApplicationListItem, DedupeItem, DocumentItem, NoticeItem, TaskTokenItem, TransitionItem,
} from '../../schemas/stored-application.ts';
import { LIST_ATTRIBUTES, OWNED, PREFIX, SORT } from '../../functions/adapters/dynamo/keys.ts';

export interface StoredItemsReport {
  /** Items parsed, by entity. */
  readonly checked: Record<string, number>;
  /** One line per item that does not parse (or sits under a key its entity does not belong to). */
  readonly problems: string[];
}

const issuesOf = (error: z.core.$ZodError): string => error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(item)'}: ${i.message}`).join('; ');

/** What the sort key of an item of an application's partition says its entity is (keys.ts, access pattern 1). */
function entityBySortKey(sk: string): string | undefined {
  if (sk === SORT.application) return 'application';
  if (sk.startsWith(OWNED.transition)) return 'transition';
  if (sk.startsWith(OWNED.notice)) return 'notice';
  if (sk.startsWith(OWNED.document)) return 'document';
  if (sk.startsWith(PREFIX.task)) return 'task-token';
  return undefined;
}

/** Parse one item by its entity; the problems found, empty when it parses. */
export function storedItemProblems(item: Record<string, unknown>): string[] {
  const where = `${String(item.entity)} ${String(item.pk)} ${String(item.sk)}`;
  const problems: string[] = [];
  const check = (schema: z.ZodMiniType, value: unknown, what = ''): void => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) problems.push(`${where}${what}: ${issuesOf(parsed.error)}`);
  };
  const pk = String(item.pk);
  if (pk.startsWith(PREFIX.application)) {
    const expected = entityBySortKey(String(item.sk));
    if (expected !== item.entity) problems.push(`${where}: an item under this sort key must be a '${String(expected)}' item`);
  }
  switch (item.entity) {
    case 'application':
      check(ApplicationHead, item);
      // What the list indexes project of it is what a list page reads (keys.ts LIST_ATTRIBUTES).
      check(ApplicationListItem, Object.fromEntries(LIST_ATTRIBUTES.map((a) => [a, item[a]])), ' (list projection)');
      break;
    case 'transition':
      check(TransitionItem, item);
      break;
    case 'notice':
      check(NoticeItem, item);
      break;
    case 'document': {
      check(DocumentItem, item);
      if (!(item.gz instanceof Uint8Array)) break;
      let value: unknown;
      try {
        value = JSON.parse(gunzipSync(item.gz).toString('utf8'));
      } catch (error) {
        problems.push(`${where}: gz is not gzip-compressed JSON (${(error as Error).message})`);
        break;
      }
      if (item.kind === 'estimate') check(Estimate, value, ' (estimate)');
      else if (!value || typeof value !== 'object' || Array.isArray(value)) problems.push(`${where}: a brief body must be an object`);
      break;
    }
    case 'task-token':
      check(TaskTokenItem, item);
      break;
    case 'dedupe':
      check(DedupeItem, item);
      break;
    default:
      if (pk.startsWith(PREFIX.application) || pk.startsWith(PREFIX.dedupe)) problems.push(`${where}: unknown entity`);
  }
  return problems;
}

/** Scan the whole table and parse every application and likely-duplicate item by entity. */
export async function checkStoredItems(endpoint: string, tableName: string): Promise<StoredItemsReport> {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
  const checked: Record<string, number> = {};
  const problems: string[] = [];
  try {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await client.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }));
      for (const item of page.Items ?? []) {
        const pk = String(item.pk);
        if (!pk.startsWith(PREFIX.application) && !pk.startsWith(PREFIX.dedupe)) continue;
        checked[String(item.entity)] = (checked[String(item.entity)] ?? 0) + 1;
        problems.push(...storedItemProblems(item));
      }
      start = page.LastEvaluatedKey;
    } while (start);
  } finally {
    client.destroy();
  }
  return { checked, problems };
}

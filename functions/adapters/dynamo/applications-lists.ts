/**
 * The list pages of the application repository (./applications.ts): the operations view by status, the stuck count,
 * a partner's queue (indexes gsi2 and gsi1 projecting only the list summary, keys.ts LIST_ATTRIBUTES), and heads by
 * id. Only the functions that list load it.
 */
import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { ApplicationStatus } from '../../../schemas/application.ts';
import type { ApplicationHead, ApplicationListItem } from '../../../schemas/stored-application.ts';
import { type ApplicationRepository, headOf, listRowOf } from './applications.ts';
import { batchGetAll, documentClient, queryPages } from './client.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { applicationKey, type IndexDefinition, INDEXES, operationsPartition, partnerQueuePartition, TABLE_KEYS } from './keys.ts';

/** What these functions need of the repository: its table. */
type Table = Pick<ApplicationRepository, 'tableName'>;

/** The heads of several applications by id (no timeline, estimate or brief bodies; missing ids are left out). */
export async function getHeads(repo: Table, ids: readonly string[]): Promise<ApplicationHead[]> {
  const items = await batchGetAll(repo.tableName, ids.map((id) => ({ ...applicationKey(id) })));
  return items.map((item) => headOf(item));
}

/** Operations view: applications in a status, oldest or newest first, paginated. */
export async function listByStatus(repo: Table, status: ApplicationStatus, opts: { limit: number; cursor?: string; newestFirst?: boolean; updatedBefore?: string }): Promise<{ items: ApplicationListItem[]; cursor?: string }> {
  const pk = operationsPartition(status);
  return queryIndex(repo, INDEXES.operations, pk, {
    // `updatedBefore`: only those in the status since before that time (stuck work), read straight off the index.
    KeyConditionExpression: opts.updatedBefore ? 'gsi2pk = :pk AND gsi2sk < :before' : 'gsi2pk = :pk',
    ExpressionAttributeValues: { ':pk': pk, ...(opts.updatedBefore ? { ':before': opts.updatedBefore } : {}) },
    ScanIndexForward: !opts.newestFirst,
    Limit: opts.limit,
  }, opts.cursor);
}

/**
 * How many applications are in `status` since before `updatedBefore` (the stuck query of listByStatus), and how many
 * of those are escalated, counted off the operations index with `Select: COUNT` (nothing returned; the read is
 * what the index projects, ~0.5 KB a row). Returns the Query requests made too.
 */
export async function countInStatusSince(repo: Table, status: ApplicationStatus, updatedBefore: string): Promise<{ count: number; escalated: number; queries: number }> {
  let count = 0;
  let escalated = 0;
  let queries = 0;
  for await (const out of queryPages({
    TableName: repo.tableName,
    IndexName: INDEXES.operations.indexName,
    KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk < :before',
    // Counted: every row (ScannedCount); matched: the escalated ones (the filter reads nothing more).
    FilterExpression: 'attribute_exists(#summary.#escalation)',
    ExpressionAttributeNames: { '#summary': 'summary', '#escalation': 'escalation' },
    ExpressionAttributeValues: { ':pk': operationsPartition(status), ':before': updatedBefore },
    Select: 'COUNT',
  })) {
    queries += 1;
    count += out.ScannedCount ?? 0;
    escalated += out.Count ?? 0;
  }
  return { count, escalated, queries };
}

/** A partner's queue, optionally one status, oldest first, paginated. */
export async function listPartnerQueue(repo: Table, partnerId: string, opts: { status?: ApplicationStatus; limit: number; cursor?: string }): Promise<{ items: ApplicationListItem[]; cursor?: string }> {
  const pk = partnerQueuePartition(partnerId);
  return queryIndex(repo, INDEXES.partnerQueue, pk, {
    KeyConditionExpression: opts.status ? 'gsi1pk = :pk AND begins_with(gsi1sk, :st)' : 'gsi1pk = :pk',
    ExpressionAttributeValues: opts.status ? { ':pk': pk, ':st': `${opts.status}#` } : { ':pk': pk },
    ScanIndexForward: true,
    Limit: opts.limit,
  }, opts.cursor);
}

/**
 * A page of list rows of one partition of a list index: only what the index projects (keys.ts LIST_ATTRIBUTES),
 * version-checked. The cursor must be one of this partition's.
 */
async function queryIndex(repo: Table, index: IndexDefinition, partition: string, input: Omit<QueryCommandInput, 'TableName' | 'IndexName'>, cursor: string | undefined): Promise<{ items: ApplicationListItem[]; cursor?: string }> {
  const startKey = cursor
    ? decodeCursor(cursor, {
      attributes: [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, index.partitionKey, index.sortKey],
      partition: { attribute: index.partitionKey, value: partition },
    })
    : undefined;
  const out = await documentClient.send(new QueryCommand({ ...input, TableName: repo.tableName, IndexName: index.indexName, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }));
  const items = (out.Items ?? []).filter((i) => i.entity === 'application').map(listRowOf);
  return { items, ...(out.LastEvaluatedKey ? { cursor: encodeCursor(out.LastEvaluatedKey) } : {}) };
}

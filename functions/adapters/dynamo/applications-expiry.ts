/**
 * The credit expiry sweep's part of the application repository (./applications.ts): the applications due for a
 * reminder or an expiry (index gsi3, access pattern 5b in keys.ts), and what a visit records. Only the expiry sweep
 * loads it.
 */
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Application } from '../../../schemas/application.ts';
import { type ApplicationRepository, indexAttributes } from './applications.ts';
import { documentClient, isConditionFailure } from './client.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { applicationKey, EXPIRY_DUE_PARTITION, INDEXES, PREFIX, TABLE_KEYS } from './keys.ts';

/** What these functions need of the repository: its table. */
type Table = Pick<ApplicationRepository, 'tableName'>;

/**
 * Record that expiry reminders went out for one record (`record.remindersSent`, shown to people). Not a
 * transition: the version stays. The mail itself is claimed separately (claimNotice), so losing this write to a
 * concurrent transition never sends a reminder twice. The expiry-sweep index moves with it when `app` is still
 * the stored version; otherwise the concurrent write set the index from a state without these reminders, which is
 * earlier, never later, than the truth (one extra visit). Returns the application with these reminders recorded.
 */
export async function recordReminderSent(repo: Table, app: Application, programId: string, days: readonly number[]): Promise<Application> {
  const index = (app.briefs ?? []).findIndex((b) => b.programId === programId);
  const brief = app.briefs?.[index];
  if (!brief?.record) return app;
  const missing = days.filter((d) => !(brief.record?.remindersSent ?? []).includes(d));
  if (missing.length === 0) return app;
  const path = `briefs[${index}].#record.#reminders`;
  const after: Application = {
    ...app,
    briefs: (app.briefs ?? []).map((b, i) => (i === index && b.record ? { ...b, record: { ...b.record, remindersSent: [...(b.record.remindersSent ?? []), ...missing] } } : b)),
  };
  const due = indexAttributes(after);
  const write = (withIndex: boolean) => documentClient.send(new UpdateCommand({
    TableName: repo.tableName,
    Key: applicationKey(app.id),
    UpdateExpression: `SET ${path} = list_append(if_not_exists(${path}, :empty), :days)${withIndex ? (due.gsi3sk ? ', gsi3pk = :g3pk, gsi3sk = :g3sk' : ' REMOVE gsi3pk, gsi3sk') : ''}`,
    ConditionExpression: `attribute_exists(pk) AND briefs[${index}].#programId = :programId AND attribute_exists(briefs[${index}].#record)${missing.map((_, i) => ` AND NOT contains(${path}, :d${i})`).join('')}${withIndex ? ' AND #version = :version' : ''}`,
    ExpressionAttributeNames: { '#record': 'record', '#reminders': 'remindersSent', '#programId': 'programId', ...(withIndex ? { '#version': 'version' } : {}) },
    ExpressionAttributeValues: {
      ':empty': [], ':days': missing, ':programId': programId, ...Object.fromEntries(missing.map((d, i) => [`:d${i}`, d])),
      ...(withIndex ? { ':version': app.version, ...(due.gsi3sk ? { ':g3pk': due.gsi3pk, ':g3sk': due.gsi3sk } : {}) } : {}),
    },
  }));
  try {
    await write(true);
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    await write(false).catch((e: unknown) => {
      if (!isConditionFailure(e)) throw e;
    });
  }
  return after;
}

/**
 * Set the expiry-sweep index from `app` when it is still the stored version (a visit that found nothing to do
 * moves the application's next check forward).
 */
export async function refreshExpiryDue(repo: Table, app: Application): Promise<void> {
  const due = indexAttributes(app);
  await documentClient.send(new UpdateCommand({
    TableName: repo.tableName,
    Key: applicationKey(app.id),
    UpdateExpression: due.gsi3sk ? 'SET gsi3pk = :pk, gsi3sk = :sk' : 'REMOVE gsi3pk, gsi3sk',
    ConditionExpression: 'attribute_exists(pk) AND #version = :version',
    ExpressionAttributeNames: { '#version': 'version' },
    ExpressionAttributeValues: { ':version': app.version, ...(due.gsi3sk ? { ':pk': due.gsi3pk, ':sk': due.gsi3sk } : {}) },
  })).catch((error: unknown) => {
    if (!isConditionFailure(error)) throw error;
  });
}

/** Ids of the applications whose next expiry check is due by `now`, earliest first, paginated. */
export async function listExpiryDue(repo: Table, now: Date, opts: { limit: number; cursor?: string }): Promise<{ ids: string[]; cursor?: string }> {
  const index = INDEXES.expiryDue;
  const startKey = opts.cursor
    ? decodeCursor(opts.cursor, {
      attributes: [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, index.partitionKey, index.sortKey],
      partition: { attribute: index.partitionKey, value: EXPIRY_DUE_PARTITION },
    })
    : undefined;
  const out = await documentClient.send(new QueryCommand({
    TableName: repo.tableName,
    IndexName: index.indexName,
    KeyConditionExpression: 'gsi3pk = :pk AND gsi3sk <= :now',
    ExpressionAttributeValues: { ':pk': EXPIRY_DUE_PARTITION, ':now': `${now.toISOString()}#~` },
    Limit: opts.limit,
    ...(startKey ? { ExclusiveStartKey: startKey } : {}),
  }));
  const ids = (out.Items ?? []).map((i) => String(i.pk).slice(PREFIX.application.length));
  return { ids, ...(out.LastEvaluatedKey ? { cursor: encodeCursor(out.LastEvaluatedKey) } : {}) };
}

/**
 * Intake's part of the application repository (./applications.ts): storing a new application, the likely-duplicate
 * index items (access pattern 7 in keys.ts) and the founder token hashes of an idempotent replay. Only intake and the
 * partner routes load it.
 */
import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DedupeValue } from '../../core/dedupe.ts';
import { ConflictError, NotFoundError } from '../../core/errors.ts';
import type { Application } from '../../../schemas/application.ts';
import { type ApplicationRepository, countTransitions, headItem, type PendingDocument, putDocuments, putTransition } from './applications.ts';
import { documentClient, isConditionFailure } from './client.ts';
import { applicationKey, dedupeKey, dedupePartition } from './keys.ts';

/** What these functions need of the repository: its table. */
type Table = Pick<ApplicationRepository, 'tableName'>;

/** Store a new application; `false` when one with this id already exists (an idempotent replay). */
export async function createApplication(repo: Table, app: Application): Promise<boolean> {
  const docs: PendingDocument[] = [];
  const item = headItem(app, docs);
  await putDocuments(repo, app.id, docs, app.version);
  for (const t of app.transitions.slice(0, -1)) await putTransition(repo, app.id, t);
  try {
    await documentClient.send(new PutCommand({ TableName: repo.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
    await countTransitions(repo, app, app.transitions, new Date(app.updatedAt)); // a new application: stamped with the intake's clock
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Founder access tokens valid at once per application. */
export const MAX_FOUNDER_TOKENS = 10;

/** Idempotent puts of the dedupe index items of one application; written before the application itself. */
export async function putDedupeItems(repo: Table, applicationId: string, values: readonly DedupeValue[], now: Date): Promise<void> {
  await Promise.all(values.map((v) => documentClient.send(new PutCommand({
    TableName: repo.tableName,
    Item: { ...dedupeKey(v.kind, v.value, applicationId), entity: 'dedupe', kind: v.kind, value: v.value, applicationId, indexedAt: now.toISOString() },
  }))));
}

/** Ids of applications indexed under any of these values (the caller re-checks each against its worksheet). */
export async function findDedupeCandidates(repo: Table, values: readonly DedupeValue[], limitPerValue = 50): Promise<string[]> {
  const pages = await Promise.all(values.map((v) => documentClient.send(new QueryCommand({
    TableName: repo.tableName,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': dedupePartition(v.kind, v.value) },
    Limit: limitPerValue,
  }))));
  return [...new Set(pages.flatMap((p) => (p.Items ?? []).map((i) => String(i.applicationId))))];
}

/**
 * Add a founder token hash (an idempotent replay issues a new token), in one conditional append while fewer than
 * MAX_FOUNDER_TOKENS are held. A token once handed out is never dropped to make room: concurrent replays each
 * either add theirs or are refused (409), so every token a 2xx carried opens the application (issue 8: dropping
 * the oldest at the cap let 20 simultaneous replays hand out tokens that no longer worked).
 */
export async function addFounderTokenHash(repo: Pick<ApplicationRepository, 'tableName' | 'get'>, id: string, hash: string): Promise<void> {
  try {
    await documentClient.send(new UpdateCommand({
      TableName: repo.tableName,
      Key: applicationKey(id),
      UpdateExpression: 'SET founderTokenHashes = list_append(founderTokenHashes, :h)',
      ConditionExpression: 'attribute_exists(pk) AND size(founderTokenHashes) < :max',
      ExpressionAttributeValues: { ':h': [hash], ':max': MAX_FOUNDER_TOKENS },
    }));
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const latest = await repo.get(id);
    if (!latest) throw new NotFoundError(`Application ${id} not found`);
    throw new ConflictError(
      `This Idempotency-Key was already answered ${MAX_FOUNDER_TOKENS} times, each time with its own founder token, and each of them still works: `
      + `use one of those tokens to follow application ${id} (no further token is issued for it)`,
      latest.status,
    );
  }
}

/**
 * Claiming and giving back an application's notices (`N#<key>` items: functions/usecases/notifier.ts), part of the
 * application repository (./applications.ts), and marking them sent (the notifier, and a note, which calls for no
 * mail). Only the functions that send mail or write notes load it.
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { NOTICE_LEASE_MS } from '../../../schemas/stored-version.ts';
import { type ApplicationRepository, noticeOf } from './applications.ts';
import { documentClient, isConditionFailure } from './client.ts';
import { noticeKey } from './keys.ts';

/** What these functions need of the repository: its table. */
type Table = Pick<ApplicationRepository, 'tableName'>;

/**
 * Claim a notice before sending it. `claimed`: this caller holds it until `leaseUntil` (then marks it sent, or gives
 * it back); `sent`: it already went out; `busy`: another sender holds a live claim until `leaseUntil`. A claim whose
 * lease ran out (its sender died between claiming and sending) can be claimed again: mail goes out at least once.
 */
export async function claimNotice(repo: Table, id: string, key: string, now: Date): Promise<{ state: 'claimed' | 'sent' | 'busy'; leaseUntil?: number }> {
  const leaseUntil = now.getTime() + NOTICE_LEASE_MS;
  try {
    await documentClient.send(new PutCommand({
      TableName: repo.tableName,
      Item: { ...noticeKey(id, key), entity: 'notice', key, state: 'claimed', leaseUntil },
      // A claim without a lease counts as run out, as the read below counts it (else a claim would retry for ever).
      ConditionExpression: 'attribute_not_exists(pk) OR (#state = :claimed AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now))',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':claimed': 'claimed', ':now': now.getTime() },
    }));
    return { state: 'claimed', leaseUntil };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const out = await documentClient.send(new GetCommand({ TableName: repo.tableName, Key: noticeKey(id, key), ConsistentRead: true }));
    const notice = out.Item ? noticeOf(out.Item) : undefined;
    if (!notice || (notice.state === 'claimed' && (notice.leaseUntil ?? 0) < now.getTime())) return claimNotice(repo, id, key, now); // released meanwhile
    return notice.state === 'sent' ? { state: 'sent' } : { state: 'busy', ...(notice.leaseUntil ? { leaseUntil: notice.leaseUntil } : {}) };
  }
}

/** Give a claim back (the send failed): its lease ends now, so the next attempt claims it at once. Never undoes a sent notice. */
export async function releaseNotice(repo: Table, id: string, key: string): Promise<void> {
  await documentClient.send(new UpdateCommand({
    TableName: repo.tableName,
    Key: noticeKey(id, key),
    UpdateExpression: 'SET leaseUntil = :released',
    ConditionExpression: '#state = :claimed',
    ExpressionAttributeNames: { '#state': 'state' },
    ExpressionAttributeValues: { ':claimed': 'claimed', ':released': 0 },
  })).catch((error: unknown) => {
    if (!isConditionFailure(error)) throw error;
  });
}

/** Record notices as sent (idempotent: a notice once sent stays sent). */
export async function markNoticesSent(repo: Table, id: string, keys: readonly string[]): Promise<void> {
  await Promise.all(keys.map((key) => documentClient.send(new PutCommand({
    TableName: repo.tableName,
    Item: { ...noticeKey(id, key), entity: 'notice', key, state: 'sent' },
  }))));
}

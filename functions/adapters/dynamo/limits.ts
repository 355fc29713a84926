/**
 * Intake limits without transactions (dynalite has none, and none is needed):
 *
 * - Open-application slots: a scope (a founder's mailbox, an AWS account, a mail domain) owns `limit` slot items; an application
 *   holds one by a conditional put ("free, or already mine"), so no number of concurrent intakes can hold more than
 *   `limit` at once, and a retried intake re-finds its own slot. A slot is never counted down: when all are held, the
 *   caller checks the holders and takes back (a conditional update on the holder) the slot of one that is no longer
 *   open or was never stored. A crash between the claim and the application's put therefore leaves a slot whose
 *   holder does not exist, reclaimed after a grace period; nothing needs repairing.
 * - Rate counters: one item per fixed window, a conditional ADD ("count below the limit"), removed by TTL (readers
 *   never look at past windows, so dynalite's lack of TTL only leaves small dead items).
 */
import { createHash } from 'node:crypto';
import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, isConditionFailure } from './client.ts';
import { expiresAtSeconds, openSlotKey, openSlotPartition, rateWindowKey } from './keys.ts';

export interface SlotHolder {
  readonly slot: number;
  readonly applicationId: string;
  readonly claimedAt: string;
}

/**
 * A scope key that never carries the address itself: of the mailbox (functions/core/mailbox.ts `mailboxOf`), so every
 * address that reaches one inbox shares it. Still `address:v1`: an unfolded address keeps the key it had before
 * folding, so a deploy forgets no open slot or rate window.
 */
export function addressScope(mailbox: string): string {
  return `addr#${hashed(`address:v1:${mailbox}`)}`;
}

/** The confirmed open applications of one mail domain (public mail services have none: mailbox.ts). */
export function mailDomainScope(domain: string): string {
  return `mdom#${hashed(`mail-domain:v1:${domain}`)}`;
}

/** The worksheets of one source network a day (functions/core/source-network.ts): keyed by a hash, never the address. */
export function sourceScope(network: string): string {
  return `src#${hashed(`source:v1:${network}`)}`;
}

function hashed(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 32);
}

export function accountScope(accountId: string): string {
  return `acct#${accountId}`;
}

/** The intake limits' items live in the application table; the functions below are over it, so a bundle carries only those it calls. */
export class LimitRepository {
  constructor(readonly tableName: string) {}
}

/** What these functions need of the repository: its table. */
export type LimitTable = Pick<LimitRepository, 'tableName'>;


/** Take slot `slot` of `scope` for `applicationId`; true when it is now (or already was) this application's. */
export async function claimSlot(limits: LimitTable, scope: string, slot: number, applicationId: string, now: Date): Promise<boolean> {
  try {
    await documentClient.send(new PutCommand({
      TableName: limits.tableName,
      Item: { ...openSlotKey(scope, slot), entity: 'open-slot', applicationId, claimedAt: now.toISOString() },
      ConditionExpression: 'attribute_not_exists(applicationId) OR applicationId = :id',
      ExpressionAttributeValues: { ':id': applicationId },
    }));
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

export async function slotHolders(limits: LimitTable, scope: string): Promise<SlotHolder[]> {
  const out = await documentClient.send(new QueryCommand({
    TableName: limits.tableName,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': openSlotPartition(scope) },
    ConsistentRead: true,
  }));
  return (out.Items ?? []).filter((i) => typeof i.applicationId === 'string').map((i) => ({ slot: Number(String(i.sk).slice('SLOT#'.length)), applicationId: String(i.applicationId), claimedAt: String(i.claimedAt) }));
}

/**
 * Free a slot, only if `applicationId` still holds it (a concurrent reclaim and re-claim is left alone). The item
 * stays, empty (the functions have no DeleteItem right; a scope has at most `limit` slot items).
 */
export async function releaseSlot(limits: LimitTable, scope: string, slot: number, applicationId: string): Promise<void> {
  await documentClient.send(new UpdateCommand({
    TableName: limits.tableName,
    Key: openSlotKey(scope, slot),
    UpdateExpression: 'REMOVE applicationId, claimedAt',
    ConditionExpression: 'applicationId = :id',
    ExpressionAttributeValues: { ':id': applicationId },
  })).catch((error: unknown) => {
    if (!isConditionFailure(error)) throw error;
  });
}

/**
 * Count one event in the current fixed window of `windowMs`; false (and the seconds until the window ends) when
 * `limit` events were already counted in it.
 */
export async function takeFromWindow(limits: LimitTable, scope: string, what: string, opts: { limit: number; windowMs: number; now: Date }): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number }> {
  const start = Math.floor(opts.now.getTime() / opts.windowMs) * opts.windowMs;
  const end = start + opts.windowMs;
  try {
    await documentClient.send(new UpdateCommand({
      TableName: limits.tableName,
      Key: rateWindowKey(scope, what, start),
      UpdateExpression: 'ADD #count :one SET entity = :entity, expiresAt = :ttl',
      ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: { ':one': 1, ':limit': opts.limit, ':entity': 'rate-window', ':ttl': expiresAtSeconds(new Date(end + opts.windowMs)) },
    }));
    return { ok: true };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((end - opts.now.getTime()) / 1000)) };
  }
}

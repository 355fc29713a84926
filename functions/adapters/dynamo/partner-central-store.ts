/**
 * DynamoDB items of the Partner Central sync (access pattern 8 in keys.ts): opportunity → record mappings, the write
 * gate per partner AWS account, the reconciliation watermark per partner and catalog, and processed event ids.
 * Functions over the store (its table), so each Partner Central bundle carries only the ones it calls.
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, isConditionFailure, queryPages } from './client.ts';
import {
  benefitsWatermarkKey, expiresAtSeconds, INDEXES, OPEN_REVIEW_PARTITION, openReviewKeys, opportunityKey, partnerCentralEventKey, PREFIX, syncWatermarkKey, writeGateKey,
} from './keys.ts';

export interface OpportunityMapping {
  readonly catalog: string;
  readonly opportunityId: string;
  readonly applicationId: string;
  readonly programId: string;
  readonly partnerId: string;
}

/** How long a processed event id is remembered (EventBridge retries within 24 h; duplicates come sooner). */
const EVENT_MEMORY_MS = 7 * 24 * 3600 * 1000;

/** The Partner Central sync's items live in the application table. */
export class PartnerCentralStore {
  constructor(readonly tableName: string) {}
}

/** What these functions need of the store: its table. */
export type PartnerCentralTable = Pick<PartnerCentralStore, 'tableName'>;


/** Idempotent: the same opportunity always maps to the same record (written before the record is marked filed). */
export async function putOpportunityMapping(store: PartnerCentralTable, m: OpportunityMapping, now: Date): Promise<void> {
  await documentClient.send(new PutCommand({
    TableName: store.tableName,
    Item: { ...opportunityKey(m.catalog, m.opportunityId), entity: 'opportunity-mapping', ...m, mappedAt: now.toISOString() },
  }));
}

export async function getOpportunityMapping(store: PartnerCentralTable, catalog: string, opportunityId: string): Promise<OpportunityMapping | undefined> {
  const out = await documentClient.send(new GetCommand({ TableName: store.tableName, Key: opportunityKey(catalog, opportunityId), ConsistentRead: true }));
  const i = out.Item;
  if (!i) return undefined;
  return { catalog: String(i.catalog), opportunityId: String(i.opportunityId), applicationId: String(i.applicationId), programId: String(i.programId), partnerId: String(i.partnerId) };
}

/**
 * A benefit application → record mapping (the funding request's), in the same key space as opportunities under a
 * `BENEFITS#<catalog>` catalog key: benefit application ids (`benappl-…`) never collide with opportunity ids.
 */
export async function putBenefitMapping(store: PartnerCentralTable, m: { catalog: string; benefitApplicationId: string; applicationId: string; programId: string; partnerId: string }, now: Date): Promise<void> {
  await putOpportunityMapping(store, { catalog: benefitsWatermarkKey(m.catalog), opportunityId: m.benefitApplicationId, applicationId: m.applicationId, programId: m.programId, partnerId: m.partnerId }, now);
}

export async function getBenefitMapping(store: PartnerCentralTable, catalog: string, benefitApplicationId: string): Promise<OpportunityMapping | undefined> {
  return getOpportunityMapping(store, benefitsWatermarkKey(catalog), benefitApplicationId);
}

/**
 * Take the partner account's write slot: one conditional write `nextAt <= now` → `nextAt = next`. Across Lambda
 * instances at most one caller per interval gets `{ granted: true }`; the others learn when the slot frees.
 */
export async function tryTakeWriteSlot(store: PartnerCentralTable, accountId: string, now: Date, next: number): Promise<{ granted: true } | { granted: false; nextAt: number }> {
  try {
    await documentClient.send(new UpdateCommand({
      TableName: store.tableName,
      Key: writeGateKey(accountId),
      UpdateExpression: 'SET #nextAt = :next, #entity = :entity',
      ConditionExpression: 'attribute_not_exists(#nextAt) OR #nextAt <= :now',
      ExpressionAttributeNames: { '#nextAt': 'nextAt', '#entity': 'entity' },
      ExpressionAttributeValues: { ':next': next, ':now': now.getTime(), ':entity': 'write-gate' },
    }));
    return { granted: true };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const out = await documentClient.send(new GetCommand({ TableName: store.tableName, Key: writeGateKey(accountId), ConsistentRead: true }));
    return { granted: false, nextAt: typeof out.Item?.nextAt === 'number' ? out.Item.nextAt : now.getTime() };
  }
}

export async function getWatermark(store: PartnerCentralTable, partnerId: string, catalog: string): Promise<string | undefined> {
  return (await getSyncState(store, partnerId, catalog)).watermark;
}

/** The partner's sync item in one consistent read: its watermark and what is still open at AWS (`open`, 8b). */
export async function getSyncState(store: PartnerCentralTable, partnerId: string, catalog: string): Promise<{ watermark?: string; open: string[] }> {
  const out = await documentClient.send(new GetCommand({ TableName: store.tableName, Key: syncWatermarkKey(partnerId, catalog), ConsistentRead: true }));
  const item = out.Item;
  return {
    ...(typeof item?.watermark === 'string' ? { watermark: item.watermark } : {}),
    open: item?.open instanceof Set ? [...(item.open as Set<string>)].sort() : [],
  };
}

/**
 * The first watermark of a partner (written at its first API filing); an existing one is kept. An update, not a put,
 * so the item's other attributes (the `open` set, access pattern 8b) survive whichever was written first.
 */
export async function initWatermark(store: PartnerCentralTable, partnerId: string, catalog: string, watermark: string): Promise<void> {
  await writeWatermark(store, partnerId, catalog, watermark, 'attribute_not_exists(#watermark)');
}

/** Move the watermark forward only (a slower concurrent run never moves it back). */
export async function advanceStoredWatermark(store: PartnerCentralTable, partnerId: string, catalog: string, watermark: string): Promise<void> {
  await writeWatermark(store, partnerId, catalog, watermark, 'attribute_not_exists(#watermark) OR #watermark < :w');
}

/** Set the watermark when `condition` holds; a failed condition means another run already wrote one that stays. */
async function writeWatermark(store: PartnerCentralTable, partnerId: string, catalog: string, watermark: string, condition: string): Promise<void> {
  await documentClient.send(new UpdateCommand({
    TableName: store.tableName,
    Key: syncWatermarkKey(partnerId, catalog),
    UpdateExpression: 'SET #watermark = :w, #entity = :entity, #partnerId = :p, #catalog = :c',
    ConditionExpression: condition,
    ExpressionAttributeNames: { '#watermark': 'watermark', '#entity': 'entity', '#partnerId': 'partnerId', '#catalog': 'catalog' },
    ExpressionAttributeValues: { ':w': watermark, ':entity': 'sync-watermark', ':p': partnerId, ':c': catalog },
  })).catch((error: unknown) => {
    if (!isConditionFailure(error)) throw error;
  });
}

/**
 * An opportunity of this partner entered AWS's review (filed through the API): add it to the watermark item's `open`
 * set and put the item in the partners-to-reconcile partition (access pattern 8b). Idempotent.
 */
export async function trackOpen(store: PartnerCentralTable, partnerId: string, catalog: string, opportunityId: string): Promise<void> {
  const index = openReviewKeys(partnerId, catalog);
  await documentClient.send(new UpdateCommand({
    TableName: store.tableName,
    Key: syncWatermarkKey(partnerId, catalog),
    UpdateExpression: 'ADD #open :ids SET #entity = :entity, #partnerId = :p, #catalog = :c, gsi3pk = :gpk, gsi3sk = :gsk',
    ExpressionAttributeNames: { '#open': 'open', '#entity': 'entity', '#partnerId': 'partnerId', '#catalog': 'catalog' },
    ExpressionAttributeValues: { ':ids': new Set([opportunityId]), ':entity': 'sync-watermark', ':p': partnerId, ':c': catalog, ':gpk': index.gsi3pk, ':gsk': index.gsi3sk },
  }));
}

/**
 * The opportunity left AWS's review (approved, rejected, or any later status): drop it from `open`; once the set is
 * empty (DynamoDB removes an emptied set), take the item out of the partition. The second write is conditional on
 * the set still being absent, so an opportunity tracked in between keeps its partner listed. Idempotent.
 */
export async function untrackOpen(store: PartnerCentralTable, partnerId: string, catalog: string, opportunityId: string): Promise<void> {
  const key = syncWatermarkKey(partnerId, catalog);
  await documentClient.send(new UpdateCommand({
    TableName: store.tableName,
    Key: key,
    UpdateExpression: 'DELETE #open :ids',
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeNames: { '#open': 'open' },
    ExpressionAttributeValues: { ':ids': new Set([opportunityId]) },
  })).catch((error: unknown) => {
    if (!isConditionFailure(error)) throw error;
  });
  await documentClient.send(new UpdateCommand({
    TableName: store.tableName,
    Key: key,
    UpdateExpression: 'REMOVE gsi3pk, gsi3sk',
    ConditionExpression: 'attribute_exists(pk) AND attribute_exists(gsi3pk) AND (attribute_not_exists(#open) OR size(#open) = :zero)',
    ExpressionAttributeNames: { '#open': 'open' },
    ExpressionAttributeValues: { ':zero': 0 },
  })).catch((error: unknown) => {
    if (!isConditionFailure(error)) throw error;
  });
}

/** The opportunities of one partner and catalog still in AWS's review (the `open` set). */
export async function openOpportunities(store: PartnerCentralTable, partnerId: string, catalog: string): Promise<string[]> {
  return (await getSyncState(store, partnerId, catalog)).open;
}

/**
 * The partners (and catalogs) with opportunities in AWS's review: one Query on the sparse partition of gsi3 (keys
 * only), every page. The reconciliation's work starts here, so it grows with them, not with all partners.
 */
export async function partnersWithOpenReviews(store: PartnerCentralTable): Promise<{ partnerId: string; catalog: string }[]> {
  const found: { partnerId: string; catalog: string }[] = [];
  for await (const out of queryPages({
    TableName: store.tableName,
    IndexName: INDEXES.expiryDue.indexName,
    KeyConditionExpression: 'gsi3pk = :pk',
    ExpressionAttributeValues: { ':pk': OPEN_REVIEW_PARTITION },
  })) {
    for (const item of out.Items ?? []) {
      found.push({ partnerId: String(item.pk).slice(PREFIX.partner.length), catalog: String(item.sk).slice(PREFIX.partnerCentralSync.length) });
    }
  }
  return found;
}

/**
 * Claim an EventBridge event id before handling it: a conditional put of a short-lived item (TTL `expiresAt`).
 * `false` when the id was claimed already (a duplicate delivery): the caller ignores the event. A handler that fails
 * gives the claim back (`releaseEvent`) so EventBridge's retry handles the event again; after a crash the claim
 * stays and the reconciliation catches whatever the event would have changed.
 */
export async function claimEvent(store: PartnerCentralTable, eventId: string, now: Date, memoryMs = EVENT_MEMORY_MS): Promise<boolean> {
  try {
    await documentClient.send(new PutCommand({
      TableName: store.tableName,
      Item: { ...partnerCentralEventKey(eventId), entity: 'partner-central-event', eventId, claimedAt: now.toISOString(), expiresAt: expiresAtSeconds(new Date(now.getTime() + memoryMs)) },
      // dynalite has no TTL and AWS deletes expired items late: an expired claim counts as absent.
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
      ExpressionAttributeValues: { ':now': expiresAtSeconds(now) },
    }));
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/**
 * A short lease on one piece of Partner Central work (e.g. sending one record's funding request), in the same items
 * as event claims: `false` while another caller holds it. It outlives any one invocation, so a crash frees it soon.
 */
export async function claimWork(store: PartnerCentralTable, key: string, now: Date, leaseMs: number): Promise<boolean> {
  return claimEvent(store, `work#${key}`, now, leaseMs);
}

export async function releaseWork(store: PartnerCentralTable, key: string): Promise<void> {
  await releaseEvent(store, `work#${key}`);
}

/** Give a claim back by expiring it now (an update, so no function needs dynamodb:DeleteItem). */
export async function releaseEvent(store: PartnerCentralTable, eventId: string): Promise<void> {
  await documentClient.send(new UpdateCommand({
    TableName: store.tableName,
    Key: partnerCentralEventKey(eventId),
    UpdateExpression: 'SET expiresAt = :gone',
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeValues: { ':gone': 0 },
  })).catch((error: unknown) => {
    if (!isConditionFailure(error)) throw error;
  });
}

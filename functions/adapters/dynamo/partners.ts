/**
 * Partner profiles and their live load. Booking a partner is one conditional ADD ("load < capacity"),
 * so concurrent routings can never overbook a partner.
 *
 * Split so a bundle carries only what it calls (class methods cannot be tree-shaken): the class holds what most
 * handlers use (a profile, giving a review slot back); booking, the directory and writing profiles are functions over
 * it, loaded only by routing, the operations functions and the seed.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { PartnerProfile, PartnerWithLoad } from '../../../schemas/partner.ts';
import { batchGetAll, documentClient, isConditionFailure, queryPages } from './client.ts';
import { INDEXES, PARTNER_DIRECTORY_PARTITION, partnerDirectoryKeys, partnerKey } from './keys.ts';

export class PartnerRepository {
  constructor(readonly tableName: string) {}

  async get(partnerId: string): Promise<PartnerWithLoad | undefined> {
    const out = await documentClient.send(new GetCommand({ TableName: this.tableName, Key: partnerKey(partnerId) }));
    return out.Item ? toPartner(out.Item) : undefined;
  }

  /** Give back the application's review slot (on decline, timeout, withdrawal or approval); a no-op when not held. */
  async release(partnerId: string, applicationId: string): Promise<void> {
    await documentClient.send(new UpdateCommand({
      TableName: this.tableName,
      Key: partnerKey(partnerId),
      UpdateExpression: 'ADD #load :minusOne DELETE #slots :app',
      ConditionExpression: 'contains(#slots, :id) AND #load > :zero',
      ExpressionAttributeNames: { '#load': 'load', '#slots': 'slots' },
      ExpressionAttributeValues: { ':minusOne': -1, ':zero': 0, ':app': new Set([applicationId]), ':id': applicationId },
    })).catch((error: unknown) => {
      if (!isConditionFailure(error)) throw error;
    });
  }
}

/** What these functions need of the repository: its table. */
export type PartnerTable = Pick<PartnerRepository, 'tableName'>;

/** Write (or refresh) a profile; the live `load` is kept as it is, or starts at 0. */
export async function upsertPartnerProfile(repo: PartnerTable, profile: PartnerProfile): Promise<void> {
  const { id: _id, ...fields } = profile;
  const names: Record<string, string> = { '#load': 'load', '#entity': 'entity', '#profileId': 'id' };
  const values: Record<string, unknown> = { ':zero': 0, ':entity': 'partner', ':id': profile.id, ...Object.fromEntries(Object.entries(partnerDirectoryKeys(profile.id)).map(([k, v]) => [`:${k}`, v])) };
  const sets = ['#load = if_not_exists(#load, :zero)', '#entity = :entity', '#profileId = :id', 'gsi2pk = :gsi2pk', 'gsi2sk = :gsi2sk'];
  Object.entries(fields).forEach(([key, value], i) => {
    names[`#f${i}`] = key;
    values[`:f${i}`] = value;
    sets.push(`#f${i} = :f${i}`);
  });
  await documentClient.send(new UpdateCommand({
    TableName: repo.tableName,
    Key: partnerKey(profile.id),
    UpdateExpression: `SET ${sets.join(', ')}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  }));
}

/**
 * Every partner profile: the directory (under the operations index, which projects no profile attributes) names
 * them, then one consistent BatchGet reads them (current load and capacity, which routing books against).
 */
export async function listPartners(repo: PartnerTable): Promise<PartnerWithLoad[]> {
  const ids: string[] = [];
  for await (const out of queryPages({
    TableName: repo.tableName,
    IndexName: INDEXES.operations.indexName,
    KeyConditionExpression: 'gsi2pk = :pk',
    ExpressionAttributeValues: { ':pk': PARTNER_DIRECTORY_PARTITION },
  })) {
    for (const item of out.Items ?? []) ids.push(String(item.gsi2sk));
  }
  const partners = (await batchGetAll(repo.tableName, ids.map((id) => ({ ...partnerKey(id) })), true)).map(toPartner);
  return partners.sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id));
}

/**
 * Take one review slot for an application; false when the partner is at capacity (or no longer active). The slot
 * is remembered per application (string set `slots`), so booking twice for the same application takes one slot
 * (true both times) and releasing twice gives back one. `overCapacity`: the application was already the partner's
 * (a redrive resuming its review), so it takes its slot back even when the partner has filled up meanwhile.
 */
export async function bookPartner(repo: PartnerTable, partnerId: string, applicationId: string, opts: { overCapacity?: boolean } = {}): Promise<boolean> {
  try {
    await documentClient.send(new UpdateCommand({
      TableName: repo.tableName,
      Key: partnerKey(partnerId),
      UpdateExpression: 'ADD #load :one, #slots :app',
      ConditionExpression: `attribute_exists(pk)${opts.overCapacity ? '' : ' AND #load < #capacity'} AND #active = :true AND NOT contains(#slots, :id)`,
      ExpressionAttributeNames: { '#load': 'load', ...(opts.overCapacity ? {} : { '#capacity': 'capacity' }), '#active': 'active', '#slots': 'slots' },
      ExpressionAttributeValues: { ':one': 1, ':true': true, ':app': new Set([applicationId]), ':id': applicationId },
    }));
    return true;
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    // Already holding a slot for this application (a retried routing) counts as booked.
    const out = await documentClient.send(new GetCommand({ TableName: repo.tableName, Key: partnerKey(partnerId), ConsistentRead: true }));
    return out.Item?.slots instanceof Set && (out.Item.slots as Set<string>).has(applicationId);
  }
}

function toPartner(item: Record<string, unknown>): PartnerWithLoad {
  const { pk: _pk, sk: _sk, gsi2pk: _a, gsi2sk: _b, entity: _e, slots: _s, ...rest } = item;
  return rest as PartnerWithLoad;
}

/**
 * The Partner Central sync's items (functions/adapters/dynamo/partner-central-store.ts) against dynalite, each
 * function on its own: what is stored and under which key, what a repeat or a lost race finds, and that any error
 * other than a failed condition reaches the caller. The partner-central suites run the same functions through the
 * filing and the reconciliation; this one runs in the mutate suite (vitest.mutate.config.ts), so StrykerJS sees it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type * as Client from '../../functions/adapters/dynamo/client.ts';
import type * as Store from '../../functions/adapters/dynamo/partner-central-store.ts';
import { startDynalite, type TestTable } from '../support/dynalite.ts';

let table: TestTable;
let store: typeof Store;
let client: typeof Client;
let raw: DynamoDBDocumentClient;
let pc: Store.PartnerCentralTable;
/** A store whose table does not exist: every call fails with ResourceNotFoundException, not a failed condition. */
let missing: Store.PartnerCentralTable;

beforeAll(async () => {
  table = await startDynalite();
  process.env.AWS_ENDPOINT_URL_DYNAMODB = table.endpoint;
  store = await import('../../functions/adapters/dynamo/partner-central-store.ts');
  client = await import('../../functions/adapters/dynamo/client.ts');
  pc = new store.PartnerCentralStore(table.tableName);
  missing = new store.PartnerCentralStore('no-such-table');
  raw = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: table.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
});
afterEach(() => {
  vi.restoreAllMocks();
});
afterAll(async () => {
  raw?.destroy();
  await table?.stop();
});

const uid = (p: string) => `${p}-${randomUUID().slice(0, 8)}`;
const item = async (pk: string, sk: string) => (await raw.send(new GetCommand({ TableName: table.tableName, Key: { pk, sk }, ConsistentRead: true }))).Item;
const notFound = /non-existent table|ResourceNotFound|Requested resource not found/i;

describe('opportunity and benefit mappings', () => {
  it('stores the mapping under OPPORTUNITY#<catalog>#<id> / RECORD with its fields and when, and reads it back', async () => {
    const now = new Date('2026-12-07T12:00:00Z');
    const m = { catalog: 'AWS', opportunityId: uid('O'), applicationId: uid('app'), programId: 'p1', partnerId: uid('partner') };
    expect(await store.getOpportunityMapping(pc, m.catalog, m.opportunityId)).toBeUndefined();
    await store.putOpportunityMapping(pc, m, now);
    expect(await item(`OPPORTUNITY#AWS#${m.opportunityId}`, 'RECORD')).toEqual({
      pk: `OPPORTUNITY#AWS#${m.opportunityId}`, sk: 'RECORD', entity: 'opportunity-mapping', ...m, mappedAt: '2026-12-07T12:00:00.000Z',
    });
    expect(await store.getOpportunityMapping(pc, 'AWS', m.opportunityId)).toEqual(m);
    expect(await store.getOpportunityMapping(pc, 'Sandbox', m.opportunityId)).toBeUndefined();
    // A repeat maps the same opportunity to the same record.
    await store.putOpportunityMapping(pc, m, new Date('2026-12-08T00:00:00Z'));
    expect(await store.getOpportunityMapping(pc, 'AWS', m.opportunityId)).toEqual(m);
  });

  it('reads only the mapping fields, each as a string', async () => {
    const id = uid('O');
    await raw.send(new PutCommand({ TableName: table.tableName, Item: { pk: `OPPORTUNITY#AWS#${id}`, sk: 'RECORD', catalog: 'AWS', opportunityId: id, applicationId: 7, programId: 'p', partnerId: 'x', extra: 'no' } }));
    expect(await store.getOpportunityMapping(pc, 'AWS', id)).toEqual({ catalog: 'AWS', opportunityId: id, applicationId: '7', programId: 'p', partnerId: 'x' });
  });

  it('keeps a benefit application mapping under the BENEFITS#<catalog> catalog key, apart from an opportunity of the same id', async () => {
    const now = new Date('2026-12-07T12:00:00Z');
    const id = uid('benappl');
    await store.putBenefitMapping(pc, { catalog: 'AWS', benefitApplicationId: id, applicationId: 'app_b', programId: 'pb', partnerId: 'partner-b' }, now);
    expect(await item(`OPPORTUNITY#BENEFITS#AWS#${id}`, 'RECORD')).toMatchObject({ entity: 'opportunity-mapping', catalog: 'BENEFITS#AWS', opportunityId: id, applicationId: 'app_b' });
    expect(await store.getBenefitMapping(pc, 'AWS', id)).toEqual({ catalog: 'BENEFITS#AWS', opportunityId: id, applicationId: 'app_b', programId: 'pb', partnerId: 'partner-b' });
    expect(await store.getOpportunityMapping(pc, 'AWS', id)).toBeUndefined();
    await store.putOpportunityMapping(pc, { catalog: 'AWS', opportunityId: id, applicationId: 'app_o', programId: 'po', partnerId: 'partner-o' }, now);
    expect((await store.getBenefitMapping(pc, 'AWS', id))?.applicationId).toBe('app_b');
    expect((await store.getOpportunityMapping(pc, 'AWS', id))?.applicationId).toBe('app_o');
  });

  it('passes other errors on', async () => {
    const m = { catalog: 'AWS', opportunityId: 'O1', applicationId: 'a', programId: 'p', partnerId: 'x' };
    await expect(store.putOpportunityMapping(missing, m, new Date())).rejects.toThrow(notFound);
    await expect(store.getOpportunityMapping(missing, 'AWS', 'O1')).rejects.toThrow(notFound);
  });
});

describe('tryTakeWriteSlot', () => {
  it('grants the slot once per interval, tells the others when it frees, and grants it again from that instant', async () => {
    const account = uid('acct');
    const t0 = new Date('2026-12-07T12:00:00.000Z');
    expect(await store.tryTakeWriteSlot(pc, account, t0, t0.getTime() + 1000)).toEqual({ granted: true });
    expect(await item(`PCGATE#${account}`, 'WRITES')).toEqual({ pk: `PCGATE#${account}`, sk: 'WRITES', entity: 'write-gate', nextAt: t0.getTime() + 1000 });
    // A second caller in the same interval learns when the slot frees; nothing changes.
    expect(await store.tryTakeWriteSlot(pc, account, new Date(t0.getTime() + 999), t0.getTime() + 1999)).toEqual({ granted: false, nextAt: t0.getTime() + 1000 });
    expect((await item(`PCGATE#${account}`, 'WRITES'))?.nextAt).toBe(t0.getTime() + 1000);
    // Exactly at nextAt the slot is free.
    expect(await store.tryTakeWriteSlot(pc, account, new Date(t0.getTime() + 1000), t0.getTime() + 2000)).toEqual({ granted: true });
    expect((await item(`PCGATE#${account}`, 'WRITES'))?.nextAt).toBe(t0.getTime() + 2000);
    // Another account has its own slot.
    expect(await store.tryTakeWriteSlot(pc, uid('acct'), t0, t0.getTime() + 1000)).toEqual({ granted: true });
  });

  it('answers "now" when the gate holds no usable nextAt', async () => {
    const account = uid('acct');
    await raw.send(new PutCommand({ TableName: table.tableName, Item: { pk: `PCGATE#${account}`, sk: 'WRITES', nextAt: 'later' } }));
    const now = new Date('2026-12-07T12:00:00Z');
    expect(await store.tryTakeWriteSlot(pc, account, now, now.getTime() + 1000)).toEqual({ granted: false, nextAt: now.getTime() });
  });

  it('passes other errors on', async () => {
    await expect(store.tryTakeWriteSlot(missing, 'acct', new Date(), 1)).rejects.toThrow(notFound);
    // A write that fails for another reason than the slot being taken is no "not granted" (the gate stays as it was).
    const account = uid('acct');
    const t0 = new Date('2026-12-07T12:00:00.000Z');
    expect(await store.tryTakeWriteSlot(pc, account, t0, t0.getTime() + 1000)).toEqual({ granted: true });
    await expect(store.tryTakeWriteSlot(pc, account, t0, Number.NaN)).rejects.toThrow('Special numeric value NaN is not allowed');
    expect((await item(`PCGATE#${account}`, 'WRITES'))?.nextAt).toBe(t0.getTime() + 1000);
  });
});

describe('watermarks', () => {
  it('has no watermark and nothing open before the first write', async () => {
    const partner = uid('partner');
    expect(await store.getSyncState(pc, partner, 'AWS')).toEqual({ open: [] });
    expect(await store.getWatermark(pc, partner, 'AWS')).toBeUndefined();
    expect(await store.openOpportunities(pc, partner, 'AWS')).toEqual([]);
  });

  it('initWatermark writes the first one and keeps it; advance moves it forward only', async () => {
    const partner = uid('partner');
    await store.initWatermark(pc, partner, 'AWS', '2026-12-01T00:00:00Z');
    expect(await item(`PARTNER#${partner}`, 'PCSYNC#AWS')).toEqual({
      pk: `PARTNER#${partner}`, sk: 'PCSYNC#AWS', watermark: '2026-12-01T00:00:00Z', entity: 'sync-watermark', partnerId: partner, catalog: 'AWS',
    });
    await store.initWatermark(pc, partner, 'AWS', '2026-12-05T00:00:00Z');
    expect(await store.getWatermark(pc, partner, 'AWS')).toBe('2026-12-01T00:00:00Z');
    await store.advanceStoredWatermark(pc, partner, 'AWS', '2026-12-03T00:00:00Z');
    expect(await store.getWatermark(pc, partner, 'AWS')).toBe('2026-12-03T00:00:00Z');
    // A slower run never moves it back.
    await store.advanceStoredWatermark(pc, partner, 'AWS', '2026-12-02T00:00:00Z');
    expect(await store.getWatermark(pc, partner, 'AWS')).toBe('2026-12-03T00:00:00Z');
    // Each catalog has its own.
    expect(await store.getWatermark(pc, partner, 'Sandbox')).toBeUndefined();
  });

  it('advance writes the first watermark when there is none', async () => {
    const partner = uid('partner');
    await store.advanceStoredWatermark(pc, partner, 'Sandbox', '2026-12-03T00:00:00Z');
    expect(await item(`PARTNER#${partner}`, 'PCSYNC#Sandbox')).toMatchObject({ watermark: '2026-12-03T00:00:00Z', entity: 'sync-watermark', partnerId: partner, catalog: 'Sandbox' });
  });

  it('keeps the open set whichever is written first, and ignores a watermark that is not a string', async () => {
    const partner = uid('partner');
    await store.trackOpen(pc, partner, 'AWS', 'O-1');
    await store.initWatermark(pc, partner, 'AWS', '2026-12-01T00:00:00Z');
    expect(await store.getSyncState(pc, partner, 'AWS')).toEqual({ watermark: '2026-12-01T00:00:00Z', open: ['O-1'] });
    const other = uid('partner');
    await raw.send(new PutCommand({ TableName: table.tableName, Item: { pk: `PARTNER#${other}`, sk: 'PCSYNC#AWS', watermark: 5, open: ['O-1'] } }));
    expect(await store.getSyncState(pc, other, 'AWS')).toEqual({ open: [] });
  });

  it('passes other errors on', async () => {
    await expect(store.initWatermark(missing, 'p', 'AWS', 'w')).rejects.toThrow(notFound);
    await expect(store.advanceStoredWatermark(missing, 'p', 'AWS', 'w')).rejects.toThrow(notFound);
    await expect(store.getSyncState(missing, 'p', 'AWS')).rejects.toThrow(notFound);
  });
});

describe('open reviews', () => {
  it('tracks opportunities in review in a sorted set, lists the partner, and unlists it once the set is empty', async () => {
    const partner = uid('partner');
    const listed = async () => (await store.partnersWithOpenReviews(pc)).filter((p) => p.partnerId === partner);
    await store.trackOpen(pc, partner, 'AWS', 'O-b');
    await store.trackOpen(pc, partner, 'AWS', 'O-a');
    await store.trackOpen(pc, partner, 'AWS', 'O-a');
    expect(await item(`PARTNER#${partner}`, 'PCSYNC#AWS')).toEqual({
      pk: `PARTNER#${partner}`, sk: 'PCSYNC#AWS', open: new Set(['O-a', 'O-b']), entity: 'sync-watermark', partnerId: partner, catalog: 'AWS', gsi3pk: 'PCSYNC#OPEN', gsi3sk: `${partner}#AWS`,
    });
    expect(await store.openOpportunities(pc, partner, 'AWS')).toEqual(['O-a', 'O-b']);
    expect(await listed()).toEqual([{ partnerId: partner, catalog: 'AWS' }]);

    await store.untrackOpen(pc, partner, 'AWS', 'O-a');
    expect(await store.openOpportunities(pc, partner, 'AWS')).toEqual(['O-b']);
    expect(await listed()).toEqual([{ partnerId: partner, catalog: 'AWS' }]);
    await store.untrackOpen(pc, partner, 'AWS', 'O-b');
    expect(await store.openOpportunities(pc, partner, 'AWS')).toEqual([]);
    expect(await listed()).toEqual([]);
    const after = await item(`PARTNER#${partner}`, 'PCSYNC#AWS');
    expect(after).toEqual({ pk: `PARTNER#${partner}`, sk: 'PCSYNC#AWS', entity: 'sync-watermark', partnerId: partner, catalog: 'AWS' });
    // A repeat changes nothing.
    await store.untrackOpen(pc, partner, 'AWS', 'O-b');
    expect(await item(`PARTNER#${partner}`, 'PCSYNC#AWS')).toEqual(after);
  });

  it('lists each partner and catalog with something open, and only those', async () => {
    const a = uid('partner');
    const b = uid('partner');
    await store.trackOpen(pc, a, 'AWS', 'O-1');
    await store.trackOpen(pc, a, 'Sandbox', 'O-2');
    await store.trackOpen(pc, b, 'AWS', 'O-3');
    await store.initWatermark(pc, uid('partner'), 'AWS', '2026-12-01T00:00:00Z');
    const mine = (await store.partnersWithOpenReviews(pc)).filter((p) => p.partnerId === a || p.partnerId === b);
    expect(mine.sort((x, y) => `${x.partnerId}${x.catalog}`.localeCompare(`${y.partnerId}${y.catalog}`))).toEqual(
      [{ partnerId: a, catalog: 'AWS' }, { partnerId: a, catalog: 'Sandbox' }, { partnerId: b, catalog: 'AWS' }].sort((x, y) => `${x.partnerId}${x.catalog}`.localeCompare(`${y.partnerId}${y.catalog}`)),
    );
  });

  it('untracking what was never tracked creates no item', async () => {
    const partner = uid('partner');
    await store.untrackOpen(pc, partner, 'AWS', 'O-1');
    expect(await item(`PARTNER#${partner}`, 'PCSYNC#AWS')).toBeUndefined();
  });

  it('untracking leaves a watermark-only item (never listed) as it was', async () => {
    const partner = uid('partner');
    await store.initWatermark(pc, partner, 'AWS', '2026-12-01T00:00:00Z');
    const before = await item(`PARTNER#${partner}`, 'PCSYNC#AWS');
    await store.untrackOpen(pc, partner, 'AWS', 'O-1');
    expect(await item(`PARTNER#${partner}`, 'PCSYNC#AWS')).toEqual(before);
  });

  it('keeps the partner listed when the set still holds something (an opportunity tracked in between)', async () => {
    const partner = uid('partner');
    await store.trackOpen(pc, partner, 'AWS', 'O-1');
    await store.trackOpen(pc, partner, 'AWS', 'O-2');
    await store.untrackOpen(pc, partner, 'AWS', 'O-1');
    expect(await item(`PARTNER#${partner}`, 'PCSYNC#AWS')).toMatchObject({ open: new Set(['O-2']), gsi3pk: 'PCSYNC#OPEN', gsi3sk: `${partner}#AWS` });
  });

  it('passes other errors on', async () => {
    await expect(store.trackOpen(missing, 'p', 'AWS', 'O-1')).rejects.toThrow(notFound);
    await expect(store.untrackOpen(missing, 'p', 'AWS', 'O-1')).rejects.toThrow(notFound);
    await expect(store.partnersWithOpenReviews(missing)).rejects.toThrow(notFound);
  });

  it('untracking passes on an error of the first write (an `open` that is no set)', async () => {
    const partner = uid('partner');
    await raw.send(new PutCommand({ TableName: table.tableName, Item: { pk: `PARTNER#${partner}`, sk: 'PCSYNC#AWS', open: ['O-1'] } }));
    await expect(store.untrackOpen(pc, partner, 'AWS', 'O-1')).rejects.toThrow('An operand in the update expression has an incorrect data type');
  });

  it('untracking passes on an error of the second write (the partner stays listed, so a retry can finish)', async () => {
    const partner = uid('partner');
    await store.trackOpen(pc, partner, 'AWS', 'O-1');
    const send = client.documentClient.send.bind(client.documentClient);
    let calls = 0;
    vi.spyOn(client.documentClient, 'send').mockImplementation((async (command: Parameters<typeof send>[0]) => {
      calls += 1;
      if (calls === 2) throw Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), { name: 'ProvisionedThroughputExceededException' });
      return send(command);
    }) as typeof client.documentClient.send);
    await expect(store.untrackOpen(pc, partner, 'AWS', 'O-1')).rejects.toThrow('Rate of requests exceeds the allowed throughput.');
    vi.restoreAllMocks();
    expect(await item(`PARTNER#${partner}`, 'PCSYNC#AWS')).toMatchObject({ gsi3pk: 'PCSYNC#OPEN' });
    await store.untrackOpen(pc, partner, 'AWS', 'O-1');
    expect((await store.partnersWithOpenReviews(pc)).filter((p) => p.partnerId === partner)).toEqual([]);
  });

  it('lists nothing but partners whose sync item is in the partition', async () => {
    await store.trackOpen(pc, uid('partner'), 'AWS', 'O-1');
    const all = await store.partnersWithOpenReviews(pc);
    expect(all.length).toBeGreaterThan(0);
    for (const p of all) {
      expect(Object.keys(p).sort()).toEqual(['catalog', 'partnerId']);
      expect(await item(`PARTNER#${p.partnerId}`, `PCSYNC#${p.catalog}`)).toMatchObject({ gsi3pk: 'PCSYNC#OPEN', gsi3sk: `${p.partnerId}#${p.catalog}` });
    }
  });
});

describe('event claims and work leases', () => {
  it('claims an event id once; the claim is remembered a week under PCEVENT#<id> / EVENT', async () => {
    const id = uid('evt');
    const now = new Date('2026-12-07T12:00:00.500Z');
    expect(await store.claimEvent(pc, id, now)).toBe(true);
    const week = Math.floor(now.getTime() / 1000) + 7 * 24 * 3600;
    expect(await item(`PCEVENT#${id}`, 'EVENT')).toEqual({
      pk: `PCEVENT#${id}`, sk: 'EVENT', entity: 'partner-central-event', eventId: id, claimedAt: '2026-12-07T12:00:00.500Z', expiresAt: week,
    });
    expect(await store.claimEvent(pc, id, now)).toBe(false);
    // Still remembered in the claim's last second, free from the next.
    expect(await store.claimEvent(pc, id, new Date((week + 1) * 1000 - 1))).toBe(false);
    expect(await store.claimEvent(pc, id, new Date((week + 1) * 1000))).toBe(true);
  });

  it('a released claim can be taken again; releasing what was never claimed creates nothing', async () => {
    const id = uid('evt');
    const now = new Date('2026-12-07T12:00:00Z');
    expect(await store.claimEvent(pc, id, now)).toBe(true);
    await store.releaseEvent(pc, id);
    expect((await item(`PCEVENT#${id}`, 'EVENT'))?.expiresAt).toBe(0);
    expect(await store.claimEvent(pc, id, now)).toBe(true);
    const never = uid('evt');
    await store.releaseEvent(pc, never);
    expect(await item(`PCEVENT#${never}`, 'EVENT')).toBeUndefined();
  });

  it('leases work under work#<key> for the lease given, until released', async () => {
    const key = uid('funding');
    const now = new Date('2026-12-07T12:00:00Z');
    expect(await store.claimWork(pc, key, now, 60_000)).toBe(true);
    expect(await item(`PCEVENT#work#${key}`, 'EVENT')).toMatchObject({ eventId: `work#${key}`, expiresAt: Math.floor(now.getTime() / 1000) + 60 });
    expect(await store.claimWork(pc, key, new Date(now.getTime() + 30_000), 60_000)).toBe(false);
    expect(await store.claimWork(pc, key, new Date(now.getTime() + 61_000), 60_000)).toBe(true);
    await store.releaseWork(pc, key);
    expect(await store.claimWork(pc, key, new Date(now.getTime() + 62_000), 60_000)).toBe(true);
    // An event claim of the same id is another item.
    expect(await store.claimEvent(pc, key, now)).toBe(true);
  });

  it('passes other errors on', async () => {
    await expect(store.claimEvent(missing, 'e', new Date())).rejects.toThrow(notFound);
    await expect(store.releaseEvent(missing, 'e')).rejects.toThrow(notFound);
  });
});

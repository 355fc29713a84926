/**
 * One-off maintenance of the table, run by `npm run migrate` (scripts/migrate.ts) with operator credentials, never by
 * a Lambda function (they hold no Scan and no DeleteItem):
 *
 * - `applications`: application items of schema version 1 (one item holding the whole application, before the
 *   storage redesign; no `schemaVersion`, or 1) rewritten as version 2 (the small head with its documents, earlier
 *   transitions and sent notices as items of their own; schemas/stored-application.ts). Each old item is parsed
 *   against the application schema first: one that does not parse is reported by id with its problems and left as
 *   it is. Idempotent (the items it writes are immutable content, and the head replaces the old item only while it
 *   is still that version-1 item: a second run finds nothing to do) and resumable (a Scan in pages; after each page
 *   the caller gets the key to start from, `scripts/migrate.ts` keeps it in a checkpoint file).
 * - `open-reviews`: records filed through the API before the reconciliation followed only partners with records in
 *   review (keys.ts, access pattern 8b): every opportunity mapping whose record is still in review is added to its
 *   partner's `open` set. Idempotent.
 * - `purge-expired`: deletes items whose TTL (`expiresAt`) has passed. On AWS, DynamoDB's TTL does this by itself
 *   (within days); dynalite has no TTL, so locally this is how superseded documents, old claims and rate windows go.
 *   Each delete is conditional on the item still being expired (an item written again meanwhile stays).
 */
import { DeleteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { Application } from '../schemas/application.ts';
import { fieldPath } from '../schemas/issues.ts';
import { inAwsReview } from '../functions/core/ace/partner-central-rules.ts';
import { ApplicationRepository } from '../functions/adapters/dynamo/applications.ts';
import { replaceLegacy } from '../functions/adapters/dynamo/applications-migration.ts';
import { documentClient, isConditionFailure } from '../functions/adapters/dynamo/client.ts';
import { SORT, TTL_ATTRIBUTE, expiresAtSeconds } from '../functions/adapters/dynamo/keys.ts';
import { PartnerCentralStore, trackOpen } from '../functions/adapters/dynamo/partner-central-store.ts';

/** Attributes of a version-1 item that are keys or bookkeeping, not application fields. */
const LEGACY_KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'entity', 'expiresAt', 'schemaVersion', 'notifiedSet'];

export type LegacyParse = { ok: true; app: Application } | { ok: false; problems: string[] };

/** A version-1 item as the application it holds (its sent notices were a string set `notifiedSet`). */
export function applicationFromLegacyItem(item: Record<string, unknown>): LegacyParse {
  const fields: Record<string, unknown> = { ...item };
  for (const k of LEGACY_KEY_ATTRIBUTES) delete fields[k];
  if (item.notifiedSet instanceof Set) fields.notified = [...(item.notifiedSet as Set<string>)].sort();
  const parsed = Application.safeParse(fields);
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.slice(0, 10).map((i) => `${fieldPath(i.path) || '(item)'}: ${i.message}`) };
  return { ok: true, app: parsed.data };
}

export interface ScanPage {
  /** Where the next page starts; undefined when the table is done. */
  readonly nextKey?: Record<string, unknown>;
}

export interface ApplicationMigration {
  scanned: number;
  migrated: string[];
  /** Replaced meanwhile by another run: nothing written over. */
  alreadyMigrated: string[];
  failed: { id: string; problems: string[] }[];
  /** Where to resume; undefined when the whole table was scanned. */
  nextKey?: Record<string, unknown>;
}

export interface ScanOptions {
  /** Items per Scan page (DynamoDB's Limit: evaluated items, before the filter). @default 100 */
  pageSize?: number;
  /** Stop after this many pages (resume from `nextKey`). @default no limit */
  maxPages?: number;
  startKey?: Record<string, unknown>;
  /** Called after each page is done, with where the next one starts (the checkpoint). */
  onPage?: (page: ScanPage) => void | Promise<void>;
}

async function scanPages(tableName: string, filter: { expression: string; names?: Record<string, string>; values: Record<string, unknown> }, opts: ScanOptions, each: (item: Record<string, unknown>) => Promise<void>): Promise<{ scanned: number; nextKey?: Record<string, unknown> }> {
  let start = opts.startKey;
  let pages = 0;
  let scanned = 0;
  do {
    const page = await documentClient.send(new ScanCommand({
      TableName: tableName,
      FilterExpression: filter.expression,
      ...(filter.names ? { ExpressionAttributeNames: filter.names } : {}),
      ExpressionAttributeValues: filter.values,
      Limit: opts.pageSize ?? 100,
      ConsistentRead: true,
      ...(start ? { ExclusiveStartKey: start } : {}),
    }));
    for (const item of page.Items ?? []) {
      scanned += 1;
      await each(item);
    }
    start = page.LastEvaluatedKey;
    pages += 1;
    await opts.onPage?.(start ? { nextKey: start } : {});
  } while (start && (opts.maxPages === undefined || pages < opts.maxPages));
  return { scanned, ...(start ? { nextKey: start } : {}) };
}

/** Version-1 application items → version 2 (see the module comment). */
export async function migrateApplications(tableName: string, opts: ScanOptions = {}): Promise<ApplicationMigration> {
  const repository = new ApplicationRepository(tableName);
  const result: ApplicationMigration = { scanned: 0, migrated: [], alreadyMigrated: [], failed: [] };
  const { scanned, nextKey } = await scanPages(tableName, {
    expression: 'sk = :head AND (attribute_not_exists(#schemaVersion) OR #schemaVersion = :legacy)',
    names: { '#schemaVersion': 'schemaVersion' },
    values: { ':head': SORT.application, ':legacy': 1 },
  }, opts, async (item) => {
    const id = String(item.id ?? item.pk);
    const parsed = applicationFromLegacyItem(item);
    if (!parsed.ok) {
      result.failed.push({ id, problems: parsed.problems });
      return;
    }
    if (await replaceLegacy(repository, parsed.app)) result.migrated.push(id);
    else result.alreadyMigrated.push(id);
  });
  result.scanned = scanned;
  if (nextKey) result.nextKey = nextKey;
  return result;
}

/** Opportunity mappings whose record is still in review → their partner's `open` set (see the module comment). */
export async function backfillOpenReviews(tableName: string, opts: ScanOptions = {}): Promise<{ scanned: number; tracked: number; nextKey?: Record<string, unknown> }> {
  const applications = new ApplicationRepository(tableName);
  const store = new PartnerCentralStore(tableName);
  let tracked = 0;
  const out = await scanPages(tableName, { expression: 'entity = :mapping', values: { ':mapping': 'opportunity-mapping' } }, opts, async (item) => {
    const app = await applications.get(String(item.applicationId));
    const status = app?.briefs?.find((b) => b.programId === item.programId)?.record?.status;
    if (status === undefined || !inAwsReview(status)) return;
    await trackOpen(store, String(item.partnerId), String(item.catalog), String(item.opportunityId));
    tracked += 1;
  });
  return { ...out, tracked };
}

/** Deletes items whose `expiresAt` has passed by `now` (see the module comment). */
export async function purgeExpired(tableName: string, now: Date, opts: ScanOptions = {}): Promise<{ scanned: number; deleted: number; nextKey?: Record<string, unknown> }> {
  let deleted = 0;
  const cutoff = expiresAtSeconds(now);
  const out = await scanPages(tableName, {
    expression: '#ttl < :now', names: { '#ttl': TTL_ATTRIBUTE }, values: { ':now': cutoff },
  }, opts, async (item) => {
    try {
      await documentClient.send(new DeleteCommand({
        TableName: tableName,
        Key: { pk: item.pk, sk: item.sk },
        ConditionExpression: '#ttl < :now',
        ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
        ExpressionAttributeValues: { ':now': cutoff },
      }));
      deleted += 1;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  });
  return { ...out, deleted };
}

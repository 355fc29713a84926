/**
 * The single-table key design: the one place that knows attribute names, index names and entity prefixes.
 * Used by the CDK table definition (lib/constructs/data.ts) and by the repository alike, so the two cannot drift.
 * Pure module: no AWS imports, safe for the infrastructure code, the handlers and the local runtime.
 *
 * Access patterns served:
 *  1. An application and everything it owns, one Query `pk = APP#<id>` (functions/adapters/dynamo/applications.ts):
 *     - `sk = APP`, the head: status, version, worksheet, partner, records and the LATEST transition (small, a few KB:
 *       it is what every status change rewrites, on the table and the indexes);
 *     - `sk = T#<version>`: every earlier transition, one small immutable item each (the timeline grows here);
 *     - `sk = N#<notice key>`: one item per notice, claimed (with a lease) then sent;
 *     - `sk = D#<sha256>`: immutable documents named by their content (the estimate, brief bodies), gzip-compressed;
 *     - `sk = TASK#<kind>`: a stored task token.
 *  2. A partner's profile: GetItem `pk = PARTNER#<id>`, `sk = PROFILE`.
 *  3. The partner queue, by partner and status, oldest first: Query index `gsi1`,
 *     `gsi1pk = PARTNER#<partnerId>`, `begins_with(gsi1sk, '<status>#')`, ascending (`gsi1sk = <status>#<updatedAt>`).
 *  4. The operations view, by status and age: Query index `gsi2`, `gsi2pk = STATUS#<status>`, ascending or descending
 *     on `gsi2sk = <updatedAt>#<applicationId>`.
 *  5b. Credit expiry due (the daily sweep): Query index `gsi3`, `gsi3pk = EXPIRY`, `gsi3sk <= <now ISO>#~`: the
 *     applications with a reminder or an expiry due by now, each once (sparse: only credited applications carry it).
 *  5. Expiry of short-lived items (stored task tokens, Partner Central event-id claims): the TTL attribute `expiresAt`
 *     (epoch seconds).
 *  7. Likely duplicates (functions/core/dedupe.ts): one small item per (normalised key, application),
 *     `pk = DEDUPE#<kind>#<value>` (kind `account` | `domain` | `company`), `sk = APP#<applicationId>`;
 *     Query `pk = DEDUPE#<kind>#<value>` lists the applications sharing that key. Written by intake (and a founder's
 *     revision) with idempotent puts BEFORE the application, so an application never exists without them; a stale
 *     item (the worksheet changed since) is filtered out on read by re-checking the application's worksheet.
 *  8. Partner Central sync (functions/adapters/dynamo/partner-central-store.ts), four small item types:
 *     - opportunity → record: GetItem `pk = OPPORTUNITY#<catalog>#<O-id>`, `sk = RECORD` → (applicationId, programId,
 *       partnerId); written when a record is filed through the API, read by the event handler and the reconciliation;
 *     - the write gate of one partner AWS account (at most one Partner Central write per second across Lambda
 *       instances): `pk = PCGATE#<accountId>`, `sk = WRITES`, a conditional UpdateItem on `nextAt` (epoch ms);
 *     - the reconciliation watermark of one partner and catalog: `pk = PARTNER#<partnerId>`, `sk = PCSYNC#<catalog>`
 *       (the partner's partition; the directory index only carries the PROFILE item);
 *     - a processed EventBridge event id: `pk = PCEVENT#<eventId>`, `sk = EVENT`, removed by TTL (`expiresAt`).
 *  8b. Partners to reconcile (issue 11 §3): the watermark item also holds `open`, the string set of the partner's
 *     opportunities still in AWS's review (records `filed`, `in_aws_review` or `action_required`), and while that set
 *     is not empty it carries `gsi3pk = PCSYNC#OPEN`, `gsi3sk = <partnerId>#<catalog>` (index gsi3, overloaded: the
 *     expiry sweep reads only its own `EXPIRY` partition). The reconciliation Queries that partition: one read per
 *     run plus one per partner with something in review, whatever the number of partners.
 *  9. Pipeline counters (functions/core/operations/pipeline.ts): one item per UTC day of transitions,
 *     `pk = STATS`, `sk = DAY#<yyyy-mm-dd>`, and one month-to-date item per month the closed days roll into,
 *     `sk = MONTH#<yyyy-mm>` (functions/adapters/dynamo/pipeline-stats.ts); a read is two Queries: the months, then the
 *     days after the last rolled one.
 * 10. Intake limits (functions/adapters/dynamo/limits.ts), keyed by a scope (`addr#<sha256 of the address>` or
 *     `acct#<AWS account id>`, never the address itself):
 *     - open-application slots: `pk = OPEN#<scope>`, `sk = SLOT#<n>` (n < the limit) → the holding application id;
 *       claimed with a conditional put, reclaimed when its application is no longer open;
 *     - fixed-window rate counters: `pk = LIMIT#<scope>#<what>`, `sk = WINDOW#<window start, epoch ms>`, a
 *       conditional ADD, removed by TTL (`expiresAt`).
 */

/** Table primary key attribute names (both strings). */
export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;

/** Time-to-live attribute (a Number holding epoch seconds). */
export const TTL_ATTRIBUTE = 'expiresAt';

/**
 * What the list views show of an application, the only attributes the list indexes carry beside their keys: a page
 * of 100 is about 100 × 0.5 KB, far from the 1 MB Query cap, where projecting whole items read ~40 KB each.
 * (The partner directory, also under gsi2, lists partner ids only and reads each profile.)
 */
export const LIST_ATTRIBUTES = ['entity', 'schemaVersion', 'id', 'status', 'updatedAt', 'summary'] as const;

/** Global secondary indexes: name, key attribute names (all strings), what they project and what they serve. */
export const INDEXES = {
  /** Partner queue: a partner's applications by status, then by last update (oldest first). */
  partnerQueue: { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projection: { type: 'INCLUDE', attributes: LIST_ATTRIBUTES } },
  /** Operations view: applications by status, then by age (updatedAt), application id as tie-breaker. */
  operations: { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk', projection: { type: 'INCLUDE', attributes: LIST_ATTRIBUTES } },
  /** Credit expiry: credited applications by when their next reminder or expiry is due (keys only: the sweep reads each). */
  expiryDue: { indexName: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk', projection: { type: 'KEYS_ONLY', attributes: [] } },
} as const;

export type IndexDefinition = (typeof INDEXES)[keyof typeof INDEXES];

/** An index's projection as DynamoDB's API spells it (CreateTable, the local stand-in, the tests). */
export function projectionOf(index: IndexDefinition): { ProjectionType: 'INCLUDE' | 'KEYS_ONLY'; NonKeyAttributes?: string[] } {
  return index.projection.type === 'INCLUDE'
    ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projection.attributes] }
    : { ProjectionType: 'KEYS_ONLY' };
}
export const INDEX_LIST: readonly IndexDefinition[] = /* @__PURE__ */ Object.values(INDEXES);

/**
 * Every key attribute of the table and its indexes, spelled out (a unit test holds it to TABLE_KEYS and INDEXES): what
 * the repository strips from a stored item it reads (./stored-guard.ts), without carrying the index definitions
 * (projections, names) into every handler's bundle.
 */
export const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk'] as const;

/*
 * Entity prefixes, one constant each: the key functions below build keys from the constants, so a bundle carries only
 * the prefixes of the keys it builds (an object's unused properties cannot be dropped). PREFIX names them all.
 */
const APPLICATION_PREFIX = 'APP#';
const PARTNER_PREFIX = 'PARTNER#';
const STATUS_PREFIX = 'STATUS#';
const DEDUPE_PREFIX = 'DEDUPE#';
const OPPORTUNITY_PREFIX = 'OPPORTUNITY#';
const WRITE_GATE_PREFIX = 'PCGATE#';
const PARTNER_CENTRAL_EVENT_PREFIX = 'PCEVENT#';
const PARTNER_CENTRAL_SYNC_PREFIX = 'PCSYNC#';
const OPEN_SLOT_PREFIX = 'OPEN#';
const RATE_LIMIT_PREFIX = 'LIMIT#';
/** The sort-key prefix of an application's stored task tokens (they sort after everything else it owns). */
export const TASK_PREFIX = 'TASK#';

/** Entity prefixes and fixed sort keys. */
export const PREFIX = {
  application: APPLICATION_PREFIX,
  partner: PARTNER_PREFIX,
  task: TASK_PREFIX,
  status: STATUS_PREFIX,
  dedupe: DEDUPE_PREFIX,
  opportunity: OPPORTUNITY_PREFIX,
  writeGate: WRITE_GATE_PREFIX,
  partnerCentralEvent: PARTNER_CENTRAL_EVENT_PREFIX,
  partnerCentralSync: PARTNER_CENTRAL_SYNC_PREFIX,
  openSlot: OPEN_SLOT_PREFIX,
  rateLimit: RATE_LIMIT_PREFIX,
} as const;

const APPLICATION_SORT = 'APP';
const PARTNER_PROFILE_SORT = 'PROFILE';
export const SORT = { application: APPLICATION_SORT, partnerProfile: PARTNER_PROFILE_SORT } as const;

/** Sort-key prefixes of what an application owns besides its head (access pattern 1). */
export const OWNED = { transition: 'T#', notice: 'N#', document: 'D#' } as const;

export interface ItemKey {
  readonly pk: string;
  readonly sk: string;
}

/** The application record itself. */
export function applicationKey(applicationId: string): ItemKey {
  return { pk: `${APPLICATION_PREFIX}${applicationId}`, sk: APPLICATION_SORT };
}

/** Partition shared by everything an application owns (access pattern 1). */
export function applicationPartition(applicationId: string): string {
  return `${APPLICATION_PREFIX}${applicationId}`;
}

/** An earlier transition of an application, by the version it produced (zero-padded so the timeline sorts). */
export function transitionKey(applicationId: string, version: number): ItemKey {
  return { pk: applicationPartition(applicationId), sk: `${OWNED.transition}${String(version).padStart(6, '0')}` };
}

/** One notice of an application (its claim, then its sent mark). */
export function noticeKey(applicationId: string, key: string): ItemKey {
  return { pk: applicationPartition(applicationId), sk: `${OWNED.notice}${key}` };
}

/** An immutable document of an application, named by its content hash. */
export function documentKey(applicationId: string, hash: string): ItemKey {
  return { pk: applicationPartition(applicationId), sk: `${OWNED.document}${hash}` };
}

/** Index attributes for the expiry sweep: when the application's next reminder or expiry is due (ISO time). */
export function expiryDueKeys(dueAt: string, applicationId: string): { gsi3pk: string; gsi3sk: string } {
  return { gsi3pk: EXPIRY_DUE_PARTITION, gsi3sk: `${dueAt}#${applicationId}` };
}
/** One partition: credit events are rare (a few writes per application per year), far below a partition's limits. */
export const EXPIRY_DUE_PARTITION = 'EXPIRY';

/** A stored task token of one kind (e.g. `partner-review`), kept server-side next to its application. */
export function taskTokenKey(applicationId: string, kind: string): ItemKey {
  return { pk: applicationPartition(applicationId), sk: `${TASK_PREFIX}${kind}` };
}

export function partnerKey(partnerId: string): ItemKey {
  return { pk: `${PARTNER_PREFIX}${partnerId}`, sk: PARTNER_PROFILE_SORT };
}

/** Index attributes for the partner queue (set on an application once a partner is assigned). */
export function partnerQueueKeys(partnerId: string, status: string, updatedAt: string): { gsi1pk: string; gsi1sk: string } {
  return { gsi1pk: partnerQueuePartition(partnerId), gsi1sk: `${status}#${updatedAt}` };
}

/** One partner's queue: the partition its list pages read. */
export function partnerQueuePartition(partnerId: string): string {
  return `${PARTNER_PREFIX}${partnerId}`;
}

/** Index attributes for the operations view (set on every application record). */
export function operationsKeys(status: string, updatedAt: string, applicationId: string): { gsi2pk: string; gsi2sk: string } {
  return { gsi2pk: operationsPartition(status), gsi2sk: `${updatedAt}#${applicationId}` };
}

/** One status in the operations view: the partition its list pages and counts read. */
export function operationsPartition(status: string): string {
  return `${STATUS_PREFIX}${status}`;
}

/** TTL value: epoch seconds of `at`. */
export function expiresAtSeconds(at: Date): number {
  return Math.floor(at.getTime() / 1000);
}

/**
 * The partner directory (access pattern 6): all partner profiles, listed through the operations index
 * under one fixed partition, so routing never scans the table.
 */
export function partnerDirectoryKeys(partnerId: string): { gsi2pk: string; gsi2sk: string } {
  return { gsi2pk: 'DIRECTORY#partner', gsi2sk: partnerId };
}
export const PARTNER_DIRECTORY_PARTITION = 'DIRECTORY#partner';

/** A likely-duplicate index item (access pattern 7). */
export function dedupeKey(kind: string, value: string, applicationId: string): ItemKey {
  return { pk: dedupePartition(kind, value), sk: `${APPLICATION_PREFIX}${applicationId}` };
}

export function dedupePartition(kind: string, value: string): string {
  return `${DEDUPE_PREFIX}${kind}#${value}`;
}

// ---- Partner Central sync (access pattern 8) ----

/** Which record an ACE opportunity filed through the API belongs to. */
export function opportunityKey(catalog: string, opportunityId: string): ItemKey {
  return { pk: `${OPPORTUNITY_PREFIX}${catalog}#${opportunityId}`, sk: 'RECORD' };
}

/** The "next Partner Central write allowed at" item of one partner AWS account. */
export function writeGateKey(accountId: string): ItemKey {
  return { pk: `${WRITE_GATE_PREFIX}${accountId}`, sk: 'WRITES' };
}

/** The ListOpportunities watermark of one partner and catalog. */
export function syncWatermarkKey(partnerId: string, catalog: string): ItemKey {
  return { pk: `${PARTNER_PREFIX}${partnerId}`, sk: `${PARTNER_CENTRAL_SYNC_PREFIX}${catalog}` };
}

/** Index attributes of a watermark item while its partner has records in AWS's review (access pattern 8b). */
export function openReviewKeys(partnerId: string, catalog: string): { gsi3pk: string; gsi3sk: string } {
  return { gsi3pk: OPEN_REVIEW_PARTITION, gsi3sk: `${partnerId}#${catalog}` };
}
export const OPEN_REVIEW_PARTITION = 'PCSYNC#OPEN';

/** A processed Partner Central EventBridge event (short-lived: TTL). */
export function partnerCentralEventKey(eventId: string): ItemKey {
  return { pk: `${PARTNER_CENTRAL_EVENT_PREFIX}${eventId}`, sk: 'EVENT' };
}

// ---- Pipeline counters (access pattern 9) ----

export const STATS_PARTITION = 'STATS';

/** The counter item of one UTC day (`yyyy-mm-dd`). */
export function statsDayKey(day: string): ItemKey {
  return { pk: STATS_PARTITION, sk: `DAY#${day}` };
}

/** The roll-up of one UTC month (`yyyy-mm`): its rolled days' counters summed and the days rolled, no `seen` set. */
export function statsMonthKey(month: string): ItemKey {
  return { pk: STATS_PARTITION, sk: `MONTH#${month}` };
}

// ---- intake limits (access pattern 10) ----

/** The partition of one scope's open-application slots. */
export function openSlotPartition(scope: string): string {
  return `${OPEN_SLOT_PREFIX}${scope}`;
}

export function openSlotKey(scope: string, slot: number): ItemKey {
  return { pk: openSlotPartition(scope), sk: `SLOT#${slot}` };
}

/** One fixed window of a rate counter. */
export function rateWindowKey(scope: string, what: string, windowStartMs: number): ItemKey {
  return { pk: `${RATE_LIMIT_PREFIX}${scope}#${what}`, sk: `WINDOW#${windowStartMs}` };
}

/**
 * The catalog key of a partner's benefit applications (their watermark, open set and mappings), beside the
 * opportunities' per catalog: benefit application ids (`benappl-…`) never collide with opportunity ids.
 */
export const benefitsWatermarkKey = (catalog: string): string => `BENEFITS#${catalog}`;
export const isBenefitsWatermark = (key: string): boolean => key.startsWith('BENEFITS#');

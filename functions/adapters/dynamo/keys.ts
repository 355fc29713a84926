/**
 * The single-table key design: the one place that knows attribute names, index names and entity prefixes.
 * Used by the CDK table definition (lib/constructs/data.ts) and by the repository alike, so the two cannot drift.
 * Pure module: no AWS imports, safe for the infrastructure code, the handlers and the local runtime.
 *
 * Access patterns served:
 *  1. An application and everything it owns (its record, estimate, briefs, transitions, task tokens):
 *     Query `pk = APP#<id>` (`sk = APP` for the record itself, `begins_with(sk, 'TRANSITION#')` for the timeline,
 *     `sk = TASK#<kind>` for a stored task token).
 *  2. A partner's profile: GetItem `pk = PARTNER#<id>`, `sk = PROFILE`.
 *  3. The partner queue, by partner and status, oldest first: Query index `gsi1`,
 *     `gsi1pk = PARTNER#<partnerId>`, `begins_with(gsi1sk, '<status>#')`, ascending (`gsi1sk = <status>#<updatedAt>`).
 *  4. The operations view, by status and age: Query index `gsi2`, `gsi2pk = STATUS#<status>`, ascending or descending
 *     on `gsi2sk = <updatedAt>#<applicationId>`.
 *  5. Expiry of short-lived items (idempotency records, spent task tokens): the TTL attribute `expiresAt`
 *     (epoch seconds).
 */

/** Table primary key attribute names (both strings). */
export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;

/** Time-to-live attribute (a Number holding epoch seconds). */
export const TTL_ATTRIBUTE = 'expiresAt';

/** Global secondary indexes: name, key attribute names (all strings) and what they serve. */
export const INDEXES = {
  /** Partner queue: a partner's applications by status, then by last update (oldest first). */
  partnerQueue: { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  /** Operations view: applications by status, then by age (updatedAt), application id as tie-breaker. */
  operations: { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
} as const;

export type IndexDefinition = (typeof INDEXES)[keyof typeof INDEXES];
export const INDEX_LIST: readonly IndexDefinition[] = Object.values(INDEXES);

/** Entity prefixes and fixed sort keys. */
export const PREFIX = {
  application: 'APP#',
  partner: 'PARTNER#',
  task: 'TASK#',
  transition: 'TRANSITION#',
  status: 'STATUS#',
} as const;

export const SORT = { application: 'APP', partnerProfile: 'PROFILE' } as const;

export interface ItemKey {
  readonly pk: string;
  readonly sk: string;
}

/** The application record itself. */
export function applicationKey(applicationId: string): ItemKey {
  return { pk: `${PREFIX.application}${applicationId}`, sk: SORT.application };
}

/** Partition shared by everything an application owns (access pattern 1). */
export function applicationPartition(applicationId: string): string {
  return `${PREFIX.application}${applicationId}`;
}

/** A stored task token of one kind (e.g. `partner-review`), kept server-side next to its application. */
export function taskTokenKey(applicationId: string, kind: string): ItemKey {
  return { pk: applicationPartition(applicationId), sk: `${PREFIX.task}${kind}` };
}

/** One recorded transition; `at` is an ISO timestamp and `seq` breaks ties, so the timeline sorts by time. */
export function transitionKey(applicationId: string, at: string, seq = 0): ItemKey {
  return { pk: applicationPartition(applicationId), sk: `${PREFIX.transition}${at}#${String(seq).padStart(4, '0')}` };
}

export function partnerKey(partnerId: string): ItemKey {
  return { pk: `${PREFIX.partner}${partnerId}`, sk: SORT.partnerProfile };
}

/** Index attributes for the partner queue (set on an application once a partner is assigned). */
export function partnerQueueKeys(partnerId: string, status: string, updatedAt: string): { gsi1pk: string; gsi1sk: string } {
  return { gsi1pk: `${PREFIX.partner}${partnerId}`, gsi1sk: `${status}#${updatedAt}` };
}

/** Index attributes for the operations view (set on every application record). */
export function operationsKeys(status: string, updatedAt: string, applicationId: string): { gsi2pk: string; gsi2sk: string } {
  return { gsi2pk: `${PREFIX.status}${status}`, gsi2sk: `${updatedAt}#${applicationId}` };
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

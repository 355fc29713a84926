/**
 * The application repository: one application is several items under one partition (schemas/stored-application.ts,
 * keys in ./keys.ts), read back with one Query and trusted after a cheap version and entity check (./stored-guard.ts):
 * the items are written here from typed code, and the tests parse every item the journeys write against the schemas.
 *
 * Every status change is ONE conditional UpdateItem of the head ("status is X and version is N") that sets the new
 * status, bumps the version, moves the index keys and stores the new transition as the head's `lastTransition`: the
 * change and its audit record are atomic without TransactWriteItems (which dynalite lacks). Before it, the transition
 * it displaces (version N's) is copied to an item of its own, `T#<N>`, with an idempotent put of immutable content.
 * A crash between the two leaves that copy beside a head that still holds it: the reader merges by version, and the
 * retried change writes the same copy again. So the timeline is never missing a transition, whichever write is cut.
 *
 * What is large and written once (the estimate, each brief body) is an immutable, gzip-compressed document named by
 * its content hash (`D#<sha256>`), written before the head that refers to it: a crash between the two leaves an
 * unreferenced document (harmless, never read as current), and two racing writers of the same content write the
 * same item. So the head stays a few KB and a status change costs a few write units, however long the application.
 *
 * One repository, split so a bundle carries only what it calls (class methods cannot be tree-shaken): the class reads
 * (get, mustGet), and every write is a function over it. Here: applyTransition and what it needs (documents, the
 * displaced transition, counting, retiring superseded documents); the rest in modules by concern, each loaded only
 * by the functions that call it:
 * ./applications-intake.ts (creating an application, likely duplicates, founder tokens),
 * ./applications-edits.ts (changes that keep the status: a note, a partner's brief edit),
 * ./applications-tasks.ts (the Step Functions bookkeeping: execution ARN, task tokens),
 * ./applications-notices.ts (claiming mail, marking it sent), ./applications-lists.ts (list pages, the stuck count,
 * heads by id), ./applications-confirmation.ts (the founder's address confirmation), ./applications-expiry.ts (the
 * credit expiry sweep), ./applications-migration.ts (scripts/migrations.ts only).
 */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Application, StoredBrief, Transition } from '../../../schemas/application.ts';
import type { Estimate } from '../../../schemas/estimate.ts';
import type { ApplicationHead, ApplicationListItem, NoticeItem, StoredBriefHead } from '../../../schemas/stored-application.ts';
import { APPLICATION_SCHEMA_VERSION, NOTICE_LEASE_MS } from '../../../schemas/stored-version.ts';
import type { TransitionPlan } from '../../core/application/lifecycle.ts';
import { listSummaryOf } from '../../core/application/list-summary.ts';
import { nextExpiryCheck } from '../../core/application/expiry.ts';
import { ConflictError, NotFoundError } from '../../core/errors.ts';
import { documentClient, isConditionFailure, queryPages } from './client.ts';
import {
  applicationKey, applicationPartition, documentKey, expiryDueKeys, operationsKeys, OWNED, partnerQueueKeys, expiresAtSeconds, TASK_PREFIX,
  transitionKey, TTL_ATTRIBUTE,
} from './keys.ts';
import { projectTransitions } from './pipeline-projection.ts';
import { logger } from '../observability.ts';
import { checkStored, requireStored, StoredItemError, storedFields as itemFields } from './stored-guard.ts';

export { NOTICE_LEASE_MS, StoredItemError };

// ---- reading items (trusted after ./stored-guard.ts's check) ----

export function headOf(item: Record<string, unknown>, what = 'Application'): ApplicationHead {
  checkStored(item, 'application', what);
  requireStored(typeof item.lastTransition === 'object' && item.lastTransition !== null, item, what, 'lastTransition: missing');
  return itemFields(item) as ApplicationHead;
}

export function listRowOf(item: Record<string, unknown>): ApplicationListItem {
  checkStored(item, 'application', 'Application list row');
  requireStored(typeof item.summary === 'object' && item.summary !== null, item, 'Application list row', 'summary: missing');
  return itemFields(item, ['schemaVersion']) as ApplicationListItem;
}

function transitionOf(item: Record<string, unknown>): Transition {
  checkStored(item, 'transition', 'Application transition');
  requireStored(typeof item.transition === 'object' && item.transition !== null, item, 'Application transition', 'transition: missing');
  return item.transition as Transition;
}

export function noticeOf(item: Record<string, unknown>): NoticeItem {
  checkStored(item, 'notice', 'Application notice');
  requireStored(item.state === 'claimed' || item.state === 'sent', item, 'Application notice', `state: '${String(item.state)}' is neither 'claimed' nor 'sent'`);
  return itemFields(item) as NoticeItem;
}

// ---- documents ----

function contentHash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url');
}

export interface PendingDocument { readonly ref: string; readonly kind: 'estimate' | 'brief-body'; readonly value: unknown }

/**
 * `writtenFor`: the head version that will refer to the document. A put replaces the whole item, so a document written
 * again (an edit back to earlier content) drops any `expiresAt` a superseding change had set on it.
 */
function documentItem(applicationId: string, doc: PendingDocument, writtenFor: number): Record<string, unknown> {
  return {
    ...documentKey(applicationId, doc.ref), entity: 'document', schemaVersion: APPLICATION_SCHEMA_VERSION, kind: doc.kind,
    gz: gzipSync(JSON.stringify(doc.value)), writtenFor,
  };
}

/**
 * How long a superseded document stays before DynamoDB's TTL deletes it: far longer than any reader needs it (a reader
 * gets the head and its documents in one Query) and than any retried write that might still refer to it.
 */
export const SUPERSEDED_DOCUMENT_TTL_MS = 24 * 3600 * 1000;

/** The documents an application's head refers to (the estimate, each brief body), by content hash. */
function documentRefs(app: Pick<Application, 'estimate' | 'briefs'>): Set<string> {
  return new Set([...(app.briefs ?? []).map((b) => contentHash(b.body)), ...(app.estimate ? [contentHash(app.estimate)] : [])]);
}

function readDocument(item: Record<string, unknown>): unknown {
  checkStored(item, 'document', 'Application document');
  requireStored(item.gz instanceof Uint8Array, item, 'Application document', 'gz: not binary');
  return JSON.parse(gunzipSync(item.gz as Uint8Array).toString('utf8'));
}

// ---- the head ----

/** Application fields the head stores under another form (documents by reference, the timeline outside). */
type HeadFields = Omit<ApplicationHead, 'schemaVersion' | 'lastTransition' | 'summary'>;

export function briefHeads(briefs: readonly StoredBrief[], docs: PendingDocument[]): StoredBriefHead[] {
  return briefs.map(({ body, ...rest }) => {
    const ref = contentHash(body);
    if (!docs.some((d) => d.ref === ref)) docs.push({ ref, kind: 'brief-body', value: body });
    return { ...rest, bodyRef: ref };
  });
}

/** The head's form of some application fields, and the documents they refer to. */
function storedFields(fields: Partial<Application>, docs: PendingDocument[]): Partial<HeadFields> {
  const { estimate, briefs, transitions: _t, notified: _n, ...rest } = fields;
  const out: Partial<HeadFields> = { ...rest };
  if ('estimate' in fields) {
    if (estimate === undefined) {
      out.estimateRef = undefined;
    } else {
      const ref = contentHash(estimate);
      docs.push({ ref, kind: 'estimate', value: estimate });
      out.estimateRef = ref;
    }
  }
  if ('briefs' in fields) out.briefs = briefs ? briefHeads(briefs, docs) : undefined;
  return out;
}

/** Index and bookkeeping attributes of a head: the list indexes, the partner queue, the expiry sweep. */
export function indexAttributes(app: Application): Record<string, string | undefined> {
  const due = nextExpiryCheck(app);
  const queue = app.partner ? partnerQueueKeys(app.partner.partnerId, app.status, app.updatedAt) : undefined;
  const expiry = due ? expiryDueKeys(due.toISOString(), app.id) : undefined;
  return {
    ...operationsKeys(app.status, app.updatedAt, app.id),
    gsi1pk: queue?.gsi1pk, gsi1sk: queue?.gsi1sk,
    gsi3pk: expiry?.gsi3pk, gsi3sk: expiry?.gsi3sk,
  };
}

export function headItem(app: Application, docs: PendingDocument[]): Record<string, unknown> {
  const last = app.transitions.at(-1);
  if (!last) throw new Error(`Application ${app.id} has no transition to store`);
  return {
    ...applicationKey(app.id),
    entity: 'application',
    schemaVersion: APPLICATION_SCHEMA_VERSION,
    ...indexAttributes(app),
    ...storedFields({ ...app }, docs),
    lastTransition: last,
    summary: listSummaryOf(app),
  };
}

/** @internal The documents not already stored for `current` (a record change re-sends the same bodies: nothing to write). */
export function newDocuments(current: Application | undefined, docs: readonly PendingDocument[]): PendingDocument[] {
  if (!current) return [...docs];
  const known = documentRefs(current);
  return docs.filter((d) => !known.has(d.ref));
}

/** Everything under an application's partition except its task tokens, read as one Query. */
interface PartitionItems {
  head?: Record<string, unknown>;
  transitions: Transition[];
  notices: NoticeItem[];
  documents: Map<string, Record<string, unknown>>;
}

function assemble(items: PartitionItems, head: ApplicationHead): Application {
  const { schemaVersion: _v, lastTransition, summary: _s, estimateRef, briefs, ...rest } = head;
  const byVersion = new Map<number, Transition>();
  for (const t of items.transitions) if (t.version <= lastTransition.version) byVersion.set(t.version, t);
  byVersion.set(lastTransition.version, lastTransition);
  const documentOf = (ref: string) => {
    const item = items.documents.get(ref);
    if (!item) throw new StoredItemError(`Application ${head.id}: document ${ref} referred to by its head is missing`);
    return readDocument(item);
  };
  const app: Application = {
    ...rest,
    transitions: [...byVersion.values()].sort((a, b) => a.version - b.version),
    notified: items.notices.filter((n) => n.state === 'sent').map((n) => n.key).sort(),
  };
  if (estimateRef) {
    const estimate = documentOf(estimateRef);
    if (!estimate || typeof estimate !== 'object' || Array.isArray(estimate)) throw new StoredItemError(`Application ${head.id}: estimate ${estimateRef} is not an object`);
    app.estimate = estimate as Estimate;
  }
  if (briefs) {
    app.briefs = briefs.map(({ bodyRef, ...brief }) => {
      const body = documentOf(bodyRef);
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw new StoredItemError(`Application ${head.id}: brief body ${bodyRef} is not an object`);
      return { ...brief, body: body as Record<string, unknown> };
    });
  }
  return app;
}

/** `SET`/`REMOVE` clauses for a set of attributes (undefined removes), with generated placeholders. */
class UpdateBuilder {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, unknown> = {};
  readonly sets: string[] = [];
  readonly removes: string[] = [];
  private n = 0;

  name(attribute: string): string {
    const existing = Object.entries(this.names).find(([, v]) => v === attribute)?.[0];
    if (existing) return existing;
    const key = `#a${this.n++}`;
    this.names[key] = attribute;
    return key;
  }

  value(v: unknown): string {
    const key = `:v${this.n++}`;
    this.values[key] = v;
    return key;
  }

  assign(attributes: Record<string, unknown>): this {
    for (const [attribute, v] of Object.entries(attributes)) {
      if (v === undefined) this.removes.push(this.name(attribute));
      else this.sets.push(`${this.name(attribute)} = ${this.value(v)}`);
    }
    return this;
  }

  expression(): string {
    return `${this.sets.length ? `SET ${this.sets.join(', ')}` : ''}${this.removes.length ? ` REMOVE ${this.removes.join(', ')}` : ''}`.trim();
  }
}

/** What the repository's functions need of it: its table. */
export type ApplicationTable = Pick<ApplicationRepository, 'tableName'>;

/**
 * Count transitions in the pipeline counters (exactly once each, see pipeline-stats.ts). Never fails the caller: the
 * status change is already stored, and a count missed here is caught up by the next re-projection. `now` is the
 * caller's clock (whether a day may be rolled up already: a late transition then counts in its month).
 */
export async function countTransitions(repo: ApplicationTable, app: Application, transitions: readonly Transition[], now: Date): Promise<void> {
  await projectTransitions(repo.tableName, app, transitions, now).catch((error: unknown) => {
    logger.warn('Pipeline counters not updated; the next re-projection catches up', { error: error as Error });
  });
}

/** @internal (the repository's own modules) Documents, before the head that refers to them (idempotent puts of immutable content). */
export async function putDocuments(repo: ApplicationTable, applicationId: string, docs: readonly PendingDocument[], writtenFor: number): Promise<void> {
  await Promise.all(docs.map((d) => documentClient.send(new PutCommand({ TableName: repo.tableName, Item: documentItem(applicationId, d, writtenFor) }))));
}

/**
 * @internal (the repository's own modules) After a change that replaced the estimate or a brief body (head now at
 * `next.version`): the documents `previous` referred to and `next` does not get `expiresAt` (TTL,
 * SUPERSEDED_DOCUMENT_TTL_MS from now), so storage does not grow with every edit. Guarded by
 * `writtenFor < next.version`: a document written again since for a later version (an edit back to that content racing
 * this one) keeps no expiry. Never fails the caller: the change is stored, and a document left unmarked only costs its
 * storage. dynalite has no TTL: locally, `npm run migrate -- purge-expired` deletes expired items explicitly
 * (scripts/migrate.ts).
 */
export async function retireDocuments(repo: ApplicationTable, previous: Application, next: Application, now: Date): Promise<number> {
  const keep = documentRefs(next);
  const gone = [...documentRefs(previous)].filter((ref) => !keep.has(ref));
  const expiresAt = expiresAtSeconds(new Date(now.getTime() + SUPERSEDED_DOCUMENT_TTL_MS));
  const marked = await Promise.all(gone.map((ref) => documentClient.send(new UpdateCommand({
    TableName: repo.tableName,
    Key: documentKey(previous.id, ref),
    UpdateExpression: 'SET #expiresAt = :expiresAt, #supersededBy = :version',
    ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#writtenFor) OR #writtenFor < :version)',
    ExpressionAttributeNames: { '#expiresAt': TTL_ATTRIBUTE, '#supersededBy': 'supersededBy', '#writtenFor': 'writtenFor' },
    ExpressionAttributeValues: { ':expiresAt': expiresAt, ':version': next.version },
  })).then(() => 1, (error: unknown) => {
    if (!isConditionFailure(error)) logger.warn('Superseded document not marked for expiry; it stays until marked again', { applicationId: previous.id, ref, error: error as Error });
    return 0;
  })));
  return marked.reduce((a: number, b: number) => a + b, 0);
}

/** @internal (the repository's own modules) An earlier transition as an item of its own (idempotent: a transition never changes once written). */
export async function putTransition(repo: ApplicationTable, applicationId: string, t: Transition): Promise<void> {
  await documentClient.send(new PutCommand({
    TableName: repo.tableName,
    Item: { ...transitionKey(applicationId, t.version), entity: 'transition', schemaVersion: APPLICATION_SCHEMA_VERSION, transition: t },
  }));
}

/** @internal (the repository's own modules) A refused conditional write: ConflictError naming the state the application is in now. */
export async function conflictAfter(repo: Pick<ApplicationRepository, 'get'>, id: string, message: (latest: Application) => string): Promise<never> {
  const latest = await repo.get(id);
  if (!latest) throw new NotFoundError(`Application ${id} not found`);
  throw new ConflictError(message(latest), latest.status);
}

/**
 * Reading an application: the repository every handler holds. Changing it is functions over the repository
 * (applyTransition below, the others by concern: see the module comment).
 */
export class ApplicationRepository {
  constructor(readonly tableName: string) {}

  private async readPartition(id: string): Promise<PartitionItems> {
    const out: PartitionItems = { transitions: [], notices: [], documents: new Map() };
    // Everything but the task tokens (`TASK#…` sorts after `T#…`): one page unless the partition passes 1 MB.
    for await (const page of queryPages({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk < :tasks',
      ExpressionAttributeValues: { ':pk': applicationPartition(id), ':tasks': TASK_PREFIX },
      ConsistentRead: true,
    })) {
      for (const item of page.Items ?? []) {
        const sk = String(item.sk);
        if (sk === applicationKey(id).sk) out.head = item;
        else if (sk.startsWith(OWNED.transition)) out.transitions.push(transitionOf(item));
        else if (sk.startsWith(OWNED.notice)) out.notices.push(noticeOf(item));
        else if (sk.startsWith(OWNED.document)) out.documents.set(sk.slice(OWNED.document.length), item);
      }
    }
    return out;
  }

  async get(id: string): Promise<Application | undefined> {
    const items = await this.readPartition(id);
    if (!items.head) return undefined;
    return assemble(items, headOf(items.head));
  }

  async mustGet(id: string): Promise<Application> {
    const app = await this.get(id);
    if (!app) throw new NotFoundError(`Application ${id} not found`);
    return app;
  }
}

/** What a transition may change beside the status, the version and the timeline (undefined removes). */
export type TransitionChanges = Partial<Omit<Application, 'id' | 'status' | 'version' | 'transitions'>>;

/**
 * Apply a planned transition with optional extra attributes, guarded by "status is X and version is N".
 * Throws ConflictError naming the current state when another writer got there first.
 */
export async function applyTransition(repo: Pick<ApplicationRepository, 'tableName' | 'get'>, current: Application, plan: TransitionPlan, changes: TransitionChanges = {}): Promise<Application> {
  const t = plan.transition;
  const next: Application = { ...current, ...changes, status: t.to, version: t.version, updatedAt: t.at, transitions: [...current.transitions, t] };
  for (const [k, v] of Object.entries(changes)) if (v === undefined) delete (next as Record<string, unknown>)[k];
  const docs: PendingDocument[] = [];
  const fields = storedFields(Object.fromEntries(Object.keys(changes).map((k) => [k, next[k as keyof Application]])), docs);
  // 1. The transition this change displaces from the head, as an item of its own (see the module comment).
  const previous = current.transitions.at(-1);
  if (previous) await putTransition(repo, current.id, previous);
  // 2. New documents, before the head that refers to them.
  await putDocuments(repo, current.id, newDocuments(current, docs), t.version);
  // 3. The change itself: one conditional write carrying its own audit record.
  const update = new UpdateBuilder().assign({
    status: t.to, version: t.version, updatedAt: t.at, lastTransition: t, summary: listSummaryOf(next), ...indexAttributes(next), ...fields,
  });
  try {
    await documentClient.send(new UpdateCommand({
      TableName: repo.tableName,
      Key: applicationKey(current.id),
      UpdateExpression: update.expression(),
      ConditionExpression: `attribute_exists(pk) AND ${update.name('status')} = :expectedStatus AND ${update.name('version')} = :expectedVersion`,
      ExpressionAttributeNames: update.names,
      ExpressionAttributeValues: { ...update.values, ':expectedStatus': plan.expectedStatus, ':expectedVersion': plan.expectedVersion },
    }));
    await countTransitions(repo, next, [t], new Date(t.at)); // written now: its time is the injected clock's
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    return conflictAfter(repo, current.id, (latest) => `Application ${current.id} is '${latest.status}' (version ${latest.version}); it can no longer move from '${plan.expectedStatus}' to '${t.to}'`);
  }
  // 4. What the change replaced (a revised estimate, edited bodies) expires.
  if ('estimate' in changes || 'briefs' in changes) await retireDocuments(repo, current, next, new Date(t.at));
  return next;
}

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
 * One repository, split by who needs what so a handler loads only its part (class methods cannot be tree-shaken):
 * this class is what every handler uses (read, create, transitions, notes, briefs, notices, task tokens, counting);
 * the rarer parts are functions over it, each module loaded only by the functions that call them:
 * ./applications-lists.ts (list pages, the stuck count, heads by id), ./applications-intake.ts (likely duplicates,
 * founder tokens), ./applications-notices.ts (claiming mail), ./applications-confirmation.ts (the founder's address confirmation), ./applications-expiry.ts (the
 * credit expiry sweep), ./applications-migration.ts (scripts/migrations.ts only).
 */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Application, StoredBrief, Transition } from '../../../schemas/application.ts';
import type { Estimate } from '../../../schemas/estimate.ts';
import type { ApplicationHead, ApplicationListItem, NoticeItem, StoredBriefHead } from '../../../schemas/stored-application.ts';
import { APPLICATION_SCHEMA_VERSION, NOTICE_LEASE_MS } from '../../../schemas/stored-version.ts';
import type { TransitionPlan } from '../../core/application/lifecycle.ts';
import { listSummaryOf } from '../../core/application/list-summary.ts';
import { nextExpiryCheck } from '../../core/application/expiry.ts';
import { ConflictError, NotFoundError } from '../../core/errors.ts';
import { transitionMarker } from '../../core/notice-markers.ts';
import { documentClient, isConditionFailure } from './client.ts';
import {
  applicationKey, applicationPartition, documentKey, expiryDueKeys, noticeKey, operationsKeys, OWNED, partnerQueueKeys, expiresAtSeconds, PREFIX,
  taskTokenKey, transitionKey, TTL_ATTRIBUTE,
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

function briefHeads(briefs: readonly StoredBrief[], docs: PendingDocument[]): StoredBriefHead[] {
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

/** The documents not already stored for `current` (a record change re-sends the same bodies: nothing to write). */
function newDocuments(current: Application | undefined, docs: readonly PendingDocument[]): PendingDocument[] {
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

export class ApplicationRepository {
  constructor(readonly tableName: string) {}

  /**
   * Count transitions in the pipeline counters (exactly once each, see pipeline-stats.ts). Never fails the caller: the
   * status change is already stored, and a count missed here is caught up by the next re-projection.
   */
  async countTransitions(app: Application, transitions: readonly Transition[]): Promise<void> {
    await projectTransitions(this.tableName, app, transitions, new Date()).catch((error: unknown) => {
      logger.warn('Pipeline counters not updated; the next re-projection catches up', { error: error as Error });
    });
  }

  /** @internal (the repository's own modules) */
  async putDocuments(applicationId: string, docs: readonly PendingDocument[], writtenFor: number): Promise<void> {
    await Promise.all(docs.map((d) => documentClient.send(new PutCommand({ TableName: this.tableName, Item: documentItem(applicationId, d, writtenFor) }))));
  }

  /**
   * After a change that replaced the estimate or a brief body (head now at `next.version`): the documents `previous`
   * referred to and `next` does not get `expiresAt` (TTL, SUPERSEDED_DOCUMENT_TTL_MS from now), so storage does not
   * grow with every edit. Guarded by `writtenFor < next.version`: a document written again since for a later version
   * (an edit back to that content racing this one) keeps no expiry. Never fails the caller: the change is stored, and
   * a document left unmarked only costs its storage. dynalite has no TTL: locally, `npm run migrate -- purge-expired`
   * deletes expired items explicitly (scripts/migrate.ts).
   */
  private async retireDocuments(previous: Application, next: Application, now: Date): Promise<number> {
    const keep = documentRefs(next);
    const gone = [...documentRefs(previous)].filter((ref) => !keep.has(ref));
    const expiresAt = expiresAtSeconds(new Date(now.getTime() + SUPERSEDED_DOCUMENT_TTL_MS));
    const marked = await Promise.all(gone.map((ref) => documentClient.send(new UpdateCommand({
      TableName: this.tableName,
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
  async putTransition(applicationId: string, t: Transition): Promise<void> {
    await documentClient.send(new PutCommand({
      TableName: this.tableName,
      Item: { ...transitionKey(applicationId, t.version), entity: 'transition', schemaVersion: APPLICATION_SCHEMA_VERSION, transition: t },
    }));
  }

  /** Store a new application; `false` when one with this id already exists (an idempotent replay). */
  async create(app: Application): Promise<boolean> {
    const docs: PendingDocument[] = [];
    const item = headItem(app, docs);
    await this.putDocuments(app.id, docs, app.version);
    for (const t of app.transitions.slice(0, -1)) await this.putTransition(app.id, t);
    try {
      await documentClient.send(new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
      await this.countTransitions(app, app.transitions);
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  private async readPartition(id: string): Promise<PartitionItems> {
    const out: PartitionItems = { transitions: [], notices: [], documents: new Map() };
    let start: Record<string, unknown> | undefined;
    do {
      // Everything but the task tokens (`TASK#…` sorts after `T#…`): one page unless the partition passes 1 MB.
      const page = await documentClient.send(new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk < :tasks',
        ExpressionAttributeValues: { ':pk': applicationPartition(id), ':tasks': PREFIX.task },
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }));
      for (const item of page.Items ?? []) {
        const sk = String(item.sk);
        if (sk === applicationKey(id).sk) out.head = item;
        else if (sk.startsWith(OWNED.transition)) out.transitions.push(transitionOf(item));
        else if (sk.startsWith(OWNED.notice)) out.notices.push(noticeOf(item));
        else if (sk.startsWith(OWNED.document)) out.documents.set(sk.slice(OWNED.document.length), item);
      }
      start = page.LastEvaluatedKey;
    } while (start);
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

  private conflictAfter = async (id: string, message: (latest: Application) => string): Promise<never> => {
    const latest = await this.get(id);
    if (!latest) throw new NotFoundError(`Application ${id} not found`);
    throw new ConflictError(message(latest), latest.status);
  };

  /**
   * Apply a planned transition with optional extra attributes, guarded by "status is X and version is N".
   * Throws ConflictError naming the current state when another writer got there first.
   */
  async applyTransition(current: Application, plan: TransitionPlan, changes: Partial<Omit<Application, 'id' | 'status' | 'version' | 'transitions'>> = {}): Promise<Application> {
    const t = plan.transition;
    const next: Application = { ...current, ...changes, status: t.to, version: t.version, updatedAt: t.at, transitions: [...current.transitions, t] };
    for (const [k, v] of Object.entries(changes)) if (v === undefined) delete (next as Record<string, unknown>)[k];
    const docs: PendingDocument[] = [];
    const fields = storedFields(Object.fromEntries(Object.keys(changes).map((k) => [k, next[k as keyof Application]])), docs);
    // 1. The transition this change displaces from the head, as an item of its own (see the module comment).
    const previous = current.transitions.at(-1);
    if (previous) await this.putTransition(current.id, previous);
    // 2. New documents, before the head that refers to them.
    await this.putDocuments(current.id, newDocuments(current, docs), t.version);
    // 3. The change itself: one conditional write carrying its own audit record.
    const update = new UpdateBuilder().assign({
      status: t.to, version: t.version, updatedAt: t.at, lastTransition: t, summary: listSummaryOf(next), ...indexAttributes(next), ...fields,
    });
    try {
      await documentClient.send(new UpdateCommand({
        TableName: this.tableName,
        Key: applicationKey(current.id),
        UpdateExpression: update.expression(),
        ConditionExpression: `attribute_exists(pk) AND ${update.name('status')} = :expectedStatus AND ${update.name('version')} = :expectedVersion`,
        ExpressionAttributeNames: update.names,
        ExpressionAttributeValues: { ...update.values, ':expectedStatus': plan.expectedStatus, ':expectedVersion': plan.expectedVersion },
      }));
      await this.countTransitions(next, [t]);
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return this.conflictAfter(current.id, (latest) => `Application ${current.id} is '${latest.status}' (version ${latest.version}); it can no longer move from '${plan.expectedStatus}' to '${t.to}'`);
    }
    // 4. What the change replaced (a revised estimate, edited bodies) expires.
    if ('estimate' in changes || 'briefs' in changes) await this.retireDocuments(current, next, new Date(t.at));
    return next;
  }

  /**
   * A note in the timeline: a transition that keeps the status (an operator's nudge). Like applyTransition, the
   * transition it displaces from the head goes to an item of its own first and the change is one conditional write
   * ("status is X and version is N"), but `updatedAt` and the index keys stay, so time in status and the stuck lists
   * still count from the last real change (the list summary follows: its latest reason, an escalation). The note calls for no mail: its notice is recorded as sent
   * right after the write. A crash between the two can cost one redundant status mail, never a lost one; marking it
   * first instead could silence the mail of a concurrent real transition that won this version.
   */
  async appendNote(current: Application, note: Transition, changes: { briefs?: StoredBrief[] } = {}): Promise<Application> {
    if (note.from !== note.to || note.version !== current.version + 1) throw new Error('appendNote: a note keeps the status and takes the next version');
    const previous = current.transitions.at(-1);
    if (previous) await this.putTransition(current.id, previous);
    // A note may carry the briefs it changed (an update made in Partner Central, copied back): their documents first.
    const docs: PendingDocument[] = [];
    const heads = changes.briefs ? briefHeads(changes.briefs, docs) : undefined;
    await this.putDocuments(current.id, newDocuments(current, docs), note.version);
    const next: Application = { ...current, ...(changes.briefs ? { briefs: changes.briefs } : {}), version: note.version, transitions: [...current.transitions, note] };
    try {
      await documentClient.send(new UpdateCommand({
        TableName: this.tableName,
        Key: applicationKey(current.id),
        UpdateExpression: `SET lastTransition = :note, #version = :next, summary = :summary${heads ? ', briefs = :briefs' : ''}`,
        ConditionExpression: 'attribute_exists(pk) AND #status = :status AND #version = :version',
        ExpressionAttributeNames: { '#status': 'status', '#version': 'version' },
        ExpressionAttributeValues: {
          ':note': note, ':next': note.version, ':status': current.status, ':version': current.version, ':summary': listSummaryOf(next),
          ...(heads ? { ':briefs': heads } : {}),
        },
      }));
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return this.conflictAfter(current.id, (latest) => `Application ${current.id} changed meanwhile (now '${latest.status}', version ${latest.version}); try again`);
    }
    await this.markNoticesSent(current.id, [transitionMarker(note.version)]);
    if (changes.briefs) await this.retireDocuments(current, next, new Date(note.at));
    return next;
  }

  /**
   * Replace the briefs without a change of status (a partner's edit), guarded by "status is X and version is N";
   * bumps the version. Throws ConflictError when another writer got there first (the caller re-reads and re-plans).
   */
  async updateBriefs(current: Application, briefs: StoredBrief[], now: Date): Promise<Application> {
    const docs: PendingDocument[] = [];
    const heads = briefHeads(briefs, docs);
    await this.putDocuments(current.id, newDocuments(current, docs), current.version + 1);
    const next: Application = { ...current, briefs, version: current.version + 1 };
    try {
      await documentClient.send(new UpdateCommand({
        TableName: this.tableName,
        Key: applicationKey(current.id),
        UpdateExpression: 'SET briefs = :briefs, #version = :next, summary = :summary',
        ConditionExpression: 'attribute_exists(pk) AND #status = :status AND #version = :version',
        ExpressionAttributeNames: { '#status': 'status', '#version': 'version' },
        ExpressionAttributeValues: { ':briefs': heads, ':next': next.version, ':status': current.status, ':version': current.version, ':summary': listSummaryOf(next) },
      }));
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return this.conflictAfter(current.id, (latest) => `Application ${current.id} changed while the brief was being saved (now '${latest.status}', version ${latest.version})`);
    }
    await this.retireDocuments(current, next, now);
    return next;
  }

  async setExecutionArn(id: string, executionArn: string): Promise<void> {
    await documentClient.send(new UpdateCommand({
      TableName: this.tableName,
      Key: applicationKey(id),
      UpdateExpression: 'SET executionArn = :arn, summary.executionArn = :arn',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':arn': executionArn },
    }));
  }

  /** Record notices as sent (idempotent: a notice once sent stays sent). */
  async markNoticesSent(id: string, keys: readonly string[]): Promise<void> {
    await Promise.all(keys.map((key) => documentClient.send(new PutCommand({
      TableName: this.tableName,
      Item: { ...noticeKey(id, key), entity: 'notice', key, state: 'sent' },
    }))));
  }

  // ---- task tokens (kept server-side, never sent to people) ----

  async saveTaskToken(id: string, kind: string, token: string, opts: { executionArn?: string; now: Date; expiresAt: Date }): Promise<void> {
    await documentClient.send(new PutCommand({
      TableName: this.tableName,
      Item: {
        ...taskTokenKey(id, kind),
        entity: 'task-token',
        applicationId: id,
        kind,
        token,
        executionArn: opts.executionArn,
        storedAt: opts.now.toISOString(),
        // Removed by DynamoDB TTL in AWS; readers also ignore expired tokens (dynalite has no TTL).
        expiresAt: expiresAtSeconds(opts.expiresAt),
      },
    }));
  }

  async getTaskToken(id: string, kind: string, now: Date): Promise<{ token: string; storedAt: string } | undefined> {
    const out = await documentClient.send(new GetCommand({ TableName: this.tableName, Key: taskTokenKey(id, kind), ConsistentRead: true }));
    const item = out.Item;
    if (!item || (typeof item.expiresAt === 'number' && item.expiresAt < expiresAtSeconds(now))) return undefined;
    return { token: String(item.token), storedAt: String(item.storedAt) };
  }
}

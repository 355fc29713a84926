/**
 * The application repository. Every status change is ONE conditional UpdateItem that sets the new
 * status, bumps the version, moves the index keys and appends the transition to the item's own
 * timeline: the change and its audit record are atomic without TransactWriteItems (which dynalite
 * lacks), and a stale or concurrent writer fails the condition instead of corrupting state.
 */
import { BatchGetCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Application, ApplicationStatus, StoredBrief } from '../../../schemas/application.ts';
import type { DedupeValue } from '../../core/dedupe.ts';
import type { TransitionPlan } from '../../core/application/lifecycle.ts';
import { ConflictError, NotFoundError } from '../../core/errors.ts';
import { documentClient, isConditionFailure } from './client.ts';
import { applicationKey, dedupeKey, dedupePartition, INDEX_LIST, INDEXES, operationsKeys, partnerQueueKeys, expiresAtSeconds, TABLE_KEYS, taskTokenKey } from './keys.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';

/** Founder access tokens valid at once per application. */
export const MAX_FOUNDER_TOKENS = 10;

const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'entity', 'expiresAt'] as const;

function toItem(app: Application): Record<string, unknown> {
  return {
    ...applicationKey(app.id),
    entity: 'application',
    ...operationsKeys(app.status, app.updatedAt, app.id),
    ...(app.partner ? partnerQueueKeys(app.partner.partnerId, app.status, app.updatedAt) : {}),
    ...app,
    notified: undefined,
  };
}

function fromItem(item: Record<string, unknown>): Application {
  const copy: Record<string, unknown> = { ...item };
  for (const k of KEY_ATTRIBUTES) delete copy[k];
  // Sent notices live in a DynamoDB string set (atomic ADD with a condition); expose them as a sorted list.
  if (copy.notifiedSet instanceof Set) copy.notified = [...(copy.notifiedSet as Set<string>)].sort();
  delete copy.notifiedSet;
  return copy as Application;
}

export class ApplicationRepository {
  constructor(private readonly tableName: string) {}

  /** Store a new application; `false` when one with this id already exists (an idempotent replay). */
  async create(app: Application): Promise<boolean> {
    try {
      await documentClient.send(new PutCommand({
        TableName: this.tableName,
        Item: toItem(app),
        ConditionExpression: 'attribute_not_exists(pk)',
      }));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async get(id: string): Promise<Application | undefined> {
    const out = await documentClient.send(new GetCommand({ TableName: this.tableName, Key: applicationKey(id), ConsistentRead: true }));
    return out.Item ? fromItem(out.Item) : undefined;
  }

  async mustGet(id: string): Promise<Application> {
    const app = await this.get(id);
    if (!app) throw new NotFoundError(`Application ${id} not found`);
    return app;
  }

  /**
   * Apply a planned transition with optional extra attributes, guarded by "status is X and version is N".
   * Throws ConflictError naming the current state when another writer got there first.
   */
  async applyTransition(current: Application, plan: TransitionPlan, changes: Partial<Omit<Application, 'id' | 'status' | 'version' | 'transitions'>> = {}): Promise<Application> {
    const id = current.id;
    const t = plan.transition;
    const names: Record<string, string> = { '#status': 'status', '#version': 'version', '#transitions': 'transitions', '#updatedAt': 'updatedAt' };
    const values: Record<string, unknown> = {
      ':to': t.to,
      ':expectedStatus': plan.expectedStatus,
      ':expectedVersion': plan.expectedVersion,
      ':nextVersion': t.version,
      ':transition': [t],
      ':at': t.at,
    };
    const sets = ['#status = :to', '#version = :nextVersion', '#updatedAt = :at', '#transitions = list_append(#transitions, :transition)'];
    const removes: string[] = [];

    // Index keys move with the status in the same write: the operations view always, the partner queue
    // whenever a partner is (still) assigned.
    const ops = operationsKeys(t.to, t.at, id);
    Object.assign(values, { ':gsi2pk': ops.gsi2pk, ':gsi2sk': ops.gsi2sk });
    sets.push('gsi2pk = :gsi2pk', 'gsi2sk = :gsi2sk');
    const partnerId = 'partner' in changes ? changes.partner?.partnerId : current.partner?.partnerId;
    if (partnerId) {
      const queue = partnerQueueKeys(partnerId, t.to, t.at);
      Object.assign(values, { ':gsi1pk': queue.gsi1pk, ':gsi1sk': queue.gsi1sk });
      sets.push('gsi1pk = :gsi1pk', 'gsi1sk = :gsi1sk');
    } else {
      removes.push('gsi1pk', 'gsi1sk');
    }

    let i = 0;
    for (const [key, value] of Object.entries(changes)) {
      const n = `#c${i}`;
      names[n] = key;
      if (value === undefined) {
        removes.push(n);
      } else {
        values[`:c${i}`] = value;
        sets.push(`${n} = :c${i}`);
      }
      i += 1;
    }

    try {
      const out = await documentClient.send(new UpdateCommand({
        TableName: this.tableName,
        Key: applicationKey(id),
        UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ConditionExpression: 'attribute_exists(pk) AND #status = :expectedStatus AND #version = :expectedVersion',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }));
      return fromItem(out.Attributes ?? {});
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const latest = await this.get(id);
      if (!latest) throw new NotFoundError(`Application ${id} not found`);
      throw new ConflictError(`Application ${id} is '${latest.status}' (version ${latest.version}); it can no longer move from '${plan.expectedStatus}' to '${t.to}'`, latest.status);
    }
  }

  /**
   * Replace the briefs without a change of status (a partner's edit), guarded by "status is X and version is N";
   * bumps the version. Throws ConflictError when another writer got there first (the caller re-reads and re-plans).
   */
  async updateBriefs(current: Application, briefs: StoredBrief[]): Promise<Application> {
    try {
      const out = await documentClient.send(new UpdateCommand({
        TableName: this.tableName,
        Key: applicationKey(current.id),
        UpdateExpression: 'SET briefs = :briefs, #version = :next',
        ConditionExpression: 'attribute_exists(pk) AND #status = :status AND #version = :version',
        ExpressionAttributeNames: { '#status': 'status', '#version': 'version' },
        ExpressionAttributeValues: { ':briefs': briefs, ':next': current.version + 1, ':status': current.status, ':version': current.version },
        ReturnValues: 'ALL_NEW',
      }));
      return fromItem(out.Attributes ?? {});
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const latest = await this.get(current.id);
      if (!latest) throw new NotFoundError(`Application ${current.id} not found`);
      throw new ConflictError(`Application ${current.id} changed while the brief was being saved (now '${latest.status}', version ${latest.version})`, latest.status);
    }
  }

  // ---- likely duplicates (access pattern 7 in keys.ts) ----

  /** Idempotent puts of the dedupe index items of one application; written before the application itself. */
  async putDedupeItems(applicationId: string, values: readonly DedupeValue[], now: Date): Promise<void> {
    await Promise.all(values.map((v) => documentClient.send(new PutCommand({
      TableName: this.tableName,
      Item: { ...dedupeKey(v.kind, v.value, applicationId), entity: 'dedupe', kind: v.kind, value: v.value, applicationId, indexedAt: now.toISOString() },
    }))));
  }

  /** Ids of applications indexed under any of these values (the caller re-checks each against its worksheet). */
  async findDedupeCandidates(values: readonly DedupeValue[], limitPerValue = 50): Promise<string[]> {
    const pages = await Promise.all(values.map((v) => documentClient.send(new QueryCommand({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': dedupePartition(v.kind, v.value) },
      Limit: limitPerValue,
    }))));
    return [...new Set(pages.flatMap((p) => (p.Items ?? []).map((i) => String(i.applicationId))))];
  }

  /** Several applications by id (missing ids are left out), in no particular order. */
  async getMany(ids: readonly string[]): Promise<Application[]> {
    const out: Application[] = [];
    for (let i = 0; i < ids.length; i += 100) {
      let keys: Record<string, unknown>[] | undefined = ids.slice(i, i + 100).map((id) => ({ ...applicationKey(id) }));
      for (let attempt = 0; keys && keys.length > 0 && attempt < 5; attempt += 1) {
        const res = await documentClient.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys } } }));
        out.push(...(res.Responses?.[this.tableName] ?? []).map(fromItem));
        keys = res.UnprocessedKeys?.[this.tableName]?.Keys as Record<string, unknown>[] | undefined;
      }
    }
    return out;
  }

  /**
   * Add a founder token hash (an idempotent replay re-issues a token). Tokens already handed out are never dropped: at
   * the cap the replay is refused (409) and the client keeps using a token it was given.
   */
  async addFounderTokenHash(id: string, hash: string): Promise<void> {
    try {
      await documentClient.send(new UpdateCommand({
        TableName: this.tableName,
        Key: applicationKey(id),
        UpdateExpression: 'SET founderTokenHashes = list_append(founderTokenHashes, :h)',
        ConditionExpression: 'attribute_exists(pk) AND size(founderTokenHashes) < :max',
        ExpressionAttributeValues: { ':h': [hash], ':max': MAX_FOUNDER_TOKENS },
      }));
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      throw new ConflictError(`Application ${id} was already accepted ${MAX_FOUNDER_TOKENS} times for this Idempotency-Key; use the founderToken from an earlier answer`);
    }
  }

  // ---- the founder's address confirmation (functions/core/address-confirmation.ts) ----

  /**
   * Store the hash of a newly mailed secret (replacing an unused one), while the application still waits drafted and
   * unconfirmed; false when it no longer does.
   */
  async storeConfirmationSecret(id: string, args: { hash: string; number: number; now: Date; expiresAt: Date }): Promise<boolean> {
    try {
      await documentClient.send(new UpdateCommand({
        TableName: this.tableName,
        Key: applicationKey(id),
        UpdateExpression: 'SET #c.secretHash = :h, #c.expiresAt = :exp, #c.lastSentAt = :now',
        ConditionExpression: 'attribute_exists(#c) AND #status = :drafted AND attribute_not_exists(#c.confirmedAt) AND #c.requested = :n AND #c.sent < :n',
        ExpressionAttributeNames: { '#c': 'addressConfirmation', '#status': 'status' },
        ExpressionAttributeValues: { ':h': args.hash, ':exp': args.expiresAt.toISOString(), ':now': args.now.toISOString(), ':n': args.number, ':drafted': 'drafted' },
      }));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Record that confirmation mail `number` went out (never moves back). */
  async markConfirmationSent(id: string, number: number): Promise<void> {
    await documentClient.send(new UpdateCommand({
      TableName: this.tableName,
      Key: applicationKey(id),
      UpdateExpression: 'SET #c.sent = :n',
      ConditionExpression: 'attribute_exists(#c) AND #c.sent < :n',
      ExpressionAttributeNames: { '#c': 'addressConfirmation' },
      ExpressionAttributeValues: { ':n': number },
    })).catch((error: unknown) => {
      if (!isConditionFailure(error)) throw error;
    });
  }

  /**
   * Use the secret: one conditional write that records the confirmation and removes the live hash (single use);
   * false when the secret is not the live one, has expired, or the application no longer waits.
   */
  async confirmAddress(id: string, hash: string, now: Date): Promise<boolean> {
    try {
      await documentClient.send(new UpdateCommand({
        TableName: this.tableName,
        Key: applicationKey(id),
        UpdateExpression: 'SET #c.confirmedAt = :now, #c.confirmedHash = :h REMOVE #c.secretHash',
        ConditionExpression: '#status = :drafted AND #c.secretHash = :h AND #c.expiresAt > :now AND attribute_not_exists(#c.confirmedAt)',
        ExpressionAttributeNames: { '#c': 'addressConfirmation', '#status': 'status' },
        ExpressionAttributeValues: { ':h': hash, ':now': now.toISOString(), ':drafted': 'drafted' },
      }));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Ask for one more confirmation mail (`requested` goes from `expected` to `expected + 1`); false when raced or no longer waiting. */
  async requestConfirmationMail(id: string, expected: number): Promise<boolean> {
    try {
      await documentClient.send(new UpdateCommand({
        TableName: this.tableName,
        Key: applicationKey(id),
        UpdateExpression: 'SET #c.requested = :next',
        ConditionExpression: '#status = :drafted AND #c.requested = :n AND attribute_not_exists(#c.confirmedAt)',
        ExpressionAttributeNames: { '#c': 'addressConfirmation', '#status': 'status' },
        ExpressionAttributeValues: { ':n': expected, ':next': expected + 1, ':drafted': 'drafted' },
      }));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async setExecutionArn(id: string, executionArn: string): Promise<void> {
    await documentClient.send(new UpdateCommand({
      TableName: this.tableName,
      Key: applicationKey(id),
      UpdateExpression: 'SET executionArn = :arn',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':arn': executionArn },
    }));
  }

  /**
   * Claim a notification key before sending, so a retried task never mails twice. Returns false when the
   * key was already claimed. `releaseNotice` gives the claim back if the send then fails.
   */
  async claimNotice(id: string, key: string): Promise<boolean> {
    try {
      await documentClient.send(new UpdateCommand({
        TableName: this.tableName,
        Key: applicationKey(id),
        UpdateExpression: 'ADD notifiedSet :k',
        ConditionExpression: 'attribute_exists(pk) AND NOT contains(notifiedSet, :key)',
        ExpressionAttributeValues: { ':k': new Set([key]), ':key': key },
      }));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Record several notices as sent in one write (adding to a set is idempotent: no claim needed). */
  async markNoticesSent(id: string, keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await documentClient.send(new UpdateCommand({
      TableName: this.tableName,
      Key: applicationKey(id),
      UpdateExpression: 'ADD notifiedSet :keys',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':keys': new Set(keys) },
    }));
  }

  async releaseNotice(id: string, key: string): Promise<void> {
    await documentClient.send(new UpdateCommand({
      TableName: this.tableName,
      Key: applicationKey(id),
      UpdateExpression: 'DELETE notifiedSet :k',
      ExpressionAttributeValues: { ':k': new Set([key]) },
    }));
  }

  /**
   * Record that an expiry reminder went out for one record (`record.remindersSent`, shown to people). Not a
   * transition: the version stays. The mail itself is claimed separately (claimNotice), so losing this write to a
   * concurrent transition never sends a reminder twice.
   */
  async recordReminderSent(id: string, programId: string, briefIndex: number, days: number): Promise<void> {
    const path = `briefs[${briefIndex}].#record.#reminders`;
    await documentClient.send(new UpdateCommand({
      TableName: this.tableName,
      Key: applicationKey(id),
      UpdateExpression: `SET ${path} = list_append(if_not_exists(${path}, :empty), :day)`,
      ConditionExpression: `attribute_exists(pk) AND briefs[${briefIndex}].#programId = :programId AND attribute_exists(briefs[${briefIndex}].#record) AND NOT contains(${path}, :d)`,
      ExpressionAttributeNames: { '#record': 'record', '#reminders': 'remindersSent', '#programId': 'programId' },
      ExpressionAttributeValues: { ':empty': [], ':day': [days], ':d': days, ':programId': programId },
    })).catch((error: unknown) => {
      if (!isConditionFailure(error)) throw error;
    });
  }

  /** Operations view: applications in a status, oldest or newest first, paginated. */
  async listByStatus(status: ApplicationStatus, opts: { limit: number; cursor?: string; newestFirst?: boolean }): Promise<{ items: Application[]; cursor?: string }> {
    return this.queryIndex({
      TableName: this.tableName,
      IndexName: INDEXES.operations.indexName,
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': operationsKeys(status, '', '').gsi2pk },
      ScanIndexForward: !opts.newestFirst,
      Limit: opts.limit,
    }, opts.cursor);
  }

  /** A partner's queue, optionally one status, oldest first, paginated. */
  async listPartnerQueue(partnerId: string, opts: { status?: ApplicationStatus; limit: number; cursor?: string }): Promise<{ items: Application[]; cursor?: string }> {
    const pk = partnerQueueKeys(partnerId, '', '').gsi1pk;
    return this.queryIndex({
      TableName: this.tableName,
      IndexName: INDEXES.partnerQueue.indexName,
      KeyConditionExpression: opts.status ? 'gsi1pk = :pk AND begins_with(gsi1sk, :st)' : 'gsi1pk = :pk',
      ExpressionAttributeValues: opts.status ? { ':pk': pk, ':st': `${opts.status}#` } : { ':pk': pk },
      ScanIndexForward: true,
      Limit: opts.limit,
    }, opts.cursor);
  }

  private async queryIndex(input: QueryCommandInput, cursor: string | undefined): Promise<{ items: Application[]; cursor?: string }> {
    const index = INDEX_LIST.find((i) => i.indexName === input.IndexName);
    if (!index) throw new Error(`queryIndex: unknown index ${String(input.IndexName)}`);
    const partition = String(input.ExpressionAttributeValues?.[':pk']);
    const startKey = cursor
      ? decodeCursor(cursor, {
        attributes: [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, index.partitionKey, index.sortKey],
        partition: { attribute: index.partitionKey, value: partition },
      })
      : undefined;
    const out = await documentClient.send(new QueryCommand({ ...input, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }));
    const items = (out.Items ?? []).filter((i) => i.entity === 'application').map(fromItem);
    return { items, ...(out.LastEvaluatedKey ? { cursor: encodeCursor(out.LastEvaluatedKey) } : {}) };
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

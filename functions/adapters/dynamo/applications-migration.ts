/**
 * The migration's part of the application repository (./applications.ts): rewriting a version-1 item in the current
 * form. Used by scripts/migrations.ts, never by a handler.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Application } from '../../../schemas/application.ts';
import { type ApplicationTable, headItem, type PendingDocument, putDocuments, putTransition } from './applications.ts';
import { markNoticesSent } from './applications-notices.ts';
import { documentClient, isConditionFailure } from './client.ts';

/**
 * Rewrites an application stored in an older form (schema version 1: one item holding everything, no
 * `schemaVersion`) in this form: its documents, its earlier transitions and its sent notices as items of their own
 * (idempotent puts of immutable content), then the head, replacing the old item only if it is still that version-1
 * item at `app.version`. `false` when it is not (migrated meanwhile by another run): nothing was replaced.
 * Used by the migration (scripts/migrations.ts), never by a handler.
 */
export async function replaceLegacy(repo: ApplicationTable, app: Application): Promise<boolean> {
  const docs: PendingDocument[] = [];
  const item = headItem(app, docs);
  await putDocuments(repo, app.id, docs, app.version);
  for (const t of app.transitions.slice(0, -1)) await putTransition(repo, app.id, t);
  if (app.notified?.length) await markNoticesSent(repo, app.id, app.notified);
  try {
    await documentClient.send(new PutCommand({
      TableName: repo.tableName,
      Item: item,
      ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#schemaVersion) OR #schemaVersion = :legacy) AND #version = :version',
      ExpressionAttributeNames: { '#schemaVersion': 'schemaVersion', '#version': 'version' },
      ExpressionAttributeValues: { ':legacy': 1, ':version': app.version },
    }));
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

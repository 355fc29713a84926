/**
 * The migration's part of the application repository (./applications.ts): rewriting a version-1 item in the current
 * form. Used by scripts/migrations.ts, never by a handler.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Application } from '../../../schemas/application.ts';
import { type ApplicationRepository, headItem, type PendingDocument } from './applications.ts';
import { documentClient, isConditionFailure } from './client.ts';

/**
 * Rewrites an application stored in an older form (schema version 1: one item holding everything, no
 * `schemaVersion`) in this form: its documents, its earlier transitions and its sent notices as items of their own
 * (idempotent puts of immutable content), then the head, replacing the old item only if it is still that version-1
 * item at `app.version`. `false` when it is not (migrated meanwhile by another run): nothing was replaced.
 * Used by the migration (scripts/migrations.ts), never by a handler.
 */
export async function replaceLegacy(repo: ApplicationRepository, app: Application): Promise<boolean> {
  const docs: PendingDocument[] = [];
  const item = headItem(app, docs);
  await repo.putDocuments(app.id, docs, app.version);
  for (const t of app.transitions.slice(0, -1)) await repo.putTransition(app.id, t);
  if (app.notified?.length) await repo.markNoticesSent(app.id, app.notified);
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

/**
 * A note in an application's timeline: a transition that keeps the status (an operator's nudge, the workflow's
 * escalation of a wait that reminded too often). One conditional UpdateItem ("status is X and version is N") appends
 * it and bumps the version like any transition, but leaves `updatedAt` and the index keys alone, so time in status
 * and the stuck lists still count from the last real change. The note is marked notified in the same write: it
 * calls for no transition mail of its own.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Application, Transition } from '../../../schemas/application.ts';
import { ConflictError } from '../../core/errors.ts';
import { transitionMarker } from '../../core/notifications.ts';
import { documentClient, isConditionFailure } from './client.ts';
import { applicationKey } from './keys.ts';

export async function appendNote(tableName: string, app: Application, note: Transition): Promise<void> {
  if (note.from !== note.to || note.version !== app.version + 1) throw new Error('appendNote: a note keeps the status and takes the next version');
  try {
    await documentClient.send(new UpdateCommand({
      TableName: tableName,
      Key: applicationKey(app.id),
      UpdateExpression: 'SET #transitions = list_append(#transitions, :note), #version = :next ADD notifiedSet :marker',
      ConditionExpression: 'attribute_exists(pk) AND #status = :status AND #version = :version',
      ExpressionAttributeNames: { '#transitions': 'transitions', '#version': 'version', '#status': 'status' },
      ExpressionAttributeValues: { ':note': [note], ':next': note.version, ':status': app.status, ':version': app.version, ':marker': new Set([transitionMarker(note.version)]) },
    }));
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    throw new ConflictError(`Application ${app.id} changed meanwhile (was '${app.status}', version ${app.version}); try again`, app.status);
  }
}

/**
 * Changes that keep the status, part of the application repository (./applications.ts): a note in the timeline (an
 * operator's nudge, an update copied back from Partner Central) and a partner's edit of the briefs. Like
 * applyTransition, each is one conditional write guarded by "status is X and version is N" that bumps the version;
 * only the functions that make them load this module.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Application, StoredBrief, Transition } from '../../../schemas/application.ts';
import { listSummaryOf } from '../../core/application/list-summary.ts';
import { transitionMarker } from '../../core/notice-markers.ts';
import {
  type ApplicationRepository, briefHeads, conflictAfter, newDocuments, type PendingDocument, putDocuments, putTransition, retireDocuments,
} from './applications.ts';
import { markNoticesSent } from './applications-notices.ts';
import { documentClient, isConditionFailure } from './client.ts';
import { applicationKey } from './keys.ts';

/** What these functions need of the repository: its table, and a read for the conflict they report. */
type Repository = Pick<ApplicationRepository, 'tableName' | 'get'>;

/**
 * A note in the timeline: a transition that keeps the status (an operator's nudge). Like applyTransition, the
 * transition it displaces from the head goes to an item of its own first and the change is one conditional write
 * ("status is X and version is N"), but `updatedAt` and the index keys stay, so time in status and the stuck lists
 * still count from the last real change (the list summary follows: its latest reason, an escalation). The note calls for no mail: its notice is recorded as sent
 * right after the write. A crash between the two can cost one redundant status mail, never a lost one; marking it
 * first instead could silence the mail of a concurrent real transition that won this version.
 */
export async function appendNote(repo: Repository, current: Application, note: Transition, changes: { briefs?: StoredBrief[] } = {}): Promise<Application> {
  if (note.from !== note.to || note.version !== current.version + 1) throw new Error('appendNote: a note keeps the status and takes the next version');
  const previous = current.transitions.at(-1);
  if (previous) await putTransition(repo, current.id, previous);
  // A note may carry the briefs it changed (an update made in Partner Central, copied back): their documents first.
  const docs: PendingDocument[] = [];
  const heads = changes.briefs ? briefHeads(changes.briefs, docs) : undefined;
  await putDocuments(repo, current.id, newDocuments(current, docs), note.version);
  const next: Application = { ...current, ...(changes.briefs ? { briefs: changes.briefs } : {}), version: note.version, transitions: [...current.transitions, note] };
  try {
    await documentClient.send(new UpdateCommand({
      TableName: repo.tableName,
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
    return conflictAfter(repo, current.id, (latest) => `Application ${current.id} changed meanwhile (now '${latest.status}', version ${latest.version}); try again`);
  }
  await markNoticesSent(repo, current.id, [transitionMarker(note.version)]);
  if (changes.briefs) await retireDocuments(repo, current, next, new Date(note.at));
  return next;
}

/**
 * Replace the briefs without a change of status (a partner's edit), guarded by "status is X and version is N";
 * bumps the version. Throws ConflictError when another writer got there first (the caller re-reads and re-plans).
 */
export async function updateBriefs(repo: Repository, current: Application, briefs: StoredBrief[], now: Date): Promise<Application> {
  const docs: PendingDocument[] = [];
  const heads = briefHeads(briefs, docs);
  await putDocuments(repo, current.id, newDocuments(current, docs), current.version + 1);
  const next: Application = { ...current, briefs, version: current.version + 1 };
  try {
    await documentClient.send(new UpdateCommand({
      TableName: repo.tableName,
      Key: applicationKey(current.id),
      UpdateExpression: 'SET briefs = :briefs, #version = :next, summary = :summary',
      ConditionExpression: 'attribute_exists(pk) AND #status = :status AND #version = :version',
      ExpressionAttributeNames: { '#status': 'status', '#version': 'version' },
      ExpressionAttributeValues: { ':briefs': heads, ':next': next.version, ':status': current.status, ':version': current.version, ':summary': listSummaryOf(next) },
    }));
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    return conflictAfter(repo, current.id, (latest) => `Application ${current.id} changed while the brief was being saved (now '${latest.status}', version ${latest.version})`);
  }
  await retireDocuments(repo, current, next, now);
  return next;
}

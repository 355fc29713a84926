/**
 * UpdateOpportunity under Action Required through the Selling API with the partner's role, based on the
 * LastModifiedDate the partner read (`POST …/update-via-api`). Apart from ./partner-central-submission.ts (submit,
 * read) because each member sent is checked whole against ACE's opportunity model first
 * (functions/core/ace/update-problems.ts), which only the update's function loads (functions/http/partner-update.ts;
 * issue 11 §1). It records a note and the brief's copy, a version-guarded write, and answers no workflow: the table
 * and the partner's role, no Step Functions. Rules: functions/core/ace/partner-central-submission.ts.
 */
import type { Application } from '../../schemas/application.ts';
import { logger } from '../adapters/observability.ts';
import { appendNote } from '../adapters/dynamo/applications-edits.ts';
import { accountOf, readOpportunity, updateOpportunity } from '../adapters/partner-central-client.ts';
import { checkApiUpdate, containsChanges, planApiUpdate, UPDATABLE_MEMBERS, updatePayload } from '../core/ace/partner-central-submission.ts';
import { updateProblems } from '../core/ace/update-problems.ts';
import { retryOnConflict } from '../core/conflict-retry.ts';
import { NotFoundError, UnprocessableError } from '../core/errors.ts';
import { assignedApplication, partnerRoleOrRefuse, takeWriteSlot, type PartnerCentralDeps } from './partner-central-access.ts';

/** What the update needs: no state machine (it answers no workflow). */
export type PartnerUpdateDeps = Pick<PartnerCentralDeps, 'applications' | 'partners' | 'store' | 'defaultCatalog' | 'clock'>;

/**
 * UpdateOpportunity under Action Required, based on the LastModifiedDate the partner read: a change made since (in the
 * console) is a 409 naming it, and Partner Central itself refuses a stale LastModifiedDate (ConflictException → 409)
 * if the opportunity moves between our read and the write. Then the change is recorded (a transition that keeps the
 * record in action_required until it is resubmitted) and copied back into the brief.
 *
 * A crash between UpdateOpportunity and our record is repaired by repeating the request: Partner Central already
 * holds every changed member (its LastModifiedDate is no longer `basedOn`, so the basedOn check would refuse), so
 * nothing is sent again and only the record is written; a brief that already holds the change is not written twice.
 */
export async function updateViaApi(deps: PartnerUpdateDeps, args: { applicationId: string; programId: string; partnerId: string; basedOn: string; changes: Record<string, unknown> }): Promise<{ opportunityId: string; lastModifiedDate?: string; replayed: boolean; briefRevision?: number }> {
  const { applicationId, programId, partnerId, changes } = args;
  const unknown = Object.keys(changes).filter((k) => !(UPDATABLE_MEMBERS as readonly string[]).includes(k));
  if (unknown.length > 0) {
    throw new UnprocessableError('Only the opportunity members a partner may change can be updated', unknown.map((k) => ({ field: `changes.${k}`, rule: `is not updatable: one of ${UPDATABLE_MEMBERS.join(', ')}` })));
  }
  const problems = updateProblems(changes);
  if (problems.length > 0) throw new UnprocessableError('The changes do not fit the opportunity model; nothing was sent', problems);
  const app = await assignedApplication(deps, applicationId, partnerId);
  const { filing, role, catalog } = await partnerRoleOrRefuse(deps, partnerId, 'submit in the Partner Central console');
  const record = app.briefs?.find((b) => b.programId === programId)?.record;
  if (!record?.opportunityId) throw new NotFoundError(`The ${programId} record has no opportunity`);
  const current = await readOpportunity(role, catalog, record.opportunityId);
  let opportunityId = record.opportunityId;
  let lastModifiedDate = current.lastModifiedDate;
  const alreadyInAce = containsChanges(current.opportunity, changes);
  if (!alreadyInAce) {
    opportunityId = checkApiUpdate({ app, programId, partnerId, basedOn: args.basedOn, current });
    await takeWriteSlot(deps, accountOf(filing.roleArn));
    // The whole opportunity as read, the changed members replaced: a member left out would be set to null.
    const payload = updatePayload(current.opportunity, changes);
    lastModifiedDate = (await updateOpportunity(role, catalog, opportunityId, current.lastModifiedDate as string, payload)).lastModifiedDate;
    logger.info('Opportunity updated through Partner Central', { programId, opportunityId, members: Object.keys(changes) });
  }
  const recorded = await recordApiUpdate(deps, { applicationId, programId, partnerId, opportunityId, changes, lastModifiedDate });
  const briefRevision = recorded.briefs?.find((b) => b.programId === programId)?.revision;
  return { opportunityId, ...(lastModifiedDate ? { lastModifiedDate } : {}), replayed: alreadyInAce, ...(briefRevision ? { briefRevision } : {}) };
}

/** The update's note and the brief's copy, re-planned on a lost race (a concurrent brief edit or transition). */
async function recordApiUpdate(deps: PartnerUpdateDeps, args: { applicationId: string; programId: string; partnerId: string; opportunityId: string; changes: Record<string, unknown>; lastModifiedDate?: string | undefined }): Promise<Application> {
  return retryOnConflict(async (guarded) => {
    const latest = await assignedApplication(deps, args.applicationId, args.partnerId);
    const plan = planApiUpdate({ app: latest, ...args, now: deps.clock.now() });
    if (plan.kind === 'replay') return latest;
    return guarded(appendNote(deps.applications, latest, plan.note, { briefs: plan.briefs }));
  });
}

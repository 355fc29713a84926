/**
 * The opportunity's life after CreateOpportunity, through the Selling API with the partner's role: associate a
 * solution and submit it for AWS review (again after Action Required), read it, and update it under Action Required
 * with the LastModifiedDate the partner read. Rules: functions/core/ace/partner-central-submission.ts.
 *
 * Each step is idempotent: Partner Central is read first (a solution already associated is not associated again; an
 * opportunity already with AWS is not submitted again), every write takes the partner account's write slot (one per
 * second), and the record change is the usual conditional transition through runCommand (write, then call back). A
 * crash between Partner Central and our record is repaired by repeating the request, or by the event/reconciliation
 * that reports the new review status.
 */
import type { Application } from '../../schemas/application.ts';
import { logger } from '../adapters/observability.ts';
import {
  accountOf, associateSolution, listActiveSolutions, readOpportunity, submitOpportunity, updateOpportunity,
} from '../adapters/partner-central-client.ts';
import {
  alreadyWithAws, checkApiSubmission, checkApiUpdate, chooseSolution, containsChanges, planApiSubmission, planApiUpdate, submissionChoice, UPDATABLE_MEMBERS, updateProblems,
  type InvolvementType, type SubmissionChoice, type Visibility,
} from '../core/ace/partner-central-submission.ts';
import { NotFoundError, UnprocessableError } from '../core/errors.ts';
import { retryOnConflict } from '../core/conflict-retry.ts';
import { assignedApplication, partnerRoleOrRefuse, takeWriteSlot, type PartnerCentralDeps } from './partner-central-access.ts';
import { runCommand } from './run-command.ts';
import { appendNote } from '../adapters/dynamo/applications-edits.ts';

export interface ApiSubmissionResult {
  readonly app: Application;
  readonly opportunityId: string;
  readonly solutionId?: string;
  readonly choice: SubmissionChoice;
  /** Nothing was sent to Partner Central: the opportunity was already with AWS. */
  readonly replayed: boolean;
}

export async function submitViaApi(deps: PartnerCentralDeps, args: {
  applicationId: string; programId: string; partnerId: string; solutionId?: string | undefined; involvementType?: InvolvementType | undefined; visibility?: Visibility | undefined;
}): Promise<ApiSubmissionResult> {
  const { applicationId, programId, partnerId } = args;
  const app = await assignedApplication(deps, applicationId, partnerId);
  const check = checkApiSubmission({ app, programId, partnerId });
  const choice = submissionChoice(args);
  if (check.kind === 'already-submitted') return { app, opportunityId: check.opportunityId, choice, replayed: true };

  const { filing, role, catalog } = await partnerRoleOrRefuse(deps, partnerId, 'submit in the Partner Central console');
  const { opportunityId, resubmission } = check;
  const current = await readOpportunity(role, catalog, opportunityId);
  let solutionId = current.solutions[0];
  const replayed = alreadyWithAws(current.lifeCycle?.ReviewStatus);
  if (!replayed) {
    if (!solutionId) {
      solutionId = chooseSolution({ requested: args.solutionId, profile: filing.solutionId, active: await listActiveSolutions(role, catalog) });
      await takeWriteSlot(deps, accountOf(filing.roleArn));
      await associateSolution(role, catalog, opportunityId, solutionId);
      logger.info('Solution associated through Partner Central', { programId, opportunityId, solutionId });
    }
    await takeWriteSlot(deps, accountOf(filing.roleArn));
    await submitOpportunity(role, catalog, opportunityId, choice);
    logger.info('Submitted for AWS review through Partner Central', { programId, opportunityId, resubmission, involvementType: choice.involvementType, visibility: choice.visibility });
  }
  const result = await runCommand(deps, applicationId, (latest, now) => planApiSubmission({
    app: latest, programId, partnerId, opportunityId, solutionId: solutionId ?? '(already associated)', choice, resubmission, now,
  }));
  return { app: result.app, opportunityId, ...(solutionId ? { solutionId } : {}), choice, replayed };
}

export interface OpportunityRead {
  readonly opportunityId: string;
  readonly lastModifiedDate?: string;
  readonly reviewStatus?: string;
  readonly opportunity: Record<string, unknown>;
}

/** The opportunity as Partner Central has it now (its LastModifiedDate is what an update must be based on). */
export async function readViaApi(deps: PartnerCentralDeps, args: { applicationId: string; programId: string; partnerId: string }): Promise<OpportunityRead> {
  const app = await assignedApplication(deps, args.applicationId, args.partnerId);
  const record = app.briefs?.find((b) => b.programId === args.programId)?.record;
  if (!record?.opportunityId || record.filedVia !== 'api') throw new NotFoundError(`The ${args.programId} record has no opportunity filed through the API`);
  const { role, catalog } = await partnerRoleOrRefuse(deps, args.partnerId, 'submit in the Partner Central console');
  const read = await readOpportunity(role, catalog, record.opportunityId);
  return {
    opportunityId: read.opportunityId,
    ...(read.lastModifiedDate ? { lastModifiedDate: read.lastModifiedDate } : {}),
    ...(read.lifeCycle?.ReviewStatus ? { reviewStatus: read.lifeCycle.ReviewStatus } : {}),
    opportunity: read.opportunity,
  };
}

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
export async function updateViaApi(deps: PartnerCentralDeps, args: { applicationId: string; programId: string; partnerId: string; basedOn: string; changes: Record<string, unknown> }): Promise<{ opportunityId: string; lastModifiedDate?: string; replayed: boolean; briefRevision?: number }> {
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
    lastModifiedDate = (await updateOpportunity(role, catalog, opportunityId, current.lastModifiedDate as string, changes)).lastModifiedDate;
    logger.info('Opportunity updated through Partner Central', { programId, opportunityId, members: Object.keys(changes) });
  }
  const recorded = await recordApiUpdate(deps, { applicationId, programId, partnerId, opportunityId, changes, lastModifiedDate });
  const briefRevision = recorded.briefs?.find((b) => b.programId === programId)?.revision;
  return { opportunityId, ...(lastModifiedDate ? { lastModifiedDate } : {}), replayed: alreadyInAce, ...(briefRevision ? { briefRevision } : {}) };
}

/** The update's note and the brief's copy, re-planned on a lost race (a concurrent brief edit or transition). */
async function recordApiUpdate(deps: PartnerCentralDeps, args: { applicationId: string; programId: string; partnerId: string; opportunityId: string; changes: Record<string, unknown>; lastModifiedDate?: string | undefined }): Promise<Application> {
  return retryOnConflict(async (guarded) => {
    const latest = await assignedApplication(deps, args.applicationId, args.partnerId);
    const plan = planApiUpdate({ app: latest, ...args, now: deps.clock.now() });
    if (plan.kind === 'replay') return latest;
    return guarded(appendNote(deps.applications, latest, plan.note, { briefs: plan.briefs }));
  });
}

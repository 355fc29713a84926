/**
 * The opportunity's life after CreateOpportunity, through the Selling API with the partner's role: associate a
 * solution and submit it for AWS review (again after Action Required), and read it. The update under Action Required
 * is ./partner-central-update.ts (its own function: it loads ACE's opportunity model). Rules:
 * functions/core/ace/partner-central-submission.ts.
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
  accountOf, associateSolution, listActiveSolutions, readOpportunity, submitOpportunity,
} from '../adapters/partner-central-client.ts';
import {
  alreadyWithAws, checkApiSubmission, chooseSolution, planApiSubmission, submissionChoice,
  type InvolvementType, type SubmissionChoice, type Visibility,
} from '../core/ace/partner-central-submission.ts';
import { NotFoundError } from '../core/errors.ts';
import { assignedApplication, partnerRoleOrRefuse, takeWriteSlot, type PartnerCentralDeps } from './partner-central-access.ts';
import { runCommand } from './run-command.ts';

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

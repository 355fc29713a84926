/**
 * Filing a record in ACE through the Selling API with the partner's role. The record change goes through the same
 * "write, then call back" runner as the partner API (functions/usecases/run-command.ts), with the rules of
 * functions/core/ace/partner-central-rules.ts.
 *
 * Order: write slot (one write per second per partner account) → CreateOpportunity (ClientToken from the stored body:
 * a repeat returns the same opportunity) → mapping item (opportunity → record), first watermark and the open set →
 * the `filed` transition → the callback. A crash anywhere is repaired by repeating the request.
 */
import type { Application } from '../../schemas/application.ts';
import { logger } from '../adapters/observability.ts';
import { accountOf, createOpportunity } from '../adapters/partner-central-client.ts';
import { checkApiFiling, createOpportunityInput, initialWatermark, planApiFiling } from '../core/ace/partner-central-rules.ts';
import { UnprocessableError } from '../core/errors.ts';
import { runCommand } from './run-command.ts';
import { assignedApplication, catalogOf, roleOf, takeWriteSlot, type PartnerCentralDeps } from './partner-central-access.ts';
import { initWatermark, putOpportunityMapping, trackOpen } from '../adapters/dynamo/partner-central-store.ts';

export interface ApiFilingResult {
  readonly app: Application;
  readonly opportunityId: string;
  /** The record was already filed through the API (a repeated request): nothing was sent to Partner Central. */
  readonly replayed: boolean;
}

export async function fileViaApi(deps: PartnerCentralDeps, args: { applicationId: string; programId: string; partnerId: string }): Promise<ApiFilingResult> {
  const { applicationId, programId, partnerId } = args;
  const app = await assignedApplication(deps, applicationId, partnerId);
  const check = checkApiFiling({ app, programId, partnerId });

  let opportunityId: string;
  if (check.kind === 'already-filed') {
    opportunityId = check.opportunityId;
  } else {
    const partner = await deps.partners.get(partnerId);
    const filing = partner?.filing;
    if (!filing) {
      throw new UnprocessableError('No Partner Central role is registered for this partner: file by hand and record it with POST …/filed, or register a role', [
        { field: 'partner.filing.roleArn', rule: 'is required to file through the API (an IAM role named AceFilingPartnerCentral*)' },
      ]);
    }
    const catalog = catalogOf(filing, deps);
    const role = roleOf(filing);
    await takeWriteSlot(deps, accountOf(filing.roleArn));
    const created = await createOpportunity(role, createOpportunityInput(check.body, catalog));
    opportunityId = created.opportunityId;
    const now = deps.clock.now();
    // The mapping first: once the record says "filed", events and the reconciliation can find it.
    await putOpportunityMapping(deps.store, { catalog, opportunityId, applicationId, programId, partnerId }, now);
    await initWatermark(deps.store, partnerId, catalog, initialWatermark(now));
    // In review from now on: the reconciliation follows this partner until the record leaves AWS's review.
    await trackOpen(deps.store, partnerId, catalog, opportunityId);
    logger.info('Filed through Partner Central', { programId, opportunityId, catalog });
  }
  const result = await runCommand(deps, applicationId, (current, now) => planApiFiling({
    app: current, programId, partnerId, opportunityId, filedAt: now.toISOString(), now,
  }));
  return { app: result.app, opportunityId, replayed: check.kind === 'already-filed' };
}

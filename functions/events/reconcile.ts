/**
 * Scheduled every 30 minutes (EventBridge Scheduler, input `{ "reconcile": "partner-central" }`): for every partner
 * with records still in AWS's review (one Query on their sparse index partition: partners with nothing in review
 * cost nothing), ListOpportunities modified since its watermark and apply the review statuses, so a change whose
 * event was lost (best-effort delivery, or a partner that does not forward events) still arrives.
 * Fails (so the scheduler retries and the error alarm fires) when any partner could not be reconciled.
 */
import middy from '@middy/core';
import { ReconcileInput } from '../../schemas/partner-central-messages.ts';
import { parseWith } from '../../schemas/issues.ts';
import { injectLambdaContext, logger } from '../adapters/observability.ts';
import { partnerCentralDepsFromEnv } from '../wiring/partner-central-deps.ts';
import { TransientError } from '../core/errors.ts';
import { reconcileAll, type PartnerReconciliation } from '../usecases/partner-central-sync.ts';

const deps = partnerCentralDepsFromEnv();

async function run(event: unknown): Promise<{ partners: PartnerReconciliation[] }> {
  const input = parseWith(ReconcileInput, event);
  if (!input.ok) throw new Error(`reconcile: bad input: ${input.problems.map((p) => `${p.field} ${p.rule}`).join('; ')}`);
  const partners = await reconcileAll(deps);
  logger.info('Partner Central reconciliation', { partners });
  const failed = partners.filter((p) => p.error);
  if (failed.length > 0) throw new TransientError(`Reconciliation failed for ${failed.map((p) => p.partnerId).join(', ')}; their watermarks did not move`);
  return { partners };
}

export const handler = middy(run).use(injectLambdaContext(logger, { resetKeys: true }));

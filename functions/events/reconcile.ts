/**
 * Scheduled every 30 minutes (EventBridge Scheduler, input `{ "reconcile": "partner-central" }`): for every partner
 * with something still open at AWS (one Query on a sparse index partition: partners with nothing open cost nothing),
 * ListOpportunities modified since its watermark and apply the review statuses, then its benefit applications and
 * their allocations (functions/usecases/partner-central-funding.ts), so a change whose event was lost (best-effort
 * delivery, or a partner that does not forward events) still arrives.
 * Fails (so the scheduler retries and the error alarm fires) when any partner could not be reconciled.
 */
import { isReconcileInput } from '../../schemas/api-reconcile-input.ts';
import { logger, withLogKeys } from '../adapters/observability.ts';
import { partnerCentralDepsFromEnv } from '../wiring/partner-central-deps.ts';
import { TransientError } from '../core/errors.ts';
import { reconcileAll, type PartnerReconciliation } from '../usecases/partner-central-sync.ts';
import { reconcileFundingAll } from '../usecases/partner-central-funding.ts';

const deps = partnerCentralDepsFromEnv();

async function run(event: unknown): Promise<{ partners: PartnerReconciliation[]; funding: Awaited<ReturnType<typeof reconcileFundingAll>> }> {
  if (!isReconcileInput(event)) throw new Error('reconcile: bad input: reconcile must be one of: "partner-central"');
  const partners = await reconcileAll(deps);
  logger.info('Partner Central reconciliation', { partners });
  // Then the funding requests (Benefits API): after the opportunities, so an approval seen now drafts before its funding is read.
  const funding = await reconcileFundingAll(deps);
  logger.info('Partner Central Benefits reconciliation', { funding });
  const failed = [...partners, ...funding].filter((p) => p.error);
  if (failed.length > 0) throw new TransientError(`Reconciliation failed for ${failed.map((p) => p.partnerId).join(', ')}; their watermarks did not move`);
  return { partners, funding };
}

export const handler = withLogKeys(run);

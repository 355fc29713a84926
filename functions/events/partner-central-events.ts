/**
 * EventBridge target for Partner Central's `Opportunity Created` / `Opportunity Updated` events
 * (source `aws.partnercentral-selling`, best-effort delivery; forwarded from each partner's account, see README).
 * Thin: functions/usecases/partner-central-sync.ts dedupes by event id, finds the record, reads the opportunity with the
 * partner's role and applies the review status. An error is rethrown so EventBridge retries.
 */
import { logger, withLogKeys } from '../adapters/observability.ts';
import { partnerCentralDepsFromEnv } from '../wiring/partner-central-deps.ts';
import { handleOpportunityEvent, type EventOutcome } from '../usecases/partner-central-sync.ts';

const deps = partnerCentralDepsFromEnv();

async function run(event: unknown): Promise<{ outcome: EventOutcome }> {
  const outcome = await handleOpportunityEvent(deps, event);
  logger.info('Partner Central event handled', { outcome });
  return { outcome };
}

export const handler = withLogKeys(run);

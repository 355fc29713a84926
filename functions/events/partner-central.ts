/**
 * EventBridge target for Partner Central's `Opportunity Created` / `Opportunity Updated` events
 * (source `aws.partnercentral-selling`, best-effort delivery; forwarded from each partner's account, see README).
 * Thin: functions/usecases/partner-central.ts dedupes by event id, finds the record, reads the opportunity with the
 * partner's role and applies the review status. An error is rethrown so EventBridge retries.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { readConfig } from '../adapters/config.ts';
import { ApplicationRepository } from '../adapters/dynamo/applications.ts';
import { PartnerCentralStore } from '../adapters/dynamo/partner-central.ts';
import { PartnerRepository } from '../adapters/dynamo/partners.ts';
import { logger } from '../adapters/observability.ts';
import type { AceCatalog } from '../core/ace/partner-central.ts';
import { handleOpportunityEvent, systemClock, type EventOutcome, type PartnerCentralDeps } from '../usecases/partner-central.ts';

const config = readConfig(['TABLE_NAME', 'STATE_MACHINE_ARN', 'ACE_CATALOG']);
const deps: PartnerCentralDeps = {
  applications: new ApplicationRepository(config.TABLE_NAME),
  partners: new PartnerRepository(config.TABLE_NAME),
  store: new PartnerCentralStore(config.TABLE_NAME),
  stateMachineArn: config.STATE_MACHINE_ARN,
  defaultCatalog: config.ACE_CATALOG as AceCatalog,
  clock: systemClock,
};

async function run(event: unknown): Promise<{ outcome: EventOutcome }> {
  const outcome = await handleOpportunityEvent(deps, event);
  logger.info('Partner Central event handled', { outcome });
  return { outcome };
}

export const handler = middy(run).use(injectLambdaContext(logger, { resetKeys: true }));

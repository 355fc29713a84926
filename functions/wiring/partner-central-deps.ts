/**
 * What every Partner Central function (filing, the event target, the reconciliation) is wired with, read from
 * the environment once at cold start: one place, so the three handlers cannot drift apart. The update under Action
 * Required (functions/http/partner-update.ts) wires its own: it answers no workflow, so it has no state machine.
 */
import { systemClock } from '../adapters/clock.ts';
import { readConfig } from '../adapters/config.ts';
import { ApplicationRepository } from '../adapters/dynamo/applications.ts';
import { PartnerCentralStore } from '../adapters/dynamo/partner-central-store.ts';
import { PartnerRepository } from '../adapters/dynamo/partners.ts';
import type { AceCatalog } from '../core/ace/partner-central-rules.ts';
import type { PartnerCentralDeps } from '../usecases/partner-central-access.ts';

export function partnerCentralDepsFromEnv(): PartnerCentralDeps {
  const config = readConfig(['TABLE_NAME', 'STATE_MACHINE_ARN', 'ACE_CATALOG']);
  return {
    applications: new ApplicationRepository(config.TABLE_NAME),
    partners: new PartnerRepository(config.TABLE_NAME),
    store: new PartnerCentralStore(config.TABLE_NAME),
    stateMachineArn: config.STATE_MACHINE_ARN,
    defaultCatalog: config.ACE_CATALOG as AceCatalog,
    clock: systemClock,
  };
}

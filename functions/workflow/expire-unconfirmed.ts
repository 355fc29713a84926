/**
 * ExpireUnconfirmed (the address-confirmation wait timed out): wires expireUnconfirmed from
 * functions/usecases/address-confirmation.ts. Returns `outcome`: `expired` (closed, nothing booked), `confirmed` (the
 * confirmation's callback was lost: route it now), `closed-after-revision` (a revision's new address never confirmed:
 * closed, the partner's slot given back; CheckStanding's NotifyChange tells the partner) or `other` (CheckStanding decides).
 */
import { systemClock } from '../adapters/clock.ts';
import { readConfig } from '../adapters/config.ts';
import { ApplicationRepository } from '../adapters/dynamo/applications.ts';
import { PartnerRepository } from '../adapters/dynamo/partners.ts';
import { expireUnconfirmed } from '../usecases/address-confirmation.ts';
import { readConfirmationSettings } from '../wiring/intake-settings.ts';
import { ApplicationTaskInput, systemActor, workflowTask } from './task.ts';

const config = readConfig(['TABLE_NAME']);
const deps = {
  applications: new ApplicationRepository(config.TABLE_NAME),
  partners: new PartnerRepository(config.TABLE_NAME),
  clock: systemClock,
  settings: readConfirmationSettings(),
};

export const handler = workflowTask('ExpireUnconfirmed', ApplicationTaskInput, async ({ applicationId }) => ({
  applicationId,
  outcome: await expireUnconfirmed(deps, applicationId, systemActor('ExpireUnconfirmed')),
}));

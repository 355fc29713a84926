/** RoutePartner (workflow task): wires functions/usecases/route-partner.ts. */
import { systemClock } from '../adapters/clock.ts';
import { readConfig } from '../adapters/config.ts';
import { ApplicationRepository } from '../adapters/dynamo/applications.ts';
import { PartnerRepository } from '../adapters/dynamo/partners.ts';
import { routePartner } from '../usecases/route-partner.ts';
import { ApplicationTaskInput, systemActor, workflowTask } from './task.ts';

const config = readConfig(['TABLE_NAME']);
const deps = { applications: new ApplicationRepository(config.TABLE_NAME), partners: new PartnerRepository(config.TABLE_NAME), clock: systemClock };

export const handler = workflowTask('RoutePartner', ApplicationTaskInput, ({ applicationId }) => routePartner(deps, applicationId, systemActor('RoutePartner')));

/**
 * Operations actions (JWT, group `ops`): redrive, reassign, cancel. Each needs a reason (400 without one) and is
 * recorded as a transition with the operator (`sub` claim) as actor; see functions/usecases/ops-actions.ts.
 * Its own function: the reads stay with the read-only Ops function, these hold write, workflow and mail rights. The
 * nudge is a function of its own (./ops-nudge.ts): it alone sends reminders and needs no workflow rights.
 */
import { readConfig } from '../adapters/config.ts';
import { systemClock } from '../adapters/clock.ts';
import { ApplicationRepository } from '../adapters/dynamo/applications.ts';
import { PartnerRepository } from '../adapters/dynamo/partners.ts';
import { Notifier } from '../usecases/notifier.ts';
import { operationsActionNotices } from '../wiring/notice-composers.ts';
import { cancel, reassign, redrive, type ActionDeps } from '../usecases/ops-actions.ts';
import { ActionBody, ReassignBody } from '../core/operations/action-bodies.ts';
import { applicationIdParameter, httpHandler, json } from './middleware.ts';
import { bodyOf, operator } from './ops-access.ts';

const config = readConfig(['TABLE_NAME', 'STATE_MACHINE_ARN', 'SENDER_EMAIL', 'SES_CONFIGURATION_SET', 'PUBLIC_BASE_URL', 'OPS_EMAIL']);
const applications = new ApplicationRepository(config.TABLE_NAME);
const partners = new PartnerRepository(config.TABLE_NAME);
const deps: ActionDeps = {
  tableName: config.TABLE_NAME,
  applications,
  partners,
  notifier: new Notifier(applications, partners, config, operationsActionNotices),
  stateMachineArn: config.STATE_MACHINE_ARN,
  clock: systemClock,
};

export const handler = httpHandler({
  'POST /ops/applications/{id}/redrive': async (event) => {
    const actor = operator(event);
    const id = applicationIdParameter(event);
    const body = bodyOf(ActionBody, event);
    return json(200, await redrive(deps, id, actor, body.reason));
  },
  'POST /ops/applications/{id}/reassign': async (event) => {
    const actor = operator(event);
    const id = applicationIdParameter(event);
    const body = bodyOf(ReassignBody, event);
    return json(200, await reassign(deps, id, actor, body.partnerId, body.reason));
  },
  'POST /ops/applications/{id}/cancel': async (event) => {
    const actor = operator(event);
    const id = applicationIdParameter(event);
    const body = bodyOf(ActionBody, event);
    return json(200, await cancel(deps, id, actor, body.reason));
  },
});

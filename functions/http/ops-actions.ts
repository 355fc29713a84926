/**
 * Operations actions (JWT, group `ops`): redrive, reassign, cancel, nudge. Each needs a reason (400 without one) and
 * is recorded as a transition with the operator (`sub` claim) as actor; see functions/usecases/ops-actions.ts.
 * Its own function: the reads stay with the read-only Ops function, these hold write, workflow and mail rights.
 */
import { readConfig } from '../adapters/config.ts';
import { systemClock } from '../adapters/clock.ts';
import { ApplicationRepository } from '../adapters/dynamo/applications.ts';
import { PartnerRepository } from '../adapters/dynamo/partners.ts';
import { Notifier } from '../usecases/notifier.ts';
import { operationsActionNotices } from '../wiring/notice-composers.ts';
import { cancel, nudge, reassign, redrive, type ActionDeps } from '../usecases/ops-actions.ts';
import type { Actor } from '../../schemas/application.ts';
import { checkInput, type InputShape } from '../core/input-shape.ts';
import { ActionBody, ReassignBody } from '../core/operations/action-bodies.ts';
import { ValidationError } from '../core/errors.ts';
import { applicationIdParameter, callerOf, httpHandler, json, jsonBody, requireGroup, type HttpEvent } from './middleware.ts';

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

/** The body, checked without zod (functions/core/operations/action-bodies.ts), its problems under `body.`. */
function bodyOf<T>(shape: InputShape<T>, event: HttpEvent): T {
  const checked = checkInput(shape, jsonBody(event));
  if (checked.ok) return checked.value;
  throw new ValidationError(checked.problems.map((p) => ({ field: `body.${p.field}`, rule: p.rule })));
}

function operator(event: HttpEvent): Actor {
  const caller = callerOf(event);
  requireGroup(caller, 'ops');
  return { kind: 'ops', id: caller.sub };
}

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
  'POST /ops/applications/{id}/nudge': async (event) => {
    const actor = operator(event);
    const id = applicationIdParameter(event);
    const body = bodyOf(ActionBody, event);
    return json(200, await nudge(deps, id, actor, body.reason));
  },
});

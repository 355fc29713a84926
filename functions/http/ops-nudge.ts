/**
 * Operations' nudge (JWT, group `ops`): `POST /ops/applications/{id}/nudge` records a note in the timeline (status
 * kept) and mails the pending reminder again, at most once a day (functions/usecases/ops-actions.ts `nudge`). Its own
 * function (issue 11 §1): it alone composes reminders, and it needs the table and mail but no workflow rights; the
 * other actions are in ./ops-actions.ts.
 */
import { readConfig } from '../adapters/config.ts';
import { systemClock } from '../adapters/clock.ts';
import { ApplicationRepository } from '../adapters/dynamo/applications.ts';
import { PartnerRepository } from '../adapters/dynamo/partners.ts';
import { Notifier } from '../usecases/notifier.ts';
import { operationsNudgeNotices } from '../wiring/notice-composers.ts';
import { nudge, type NudgeDeps } from '../usecases/ops-nudge.ts';
import { ActionBody } from '../core/operations/action-bodies.ts';
import { applicationIdParameter, httpHandler, json } from './middleware.ts';
import { bodyOf, operator } from './ops-access.ts';

const config = readConfig(['TABLE_NAME', 'SENDER_EMAIL', 'SES_CONFIGURATION_SET', 'PUBLIC_BASE_URL', 'OPS_EMAIL']);
const applications = new ApplicationRepository(config.TABLE_NAME);
const deps: NudgeDeps = {
  applications,
  notifier: new Notifier(applications, new PartnerRepository(config.TABLE_NAME), config, operationsNudgeNotices),
  clock: systemClock,
};

export const handler = httpHandler({
  'POST /ops/applications/{id}/nudge': async (event) => {
    const actor = operator(event);
    const id = applicationIdParameter(event);
    const body = bodyOf(ActionBody, event);
    return json(200, await nudge(deps, id, actor, body.reason));
  },
});

/**
 * The partner's approval (JWT, group `partner`, claim `custom:partnerId`, own applications only):
 * `POST /partner/applications/{id}/approve`, which re-validates every brief against ACE's rules (dates move on), then
 * answers the review's task token. Its own function, apart from functions/http/partner.ts (the other decisions, which
 * validate no brief) and from the brief edit (functions/http/partner-briefs.ts, which answers no workflow), so each
 * loads only the code its route runs (issue 11 §1).
 * The rules live in functions/core/application/review.ts (planApproval); functions/usecases/run-command.ts runs them.
 */
import { systemClock } from '../adapters/clock.ts';
import { readConfig } from '../adapters/config.ts';
import { ApplicationRepository } from '../adapters/dynamo/applications.ts';
import { PartnerRepository } from '../adapters/dynamo/partners.ts';
import { logger } from '../adapters/observability.ts';
import { planApproval } from '../core/application/review.ts';
import { decisionAnswer } from './views.ts';
import { runCommand } from '../usecases/run-command.ts';
import { httpHandler, json, type HttpEvent, applicationIdParameter } from './middleware.ts';
import { partnerIdOf } from './partner-access.ts';

const config = readConfig(['TABLE_NAME', 'STATE_MACHINE_ARN']);
const applications = new ApplicationRepository(config.TABLE_NAME);
const partners = new PartnerRepository(config.TABLE_NAME);
const deps = { applications, partners, stateMachineArn: config.STATE_MACHINE_ARN, clock: systemClock };

/** Approval re-validates every brief (dates move on); the other decisions are in functions/http/partner.ts. */
async function approve(event: HttpEvent) {
  const partnerId = partnerIdOf(event);
  const id = applicationIdParameter(event);
  const decision = 'approved';
  const result = await runCommand(deps, id, (app, now) => planApproval({ app, partnerId, decision, now }));
  logger.info('Partner decision', { decision, replayed: result.replayed });
  return json(200, decisionAnswer(id, decision, result));
}

export const handler = httpHandler({
  'POST /partner/applications/{id}/approve': approve,
});

/**
 * Partner routes (JWT, group `partner`, claim `custom:partnerId`): the review queue, an application with its briefs,
 * validation reports and likely duplicates, the review replies (request changes, decline) and the CreateOpportunity
 * export. A partner sees and touches only the applications assigned to them: anything else answers 404, exactly like
 * an id that does not exist. Three route groups are their own functions: the brief edit and the approval, which validate
 * a brief against ACE's rules (./partner-briefs.ts, ./partner-approve.ts), and the records' filing, AWS outcome and credits, whose AWS
 * approval drafts a funding request (./partner-records.ts).
 * The rules live in functions/core/application/review.ts; functions/usecases/run-command.ts runs them (write, then callback).
 */
import { systemClock } from '../adapters/clock.ts';
import { readConfig } from '../adapters/config.ts';
import { ApplicationRepository } from '../adapters/dynamo/applications.ts';
import { findDedupeCandidates } from '../adapters/dynamo/applications-intake.ts';
import { getHeads, listPartnerQueue } from '../adapters/dynamo/applications-lists.ts';
import { PartnerRepository } from '../adapters/dynamo/partners.ts';
import { logger } from '../adapters/observability.ts';
import type { Application } from '../../schemas/application.ts';
import type { DuplicateView } from '../../schemas/api.ts';
import { DeclineShape, PartnerQueueShape, RequestChangesShape } from '../core/request-shapes.ts';
import { dedupeValues, sharedKeys } from '../core/dedupe.ts';
import { findBrief, recordOf } from '../core/application/record-state.ts';
import { isAssignedTo } from '../core/application/commands.ts';
import { reachedNobody } from '../core/address-confirmation.ts';
import { planPartnerReply } from '../core/application/review.ts';
import { decisionAnswer, partnerBriefView, partnerQueueItem, partnerView } from './views.ts';
import { runCommand } from '../usecases/run-command.ts';
import { checkOr400, httpHandler, json, jsonBody, type HttpEvent, applicationIdParameter } from './middleware.ts';
import { ownApplication, partnerIdOf, programIdOf } from './partner-access.ts';

const config = readConfig(['TABLE_NAME', 'STATE_MACHINE_ARN']);
const applications = new ApplicationRepository(config.TABLE_NAME);
const partners = new PartnerRepository(config.TABLE_NAME);
const deps = { applications, partners, stateMachineArn: config.STATE_MACHINE_ARN, clock: systemClock };

/** Other applications sharing the AWS account id, website domain or company name (re-checked on their worksheets). */
async function duplicatesOf(app: Application, partnerId: string): Promise<DuplicateView[]> {
  const ids = (await findDedupeCandidates(applications, dedupeValues(app.worksheet))).filter((x) => x !== app.id);
  // Applications that reached nobody (address never confirmed, no partner) are anyone's text: not shown.
  const others = (await getHeads(applications, ids)).filter((other) => !reachedNobody(other));
  return others
    .map((other) => ({ other, matchedOn: sharedKeys(app.worksheet, other.worksheet) }))
    .filter((d) => d.matchedOn.length > 0)
    .sort((a, b) => a.other.createdAt.localeCompare(b.other.createdAt) || a.other.id.localeCompare(b.other.id))
    .map(({ other, matchedOn }) => {
      const mine = isAssignedTo(other, partnerId);
      return {
        applicationId: other.id,
        matchedOn,
        status: other.status,
        createdAt: other.createdAt,
        company: other.worksheet.company.name,
        records: (other.briefs ?? []).map((b) => ({ programId: b.programId, status: recordOf(b).status, opportunityId: recordOf(b).opportunityId ?? null })),
        assignedToYou: mine,
        link: mine ? `/partner/applications/${other.id}` : null,
      };
    });
}

async function listQueue(event: HttpEvent) {
  const partnerId = partnerIdOf(event);
  const query = checkOr400(PartnerQueueShape, event.queryStringParameters ?? {}, 'query');
  const page = await listPartnerQueue(applications, partnerId, {
    limit: query.limit ?? 25,
    ...(query.status ? { status: query.status } : {}),
    ...(query.cursor ? { cursor: query.cursor } : {}),
  });
  return json(200, { items: page.items.filter((row) => row.summary.partnerId === partnerId).map(partnerQueueItem), nextCursor: page.cursor ?? null });
}

async function getApplication(event: HttpEvent) {
  const partnerId = partnerIdOf(event);
  const app = await ownApplication(applications, applicationIdParameter(event), partnerId);
  return json(200, partnerView(app, await duplicatesOf(app, partnerId), systemClock.now()));
}

async function exportCreateOpportunity(event: HttpEvent) {
  const partnerId = partnerIdOf(event);
  const app = await ownApplication(applications, applicationIdParameter(event), partnerId);
  const brief = findBrief(app, programIdOf(event));
  const view = partnerBriefView(app, brief, systemClock.now());
  return json(200, brief.body, { etag: view.etag, 'content-disposition': `attachment; filename="${app.id}-${brief.programId}-create-opportunity.json"` });
}

/** Request changes or decline; the approval validates the briefs and is in ./partner-approve.ts. */
function decide(decision: 'changes_requested' | 'declined') {
  return async (event: HttpEvent) => {
    const partnerId = partnerIdOf(event);
    const id = applicationIdParameter(event);
    const text = decision === 'changes_requested' ? checkOr400(RequestChangesShape, jsonBody(event)).message : checkOr400(DeclineShape, jsonBody(event)).reason;
    const result = await runCommand(deps, id, (app, now) => planPartnerReply({ app, partnerId, decision, text, now }));
    logger.info('Partner decision', { decision, replayed: result.replayed });
    return json(200, decisionAnswer(id, decision, result));
  };
}

export const handler = httpHandler({
  'GET /partner/applications': listQueue,
  'GET /partner/applications/{id}': getApplication,
  'GET /partner/applications/{id}/briefs/{programId}/create-opportunity': exportCreateOpportunity,
  'POST /partner/applications/{id}/request-changes': decide('changes_requested'),
  'POST /partner/applications/{id}/decline': decide('declined'),
});

/**
 * The partner routes that record what happened to an approved record (JWT, group `partner`, claim
 * `custom:partnerId`, own applications only; anything else answers 404, exactly like an id that does not exist):
 * `POST /partner/applications/{id}/briefs/{programId}/filed` (filed by hand in ACE), `.../aws-review` (AWS's outcome)
 * and `.../credits` (the credits applied). Their own function, apart from functions/http/partner.ts: AWS's approval of
 * a program funded through the Benefits API drafts its funding request in the same transition
 * (functions/core/application/records.ts planRecordTransition), so only these routes load the funding drafter, the
 * Benefits model's shapes and data/benefits.json (issue 11: a function holds only the code its routes need).
 * The rules live in functions/core/application/review.ts; functions/usecases/run-command.ts runs them (write, then callback).
 */
import { systemClock } from '../adapters/clock.ts';
import { readConfig } from '../adapters/config.ts';
import { ApplicationRepository } from '../adapters/dynamo/applications.ts';
import { logger } from '../adapters/observability.ts';
import type { FieldProblem } from '../../schemas/issues.ts';
import { AwsReviewShape, CreditsShape, FiledShape } from '../core/request-shapes.ts';
import { findBrief, recordOf } from '../core/application/records.ts';
import { creditsWarnings, planRecordChange, type RecordChange } from '../core/application/review.ts';
import { partnerBriefView } from './views.ts';
import { runCommand } from '../usecases/run-command.ts';
import { checkOr400, httpHandler, json, jsonBody, type HttpEvent, applicationIdParameter } from './middleware.ts';
import { partnerIdOf, programIdOf } from './partner-access.ts';

const config = readConfig(['TABLE_NAME', 'STATE_MACHINE_ARN']);
const applications = new ApplicationRepository(config.TABLE_NAME);
// No partner repository: a record change holds no review slot, so it never gives one back (review.ts planRecordChange).
const deps = { applications, stateMachineArn: config.STATE_MACHINE_ARN, clock: systemClock };

function changeRecord(toChange: (event: HttpEvent) => RecordChange) {
  return async (event: HttpEvent) => {
    const partnerId = partnerIdOf(event);
    const id = applicationIdParameter(event);
    const programId = programIdOf(event);
    const change = toChange(event);
    let warnings: FieldProblem[] = [];
    const result = await runCommand(deps, id, (app, now) => {
      if (change.kind === 'credits') warnings = creditsWarnings(recordOf(findBrief(app, programId)), change);
      return planRecordChange({ app, programId, partnerId, change, now });
    });
    logger.info('Record changed', { programId, change: change.kind, replayed: result.replayed });
    const brief = partnerBriefView(result.app, findBrief(result.app, programId), systemClock.now());
    return json(200, { applicationId: id, status: result.app.status, brief, ...(warnings.length ? { warnings } : {}) });
  };
}

const filed = changeRecord((event) => {
  const body = checkOr400(FiledShape, jsonBody(event));
  return { kind: 'filed', opportunityId: body.opportunityId, filedAt: body.filedAt ?? systemClock.now().toISOString() };
});

const awsReview = changeRecord((event) => {
  const body = checkOr400(AwsReviewShape, jsonBody(event));
  return { kind: 'aws-review', ...body };
});

const credits = changeRecord((event) => {
  const body = checkOr400(CreditsShape, jsonBody(event));
  return { kind: 'credits', ...body };
});

export const handler = httpHandler({
  'POST /partner/applications/{id}/briefs/{programId}/filed': filed,
  'POST /partner/applications/{id}/briefs/{programId}/aws-review': awsReview,
  'POST /partner/applications/{id}/briefs/{programId}/credits': credits,
});

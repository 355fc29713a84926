/**
 * Operations routes (JWT, group `ops`): the workflow executions (newest first, from Step Functions itself), the
 * applications in a status (oldest first: what is stuck, unrouted or failed, and why), both paginated, an application,
 * and its execution story (from Step Functions). The stuck, failed and pipeline reads are their own function
 * (./ops-insights.ts: the table alone).
 */
import { systemClock } from '../adapters/clock.ts';
import { readConfig } from '../adapters/config.ts';
import { ApplicationRepository } from '../adapters/dynamo/applications.ts';
import { listByStatus } from '../adapters/dynamo/applications-lists.ts';
import { opsApplicationDetail, opsApplicationItem } from './views.ts';
import { NotFoundError } from '../core/errors.ts';
import { ListExecutionsShape, OpsApplicationsShape, StoryShape } from '../core/request-shapes.ts';
import { listExecutions } from '../adapters/workflow-engine.ts';
import { applicationStory } from '../usecases/ops-story.ts';
import { applicationIdParameter, callerOf, checkOr400, httpHandler, json, pathParameter, requireGroup, type HttpEvent } from './middleware.ts';

const config = readConfig(['STATE_MACHINE_ARN', 'TABLE_NAME']);
const applications = new ApplicationRepository(config.TABLE_NAME);

async function getExecutions(event: HttpEvent) {
  requireGroup(callerOf(event), 'ops');
  const query = checkOr400(ListExecutionsShape, event.queryStringParameters ?? {}, 'query');
  const page = await listExecutions({
    stateMachineArn: config.STATE_MACHINE_ARN,
    ...(query.status ? { status: query.status } : {}),
    maxResults: query.limit ?? 25,
    ...(query.cursor ? { nextToken: query.cursor } : {}),
  });
  return json(200, { items: page.executions, nextCursor: page.nextToken ?? null });
}

async function getApplications(event: HttpEvent) {
  requireGroup(callerOf(event), 'ops');
  const query = checkOr400(OpsApplicationsShape, event.queryStringParameters ?? {}, 'query');
  const page = await listByStatus(applications, query.status, {
    limit: query.limit ?? 25,
    newestFirst: query.order === 'newest',
    ...(query.cursor ? { cursor: query.cursor } : {}),
  });
  const now = systemClock.now();
  return json(200, { items: page.items.map((app) => opsApplicationItem(app, now)), nextCursor: page.cursor ?? null });
}

async function getApplication(event: HttpEvent) {
  requireGroup(callerOf(event), 'ops');
  const id = pathParameter(event, 'id');
  const app = await applications.get(id);
  if (!app) throw new NotFoundError(`Application ${id} not found`);
  return json(200, opsApplicationDetail(app, systemClock.now()));
}

async function getStory(event: HttpEvent) {
  requireGroup(callerOf(event), 'ops');
  const id = applicationIdParameter(event);
  const q = checkOr400(StoryShape, event.queryStringParameters ?? {}, 'query');
  const app = await applications.get(id);
  if (!app) throw new NotFoundError(`Application ${id} not found`);
  return json(200, await applicationStory({ stateMachineArn: config.STATE_MACHINE_ARN }, app, { raw: q.raw === '1' || q.raw === 'true', now: systemClock.now() }));
}

export const handler = httpHandler({
  'GET /ops/executions': getExecutions,
  'GET /ops/applications': getApplications,
  'GET /ops/applications/{id}': getApplication,
  // Issue 9: an application's execution story (stuck, failed and the pipeline: ./ops-insights.ts).
  'GET /ops/applications/{id}/story': getStory,
});

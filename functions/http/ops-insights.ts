/**
 * Operations reads (JWT, group `ops`) from the table alone: stuck and failed applications, the pipeline. Their own
 * function (issue 11 §1): the stuck limits, the pipeline figures and the counters' reader are code the Ops function's
 * routes (functions/http/ops.ts: executions, applications, an application and its execution story) do not need, and
 * these need no Step Functions rights. Thin: check the query, call the use case.
 */
import { systemClock } from '../adapters/clock.ts';
import { readConfig } from '../adapters/config.ts';
import { ApplicationRepository } from '../adapters/dynamo/applications.ts';
import { PartnerRepository } from '../adapters/dynamo/partners.ts';
import { PipelineStats } from '../adapters/dynamo/pipeline-stats.ts';
import { failedPage, pipeline, stuckPage, type InsightDeps } from '../usecases/ops-insights.ts';
import { FailedShape, PipelineShape, StuckShape } from '../core/request-shapes.ts';
import { callerOf, checkOr400, httpHandler, json, requireGroup, type HttpEvent } from './middleware.ts';

const config = readConfig(['TABLE_NAME']);
const deps: InsightDeps = {
  applications: new ApplicationRepository(config.TABLE_NAME),
  partners: new PartnerRepository(config.TABLE_NAME),
  stats: new PipelineStats(config.TABLE_NAME),
};
const query = (event: HttpEvent) => event.queryStringParameters ?? {};

export const handler = httpHandler({
  'GET /ops/stuck': async (event) => {
    requireGroup(callerOf(event), 'ops');
    const q = checkOr400(StuckShape, query(event), 'query');
    return json(200, await stuckPage(deps, { limit: q.limit ?? 25, now: systemClock.now(), ...(q.status ? { status: q.status } : {}), ...(q.cursor ? { cursor: q.cursor } : {}) }));
  },
  'GET /ops/failed': async (event) => {
    requireGroup(callerOf(event), 'ops');
    const q = checkOr400(FailedShape, query(event), 'query');
    return json(200, await failedPage(deps, { limit: q.limit ?? 25, ...(q.cursor ? { cursor: q.cursor } : {}) }));
  },
  'GET /ops/pipeline': async (event) => {
    requireGroup(callerOf(event), 'ops');
    const q = checkOr400(PipelineShape, query(event), 'query');
    return json(200, await pipeline(deps, { days: q.days ?? 30, now: systemClock.now() }));
  },
});

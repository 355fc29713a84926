/**
 * Operations reads (JWT, group `ops`), served by the Ops function beside its original routes (functions/http/ops.ts):
 * an application's execution story, stuck and failed applications, the pipeline. Thin: parse, call the use case.
 */
import { systemClock } from '../adapters/clock.ts';
import type { ApplicationRepository } from '../adapters/dynamo/applications.ts';
import type { PartnerRepository } from '../adapters/dynamo/partners.ts';
import { PipelineStats } from '../adapters/dynamo/pipeline-stats.ts';
import { NotFoundError } from '../core/errors.ts';
import { applicationStory, failedPage, pipeline, stuckPage, type InsightDeps } from '../usecases/ops-insights.ts';
import { FailedShape, PipelineShape, StoryShape, StuckShape } from '../core/request-shapes.ts';
import { applicationIdParameter, callerOf, checkOr400, json, requireGroup, type HttpEvent, type HttpResult } from './middleware.ts';

export function insightRoutes(config: { TABLE_NAME: string; STATE_MACHINE_ARN: string }, applications: ApplicationRepository, partners: PartnerRepository): Record<string, (event: HttpEvent) => Promise<HttpResult>> {
  const deps: InsightDeps = { applications, partners, stats: new PipelineStats(config.TABLE_NAME), stateMachineArn: config.STATE_MACHINE_ARN };
  const query = (event: HttpEvent) => event.queryStringParameters ?? {};
  return {
    'GET /ops/applications/{id}/story': async (event) => {
      requireGroup(callerOf(event), 'ops');
      const id = applicationIdParameter(event);
      const q = checkOr400(StoryShape, query(event), 'query');
      const app = await applications.get(id);
      if (!app) throw new NotFoundError(`Application ${id} not found`);
      return json(200, await applicationStory(deps, app, { raw: q.raw === '1' || q.raw === 'true', now: systemClock.now() }));
    },
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
  };
}

/**
 * An application's execution story for operations (issue 9, `GET /ops/applications/{id}/story`): every execution it
 * had, read from Step Functions itself (no Scan). Apart from ./ops-insights.ts so the stuck, failed and pipeline reads
 * load no Step Functions client (issue 11 §1: they are a function of their own, functions/http/ops-insights.ts).
 */
import type { Application } from '../../schemas/application.ts';
import { readExecution } from '../adapters/execution-history.ts';
import { executionArnFor } from '../adapters/workflow-engine.ts';
import { redactTokens, tellStory } from '../core/operations/story.ts';
import { executionNamesOf } from '../core/operations/actions.ts';

export interface StoryDeps {
  readonly stateMachineArn: string;
}

/** Every execution the application had (the first, then one per operations restart), newest first, as stories. */
export async function applicationStory(deps: StoryDeps, app: Application, opts: { raw: boolean; now: Date }) {
  const arns = executionNamesOf(app).map((name) => executionArnFor(deps.stateMachineArn, name)).reverse();
  const executions = [];
  let rawEvents: unknown[] | undefined;
  for (const arn of arns) {
    const read = await readExecution(arn);
    if (!read) continue;
    executions.push(tellStory(read.execution, read.events, opts.now));
    if (opts.raw && rawEvents === undefined) rawEvents = read.events.map(redactTokens);
  }
  return { applicationId: app.id, status: app.status, executions, ...(opts.raw ? { rawEvents: rawEvents ?? [] } : {}) };
}

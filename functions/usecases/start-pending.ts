/**
 * The start sweep (the StartPending task, EventBridge Scheduler every few minutes; locally the same schedule on the
 * movable clock): the outbox of intake. Intake stores the application (`submitted`, no `executionArn`) and then starts
 * its workflow; a crash between the two leaves it stored and unstarted. The operations index already lists
 * applications by status, oldest first, so `submitted` is the outbox: every one without an execution, older than a
 * short grace period (its intake may still be running), is started. StartExecution is named after the application, so
 * starting one twice (the intake finished after all, or two sweeps overlap) is harmless; the arn is then recorded.
 * A revision also passes through `submitted`, but with its execution recorded: it is left alone.
 */
import type { ApplicationRepository } from '../adapters/dynamo/applications.ts';
import { listByStatus } from '../adapters/dynamo/applications-lists.ts';
import { setExecutionArn } from '../adapters/dynamo/applications-tasks.ts';
import { logger } from '../adapters/observability.ts';
import type { Clock } from '../core/clock.ts';

export interface StartPendingDeps {
  readonly applications: Pick<ApplicationRepository, 'tableName'>;
  readonly clock: Clock;
  readonly startWorkflow: (applicationId: string) => Promise<{ executionArn: string; alreadyStarted: boolean }>;
}

/** An application stored this recently may still be in its intake request. */
export const START_GRACE_MS = 60_000;
const PAGE = 100;
const MAX_PAGES = 20;

export async function startPending(deps: StartPendingDeps): Promise<{ checked: number; started: number; failed: number }> {
  const now = deps.clock.now();
  let cursor: string | undefined;
  let checked = 0;
  let started = 0;
  let failed = 0;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const out = await listByStatus(deps.applications, 'submitted', { limit: PAGE, ...(cursor ? { cursor } : {}) });
    for (const app of out.items) {
      checked += 1;
      if (app.summary.executionArn || now.getTime() - Date.parse(app.updatedAt) < START_GRACE_MS) continue;
      try {
        const { executionArn } = await deps.startWorkflow(app.id);
        await setExecutionArn(deps.applications, app.id, executionArn);
        started += 1;
        logger.warn('Started the workflow of an application its intake left unstarted', { applicationId: app.id });
      } catch (error) {
        failed += 1;
        logger.error('Could not start a pending application', { applicationId: app.id, error: error as Error });
      }
    }
    cursor = out.cursor;
    if (!cursor) break;
  }
  // Fail the run when any start failed, so Scheduler retries it (everything here is idempotent).
  if (failed > 0) throw new Error(`StartPending: ${failed} of ${checked} pending application(s) could not be started`);
  return { checked, started, failed };
}

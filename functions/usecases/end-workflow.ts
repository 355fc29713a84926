/**
 * Step 4 of a human step that ends the workflow (the founder's withdrawal, a cancellation by operations): a waiting
 * task is failed with `ChangedWhileWaiting`, which every wait catches into NotifyChange (so founder and partner are
 * mailed) and then ends; only when nothing is waiting (the workflow is between tasks) is the execution stopped
 * outright. Its own module so that only the functions whose steps end a workflow (Founder, OpsActions) carry it:
 * ./run-command.ts runs it when a step's deps name it (issue 11 §1).
 */
import type { Application } from '../../schemas/application.ts';
import { logger } from '../adapters/observability.ts';
import { executionArnFor, failTask, stopExecution } from '../adapters/workflow-engine.ts';
import { TASK_TOKEN_KINDS, type Effects } from '../core/application/commands.ts';
import { latestToken, type CommandDeps } from './run-command.ts';

export type EndWorkflow = (deps: CommandDeps, app: Application, stop: NonNullable<Effects['stopExecution']>, now: Date) => Promise<void>;

export const endWorkflow: EndWorkflow = async (deps, app, stop, now) => {
  const waiting = await latestToken(deps, app.id, Object.values(TASK_TOKEN_KINDS), now);
  if (waiting && (await failTask(waiting.token, 'ChangedWhileWaiting', stop.cause)) === 'delivered') {
    logger.info('Waiting task told the application changed', { reason: stop.error });
    return;
  }
  const arn = app.executionArn ?? executionArnFor(deps.stateMachineArn, app.id);
  const result = await stopExecution(arn, stop.error, stop.cause);
  logger.info('Execution stopped', { result });
};

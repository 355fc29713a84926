/** StartPending (every 5 minutes, EventBridge Scheduler): wires functions/usecases/start-pending.ts. */
import { systemClock } from '../adapters/clock.ts';
import { readConfig } from '../adapters/config.ts';
import { ApplicationRepository } from '../adapters/dynamo/applications.ts';
import { startApplicationWorkflow } from '../adapters/workflow-engine.ts';
import { startPending } from '../usecases/start-pending.ts';
import { object, optional, text } from '../core/input-shape.ts';
import { workflowTask } from './task.ts';

const config = readConfig(['TABLE_NAME', 'STATE_MACHINE_ARN']);
const deps = {
  applications: new ApplicationRepository(config.TABLE_NAME),
  clock: systemClock,
  startWorkflow: (id: string) => startApplicationWorkflow(config.STATE_MACHINE_ARN, id),
};

export const StartPendingInput = object({ sweep: optional(text()) });

export const handler = workflowTask('StartPending', StartPendingInput, () => startPending(deps));

/** CheckStanding: reports which step the application is at (read only); the WhereNext choice goes there. */
import { readConfig } from '../adapters/config.ts';
import { ApplicationRepository } from '../adapters/dynamo/applications.ts';
import { nextStage } from '../core/application/standing.ts';
import { ApplicationTaskInput, workflowTask } from './task.ts';

const config = readConfig(['TABLE_NAME']);
const applications = new ApplicationRepository(config.TABLE_NAME);

export const handler = workflowTask('CheckStanding', ApplicationTaskInput, async ({ applicationId }) => {
  const app = await applications.mustGet(applicationId);
  return { applicationId, status: app.status, stage: nextStage(app) };
});

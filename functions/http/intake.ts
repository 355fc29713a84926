/**
 * Public intake: `POST /worksheets` stores an application and starts its workflow. (The sizing engine without
 * saving, `POST /estimates`, is its own function, so this hot path does not carry the forecast code.)
 */
import { systemClock } from '../adapters/clock.ts';
import { readConfig } from '../adapters/config.ts';
import { ApplicationRepository } from '../adapters/dynamo/applications.ts';
import { LimitRepository } from '../adapters/dynamo/limits.ts';
import { startApplicationWorkflow } from '../adapters/workflow-engine.ts';
import { ValidationError } from '../core/errors.ts';
import { IDEMPOTENCY_KEY_PATTERN } from '../core/intake.ts';
import { logger } from '../adapters/observability.ts';
import { WORKSHEET_ACCEPTED_LOG } from '../core/intake-metrics.ts';
import { submitWorksheet as submit, type IntakeDeps } from '../usecases/submit-worksheet.ts';
import { readIntakeLimits } from '../wiring/intake-settings.ts';
import { header, httpHandler, json, type HttpEvent } from './middleware.ts';
import { parseWorksheet } from './worksheet-input.ts';

const config = readConfig(['TABLE_NAME', 'STATE_MACHINE_ARN']);
const deps: IntakeDeps = {
  applications: new ApplicationRepository(config.TABLE_NAME),
  limits: new LimitRepository(config.TABLE_NAME),
  settings: readIntakeLimits(),
  clock: systemClock,
  startWorkflow: (id) => startApplicationWorkflow(config.STATE_MACHINE_ARN, id),
};

async function submitWorksheet(event: HttpEvent) {
  const idempotencyKey = header(event, 'idempotency-key');
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(idempotencyKey)) {
    throw new ValidationError([{ field: 'Idempotency-Key (header)', rule: 'must be 8-128 characters of A-Z a-z 0-9 . _ : -' }]);
  }
  const worksheet = parseWorksheet(event);
  const result = await submit(deps, worksheet, idempotencyKey, event.requestContext.http.sourceIp);
  const id = result.applicationId;
  logger.appendKeys({ applicationId: id });
  // Also the count: CloudWatch Logs metric filters turn this line into WorksheetsAccepted / WorksheetReplays
  // (functions/core/intake-metrics.ts), so this function carries no metrics library.
  logger.info(WORKSHEET_ACCEPTED_LOG, { replayed: result.replayed, alreadyStarted: result.alreadyStarted });

  return json(202, {
    applicationId: id,
    status: result.status,
    founderToken: result.founderToken,
    replayed: result.replayed,
    links: { application: `/applications/${id}`, openapi: '/openapi.json' },
  }, { location: `/applications/${id}` });
}

export const handler = httpHandler({
  'POST /worksheets': submitWorksheet,
});

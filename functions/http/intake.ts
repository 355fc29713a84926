/**
 * Public intake: `POST /worksheets` stores an application and starts its workflow. (The sizing engine without
 * saving, `POST /estimates`, is its own function, so this hot path does not carry the forecast code.)
 */
import { systemClock } from '../adapters/clock.ts';
import { readConfig } from '../adapters/config.ts';
import { ApplicationRepository } from '../adapters/dynamo/applications.ts';
import { startApplicationWorkflow } from '../adapters/workflow-engine.ts';
import { IdempotencyKeyReusedError, ValidationError } from '../core/errors.ts';
import { dedupeValues } from '../core/dedupe.ts';
import {
  applicationIdFor, IDEMPOTENCY_KEY_PATTERN, newApplication, newFounderToken, requestHashOf,
} from '../core/intake.ts';
import { logger } from '../adapters/observability.ts';
import { metrics, MetricUnit } from '../adapters/metrics.ts';
import { header, httpHandler, json, type HttpEvent } from './middleware.ts';
import { parseWorksheet } from './worksheet-input.ts';

const config = readConfig(['TABLE_NAME', 'STATE_MACHINE_ARN']);
const applications = new ApplicationRepository(config.TABLE_NAME);

async function submitWorksheet(event: HttpEvent) {
  const idempotencyKey = header(event, 'idempotency-key');
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(idempotencyKey)) {
    throw new ValidationError([{ field: 'Idempotency-Key (header)', rule: 'must be 8-128 characters of A-Z a-z 0-9 . _ : -' }]);
  }
  const worksheet = parseWorksheet(event);
  const now = systemClock.now();
  const id = applicationIdFor(idempotencyKey);
  const { token, hash } = newFounderToken();
  logger.appendKeys({ applicationId: id });

  // A repeated key is answered from what is stored (read once), and writes nothing before its worksheet is known to
  // match. Without a key every request is a new application.
  let existing = idempotencyKey ? await applications.get(id) : undefined;
  let created = false;
  if (!existing) {
    // The likely-duplicate index items first (idempotent puts): a crash then never leaves an application without them.
    await applications.putDedupeItems(id, dedupeValues(worksheet), now);
    created = await applications.create(newApplication({ id, worksheet, tokenHash: hash, now }));
    if (!created) existing = await applications.mustGet(id); // a concurrent first attempt won the put
  }
  if (existing) {
    if (existing.requestHash !== requestHashOf(worksheet)) {
      throw new IdempotencyKeyReusedError('This Idempotency-Key was already used with a different worksheet; use a new key for a new submission');
    }
    // Same key, same worksheet: the same application. Its tokens are stored only as hashes, so the
    // replay gets a new token for the same application rather than a copy of the first one; every token handed out
    // keeps working, so past the cap a replay is refused (409) rather than invalidating one already given.
    await applications.addFounderTokenHash(id, hash);
  }
  // Starting is idempotent (the execution is named after the application), so a replay also repairs a
  // first attempt that stored the application but failed to start its workflow.
  const { executionArn, alreadyStarted } = await startApplicationWorkflow(config.STATE_MACHINE_ARN, id);
  if (!alreadyStarted) await applications.setExecutionArn(id, executionArn);
  logger.info('Worksheet accepted', { replayed: !created, alreadyStarted });
  metrics.addMetric(created ? 'WorksheetsAccepted' : 'WorksheetReplays', MetricUnit.Count, 1);
  metrics.publishStoredMetrics();

  return json(202, {
    applicationId: id,
    status: existing?.status ?? 'submitted',
    founderToken: token,
    replayed: !created,
    links: { application: `/applications/${id}`, openapi: '/openapi.json' },
  }, { location: `/applications/${id}` });
}

export const handler = httpHandler({
  'POST /worksheets': submitWorksheet,
});

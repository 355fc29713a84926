/**
 * One Logger per function, named after the service (Powertools Logger: structured JSON lines, the Lambda context and
 * cold start on every line, log level from the function's settings). Correlation ids (application id, task name) are
 * appended as keys by the handlers; no personal data (emails, account ids) is ever logged.
 * Metrics live in ./metrics.ts so functions that emit none do not carry the Metrics library.
 *
 * Kept over a hand-written logger on purpose: issue 11's cold-start measurement put Powertools Logger and Metrics at
 * about 30 KB of each bundle (README, "Benchmarks"); the maintained library's line shape, level handling and
 * correlation are worth that to us.
 */
import { Logger } from '@aws-lambda-powertools/logger';

export { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'ace-filing' });

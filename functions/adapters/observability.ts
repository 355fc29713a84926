/**
 * One Logger per function, named after the service. Correlation ids (application id, task name) are
 * appended as keys by the handlers; no personal data (emails, account ids) is ever logged.
 * Metrics live in ./metrics.ts so functions that emit none do not carry the Metrics library.
 */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'ace-filing' });

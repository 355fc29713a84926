/**
 * One Logger and one Metrics instance per function, sharing the service name. Correlation ids
 * (application id, execution ARN) are appended as persistent keys by the handlers; no personal data
 * (emails, account ids) is ever logged.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'ace-filing';

export const logger = new Logger({ serviceName });
export const metrics = new Metrics({ serviceName, namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'AceFiling' });

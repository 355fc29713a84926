/** Business metrics (CloudWatch embedded metric format); service name and namespace from the function's environment. */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export const metrics = new Metrics({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'ace-filing',
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'AceFiling',
});
export { MetricUnit };

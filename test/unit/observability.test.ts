// The house logger and metrics (functions/adapters/observability.ts, metrics.ts): Powertools' line shapes at a
// fraction of the cold start. What the log pipeline and CloudWatch read from a line is asserted here.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Context } from 'aws-lambda';
import { injectLambdaContext, Logger } from '../../functions/adapters/observability.ts';
import { Metrics, MetricUnit } from '../../functions/adapters/metrics.ts';

let lines: string[];
beforeEach(() => {
  lines = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  delete process.env.AWS_LAMBDA_LOG_LEVEL;
});

const context = { functionName: 'fn', awsRequestId: 'req-1', invokedFunctionArn: 'arn:aws:lambda:us-east-1:1:function:fn', memoryLimitInMB: '512' } as Context;
const parsed = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

describe('logger', () => {
  it('writes one JSON line with the level, message, service, Lambda context and appended keys', () => {
    process.env.AWS_LAMBDA_LOG_LEVEL = 'INFO';
    const logger = new Logger({ serviceName: 'svc' });
    injectLambdaContext(logger, { resetKeys: true }).before({ context });
    logger.appendKeys({ applicationId: 'app_1' });
    logger.info('hello', { n: 2 });
    expect(lines).toHaveLength(1);
    expect(lines[0]?.endsWith('\n')).toBe(true);
    expect(parsed()[0]).toMatchObject({
      level: 'INFO', message: 'hello', service: 'svc', function_name: 'fn', function_request_id: 'req-1',
      function_memory_size: 512, applicationId: 'app_1', n: 2,
    });
    expect(typeof parsed()[0]?.timestamp).toBe('string');
  });

  it('drops lines below the level and resets appended keys for the next invocation', () => {
    process.env.AWS_LAMBDA_LOG_LEVEL = 'WARN';
    const logger = new Logger({ serviceName: 'svc' });
    const middleware = injectLambdaContext(logger, { resetKeys: true });
    middleware.before({ context });
    logger.appendKeys({ applicationId: 'app_1' });
    logger.info('quiet');
    middleware.before({ context: { ...context, awsRequestId: 'req-2' } });
    logger.warn('loud');
    expect(parsed()).toHaveLength(1);
    expect(parsed()[0]).toMatchObject({ level: 'WARN', message: 'loud', function_request_id: 'req-2' });
    expect(parsed()[0]?.applicationId).toBeUndefined();
  });

  it('serializes an error with its name, message and stack', () => {
    process.env.AWS_LAMBDA_LOG_LEVEL = 'ERROR';
    const logger = new Logger({ serviceName: 'svc' });
    logger.error('failed', { error: new TypeError('bad thing') });
    const error = parsed()[0]?.error as Record<string, unknown>;
    expect(error).toMatchObject({ name: 'TypeError', message: 'bad thing' });
    expect(String(error.stack)).toContain('bad thing');
  });
});

describe('metrics (embedded metric format)', () => {
  it('publishes the stored metrics as one EMF document, then nothing until more are added', () => {
    const previous = process.env.POWERTOOLS_METRICS_DISABLED;
    process.env.POWERTOOLS_METRICS_DISABLED = 'false';
    try {
      const metrics = new Metrics({ serviceName: 'svc', namespace: 'Ns' });
      metrics.addMetric('Accepted', MetricUnit.Count, 1);
      metrics.addMetric('Accepted', MetricUnit.Count, 1);
      metrics.addMetric('Usd', MetricUnit.NoUnit, 12.5);
      metrics.publishStoredMetrics();
      metrics.publishStoredMetrics();
      expect(parsed()).toHaveLength(1);
      const doc = parsed()[0] as { _aws: { CloudWatchMetrics: unknown[]; Timestamp: number } } & Record<string, unknown>;
      expect(doc._aws.CloudWatchMetrics).toEqual([{ Namespace: 'Ns', Dimensions: [['service']], Metrics: [{ Name: 'Accepted', Unit: 'Count' }, { Name: 'Usd', Unit: 'None' }] }]);
      expect(doc).toMatchObject({ service: 'svc', Accepted: [1, 1], Usd: 12.5 });
      expect(typeof doc._aws.Timestamp).toBe('number');
    } finally {
      process.env.POWERTOOLS_METRICS_DISABLED = previous;
    }
  });

  it('writes nothing when disabled (the tests and the local benchmarks)', () => {
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    const metrics = new Metrics({ serviceName: 'svc', namespace: 'Ns' });
    metrics.addMetric('Accepted', MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
    expect(lines).toEqual([]);
  });
});

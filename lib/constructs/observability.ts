/**
 * Observability: alarms on what needs a human (workflow executions failed / timed out / throttled, Lambda errors and
 * throttles per function, DynamoDB throttling, API 5xx, messages in a dead-letter queue, stuck work), an SNS topic they notify (TLS enforced), and a dashboard.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { BUSINESS_METRICS } from '../../functions/core/operations/pipeline.ts';
import { STUCK_METRICS } from '../../functions/core/operations/stuck.ts';
import { METRICS_NAMESPACE, SERVICE_NAME } from './house-function.ts';

export interface ObservabilityProps {
  readonly stateMachine: sfn.StateMachine;
  /** Functions by a short, stable name used in alarm ids. */
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
  readonly table: dynamodb.Table;
  readonly httpApi: apigwv2.HttpApi;
  /** Optional address subscribed to the alarm topic. */
  readonly alarmEmail?: string;
  /**
   * Functions whose errors are part of a designed path, not a fault (AwaitHumanStep fails with ChangedWhileWaiting to hand
   * a change that raced its token over to NotifyChange). They get no error alarm; a real fault there still ends in the
   * workflow's failure path, which the ExecutionsFailed alarm reports.
   */
  readonly errorsAreControlFlow?: readonly string[];
  /** Dead-letter queues by a short name: any message in one is an event nobody processed (alarm on depth >= 1). */
  readonly deadLetterQueues?: Readonly<Record<string, sqs.IQueue>>;
}

export class Observability extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'AlarmTopic', { displayName: 'ace-filing alarms', enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    // No KMS key on the topic: alarm notifications carry alarm names and metric values only, and CloudWatch cannot
    // publish to a topic encrypted with the AWS managed aws/sns key (a customer managed key would add cost for nothing).

    const fiveMinutes = Duration.minutes(5);
    const sm = props.stateMachine;
    for (const [name, queue] of Object.entries(props.deadLetterQueues ?? {})) {
      this.alarm(`${name}DeadLetters`, queue.metricApproximateNumberOfMessagesVisible({ period: fiveMinutes, statistic: 'Maximum' }),
        `${name}: events in the dead-letter queue (delivery failed after every retry); redrive them once the cause is fixed.`);
    }
    this.alarm('ExecutionsFailed', sm.metricFailed({ period: fiveMinutes, statistic: 'Sum' }), 'Workflow executions failed (application marked failed).');
    this.alarm('ExecutionsTimedOut', sm.metricTimedOut({ period: fiveMinutes, statistic: 'Sum' }), 'Workflow executions timed out.');
    this.alarm('ExecutionsThrottled', sm.metricThrottled({ period: fiveMinutes, statistic: 'Sum' }), 'Workflow state transitions throttled.');

    for (const [name, fn] of Object.entries(props.functions)) {
      if (!props.errorsAreControlFlow?.includes(name)) {
        this.alarm(`${name}Errors`, fn.metricErrors({ period: fiveMinutes, statistic: 'Sum' }), `Lambda ${name}: errors.`);
      }
      this.alarm(`${name}Throttles`, fn.metricThrottles({ period: fiveMinutes, statistic: 'Sum' }), `Lambda ${name}: throttles.`);
    }

    const tableThrottles = new cloudwatch.MathExpression({
      expression: 'reads + writes',
      usingMetrics: {
        reads: props.table.metric('ReadThrottleEvents', { period: fiveMinutes, statistic: 'Sum' }),
        writes: props.table.metric('WriteThrottleEvents', { period: fiveMinutes, statistic: 'Sum' }),
      },
      label: 'Table throttle events',
      period: fiveMinutes,
    });
    this.alarm('TableThrottles', tableThrottles, 'DynamoDB table read/write throttle events.');

    const api5xx = props.httpApi.metricServerError({ period: fiveMinutes, statistic: 'Sum' });
    this.alarm('Api5xx', api5xx, 'HTTP API answered 5xx.');

    // Stuck work, not only failures: the hourly count (functions/workflow/ops-sweep.ts) of applications past their
    // status's threshold (data/stuck-thresholds.json), escalated ones included.
    const stuck = stuckMetric(STUCK_METRICS.stuck);
    const escalated = stuckMetric(STUCK_METRICS.escalated);
    this.alarm('StuckWork', stuck, 'Applications past their status threshold (GET /ops/stuck lists them with why and what would unstick them; escalated ones ran out of reminders).');

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `${Stack.of(this).stackName}-overview`,
      widgets: [
        [
          new cloudwatch.GraphWidget({
            title: 'Workflow executions',
            left: [sm.metricStarted(), sm.metricSucceeded(), sm.metricFailed(), sm.metricTimedOut()],
            width: 12,
          }),
          new cloudwatch.GraphWidget({
            title: 'API requests and errors',
            left: [props.httpApi.metricCount(), props.httpApi.metricClientError(), api5xx],
            width: 12,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Lambda errors',
            left: Object.entries(props.functions).map(([name, fn]) => fn.metricErrors({ label: name })),
            width: 12,
          }),
          new cloudwatch.GraphWidget({
            title: 'Lambda duration p90',
            left: Object.entries(props.functions).map(([name, fn]) => fn.metricDuration({ label: name, statistic: 'p90' })),
            width: 12,
          }),
        ],
        [new cloudwatch.GraphWidget({ title: 'DynamoDB throttles', left: [tableThrottles], width: 12 })],
        // Business metrics (Powertools Metrics, read off the pipeline counters and emitted hourly by the OpsSweep: functions/adapters/dynamo/pipeline-stats.ts).
        [
          new cloudwatch.GraphWidget({
            title: 'Pipeline: submitted, routed, filed, approved, rejected, credits applied, redrives',
            left: BUSINESS_METRICS.filter((m) => m !== 'CreditsAppliedUsd').map((m) => businessMetric(m)),
            width: 12,
          }),
          new cloudwatch.GraphWidget({ title: 'Credits applied (USD)', left: [businessMetric('CreditsAppliedUsd')], width: 12 }),
        ],
        [new cloudwatch.GraphWidget({ title: 'Stuck and escalated applications (hourly count)', left: [stuck, escalated], width: 12 })],
      ],
    });
  }

  private alarm(id: string, metric: cloudwatch.IMetric, description: string): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}

/** A stuck-count metric (a level, not a flow): the largest value published in the hour. */
export function stuckMetric(name: string): cloudwatch.Metric {
  return new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, metricName: name, dimensionsMap: { service: SERVICE_NAME }, statistic: 'Maximum', period: Duration.hours(1), label: name });
}

/** A business metric as Powertools Metrics publish it (namespace, `service` dimension), summed per hour. */
export function businessMetric(name: string): cloudwatch.Metric {
  return new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, metricName: name, dimensionsMap: { service: SERVICE_NAME }, statistic: 'Sum', period: Duration.hours(1), label: name });
}

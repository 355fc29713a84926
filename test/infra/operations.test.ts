/**
 * Infra: operations (issue 9) on the synthesized stack (cdk-nag on: synthesis throws on an unacknowledged finding).
 * The board is hosted by an API route answering a static page; the business metrics are on the dashboard.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { BUSINESS_METRICS } from '../../functions/core/operations/pipeline.ts';
import type { CfnTemplate } from '../../lib/template.ts';
import { devTemplate, functionIdByEntry, functionProps, resourcesOfType } from './support.ts';

let t: CfnTemplate;
beforeAll(() => {
  t = devTemplate();
});

describe('the operations board hosting', () => {
  it('is one public GET /ops/board route on the HTTP API, integrated with a function that has no data grants', () => {
    const routes = resourcesOfType(t, 'AWS::ApiGatewayV2::Route').filter(([, r]) => r.RouteKey === 'GET /ops/board');
    expect(routes).toHaveLength(1);
    expect(routes[0]![1].AuthorizationType).toBe('NONE');
    const integrationId = JSON.stringify(routes[0]![1].Target).match(/"Ref":"([^"]+)"/)?.[1] ?? '';
    const integration = t.Resources[integrationId]!.Properties as { IntegrationUri: { 'Fn::GetAtt': [string, string] } };
    const fnId = integration.IntegrationUri['Fn::GetAtt'][0];
    const fn = t.Resources[fnId]!;
    expect(fn.Metadata?.['ace-filing:entry']).toBe('functions/http/ops-board.ts');
    const role = (fn.Properties as { Role: { 'Fn::GetAtt': [string, string] } }).Role['Fn::GetAtt'][0];
    const statements = resourcesOfType(t, 'AWS::IAM::Policy')
      .filter(([, p]) => JSON.stringify(p.Roles).includes(role))
      .flatMap(([, p]) => (p.PolicyDocument as { Statement: { Action: string | string[] }[] }).Statement.flatMap((s) => [s.Action].flat()));
    expect(statements.filter((a) => !/^(logs|xray):/.test(a))).toEqual([]);
  });

  it('the action routes go through the JWT authorizer to their own function', () => {
    const actions = resourcesOfType(t, 'AWS::ApiGatewayV2::Route').filter(([, r]) => /^POST \/ops\//.test(String(r.RouteKey)));
    expect(actions.map(([, r]) => r.RouteKey).sort()).toEqual(['cancel', 'nudge', 'reassign', 'redrive'].map((a) => `POST /ops/applications/{id}/${a}`));
    for (const [, r] of actions) expect(r.AuthorizationType).toBe('JWT');
  });
});

describe('business metrics', () => {
  it('are on the dashboard beside the technical widgets, from the AceFiling namespace with the service dimension', () => {
    const [, dashboard] = resourcesOfType(t, 'AWS::CloudWatch::Dashboard')[0]!;
    const body = JSON.stringify(dashboard.DashboardBody);
    for (const name of BUSINESS_METRICS) expect(body, name).toContain(`\\"AceFiling\\",\\"${name}\\",\\"service\\",\\"ace-filing\\"`);
    expect(body).toContain('Lambda errors');
  });
});

describe('stuck work', () => {
  it('is counted hourly by a scheduled function (the operations sweep) that publishes StuckApplications', () => {
    const fnId = functionIdByEntry(t, 'functions/workflow/ops-sweep.ts');
    const schedules = resourcesOfType(t, 'AWS::Scheduler::Schedule').filter(([, s]) => JSON.stringify(s.Target).includes(fnId));
    expect(schedules.map(([, s]) => s.ScheduleExpression)).toEqual(['rate(1 hour)']);
    const role = (functionProps(t, fnId).Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const actions = resourcesOfType(t, 'AWS::IAM::Policy')
      .filter(([, p]) => JSON.stringify(p.Roles).includes(role))
      .flatMap(([, p]) => (p.PolicyDocument as { Statement: { Action: string | string[] }[] }).Statement.flatMap((s) => [s.Action].flat()));
    expect(actions).toContain('dynamodb:Query');
    expect(actions.filter((a) => /^(states|ses):/.test(a))).toEqual([]);
  });

  it('has an alarm on StuckApplications (>= 1 in the hour) notifying the alarm topic, and is on the dashboard', () => {
    const metricOf = (a: Record<string, unknown>) => (a.Metrics as Array<{ MetricStat?: { Metric: { MetricName: string }; Period: number; Stat: string } }> | undefined)?.[0]?.MetricStat;
    const alarms = resourcesOfType(t, 'AWS::CloudWatch::Alarm').filter(([, a]) => metricOf(a)?.Metric.MetricName === 'StuckApplications');
    expect(alarms).toHaveLength(1);
    expect(alarms[0]![1]).toMatchObject({ Threshold: 1, EvaluationPeriods: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    expect(metricOf(alarms[0]![1])).toEqual({
      Metric: { MetricName: 'StuckApplications', Namespace: 'AceFiling', Dimensions: [{ Name: 'service', Value: 'ace-filing' }] }, Period: 3600, Stat: 'Maximum',
    });
    expect(JSON.stringify(alarms[0]![1].AlarmActions)).toContain('AlarmTopic');
    const [, dashboard] = resourcesOfType(t, 'AWS::CloudWatch::Dashboard')[0]!;
    expect(JSON.stringify(dashboard.DashboardBody)).toContain('EscalatedApplications');
  });
});

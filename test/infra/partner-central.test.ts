/**
 * Infra: the Partner Central construct on the synthesized stack (cdk-nag on: synthesis throws on an unacknowledged
 * finding). IAM actions and resources of its five functions, the event rule's pattern, the reconciliation schedule,
 * the file-via-api and update-via-api routes behind the JWT authorizer.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { listRoutes, type CfnTemplate } from '../../lib/template.ts';
import { RECONCILE_SCHEDULE } from '../../lib/constructs/partner-central-integration.ts';
import {
  actionsOf, devTemplate, environmentOf, functionIdByEntry, functionProps, mentions, resourcesFor, resourcesOfType, statementsOfFunction,
} from './support.ts';

const ENTRIES = {
  filing: 'functions/http/partner-filing.ts',
  update: 'functions/http/partner-update.ts',
  funding: 'functions/http/partner-funding.ts',
  events: 'functions/events/partner-central-events.ts',
  reconcile: 'functions/events/reconcile.ts',
} as const;

const READ = ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'];
const WRITE = ['dynamodb:PutItem', 'dynamodb:UpdateItem'];
const BASE = ['logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments'];
const TASK_RESPONSE = ['states:SendTaskFailure', 'states:SendTaskHeartbeat', 'states:SendTaskSuccess'];

let t: CfnTemplate;
let ids: Record<keyof typeof ENTRIES, string>;
beforeAll(() => {
  t = devTemplate(); // cdk-nag ran during synthesis: reaching here means every finding is acknowledged
  ids = { filing: functionIdByEntry(t, ENTRIES.filing), update: functionIdByEntry(t, ENTRIES.update), funding: functionIdByEntry(t, ENTRIES.funding), events: functionIdByEntry(t, ENTRIES.events), reconcile: functionIdByEntry(t, ENTRIES.reconcile) };
});

function tableId(): string {
  return resourcesOfType(t, 'AWS::DynamoDB::Table')[0]![0];
}
function stateMachineId(): string {
  return resourcesOfType(t, 'AWS::StepFunctions::StateMachine')[0]![0];
}

describe('Partner Central functions: least privilege', () => {
  it('each may only use the table, answer task tokens and assume partner filing roles (the update: no workflow)', () => {
    for (const key of Object.keys(ENTRIES) as (keyof typeof ENTRIES)[]) {
      const statements = statementsOfFunction(t, ids[key]);
      if (key === 'update') {
        // The change under Action Required records a note and the brief's copy: no transition, no Step Functions.
        expect(actionsOf(statements), key).toEqual([...BASE, ...READ, ...WRITE, 'sts:AssumeRole'].sort());
      } else {
        // StartExecution: a record change on an escalated application (its execution ended) resumes it (run-command.ts).
        expect(actionsOf(statements), key).toEqual([...BASE, ...READ, ...WRITE, ...TASK_RESPONSE, 'states:StartExecution', 'sts:AssumeRole'].sort());
        expect(resourcesFor(statements, 'states:StartExecution'), key).toEqual([{ Ref: stateMachineId() }]);
      }
      for (const action of [...READ, ...WRITE]) {
        for (const r of resourcesFor(statements, action)) expect(mentions(r, tableId()), `${key} ${action}`).toBe(true);
      }
      if (key !== 'update') for (const action of TASK_RESPONSE) expect(resourcesFor(statements, action), `${key} ${action}`).toEqual([{ Ref: stateMachineId() }]);
      expect(resourcesFor(statements, 'sts:AssumeRole'), key).toEqual([
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::*:role/AceFilingPartnerCentral*']] },
      ]);
      expect(statements.some((s) => s.Resource === '*' && (Array.isArray(s.Action) ? s.Action : [s.Action]).some((a) => a.startsWith('sts:'))), key).toBe(false);
      // Never without an external id (confused deputy).
      const assume = statements.find((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]).includes('sts:AssumeRole')) as { Condition?: unknown } | undefined;
      expect(assume?.Condition, key).toEqual({ Null: { 'sts:ExternalId': 'false' } });
    }
  });

  it('get the table, the state machine and the catalog (Sandbox outside production) as configuration', () => {
    for (const key of Object.keys(ENTRIES) as (keyof typeof ENTRIES)[]) {
      const env = environmentOf(t, ids[key]);
      expect(env.ACE_CATALOG, key).toBe('Sandbox');
      expect(mentions(env.TABLE_NAME, tableId()), key).toBe(true);
      if (key === 'update') expect(env.STATE_MACHINE_ARN, key).toBeUndefined();
      else expect(mentions(env.STATE_MACHINE_ARN, stateMachineId()), key).toBe(true);
      // No endpoint override is baked in: only the standard SDK settings (tests set them) choose endpoints.
      expect(Object.keys(env).filter((k) => k.startsWith('AWS_ENDPOINT_URL')), key).toEqual([]);
    }
  });

  it('the reconciliation has time for every partner and page', () => {
    expect(functionProps(t, ids.reconcile).Timeout).toBe(300);
  });
});

describe('Partner Central events and schedule', () => {
  it('a rule on the default bus sends Opportunity Created/Updated from aws.partnercentral-selling to the event function, with retries', () => {
    const rules = resourcesOfType(t, 'AWS::Events::Rule').filter(([, r]) => JSON.stringify(r.EventPattern ?? {}).includes('aws.partnercentral-selling'));
    expect(rules).toHaveLength(1);
    const [, rule] = rules[0]!;
    expect(rule.EventBusName).toBeUndefined(); // the default bus
    expect(rule.EventPattern).toEqual({ source: ['aws.partnercentral-selling'], 'detail-type': ['Opportunity Created', 'Opportunity Updated'] });
    const targets = rule.Targets as Array<{ Arn: unknown; RetryPolicy?: { MaximumRetryAttempts: number } }>;
    expect(targets).toHaveLength(1);
    expect(mentions(targets[0]!.Arn, ids.events)).toBe(true);
    expect(targets[0]!.RetryPolicy?.MaximumRetryAttempts).toBeGreaterThan(0);
    const permissions = resourcesOfType(t, 'AWS::Lambda::Permission').filter(([, p]) => p.Principal === 'events.amazonaws.com' && mentions(p.FunctionName, ids.events));
    expect(permissions).toHaveLength(1);
  });

  it('an event the function cannot take goes to an encrypted, SSL-only dead-letter queue after retries, and its depth raises an alarm', () => {
    const [, rule] = resourcesOfType(t, 'AWS::Events::Rule').find(([, r]) => JSON.stringify(r.EventPattern ?? {}).includes('aws.partnercentral-selling'))!;
    const target = (rule.Targets as Array<{ RetryPolicy?: { MaximumRetryAttempts: number; MaximumEventAgeInSeconds: number }; DeadLetterConfig?: { Arn: unknown } }>)[0]!;
    expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 6 * 3600 });
    const queues = resourcesOfType(t, 'AWS::SQS::Queue');
    expect(queues).toHaveLength(1);
    const [queueId, queue] = queues[0]!;
    expect(target.DeadLetterConfig?.Arn).toEqual({ 'Fn::GetAtt': [queueId, 'Arn'] });
    expect(queue).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 86_400 });
    // SSL only: the queue policy denies any request without TLS; EventBridge (this rule only) may send to it.
    const [, policy] = resourcesOfType(t, 'AWS::SQS::QueuePolicy').find(([, p]) => mentions(p.Queues, queueId))!;
    const statements = (policy.PolicyDocument as { Statement: Array<Record<string, unknown>> }).Statement;
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    const send = statements.find((st) => st.Effect === 'Allow')!;
    expect(send).toMatchObject({ Action: 'sqs:SendMessage', Principal: { Service: 'events.amazonaws.com' } });
    expect(JSON.stringify(send.Condition)).toContain('aws:SourceArn');
    // The alarm: any message visible, to the alarm topic.
    const alarms = resourcesOfType(t, 'AWS::CloudWatch::Alarm').filter(([, a]) => a.MetricName === 'ApproximateNumberOfMessagesVisible');
    expect(alarms).toHaveLength(1);
    const [, alarm] = alarms[0]!;
    expect(alarm).toMatchObject({ Namespace: 'AWS/SQS', Statistic: 'Maximum', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    expect(mentions(alarm.Dimensions, queueId)).toBe(true);
    expect(mentions(alarm.AlarmActions, resourcesOfType(t, 'AWS::SNS::Topic')[0]![0])).toBe(true);
  });

  it('EventBridge Scheduler runs the reconciliation every 30 minutes with its fixed input', () => {
    const schedules = resourcesOfType(t, 'AWS::Scheduler::Schedule').filter(([, s]) => mentions((s.Target as { Arn: unknown }).Arn, ids.reconcile));
    expect(schedules).toHaveLength(1);
    const [, s] = schedules[0]!;
    expect(RECONCILE_SCHEDULE).toBe('rate(30 minutes)');
    expect(s.ScheduleExpression).toBe('rate(30 minutes)');
    expect(JSON.parse((s.Target as { Input: string }).Input)).toEqual({ reconcile: 'partner-central' });
  });
});

describe('the file-via-api route', () => {
  it('is a JWT route integrated with the filing function', () => {
    const routes = listRoutes(t).filter((r) => r.routeKey === 'POST /partner/applications/{id}/briefs/{programId}/file-via-api');
    expect(routes).toHaveLength(1);
    expect(routes[0]!.authorizationType).toBe('JWT');
    expect(routes[0]!.function.logicalId).toBe(ids.filing);
    expect(routes[0]!.function.entry).toBe(ENTRIES.filing);
  });
});

describe('the update-via-api route', () => {
  it('is a JWT route integrated with the update function (its own: the other opportunity routes do not load the opportunity model)', () => {
    const routes = listRoutes(t).filter((r) => r.routeKey === 'POST /partner/applications/{id}/briefs/{programId}/update-via-api');
    expect(routes).toHaveLength(1);
    expect(routes[0]!.authorizationType).toBe('JWT');
    expect(routes[0]!.function.logicalId).toBe(ids.update);
    expect(routes[0]!.function.entry).toBe(ENTRIES.update);
  });
});

describe('the funding routes', () => {
  it('are JWT routes integrated with the funding function (its own: the opportunity routes do not load the Benefits client)', () => {
    const routes = listRoutes(t).filter((r) => r.routeKey.includes('/funding'));
    expect(routes.map((r) => r.routeKey).sort()).toEqual([
      'GET /partner/applications/{id}/briefs/{programId}/funding',
      'PATCH /partner/applications/{id}/briefs/{programId}/funding',
      'POST /partner/applications/{id}/briefs/{programId}/funding/submit-via-api',
    ]);
    for (const r of routes) {
      expect(r.authorizationType, r.routeKey).toBe('JWT');
      expect(r.function.logicalId, r.routeKey).toBe(ids.funding);
    }
  });
});

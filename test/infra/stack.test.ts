/**
 * Infra: assertions of intent on the synthesized stack (the same app `cdk synth` builds, bundling skipped, cdk-nag on).
 * IAM actions and resources per function, environment wiring, handler modules that exist, the table's key design,
 * logging, tracing, the API's routes and authorizer, and cdk-nag.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app.ts';
import { HOUSE_RUNTIME, PROJECT_ROOT } from '../../lib/constructs/house-function.ts';
import { cdkJsonContext, listFunctions, listRoutes, type CfnTemplate } from '../../lib/template.ts';
import { DEFAULT_CONTEXT, readAppConfig } from '../../lib/config.ts';
import { INDEXES, projectionOf, TABLE_KEYS, TTL_ATTRIBUTE } from '../../functions/adapters/dynamo/keys.ts';
import {
  actionsOf,
  devTemplate,
  environmentOf,
  functionIdByEntry,
  functionProps,
  mentions,
  resourcesFor,
  resourcesOfType,
  statementsOfFunction,
  statementsOfRole,
  template,
  type Statement,
} from './support.ts';

const ENTRIES = {
  intake: 'functions/http/intake.ts',
  estimates: 'functions/http/estimates.ts',
  founder: 'functions/http/founder.ts',
  founderRevise: 'functions/http/founder-revise.ts',
  confirmEmailPage: 'functions/http/confirm-email-page.ts',
  partner: 'functions/http/partner.ts',
  partnerBriefs: 'functions/http/partner-briefs.ts',
  partnerApprove: 'functions/http/partner-approve.ts',
  partnerRecords: 'functions/http/partner-records.ts',
  ops: 'functions/http/ops.ts',
  opsInsights: 'functions/http/ops-insights.ts',
  openApi: 'functions/http/openapi.ts',
  sizeAsk: 'functions/workflow/size.ts',
  estimateAsk: 'functions/workflow/estimate.ts',
  draftBriefs: 'functions/workflow/draft.ts',
  routePartner: 'functions/workflow/route.ts',
  notify: 'functions/workflow/notify.ts',
  awaitHumanStep: 'functions/workflow/await-human-step.ts',
  markFailed: 'functions/workflow/mark-failed.ts',
  unassignPartner: 'functions/workflow/unassign-partner.ts',
  standing: 'functions/workflow/standing.ts',
  expirySweep: 'functions/workflow/expiry-sweep.ts',
  expireUnconfirmed: 'functions/workflow/expire-unconfirmed.ts',
  startPending: 'functions/workflow/start-pending.ts',
  // Partner Central (lib/constructs/partner-central-integration.ts; its own assertions: test/infra/partner-central.test.ts)
  partnerFiling: 'functions/http/partner-filing.ts',
  partnerUpdate: 'functions/http/partner-update.ts',
  partnerFunding: 'functions/http/partner-funding.ts',
  partnerCentralEvents: 'functions/events/partner-central-events.ts',
  partnerCentralReconcile: 'functions/events/reconcile.ts',
  // Operations (lib/constructs/operations.ts, issue 9)
  opsActions: 'functions/http/ops-actions.ts',
  opsNudge: 'functions/http/ops-nudge.ts',
  opsBoard: 'functions/http/ops-board.ts',
  opsSweep: 'functions/workflow/ops-sweep.ts',
} as const;
/**
 * The functions that may send mail: Notify, the expiry sweep (no caller input; see lib/constructs/workflow.ts) and the
 * operations actions (an action's notices go out at once, claimed like Notify's) and the nudge (it resends a reminder).
 */
const SENDERS: readonly FunctionKey[] = ['notify', 'expirySweep', 'opsActions', 'opsNudge'];
type FunctionKey = keyof typeof ENTRIES;

const READ = ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'];
const WRITE = ['dynamodb:PutItem', 'dynamodb:UpdateItem'];
const TASK_RESPONSE = ['states:SendTaskFailure', 'states:SendTaskHeartbeat', 'states:SendTaskSuccess'];
const BASE = ['logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments'];

/** Exactly the actions each function's role may take. */
const EXPECTED_ACTIONS: Record<FunctionKey, string[]> = {
  intake: [...BASE, ...READ, ...WRITE, 'states:StartExecution'],
  estimates: [...BASE],
  founder: [...BASE, ...READ, ...WRITE, ...TASK_RESPONSE, 'states:StopExecution'],
  founderRevise: [...BASE, ...READ, ...WRITE, ...TASK_RESPONSE],
  confirmEmailPage: [...BASE],
  partner: [...BASE, ...READ, ...WRITE, ...TASK_RESPONSE],
  partnerBriefs: [...BASE, ...READ, ...WRITE],
  partnerApprove: [...BASE, ...READ, ...WRITE, ...TASK_RESPONSE, 'states:StartExecution'],
  partnerRecords: [...BASE, ...READ, ...WRITE, ...TASK_RESPONSE, 'states:StartExecution'],
  ops: [...BASE, ...READ, 'states:DescribeExecution', 'states:GetExecutionHistory', 'states:ListExecutions'],
  opsInsights: [...BASE, ...READ],
  openApi: [...BASE],
  sizeAsk: [...BASE, ...READ, ...WRITE],
  // The sizing engine alone: nothing but its logs and traces.
  estimateAsk: [...BASE],
  draftBriefs: [...BASE, ...READ, ...WRITE],
  routePartner: [...BASE, ...READ, ...WRITE],
  notify: [...BASE, ...READ, ...WRITE, 'ses:SendEmail', 'ses:SendRawEmail'],
  awaitHumanStep: [...BASE, ...READ, ...WRITE],
  markFailed: [...BASE, ...READ, ...WRITE],
  unassignPartner: [...BASE, ...READ, ...WRITE],
  standing: [...BASE, ...READ],
  expirySweep: [...BASE, ...READ, ...WRITE, 'ses:SendEmail', 'ses:SendRawEmail'],
  expireUnconfirmed: [...BASE, ...READ, ...WRITE],
  startPending: [...BASE, ...READ, ...WRITE, 'states:StartExecution'],
  partnerFiling: [...BASE, ...READ, ...WRITE, ...TASK_RESPONSE, 'states:StartExecution', 'sts:AssumeRole'],
  // The change under Action Required records a note and the brief's copy: no transition, no workflow.
  partnerUpdate: [...BASE, ...READ, ...WRITE, 'sts:AssumeRole'],
  partnerFunding: [...BASE, ...READ, ...WRITE, ...TASK_RESPONSE, 'states:StartExecution', 'sts:AssumeRole'],
  partnerCentralEvents: [...BASE, ...READ, ...WRITE, ...TASK_RESPONSE, 'states:StartExecution', 'sts:AssumeRole'],
  partnerCentralReconcile: [...BASE, ...READ, ...WRITE, ...TASK_RESPONSE, 'states:StartExecution', 'sts:AssumeRole'],
  opsActions: [...BASE, ...READ, ...WRITE, ...TASK_RESPONSE, 'ses:SendEmail', 'ses:SendRawEmail', 'states:StartExecution', 'states:StopExecution'],
  opsNudge: [...BASE, ...READ, ...WRITE, 'ses:SendEmail', 'ses:SendRawEmail'],
  opsBoard: [...BASE],
  opsSweep: [...BASE, ...READ, ...WRITE],
};

let t: CfnTemplate;
let tpl: Template;
let ids: Record<FunctionKey, string>;
let tableId: string;
let stateMachineId: string;

beforeAll(() => {
  t = devTemplate();
  tpl = Template.fromJSON(t);
  ids = Object.fromEntries(Object.entries(ENTRIES).map(([k, e]) => [k, functionIdByEntry(t, e)])) as Record<FunctionKey, string>;
  tableId = resourcesOfType(t, 'AWS::DynamoDB::Table')[0]![0];
  stateMachineId = resourcesOfType(t, 'AWS::StepFunctions::StateMachine')[0]![0];
});

describe('functions', () => {
  it('are exactly those of docs/CONTRACTS.md, each on the house defaults', () => {
    expect(Object.values(listFunctions(t)).map((f) => f.entry).sort()).toEqual(Object.values(ENTRIES).sort());
    for (const id of Object.values(ids)) {
      const props = functionProps(t, id);
      expect(props.Runtime).toBe(HOUSE_RUNTIME.name);
      expect(props.Architectures).toEqual(['arm64']);
      expect(props.TracingConfig).toEqual({ Mode: 'Active' });
      expect(props.Handler).toBe('index.handler');
      expect(props.LoggingConfig).toMatchObject({ LogFormat: 'JSON', LogGroup: { Ref: expect.any(String) } });
      expect(environmentOf(t, id)).toMatchObject({
        POWERTOOLS_SERVICE_NAME: 'ace-filing',
        POWERTOOLS_METRICS_NAMESPACE: 'AceFiling',
        NODE_OPTIONS: '--enable-source-maps',
      });
    }
  });

  it("every function, house or not, logs in Lambda's JSON format at the house levels (the logger has no library)", () => {
    const functions = resourcesOfType(t, 'AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThanOrEqual(Object.keys(ids).length);
    for (const [id, props] of functions) {
      expect(props.LoggingConfig, id).toMatchObject({ LogFormat: 'JSON', ApplicationLogLevel: 'INFO', SystemLogLevel: 'INFO' });
    }
    // Nothing reads Powertools Logger's settings any more; Metrics still reads its service name and namespace.
    for (const id of Object.values(ids)) {
      expect(Object.keys(environmentOf(t, id)).filter((k) => k.startsWith('POWERTOOLS_')).sort()).toEqual(['POWERTOOLS_METRICS_NAMESPACE', 'POWERTOOLS_SERVICE_NAME']);
    }
  });

  it('name entry modules that exist and export the named handler', () => {
    for (const fn of Object.values(listFunctions(t))) {
      const file = path.join(PROJECT_ROOT, fn.entry);
      expect(existsSync(file), `${fn.entry} exists`).toBe(true);
      const source = readFileSync(file, 'utf8');
      const exported = new RegExp(`export\\s+(const|let|async\\s+function|function)\\s+${fn.handler}\\b`);
      expect(source, `${fn.entry} exports ${fn.handler}`).toMatch(exported);
    }
  });

  it('get every variable their module reads at cold start (readConfig), wired to the right resource', () => {
    for (const fn of Object.values(listFunctions(t))) {
      const source = readFileSync(path.join(PROJECT_ROOT, fn.entry), 'utf8');
      const keys = [...source.matchAll(/readConfig\(\s*\[([^\]]*)\]/g)].flatMap((m) => [...m[1]!.matchAll(/'([A-Z_]+)'/g)].map((k) => k[1]!));
      for (const key of keys) expect(fn.environment, `${fn.entry} needs ${key}`).toHaveProperty(key);
      if ('TABLE_NAME' in fn.environment) expect(fn.environment.TABLE_NAME).toEqual({ Ref: tableId });
      if ('STATE_MACHINE_ARN' in fn.environment) expect(fn.environment.STATE_MACHINE_ARN).toEqual({ Ref: stateMachineId });
    }
  });

  it('only the functions that need them get the table, the workflow and the mail settings', () => {
    const withVar = (name: string) =>
      (Object.keys(ENTRIES) as FunctionKey[]).filter((k) => name in environmentOf(t, ids[k])).sort();
    expect(withVar('TABLE_NAME')).toEqual(['awaitHumanStep', 'draftBriefs', 'expireUnconfirmed', 'expirySweep', 'founder', 'founderRevise', 'intake', 'markFailed', 'notify', 'ops', 'opsActions', 'opsInsights', 'opsNudge', 'opsSweep', 'partner', 'partnerApprove', 'partnerBriefs', 'partnerCentralEvents', 'partnerCentralReconcile', 'partnerFiling', 'partnerFunding', 'partnerRecords', 'partnerUpdate', 'routePartner', 'sizeAsk', 'standing', 'startPending', 'unassignPartner']);
    expect(withVar('STATE_MACHINE_ARN')).toEqual(['founder', 'founderRevise', 'intake', 'ops', 'opsActions', 'partner', 'partnerApprove', 'partnerCentralEvents', 'partnerCentralReconcile', 'partnerFiling', 'partnerFunding', 'partnerRecords', 'startPending']);
    // The intake limits and the confirmation settings come from context (cdk.json), to the functions that use them.
    expect(withVar('MAX_OPEN_APPLICATIONS_PER_ADDRESS')).toEqual(['founder', 'intake']);
    expect(environmentOf(t, ids.intake)).toMatchObject({ MAX_OPEN_APPLICATIONS_PER_ADDRESS: '3', MAX_OPEN_APPLICATIONS_PER_ACCOUNT: '5', WORKSHEETS_PER_SOURCE_PER_DAY: '20' });
    expect(withVar('WORKSHEETS_PER_SOURCE_PER_DAY')).toEqual(['intake']);
    expect(withVar('ADDRESS_CONFIRMATION_HOURS')).toEqual(['expireUnconfirmed', 'founder', 'intake', 'notify']);
    expect(environmentOf(t, ids.notify)).toMatchObject({ ADDRESS_CONFIRMATION_HOURS: '72', CONFIRMATION_RESENDS_PER_APPLICATION: '3' });
    expect(environmentOf(t, ids.founder)).toMatchObject({ CONFIRMATION_RESENDS_PER_ADDRESS_PER_DAY: '5', MAX_OPEN_APPLICATIONS_PER_MAIL_DOMAIN: '10' });
    for (const name of ['SENDER_EMAIL', 'SES_CONFIGURATION_SET', 'OPS_EMAIL']) expect(withVar(name)).toEqual(['expirySweep', 'notify', 'opsActions', 'opsNudge']);
    expect(withVar('ACE_CATALOG')).toEqual(['draftBriefs', 'partnerCentralEvents', 'partnerCentralReconcile', 'partnerFiling', 'partnerFunding', 'partnerUpdate']);
    expect(environmentOf(t, ids.draftBriefs).ACE_CATALOG).toBe('Sandbox');
    expect(environmentOf(t, ids.notify)).toMatchObject({ SENDER_EMAIL: 'no-reply@example.com', OPS_EMAIL: 'ops@example.com' });
    expect(environmentOf(t, ids.notify).SES_CONFIGURATION_SET).toEqual({ Ref: expect.stringMatching(/ConfigurationSet/) });
    expect(mentions(environmentOf(t, ids.notify).PUBLIC_BASE_URL, resourcesOfType(t, 'AWS::ApiGatewayV2::Api')[0]![0])).toBe(true);
  });

  it('each have their own log group with retention', () => {
    for (const id of Object.values(ids)) {
      const logGroupId = (functionProps(t, id).LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(t.Resources[logGroupId]).toMatchObject({ Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 } });
    }
  });
});

describe('IAM', () => {
  it('each function role allows exactly its actions', () => {
    for (const key of Object.keys(ENTRIES) as FunctionKey[]) {
      expect(actionsOf(statementsOfFunction(t, ids[key])), key).toEqual([...EXPECTED_ACTIONS[key]].sort());
    }
  });

  it('grants exactly the DynamoDB calls the repositories make (read from their source)', () => {
    const commandToAction: Record<string, string> = {
      GetCommand: 'dynamodb:GetItem', BatchGetCommand: 'dynamodb:BatchGetItem', QueryCommand: 'dynamodb:Query',
      PutCommand: 'dynamodb:PutItem', UpdateCommand: 'dynamodb:UpdateItem', DeleteCommand: 'dynamodb:DeleteItem',
      ScanCommand: 'dynamodb:Scan', BatchWriteCommand: 'dynamodb:BatchWriteItem', TransactWriteCommand: 'dynamodb:TransactWriteItems',
    };
    const dir = new URL('../../functions/adapters/dynamo/', import.meta.url);
    const used = new Set<string>();
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const source = readFileSync(new URL(file, dir), 'utf8');
      for (const [command, action] of Object.entries(commandToAction)) if (new RegExp(`new ${command}\\(`).test(source)) used.add(action);
    }
    expect([...used].sort()).toEqual([...READ, ...WRITE].sort());
  });

  it('no role uses a managed policy', () => {
    for (const [, role] of resourcesOfType(t, 'AWS::IAM::Role')) expect(role.ManagedPolicyArns).toBeUndefined();
  });

  it('logs go only to the function\'s own log group', () => {
    for (const id of Object.values(ids)) {
      const logGroupId = (functionProps(t, id).LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(resourcesFor(statementsOfFunction(t, id), 'logs:PutLogEvents')).toEqual([{ 'Fn::GetAtt': [logGroupId, 'Arn'] }]);
    }
  });

  it('table access names the table and each of its indexes, never index/*', () => {
    for (const key of Object.keys(ENTRIES) as FunctionKey[]) {
      const resources = resourcesFor(statementsOfFunction(t, ids[key]), 'dynamodb:GetItem');
      if (!EXPECTED_ACTIONS[key].includes('dynamodb:GetItem')) {
        expect(resources, key).toEqual([]);
        continue;
      }
      expect(resources).toHaveLength(1 + Object.keys(INDEXES).length);
      expect(resources[0]).toEqual({ 'Fn::GetAtt': [tableId, 'Arn'] });
      const suffixes = resources.slice(1).map((r) => JSON.stringify(r).match(/"(\/index\/[^"]*)"/)?.[1]);
      expect(suffixes.sort()).toEqual(Object.values(INDEXES).map((i) => `/index/${i.indexName}`).sort());
    }
  });

  it('only Notify and the expiry sweep may send mail, only from the sender identity through the configuration set', () => {
    for (const key of Object.keys(ENTRIES) as FunctionKey[]) {
      const sends = actionsOf(statementsOfFunction(t, ids[key])).filter((a) => a.startsWith('ses:'));
      expect(sends, key).toEqual(SENDERS.includes(key) ? ['ses:SendEmail', 'ses:SendRawEmail'] : []);
    }
    for (const key of SENDERS) {
      const [send] = statementsOfFunction(t, ids[key]).filter((s) => JSON.stringify(s.Action).includes('ses:SendEmail'));
      const resources = JSON.stringify(send!.Resource);
      expect(resources, key).toContain(':identity/');
      expect(resources, key).toContain(':configuration-set/');
      expect(resources, key).not.toContain('"*"');
      expect(send!.Condition, key).toEqual({ StringEquals: { 'ses:FromAddress': 'no-reply@example.com' } });
    }
    // No other role in the stack (state machine, API, scheduler, ...) can send.
    const everyStatement = resourcesOfType(t, 'AWS::IAM::Policy').flatMap(([, p]) => (p.PolicyDocument as { Statement: Statement[] }).Statement);
    expect(everyStatement.filter((s) => JSON.stringify(s.Action).includes('ses:'))).toHaveLength(SENDERS.length);
  });

  it('the intake outbox: StartPending runs every 5 minutes from EventBridge Scheduler, whose role may only invoke it', () => {
    const [, schedule] = resourcesOfType(t, 'AWS::Scheduler::Schedule').find(([id]) => /StartPending/.test(id))!;
    expect(schedule).toMatchObject({ ScheduleExpression: 'rate(5 minutes)', State: 'ENABLED', Target: { Arn: { 'Fn::GetAtt': [ids.startPending, 'Arn'] } } });
    const roleId = ((schedule.Target as { RoleArn: { 'Fn::GetAtt': [string, string] } }).RoleArn)['Fn::GetAtt'][0];
    expect(actionsOf(statementsOfRole(t, roleId))).toEqual(['lambda:InvokeFunction']);
  });

  it('the expiry sweep runs daily from EventBridge Scheduler, whose role may only invoke it', () => {
    const [scheduleId, schedule] = resourcesOfType(t, 'AWS::Scheduler::Schedule').find(([id]) => /ExpirySweep/.test(id))!;
    expect(scheduleId).toMatch(/ExpirySweep/);
    expect(schedule).toMatchObject({ ScheduleExpression: 'rate(1 day)', State: 'ENABLED', Target: { Arn: { 'Fn::GetAtt': [ids.expirySweep, 'Arn'] } } });
    const roleId = ((schedule.Target as { RoleArn: { 'Fn::GetAtt': [string, string] } }).RoleArn)['Fn::GetAtt'][0];
    expect(actionsOf(statementsOfRole(t, roleId))).toEqual(['lambda:InvokeFunction']);
  });

  it('only Intake, its outbox sweep, OpsActions and the functions that record a change after an escalation start executions, only Ops reads them, only Founder stops them, only Founder, FounderRevise, Partner, PartnerApprove, PartnerRecords and the Partner Central functions answer task tokens, all on this state machine', () => {
    expect(resourcesFor(statementsOfFunction(t, ids.intake), 'states:StartExecution')).toEqual([{ Ref: stateMachineId }]);
    expect(resourcesFor(statementsOfFunction(t, ids.startPending), 'states:StartExecution')).toEqual([{ Ref: stateMachineId }]);
    expect(resourcesFor(statementsOfFunction(t, ids.opsActions), 'states:StartExecution')).toEqual([{ Ref: stateMachineId }]);
    expect(resourcesFor(statementsOfFunction(t, ids.ops), 'states:ListExecutions')).toEqual([{ Ref: stateMachineId }]);
    const executions = resourcesFor(statementsOfFunction(t, ids.ops), 'states:DescribeExecution');
    expect(executions).toHaveLength(1);
    expect(JSON.stringify(executions[0])).toContain(`":execution:",{"Fn::GetAtt":["${stateMachineId}","Name"]},":*"`);
    const all = Object.values(ids).flatMap((id) => actionsOf(statementsOfFunction(t, id)));
    // PartnerApprove, PartnerRecords and the Partner Central functions: a change recorded on an escalated application
    // resumes its workflow. Partner's replies leave an application where no ended workflow resumes: it starts none.
    const starting = (Object.keys(ENTRIES) as FunctionKey[]).filter((k) => actionsOf(statementsOfFunction(t, ids[k])).includes('states:StartExecution'));
    expect(starting.sort()).toEqual(['intake', 'opsActions', 'partnerApprove', 'partnerCentralEvents', 'partnerCentralReconcile', 'partnerFiling', 'partnerFunding', 'partnerRecords', 'startPending']);
    for (const key of starting) expect(resourcesFor(statementsOfFunction(t, ids[key]), 'states:StartExecution'), key).toEqual([{ Ref: stateMachineId }]);
    expect(all.filter((a) => a === 'states:StartExecution')).toHaveLength(starting.length);
    const answering = (Object.keys(ENTRIES) as FunctionKey[]).filter((k) => actionsOf(statementsOfFunction(t, ids[k])).includes('states:SendTaskSuccess'));
    expect(answering.sort()).toEqual(['founder', 'founderRevise', 'opsActions', 'partner', 'partnerApprove', 'partnerCentralEvents', 'partnerCentralReconcile', 'partnerFiling', 'partnerFunding', 'partnerRecords']);
    for (const key of answering) {
      expect(resourcesFor(statementsOfFunction(t, ids[key]), 'states:SendTaskSuccess'), key).toEqual([{ Ref: stateMachineId }]);
    }
    expect(all.filter((a) => a === 'states:StopExecution')).toHaveLength(2);
    for (const key of ['founder', 'opsActions'] as const) {
      const stops = resourcesFor(statementsOfFunction(t, ids[key]), 'states:StopExecution');
      expect(stops, key).toHaveLength(1);
      expect(JSON.stringify(stops[0])).toContain(`":execution:",{"Fn::GetAtt":["${stateMachineId}","Name"]},":*"`);
    }
  });

  it('uses Resource "*" only for actions that have no resource-level permissions', () => {
    const allowedOnStar = new Set([
      'xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets',
      'logs:CreateLogDelivery', 'logs:GetLogDelivery', 'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery',
      'logs:ListLogDeliveries', 'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups',
    ]);
    for (const [, policy] of resourcesOfType(t, 'AWS::IAM::Policy')) {
      for (const s of (policy.PolicyDocument as { Statement: Statement[] }).Statement) {
        const resources = Array.isArray(s.Resource) ? s.Resource : [s.Resource];
        if (!resources.includes('*')) continue;
        for (const action of Array.isArray(s.Action) ? s.Action : [s.Action]) expect(allowedOnStar, action).toContain(action);
      }
    }
  });

  it('the state machine may invoke exactly the task functions', () => {
    const roleArn = (t.Resources[stateMachineId]!.Properties!.RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const invoked = resourcesFor(statementsOfRole(t, roleArn), 'lambda:InvokeFunction');
    const taskIds = (['sizeAsk', 'estimateAsk', 'draftBriefs', 'routePartner', 'notify', 'awaitHumanStep', 'markFailed', 'unassignPartner', 'standing', 'expireUnconfirmed'] as const).map((k) => ids[k]);
    for (const id of taskIds) expect(invoked).toContainEqual({ 'Fn::GetAtt': [id, 'Arn'] });
    expect(mentions(invoked, ids.expirySweep)).toBe(false);
    expect(mentions(invoked, ids.startPending)).toBe(false);
    for (const id of [ids.intake, ids.founder, ids.founderRevise, ids.partner, ids.partnerBriefs, ids.partnerApprove, ids.partnerRecords, ids.ops, ids.openApi]) expect(mentions(invoked, id)).toBe(false);
  });
});

describe('data', () => {
  it('one table: key design from keys.ts, on demand, PITR, encrypted, TTL', () => {
    tpl.resourceCountIs('AWS::DynamoDB::Table', 1);
    tpl.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      GlobalSecondaryIndexes: Object.values(INDEXES).map((i) => ({
        IndexName: i.indexName,
        KeySchema: [
          { AttributeName: i.partitionKey, KeyType: 'HASH' },
          { AttributeName: i.sortKey, KeyType: 'RANGE' },
        ],
        Projection: projectionOf(i),
      })),
    });
    expect(TTL_ATTRIBUTE).toBe('expiresAt');
    expect(INDEXES.partnerQueue).toMatchObject({ indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' });
    expect(INDEXES.operations).toMatchObject({ indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' });
    // The list indexes carry only what the list views show; none projects whole items.
    for (const i of Object.values(INDEXES)) expect(projectionOf(i).ProjectionType).not.toBe('ALL');
  });

  it('dev can be torn down; prod retains the table and the user pool', () => {
    expect(t.Resources[tableId]).toMatchObject({ DeletionPolicy: 'Delete' });
    const prod = template({ context: { stage: 'prod' } });
    const prodTable = resourcesOfType(prod, 'AWS::DynamoDB::Table')[0]!;
    expect(prod.Resources[prodTable[0]]).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(prodTable[1].DeletionProtectionEnabled).toBe(true);
    const pool = resourcesOfType(prod, 'AWS::Cognito::UserPool')[0]!;
    expect(prod.Resources[pool[0]]).toMatchObject({ DeletionPolicy: 'Retain' });
    expect(pool[1].DeletionProtection).toBe('ACTIVE');
    expect(environmentOf(prod, functionIdByEntry(prod, ENTRIES.draftBriefs)).ACE_CATALOG).toBe('AWS');
  });
});

describe('workflow', () => {
  it('is a Standard state machine with logging ALL (no execution data) and tracing', () => {
    tpl.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: false,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } } }],
      },
    });
    tpl.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: Match.stringLikeRegexp('^/aws/vendedlogs/states/'),
      RetentionInDays: 30,
    });
  });
});

describe('api', () => {
  it('routes as in docs/CONTRACTS.md; the ops and partner routes go through the JWT authorizer', () => {
    expect(listRoutes(t).map((r) => [r.routeKey, r.authorizationType, r.function.entry])).toEqual([
      ['GET /applications/{id}', 'NONE', ENTRIES.founder],
      ['GET /applications/{id}/confirm-email', 'NONE', ENTRIES.confirmEmailPage],
      ['GET /openapi.json', 'NONE', ENTRIES.openApi],
      ['GET /ops/applications', 'JWT', ENTRIES.ops],
      ['GET /ops/applications/{id}', 'JWT', ENTRIES.ops],
      ['GET /ops/applications/{id}/story', 'JWT', ENTRIES.ops],
      ['GET /ops/board', 'NONE', ENTRIES.opsBoard],
      ['GET /ops/executions', 'JWT', ENTRIES.ops],
      ['GET /ops/failed', 'JWT', ENTRIES.opsInsights],
      ['GET /ops/pipeline', 'JWT', ENTRIES.opsInsights],
      ['GET /ops/stuck', 'JWT', ENTRIES.opsInsights],
      ['GET /partner/applications', 'JWT', ENTRIES.partner],
      ['GET /partner/applications/{id}', 'JWT', ENTRIES.partner],
      ['GET /partner/applications/{id}/briefs/{programId}/create-opportunity', 'JWT', ENTRIES.partner],
      ['GET /partner/applications/{id}/briefs/{programId}/funding', 'JWT', ENTRIES.partnerFunding],
      ['GET /partner/applications/{id}/briefs/{programId}/opportunity', 'JWT', ENTRIES.partnerFiling],
      ['PATCH /partner/applications/{id}/briefs/{programId}', 'JWT', ENTRIES.partnerBriefs],
      ['PATCH /partner/applications/{id}/briefs/{programId}/funding', 'JWT', ENTRIES.partnerFunding],
      ['POST /applications/{id}/confirm-email', 'NONE', ENTRIES.founder],
      ['POST /applications/{id}/confirm-email/resend', 'NONE', ENTRIES.founder],
      ['POST /applications/{id}/revisions', 'NONE', ENTRIES.founderRevise],
      ['POST /applications/{id}/withdraw', 'NONE', ENTRIES.founder],
      ['POST /estimates', 'NONE', ENTRIES.estimates],
      ['POST /ops/applications/{id}/cancel', 'JWT', ENTRIES.opsActions],
      ['POST /ops/applications/{id}/nudge', 'JWT', ENTRIES.opsNudge],
      ['POST /ops/applications/{id}/reassign', 'JWT', ENTRIES.opsActions],
      ['POST /ops/applications/{id}/redrive', 'JWT', ENTRIES.opsActions],
      ['POST /partner/applications/{id}/approve', 'JWT', ENTRIES.partnerApprove],
      ['POST /partner/applications/{id}/briefs/{programId}/aws-review', 'JWT', ENTRIES.partnerRecords],
      ['POST /partner/applications/{id}/briefs/{programId}/credits', 'JWT', ENTRIES.partnerRecords],
      ['POST /partner/applications/{id}/briefs/{programId}/file-via-api', 'JWT', ENTRIES.partnerFiling],
      ['POST /partner/applications/{id}/briefs/{programId}/filed', 'JWT', ENTRIES.partnerRecords],
      ['POST /partner/applications/{id}/briefs/{programId}/funding/submit-via-api', 'JWT', ENTRIES.partnerFunding],
      ['POST /partner/applications/{id}/briefs/{programId}/submit-via-api', 'JWT', ENTRIES.partnerFiling],
      ['POST /partner/applications/{id}/briefs/{programId}/update-via-api', 'JWT', ENTRIES.partnerUpdate],
      ['POST /partner/applications/{id}/decline', 'JWT', ENTRIES.partner],
      ['POST /partner/applications/{id}/request-changes', 'JWT', ENTRIES.partner],
      ['POST /worksheets', 'NONE', ENTRIES.intake],
    ]);
  });

  it('the JWT authorizer trusts the user pool and its app client', () => {
    const [poolId] = resourcesOfType(t, 'AWS::Cognito::UserPool')[0]!;
    const [clientId] = resourcesOfType(t, 'AWS::Cognito::UserPoolClient')[0]!;
    tpl.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Audience: [{ Ref: clientId }], Issuer: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([{ Ref: poolId }])] }) },
    });
  });

  it('user pool: groups partner and ops, immutable custom:partnerId the client cannot write, MFA, no self sign-up', () => {
    expect(resourcesOfType(t, 'AWS::Cognito::UserPoolGroup').map(([, g]) => g.GroupName).sort()).toEqual(['ops', 'partner']);
    tpl.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Schema: Match.arrayWith([Match.objectLike({ Name: 'partnerId', Mutable: false, AttributeDataType: 'String' })]),
    });
    const [, client] = resourcesOfType(t, 'AWS::Cognito::UserPoolClient')[0]!;
    expect(client.ReadAttributes).toContain('custom:partnerId');
    expect(client.WriteAttributes).not.toContain('custom:partnerId');
    expect(client.GenerateSecret).toBe(false);
    expect(client.AllowedOAuthFlows).toBeUndefined();
  });

  it('the stage logs access and throttles', () => {
    const [accessLogsId] = Object.entries(t.Resources).find(([id, r]) => r.Type === 'AWS::Logs::LogGroup' && /AccessLogs/.test(id))!;
    tpl.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [accessLogsId, 'Arn'] }, Format: Match.stringLikeRegexp('requestId') },
      DefaultRouteSettings: { ThrottlingBurstLimit: Match.anyValue(), ThrottlingRateLimit: Match.anyValue() },
    });
  });

  it('throttles per route: every public route far tighter than the founder routes, and those tighter than the JWT routes (stage default)', () => {
    const [stageId, stage] = resourcesOfType(t, 'AWS::ApiGatewayV2::Stage')[0]!;
    const settings = stage.RouteSettings as Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }>;
    const fallback = stage.DefaultRouteSettings as { ThrottlingRateLimit: number; ThrottlingBurstLimit: number };
    expect(fallback).toEqual({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 });
    const unauthenticated = listRoutes(t).filter((r) => r.authorizationType === 'NONE').map((r) => r.routeKey);
    expect(Object.keys(settings).sort()).toEqual(unauthenticated.sort());
    const anonymous = ['POST /worksheets', 'POST /estimates', 'GET /openapi.json', 'GET /applications/{id}/confirm-email', 'POST /applications/{id}/confirm-email', 'POST /applications/{id}/confirm-email/resend', 'GET /ops/board'];
    for (const key of anonymous) expect(settings[key], key).toEqual({ ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 });
    for (const key of unauthenticated.filter((k) => !anonymous.includes(k))) expect(settings[key], key).toEqual({ ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 });
    for (const s of Object.values(settings)) expect(s.ThrottlingRateLimit * 5).toBeLessThanOrEqual(fallback.ThrottlingRateLimit);
    // The stage is created after the routes its settings name (CloudFormation refuses settings for a missing route).
    const dependsOn = t.Resources[stageId]!.DependsOn as string[];
    for (const r of resourcesOfType(t, 'AWS::ApiGatewayV2::Route').filter(([, p]) => unauthenticated.includes(String(p.RouteKey)))) expect(dependsOn).toContain(r[0]);
  });

  it('throttles and intake limits are context settings with defaults, refused when not positive', () => {
    const read = (context: Record<string, unknown>) => readAppConfig(new App({ context: { ...DEFAULT_CONTEXT, ...context } }).node);
    expect(read({ publicRouteRateLimit: 1, publicRouteBurstLimit: 2 }).throttle.public).toEqual({ rateLimit: 1, burstLimit: 2 });
    expect(read({}).throttle).toEqual({ public: { rateLimit: 5, burstLimit: 10 }, founder: { rateLimit: 10, burstLimit: 20 }, authenticated: { rateLimit: 50, burstLimit: 100 } });
    expect(read({ maxOpenApplicationsPerAddress: 7 })).toMatchObject({ maxOpenApplicationsPerAddress: 7, maxOpenApplicationsPerAccount: 5, addressConfirmationHours: 72 });
    expect(() => read({ maxOpenApplicationsPerAccount: 0 })).toThrow(/maxOpenApplicationsPerAccount/);
    expect(read({}).maxOpenApplicationsPerMailDomain).toBe(10);
    expect(read({ maxOpenApplicationsPerMailDomain: 4 }).maxOpenApplicationsPerMailDomain).toBe(4);
    expect(() => read({ maxOpenApplicationsPerMailDomain: -1 })).toThrow(/maxOpenApplicationsPerMailDomain/);
    expect(read({}).worksheetsPerSourcePerDay).toBe(20);
    expect(read({ worksheetsPerSourcePerDay: 50.7 }).worksheetsPerSourcePerDay).toBe(50);
    expect(() => read({ worksheetsPerSourcePerDay: 0 })).toThrow(/worksheetsPerSourcePerDay/);
  });
});

describe('notifications and observability', () => {
  it('SES configuration set and sender identity come from context', () => {
    tpl.hasResourceProperties('AWS::SES::ConfigurationSet', { Name: 'ace-filing-dev', DeliveryOptions: { TlsPolicy: 'REQUIRE' } });
    tpl.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'no-reply@example.com' });
  });

  it('alarms on failed/timed-out/throttled executions, every function, the table and API 5xx, all to the SSL-only topic', () => {
    const alarms = resourcesOfType(t, 'AWS::CloudWatch::Alarm').map(([, a]) => a);
    const named = (metric: string) => alarms.filter((a) => a.MetricName === metric);
    for (const m of ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionThrottled']) expect(named(m), m).toHaveLength(1);
    // Every function but AwaitHumanStep, whose ChangedWhileWaiting errors are a designed hand-over, not a fault.
    expect(named('Errors')).toHaveLength(Object.keys(ENTRIES).length - 1);
    expect(named('Errors').filter((a) => JSON.stringify(a.Dimensions ?? []).includes(ids.awaitHumanStep))).toHaveLength(0);
    expect(named('Errors').filter((a) => JSON.stringify(a.Dimensions ?? []).includes(ids.notify))).toHaveLength(1);
    expect(named('Throttles').length).toBeGreaterThanOrEqual(Object.keys(ENTRIES).length);
    expect(named('5xx')).toHaveLength(1);
    expect(alarms.filter((a) => JSON.stringify(a.Metrics ?? []).includes('ThrottleEvents'))).toHaveLength(1);
    const [topicId] = resourcesOfType(t, 'AWS::SNS::Topic')[0]!;
    for (const a of alarms) expect(a.AlarmActions).toEqual([{ Ref: topicId }]);
    tpl.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it("intake's counts are metric filters on its own log line (no metrics library in its bundle), one per outcome", () => {
    const filters = resourcesOfType(t, 'AWS::Logs::MetricFilter').map(([, f]) => f as unknown as Record<string, unknown>);
    const intakeLogGroup = (functionProps(t, ids.intake).LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
    const onIntake = filters.filter((f) => JSON.stringify(f.LogGroupName) === JSON.stringify({ Ref: intakeLogGroup }));
    expect(onIntake.map((f) => ({ pattern: f.FilterPattern, metrics: f.MetricTransformations }))).toEqual([
      {
        pattern: '{ ($.message.msg = "Worksheet accepted") && ($.message.replayed IS FALSE) }',
        metrics: [{ MetricNamespace: 'AceFiling', MetricName: 'WorksheetsAccepted', MetricValue: '1', Unit: 'Count' }],
      },
      {
        pattern: '{ ($.message.msg = "Worksheet accepted") && ($.message.replayed IS TRUE) }',
        metrics: [{ MetricNamespace: 'AceFiling', MetricName: 'WorksheetReplays', MetricValue: '1', Unit: 'Count' }],
      },
    ]);
  });
});

describe('cdk-nag', () => {
  it('AwsSolutions passes: every remaining finding is acknowledged (synthesis would have thrown otherwise)', () => {
    expect(Object.keys(t.Resources).length).toBeGreaterThan(0);
  });

  it('is really wired into the app: an unacknowledged wildcard fails synthesis', () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'ace-filing-nag-'));
    const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] }, outdir });
    const stack = buildApp(app);
    const role = new iam.Role(stack, 'Rogue', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['dynamodb:*'], resources: ['*'] }));
    try {
      expect(() => app.synth()).toThrow(/AwsSolutions-IAM5\[Resource::\*\]/);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

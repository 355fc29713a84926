/**
 * Operations (issue 9): the actions function and its routes, and the live operations board.
 *
 * - OpsActions (JWT, group ops, checked in the handler): POST /ops/applications/{id}/redrive | reassign | cancel.
 *   Its own function so the read routes keep their read-only function (functions/http/ops.ts): this one may write
 *   the table, start and stop executions, answer task tokens (ChangedWhileWaiting) and send mail (the action's
 *   notices, claimed like Notify's so nothing is mailed twice).
 * - OpsNudge (JWT, group ops, checked in the handler): POST /ops/applications/{id}/nudge, a note and the pending
 *   reminder mailed again. Its own function (issue 11 §1: it alone composes reminders): table and mail, no workflow.
 * - OpsSweep (EventBridge Scheduler, hourly): counts the applications past their status's threshold (the stuck
 *   list's own index query, `Select: COUNT`, no Scan) and publishes `StuckApplications` / `EscalatedApplications`,
 *   on which Observability alarms; and rolls the pipeline's closed day counters up into month items.
 * - OpsBoard: GET /ops/board, one HTML page (inline CSS and script, no outside loads, a strict CSP) served by an API
 *   route rather than CloudFront + S3: same origin as the API it calls (no CORS), one page that holds no data, nothing
 *   more to deploy. The route is public because a browser cannot send the JWT when it opens a page; the page asks for
 *   the ops token and sends it on every API call, so it shows nothing without one.
 */
import { Validations, type RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { HouseFunction, type IMailer } from './house-function.ts';
import { acknowledgeWildcardResource } from '../nag.ts';

export interface OperationsProps {
  readonly table: dynamodb.ITable;
  readonly stateMachine: sfn.StateMachine;
  readonly mailer: IMailer;
  readonly httpApi: apigwv2.HttpApi;
  /** Gives the board's anonymous route the public routes' throttle (lib/constructs/api.ts). */
  readonly throttleAsPublic: (method: apigwv2.HttpMethod, path: string, routes: readonly apigwv2.HttpRoute[]) => void;
  readonly authorizer: HttpUserPoolAuthorizer;
  readonly publicBaseUrl: string;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

export const OPS_ACTION_PATHS = ['redrive', 'reassign', 'cancel'].map((a) => `/ops/applications/{id}/${a}`);
export const OPS_NUDGE_PATH = '/ops/applications/{id}/nudge';
export const OPS_BOARD_PATH = '/ops/board';
/** How often stuck work is counted (the alarm's period follows it). */
export const OPS_SWEEP_SCHEDULE = 'rate(1 hour)';

export class Operations extends Construct {
  readonly functions: { readonly opsActions: HouseFunction; readonly opsNudge: HouseFunction; readonly opsBoard: HouseFunction; readonly opsSweep: HouseFunction };
  readonly opsSweepSchedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    const common = { logRetention: props.logRetention, removalPolicy: props.removalPolicy };
    const opsActions = new HouseFunction(this, 'OpsActions', {
      ...common,
      entry: 'functions/http/ops-actions.ts',
      description: 'POST /ops/applications/{id}/redrive|reassign|cancel (JWT, group ops)',
    })
      .bindTable(props.table, 'readWrite')
      .bindStateMachine(props.stateMachine, 'start')
      .bindStateMachine(props.stateMachine, 'taskResponse')
      .bindStateMachine(props.stateMachine, 'stop')
      .bindMailer(props.mailer)
      .setConfig('PUBLIC_BASE_URL', props.publicBaseUrl);
    // The nudge writes a note and mails a reminder: the table and mail, no workflow rights.
    const opsNudge = new HouseFunction(this, 'OpsNudge', {
      ...common,
      entry: 'functions/http/ops-nudge.ts',
      description: 'POST /ops/applications/{id}/nudge (JWT, group ops): a note and the pending reminder mailed again',
    })
      .bindTable(props.table, 'readWrite')
      .bindMailer(props.mailer)
      .setConfig('PUBLIC_BASE_URL', props.publicBaseUrl);
    // The board has no grants at all: it serves one static page.
    const opsBoard = new HouseFunction(this, 'OpsBoard', {
      ...common,
      entry: 'functions/http/ops-board.ts',
      description: 'GET /ops/board: the operations board page (no data; it calls the ops API with the ops JWT)',
    });
    const opsSweep = new HouseFunction(this, 'OpsSweep', {
      ...common,
      entry: 'functions/workflow/ops-sweep.ts',
      description: 'Hourly: count applications past their stuck threshold (no Scan) for the StuckWork alarm; roll closed days of pipeline counters into month items',
    }).bindTable(props.table, 'readWrite');
    this.functions = { opsActions, opsNudge, opsBoard, opsSweep };
    const sweepRole = new iam.Role(this, 'OpsSweepScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'),
      description: 'EventBridge Scheduler: invokes the operations sweep (stuck count, counter roll-up)',
    });
    acknowledgeWildcardResource(
      sweepRole,
      `${opsSweep.function.functionArn}:*`,
      'lambda:InvokeFunction on the qualified ARNs (versions/aliases) of the one function this schedule invokes; CDK adds it beside the unqualified ARN.',
    );
    this.opsSweepSchedule = new scheduler.Schedule(this, 'OpsSweepSchedule', {
      schedule: scheduler.ScheduleExpression.expression(OPS_SWEEP_SCHEDULE),
      description: 'Count stuck applications (StuckWork alarm) and roll closed days of pipeline counters into month items',
      target: new schedulerTargets.LambdaInvoke(opsSweep.function, {
        input: scheduler.ScheduleTargetInput.fromObject({ sweep: 'ops' }),
        retryAttempts: 3,
        role: sweepRole,
      }),
    });

    const actions = new HttpLambdaIntegration('OpsActionsIntegration', opsActions.function);
    for (const path of OPS_ACTION_PATHS) {
      props.httpApi.addRoutes({ path, methods: [apigwv2.HttpMethod.POST], integration: actions, authorizer: props.authorizer });
    }
    props.httpApi.addRoutes({
      path: OPS_NUDGE_PATH, methods: [apigwv2.HttpMethod.POST], integration: new HttpLambdaIntegration('OpsNudgeIntegration', opsNudge.function), authorizer: props.authorizer,
    });
    const boardRoutes = props.httpApi.addRoutes({ path: OPS_BOARD_PATH, methods: [apigwv2.HttpMethod.GET], integration: new HttpLambdaIntegration('OpsBoardIntegration', opsBoard.function) });
    props.throttleAsPublic(apigwv2.HttpMethod.GET, OPS_BOARD_PATH, boardRoutes);
    for (const route of boardRoutes) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: 'The board page is static and holds no data (a browser cannot attach a JWT to opening a page); every call it makes goes to JWT-authorized ops routes.',
      });
    }
  }
}

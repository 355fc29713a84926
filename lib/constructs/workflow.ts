/**
 * Workflow: the task functions and the Standard state machine that runs the definition in lib/workflow/definition.ts.
 *
 * Logging: level ALL to a dedicated log group, `includeExecutionData: false`. Execution data would log every state's
 * input and output, including the `$$.Task.Token` handed to AwaitHumanStep and the partner's review payload; task tokens
 * stay server-side (house rule) and the application's data lives in DynamoDB anyway, so events carry no payloads.
 * The one application data the state carries is sizing's: the worksheet's sizing fields and the estimate, between
 * SizeAsk and RecordEstimate (functions/core/sizing-worksheet.ts: nothing personal). X-Ray tracing is on.
 */
import { Duration, Stack, type RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { buildDefinition, type WorkflowTaskFunctions } from '../workflow/definition.ts';
import { HouseFunction, type IMailer } from './house-function.ts';
import { acknowledgeWildcardResource } from '../nag.ts';
import { INTAKE_SETTING_VARIABLES } from '../../functions/wiring/intake-settings.ts';

export interface WorkflowProps {
  readonly table: dynamodb.ITable;
  readonly mailer: IMailer;
  readonly aceCatalog: 'AWS' | 'Sandbox';
  readonly partnerReviewTimeout: Duration;
  readonly partnerReviewGrace: Duration;
  readonly founderRevisionTimeout: Duration;
  readonly awsDecisionTimeout: Duration;
  readonly creditsTimeout: Duration;
  /** The founder's address confirmation: link lifetime (= the wait's timeout) and resend caps, passed to the functions. */
  readonly addressConfirmation: { readonly confirmWithinHours: number; readonly maxResendsPerApplication: number };
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

export type WorkflowFunctionName = keyof WorkflowTaskFunctions | 'expirySweep' | 'startPending';

/** When the expiry sweep runs (EventBridge Scheduler; the local runtime runs the same schedule on its clock). */
export const EXPIRY_SWEEP_SCHEDULE = 'rate(1 day)';

/** How often applications their intake stored but did not start are started (the intake outbox). */
export const START_PENDING_SCHEDULE = 'rate(5 minutes)';

export class Workflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;
  readonly functions: Readonly<Record<WorkflowFunctionName, HouseFunction>>;
  readonly expirySchedule: scheduler.Schedule;
  readonly startPendingSchedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: WorkflowProps) {
    super(scope, id);
    const common = { logRetention: props.logRetention, removalPolicy: props.removalPolicy, timeout: Duration.seconds(30) };

    const sizeAsk = new HouseFunction(this, 'SizeAsk', {
      ...common,
      entry: 'functions/workflow/size.ts',
      description: 'Workflow tasks SizeAsk and RecordEstimate: reads the worksheet to size, stores the estimate',
    }).bindTable(props.table, 'readWrite');
    // The sizing engine alone: it reads nothing and writes nothing (SizeAsk hands it the worksheet's sizing fields and
    // stores what it returns), so it is bound to no table and holds no rights beyond its own logs.
    const estimateAsk = new HouseFunction(this, 'EstimateAsk', {
      ...common,
      entry: 'functions/workflow/estimate.ts',
      description: 'Workflow task: the sizing engine (estimate, eligibility, stacking); no AWS access',
    });
    const draftBriefs = new HouseFunction(this, 'DraftBriefs', {
      ...common,
      entry: 'functions/workflow/draft.ts',
      description: 'Workflow task: drafts and validates the ACE briefs and stores them',
    })
      .bindTable(props.table, 'readWrite')
      .setConfig('ACE_CATALOG', props.aceCatalog);
    const routePartner = new HouseFunction(this, 'RoutePartner', {
      ...common,
      entry: 'functions/workflow/route.ts',
      description: 'Workflow task: picks and books a partner',
    }).bindTable(props.table, 'readWrite');
    // The only function allowed to send mail. It writes a claim per notice so a retried task never mails twice.
    const notify = new HouseFunction(this, 'Notify', {
      ...common,
      entry: 'functions/workflow/notify.ts',
      description: 'Workflow task: sends the notices (the only function with SES send rights)',
    })
      .bindTable(props.table, 'readWrite')
      .bindMailer(props.mailer);
    // Construct ids 'AwaitReview' and 'Reroute' are kept: they name the deployed functions, and a Standard execution
    // in flight keeps invoking the function ARNs of the definition it started with (a new id would replace them).
    const awaitHumanStep = new HouseFunction(this, 'AwaitReview', {
      ...common,
      entry: 'functions/workflow/await-human-step.ts',
      description: 'Workflow callback task: stores the task token of every human step server-side',
    }).bindTable(props.table, 'readWrite');
    const markFailed = new HouseFunction(this, 'MarkFailed', {
      ...common,
      entry: 'functions/workflow/mark-failed.ts',
      description: 'Workflow failure path: marks the application failed, keeps everything',
    }).bindTable(props.table, 'readWrite');

    const unassignPartner = new HouseFunction(this, 'Reroute', {
      ...common,
      entry: 'functions/workflow/unassign-partner.ts',
      description: 'Workflow task: takes a lapsed review away from its partner and releases the partner slot',
    }).bindTable(props.table, 'readWrite');
    const standing = new HouseFunction(this, 'Standing', {
      ...common,
      entry: 'functions/workflow/standing.ts',
      description: 'Workflow task: reports where the application stands (read only)',
    }).bindTable(props.table, 'read');
    // The expiry sweep mails reminders itself (the second and last function with SES send rights): it has no
    // caller input (a fixed scheduled payload), claims every notice exactly like Notify, and sending from here
    // avoids a second state machine just to relay a mail.
    const expirySweep = new HouseFunction(this, 'ExpirySweep', {
      ...common,
      timeout: Duration.minutes(5),
      entry: 'functions/workflow/expiry-sweep.ts',
      description: 'Daily: credit expiry reminders (60 and 30 days), expiring and expired transitions',
    })
      .bindTable(props.table, 'readWrite')
      .bindMailer(props.mailer);

    const confirmationEnv: Record<string, string> = {
      [INTAKE_SETTING_VARIABLES.confirmWithinHours]: String(props.addressConfirmation.confirmWithinHours),
      [INTAKE_SETTING_VARIABLES.maxResendsPerApplication]: String(props.addressConfirmation.maxResendsPerApplication),
    };
    for (const [name, value] of Object.entries(confirmationEnv)) notify.function.addEnvironment(name, value);
    const expireUnconfirmed = new HouseFunction(this, 'ExpireUnconfirmed', {
      ...common,
      entry: 'functions/workflow/expire-unconfirmed.ts',
      description: 'Workflow task: closes an application whose founder never confirmed the address (nothing booked)',
    }).bindTable(props.table, 'readWrite');
    for (const [name, value] of Object.entries(confirmationEnv)) expireUnconfirmed.function.addEnvironment(name, value);
    // The intake outbox: starts applications stored in `submitted` without an execution (a crash between intake's
    // put and its StartExecution). StartExecution only; it never touches a running execution.
    const startPending = new HouseFunction(this, 'StartPending', {
      ...common,
      timeout: Duration.minutes(2),
      entry: 'functions/workflow/start-pending.ts',
      description: 'Every 5 minutes: starts the workflow of applications their intake stored but did not start',
    }).bindTable(props.table, 'readWrite');

    this.functions = { sizeAsk, estimateAsk, draftBriefs, routePartner, notify, awaitHumanStep, markFailed, unassignPartner, standing, expireUnconfirmed, expirySweep, startPending };

    // Scheduler's own role (only lambda:InvokeFunction on the sweeper, granted by the target).
    const scheduleRole = new iam.Role(this, 'ExpirySweepScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'),
      description: 'EventBridge Scheduler: invokes the expiry sweep',
    });
    acknowledgeWildcardResource(
      scheduleRole,
      `${expirySweep.function.functionArn}:*`,
      'lambda:InvokeFunction on the qualified ARNs (versions/aliases) of the one function this schedule invokes; CDK adds it beside the unqualified ARN.',
    );
    this.expirySchedule = new scheduler.Schedule(this, 'ExpirySweepSchedule', {
      schedule: scheduler.ScheduleExpression.expression(EXPIRY_SWEEP_SCHEDULE),
      description: 'Daily credit expiry sweep (reminders 60 and 30 days ahead, then expired)',
      target: new schedulerTargets.LambdaInvoke(expirySweep.function, {
        input: scheduler.ScheduleTargetInput.fromObject({ sweep: 'credit-expiry' }),
        retryAttempts: 3,
        role: scheduleRole,
      }),
    });

    const startRole = new iam.Role(this, 'StartPendingScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'),
      description: 'EventBridge Scheduler: invokes the start sweep',
    });
    acknowledgeWildcardResource(
      startRole,
      `${startPending.function.functionArn}:*`,
      'lambda:InvokeFunction on the qualified ARNs (versions/aliases) of the one function this schedule invokes; CDK adds it beside the unqualified ARN.',
    );
    this.startPendingSchedule = new scheduler.Schedule(this, 'StartPendingSchedule', {
      schedule: scheduler.ScheduleExpression.expression(START_PENDING_SCHEDULE),
      description: 'Intake outbox: start the workflow of applications stored without one',
      target: new schedulerTargets.LambdaInvoke(startPending.function, {
        input: scheduler.ScheduleTargetInput.fromObject({ sweep: 'start-pending' }),
        retryAttempts: 3,
        role: startRole,
      }),
    });

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      // The vendedlogs prefix keeps CloudWatch Logs resource policies small for Step Functions log delivery.
      logGroupName: `/aws/vendedlogs/states/${Stack.of(this).stackName}-workflow`,
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineType: sfn.StateMachineType.STANDARD,
      comment: 'ace-filing: size, draft, route, partner review, AWS decision, credits',
      definitionBody: sfn.DefinitionBody.fromChainable(
        buildDefinition(this, {
          functions: {
            sizeAsk: sizeAsk.function,
            estimateAsk: estimateAsk.function,
            draftBriefs: draftBriefs.function,
            routePartner: routePartner.function,
            notify: notify.function,
            awaitHumanStep: awaitHumanStep.function,
            markFailed: markFailed.function,
            unassignPartner: unassignPartner.function,
            standing: standing.function,
            expireUnconfirmed: expireUnconfirmed.function,
          },
          addressConfirmationTimeout: Duration.seconds(Math.max(1, Math.round(props.addressConfirmation.confirmWithinHours * 3600))),
          partnerReviewTimeout: props.partnerReviewTimeout,
          partnerReviewGrace: props.partnerReviewGrace,
          founderRevisionTimeout: props.founderRevisionTimeout,
          awsDecisionTimeout: props.awsDecisionTimeout,
          creditsTimeout: props.creditsTimeout,
        }),
      ),
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });

    startPending.bindStateMachine(this.stateMachine, 'start');

    // The state machine role: CDK grants lambda:InvokeFunction on each function ARN and on `ARN:*` (its versions and
    // aliases), plus log delivery and X-Ray actions that have no resource-level permissions.
    const role = this.stateMachine.role;
    for (const fn of [sizeAsk, estimateAsk, draftBriefs, routePartner, notify, awaitHumanStep, markFailed, unassignPartner, standing, expireUnconfirmed]) {
      acknowledgeWildcardResource(
        role,
        `${fn.function.functionArn}:*`,
        'lambda:InvokeFunction on the qualified ARNs (versions/aliases) of a task function this workflow invokes; CDK adds it beside the unqualified ARN.',
      );
    }
    acknowledgeWildcardResource(
      role,
      '*',
      'CloudWatch Logs vended log delivery (logs:CreateLogDelivery, PutResourcePolicy, ...) and X-Ray (PutTraceSegments, ...) support no resource-level permissions.',
    );
  }
}

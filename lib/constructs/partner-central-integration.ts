/**
 * PartnerCentral: filing through the Partner Central Selling API and following AWS's review status.
 *
 * - PartnerFiling (HTTP, JWT): `POST /partner/applications/{id}/briefs/{programId}/file-via-api`, `POST …/submit-via-api`,
 *   `GET …/opportunity`.
 * - PartnerUpdate (HTTP, JWT): `POST …/update-via-api`, the change under Action Required; its own function because it
 *   alone checks each member sent against ACE's opportunity model (issue 11). It answers no workflow: no Step Functions.
 * - PartnerCentralEvents: target of a rule on the default event bus for source `aws.partnercentral-selling`,
 *   detail-type `Opportunity Created` / `Opportunity Updated`. Partner Central sends these to the partner's own
 *   account; each partner forwards them to our default bus with a cross-account rule (README), or relies on:
 * - PartnerCentralReconcile: EventBridge Scheduler every 30 minutes, ListOpportunities since a watermark per partner,
 *   then the partner's benefit applications and allocations (Benefits API: the funding request after an approval).
 * - PartnerFunding (HTTP, JWT): the funding request, `GET|PATCH …/funding`, `POST …/funding/submit-via-api`; its own
 *   function so the opportunity routes do not load the Benefits client and the funding rules (issue 11).
 *
 * Least privilege: item access to the table, the task-token callbacks of the one state machine (not PartnerUpdate),
 * and sts:AssumeRole only on roles named `AceFilingPartnerCentral*` (in any account: partners' accounts are data, not
 * deployment input).
 */
import { Duration, Stack, type RemovalPolicy } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { PARTNER_CENTRAL_DETAIL_TYPES, PARTNER_CENTRAL_EVENT_SOURCE } from '../../schemas/partner-central-messages.ts';
import { PARTNER_FILING_ROLE_PREFIX } from '../../schemas/partner.ts';
import { acknowledgeRule, acknowledgeWildcardResource } from '../nag.ts';
import { HouseFunction } from './house-function.ts';

export interface PartnerCentralProps {
  readonly table: dynamodb.ITable;
  readonly stateMachine: sfn.StateMachine;
  readonly aceCatalog: 'AWS' | 'Sandbox';
  readonly httpApi: apigwv2.HttpApi;
  readonly authorizer: apigwv2.IHttpRouteAuthorizer;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/** How often the reconciliation runs (the local runtime does not run it; call the handler). */
export const RECONCILE_SCHEDULE = 'rate(30 minutes)';
export const FILE_VIA_API_PATH = '/partner/applications/{id}/briefs/{programId}/file-via-api';
const OPPORTUNITY_ROUTES: readonly (readonly [string, apigwv2.HttpMethod])[] = [
  ['/partner/applications/{id}/briefs/{programId}/submit-via-api', apigwv2.HttpMethod.POST],
  ['/partner/applications/{id}/briefs/{programId}/opportunity', apigwv2.HttpMethod.GET],
];
/** The change under Action Required (functions/usecases/partner-central-update.ts): its own function. */
export const UPDATE_VIA_API_PATH = '/partner/applications/{id}/briefs/{programId}/update-via-api';
/** The funding request through the Partner Central Benefits API (functions/usecases/partner-central-funding.ts). */
const FUNDING_ROUTES: readonly (readonly [string, apigwv2.HttpMethod])[] = [
  ['/partner/applications/{id}/briefs/{programId}/funding', apigwv2.HttpMethod.GET],
  ['/partner/applications/{id}/briefs/{programId}/funding', apigwv2.HttpMethod.PATCH],
  ['/partner/applications/{id}/briefs/{programId}/funding/submit-via-api', apigwv2.HttpMethod.POST],
];

export type PartnerCentralFunctionName = 'partnerFiling' | 'partnerUpdate' | 'partnerFunding' | 'partnerCentralEvents' | 'partnerCentralReconcile';

export class PartnerCentral extends Construct {
  readonly functions: Readonly<Record<PartnerCentralFunctionName, HouseFunction>>;
  readonly rule: events.Rule;
  /** Where an event goes that the function could not take after every retry (Observability alarms on its depth). */
  readonly deadLetterQueue: sqs.Queue;
  readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: PartnerCentralProps) {
    super(scope, id);
    const common = { logRetention: props.logRetention, removalPolicy: props.removalPolicy };
    // Partner roles live in partners' accounts, so the account is a wildcard; the role name is fixed by convention.
    const partnerRoles = `arn:${Stack.of(this).partition}:iam::*:role/${PARTNER_FILING_ROLE_PREFIX}*`;

    // `workflow: false`: a function that records no transition (a note and the brief's copy only) gets no Step
    // Functions client configuration or rights.
    const make = (name: string, entry: string, description: string, timeout: Duration, { workflow = true } = {}) => {
      const fn = new HouseFunction(this, name, { ...common, entry, description, timeout })
        .bindTable(props.table, 'readWrite');
      // A record change on an escalated application (its execution ended) starts a new one (run-command.ts).
      if (workflow) fn.bindStateMachine(props.stateMachine, 'taskResponse').bindStateMachine(props.stateMachine, 'start');
      fn.setConfig('ACE_CATALOG', props.aceCatalog);
      fn.role.addToPrincipalPolicy(new iam.PolicyStatement({
        sid: 'AssumePartnerFilingRoles',
        actions: ['sts:AssumeRole'],
        resources: [partnerRoles],
        // Only with an external id: a role that trusts this account without one can never be assumed (confused deputy).
        conditions: { Null: { 'sts:ExternalId': 'false' } },
      }));
      acknowledgeWildcardResource(
        fn.role,
        partnerRoles,
        `Each partner registers a role in its own Partner Central account (known only at run time); assumption is limited to roles named ${PARTNER_FILING_ROLE_PREFIX}* that trust this service, and only when an external id is passed (the policy requires sts:ExternalId).`,
      );
      return fn;
    };

    // Up to ~2 s waiting for the partner account's write slot, then Partner Central itself.
    const partnerFiling = make('PartnerFiling', 'functions/http/partner-filing.ts',
      'POST /partner/applications/{id}/briefs/{programId}/file-via-api, submit-via-api, GET .../opportunity (JWT, group partner)', Duration.seconds(15));
    // The change under Action Required: the only opportunity route that loads ACE's opportunity model (issue 11).
    const partnerUpdate = make('PartnerUpdate', 'functions/http/partner-update.ts',
      'POST /partner/applications/{id}/briefs/{programId}/update-via-api (JWT, group partner): each member checked against the opportunity model', Duration.seconds(15), { workflow: false });
    const partnerFunding = make('PartnerFunding', 'functions/http/partner-funding.ts',
      'GET|PATCH /partner/applications/{id}/briefs/{programId}/funding, POST .../funding/submit-via-api (JWT, group partner)', Duration.seconds(15));
    const partnerCentralEvents = make('PartnerCentralEvents', 'functions/events/partner-central-events.ts',
      'Partner Central Opportunity Created/Updated events: AWS review status to the record', Duration.seconds(30));
    const partnerCentralReconcile = make('PartnerCentralReconcile', 'functions/events/reconcile.ts',
      'Every 30 minutes: ListOpportunities since the watermark per partner, review status to the records', Duration.minutes(5));
    this.functions = { partnerFiling, partnerUpdate, partnerFunding, partnerCentralEvents, partnerCentralReconcile };

    const filingIntegration = new HttpLambdaIntegration('PartnerFilingIntegration', partnerFiling.function);
    props.httpApi.addRoutes({ path: FILE_VIA_API_PATH, methods: [apigwv2.HttpMethod.POST], integration: filingIntegration, authorizer: props.authorizer });
    // The opportunity's life after filing, with the same role (functions/usecases/partner-central-submission.ts).
    for (const [path, method] of OPPORTUNITY_ROUTES) props.httpApi.addRoutes({ path, methods: [method], integration: filingIntegration, authorizer: props.authorizer });
    const updateIntegration = new HttpLambdaIntegration('PartnerUpdateIntegration', partnerUpdate.function);
    props.httpApi.addRoutes({ path: UPDATE_VIA_API_PATH, methods: [apigwv2.HttpMethod.POST], integration: updateIntegration, authorizer: props.authorizer });
    const fundingIntegration = new HttpLambdaIntegration('PartnerFundingIntegration', partnerFunding.function);
    for (const [path, method] of FUNDING_ROUTES) props.httpApi.addRoutes({ path, methods: [method], integration: fundingIntegration, authorizer: props.authorizer });

    // An event the function cannot take after every retry is kept here (14 days) instead of being dropped until the
    // next reconciliation; the alarm on its depth (Observability) tells operations to look and redrive.
    this.deadLetterQueue = new sqs.Queue(this, 'OpportunityEventsDeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: props.removalPolicy,
    });
    acknowledgeRule(this.deadLetterQueue, 'AwsSolutions-SQS3', 'This queue IS the dead-letter queue of the Partner Central event rule\u2019s target; a dead-letter queue of a dead-letter queue would only move the same alarm one hop.');
    this.rule = new events.Rule(this, 'OpportunityEvents', {
      description: 'Partner Central opportunity events (forwarded from partners\u2019 accounts) to the review-status sync',
      eventPattern: { source: [PARTNER_CENTRAL_EVENT_SOURCE], detailType: [...PARTNER_CENTRAL_DETAIL_TYPES] },
      targets: [new eventsTargets.LambdaFunction(partnerCentralEvents.function, {
        retryAttempts: 8,
        maxEventAge: Duration.hours(6),
        deadLetterQueue: this.deadLetterQueue,
      })],
    });

    // Scheduler's own role (only lambda:InvokeFunction on the reconciliation, granted by the target).
    const scheduleRole = new iam.Role(this, 'ReconcileScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'),
      description: 'EventBridge Scheduler: invokes the Partner Central reconciliation',
    });
    acknowledgeWildcardResource(
      scheduleRole,
      `${partnerCentralReconcile.function.functionArn}:*`,
      'lambda:InvokeFunction on the qualified ARNs (versions/aliases) of the one function this schedule invokes; CDK adds it beside the unqualified ARN.',
    );
    this.schedule = new scheduler.Schedule(this, 'ReconcileSchedule', {
      schedule: scheduler.ScheduleExpression.expression(RECONCILE_SCHEDULE),
      description: 'Partner Central reconciliation: ListOpportunities since the stored watermark, per partner',
      target: new schedulerTargets.LambdaInvoke(partnerCentralReconcile.function, {
        input: scheduler.ScheduleTargetInput.fromObject({ reconcile: 'partner-central' }),
        retryAttempts: 2,
        role: scheduleRole,
      }),
    });
  }
}

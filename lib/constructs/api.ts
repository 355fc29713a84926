/**
 * API: the HTTP API (API Gateway v2, payload format 2.0), one Lambda per route group (docs/CONTRACTS.md).
 *
 * Public: POST /worksheets, POST /estimates, GET /openapi.json.
 * Founder: GET /applications/{id}, POST /applications/{id}/withdraw, POST /applications/{id}/confirm-email (the
 * mailed secret), POST .../confirm-email/resend; and, in functions of their own, POST /applications/{id}/revisions
 * (it alone re-validates a worksheet) and GET /applications/{id}/confirm-email (the static page the mail links to, no
 * grants); no gateway authorizer, the handler checks the founder's bearer token (or the confirmation secret).
 * JWT (Cognito user pool authorizer): GET /ops/executions (the handler checks the `ops` group) and /partner/** (the
 * handler checks the `partner` group and the `custom:partnerId` claim, and shows only the caller's applications).
 * The default stage has access logging (JSON, no headers or bodies) and throttling per route (public routes tightest).
 */
import { CfnOutput, Duration, Validations, type RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { HouseFunction, METRICS_NAMESPACE } from './house-function.ts';
import { INTAKE_COUNTS, WORKSHEET_ACCEPTED_LOG } from '../../functions/core/intake-metrics.ts';
import { INTAKE_SETTING_VARIABLES } from '../../functions/wiring/intake-settings.ts';

export interface ApiProps {
  readonly table: dynamodb.ITable;
  readonly stateMachine: sfn.StateMachine;
  readonly userPool: cognito.IUserPool;
  readonly userPoolClient: cognito.IUserPoolClient;
  /** Base URL used in links; defaults to this API's endpoint. */
  readonly publicBaseUrl?: string;
  /** Browser origins allowed by CORS. @default none (no CORS preflight configured) */
  readonly corsAllowOrigins?: string[];
  /**
   * Throttling per route group (requests per second, burst). API Gateway's limits are aggregate, not per client:
   * public routes get far tighter limits than the founder's, partners' and operations' routes, which the per-address
   * and per-account limits in the handlers complement. @default public 5/10, founder 10/20, authenticated 50/100
   */
  readonly throttle?: {
    readonly public: Throttle;
    readonly founder: Throttle;
    readonly authenticated: Throttle;
  };
  /** Intake limits and address-confirmation settings, passed to the intake and founder functions. */
  readonly intakeSettings?: {
    readonly maxOpenPerAddress: number;
    readonly maxOpenPerAccount: number;
    readonly confirmWithinHours: number;
    readonly maxResendsPerApplication: number;
    readonly resendsPerAddressPerDay: number;
    readonly maxOpenPerMailDomain: number;
    readonly worksheetsPerSourcePerDay: number;
  };
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

export interface Throttle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

export const DEFAULT_THROTTLE = {
  public: { rateLimit: 5, burstLimit: 10 },
  founder: { rateLimit: 10, burstLimit: 20 },
  authenticated: { rateLimit: 50, burstLimit: 100 },
} as const;

export type ApiFunctionName = 'intake' | 'estimates' | 'founder' | 'founderRevise' | 'confirmEmailPage' | 'partner' | 'partnerBriefs' | 'partnerApprove' | 'partnerRecords' | 'ops' | 'opsInsights' | 'openApi';

export class Api extends Construct {
  readonly httpApi: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly accessLogs: logs.LogGroup;
  readonly functions: Readonly<Record<ApiFunctionName, HouseFunction>>;
  /** The base URL that links point at (context `publicBaseUrl`, else the API endpoint). */
  readonly publicBaseUrl: string;
  /** The Cognito JWT authorizer of the non-public routes (other constructs add their routes with it). */
  readonly jwtAuthorizer: HttpUserPoolAuthorizer;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const common = { logRetention: props.logRetention, removalPolicy: props.removalPolicy };

    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      description: 'ace-filing: founders, partners and operations',
      createDefaultStage: false,
      ...(props.corsAllowOrigins?.length
        ? {
            corsPreflight: {
              allowOrigins: props.corsAllowOrigins,
              allowMethods: [apigwv2.CorsHttpMethod.GET, apigwv2.CorsHttpMethod.POST, apigwv2.CorsHttpMethod.PATCH, apigwv2.CorsHttpMethod.OPTIONS],
              allowHeaders: ['authorization', 'content-type', 'idempotency-key', 'if-match'],
              exposeHeaders: ['etag', 'location'],
              maxAge: Duration.hours(1),
            },
          }
        : {}),
    });
    this.publicBaseUrl = props.publicBaseUrl ?? this.httpApi.apiEndpoint;

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    this.stage = new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      // The stage default is the authenticated routes' limit; every public and founder route is set tighter below.
      throttle: (props.throttle ?? DEFAULT_THROTTLE).authenticated,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogs),
        format: apigw.AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            routeKey: '$context.routeKey',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
    });

    const intake = new HouseFunction(this, 'Intake', {
      ...common,
      entry: 'functions/http/intake.ts',
      description: 'POST /worksheets (public)',
    })
      .bindTable(props.table, 'readWrite')
      .bindStateMachine(props.stateMachine, 'start')
      .setConfig('PUBLIC_BASE_URL', this.publicBaseUrl);
    // Intake's counts come from its own log line, one per accepted worksheet (functions/core/intake-metrics.ts), so its
    // bundle carries no metrics library. Each filter adds 1 to its metric for each matching line.
    for (const { metricName, replayed } of INTAKE_COUNTS) {
      intake.logGroup.addMetricFilter(`${metricName}Filter`, {
        filterPattern: logs.FilterPattern.all(
          logs.FilterPattern.stringValue('$.message.msg', '=', WORKSHEET_ACCEPTED_LOG),
          logs.FilterPattern.booleanValue('$.message.replayed', replayed),
        ),
        metricNamespace: METRICS_NAMESPACE,
        metricName,
        metricValue: '1',
        unit: cloudwatch.Unit.COUNT,
      });
    }
    // The estimator has no grants at all: it computes and stores nothing.
    const estimates = new HouseFunction(this, 'Estimates', {
      ...common,
      entry: 'functions/http/estimates.ts',
      description: 'POST /estimates (public, nothing stored)',
    });
    const founder = new HouseFunction(this, 'Founder', {
      ...common,
      entry: 'functions/http/founder.ts',
      description: 'GET /applications/{id}, POST .../withdraw, POST .../confirm-email[/resend] (founder bearer token or the mailed secret, checked in the handler)',
    })
      .bindTable(props.table, 'readWrite')
      .bindStateMachine(props.stateMachine, 'taskResponse')
      .bindStateMachine(props.stateMachine, 'stop');
    // The revision route alone re-validates a worksheet (rate card, ACE address rules): its own function, so the
    // founder's other routes do not load that code (issue 11). It answers the revision wait and stops nothing.
    const founderRevise = new HouseFunction(this, 'FounderRevise', {
      ...common,
      entry: 'functions/http/founder-revise.ts',
      description: 'POST /applications/{id}/revisions (founder bearer token, checked in the handler)',
    })
      .bindTable(props.table, 'readWrite')
      .bindStateMachine(props.stateMachine, 'taskResponse');
    // The page a confirmation mail links to is static (the secret stays in the URL fragment; the page POSTs it to the
    // Founder function): its own function with no grants at all, so the founder's routes do not carry its HTML.
    const confirmEmailPage = new HouseFunction(this, 'ConfirmEmailPage', {
      ...common,
      entry: 'functions/http/confirm-email-page.ts',
      description: 'GET /applications/{id}/confirm-email (public): the static page a confirmation mail links to',
    });
    const partner = new HouseFunction(this, 'Partner', {
      ...common,
      entry: 'functions/http/partner.ts',
      description: '/partner/** (JWT, group partner, own applications only): queue, review, replies (request changes, decline), export',
    })
      .bindTable(props.table, 'readWrite')
      // A reply answers the review's task token. It starts no execution: a reply leaves the application changes
      // requested or drafted, where a workflow ended by an escalation is not resumed (run-command.ts).
      .bindStateMachine(props.stateMachine, 'taskResponse');
    // The two partner routes that validate a brief against ACE's rules (model, submission rules, postal codes), each
    // its own function, so the queue, the views and the record routes do not load that code, and neither of the two
    // the other's (issue 11): the brief edit writes the brief and answers no workflow (the table alone, no Step
    // Functions client or rights); the approval re-validates every brief and answers the review.
    const partnerBriefs = new HouseFunction(this, 'PartnerBriefs', {
      ...common,
      entry: 'functions/http/partner-briefs.ts',
      description: 'PATCH /partner/applications/{id}/briefs/{programId} (JWT, group partner, own applications only): the brief edit, validated against ACE',
    })
      .bindTable(props.table, 'readWrite');
    const partnerApprove = new HouseFunction(this, 'PartnerApprove', {
      ...common,
      entry: 'functions/http/partner-approve.ts',
      description: 'POST /partner/applications/{id}/approve (JWT, group partner, own applications only): the approval, every brief validated against ACE',
    })
      .bindTable(props.table, 'readWrite')
      .bindStateMachine(props.stateMachine, 'taskResponse')
      // An approval is answered through the review's task token; the same resume rule as Partner (run-command.ts).
      .bindStateMachine(props.stateMachine, 'start');
    // The routes that record what happened to an approved record (filed by hand, AWS's outcome, credits): their own
    // function, since AWS's approval drafts the funding request (the Benefits data and model's shapes), so the queue,
    // the views and the replies do not load that code (issue 11).
    const partnerRecords = new HouseFunction(this, 'PartnerRecords', {
      ...common,
      entry: 'functions/http/partner-records.ts',
      description: 'POST /partner/applications/{id}/briefs/{programId}/filed, .../aws-review, .../credits (JWT, group partner, own applications only): the records after approval',
    })
      .bindTable(props.table, 'readWrite')
      .bindStateMachine(props.stateMachine, 'taskResponse')
      // A record change on an escalated application (its execution ended) starts a new one (run-command.ts).
      .bindStateMachine(props.stateMachine, 'start');
    const ops = new HouseFunction(this, 'Ops', {
      ...common,
      entry: 'functions/http/ops.ts',
      description: 'GET /ops/executions, /ops/applications[/{id}[/story]] (JWT, group ops)',
    })
      .bindTable(props.table, 'read')
      .bindStateMachine(props.stateMachine, 'read');
    // The reads from the table alone (stuck, failed, the pipeline): their own function, so the Ops routes do not load
    // the stuck limits and pipeline figures, and these hold no Step Functions rights (issue 11 §1).
    const opsInsights = new HouseFunction(this, 'OpsInsights', {
      ...common,
      entry: 'functions/http/ops-insights.ts',
      description: 'GET /ops/stuck, /ops/failed, /ops/pipeline (JWT, group ops)',
    }).bindTable(props.table, 'read');
    const openApi = new HouseFunction(this, 'OpenApi', {
      ...common,
      entry: 'functions/http/openapi.ts',
      description: 'GET /openapi.json (public)',
    });
    this.functions = { intake, estimates, founder, founderRevise, confirmEmailPage, partner, partnerBriefs, partnerApprove, partnerRecords, ops, opsInsights, openApi };
    if (props.intakeSettings) {
      const v = INTAKE_SETTING_VARIABLES;
      const env: Array<[string, number]> = [
        [v.maxOpenPerAddress, props.intakeSettings.maxOpenPerAddress],
        [v.maxOpenPerAccount, props.intakeSettings.maxOpenPerAccount],
        [v.confirmWithinHours, props.intakeSettings.confirmWithinHours],
        [v.maxResendsPerApplication, props.intakeSettings.maxResendsPerApplication],
        [v.resendsPerAddressPerDay, props.intakeSettings.resendsPerAddressPerDay],
        [v.maxOpenPerMailDomain, props.intakeSettings.maxOpenPerMailDomain],
      ];
      for (const fn of [intake, founder]) for (const [name, value] of env) fn.function.addEnvironment(name, String(value));
      intake.function.addEnvironment(v.worksheetsPerSourcePerDay, String(props.intakeSettings.worksheetsPerSourcePerDay));
    }

    const jwt = new HttpUserPoolAuthorizer('CognitoJwt', props.userPool, { userPoolClients: [props.userPoolClient] });
    this.jwtAuthorizer = jwt;
    const integrate = (name: string, fn: HouseFunction) => new HttpLambdaIntegration(`${name}Integration`, fn.function);
    const intakeIntegration = integrate('Intake', intake);
    const founderIntegration = integrate('Founder', founder);
    const founderReviseIntegration = integrate('FounderRevise', founderRevise);
    const founderReason = 'Founders have no Cognito user: the handler verifies the per-application founder bearer token (stored only as a hash).';

    const publicRoutes: Array<[string, apigwv2.HttpMethod, HttpLambdaIntegration, string]> = [
      ['/worksheets', apigwv2.HttpMethod.POST, intakeIntegration, 'Founders submit a worksheet without an account (public by design); abuse is bounded by the stage throttle, the handler\'s 64 KiB body limit and strict validation before anything is stored.'],
      ['/estimates', apigwv2.HttpMethod.POST, integrate('Estimates', estimates), 'Public estimate calculator: nothing is stored.'],
      ['/openapi.json', apigwv2.HttpMethod.GET, integrate('OpenApi', openApi), 'The public API description.'],
      ['/applications/{id}', apigwv2.HttpMethod.GET, founderIntegration, founderReason],
      ['/applications/{id}/revisions', apigwv2.HttpMethod.POST, founderReviseIntegration, founderReason],
      ['/applications/{id}/withdraw', apigwv2.HttpMethod.POST, founderIntegration, founderReason],
      ['/applications/{id}/confirm-email', apigwv2.HttpMethod.GET, integrate('ConfirmEmailPage', confirmEmailPage), 'The page a confirmation mail links to: it changes nothing and carries no secret (that stays in the URL fragment).'],
      ['/applications/{id}/confirm-email', apigwv2.HttpMethod.POST, founderIntegration, 'The founder confirms the address with the single-use secret from the mail (only its hash is stored); no account exists yet.'],
      ['/applications/{id}/confirm-email/resend', apigwv2.HttpMethod.POST, founderIntegration, founderReason],
    ];
    const throttledRoutes: apigwv2.HttpRoute[] = [];
    for (const [path, method, integration, reason] of publicRoutes) {
      for (const route of this.httpApi.addRoutes({ path, methods: [method], integration })) {
        Validations.of(route).acknowledge({ id: 'AwsSolutions-APIG4', reason });
        throttledRoutes.push(route);
      }
    }
    const opsIntegration = integrate('Ops', ops);
    for (const path of ['/ops/executions', '/ops/applications', '/ops/applications/{id}', '/ops/applications/{id}/story']) {
      this.httpApi.addRoutes({ path, methods: [apigwv2.HttpMethod.GET], integration: opsIntegration, authorizer: jwt });
    }
    const opsInsightsIntegration = integrate('OpsInsights', opsInsights);
    for (const path of ['/ops/stuck', '/ops/failed', '/ops/pipeline']) {
      this.httpApi.addRoutes({ path, methods: [apigwv2.HttpMethod.GET], integration: opsInsightsIntegration, authorizer: jwt });
    }
    const partnerIntegration = integrate('Partner', partner);
    const partnerBriefsIntegration = integrate('PartnerBriefs', partnerBriefs);
    const partnerApproveIntegration = integrate('PartnerApprove', partnerApprove);
    const partnerRecordsIntegration = integrate('PartnerRecords', partnerRecords);
    const partnerRoutes: Array<[string, apigwv2.HttpMethod, HttpLambdaIntegration]> = [
      ['/partner/applications', apigwv2.HttpMethod.GET, partnerIntegration],
      ['/partner/applications/{id}', apigwv2.HttpMethod.GET, partnerIntegration],
      ['/partner/applications/{id}/approve', apigwv2.HttpMethod.POST, partnerApproveIntegration],
      ['/partner/applications/{id}/request-changes', apigwv2.HttpMethod.POST, partnerIntegration],
      ['/partner/applications/{id}/decline', apigwv2.HttpMethod.POST, partnerIntegration],
      ['/partner/applications/{id}/briefs/{programId}', apigwv2.HttpMethod.PATCH, partnerBriefsIntegration],
      ['/partner/applications/{id}/briefs/{programId}/create-opportunity', apigwv2.HttpMethod.GET, partnerIntegration],
      ['/partner/applications/{id}/briefs/{programId}/filed', apigwv2.HttpMethod.POST, partnerRecordsIntegration],
      ['/partner/applications/{id}/briefs/{programId}/aws-review', apigwv2.HttpMethod.POST, partnerRecordsIntegration],
      ['/partner/applications/{id}/briefs/{programId}/credits', apigwv2.HttpMethod.POST, partnerRecordsIntegration],
    ];
    for (const [path, method, integration] of partnerRoutes) {
      this.httpApi.addRoutes({ path, methods: [method], integration, authorizer: jwt });
    }

    // Per-route throttling (API Gateway answers 429 itself, without Retry-After): anonymous routes tightest, the
    // founder's token routes next; partner and operations routes (JWT) keep the stage default.
    const throttle = props.throttle ?? DEFAULT_THROTTLE;
    // RouteSettings is free-form JSON in CloudFormation: the keys are written as CloudFormation spells them.
    const routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    for (const [path, method] of publicRoutes) {
      const limits = path.startsWith('/applications/') && !path.includes('/confirm-email') ? throttle.founder : throttle.public;
      routeSettings[`${method} ${path}`] = { ThrottlingRateLimit: limits.rateLimit, ThrottlingBurstLimit: limits.burstLimit };
    }
    const cfnStage = this.stage.node.defaultChild as apigwv2.CfnStage;
    cfnStage.routeSettings = routeSettings;
    // A route's settings can only be set once the route exists.
    for (const route of throttledRoutes) this.stage.node.addDependency(route);
    this.publicRouteSettings = routeSettings;
    this.publicThrottle = throttle.public;

    new CfnOutput(this, 'Url', { value: this.httpApi.apiEndpoint, description: 'HTTP API base URL' });
  }

  private readonly publicRouteSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }>;
  private readonly publicThrottle: { rateLimit: number; burstLimit: number };

  /** An anonymous route added by another construct (e.g. the operations board page) gets the public routes' throttle. */
  throttleAsPublic(method: apigwv2.HttpMethod, path: string, routes: readonly apigwv2.HttpRoute[]): void {
    this.publicRouteSettings[`${method} ${path}`] = { ThrottlingRateLimit: this.publicThrottle.rateLimit, ThrottlingBurstLimit: this.publicThrottle.burstLimit };
    for (const route of routes) this.stage.node.addDependency(route);
  }
}

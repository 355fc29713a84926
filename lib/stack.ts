/**
 * AceFilingStack: composes one construct per concern (data, auth, notifications, workflow, api, observability).
 * No resources are defined here directly.
 */
import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { AppConfig } from './config.ts';
import { Api } from './constructs/api.ts';
import { Auth } from './constructs/auth.ts';
import { Data } from './constructs/data.ts';
import { Notifications } from './constructs/notifications.ts';
import { Observability } from './constructs/observability.ts';
import { Operations } from './constructs/operations.ts';
import { PartnerCentral } from './constructs/partner-central-integration.ts';
import { Workflow } from './constructs/workflow.ts';

export interface AceFilingStackProps extends StackProps {
  readonly config: AppConfig;
}

export class AceFilingStack extends Stack {
  readonly data: Data;
  readonly auth: Auth;
  readonly notifications: Notifications;
  readonly workflow: Workflow;
  readonly api: Api;
  readonly partnerCentral: PartnerCentral;
  readonly operations: Operations;
  readonly observability: Observability;

  constructor(scope: Construct, id: string, props: AceFilingStackProps) {
    super(scope, id, props);
    const { config } = props;
    const retainData = config.stage === 'prod';
    const logRetention = toRetention(config.logRetentionDays);
    const removalPolicy = retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.data = new Data(this, 'Data', { retainData });
    this.auth = new Auth(this, 'Auth', { retainData });
    this.notifications = new Notifications(this, 'Notifications', {
      senderEmail: config.senderEmail,
      configurationSetName: config.sesConfigurationSet,
      opsEmail: config.opsEmail,
    });
    this.workflow = new Workflow(this, 'Workflow', {
      table: this.data.table,
      mailer: this.notifications,
      aceCatalog: config.aceCatalog,
      partnerReviewTimeout: hours(config.partnerReviewTimeoutHours),
      partnerReviewGrace: hours(config.partnerReviewGraceHours),
      founderRevisionTimeout: hours(config.founderRevisionTimeoutDays * 24),
      awsDecisionTimeout: hours(config.awsDecisionTimeoutDays * 24),
      creditsTimeout: hours(config.creditsTimeoutDays * 24),
      addressConfirmation: { confirmWithinHours: config.addressConfirmationHours, maxResendsPerApplication: config.confirmationResendsPerApplication },
      logRetention,
      removalPolicy,
    });
    this.api = new Api(this, 'Api', {
      table: this.data.table,
      stateMachine: this.workflow.stateMachine,
      userPool: this.auth.userPool,
      userPoolClient: this.auth.client,
      ...(config.publicBaseUrl ? { publicBaseUrl: config.publicBaseUrl } : {}),
      throttle: config.throttle,
      intakeSettings: {
        maxOpenPerAddress: config.maxOpenApplicationsPerAddress,
        maxOpenPerAccount: config.maxOpenApplicationsPerAccount,
        confirmWithinHours: config.addressConfirmationHours,
        maxResendsPerApplication: config.confirmationResendsPerApplication,
        resendsPerAddressPerDay: config.confirmationResendsPerAddressPerDay,
        maxOpenPerMailDomain: config.maxOpenApplicationsPerMailDomain,
        worksheetsPerSourcePerDay: config.worksheetsPerSourcePerDay,
      },
      logRetention,
      removalPolicy,
    });
    // Mail links point at the same base URL as the API's own links.
    this.workflow.functions.notify.setConfig('PUBLIC_BASE_URL', this.api.publicBaseUrl);
    this.workflow.functions.expirySweep.setConfig('PUBLIC_BASE_URL', this.api.publicBaseUrl);
    // Filing through the Partner Central API and the review-status sync (events + reconciliation).
    this.partnerCentral = new PartnerCentral(this, 'PartnerCentral', {
      table: this.data.table,
      stateMachine: this.workflow.stateMachine,
      aceCatalog: config.aceCatalog,
      httpApi: this.api.httpApi,
      authorizer: this.api.jwtAuthorizer,
      logRetention,
      removalPolicy,
    });

    // Operations: actions and the live board (issue 9).
    this.operations = new Operations(this, 'Operations', {
      table: this.data.table,
      stateMachine: this.workflow.stateMachine,
      mailer: this.notifications,
      httpApi: this.api.httpApi,
      throttleAsPublic: (method, path, routes) => this.api.throttleAsPublic(method, path, routes),
      authorizer: this.api.jwtAuthorizer,
      publicBaseUrl: this.api.publicBaseUrl,
      logRetention,
      removalPolicy,
    });

    const functions = {
      ...Object.fromEntries(Object.entries(this.workflow.functions).map(([k, f]) => [k, f.function])),
      ...Object.fromEntries(Object.entries(this.api.functions).map(([k, f]) => [k, f.function])),
      ...Object.fromEntries(Object.entries(this.partnerCentral.functions).map(([k, f]) => [k, f.function])),
      ...Object.fromEntries(Object.entries(this.operations.functions).map(([k, f]) => [k, f.function])),
    };
    this.observability = new Observability(this, 'Observability', {
      stateMachine: this.workflow.stateMachine,
      functions,
      table: this.data.table,
      httpApi: this.api.httpApi,
      errorsAreControlFlow: ['awaitHumanStep'],
      deadLetterQueues: { PartnerCentralEvents: this.partnerCentral.deadLetterQueue },
      ...(config.alarmEmail ? { alarmEmail: config.alarmEmail } : {}),
    });
  }
}

/** A task-token wait's TimeoutSeconds from a configured number of hours (at least one second). */
function hours(h: number): Duration {
  return Duration.seconds(Math.max(1, Math.round(h * 3600)));
}

function toRetention(days: number): logs.RetentionDays {
  const allowed = Object.values(logs.RetentionDays).filter((v): v is number => typeof v === 'number');
  if (!allowed.includes(days)) throw new Error(`context 'logRetentionDays' must be one of: ${allowed.join(', ')}`);
  return days as logs.RetentionDays;
}

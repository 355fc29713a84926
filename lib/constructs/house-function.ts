/**
 * The house Lambda function: one NodejsFunction wrapper holding the defaults every function shares (latest Node.js
 * runtime, arm64, minified ESM bundle with source maps, its own log group with retention, Lambda's JSON log format
 * with application and system log levels, active tracing, its own role without managed policies) and binding methods
 * that set an environment variable and grant the matching permission in one call, so the two can never drift apart.
 *
 * It also stamps CloudFormation metadata `ace-filing:entry` / `ace-filing:handler` on the function resource: the local
 * runtime and the infra tests read them to run (or check) the very module that is deployed (docs/CONTRACTS.md).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Stack, Validations, ArnFormat } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { ConfigKey } from '../../functions/adapters/config.ts';
import { INDEX_LIST } from '../../functions/adapters/dynamo/keys.ts';
import { LAMBDA_BUNDLE } from '../bundling.ts';
import { acknowledgeWildcardResource } from '../nag.ts';

/** Project root (this file lives in lib/constructs/). */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const METADATA_ENTRY = 'ace-filing:entry';
export const METADATA_HANDLER = 'ace-filing:handler';

export const SERVICE_NAME = 'ace-filing';
export const METRICS_NAMESPACE = 'AceFiling';

/** Application log level of every function (AWS_LAMBDA_LOG_LEVEL in the function; LOG_LEVEL locally, same default). */
export const HOUSE_APPLICATION_LOG_LEVEL = lambda.ApplicationLogLevel.INFO;
/** System (platform) log level of every function: INFO keeps the REPORT line of every invocation. */
export const HOUSE_SYSTEM_LOG_LEVEL = lambda.SystemLogLevel.INFO;

/** The newest Node.js runtime this aws-cdk-lib knows (cdk-nag L1 asks for the latest). */
export const HOUSE_RUNTIME = lambda.Runtime.NODEJS_24_X;


export type TableAccess = 'read' | 'readWrite';
export type StateMachineAccess = 'start' | 'taskResponse' | 'read' | 'stop';

// Exactly the calls the repositories make (functions/adapters/dynamo): no Scan, no DeleteItem (claims are given back by
// expiring them), no batch writes or transactions.
const TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
const TABLE_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem'];

/** What a function needs to send mail: provided by the notifications construct. */
export interface IMailer {
  readonly senderEmail: string;
  readonly configurationSetName: string;
  readonly opsEmail: string;
  /** Grants exactly the sending actions on the sender identity and configuration set. */
  grantSend(grantee: iam.IGrantable): iam.Grant;
}

export interface HouseFunctionProps {
  /** Handler module, relative to the project root, e.g. `functions/workflow/size.ts`. */
  readonly entry: string;
  /** Exported handler name. @default 'handler' */
  readonly handler?: string;
  readonly description?: string;
  /** @default 10 seconds */
  readonly timeout?: Duration;
  /** @default 512 MB (arm64: more memory also buys CPU for cold starts) */
  readonly memorySize?: number;
  readonly logRetention: logs.RetentionDays;
  /** Applies to the log group. @default RemovalPolicy.DESTROY */
  readonly removalPolicy?: RemovalPolicy;
}

export class HouseFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  /** Entry module relative to the project root (posix separators). */
  readonly entry: string;
  readonly handlerName: string;

  constructor(scope: Construct, id: string, props: HouseFunctionProps) {
    super(scope, id);
    this.entry = props.entry.split(path.sep).join('/');
    this.handlerName = props.handler ?? 'handler';

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
    });

    // An own role instead of AWSLambdaBasicExecutionRole: log writes scoped to this function's log group only.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${this.node.path}`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: path.join(PROJECT_ROOT, this.entry),
      handler: this.handlerName,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      runtime: HOUSE_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      timeout: props.timeout ?? Duration.seconds(10),
      memorySize: props.memorySize ?? 512,
      tracing: lambda.Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      // Lambda's advanced logging controls do what a logging library did (functions/adapters/observability.ts): each
      // console call becomes one JSON line with timestamp, level and requestId, and lines below the application level
      // are dropped by the runtime. System level INFO keeps the per-invocation report (duration, billed duration,
      // init duration, memory), the figures issue 11's cold starts and cost are read from on AWS; WARN would drop it.
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: HOUSE_APPLICATION_LOG_LEVEL,
      systemLogLevelV2: HOUSE_SYSTEM_LOG_LEVEL,
      ...(props.description ? { description: props.description } : {}),
      environment: {
        // Read by Powertools Metrics (functions/adapters/metrics.ts) in the functions that emit metrics.
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        NODE_OPTIONS: '--enable-source-maps',
      },
      // The esbuild options shared with the bundle benchmark (lib/bundling.ts), so both build the same way.
      bundling: {
        format: LAMBDA_BUNDLE.format === 'esm' ? OutputFormat.ESM : OutputFormat.CJS,
        target: LAMBDA_BUNDLE.target,
        platform: LAMBDA_BUNDLE.platform,
        mainFields: [...LAMBDA_BUNDLE.mainFields],
        minify: LAMBDA_BUNDLE.minify,
        banner: LAMBDA_BUNDLE.banner,
        sourceMap: true,
        sourcesContent: false,
        // Bundle the AWS SDK too: a pinned, tree-shaken client instead of whatever the runtime ships.
        externalModules: [],
        logLevel: LogLevel.WARNING,
      },
    });

    const cfn = this.function.node.defaultChild as lambda.CfnFunction;
    cfn.addMetadata(METADATA_ENTRY, this.entry);
    cfn.addMetadata(METADATA_HANDLER, this.handlerName);

    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions (CDK adds them).',
    });
  }

  /** ARN pattern of every execution of one state machine (execution ARNs are only known at run time). */
  private executionsOf(stateMachine: sfn.StateMachine): string {
    return Stack.of(this).formatArn({
      service: 'states',
      resource: 'execution',
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      resourceName: `${stateMachine.stateMachineName}:*`,
    });
  }

  /** Sets a plain configuration variable (no permission attached). */
  setConfig(name: ConfigKey, value: string): this {
    this.function.addEnvironment(name, value);
    return this;
  }

  /**
   * TABLE_NAME plus item-level access to the table and its named indexes (no `index/*` wildcard).
   * 'read' never includes Scan.
   */
  bindTable(table: dynamodb.ITable, access: TableAccess): this {
    this.function.addEnvironment('TABLE_NAME', table.tableName);
    const indexArns = INDEX_LIST.map((index) => `${table.tableArn}/index/${index.indexName}`);
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: access === 'read' ? 'TableRead' : 'TableReadWrite',
        actions: access === 'read' ? TABLE_READ_ACTIONS : [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS],
        resources: [table.tableArn, ...indexArns],
      }),
    );
    if (table.encryptionKey) {
      if (access === 'read') table.encryptionKey.grantDecrypt(this.role);
      else table.encryptionKey.grantEncryptDecrypt(this.role);
    }
    return this;
  }

  /**
   * STATE_MACHINE_ARN plus one of:
   * - 'start': states:StartExecution on the state machine;
   * - 'taskResponse': SendTaskSuccess/Failure/Heartbeat on the state machine (task tokens belong to it);
   * - 'read': ListExecutions on the state machine, Describe/GetExecutionHistory on its executions;
   * - 'stop': StopExecution on its executions (a founder's withdrawal).
   */
  bindStateMachine(stateMachine: sfn.StateMachine, access: StateMachineAccess): this {
    this.function.addEnvironment('STATE_MACHINE_ARN', stateMachine.stateMachineArn);
    switch (access) {
      case 'start':
        stateMachine.grantStartExecution(this.role);
        break;
      case 'taskResponse':
        stateMachine.grantTaskResponse(this.role);
        break;
      case 'stop': {
        const executions = this.executionsOf(stateMachine);
        this.role.addToPrincipalPolicy(
          new iam.PolicyStatement({ sid: 'StopExecutions', actions: ['states:StopExecution'], resources: [executions] }),
        );
        acknowledgeWildcardResource(
          this.role,
          executions,
          'Execution ARNs are only known at run time; the wildcard covers executions of this one state machine only.',
        );
        break;
      }
      case 'read': {
        this.role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            sid: 'ListExecutions',
            actions: ['states:ListExecutions'],
            resources: [stateMachine.stateMachineArn],
          }),
        );
        const executions = this.executionsOf(stateMachine);
        this.role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            sid: 'ReadExecutions',
            actions: ['states:DescribeExecution', 'states:GetExecutionHistory'],
            resources: [executions],
          }),
        );
        acknowledgeWildcardResource(
          this.role,
          executions,
          'Execution ARNs are only known at run time; the wildcard covers executions of this one state machine only.',
        );
        break;
      }
    }
    return this;
  }

  /** SENDER_EMAIL, SES_CONFIGURATION_SET and OPS_EMAIL plus the send grant (identity + configuration set only). */
  bindMailer(mailer: IMailer): this {
    this.function.addEnvironment('SENDER_EMAIL', mailer.senderEmail);
    this.function.addEnvironment('SES_CONFIGURATION_SET', mailer.configurationSetName);
    this.function.addEnvironment('OPS_EMAIL', mailer.opsEmail);
    mailer.grantSend(this.role);
    return this;
  }
}

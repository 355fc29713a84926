// Reads what the local runtime needs out of the synthesized CloudFormation template: the DynamoDB table(s), the
// Lambda functions (entry module + export from the house construct's metadata, environment), the state machine
// definition(s) and the HTTP API routes. CloudFormation references are resolved to local names, so that e.g.
// TABLE_NAME = { Ref: Table } becomes the local table's name and the definition's Lambda ARNs become placeholders
// `arn:aws:lambda:<region>:000000000000:function:<logicalId>` that the local Step Functions maps back to handlers.

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export interface CfnResource {
  Type: string;
  Properties?: Record<string, Json>;
  Metadata?: Record<string, Json>;
  Condition?: string;
}
export interface CfnTemplate {
  Resources?: Record<string, CfnResource>;
  Parameters?: Record<string, { Default?: Json }>;
  Conditions?: Record<string, Json>;
  Outputs?: Record<string, Json>;
}

export interface LocalNames {
  region: string;
  accountId: string;
  /** Base URL of the local HTTP API (e.g. http://127.0.0.1:3000), for ApiEndpoint references. */
  apiUrl: string;
  /** Local dev issuer and client id stand in for the Cognito user pool and its app client. */
  userPoolId: string;
  userPoolClientId: string;
  stackName: string;
}

export interface FunctionSpec {
  logicalId: string;
  functionName: string;
  arn: string;
  /** Project-relative module path from the `ace-filing:entry` metadata. */
  entry: string;
  /** Export name from the `ace-filing:handler` metadata (default `handler`). */
  handler: string;
  environment: Record<string, string>;
  timeoutSeconds: number;
}

export interface TableSpec {
  logicalId: string;
  tableName: string;
  createTable: {
    TableName: string;
    KeySchema: Json;
    AttributeDefinitions: Json;
    BillingMode: 'PAY_PER_REQUEST';
    GlobalSecondaryIndexes?: Json[];
    LocalSecondaryIndexes?: Json[];
  };
}

export interface StateMachineSpec {
  logicalId: string;
  name: string;
  arn: string;
  roleArn: string;
  definition: Record<string, unknown>;
}

export interface JwtAuthorizerSpec {
  logicalId: string;
  issuer: string;
  audience: string[];
}

export interface RouteSpec {
  routeKey: string;
  /** Upper-case method or 'ANY'; '$default' routes have method 'ANY' and path '$default'. */
  method: string;
  path: string;
  authorizationType: 'NONE' | 'JWT' | 'AWS_IAM' | 'CUSTOM';
  authorizer?: JwtAuthorizerSpec;
  scopes: string[];
  functionLogicalId: string;
  payloadFormatVersion: string;
  /**
   * The stage's throttle for this route: its `RouteSettings` entry, else the stage's `DefaultRouteSettings` (API
   * Gateway's token bucket: `rateLimit` requests a second, bursts up to `burstLimit`); absent when neither sets one.
   */
  throttle?: RouteThrottle;
}

export interface RouteThrottle {
  rateLimit: number;
  burstLimit: number;
}

export interface LocalModel {
  tables: TableSpec[];
  functions: FunctionSpec[];
  stateMachines: StateMachineSpec[];
  routes: RouteSpec[];
  apiId: string;
  /** Union of every function's environment (see README: handlers share one process). */
  environment: Record<string, string>;
  /** Variables that two functions set to different values (the first value wins). */
  environmentConflicts: string[];
}

type Resolved = Json | undefined;

export class TemplateResolver {
  readonly #t: CfnTemplate;
  readonly #names: LocalNames;

  constructor(template: CfnTemplate, names: LocalNames) {
    this.#t = template;
    this.#names = names;
  }

  get resources(): Record<string, CfnResource> {
    return this.#t.Resources ?? {};
  }

  resource(logicalId: string): CfnResource {
    const r = this.resources[logicalId];
    if (!r) throw new Error(`template has no resource ${logicalId}`);
    return r;
  }

  /** Local physical name (what `Ref` returns) for a resource. */
  ref(logicalId: string): string {
    const n = this.#names;
    switch (logicalId) {
      case 'AWS::Region':
        return n.region;
      case 'AWS::AccountId':
        return n.accountId;
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackName':
        return n.stackName;
      case 'AWS::StackId':
        return `arn:aws:cloudformation:${n.region}:${n.accountId}:stack/${n.stackName}/local`;
      case 'AWS::NoValue':
        return '';
    }
    const param = this.#t.Parameters?.[logicalId];
    if (param) return String(param.Default ?? '');
    const r = this.resource(logicalId);
    const p = r.Properties ?? {};
    const named = (key: string): string => (typeof p[key] === 'string' ? (p[key] as string) : logicalId);
    switch (r.Type) {
      case 'AWS::DynamoDB::Table':
      case 'AWS::DynamoDB::GlobalTable':
        return named('TableName');
      case 'AWS::Lambda::Function':
        return named('FunctionName');
      case 'AWS::StepFunctions::StateMachine':
        return this.getAtt(logicalId, 'Arn');
      case 'AWS::Cognito::UserPool':
        return n.userPoolId;
      case 'AWS::Cognito::UserPoolClient':
        return n.userPoolClientId;
      case 'AWS::ApiGatewayV2::Api':
        return 'local';
      case 'AWS::SES::ConfigurationSet':
        return named('Name');
      case 'AWS::SES::EmailIdentity':
        return named('EmailIdentity');
      case 'AWS::IAM::Role':
        return named('RoleName');
      case 'AWS::SQS::Queue':
        return `https://sqs.${n.region}.amazonaws.com/${n.accountId}/${named('QueueName')}`;
      case 'AWS::SNS::Topic':
        return `arn:aws:sns:${n.region}:${n.accountId}:${named('TopicName')}`;
      default:
        return logicalId;
    }
  }

  getAtt(logicalId: string, attr: string): string {
    const n = this.#names;
    const r = this.resource(logicalId);
    const name = (): string => this.ref(logicalId);
    switch (r.Type) {
      case 'AWS::DynamoDB::Table':
      case 'AWS::DynamoDB::GlobalTable':
        if (attr === 'Arn') return `arn:aws:dynamodb:${n.region}:${n.accountId}:table/${name()}`;
        if (attr === 'StreamArn') return `arn:aws:dynamodb:${n.region}:${n.accountId}:table/${name()}/stream/local`;
        break;
      case 'AWS::Lambda::Function':
        if (attr === 'Arn') return `arn:aws:lambda:${n.region}:${n.accountId}:function:${name()}`;
        break;
      case 'AWS::StepFunctions::StateMachine': {
        const p = r.Properties ?? {};
        const smName = typeof p.StateMachineName === 'string' ? p.StateMachineName : logicalId;
        if (attr === 'Arn') return `arn:aws:states:${n.region}:${n.accountId}:stateMachine:${smName}`;
        if (attr === 'Name') return smName;
        break;
      }
      case 'AWS::IAM::Role':
        if (attr === 'Arn') return `arn:aws:iam::${n.accountId}:role/${name()}`;
        break;
      case 'AWS::ApiGatewayV2::Api':
        if (attr === 'ApiEndpoint') return n.apiUrl;
        if (attr === 'ApiId') return 'local';
        break;
      case 'AWS::Cognito::UserPool':
        if (attr === 'Arn') return `arn:aws:cognito-idp:${n.region}:${n.accountId}:userpool/${n.userPoolId}`;
        if (attr === 'ProviderURL') return `cognito-idp.${n.region}.amazonaws.com/${n.userPoolId}`;
        if (attr === 'ProviderName') return `cognito-idp.${n.region}.amazonaws.com/${n.userPoolId}`;
        break;
      case 'AWS::SQS::Queue':
        if (attr === 'Arn') return `arn:aws:sqs:${n.region}:${n.accountId}:${logicalId}`;
        break;
    }
    if (attr === 'Arn') return `arn:aws:local:${n.region}:${n.accountId}:${logicalId}`;
    return `${logicalId}.${attr}`;
  }

  /** Resolves intrinsic functions (Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split, Fn::If, ...). */
  resolve(value: Json | undefined): Resolved {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) {
      return value.map((v) => this.resolve(v)).filter((v) => v !== undefined) as Json[];
    }
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const k = keys[0] as string;
      const arg = value[k] as Json;
      switch (k) {
        case 'Ref':
          if (arg === 'AWS::NoValue') return undefined;
          return this.ref(String(arg));
        case 'Fn::GetAtt': {
          const [id, attr] = Array.isArray(arg) ? arg.map(String) : String(arg).split(/\.(.+)/);
          return this.getAtt(id as string, attr as string);
        }
        case 'Fn::Join': {
          const [sep, parts] = arg as [string, Json];
          const list = this.resolve(parts) as Json[];
          return list.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(sep);
        }
        case 'Fn::Sub':
          return this.#sub(arg);
        case 'Fn::Select': {
          const [index, list] = arg as [Json, Json];
          return (this.resolve(list) as Json[])[Number(this.resolve(index))];
        }
        case 'Fn::Split': {
          const [sep, s] = arg as [string, Json];
          return String(this.resolve(s)).split(sep);
        }
        case 'Fn::If': {
          const [cond, a, b] = arg as [string, Json, Json];
          return this.condition(cond) ? this.resolve(a) : this.resolve(b);
        }
        case 'Fn::Base64':
          return Buffer.from(String(this.resolve(arg))).toString('base64');
        case 'Fn::GetAZs':
          return [`${this.#names.region}a`, `${this.#names.region}b`];
        case 'Fn::ImportValue':
          return `imported:${JSON.stringify(this.resolve(arg))}`;
        case 'Fn::FindInMap':
          throw new Error('Fn::FindInMap is not supported by the local runtime');
      }
    }
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = this.resolve(v);
      if (r !== undefined) out[k] = r;
    }
    return out;
  }

  condition(name: string): boolean {
    const c = this.#t.Conditions?.[name];
    return c === undefined ? true : this.#evalCondition(c);
  }

  #evalCondition(c: Json): boolean {
    if (c && typeof c === 'object' && !Array.isArray(c)) {
      const [k, arg] = Object.entries(c)[0] ?? [];
      const args = (Array.isArray(arg) ? arg : []) as Json[];
      switch (k) {
        case 'Fn::Equals':
          return JSON.stringify(this.resolve(args[0])) === JSON.stringify(this.resolve(args[1]));
        case 'Fn::Not':
          return !this.#evalCondition(args[0] ?? null);
        case 'Fn::And':
          return args.every((a) => this.#evalCondition(a));
        case 'Fn::Or':
          return args.some((a) => this.#evalCondition(a));
        case 'Condition':
          return this.condition(String(arg));
      }
    }
    return Boolean(this.resolve(c));
  }

  #sub(arg: Json): string {
    const [text, vars] = (Array.isArray(arg) ? arg : [arg, {}]) as [string, Record<string, Json>];
    return text.replace(/\$\{([^}!][^}]*)\}/g, (_m, expr: string) => {
      if (vars && expr in vars) return String(this.resolve(vars[expr] ?? null));
      const dot = expr.indexOf('.');
      if (dot > 0 && !expr.startsWith('AWS::')) return this.getAtt(expr.slice(0, dot), expr.slice(dot + 1));
      return this.ref(expr);
    }).replace(/\$\{!/g, '${');
  }
}

const str = (v: Resolved): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v));

function refTarget(v: Json | undefined): string | undefined {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    if (typeof v.Ref === 'string') return v.Ref;
    const ga = v['Fn::GetAtt'];
    if (Array.isArray(ga) && typeof ga[0] === 'string') return ga[0];
    if (typeof ga === 'string') return ga.split('.')[0];
  }
  return undefined;
}

/** Logical ids referenced anywhere inside `v` (Ref / GetAtt / ${X} in Fn::Sub). */
function referencedIds(v: Json | undefined, out = new Set<string>()): Set<string> {
  if (v && typeof v === 'object') {
    if (Array.isArray(v)) v.forEach((x) => referencedIds(x, out));
    else {
      const t = refTarget(v);
      if (t) out.add(t);
      const sub = v['Fn::Sub'];
      const text = Array.isArray(sub) ? sub[0] : sub;
      if (typeof text === 'string') for (const m of text.matchAll(/\$\{([^}.!]+)/g)) out.add(m[1] as string);
      Object.values(v).forEach((x) => referencedIds(x, out));
    }
  }
  return out;
}

/** Placeholder Lambda ARN → function logical id (last ARN segment, qualifier stripped). */
export function functionNameFromRef(ref: string): string {
  const m = /^arn:aws[\w-]*:lambda:[^:]*:[^:]*:function:([^:]+)(?::.*)?$/.exec(ref);
  return m ? (m[1] as string) : ref;
}

export function buildLocalModel(template: CfnTemplate, names: LocalNames): LocalModel {
  const r = new TemplateResolver(template, names);
  const entries = Object.entries(r.resources).filter(([, res]) => !res.Condition || r.condition(res.Condition));

  const tables: TableSpec[] = [];
  for (const [id, res] of entries) {
    if (res.Type !== 'AWS::DynamoDB::Table' && res.Type !== 'AWS::DynamoDB::GlobalTable') continue;
    const p = (r.resolve(res.Properties ?? {}) ?? {}) as Record<string, Json>;
    const strip = (idx: Json): Json => {
      const { IndexName, KeySchema, Projection } = idx as Record<string, Json>;
      return { IndexName, KeySchema, Projection } as Json;
    };
    const tableName = r.ref(id);
    tables.push({
      logicalId: id,
      tableName,
      createTable: {
        TableName: tableName,
        KeySchema: p.KeySchema ?? [],
        AttributeDefinitions: p.AttributeDefinitions ?? [],
        BillingMode: 'PAY_PER_REQUEST',
        ...(Array.isArray(p.GlobalSecondaryIndexes) && p.GlobalSecondaryIndexes.length
          ? { GlobalSecondaryIndexes: p.GlobalSecondaryIndexes.map(strip) }
          : {}),
        ...(Array.isArray(p.LocalSecondaryIndexes) && p.LocalSecondaryIndexes.length
          ? { LocalSecondaryIndexes: p.LocalSecondaryIndexes.map(strip) }
          : {}),
      },
    });
  }

  const functions: FunctionSpec[] = [];
  for (const [id, res] of entries) {
    if (res.Type !== 'AWS::Lambda::Function') continue;
    const entry = res.Metadata?.['ace-filing:entry'];
    if (typeof entry !== 'string') continue; // CDK's own helper functions (log retention, ...) have no entry
    const handler = res.Metadata?.['ace-filing:handler'];
    const props = res.Properties ?? {};
    const env = ((props.Environment as Record<string, Json> | undefined)?.Variables ?? {}) as Record<string, Json>;
    const environment: Record<string, string> = {};
    for (const [k, v] of Object.entries(env)) environment[k] = str(r.resolve(v));
    // Lambda sets AWS_LAMBDA_LOG_LEVEL from the function's application log level (advanced logging controls): so does
    // the local runtime. Not AWS_LAMBDA_LOG_FORMAT: the local console is Node's, not Lambda's JSON writer.
    const logLevel = (props.LoggingConfig as Record<string, Json> | undefined)?.ApplicationLogLevel;
    if (typeof logLevel === 'string') environment.AWS_LAMBDA_LOG_LEVEL ??= logLevel;
    functions.push({
      logicalId: id,
      functionName: r.ref(id),
      arn: r.getAtt(id, 'Arn'),
      entry,
      handler: typeof handler === 'string' ? handler : 'handler',
      environment,
      timeoutSeconds: typeof props.Timeout === 'number' ? props.Timeout : 3,
    });
  }

  const stateMachines: StateMachineSpec[] = [];
  for (const [id, res] of entries) {
    if (res.Type !== 'AWS::StepFunctions::StateMachine') continue;
    const p = res.Properties ?? {};
    let text = p.DefinitionString !== undefined ? str(r.resolve(p.DefinitionString)) : JSON.stringify(r.resolve(p.Definition ?? {}));
    const subs = (r.resolve(p.DefinitionSubstitutions ?? {}) ?? {}) as Record<string, Json>;
    text = text.replace(/\$\{([^}]+)\}/g, (m, k: string) => (k in subs ? str(subs[k]) : m));
    stateMachines.push({
      logicalId: id,
      name: r.getAtt(id, 'Name'),
      arn: r.getAtt(id, 'Arn'),
      roleArn: str(r.resolve(p.RoleArn ?? null)),
      definition: JSON.parse(text) as Record<string, unknown>,
    });
  }

  const byFunctionArn = new Map(functions.map((f) => [f.logicalId, f]));
  // The stage's throttles (one stage, `$default`, as the CDK app deploys): per route key, else the stage default.
  const throttleOf = (settings: Json | undefined): RouteThrottle | undefined => {
    if (!settings || typeof settings !== 'object' || Array.isArray(settings)) return undefined;
    const rate = settings.ThrottlingRateLimit;
    const burst = settings.ThrottlingBurstLimit;
    return typeof rate === 'number' && typeof burst === 'number' ? { rateLimit: rate, burstLimit: burst } : undefined;
  };
  let defaultThrottle: RouteThrottle | undefined;
  const routeThrottles = new Map<string, RouteThrottle>();
  for (const [, res] of entries) {
    if (res.Type !== 'AWS::ApiGatewayV2::Stage') continue;
    const p = res.Properties ?? {};
    defaultThrottle = throttleOf(r.resolve(p.DefaultRouteSettings ?? null)) ?? defaultThrottle;
    const perRoute = r.resolve(p.RouteSettings ?? null);
    if (perRoute && typeof perRoute === 'object' && !Array.isArray(perRoute)) {
      for (const [key, settings] of Object.entries(perRoute)) {
        const t = throttleOf(settings);
        if (t) routeThrottles.set(key, t);
      }
    }
  }
  const routes: RouteSpec[] = [];
  let apiId = 'local';
  for (const [, res] of entries) {
    if (res.Type !== 'AWS::ApiGatewayV2::Route') continue;
    const p = res.Properties ?? {};
    const routeKey = str(r.resolve(p.RouteKey ?? null));
    // Target: "integrations/<Ref Integration>"
    const integrationId = [...referencedIds(p.Target)].find((x) => r.resources[x]?.Type === 'AWS::ApiGatewayV2::Integration');
    if (!integrationId) continue;
    const integration = r.resource(integrationId).Properties ?? {};
    const fnId = [...referencedIds(integration.IntegrationUri)].find((x) => byFunctionArn.has(x));
    if (!fnId) continue;
    const authType = (str(r.resolve(p.AuthorizationType ?? 'NONE')) || 'NONE') as RouteSpec['authorizationType'];
    let authorizer: JwtAuthorizerSpec | undefined;
    const authId = refTarget(p.AuthorizerId);
    if (authId && r.resources[authId]) {
      const a = (r.resolve(r.resource(authId).Properties ?? {}) ?? {}) as Record<string, Json>;
      const jwt = (a.JwtConfiguration ?? {}) as Record<string, Json>;
      authorizer = {
        logicalId: authId,
        issuer: str(jwt.Issuer),
        audience: Array.isArray(jwt.Audience) ? jwt.Audience.map(String) : [],
      };
    }
    const apiRef = refTarget(p.ApiId);
    if (apiRef) apiId = r.ref(apiRef);
    const [method, path] = routeKey === '$default' ? ['ANY', '$default'] : routeKey.split(/\s+/, 2);
    const throttle = routeThrottles.get(routeKey) ?? defaultThrottle;
    routes.push({
      routeKey,
      method: (method ?? 'ANY').toUpperCase(),
      path: path ?? '/',
      authorizationType: authType,
      ...(authorizer ? { authorizer } : {}),
      scopes: Array.isArray(p.AuthorizationScopes) ? (r.resolve(p.AuthorizationScopes) as Json[]).map(String) : [],
      functionLogicalId: fnId,
      payloadFormatVersion: str(r.resolve(integration.PayloadFormatVersion ?? '2.0')) || '2.0',
      ...(throttle ? { throttle } : {}),
    });
  }

  const environment: Record<string, string> = {};
  const environmentConflicts = new Set<string>();
  for (const f of functions) {
    for (const [k, v] of Object.entries(f.environment)) {
      if (k in environment && environment[k] !== v) environmentConflicts.add(k);
      else environment[k] ??= v;
    }
  }

  return { tables, functions, stateMachines, routes, apiId, environment, environmentConflicts: [...environmentConflicts] };
}

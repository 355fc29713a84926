// startLocal(): the whole backend on this machine, built from the synthesized template.
//
//   DynamoDB        dynalite, in process                       (--dynamo-port, default 8000)
//   SES             aws-ses-v2-local, inbox page at /          (--ses-port / SES_PORT, default 8005)
//   Step Functions  LocalStepFunctions + its JSON 1.0 API      (--sfn-port, default 8083)
//   HTTP API        API Gateway v2 payload-2.0 stand-in        (--port / PORT, default 3000)
//                   + /__local/clock, /__local/jwks.json, /__local/tasks, /__local/partner-central
//   Partner Central STS AssumeRole + the Selling API           (--partner-central-port / PARTNER_CENTRAL_PORT, default 8090)
//   EventBridge     the template's rules, fed by Partner Central's events (event-rules.ts)
//
// Handlers reach the stand-ins only through the standard SDK settings (AWS_ENDPOINT_URL_DYNAMODB / _SFN / _SES /
// _SESV2 / _PARTNERCENTRAL_SELLING / _PARTNERCENTRAL_BENEFITS / _STS, dummy credentials, AWS_REGION, AWS_EC2_METADATA_DISABLED=true), which are set in process.env together with
// the union of every function's environment from the template BEFORE any handler module is imported.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_DIR } from './paths.ts';
import type { Server } from 'node:http';
import { localAdmin } from './admin.ts';
import { MovableClock } from './clock.ts';
import { installProcessClock } from './process-clock.ts';
import { LocalScheduler } from './schedules.ts';
import { startDynamo, ensureTables } from './dynamo.ts';
import type { DynamoHandle } from './dynamo.ts';
import { startSes } from './ses.ts';
import type { SesHandle } from './ses.ts';
import { LocalStepFunctions } from './sfn/engine.ts';
import { createSfnServer } from './sfn/server.ts';
import { createHttpApiServer } from './http-api.ts';
import { DevIssuer, DEV_CLIENT_ID, DEV_USER_POOL_ID, DEV_REGION } from './jwt.ts';
import type { MintOptions } from './jwt.ts';
import { ModuleInvoker } from './lambda-runtime.ts';
import { buildLocalModel } from './template-model.ts';
import type { CfnTemplate, LocalModel, RouteSpec } from './template-model.ts';
import { closeServer, listen } from './net.ts';
import { loadTemplate } from './template-cache.ts';
import { FaultInjector } from './faults.ts';
import { LocalEventBus } from './event-rules.ts';
import { startPartnerCentral, type LocalPartnerCentral } from './partner-central/start.ts';
import type { PartnerCentralStandIn } from './partner-central/server.ts';

export { PROJECT_DIR };
export const LOCAL_ACCOUNT_ID = '000000000000';

export interface StartLocalOptions {
  /** Project root holding `functions/` (default: this repository). */
  projectDir?: string;
  host?: string;
  /** HTTP API port (default PORT or 3000; 0 = any free port). */
  port?: number;
  /** SES stand-in port (default SES_PORT or 8005; 0 = any free port). */
  sesPort?: number;
  /** Step Functions API port (default SFN_PORT or 8083; 0 = any free port). */
  sfnPort?: number;
  /** DynamoDB port (default DYNAMODB_PORT or 8000; 0 = any free port). */
  dynamoPort?: number;
  /** Partner Central (and its STS) port (default PARTNER_CENTRAL_PORT or 8090; 0 = any free port). */
  partnerCentralPort?: number;
  /** Persist DynamoDB, executions + pending task tokens, the clock offset here; in memory when absent. */
  dataDir?: string;
  /** The synthesized template (default: `synthTemplate()` from lib/template.ts, cached in .local/template-cache). */
  template?: CfnTemplate;
  /** Variables set after the functions' own (e.g. tests raise the per-address intake limit); default none. */
  environment?: Record<string, string>;
  /** Synthesize even when the cached template is current. */
  freshTemplate?: boolean;
  /** Partner profiles to seed (default `<projectDir>/data/partners.json`; null = seed nothing). */
  partnersFile?: string | null;
  /** Dev JWT key file (default `<projectDir>/.local/dev-jwt-key.json`; null = a key kept in memory). */
  jwtKeyFile?: string | null;
  /** Overrides every Retry pause in ms (e.g. 0 in tests); default: the definition's real intervals. */
  retryDelayMs?: number;
  /** Import every handler before reporting ready (default true). */
  preload?: boolean;
  /**
   * Enforce the per-route throttles the template's API stage sets (cdk.json: public, founder, partner and operations
   * routes), as API Gateway does; default true. Test suites and benchmarks that poll faster than people do turn it off.
   */
  throttle?: boolean;
  /** Start the clock this many ms ahead of real time (restored from dataDir when persisted). */
  clockOffsetMs?: number;
  log?: (line: string) => void;
}

export interface LocalRuntime {
  urls: { api: string; dynamodb: string; sfn: string; ses: string; partnerCentral: string };
  /** Variables set in process.env (endpoints, credentials, the functions' environment). */
  env: Record<string, string>;
  tableName: string;
  stateMachineArn: string;
  model: LocalModel;
  clock: MovableClock;
  /** EventBridge Scheduler schedules of the template, run on the clock (`settled()` waits for due runs). */
  schedules: LocalScheduler;
  sfn: LocalStepFunctions;
  /** Make workflow functions fail on purpose (lib/local/faults.ts), also `POST /__local/faults`. */
  faults: FaultInjector;
  issuer: DevIssuer;
  /** A JWT the local HTTP API accepts (claims as Cognito would issue them). */
  mintToken(opts?: MintOptions): Promise<string>;
  /** The local Partner Central (its catalog; `catalog.review(...)` plays AWS's reviewer). */
  partnerCentral: PartnerCentralStandIn;
  /** The template's EventBridge rules, fed by Partner Central's events (`settled()` waits for deliveries). */
  events: LocalEventBus;
  /** Mails captured by the SES stand-in. */
  mails(): Promise<LocalMail[]>;
  /** What runs where, one line each. */
  describe(): string[];
  startupMs: number;
  /** The dynalite server, e.g. to count requests by operation in a benchmark. */
  dynamoServer: Server;
  /** Every finished Lambda invocation (function, wall time), e.g. for the cost benchmark; returns the unsubscribe. */
  onInvocation(observe: (done: { logicalId: string; functionName: string; ms: number }) => void): () => void;
  stop(): Promise<void>;
}

export interface LocalMail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  at: number;
}

const envPort = (name: string, fallback: number): number => {
  const v = process.env[name];
  return v && /^\d+$/.test(v) ? Number(v) : fallback;
};

export async function startLocal(opts: StartLocalOptions = {}): Promise<LocalRuntime> {
  const t0 = performance.now();
  const projectDir = opts.projectDir ?? PROJECT_DIR;
  const host = opts.host ?? '127.0.0.1';
  const log = opts.log ?? (() => undefined);
  const dataDir = opts.dataDir ? resolve(opts.dataDir) : undefined;
  if (dataDir) mkdirSync(dataDir, { recursive: true });

  const { clock, saveClock, uninstallClock } = persistentClock(dataDir, opts.clockOffsetMs);
  const cleanups: (() => Promise<void>)[] = [];
  cleanups.push(async () => uninstallClock());
  const stopAll = async (): Promise<void> => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    cleanups.length = 0;
  };

  try {
    // 1. Servers first (their ports feed the template's references, e.g. PUBLIC_BASE_URL = the API's URL).
    const issuer = await DevIssuer.load(opts.jwtKeyFile === undefined ? join(projectDir, '.local', 'dev-jwt-key.json') : opts.jwtKeyFile);
    // Bound once started; the servers answer "still starting" until then.
    const late: LateParts = { routes: [], apiId: 'local' };
    const faults = new FaultInjector();
    const partnersFile = opts.partnersFile === undefined ? join(projectDir, 'data', 'partners.json') : opts.partnersFile;
    const partnerCentral: LocalPartnerCentral = await startPartnerCentral({
      host, port: opts.partnerCentralPort ?? envPort('PARTNER_CENTRAL_PORT', 8090), clock, dataDir, partnersFile, log,
    });
    cleanups.push(() => partnerCentral.close());
    const admin = localAdmin({ clock, saveClock, issuer, late, faults, partnerCentral: partnerCentral.admin });
    const { dynamo, ses, sfnUrl, apiUrl } = await startStandIns({ opts, host, dataDir, log, issuer, late, cleanups, admin });

    // 2. The deployed shapes.
    const tTemplate = performance.now();
    const loaded = opts.template ? { template: opts.template, cached: false } : await loadTemplate(projectDir, { fresh: opts.freshTemplate ?? false });
    const template = loaded.template;
    const templateMs = Math.round(performance.now() - tTemplate);
    // The definition is resolved by template-model.ts with the same placeholder ARNs as lib/template.ts's
    // resolveDefinition (test/integration/local-sfn.test.ts checks they agree), without importing aws-cdk-lib.
    const model = buildLocalModel(template, {
      region: DEV_REGION,
      accountId: LOCAL_ACCOUNT_ID,
      apiUrl,
      userPoolId: DEV_USER_POOL_ID,
      userPoolClientId: DEV_CLIENT_ID,
      stackName: 'ace-filing-local',
    });
    late.routes = model.routes;
    late.apiId = model.apiId;
    const table = model.tables[0];

    // 3. Environment: the stand-ins' endpoints, dummy credentials, and every function's variables.
    const env = setLocalEnvironment(model, { dynamodb: dynamo.url, sfn: sfnUrl, ses: ses.url, partnerCentral: partnerCentral.url }, log, opts.environment);

    // 4. Tables, handlers, seed data, the workflow engine.
    if (table) await ensureTables(dynamo.url, model.tables);
    const invoker = new ModuleInvoker(model.functions, projectDir);
    late.invoker = invoker;
    const events = new LocalEventBus({ template, invoker, log });
    partnerCentral.bindBus(events);
    const preloadP = opts.preload === false ? Promise.resolve([]) : invoker.preload();
    const seeded = table && partnersFile ? await seedPartners(projectDir, table.tableName, partnersFile) : undefined;
    const preloadFailures = await preloadP;
    for (const f of preloadFailures) log(`warning: could not import ${f.entry}: ${f.error}`);

    const sfn = new LocalStepFunctions({
      clock,
      invoker: faults.wrap(invoker, (ref) => invoker.spec(ref)?.logicalId),
      stateMachines: model.stateMachines.map((s) => ({ arn: s.arn, name: s.name, definition: s.definition, roleArn: s.roleArn })),
      region: DEV_REGION,
      ...(dataDir ? { dataDir } : {}),
      ...(opts.retryDelayMs !== undefined ? { retryDelayMs: opts.retryDelayMs } : {}),
      log,
    });
    late.sfn = sfn;
    // Stopped in reverse order: the engine stops first, then running handlers get to finish their writes, and only
    // then do the stand-ins (DynamoDB, SES, the servers) close.
    cleanups.push(() => invoker.drain());
    cleanups.push(() => sfn.stop());
    const { resumed, lost } = await sfn.init();
    const schedules = new LocalScheduler({ template, clock, invoker, log });
    late.schedules = schedules;
    schedules.start();
    cleanups.push(() => schedules.stop());
    saveClock();
    late.ready = true;

    const stateMachineArn = model.stateMachines[0]?.arn ?? '';
    const urls = { api: apiUrl, dynamodb: dynamo.url, sfn: sfnUrl, ses: ses.url, partnerCentral: partnerCentral.url };
    const startupMs = Math.round(performance.now() - t0);
    const templateSource = loaded.cached ? 'from cache' : opts.template ? 'given' : 'synthesized';
    const describe = (): string[] => describeRuntime({
      urls, routes: model.routes, stateMachineArn, tableName: table?.tableName, clock, schedules, events, issuer, dataDir, resumed, lost,
      seeded, partnersFile, startupMs, template: `${templateSource} in ${templateMs} ms`,
    });

    return {
      urls,
      env,
      tableName: table?.tableName ?? '',
      stateMachineArn,
      model,
      clock,
      schedules,
      sfn,
      faults,
      partnerCentral: partnerCentral.standIn,
      events,
      issuer,
      mintToken: (o) => issuer.mint(o),
      mails: async () => {
        const r = await fetch(`${ses.url}/store`);
        return ((await r.json()) as { emails: LocalMail[] }).emails;
      },
      describe,
      startupMs,
      dynamoServer: dynamo.server,
      onInvocation: (observe) => {
        invoker.observers.add(observe);
        return () => invoker.observers.delete(observe);
      },
      stop: async () => {
        saveClock();
        await stopAll();
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** What the servers reach only once the runtime has started (they answer "still starting" until then). */
interface LateParts {
  routes: RouteSpec[];
  /** Set once everything is up: until then the API answers 503 with Retry-After. */
  ready?: boolean;
  apiId: string;
  sfn?: LocalStepFunctions;
  invoker?: ModuleInvoker;
  schedules?: LocalScheduler;
}

/** The movable clock, its offset kept in `dataDir` so that moved time stays moved across restarts. */
function persistentClock(dataDir: string | undefined, offsetMs: number | undefined): { clock: MovableClock; saveClock: () => void; uninstallClock: () => void } {
  const clockFile = dataDir ? join(dataDir, 'clock.json') : undefined;
  const savedOffset = clockFile && existsSync(clockFile) ? (JSON.parse(readFileSync(clockFile, 'utf8')) as { offsetMs: number }).offsetMs : undefined;
  const clock = new MovableClock({ offsetMs: savedOffset ?? offsetMs ?? 0 });
  // Every handler's `new Date()` / `Date.now()` reads this clock (no code path in functions/ knows it is local).
  const uninstallClock = installProcessClock(clock);
  const saveClock = (): void => {
    if (clockFile) writeFileSync(clockFile, JSON.stringify({ offsetMs: clock.offsetMs() }));
  };
  return { clock, saveClock, uninstallClock };
}

/** DynamoDB, SES, the Step Functions API and the HTTP API, listening; each registers its own cleanup. */
async function startStandIns(args: {
  opts: StartLocalOptions;
  host: string;
  dataDir: string | undefined;
  log: (line: string) => void;
  issuer: DevIssuer;
  late: LateParts;
  cleanups: (() => Promise<void>)[];
  admin: ReturnType<typeof localAdmin>;
}): Promise<{ dynamo: DynamoHandle; ses: SesHandle; sfnUrl: string; apiUrl: string }> {
  const { opts, host, dataDir, log, issuer, late, cleanups, admin } = args;
  const httpServer: Server = createHttpApiServer({
    routes: () => late.routes,
    apiId: () => late.apiId,
    ready: () => late.ready === true,
    accountId: LOCAL_ACCOUNT_ID,
    issuer,
    invoke: (id, event) => {
      if (!late.invoker) throw new Error('the local runtime is still starting');
      return late.invoker.invoke(id, event);
    },
    local: (req, res, body) => admin(req.method ?? 'GET', req.url ?? '', body, res),
    throttle: opts.throttle ?? true,
    log,
  });
  const sfnServer = createSfnServer(
    {
      call: (op, body) => {
        if (!late.sfn) throw new Error('the local Step Functions is still starting');
        return late.sfn.call(op, body);
      },
    },
    log,
  );
  const [dynamo, ses, sfnUrl, apiUrl] = await Promise.all([
    startDynamo({ host, port: opts.dynamoPort ?? envPort('DYNAMODB_PORT', 8000), ...(dataDir ? { dataDir } : {}) }).then((d: DynamoHandle) => {
      cleanups.push(d.close);
      return d;
    }),
    startSes({ host, port: opts.sesPort ?? envPort('SES_PORT', 8005) }).then((s: SesHandle) => {
      cleanups.push(s.close);
      return s;
    }),
    listen(sfnServer, host, opts.sfnPort ?? envPort('SFN_PORT', 8083)).then((u) => {
      cleanups.push(() => closeServer(sfnServer));
      return u;
    }),
    listen(httpServer, host, opts.port ?? envPort('PORT', 3000)).then((u) => {
      cleanups.push(() => closeServer(httpServer));
      return u;
    }),
  ]);
  return { dynamo, ses, sfnUrl, apiUrl };
}

/** Sets, in process.env, the stand-ins' endpoints, dummy credentials and every function's variables; returns them. */
function setLocalEnvironment(model: LocalModel, endpoints: { dynamodb: string; sfn: string; ses: string; partnerCentral: string }, log: (line: string) => void, overrides: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {
    AWS_REGION: DEV_REGION,
    AWS_DEFAULT_REGION: DEV_REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_SFN: endpoints.sfn,
    AWS_ENDPOINT_URL_SES: endpoints.ses,
    AWS_ENDPOINT_URL_SESV2: endpoints.ses,
    // The partner's role is assumed through STS, then Partner Central is called with it: both answered locally.
    AWS_ENDPOINT_URL_STS: endpoints.partnerCentral,
    AWS_ENDPOINT_URL_PARTNERCENTRAL_SELLING: endpoints.partnerCentral,
    AWS_ENDPOINT_URL_PARTNERCENTRAL_BENEFITS: endpoints.partnerCentral,
  };
  for (const [k, v] of Object.entries(model.environment)) if (k !== 'NODE_OPTIONS') env[k] = v;
  Object.assign(env, overrides);
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  Object.assign(process.env, env);
  if (model.environmentConflicts.length) {
    log(`warning: functions set these variables differently (first value used): ${model.environmentConflicts.join(', ')}`);
  }
  return env;
}

/** Upserts the seed partner profiles through the project's own seeding module; undefined when there is none. */
async function seedPartners(projectDir: string, tableName: string, partnersFile: string): Promise<number | undefined> {
  const seedModule = join(projectDir, 'functions', 'adapters', 'dynamo', 'partners-seed.ts');
  if (!existsSync(partnersFile) || !existsSync(seedModule)) return undefined;
  const mod = (await import(pathToFileURL(seedModule).href)) as { seedPartners?: (tableName: string, file: string) => Promise<number> };
  return typeof mod.seedPartners === 'function' ? mod.seedPartners(tableName, partnersFile) : undefined;
}

/** What runs where, one line each (printed by `npm start`). */
function describeRuntime(r: {
  urls: LocalRuntime['urls'];
  routes: RouteSpec[];
  stateMachineArn: string;
  tableName: string | undefined;
  clock: MovableClock;
  schedules: LocalScheduler;
  events: LocalEventBus;
  issuer: DevIssuer;
  dataDir: string | undefined;
  resumed: number;
  lost: number;
  seeded: number | undefined;
  partnersFile: string | null | undefined;
  startupMs: number;
  template: string;
}): string[] {
  const { urls } = r;
  return [
    `HTTP API         ${urls.api}   (${r.routes.map((route) => `${route.routeKey}${route.authorizationType === 'JWT' ? ' [JWT]' : ''}`).join(', ')})`,
    `SES inbox        ${urls.ses}/   (mail as JSON: ${urls.ses}/store)`,
    `Step Functions   ${urls.sfn}   (${r.stateMachineArn})`,
    `DynamoDB         ${urls.dynamodb}   (table ${r.tableName ?? '-'})`,
    `Clock            ${new Date(r.clock.now()).toISOString()}   (POST ${urls.api}/__local/clock {"advanceSeconds": 86400}; handlers' Date follows it)`,
    ...r.schedules.describe().map((d) => `Schedule         ${d}   (runs on the clock)`),
    `Partner Central  ${urls.partnerCentral}   (Selling API + STS; play AWS's reviewer: POST ${urls.api}/__local/partner-central/opportunities/<O-id>/review, or npm run -s reviewer)`,
    ...r.events.describe().map((d) => `Event rule       ${d}`),
    `Dev JWT          npm run -s token -- --role partner --partner <id>   (issuer ${r.issuer.issuer})`,
    r.dataDir
      ? `Data             ${r.dataDir} (tables, executions, pending task tokens and the clock persist; waiting executions resume: ${r.resumed} resumed, ${r.lost} lost)`
      : 'Data             in memory: everything (tables, executions, task tokens, mail) is gone when this process stops; use --data DIR to keep it',
    ...(r.seeded !== undefined ? [`Seeded           ${r.seeded} partner profile(s) from ${r.partnersFile}`] : []),
    `Ready in         ${r.startupMs} ms   (template ${r.template})`,
  ];
}

/**
 * What one application costs on AWS, measured on the local runtime (the same handlers, the synthesized state
 * machine): for the happy path (submission → credits applied), the change-request path (one round of changes) and
 * the re-route path (the first partner declines, the next approves), printed per path:
 * - Lambda invocations and billed milliseconds (arm64, each function's configured memory; the duration is this
 *   machine's wall time per invocation, an overestimate of Lambda's on a loaded shared machine);
 * - Step Functions state transitions (StateEntered events: Standard workflows bill each);
 * - DynamoDB write and read units from the real items, on the table and each index (bench/capacity.ts);
 * - SES messages and HTTP API requests;
 * - dollars at the list prices in data/aws-prices.json (dated, sourced).
 */
import { readFileSync } from 'node:fs';
import { GetExecutionHistoryCommand, SFNClient } from '@aws-sdk/client-sfn';
import { startLocal, type LocalRuntime } from '../lib/local/start.ts';
import { synthTemplate } from '../lib/template.ts';
import { addUnits, emptyUnits, meterCapacity, type Units } from './capacity.ts';
import { confirmFromInbox } from '../test/support/e2e.ts';

const prices = JSON.parse(readFileSync(new URL('../data/aws-prices.json', import.meta.url), 'utf8')) as {
  asOf: string;
  lambda: { usdPerGbSecond: number; usdPerMillionRequests: number };
  stepFunctions: { usdPerThousandStateTransitions: number };
  dynamodb: { usdPerMillionWriteRequestUnits: number; usdPerMillionReadRequestUnits: number };
  ses: { usdPerThousandMessages: number };
  httpApi: { usdPerMillionRequests: number };
};
const worksheet = JSON.parse(readFileSync(new URL('../examples/worksheet.json', import.meta.url), 'utf8')) as Record<string, unknown>;

interface Tally {
  invocations: number;
  billedMs: number;
  gbSeconds: number;
  httpRequests: number;
  units: Units;
}

const emptyTally = (): Tally => ({ invocations: 0, billedMs: 0, gbSeconds: 0, httpRequests: 0, units: emptyUnits() });

type Body = Record<string, unknown>;

class Driver {
  constructor(private readonly rt: LocalRuntime, private readonly count: () => void) {}

  async api(method: string, path: string, opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<{ status: number; body: Body }> {
    this.count();
    const res = await fetch(`${this.rt.urls.api}${path}`, {
      method,
      headers: { ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...opts.headers },
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Body };
  }

  /** Waits (without counting: polling is the benchmark's, not the service's) until the execution parks on `state`. */
  async parkedOn(applicationId: string, state: string, after = 0): Promise<void> {
    const sfn = new SFNClient({ endpoint: this.rt.urls.sfn });
    for (let i = 0; i < 2000; i += 1) {
      const res = await fetch(`${this.rt.urls.api}/__local/tasks`);
      const tasks = (await res.json()) as { stateName: string; executionArn: string }[] | { tasks: { stateName: string; executionArn: string }[] };
      const pending = (Array.isArray(tasks) ? tasks : tasks.tasks).find((t) => t.executionArn.endsWith(`:${applicationId}`) && t.stateName === state);
      if (pending) {
        const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn: pending.executionArn, maxResults: 1000 }));
        const events = history.events ?? [];
        if (events.at(-1)?.type === 'TaskSubmitted' && events.length > after) return;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`${applicationId} never parked on ${state}`);
  }

  async historyLength(applicationId: string): Promise<number> {
    const sfn = new SFNClient({ endpoint: this.rt.urls.sfn });
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn: `${this.rt.stateMachineArn.replace(':stateMachine:', ':execution:')}:${applicationId}`, maxResults: 1000 }));
    return (history.events ?? []).length;
  }

  async stateTransitions(applicationId: string): Promise<number> {
    const sfn = new SFNClient({ endpoint: this.rt.urls.sfn });
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn: `${this.rt.stateMachineArn.replace(':stateMachine:', ':execution:')}:${applicationId}`, maxResults: 1000 }));
    return (history.events ?? []).filter((e) => e.type?.endsWith('StateEntered')).length;
  }

  async finished(applicationId: string): Promise<void> {
    const sfn = new SFNClient({ endpoint: this.rt.urls.sfn });
    for (let i = 0; i < 2000; i += 1) {
      const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn: `${this.rt.stateMachineArn.replace(':stateMachine:', ':execution:')}:${applicationId}`, maxResults: 1000 }));
      if ((history.events ?? []).some((e) => e.type === 'ExecutionSucceeded')) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`${applicationId} never finished`);
  }
}

interface PathResult {
  path: string;
  toReview: Tally & { transitions: number; mails: number };
  total: Tally & { transitions: number; mails: number };
}

export async function measureCost(): Promise<PathResult[]> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.LOG_LEVEL = 'ERROR';
  const template = synthTemplate({ nag: false }) as { Resources: Record<string, { Type: string; Properties?: { MemorySize?: number; Architectures?: string[] } }> };
  const memoryOf = (logicalId: string) => template.Resources[logicalId]?.Properties?.MemorySize ?? 128;
  const rt = await startLocal({ port: 0, sesPort: 0, sfnPort: 0, dynamoPort: 0, jwtKeyFile: null, retryDelayMs: 0, throttle: false });
  let tally = emptyTally();
  const stopInvocations = rt.onInvocation(({ logicalId, ms }) => {
    tally.invocations += 1;
    const billed = Math.max(1, Math.ceil(ms));
    tally.billedMs += billed;
    tally.gbSeconds += (memoryOf(logicalId) / 1024) * (billed / 1000);
  });
  const meter = meterCapacity(rt.urls.dynamodb, rt.tableName);
  const drive = new Driver(rt, () => { tally.httpRequests += 1; });
  const take = (): Tally => {
    const out = { ...tally, units: meter.take() };
    tally = emptyTally();
    return out;
  };
  const sum = (a: Tally, b: Tally): Tally => ({
    invocations: a.invocations + b.invocations, billedMs: a.billedMs + b.billedMs, gbSeconds: a.gbSeconds + b.gbSeconds,
    httpRequests: a.httpRequests + b.httpRequests, units: addUnits(a.units, b.units),
  });
  const mailCount = async () => (await rt.mails()).length;
  const results: PathResult[] = [];

  async function run(path: string, between: (id: string, founder: string, partnerToken: (id: string) => Promise<string>) => Promise<string>): Promise<void> {
    take();
    const mails0 = await mailCount();
    const submitted = await drive.api('POST', '/worksheets', { body: worksheet });
    if (submitted.status !== 202) throw new Error(`POST /worksheets answered ${submitted.status}`);
    const id = String(submitted.body.applicationId);
    const founder = String(submitted.body.founderToken);
    // The founder confirms the address from the mail before routing (issue 8), as on AWS: part of the path's cost.
    const confirmed = await confirmFromInbox(rt, id);
    if (confirmed.status !== 200) throw new Error(`confirming the address answered ${confirmed.status}`);
    await drive.parkedOn(id, 'AwaitPartnerReview');
    const toReview = { ...take(), transitions: await drive.stateTransitions(id), mails: (await mailCount()) - mails0 };
    const partnerToken = async (appId: string) => {
      const view = await drive.api('GET', `/applications/${appId}`, { token: founder });
      return rt.mintToken({ groups: ['partner'], partnerId: String((view.body.partner as { id: string }).id) });
    };
    const partner = await between(id, founder, partnerToken);
    // The rest of the happy path: approve, file, AWS approves, credits applied, for every record.
    const view = await drive.api('GET', `/partner/applications/${id}`, { token: partner });
    const programs = (view.body.briefs as { programId: string }[]).map((b) => b.programId);
    if ((await drive.api('POST', `/partner/applications/${id}/approve`, { token: partner })).status !== 200) throw new Error('approve failed');
    await drive.parkedOn(id, 'AwaitAwsDecision');
    const expiresOn = new Date(Date.now() + 200 * 86_400_000).toISOString().slice(0, 10);
    for (const [i, programId] of programs.entries()) {
      const base = `/partner/applications/${id}/briefs/${programId}`;
      await drive.api('POST', `${base}/filed`, { token: partner, body: { opportunityId: `O8${String(Date.now()).slice(-6)}${i}` } });
      await drive.api('POST', `${base}/aws-review`, { token: partner, body: { outcome: 'approved', amountUsd: '10000.00', expiresOn } });
    }
    await drive.parkedOn(id, 'AwaitCredits');
    for (const programId of programs) {
      await drive.api('POST', `/partner/applications/${id}/briefs/${programId}/credits`, { token: partner, body: { amountUsd: '10000.00', appliedOn: new Date().toISOString().slice(0, 10), expiresOn } });
    }
    await drive.finished(id);
    const rest = take();
    const totalTransitions = await drive.stateTransitions(id);
    results.push({ path, toReview, total: { ...sum(toReview, rest), transitions: totalTransitions, mails: (await mailCount()) - mails0 } });
  }

  try {
    await run('happy path', async (id, _founder, partnerToken) => partnerToken(id));
    await run('change request, one round', async (id, founder, partnerToken) => {
      const partner = await partnerToken(id);
      const before = await drive.historyLength(id);
      await drive.api('POST', `/partner/applications/${id}/request-changes`, { token: partner, body: { message: 'Please split the monthly volume by model and say which month the pilot starts.' } });
      await drive.api('POST', `/applications/${id}/revisions`, { token: founder, body: worksheet });
      await drive.parkedOn(id, 'AwaitPartnerReview', before + 5);
      return partner;
    });
    await run('re-route (first partner declines)', async (id, _founder, partnerToken) => {
      const first = await partnerToken(id);
      const before = await drive.historyLength(id);
      await drive.api('POST', `/partner/applications/${id}/decline`, { token: first, body: { reason: 'No capacity for this stack this quarter.' } });
      await drive.parkedOn(id, 'AwaitPartnerReview', before + 5);
      return partnerToken(id);
    });
  } finally {
    stopInvocations();
    meter.stop();
    await rt.stop();
  }
  return results;
}

export function dollars(t: Tally & { transitions: number; mails: number }): { lambda: number; sfn: number; dynamodb: number; ses: number; http: number; total: number } {
  const lambda = t.gbSeconds * prices.lambda.usdPerGbSecond + (t.invocations / 1e6) * prices.lambda.usdPerMillionRequests;
  const sfn = (t.transitions / 1000) * prices.stepFunctions.usdPerThousandStateTransitions;
  const dynamodb = (t.units.writeUnits / 1e6) * prices.dynamodb.usdPerMillionWriteRequestUnits + (t.units.readUnits / 1e6) * prices.dynamodb.usdPerMillionReadRequestUnits;
  const ses = (t.mails / 1000) * prices.ses.usdPerThousandMessages;
  const http = (t.httpRequests / 1e6) * prices.httpApi.usdPerMillionRequests;
  return { lambda, sfn, dynamodb, ses, http, total: lambda + sfn + dynamodb + ses + http };
}

export function printCost(results: PathResult[]): void {
  const usd = (n: number) => `$${n.toFixed(5)}`;
  const units = (u: Units) => `${u.writeUnits} WCU (${Object.entries(u.writeUnitsByTarget).map(([k, v]) => `${k} ${v}`).join(', ')}) / ${u.readUnits} RCU`;
  console.log(`\n== What one application costs on AWS (local runtime; list prices of data/aws-prices.json, asOf ${prices.asOf}) ==`);
  console.table(results.flatMap((r) => [
    { path: r.path, span: 'to partner review', invocations: r.toReview.invocations, 'billed ms': r.toReview.billedMs, 'GB-s': r.toReview.gbSeconds.toFixed(2), 'SFN transitions': r.toReview.transitions, DynamoDB: units(r.toReview.units), 'writes (items)': r.toReview.units.writes, SES: r.toReview.mails, USD: usd(dollars(r.toReview).total) },
    { path: r.path, span: 'to credits applied', invocations: r.total.invocations, 'billed ms': r.total.billedMs, 'GB-s': r.total.gbSeconds.toFixed(2), 'SFN transitions': r.total.transitions, DynamoDB: units(r.total.units), 'writes (items)': r.total.units.writes, SES: r.total.mails, USD: usd(dollars(r.total).total) },
  ]));
  console.table(results.map((r) => {
    const d = dollars(r.total);
    return { path: r.path, Lambda: usd(d.lambda), 'Step Functions': usd(d.sfn), DynamoDB: usd(d.dynamodb), SES: usd(d.ses), 'HTTP API': usd(d.http), total: usd(d.total) };
  }));
  console.log('Billed ms are this machine\'s wall time per invocation, rounded up to 1 ms (on a loaded 2-core machine: an upper bound of Lambda\'s).');
}

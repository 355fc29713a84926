/**
 * Local intake: POST /worksheets throughput and p99 latency at concurrency 16 against the local runtime,
 * beside raw dynalite PutItem throughput at the same concurrency in the same run; DynamoDB writes per
 * submission (counted at the dynalite server) and Step Functions state transitions per application
 * (from GetExecutionHistory: Standard workflows are billed per transition).
 */
import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { GetExecutionHistoryCommand, SFNClient } from '@aws-sdk/client-sfn';
import { startLocal } from '../lib/local/start.ts';
import { confirmFromInbox } from '../test/support/e2e.ts';

const CONCURRENCY = 16;
const worksheet = readFileSync(new URL('../examples/worksheet.json', import.meta.url), 'utf8');
const example = JSON.parse(worksheet) as { contact: { email: string }; aws: { accountId: string } };

/** The example worksheet from founder `n`: its own address and AWS account, as distinct founders are (the open-application limits hold per address and account). */
function worksheetOf(n: number): string {
  return JSON.stringify({ ...example, contact: { ...example.contact, email: `founder${n}@bench${n}.example` }, aws: { ...example.aws, accountId: String(100_000_000_000 + n) } });
}

async function pool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<{ results: T[]; seconds: number }> {
  const results: T[] = new Array(count);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) {
      const i = next;
      next += 1;
      results[i] = await task(i);
    }
  }));
  return { results, seconds: (performance.now() - t0) / 1000 };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

export async function measureIntake(opts: { requests?: number; puts?: number } = {}): Promise<void> {
  const requests = opts.requests ?? Number(process.env.BENCH_INTAKE_REQUESTS ?? 400);
  const puts = opts.puts ?? Number(process.env.BENCH_PUTS ?? 2000);
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.LOG_LEVEL = 'WARN';
  // Every request comes from this machine: the per-source daily count (20 by default) would refuse the 21st.
  const rt = await startLocal({ port: 0, sesPort: 0, sfnPort: 0, dynamoPort: 0, jwtKeyFile: null, retryDelayMs: 0, throttle: false, environment: { WORKSHEETS_PER_SOURCE_PER_DAY: String(requests + 10) } });
  const counts = new Map<string, number>();
  rt.dynamoServer.on('request', (req: { headers: Record<string, string | undefined> }) => {
    const op = (req.headers['x-amz-target'] ?? '').split('.')[1] ?? '?';
    counts.set(op, (counts.get(op) ?? 0) + 1);
  });
  let founders = 0;
  const post = async () => {
    const payload = worksheetOf((founders += 1));
    const t0 = performance.now();
    const res = await fetch(`${rt.urls.api}/worksheets`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: payload });
    const body = (await res.json()) as { applicationId: string; founderToken: string };
    if (res.status !== 202) throw new Error(`POST /worksheets answered ${res.status}`);
    return { ms: performance.now() - t0, ...body };
  };
  try {
    // 1. Writes and transitions for one application, submission to waiting on partner review.
    await post();
    counts.clear();
    const one = await post();
    // Nothing is routed before the founder confirms the address (issue 8): confirm from the inbox, as a founder would.
    const confirmed = await confirmFromInbox(rt, one.applicationId);
    if (confirmed.status !== 200) throw new Error(`confirming the address answered ${confirmed.status}`);
    for (let i = 0; i < 400; i += 1) {
      const view = await fetch(`${rt.urls.api}/applications/${one.applicationId}`, { headers: { authorization: `Bearer ${one.founderToken}` } });
      if (((await view.json()) as { status: string }).status === 'in_partner_review') break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const writeOps = ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'];
    const writes = writeOps.reduce((sum, op) => sum + (counts.get(op) ?? 0), 0);
    const byOp = writeOps.filter((op) => counts.get(op)).map((op) => `${op} ${counts.get(op)}`).join(', ');
    const sfn = new SFNClient({ endpoint: rt.urls.sfn });
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn: `${rt.stateMachineArn.replace(':stateMachine:', ':execution:')}:${one.applicationId}`, maxResults: 1000 }));
    const transitions = (history.events ?? []).filter((e) => e.type?.endsWith('StateEntered')).length;

    // 2. Intake throughput and latency at concurrency 16.
    const intake = await pool(requests, CONCURRENCY, () => post());
    const latencies = intake.results.map((r) => r.ms);

    // 3. Raw dynalite PutItem at the same concurrency, same process, same server.
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: rt.urls.dynamodb }));
    const item = { applicationId: 'bench', payload: worksheet };
    const raw = await pool(puts, CONCURRENCY, (i) => doc.send(new PutCommand({ TableName: rt.tableName, Item: { pk: `BENCH#${i}`, sk: 'RAW', ...item } })));

    const intakeRate = requests / intake.seconds;
    const putRate = puts / raw.seconds;
    console.log(`\n== Local intake (concurrency ${CONCURRENCY}; ${requests} submissions, ${puts} raw PutItems, same run) ==`);
    console.table([
      { measure: 'POST /worksheets throughput', value: `${intakeRate.toFixed(0)} req/s` },
      { measure: 'POST /worksheets latency p50 / p99', value: `${percentile(latencies, 50).toFixed(1)} / ${percentile(latencies, 99).toFixed(1)} ms` },
      { measure: 'raw dynalite PutItem throughput', value: `${putRate.toFixed(0)} put/s` },
      { measure: 'intake vs raw PutItem', value: `${((intakeRate / putRate) * 100).toFixed(1)} %` },
      { measure: 'DynamoDB writes per submission (to partner review)', value: `${writes} (${byOp})` },
      { measure: 'Step Functions state transitions per application (to partner review)', value: String(transitions) },
    ]);
    console.log('Intake runs while earlier submissions\' workflows execute in the same process, as they would share a local machine.');
  } finally {
    await rt.stop();
  }
}

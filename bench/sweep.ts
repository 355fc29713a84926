/**
 * The daily expiry sweep at 1,000 and 100,000 credited applications (BENCH_SWEEP_SIZES), with the same number due
 * today (BENCH_SWEEP_DUE, 50): against dynalite, the table created from keys.ts, every application a real stored
 * application (one built through the repository, then copied item by item with its own id and expiry date; copies
 * not due today keep only their head, which is all that is indexed). The
 * sweep is the real use case (functions/usecases/expiry-sweep.ts) with a notifier that claims and marks each notice
 * through the repository but hands nothing to SES; reads and write units are counted from the items
 * (bench/capacity.ts).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { startDynalite } from '../test/support/dynalite.ts';
import { exampleWorksheet } from '../test/support/fixtures.ts';
import { newApplication, newFounderToken } from '../functions/core/intake.ts';
import { estimate } from '../functions/core/estimate.ts';
import { nextExpiryCheck } from '../functions/core/application/expiry.ts';
import { applicationPartition, expiryDueKeys, operationsKeys } from '../functions/adapters/dynamo/keys.ts';
import type { Application } from '../schemas/application.ts';
import type { Clock } from '../functions/core/clock.ts';
import { createApplication } from '../functions/adapters/dynamo/applications-intake.ts';
import { markNoticesSent } from '../functions/adapters/dynamo/applications-notices.ts';

const DAY = 86_400_000;

export interface SweepRow { applications: number; due: number; seedSeconds: number; sweepMs: number; reads: number; readUnits: number; writeUnits: number; reminders: number }

export async function measureSweep(sizes = (process.env.BENCH_SWEEP_SIZES ?? '1000,100000').split(',').map(Number), dueToday = Number(process.env.BENCH_SWEEP_DUE ?? 50)): Promise<SweepRow[]> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  process.env.LOG_LEVEL = 'ERROR';
  const rows: SweepRow[] = [];
  // One table that grows: each size adds applications (`dueToday` of the new ones due today; the ones swept before
  // have moved on to their next reminder, weeks away).
  const table = await startDynalite('sweep');
  process.env.AWS_ENDPOINT_URL_DYNAMODB = table.endpoint;
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  const { ApplicationRepository } = await import('../functions/adapters/dynamo/applications.ts');
  const { sweepExpiries } = await import('../functions/usecases/expiry-sweep.ts');
  const { meterCapacity } = await import('./capacity.ts');
  const repo = new ApplicationRepository(table.tableName);
  const raw = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: table.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
  const today = new Date('2027-03-01T06:00:00Z');

  // One real credited application, stored through the repository.
  const base = newApplication({ id: 'app_sweeptemplate', worksheet: exampleWorksheet(), tokenHash: newFounderToken().hash, now: new Date('2026-06-01T00:00:00Z') });
  const est = estimate(base.worksheet, { now: new Date('2026-06-01T00:00:00Z') });
  const credited = (expiresOn: string) => ({ status: 'credits_applied' as const, opportunityId: 'O1234567', credits: { amountUsd: '10000.00', appliedOn: '2026-07-01', expiresOn } });
  const template: Application = {
    ...base, status: 'credits_applied', version: 9, estimate: est,
    briefs: ['bedrock-poc', 'activate-portfolio'].map((programId) => ({ programId, body: { Project: { Title: `${programId} for ${base.worksheet.company.name}`, CustomerBusinessProblem: 'x'.repeat(1200) } }, problems: [], revision: 1, record: credited('2029-12-31') })),
    transitions: [{ at: '2026-07-01T00:00:00Z', actor: { kind: 'partner', id: 'p-northwind' }, from: 'approved', to: 'credits_applied', reason: 'credits applied', version: 9 }],
  };
  await createApplication(repo, template);
  const templateItems = (await raw.send(new QueryCommand({ TableName: table.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': applicationPartition(template.id) } }))).Items ?? [];
  let stored = 1;
  let batch: Record<string, unknown>[] = [];
  const flush = async () => {
    let pending: Record<string, unknown>[] | undefined = batch.map((Item) => ({ PutRequest: { Item } }));
    batch = [];
    while (pending && pending.length) {
      const out = await raw.send(new BatchWriteCommand({ RequestItems: { [table.tableName]: pending as never } }));
      pending = out.UnprocessedItems?.[table.tableName] as Record<string, unknown>[] | undefined;
    }
  };

  for (const size of sizes) {
    const t0 = performance.now();
    for (let n = 0; stored < size; n += 1, stored += 1) {
      const id = `app_sweep${String(stored).padStart(6, '0')}`;
      const expiry = n < dueToday ? new Date(today.getTime() + 59 * DAY) : new Date(today.getTime() + (61 + ((stored * 7919) % 700)) * DAY);
      const expiresOn = expiry.toISOString().slice(0, 10);
      // Copies not due today carry their head only: the sweep never reads more of an application it does not visit,
      // and every copy is in the due-date index (what the sweep queries) exactly as a full one would be.
      for (const item of n < dueToday ? templateItems : templateItems.filter((i) => i.sk === 'APP')) {
        const copy: Record<string, unknown> = { ...item, pk: applicationPartition(id) };
        if (item.sk === 'APP') {
          const briefs = (item.briefs as { record: unknown }[]).map((b) => ({ ...b, record: credited(expiresOn) }));
          const due = nextExpiryCheck({ briefs: briefs as Application['briefs'] });
          if (!due) throw new Error('a credited copy has no expiry check');
          Object.assign(copy, { id, briefs, ...expiryDueKeys(due.toISOString(), id), ...operationsKeys('credits_applied', String(item.updatedAt), id) });
        }
        batch.push(copy);
        if (batch.length === 25) await flush();
      }
    }
    await flush();
    const seedSeconds = (performance.now() - t0) / 1000;

    const meter = meterCapacity(table.endpoint, table.tableName);
    const clock: Clock = { now: () => today, sleep: async () => undefined };
    const notifier = {
      // Claims and marks through the repository (the real writes); SES is not part of the sweep's own cost.
      deliver: async (app: Application, _kind: string, key: string) => {
        const claim = await (await import('../functions/adapters/dynamo/applications-notices.ts')).claimNotice(repo, app.id, key, clock.now());
        if (claim.state !== 'claimed') return false;
        await markNoticesSent(repo, app.id, [key]);
        return true;
      },
      notifyTransitions: async () => [],
    };
    const s0 = performance.now();
    const totals = await sweepExpiries({ applications: repo, notifier, clock }, { kind: 'system', id: 'ExpirySweep' });
    const sweepMs = performance.now() - s0;
    const units = meter.take();
    meter.stop();
    rows.push({ applications: stored, due: totals.applications, seedSeconds, sweepMs, reads: units.reads, readUnits: units.readUnits, writeUnits: units.writeUnits, reminders: totals.reminders });
  }
  raw.destroy();
  await table.stop();
  return rows;
}

export function printSweep(rows: SweepRow[]): void {
  console.log('\n== Expiry sweep: work per run against the size of the table (dynalite, same run) ==');
  console.table(rows.map((r) => ({
    'credited applications': r.applications, 'due today (visited)': r.due, 'reminders sent': r.reminders, 'read requests': r.reads, 'read units': r.readUnits,
    'write units': r.writeUnits, 'sweep ms': r.sweepMs.toFixed(0), 'seeding s': r.seedSeconds.toFixed(1),
  })));
  console.log('Before (b9f9fc6, from its code, not run here): the sweep paged every credited application through an index projecting whole ~30 KB items, about 4 read units per application per day (400,000 at 100,000 applications), then visited each, in one 5-minute function.');
}

/**
 * Read units of the list and detail routes' reads (bench/capacity.ts), against dynalite with real applications
 * (sized with the example worksheet's real estimate, drafted, queued for one partner): a partner queue page of 20
 * and of 100, an operations page of 20, one application's detail (one Query of its partition), the operations stuck page
 * (and what it read before: a read per row) and the hourly stuck count.
 */
import { startDynalite } from '../test/support/dynalite.ts';
import { exampleWorksheet } from '../test/support/fixtures.ts';
import { newApplication, newFounderToken } from '../functions/core/intake.ts';
import { estimate } from '../functions/core/estimate.ts';
import { planTransition } from '../functions/core/application/lifecycle.ts';
import type { Application } from '../schemas/application.ts';
import { createApplication } from '../functions/adapters/dynamo/applications-intake.ts';
import { applyTransition, type TransitionChanges } from '../functions/adapters/dynamo/applications.ts';

export interface ReadRow { read: string; requests: number; readUnits: number; items: number }

export async function measureReads(count = Number(process.env.BENCH_READS_APPLICATIONS ?? 120)): Promise<ReadRow[]> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const table = await startDynalite('reads');
  process.env.AWS_ENDPOINT_URL_DYNAMODB = table.endpoint;
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  const { ApplicationRepository } = await import('../functions/adapters/dynamo/applications.ts');
  const { meterCapacity } = await import('./capacity.ts');
  const repo = new ApplicationRepository(table.tableName);
  const system = { kind: 'system', id: 'bench' } as const;
  const now = new Date('2026-11-27T10:00:00Z');
  const sized = estimate(exampleWorksheet(), { now });
  let last: Application | undefined;
  for (let i = 0; i < count; i += 1) {
    let app = newApplication({ id: `app_reads${String(i).padStart(4, '0')}`, worksheet: exampleWorksheet(), tokenHash: newFounderToken().hash, now });
    await createApplication(repo, app);
    const move = async (to: Application['status'], changes: TransitionChanges = {}) => {
      app = await applyTransition(repo, app, planTransition({ current: app.status, version: app.version, to, actor: system, reason: to, now: new Date(now.getTime() + i * 1000) }), changes);
    };
    await move('sized', { estimate: sized });
    await move('drafted', { briefs: sized.plan.filings.slice(0, 2).map((f) => ({ programId: f.programId, body: { Project: { Title: f.programName, CustomerBusinessProblem: 'x'.repeat(1200) } }, problems: [], revision: 1 })) });
    await move('routed', { partner: { partnerId: 'p-bench', partnerName: 'Bench', assignedAt: now.toISOString(), reasons: ['region'] } });
    await move('in_partner_review');
    last = app;
  }
  const meter = meterCapacity(table.endpoint, table.tableName);
  meter.take();
  const rows: ReadRow[] = [];
  const measure = async (read: string, run: () => Promise<number>) => {
    const items = await run();
    const u = meter.take();
    rows.push({ read, requests: u.reads, readUnits: u.readUnits, items });
  };
  await measure('partner queue, limit 20', async () => (await (await import('../functions/adapters/dynamo/applications-lists.ts')).listPartnerQueue(repo, 'p-bench', { status: 'in_partner_review', limit: 20 })).items.length);
  await measure('partner queue, limit 100', async () => (await (await import('../functions/adapters/dynamo/applications-lists.ts')).listPartnerQueue(repo, 'p-bench', { status: 'in_partner_review', limit: 100 })).items.length);
  await measure('operations list, limit 20', async () => (await (await import('../functions/adapters/dynamo/applications-lists.ts')).listByStatus(repo, 'in_partner_review', { limit: 20 })).items.length);
  await measure('one application (detail)', async () => ((await repo.get(last!.id)) ? 1 : 0));
  // Operations' stuck page (in_partner_review past 72 hours): the index rows alone, as GET /ops/stuck reads them,
  // beside what it read before (the rows, then each application whole).
  const { stuckPage } = await import('../functions/usecases/ops-insights.ts');
  const later = new Date(now.getTime() + 4 * 86_400_000);
  const insightDeps = { applications: repo, partners: undefined as never, stats: undefined as never };
  await measure('ops stuck page of 20, one status (now)', async () => (await stuckPage(insightDeps, { status: 'in_partner_review', limit: 20, now: later })).items.length);
  await measure('ops stuck page of 20, one status (before: + a read per row)', async () => {
    const page = await (await import('../functions/adapters/dynamo/applications-lists.ts')).listByStatus(repo, 'in_partner_review', { limit: 20, updatedBefore: new Date(later.getTime() - 72 * 3_600_000).toISOString() });
    return (await Promise.all(page.items.map((row) => repo.mustGet(row.id)))).length;
  });
  await measure('ops stuck page of 20, all statuses (now)', async () => (await stuckPage(insightDeps, { limit: 20, now: later })).items.length);
  const { countStuck } = await import('../functions/usecases/stuck-count.ts');
  await measure(`hourly stuck count (${count} stuck, Select COUNT)`, async () => (await countStuck({ applications: repo, clock: { now: () => later, sleep: async () => undefined } })).stuck);
  meter.stop();
  await table.stop();
  return rows;
}

export function printReads(rows: ReadRow[]): void {
  console.log('\n== Reads of the list and detail routes (dynalite; read units from the real items) ==');
  console.table(rows.map((r) => ({ read: r.read, 'read requests': r.requests, 'items returned': r.items, 'read units': r.readUnits })));
  console.log('Before (b9f9fc6, this bench: indexes projecting whole ~30 KB items): 75 read units per page of 20; limit 100 came back with 45 items at the 1 MB Query cap; the detail 8 read units.');
}

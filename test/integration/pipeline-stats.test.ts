/**
 * The pipeline counters against dynalite: every transition counted exactly once, whether its projection is retried,
 * repeated concurrently, cut by a crash and caught up later, or races other transitions on the same day's item.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ApplicationRepository, applyTransition } from '../../functions/adapters/dynamo/applications.ts';
import { createApplication } from '../../functions/adapters/dynamo/applications-intake.ts';
import { projectTransitions } from '../../functions/adapters/dynamo/pipeline-projection.ts';
import { claimBusinessMetrics, type PipelineStats, readPipelineDays } from '../../functions/adapters/dynamo/pipeline-stats.ts';
import { planTransition } from '../../functions/core/application/lifecycle.ts';
import { newApplication, newFounderToken } from '../../functions/core/intake.ts';
import { currentCounts, windowFigures } from '../../functions/core/operations/pipeline.ts';
import { APPLICATION_STATUSES, type Application } from '../../schemas/application.ts';
import { startDynalite, type TestTable } from '../support/dynalite.ts';
import { exampleWorksheet } from '../support/fixtures.ts';

let table: TestTable;
let applications: ApplicationRepository;
let stats: PipelineStats;

beforeAll(async () => {
  table = await startDynalite();
  process.env.AWS_ENDPOINT_URL_DYNAMODB = table.endpoint;
  const { ApplicationRepository } = await import('../../functions/adapters/dynamo/applications.ts');
  const { PipelineStats } = await import('../../functions/adapters/dynamo/pipeline-stats.ts');
  applications = new ApplicationRepository(table.tableName);
  stats = new PipelineStats(table.tableName);
});
afterAll(async () => table?.stop());

const system = { kind: 'system', id: 'test' } as const;
let n = 0;
const day = '2026-11-27';
const fresh = () => newApplication({ id: `app_stats${(n += 1)}`, worksheet: exampleWorksheet(), tokenHash: newFounderToken().hash, now: new Date(`${day}T10:00:00Z`) });

async function counts() {
  return currentCounts((await readPipelineDays(stats)).map((d) => d.counters), APPLICATION_STATUSES);
}

describe('pipeline counters', () => {
  it('count a creation and a transition once each, with the time spent in the status left', async () => {
    const app = fresh();
    await createApplication(applications, app);
    await applyTransition(applications, app, planTransition({ current: 'submitted', version: 1, to: 'sized', actor: system, reason: 't', now: new Date(`${day}T12:30:00Z`) }));
    expect(await counts()).toMatchObject({ submitted: 0, sized: 1 });
    const figures = windowFigures((await readPipelineDays(stats, { fromDay: day, toDay: day })).map((d) => d.counters), APPLICATION_STATUSES, []);
    // 2.5 hours in `submitted`: the 1–4 hour bucket.
    expect(figures.timeInStatus.submitted).toEqual({ samples: 1, medianHours: 4, p90Hours: 4 });
    expect(figures.conversion.submitted).toBe(1);
  });

  it('a retried projection (the same transition again, in sequence or concurrently) counts nothing more', async () => {
    const app = fresh();
    await createApplication(applications, app);
    const updated = await applyTransition(applications, app, planTransition({ current: 'submitted', version: 1, to: 'sized', actor: system, reason: 't', now: new Date(`${day}T11:00:00Z`) }));
    const before = await counts();
    expect(await projectTransitions(stats.tableName, updated, updated.transitions, new Date())).toBe(0);
    const concurrent = await Promise.all(Array.from({ length: 8 }, () => projectTransitions(stats.tableName, updated, updated.transitions, new Date())));
    expect(concurrent.reduce((a, b) => a + b, 0)).toBe(0);
    expect(await counts()).toEqual(before);
  });

  it('a crash between the status write and the count is caught up by re-projecting, exactly once', async () => {
    const app = fresh();
    await createApplication(applications, app);
    // The status change written without its count (as if the function died right after the UpdateItem): the
    // counter write is refused, which applyTransition logs and lets pass.
    const { documentClient } = await import('../../functions/adapters/dynamo/client.ts');
    const send = documentClient.send.bind(documentClient);
    const cut = vi.spyOn(documentClient, 'send').mockImplementation(((command: { input: { Key?: { pk?: unknown } } }) => {
      if (command.input.Key?.pk === 'STATS') return Promise.reject(new Error('cut before the count'));
      return send(command as never);
    }) as typeof documentClient.send);
    const updated = await applyTransition(applications, app, planTransition({ current: 'submitted', version: 1, to: 'sized', actor: system, reason: 't', now: new Date(`${day}T11:00:00Z`) }));
    cut.mockRestore();
    const before = await counts();
    // The next Notify (or an operations action) re-projects the whole timeline: only the missing transition counts.
    expect(await projectTransitions(stats.tableName, updated, updated.transitions, new Date())).toBe(1);
    const after = await counts();
    expect(after.sized).toBe(before.sized! + 1);
    expect(after.submitted).toBe(before.submitted! - 1);
  });

  it('concurrent transitions of different applications on the same day all count', async () => {
    const created = Array.from({ length: 10 }, fresh);
    await Promise.all(created.map((a) => createApplication(applications, a)));
    const before = await counts();
    await Promise.all(created.map((a) => applyTransition(applications, a, planTransition({ current: 'submitted', version: 1, to: 'sized', actor: system, reason: 't', now: new Date(`${day}T15:00:00Z`) }))));
    const after = await counts();
    expect(after.sized).toBe(before.sized! + 10);
    expect(after.submitted).toBe(before.submitted! - 10);
  });

  it('business metrics: the OpsSweep claims what the counters grew by since its last claim, each count once', async () => {
    await claimBusinessMetrics(stats); // what the tests above counted
    expect(await claimBusinessMetrics(stats)).toEqual([]);
    const app = fresh();
    const [first] = app.transitions;
    const at = (h: number) => `${day}T${String(h).padStart(2, '0')}:00:00Z`;
    const credited: Application = {
      ...app,
      briefs: [{ programId: 'bedrock-poc', body: {}, problems: [], revision: 1, record: { status: 'credits_applied', credits: { amountUsd: '1500.50', appliedOn: day, expiresOn: '2027-11-27' } } }],
      transitions: [
        first!,
        { at: at(13), actor: system, from: 'submitted', to: 'routed', reason: 'r', version: 2 },
        { at: at(14), actor: system, from: 'routed', to: 'filed', reason: 'f', record: { programId: 'bedrock-poc', from: 'approved_for_filing', to: 'filed' }, version: 3 },
        { at: at(15), actor: system, from: 'filed', to: 'credits_applied', reason: 'c', record: { programId: 'bedrock-poc', from: 'approved', to: 'credits_applied' }, version: 4 },
      ],
    };
    expect(await projectTransitions(stats.tableName, credited, credited.transitions, new Date())).toBe(4);
    const byName = (ms: { name: string; value: number }[]) => Object.fromEntries(ms.map((m) => [m.name, m.value]));
    expect(byName(await claimBusinessMetrics(stats))).toEqual({ ApplicationsSubmitted: 1, ApplicationsRouted: 1, RecordsFiled: 1, CreditsApplied: 1, CreditsAppliedUsd: 1500.5 });
    // A repeated projection counts nothing, so nothing more is emitted.
    expect(await projectTransitions(stats.tableName, credited, credited.transitions, new Date())).toBe(0);
    expect(await claimBusinessMetrics(stats)).toEqual([]);
    // Concurrent sweeps: the growth is claimed by one of them.
    const next = fresh();
    await createApplication(applications, next);
    const claims = await Promise.all(Array.from({ length: 4 }, () => claimBusinessMetrics(stats)));
    expect(claims.flat()).toEqual([{ name: 'ApplicationsSubmitted', value: 1, unit: 'Count' }]);
  });
});

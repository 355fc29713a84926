/**
 * Operations reads against dynalite (issue 9): the stuck and failed pages are one index Query each (the rows carry
 * what the page shows: the list summary's latest reason, escalation and failure), and the hourly stuck count is one
 * `Select: COUNT` Query per status with a threshold, counting escalated applications apart. Requests are counted at
 * the document client, the one client every repository read goes through.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApplicationRepository, applyTransition, type TransitionChanges } from '../../functions/adapters/dynamo/applications.ts';
import { appendNote } from '../../functions/adapters/dynamo/applications-edits.ts';
import { createApplication } from '../../functions/adapters/dynamo/applications-intake.ts';
import type * as Insights from '../../functions/usecases/ops-insights.ts';
import type * as StuckCountModule from '../../functions/usecases/stuck-count.ts';
import { planTransition } from '../../functions/core/application/lifecycle.ts';
import { newApplication, newFounderToken } from '../../functions/core/intake.ts';
import { ESCALATION_MARK } from '../../functions/core/operations/escalation.ts';
import { STUCK } from '../../functions/core/operations/stuck.ts';
import type { Actor, Application, ApplicationStatus } from '../../schemas/application.ts';
import { startDynalite, type TestTable } from '../support/dynalite.ts';
import { exampleWorksheet } from '../support/fixtures.ts';

let table: TestTable;
let applications: ApplicationRepository;
let insights: typeof Insights;
let stuckCount: typeof StuckCountModule;
const sent: string[] = [];

beforeAll(async () => {
  table = await startDynalite();
  process.env.AWS_ENDPOINT_URL_DYNAMODB = table.endpoint;
  const { ApplicationRepository } = await import('../../functions/adapters/dynamo/applications.ts');
  const { documentClient } = await import('../../functions/adapters/dynamo/client.ts');
  insights = await import('../../functions/usecases/ops-insights.ts');
  stuckCount = await import('../../functions/usecases/stuck-count.ts');
  documentClient.middlewareStack.add((next, context) => (args) => {
    sent.push(String(context.commandName));
    return next(args);
  }, { step: 'initialize', name: 'countRequests' });
  applications = new ApplicationRepository(table.tableName);
});
afterAll(async () => table?.stop());

const T0 = Date.parse('2026-11-20T00:00:00Z');
const NOW = new Date(T0 + 6 * 86_400_000);
const HOUR = 3_600_000;
const system: Actor = { kind: 'system', id: 'test' };
const partner: Actor = { kind: 'partner', id: 'p-test' };
let n = 0;

/** A new application moved through `path`, one hour apart from `start`. */
async function through(path: ApplicationStatus[], start: number, changes: TransitionChanges = {}): Promise<Application> {
  let app = newApplication({ id: `app_opsreads${String((n += 1)).padStart(3, '0')}`, worksheet: exampleWorksheet(), tokenHash: newFounderToken().hash, now: new Date(start) });
  await createApplication(applications, app);
  for (const [i, to] of path.entries()) {
    const last = i === path.length - 1;
    app = await applyTransition(applications, app, planTransition({
      current: app.status, version: app.version, to, actor: to === 'approved_for_filing' ? partner : system, reason: `to ${to}`, now: new Date(start + (i + 1) * HOUR),
    }), last ? changes : {});
  }
  return app;
}

async function counted<T>(run: () => Promise<T>): Promise<{ value: T; requests: string[] }> {
  sent.length = 0;
  const value = await run();
  return { value, requests: [...sent] };
}

const deps = () => ({ applications, partners: undefined as never, stats: undefined as never });

describe('operations reads', () => {
  let escalatedId = '';
  let failedId = '';
  beforeAll(async () => {
    for (let i = 0; i < 3; i += 1) await through(['sized'], T0); // stuck: sized for days (threshold 1 h)
    await through([], NOW.getTime() - HOUR / 2); // submitted half an hour ago: not stuck
    const review = await through(['sized', 'drafted', 'routed', 'in_partner_review', 'approved_for_filing'], T0);
    const note = { at: NOW.toISOString(), actor: { kind: 'system', id: 'Notify' } as Actor, from: review.status, to: review.status, reason: `${ESCALATION_MARK}: test`, version: review.version + 1 };
    escalatedId = (await appendNote(applications, review, note)).id;
    failedId = (await through(['sized', 'failed'], T0, {
      failure: { at: new Date(T0 + 2 * HOUR).toISOString(), state: 'DraftBriefs', error: 'Boom', cause: 'a test failure', failedFrom: 'sized' },
    })).id;
  });

  it('the stuck page is one Query for a status, and shows the escalation from the index row', async () => {
    const { value, requests } = await counted(() => insights.stuckPage(deps(), { status: 'approved_for_filing', limit: 25, now: NOW }));
    expect(requests).toEqual(['QueryCommand']);
    expect(value.items).toEqual([expect.objectContaining({ id: escalatedId, escalated: true, lastReason: expect.stringMatching(/^escalated to operations/), why: expect.stringMatching(/escalated/) })]);
  });

  it('the all-status stuck page reads one Query per status partition it visits, never a row by row read', async () => {
    const { value, requests } = await counted(() => insights.stuckPage(deps(), { limit: 25, now: NOW }));
    expect(new Set(requests)).toEqual(new Set(['QueryCommand']));
    expect(requests.length).toBeLessThanOrEqual(STUCK.thresholds.length);
    expect(value.items.filter((i) => i.status === 'sized')).toHaveLength(3);
    expect(value.items.some((i) => i.status === 'submitted')).toBe(false);
  });

  it('the failed page is one Query, with the failure, its time and what a redrive does', async () => {
    const { value, requests } = await counted(() => insights.failedPage(deps(), { limit: 25 }));
    expect(requests).toEqual(['QueryCommand']);
    expect(value.items).toEqual([expect.objectContaining({
      id: failedId, state: 'DraftBriefs', error: 'Boom', cause: 'a test failure', failedFrom: 'sized', failedAt: new Date(T0 + 2 * HOUR).toISOString(),
      redrive: expect.stringMatching(/^Back to 'sized'/),
    })]);
  });

  it('the stuck count: past-threshold applications per status, escalated ones apart, one COUNT Query per status', async () => {
    const { value, requests } = await counted(() => stuckCount.countStuck({ applications, clock: { now: () => NOW, sleep: async () => undefined } }));
    expect(value).toMatchObject({ stuck: 5, escalated: 1, byStatus: { sized: 3, approved_for_filing: 1, failed: 1 } });
    expect(value.queries).toBe(STUCK.thresholds.length);
    expect(requests).toEqual(STUCK.thresholds.map(() => 'QueryCommand'));
    // Two hours later the fresh submission is past its 1-hour threshold too.
    const later = await stuckCount.countStuck({ applications, clock: { now: () => new Date(NOW.getTime() + 2 * HOUR), sleep: async () => undefined } });
    expect(later.stuck).toBe(6);
  });
});

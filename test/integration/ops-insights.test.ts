/**
 * Operations' stuck and failed pages and the pipeline (functions/usecases/ops-insights.ts) against dynalite, a table
 * per case (a page reads a whole index partition): paging through one status and through every status with a
 * threshold (each stuck application once, in workflow order, a page never over its limit), cursors that are not ours,
 * and the pipeline's window over rolled-up months and day items. ./ops-reads.test.ts counts the requests.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplicationRepository } from '../../functions/adapters/dynamo/applications.ts';
import type * as Applications from '../../functions/adapters/dynamo/applications.ts';
import type * as Intake from '../../functions/adapters/dynamo/applications-intake.ts';
import type * as Partners from '../../functions/adapters/dynamo/partners.ts';
import type * as Stats from '../../functions/adapters/dynamo/pipeline-stats.ts';
import type * as Projection from '../../functions/adapters/dynamo/pipeline-projection.ts';
import type * as Insights from '../../functions/usecases/ops-insights.ts';
import { ValidationError } from '../../functions/core/errors.ts';
import { newApplication } from '../../functions/core/intake.ts';
import { STUCK } from '../../functions/core/operations/stuck.ts';
import type { Application, ApplicationStatus } from '../../schemas/application.ts';
import { createTable, startDynalite, type TestTable } from '../support/dynalite.ts';
import { exampleWorksheet } from '../support/fixtures.ts';
import { applicationThrough } from '../support/timeline.ts';

let server: TestTable;
let applicationsModule: typeof Applications;
let intake: typeof Intake;
let partners: typeof Partners;
let stats: typeof Stats;
let projection: typeof Projection;
let insights: typeof Insights;

beforeAll(async () => {
  server = await startDynalite('ops-insights');
  process.env.AWS_ENDPOINT_URL_DYNAMODB = server.endpoint;
  applicationsModule = await import('../../functions/adapters/dynamo/applications.ts');
  intake = await import('../../functions/adapters/dynamo/applications-intake.ts');
  partners = await import('../../functions/adapters/dynamo/partners.ts');
  stats = await import('../../functions/adapters/dynamo/pipeline-stats.ts');
  projection = await import('../../functions/adapters/dynamo/pipeline-projection.ts');
  insights = await import('../../functions/usecases/ops-insights.ts');
});
afterAll(async () => server?.stop());

const HOUR = 3_600_000;
const NOW = new Date('2026-12-10T08:00:00.000Z');

let tables = 0;
async function world(): Promise<{ applications: ApplicationRepository; deps: Insights.InsightDeps; tableName: string }> {
  const tableName = `insights-${(tables += 1)}`;
  await createTable(server.endpoint, tableName);
  const applications = new applicationsModule.ApplicationRepository(tableName);
  return { applications, tableName, deps: { applications, partners: new partners.PartnerRepository(tableName), stats: new stats.PipelineStats(tableName) } };
}

/** Stored in `status` since `hoursAgo` (the index sorts a status's applications by that time). */
async function inStatus(applications: ApplicationRepository, status: ApplicationStatus, hoursAgo: number, extra: Partial<Application> = {}): Promise<string> {
  const id = `app_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
  const since = new Date(NOW.getTime() - hoursAgo * HOUR);
  const app: Application = { ...newApplication({ id, worksheet: exampleWorksheet(), tokenHash: 'h'.repeat(64), now: since }), status, ...extra };
  expect(await intake.createApplication(applications, app)).toBe(true);
  return id;
}

/** Every page of a query, following nextCursor. */
async function allPages(read: (cursor?: string) => Promise<{ items: Array<{ id: string }>; nextCursor: string | null }>, limit: number) {
  const pages: string[][] = [];
  const cursors: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    expect(page.items.length).toBeLessThanOrEqual(limit);
    pages.push(page.items.map((i) => i.id));
    cursor = page.nextCursor ?? undefined;
    if (cursor) cursors.push(cursor);
    expect(pages.length).toBeLessThan(20);
  } while (cursor);
  return { pages, cursors, ids: pages.flat() };
}

describe('stuckPage', () => {
  it('a status without a threshold has no stuck list: nothing is read', async () => {
    const { deps } = await world();
    expect(await insights.stuckPage({ ...deps, applications: undefined as never }, { status: 'withdrawn', limit: 10, now: NOW })).toEqual({ asOf: STUCK.asOf, items: [], nextCursor: null });
  });

  it('one status, page by page: oldest first, only those past the threshold, the index cursor handed back as it is', async () => {
    const { applications, deps } = await world();
    const stuck = [await inStatus(applications, 'sized', 30), await inStatus(applications, 'sized', 20), await inStatus(applications, 'sized', 10)];
    await inStatus(applications, 'sized', 0.5); // within the hour sizing takes
    const first = await insights.stuckPage(deps, { status: 'sized', limit: 2, now: NOW });
    expect(first.asOf).toBe(STUCK.asOf);
    expect(first.items.map((i) => i.id)).toEqual(stuck.slice(0, 2));
    expect(first.items[0]).toMatchObject({ status: 'sized', thresholdHours: 1, hoursInStatus: 30, escalated: false });
    expect(first.nextCursor).toEqual(expect.any(String));
    expect(first.nextCursor).not.toMatch(/^\d+\./);
    const second = await insights.stuckPage(deps, { status: 'sized', limit: 2, cursor: first.nextCursor!, now: NOW });
    expect(second).toEqual({ asOf: STUCK.asOf, items: [expect.objectContaining({ id: stuck[2] })], nextCursor: null });
  });

  it('every status with a threshold, page by page: each stuck application once, in workflow order', async () => {
    const { applications, deps } = await world();
    const submitted = await inStatus(applications, 'submitted', 5);
    const sized = [await inStatus(applications, 'sized', 30), await inStatus(applications, 'sized', 20), await inStatus(applications, 'sized', 10)];
    const unrouted = await inStatus(applications, 'unrouted', 48);
    await inStatus(applications, 'unrouted', 2); // not yet past its 24 hours
    await inStatus(applications, 'withdrawn', 500); // no threshold: never stuck
    const failed = await inStatus(applications, 'failed', 1);
    const expected = [submitted, ...sized, unrouted, failed];
    for (const limit of [1, 2, 4, 25]) {
      const { ids, cursors } = await allPages((cursor) => insights.stuckPage(deps, { limit, now: NOW, ...(cursor ? { cursor } : {}) }), limit);
      expect(ids, `limit ${limit}`).toEqual(expected);
      for (const c of cursors) expect(c).toMatch(/^\d{1,2}\./);
      // One of ours with anything after a line break is not one of ours.
      if (cursors[0]) await expect(insights.stuckPage(deps, { limit, now: NOW, cursor: `${cursors[0]}\nx` })).rejects.toBeInstanceOf(ValidationError);
    }
    // One page holds them all and says there is no more.
    expect((await insights.stuckPage(deps, { limit: 25, now: NOW })).nextCursor).toBeNull();
    // A cursor naming a status starts there, from its first application.
    const fromUnrouted = await insights.stuckPage(deps, { limit: 25, now: NOW, cursor: `${STUCK.thresholds.findIndex((t) => t.status === 'unrouted')}.` });
    expect(fromUnrouted.items.map((i) => i.id)).toEqual([unrouted, failed]);
  });

  it('a page filled exactly at the end of a status carries on from the next status', async () => {
    const { applications, deps } = await world();
    const submitted = await inStatus(applications, 'submitted', 5);
    const sized = await inStatus(applications, 'sized', 5);
    const first = await insights.stuckPage(deps, { limit: 1, now: NOW });
    expect(first.items.map((i) => i.id)).toEqual([submitted]);
    const second = await insights.stuckPage(deps, { limit: 1, now: NOW, cursor: first.nextCursor! });
    expect(second.items.map((i) => i.id)).toEqual([sized]);
  });

  it('a cursor that is not one of ours is refused', async () => {
    const { deps } = await world();
    for (const cursor of ['abc', `${STUCK.thresholds.length}.`, '99.x', '123.', '.x', '1', 'x1.', '1.x\ny']) {
      const error = await insights.stuckPage(deps, { limit: 5, now: NOW, cursor }).catch((e: unknown) => e);
      expect(error, cursor).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).problems, cursor).toEqual([{ field: 'query.cursor', rule: 'must be a nextCursor returned by the previous page of the same query' }]);
    }
  });
});

describe('failedPage', () => {
  it('page by page, each failure once, with its cursor; none left: null', async () => {
    const { applications, deps } = await world();
    const failure = (state: string) => ({ at: NOW.toISOString(), state, error: 'Boom', cause: 'x', failedFrom: 'sized' as const });
    const ids = [await inStatus(applications, 'failed', 3, { failure: failure('A') }), await inStatus(applications, 'failed', 2, { failure: failure('B') })];
    const first = await insights.failedPage(deps, { limit: 1 });
    expect(first.items).toEqual([expect.objectContaining({ id: ids[0], state: 'A' })]);
    const second = await insights.failedPage(deps, { limit: 1, cursor: first.nextCursor! });
    expect(second.items).toEqual([expect.objectContaining({ id: ids[1], state: 'B' })]);
    expect((await insights.failedPage(deps, { limit: 5 })).nextCursor).toBeNull();
  });
});

describe('pipeline', () => {
  it('the window over rolled-up months and day items; current counts over everything; partners with their load', async () => {
    const { deps, tableName } = await world();
    const timelines: Array<Array<[ApplicationStatus, string]>> = [
      [['submitted', '2026-11-20T10:00:00Z'], ['sized', '2026-11-20T11:00:00Z']], // a month rolled up, before any window here
      [['submitted', '2026-12-02T10:00:00Z'], ['sized', '2026-12-02T11:00:00Z']], // rolled into December's month item
      [['submitted', '2026-12-09T10:00:00Z']], // a day item
      [['submitted', '2026-12-10T07:00:00Z']], // today
    ];
    for (const steps of timelines) {
      const app = applicationThrough(steps, 'app_pipeline');
      await projection.projectTransitions(tableName, app, app.transitions, NOW);
    }
    expect(await stats.rollUpPipelineDays(deps.stats, NOW)).toContain('2026-12-07');
    await partners.upsertPartnerProfile(deps.partners, {
      id: 'p-1', name: 'Partner One', tier: 'Advanced', regions: ['us-east-1'], contactEmail: 'desk@p-1.example',
      strengths: { modelProviders: [], useCases: [], services: [] }, capacity: 3, record: { filings: 1, approvalRate: 1, medianDaysToCredits: 1 }, active: true,
    });
    expect(await partners.bookPartner(deps.partners, 'p-1', 'app_x')).toBe(true);

    // Two days, both after the last rolled day (the 7th): their day items alone, the window as asked.
    const twoDays = await insights.pipeline(deps, { days: 2, now: NOW });
    expect(twoDays.asOf).toBe(NOW.toISOString());
    expect(twoDays.window).toEqual({ days: 2, from: '2026-12-09', to: '2026-12-10' });
    expect(twoDays.conversion.submitted).toBe(2);
    expect(twoDays.timeInStatus).toEqual({});
    expect(twoDays.counts).toMatchObject({ submitted: 2, sized: 2, drafted: 0 });
    expect(twoDays.partners).toEqual([expect.objectContaining({ partnerId: 'p-1', name: 'Partner One', load: 1, capacity: 3, reviews: 0 })]);
    expect(twoDays.redrives).toBe(0);
    expect(twoDays.reads).toEqual({ counterItems: twoDays.reads.monthItems + twoDays.reads.dayItems, monthItems: 2, dayItems: twoDays.reads.dayItems, partnerProfiles: 1 });
    expect(twoDays.reads.dayItems).toBeGreaterThanOrEqual(2);

    // Four days reach the last rolled day: December's month counts whole, and the window starts on the 1st.
    const fourDays = await insights.pipeline(deps, { days: 4, now: NOW });
    expect(fourDays.window).toEqual({ days: 4, from: '2026-12-01', to: '2026-12-10' });
    expect(fourDays.conversion.submitted).toBe(3);
    expect(fourDays.timeInStatus).toEqual({ submitted: expect.objectContaining({ samples: 1 }) }); // December's one left submitted
    expect(fourDays.counts).toEqual(twoDays.counts);

    // Forty days reach back into November: its month counts whole, and the window says it starts on its 1st.
    const forty = await insights.pipeline(deps, { days: 40, now: NOW });
    expect(forty.window).toEqual({ days: 40, from: '2026-11-01', to: '2026-12-10' });
    expect(forty.conversion.submitted).toBe(4);
    expect(forty.counts).toEqual(twoDays.counts);

    // A window that starts on a month's first day starts there; a window before every counter counts nothing in it.
    expect((await insights.pipeline(deps, { days: 10, now: NOW })).window.from).toBe('2026-12-01');
    const later = await insights.pipeline(deps, { days: 1, now: new Date('2027-02-10T08:00:00Z') });
    expect(later.window).toEqual({ days: 1, from: '2027-02-10', to: '2027-02-10' });
    expect(later.conversion.submitted).toBe(0);
    expect(later.counts).toEqual(twoDays.counts);
  });

  it('a window that starts before the oldest month item starts where it was asked to', async () => {
    const { deps, tableName } = await world();
    const app = applicationThrough([['submitted', '2026-12-02T10:00:00Z'], ['sized', '2026-12-02T11:00:00Z']], 'app_pipeline');
    await projection.projectTransitions(tableName, app, app.transitions, NOW);
    await stats.rollUpPipelineDays(deps.stats, NOW);
    const sixteen = await insights.pipeline(deps, { days: 16, now: NOW });
    expect(sixteen.window).toEqual({ days: 16, from: '2026-11-25', to: '2026-12-10' });
    expect(sixteen.conversion.submitted).toBe(1);
  });

  it('day items after the window\'s end are not in it', async () => {
    const { deps, tableName } = await world();
    for (const steps of [[['submitted', '2026-12-09T10:00:00Z']], [['submitted', '2026-12-10T07:00:00Z']]] as Array<Array<[ApplicationStatus, string]>>) {
      const app = applicationThrough(steps, 'app_pipeline');
      await projection.projectTransitions(tableName, app, app.transitions, NOW);
    }
    const yesterday = await insights.pipeline(deps, { days: 1, now: new Date('2026-12-09T20:00:00Z') });
    expect(yesterday.window).toEqual({ days: 1, from: '2026-12-09', to: '2026-12-09' });
    expect(yesterday.conversion.submitted).toBe(1);
    expect(yesterday.counts.submitted).toBe(2);
    expect(yesterday.partners).toEqual([]);
  });
});

describe('countStuck', () => {
  it('counts per status only those with any, and adds them up', async () => {
    const { applications } = await world();
    const stuckCount = await import('../../functions/usecases/stuck-count.ts');
    await inStatus(applications, 'sized', 3);
    await inStatus(applications, 'sized', 2);
    await inStatus(applications, 'unrouted', 30);
    await inStatus(applications, 'unrouted', 1); // within its 24 hours
    const count = await stuckCount.countStuck({ applications, clock: { now: () => NOW, sleep: async () => undefined } });
    expect(count).toEqual({ at: NOW.toISOString(), stuck: 3, escalated: 0, byStatus: { sized: 2, unrouted: 1 }, queries: STUCK.thresholds.length });
  });
});

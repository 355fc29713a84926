/**
 * End to end, operations (issue 9): applications seeded through the API on the whole local runtime, then read and
 * acted on as an operator would: a failure injected and redriven to success, an execution story with no task token
 * in it, stuck work past its threshold, a reassignment, a cancellation, a nudge, the pipeline's counts, and the
 * authorization matrix of every new route.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../lib/local/start.ts';
import { startE2eRuntime, until } from '../support/e2e.ts';
import { client, settled, statusIs, submit } from '../support/ops-e2e.ts';
import { checkStoredItems } from '../support/stored-items.ts';

let rt: LocalRuntime;
let ops = '';
let partnerToken = '';
let call: ReturnType<typeof client>['call'];
const apps = {} as Record<'waiting' | 'cancelled' | 'failed', { id: string; founderToken: string }>;

beforeAll(async () => {
  rt = await startE2eRuntime();
  ({ call } = client(rt));
  ops = await rt.mintToken({ groups: ['ops'], sub: 'operator-ana' });
  partnerToken = await rt.mintToken({ groups: ['partner'], partnerId: 'p-northwind' });
  apps.waiting = await submit(rt, 'ops-e2e-waiting-01', 'Waiting Co');
  apps.cancelled = await submit(rt, 'ops-e2e-cancel-001', 'Cancelled Co');
  await statusIs(rt, ops, apps.waiting.id, 'in_partner_review');
  await statusIs(rt, ops, apps.cancelled.id, 'in_partner_review');
  // A broken dependency: RoutePartner fails once with a non-transient error, so the workflow takes its failure path.
  rt.faults.add({ function: 'RoutePartner', times: 1, error: 'PartnerDirectoryUnavailable', message: 'the partner directory did not answer' });
  apps.failed = await submit(rt, 'ops-e2e-failed-001', 'Failed Co');
  await statusIs(rt, ops, apps.failed.id, 'failed');
}, 120_000);
afterAll(async () => rt?.stop());

const NEW_ROUTES: Array<[string, string, unknown?]> = [
  ['GET', '/ops/applications/{id}/story'],
  ['GET', '/ops/stuck'],
  ['GET', '/ops/failed'],
  ['GET', '/ops/pipeline'],
  ['POST', '/ops/applications/{id}/redrive', { reason: 'matrix check' }],
  ['POST', '/ops/applications/{id}/reassign', { reason: 'matrix check', partnerId: 'p-tidewater' }],
  ['POST', '/ops/applications/{id}/cancel', { reason: 'matrix check' }],
  ['POST', '/ops/applications/{id}/nudge', { reason: 'matrix check' }],
];

describe('authorization: every new route is for the ops role only', () => {
  it('refuses a partner JWT (403), a founder token (401: not a JWT) and no token (401), and changes nothing', async () => {
    const before = (await call('GET', `/ops/applications/${apps.waiting.id}`, ops)).body;
    for (const [method, template, body] of NEW_ROUTES) {
      const path = template.replace('{id}', apps.waiting.id);
      expect((await call(method, path, partnerToken, body)).status, `${method} ${path} partner`).toBe(403);
      expect((await call(method, path, apps.waiting.founderToken, body)).status, `${method} ${path} founder`).toBe(401);
      expect((await call(method, path, undefined, body)).status, `${method} ${path} anonymous`).toBe(401);
    }
    const after = (await call('GET', `/ops/applications/${apps.waiting.id}`, ops)).body;
    expect(after.timeline).toEqual(before.timeline);
  });

  it('asks for a reason on every action (400 naming the field)', async () => {
    for (const action of ['redrive', 'cancel', 'nudge']) {
      const res = await call('POST', `/ops/applications/${apps.waiting.id}/${action}`, ops, {});
      expect(res.status, action).toBe(400);
      expect(res.body.problems).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'body.reason' })]));
    }
  });
});

describe('a failed application', () => {
  it('is listed with the state that failed, the error, the cause and what a redrive will do', async () => {
    const res = await call('GET', '/ops/failed', ops);
    expect(res.status).toBe(200);
    const item = (res.body.items as Record<string, string>[]).find((i) => i.id === apps.failed.id);
    expect(item).toMatchObject({ state: 'RoutePartner', error: 'PartnerDirectoryUnavailable', failedFrom: 'drafted' });
    expect(item!.cause).toContain('the partner directory did not answer');
    expect(item!.redrive).toMatch(/Back to 'drafted'.*RoutePartner/);
  });

  it('tells its execution story: where it failed and why', async () => {
    const res = await call('GET', `/ops/applications/${apps.failed.id}/story`, ops);
    const [execution] = res.body.executions as { status: string; headline: string; sentences: string[]; steps: { state: string; outcome: string }[] }[];
    expect(execution!.status).toBe('FAILED');
    expect(execution!.steps.find((s) => s.state === 'RoutePartner')).toMatchObject({ outcome: 'failed' });
    expect(execution!.sentences.join(' ')).toMatch(/Routed to a partner failed .*PartnerDirectoryUnavailable/);
  });

  it('is redriven to success: back where it failed, a new execution routes it and waits on review', async () => {
    const res = await call('POST', `/ops/applications/${apps.failed.id}/redrive`, ops, { reason: 'partner directory is back' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ action: 'redrive', applied: true, status: 'drafted', executionArn: expect.stringContaining(`${apps.failed.id}--ops-v`) });
    const view = await statusIs(rt, ops, apps.failed.id, 'in_partner_review');
    const redriveStep = (view.timeline as { from: string; to: string; by: string; reason: string }[]).find((t) => t.from === 'failed');
    expect(redriveStep).toMatchObject({ to: 'drafted', by: 'ops', reason: expect.stringContaining('partner directory is back') });
    const story = await call('GET', `/ops/applications/${apps.failed.id}/story`, ops);
    expect((story.body.executions as { status: string }[]).map((e) => e.status)).toEqual(['RUNNING', 'FAILED']);
  });

  it('a repeated redrive converges (200, applied false); a redrive of an application that is not failed is 409', async () => {
    const again = await call('POST', `/ops/applications/${apps.failed.id}/redrive`, ops, { reason: 'partner directory is back' });
    expect(again.status).toBe(200);
    expect(again.body.applied).toBe(false);
    const illegal = await call('POST', `/ops/applications/${apps.waiting.id}/redrive`, ops, { reason: 'nothing failed' });
    expect(illegal.status).toBe(409);
    expect(illegal.body.currentState).toBe('in_partner_review');
  });
});

describe('the execution story of a waiting application', () => {
  it('reads like a person wrote it and never carries a task token, raw events included', async () => {
    const token = await until('a stored task token', async () => rt.sfn.pendingTasks().find((t) => t.executionArn.endsWith(`:${apps.waiting.id}`))?.token);
    const res = await call('GET', `/ops/applications/${apps.waiting.id}/story?raw=1`, ops);
    expect(res.status).toBe(200);
    const [execution] = res.body.executions as { headline: string; sentences: string[] }[];
    expect(execution!.headline).toMatch(/^waiting on partner review since \d{1,2} [A-Z][a-z]{2}, reminder due \d{1,2} [A-Z][a-z]{2}$/);
    expect(execution!.sentences.join(' ')).toMatch(/Read the worksheet to size .*Estimated the spend and the credit ask .*Stored the estimate .*Drafted the ACE briefs .*Routed to a partner .*Waiting on partner review since/);
    expect((res.body.rawEvents as unknown[]).length).toBeGreaterThan(10);
    expect(res.text).not.toContain(token);
    expect(res.text).not.toContain(token.slice(0, 40));
    expect(res.text).not.toMatch(/AQ[A-Za-z0-9+/]{100,}/);
  });
});

describe('acting on applications', () => {
  it('reassigns to another partner: slots released and booked, both partners told, the review waits on the new one', async () => {
    const before = (await call('GET', '/ops/pipeline', ops)).body.partners as { partnerId: string; load: number }[];
    const res = await call('POST', `/ops/applications/${apps.waiting.id}/reassign`, ops, { reason: 'northwind is overloaded', partnerId: 'p-tidewater' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ applied: true, status: 'routed' });
    const view = await until('review with tidewater', async () => {
      const v = (await call('GET', `/ops/applications/${apps.waiting.id}`, ops)).body;
      return v.status === 'in_partner_review' && v.partnerId === 'p-tidewater' ? v : undefined;
    });
    expect(view.passedOverBy).toContain('p-northwind');
    const after = (await call('GET', '/ops/pipeline', ops)).body.partners as { partnerId: string; load: number }[];
    const load = (list: typeof after, id: string) => list.find((p) => p.partnerId === id)!.load;
    expect(load(after, 'p-northwind')).toBe(load(before, 'p-northwind') - 1);
    expect(load(after, 'p-tidewater')).toBe(load(before, 'p-tidewater') + 1);
    const mails = await until('both partners mailed', async () => {
      const all = await rt.mails();
      const to = (addr: string) => all.filter((m) => m.destination.to.includes(addr) && `${m.body.text}`.includes(apps.waiting.id));
      return to('filings@tidewater-labs.example').length && to('ace-desk@northwind-partners.example').some((m) => /reassigned/.test(`${m.body.text}`)) ? all : undefined;
    });
    expect(mails.length).toBeGreaterThan(0);
    const again = await call('POST', `/ops/applications/${apps.waiting.id}/reassign`, ops, { reason: 'northwind is overloaded', partnerId: 'p-tidewater' });
    expect(again.status).toBe(409);
    expect(again.body.currentState).toBe('in_partner_review');
  });

  it('nudges whoever must act: one reminder mail a day, recorded in the timeline with the operator', async () => {
    const mailsBefore = (await rt.mails()).length;
    const res = await call('POST', `/ops/applications/${apps.waiting.id}/nudge`, ops, { reason: 'founder called us' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ applied: true, status: 'in_partner_review', detail: 'partner-review-reminder sent to the partner' });
    const again = await call('POST', `/ops/applications/${apps.waiting.id}/nudge`, ops, { reason: 'founder called us' });
    expect(again.body).toMatchObject({ applied: false });
    const reminders = await until('the reminder', async () => {
      const all = (await rt.mails()).slice(mailsBefore).filter((m) => /Reminder/.test(m.subject));
      return all.length ? all : undefined;
    });
    expect(reminders).toHaveLength(1);
    expect(reminders[0]!.destination.to).toEqual(['filings@tidewater-labs.example']);
    const view = (await call('GET', `/ops/applications/${apps.waiting.id}`, ops)).body;
    expect((view.timeline as { by: string; reason: string }[]).at(-1)).toMatchObject({ by: 'ops', reason: expect.stringMatching(/^nudged the partner/) });
  });

  it('cancels before credits: withdrawn, the execution ends, the slot is released, the founder is told', async () => {
    const id = apps.cancelled.id;
    const res = await call('POST', `/ops/applications/${id}/cancel`, ops, { reason: 'founder asked by phone' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ applied: true, status: 'withdrawn' });
    await settled(rt, ops, id);
    const story = await call('GET', `/ops/applications/${id}/story`, ops);
    expect((story.body.executions as { status: string }[])[0]!.status).not.toBe('RUNNING');
    await until('the founder mail', async () => ((await rt.mails()).some((m) => m.destination.to.includes('maya@ledgerly.ai') && /withdrawn/.test(m.subject) && `${m.body.text}`.includes('cancelled by operations')) ? true : undefined));
    const again = await call('POST', `/ops/applications/${id}/cancel`, ops, { reason: 'founder asked by phone' });
    expect(again.body).toMatchObject({ applied: false, status: 'withdrawn' });
    const nudge = await call('POST', `/ops/applications/${id}/nudge`, ops, { reason: 'too late' });
    expect(nudge.status).toBe(409);
    expect(nudge.body.currentState).toBe('withdrawn');
  });
});

describe('the pipeline and stuck work', () => {
  it('counts each status as the applications stand (no double counts after retries and replays)', async () => {
    const res = await call('GET', '/ops/pipeline?days=7', ops);
    expect(res.status).toBe(200);
    const counts = res.body.counts as Record<string, number>;
    for (const status of ['in_partner_review', 'withdrawn', 'failed', 'submitted']) {
      const listed = (await call('GET', `/ops/applications?status=${status}&limit=100`, ops)).body.items as unknown[];
      expect(counts[status], status).toBe(listed.length);
    }
    expect(counts.in_partner_review).toBe(2);
    expect(res.body.conversion).toMatchObject({ submitted: 3, askedUsd: expect.stringMatching(/^\d+\.\d{2}$/) });
    expect(Number((res.body.conversion as { askedUsd: string }).askedUsd)).toBeGreaterThan(0);
    const timeInStatus = res.body.timeInStatus as Record<string, { samples: number }>;
    expect(timeInStatus.submitted!.samples).toBeGreaterThanOrEqual(3);
    expect(res.body.reads).toMatchObject({ counterItems: 1, monthItems: 0, dayItems: 1 });
    // A year's window is allowed (the roll-up keeps it to a bounded read); past that, 400 naming the field.
    const year = await call('GET', '/ops/pipeline?days=366', ops);
    expect(year.status).toBe(200);
    expect(year.body.counts).toEqual(counts);
    const tooLong = await call('GET', '/ops/pipeline?days=367', ops);
    expect(tooLong.status).toBe(400);
    expect(JSON.stringify(tooLong.body)).toContain('days');
  });

  it('lists what is past its threshold, with why and what would unstick it', async () => {
    const fresh = await call('GET', '/ops/stuck?status=in_partner_review', ops);
    expect(fresh.body.items).toEqual([]);
    await fetch(`${rt.urls.api}/__local/clock`, { method: 'POST', body: JSON.stringify({ advanceDays: 4 }) });
    const res = await call('GET', '/ops/stuck', ops);
    expect(res.status).toBe(200);
    const items = res.body.items as { id: string; status: string; thresholdHours: number; why: string; unstick: string; hoursInStatus: number }[];
    const stuck = items.find((i) => i.id === apps.waiting.id);
    expect(stuck).toMatchObject({ status: 'in_partner_review', thresholdHours: 72, why: expect.stringMatching(/3 days/), unstick: expect.stringMatching(/Nudge|reassign/i) });
    expect(stuck!.hoursInStatus).toBeGreaterThan(72);
  });
});

// Stored items are trusted on read (functions/adapters/dynamo/stored-guard.ts): everything this journey wrote must parse.
it('every item the journey wrote parses against schemas/stored-application.ts', async () => {
  const { checked, problems } = await checkStoredItems(rt.urls.dynamodb, rt.tableName);
  expect(problems).toEqual([]);
  expect(checked.application ?? 0).toBeGreaterThan(0);
});

/**
 * The operations board in a real headless browser: playwright-core driving the Chromium that @sparticuz/chromium
 * ships (nothing installed beyond `npm ci`). Applications are seeded through the API on the whole local runtime; the
 * test then does what an operator would: sign in with the ops token, read the counts, find the stuck and the failed
 * application, redrive the failed one from the page, read its execution story. A screenshot is saved to
 * test-artifacts/ops-board.png.
 */
import { mkdirSync } from 'node:fs';
import chromium from '@sparticuz/chromium';
import { chromium as playwright, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../lib/local/start.ts';
import { startE2eRuntime, until } from '../support/e2e.ts';
import { statusIs, submit } from '../support/ops-e2e.ts';
import { checkStoredItems } from '../support/stored-items.ts';

let rt: LocalRuntime;
let browser: Browser;
let page: Page;
let ops = '';
const requested: string[] = [];
const seeded = {} as Record<'waiting' | 'failed', { id: string }>;

beforeAll(async () => {
  rt = await startE2eRuntime();
  ops = await rt.mintToken({ groups: ['ops'], sub: 'operator-board' });
  seeded.waiting = await submit(rt, 'board-e2e-waiting-1', 'Board Waiting Co');
  await statusIs(rt, ops, seeded.waiting.id, 'in_partner_review');
  rt.faults.add({ function: 'RoutePartner', times: 1, error: 'PartnerDirectoryUnavailable', message: 'the partner directory did not answer' });
  seeded.failed = await submit(rt, 'board-e2e-failed-01', 'Board Failed Co');
  await statusIs(rt, ops, seeded.failed.id, 'failed');
  // Four days on: the waiting review is past its 72-hour threshold.
  await fetch(`${rt.urls.api}/__local/clock`, { method: 'POST', body: JSON.stringify({ advanceDays: 4 }) });
  browser = await playwright.launch({ executablePath: await chromium.executablePath(), args: [...chromium.args, '--no-sandbox'], headless: true });
  page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
  page.setDefaultTimeout(10_000);
  page.on('request', (r) => requested.push(r.url()));
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

describe('the operations board', () => {
  it('shows nothing but the sign-in form without a token, under a CSP that allows nothing from outside', async () => {
    const res = await page.goto(`${rt.urls.api}/ops/board?refresh=2`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toMatch(/default-src 'none'.*connect-src 'self'/);
    await expect.poll(() => page.isVisible('#signin'), { timeout: 15_000 }).toBe(true);
    expect(await page.isVisible('#board')).toBe(false);
  });

  it('refuses a token without the ops role', async () => {
    await page.fill('#token', await rt.mintToken({ groups: ['partner'], partnerId: 'p-northwind' }));
    await page.click('#signin button[type=submit]');
    await expect.poll(() => page.textContent('#signin-error'), { timeout: 15_000 }).toMatch(/not accepted for operations \(403\)/);
    expect(await page.isVisible('#board')).toBe(false);
  });

  it('signs in with the ops token and shows the counts, the stuck and the failed application', async () => {
    await page.fill('#token', ops);
    await page.click('#signin button[type=submit]');
    await page.waitForSelector('#counts li[data-status=in_partner_review]');
    expect(await page.textContent('#counts li[data-status=in_partner_review] .n')).toBe('1');
    expect(await page.textContent('#counts li[data-status=failed] .n')).toBe('1');
    const stuck = await page.textContent('#stuck');
    expect(stuck).toContain(seeded.waiting.id);
    expect(stuck).toMatch(/in partner review.*4 days \(limit 3 days\)/);
    // Escalations (reminders run out) are named above the list; none here (test/workflow/scenarios.test.ts escalates).
    expect(await page.textContent('#escalations')).toMatch(/^No escalations/);
    const failed = await page.textContent('#failed');
    expect(failed).toContain(seeded.failed.id);
    expect(failed).toContain('RoutePartner');
    expect(failed).toContain('PartnerDirectoryUnavailable');
    expect(await page.textContent('#executions')).toContain(seeded.failed.id);
  });

  it('redrives the failed application from the page, and it carries on to partner review', async () => {
    await page.click(`button[aria-label="Redrive ${seeded.failed.id}"]`);
    await page.waitForSelector('#detail:not([hidden])');
    expect(await page.textContent('#story')).toMatch(/FAILED: failed .* in RoutePartner: ApplicationFailed/);
    await page.click('#actions button[data-action=redrive]');
    // The form asks for a reason before anything is sent.
    expect(await page.$eval('#reason', (e) => (e as unknown as { validity: { valueMissing: boolean } }).validity.valueMissing)).toBe(true);
    await page.fill('#reason', 'template store is back');
    await page.click('#actions button[data-action=redrive]');
    await expect.poll(() => page.textContent('#message'), { timeout: 15_000 }).toMatch(new RegExp(`redrive ${seeded.failed.id}: done, now drafted`));
    await statusIs(rt, ops, seeded.failed.id, 'in_partner_review');
    // The board refreshes by itself: no failed application left, two in partner review.
    await expect.poll(() => page.textContent('#counts li[data-status=in_partner_review] .n'), { timeout: 15_000 }).toBe('2');
    expect(await page.$('#counts li[data-status=failed]')).toBeNull();
    expect(await page.textContent('#failed')).toContain('Nothing has failed');
  });

  it("tells the redriven application's execution story and timeline", async () => {
    await until('the new execution in the story', async () => ((await page.textContent('#story'))?.includes('RUNNING: waiting on partner review since') ? true : undefined), 15_000);
    const story = await page.textContent('#story');
    expect(story).toMatch(/Drafted the ACE briefs .*Routed to a partner/);
    expect(await page.textContent('#timeline')).toMatch(/failed.*drafted.*ops.*redriven from RoutePartner by operations: template store is back/);
    mkdirSync('test-artifacts', { recursive: true });
    await page.screenshot({ path: 'test-artifacts/ops-board.png', fullPage: true });
  });

  it('loaded nothing from outside the deployment', () => {
    expect(requested.length).toBeGreaterThan(5);
    for (const url of requested) expect(url.startsWith(rt.urls.api), url).toBe(true);
  });
});

// Stored items are trusted on read (functions/adapters/dynamo/stored-guard.ts): everything this journey wrote must parse.
it('every item the journey wrote parses against schemas/stored-application.ts', async () => {
  const { checked, problems } = await checkStoredItems(rt.urls.dynamodb, rt.tableName);
  expect(problems).toEqual([]);
  expect(checked.application ?? 0).toBeGreaterThan(0);
});

/**
 * The address confirmation page (functions/http/confirmation-page.ts) in a real headless browser: playwright-core
 * driving the Chromium that @sparticuz/chromium ships, as in ops-board.test.ts. The founder opens the link from the
 * mail in the SES stand-in's inbox on the whole local runtime, presses "Confirm my address", reads the answer, and the
 * application is then routed. A wrong secret, a link replaced by a newer mail and a link without its secret each show
 * a clear message and change nothing.
 */
import { mkdirSync } from 'node:fs';
import chromium from '@sparticuz/chromium';
import { chromium as playwright, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../lib/local/start.ts';
import { startE2eRuntime, until } from '../support/e2e.ts';
import { client, statusIs, submit } from '../support/ops-e2e.ts';

let rt: LocalRuntime;
let browser: Browser;
let ops = '';
const requested: string[] = [];

const CONFIRMED = 'Thank you: your address is confirmed and the application goes to a partner now.';
const NOT_VALID = /^This link does not work: it is wrong, was already used, has expired, or the application no longer waits for a confirmation\./;

/** The link of the newest confirmation mail of `id` (after `after` earlier ones), as the founder reads it in the inbox. */
async function mailedLink(id: string, after = 0): Promise<string> {
  return until(`confirmation mail ${after + 1} of ${id}`, async () => {
    const mails = (await rt.mails()).filter((m) => m.subject.startsWith('Confirm your address') && (m.body.text ?? '').includes(`/applications/${id}/confirm-email#`));
    return mails.length > after ? /Confirm my address: (\S+)/.exec(mails.at(-1)!.body.text ?? '')?.[1] : undefined;
  });
}

async function openPage(): Promise<Page> {
  const page = await browser.newPage();
  page.setDefaultTimeout(10_000);
  page.on('request', (r) => requested.push(r.url()));
  return page;
}

const statusText = (page: Page) => page.textContent('#status').then((t) => t ?? '');

beforeAll(async () => {
  rt = await startE2eRuntime();
  ops = await rt.mintToken({ groups: ['ops'], sub: 'operator-confirm' });
  browser = await playwright.launch({ executablePath: await chromium.executablePath(), args: [...chromium.args, '--no-sandbox'], headless: true });
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

describe('the address confirmation page', () => {
  it('opens from the mailed link, confirms when the founder presses the button, and the application is then routed', async () => {
    const { id } = await submit(rt, 'confirm-page-e2e-01', 'Confirm Page Co', { confirm: false });
    const link = await mailedLink(id);
    expect(link).toMatch(new RegExp(`^${rt.urls.api}/applications/${id}/confirm-email#secret=acs_`));
    await statusIs(rt, ops, id, 'drafted');

    const page = await openPage();
    const res = await page.goto(link);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toMatch(/default-src 'none'; script-src 'sha256-/);
    expect(await page.title()).toBe('Confirm your address');
    expect(await page.textContent('h1')).toBe('Confirm your address');
    expect(await page.textContent('body')).toContain(`Application ${id}`);
    // The page's script takes the secret out of the address bar at once; nothing is confirmed by opening the page.
    await expect.poll(() => page.url()).toBe(`${rt.urls.api}/applications/${id}/confirm-email`);
    const button = page.getByRole('button', { name: 'Confirm my address' });
    expect(await button.isEnabled()).toBe(true);
    expect(await statusText(page)).toBe('');
    expect((await client(rt).call('GET', `/ops/applications/${id}`, ops)).body.status).toBe('drafted');

    await button.click();
    await expect.poll(() => statusText(page), { timeout: 15_000 }).toBe(CONFIRMED);
    expect(await button.isDisabled()).toBe(true);
    const routed = await statusIs(rt, ops, id, 'in_partner_review');
    expect(routed.partnerId).toBeTruthy();
    mkdirSync('test-artifacts', { recursive: true });
    await page.screenshot({ path: 'test-artifacts/confirmation-page.png', fullPage: true });

    // The same link again (a second click, another tab): the same answer, nothing changes.
    const again = await openPage();
    await again.goto(link);
    await again.getByRole('button', { name: 'Confirm my address' }).click();
    await expect.poll(() => statusText(again), { timeout: 15_000 }).toBe(CONFIRMED);
    expect((await client(rt).call('GET', `/ops/applications/${id}`, ops)).body.status).toBe('in_partner_review');
    // The secret travelled only in the POST's body: no URL the browser requested carries it.
    expect(requested.some((u) => u.includes('acs_'))).toBe(false);
  });

  it('a wrong secret, and a link replaced by a newer mail, each say the link does not work and change nothing', async () => {
    const { id, founderToken } = await submit(rt, 'confirm-page-e2e-02', 'Confirm Wrong Co', { confirm: false });
    const first = await mailedLink(id);

    const wrong = await openPage();
    await wrong.goto(first.replace(/#secret=acs_.{6}/, '#secret=acs_AAAAAA'));
    await wrong.getByRole('button', { name: 'Confirm my address' }).click();
    await expect.poll(() => statusText(wrong), { timeout: 15_000 }).toMatch(NOT_VALID);

    // A new mail: the first link is dead (single use, replaced), the newest one works.
    const resent = await client(rt).call('POST', `/applications/${id}/confirm-email/resend`, founderToken);
    expect(resent.status).toBe(202);
    const second = await mailedLink(id, 1);
    const old = await openPage();
    await old.goto(first);
    await old.getByRole('button', { name: 'Confirm my address' }).click();
    await expect.poll(() => statusText(old), { timeout: 15_000 }).toMatch(NOT_VALID);
    expect((await client(rt).call('GET', `/ops/applications/${id}`, ops)).body.status).toBe('drafted');

    const fresh = await openPage();
    await fresh.goto(second);
    await fresh.getByRole('button', { name: 'Confirm my address' }).click();
    await expect.poll(() => statusText(fresh), { timeout: 15_000 }).toBe(CONFIRMED);
    await statusIs(rt, ops, id, 'in_partner_review');
  });

  it('a link without its secret (the fragment cut off) says so, and the button stays off', async () => {
    const { id } = await submit(rt, 'confirm-page-e2e-03', 'Confirm Cut Co', { confirm: false });
    const page = await openPage();
    await page.goto(`${rt.urls.api}/applications/${id}/confirm-email`);
    await expect.poll(() => statusText(page)).toBe('This link has no secret. Open the link from the mail again, or ask for a new mail.');
    expect(await page.getByRole('button', { name: 'Confirm my address' }).isDisabled()).toBe(true);
    expect((await client(rt).call('GET', `/ops/applications/${id}`, ops)).body.status).toBe('drafted');
  });

  it('loaded nothing from outside the deployment', () => {
    expect(requested.length).toBeGreaterThan(5);
    for (const url of requested) expect(url.startsWith(rt.urls.api), url).toBe(true);
  });
});

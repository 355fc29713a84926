/**
 * Strangers with one inbox or one catch-all domain cannot put unlimited confirmed applications before partners
 * (functions/core/mailbox.ts), nor hold another founder's AWS account: every spelling of one inbox (plus tags
 * anywhere, Gmail's dots and googlemail.com) shares that mailbox's open-application slots at intake; the confirmed
 * open applications of one mail domain (outside the public mail services) and of one AWS account share a few slots,
 * claimed at confirmation, so unconfirmed applications naming an account hold none of its slots. The whole local
 * runtime, over HTTP; the links come from the SES stand-in's inbox.
 */
import { randomUUID } from 'node:crypto';
import chromium from '@sparticuz/chromium';
import { chromium as playwright, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocal, type LocalRuntime } from '../../lib/local/start.ts';
import { E2E_LIMITS, callApi, confirmFromInbox, exampleWorksheetBody, until } from '../support/e2e.ts';

let rt: LocalRuntime;
let browser: Browser;
beforeAll(async () => {
  browser = await playwright.launch({ executablePath: await chromium.executablePath(), args: [...chromium.args, '--no-sandbox'], headless: true });
  rt = await startLocal({
    port: 0, sesPort: 0, sfnPort: 0, dynamoPort: 0, partnerCentralPort: 0, jwtKeyFile: null, retryDelayMs: 0, throttle: false,
    environment: { ...E2E_LIMITS, MAX_OPEN_APPLICATIONS_PER_ADDRESS: '2', MAX_OPEN_APPLICATIONS_PER_MAIL_DOMAIN: '2', MAX_OPEN_APPLICATIONS_PER_ACCOUNT: '2' },
  });
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

/** The founder opens the mailed link in a browser and presses the button; what the page then says, and whether it may be pressed again. */
async function confirmInBrowser(id: string): Promise<{ said: string; canRetry: boolean }> {
  const link = await until(`the confirmation mail of ${id}`, async () => {
    const mail = (await rt.mails()).find((m) => m.subject.startsWith('Confirm your address') && (m.body.text ?? '').includes(`/applications/${id}/confirm-email#`));
    return mail ? /Confirm my address: (\S+)/.exec(mail.body.text ?? '')?.[1] : undefined;
  });
  const page = await browser.newPage();
  try {
    page.setDefaultTimeout(10_000);
    await page.goto(link);
    const button = page.getByRole('button', { name: 'Confirm my address' });
    await button.click();
    await expect.poll(async () => (await page.textContent('#status')) ?? '', { timeout: 15_000 }).not.toMatch(/^(Confirming\.\.\.)?$/);
    return { said: (await page.textContent('#status')) ?? '', canRetry: await button.isEnabled() };
  } finally {
    await page.close();
  }
}

const freshAccount = () => String(100_000_000_000 + Math.floor(Math.random() * 899_999_999_999));

/** The example worksheet from `email`, naming `accountId` (by default an account of its own). */
async function submitAs(email: string, accountId = freshAccount()): Promise<{ status: number; body: Record<string, unknown>; retryAfter: string | null }> {
  const worksheet = exampleWorksheetBody() as { contact: { email: string }; aws: { accountId: string } };
  worksheet.contact.email = email;
  worksheet.aws.accountId = accountId;
  const res = await callApi(rt, 'POST', '/worksheets', { body: worksheet, headers: { 'idempotency-key': `k-${randomUUID()}` } });
  return { status: res.status, body: res.body, retryAfter: res.headers.get('retry-after') };
}

async function view(id: string, token: string): Promise<Record<string, unknown>> {
  return (await callApi(rt, 'GET', `/applications/${id}`, { token })).body;
}

describe('one inbox, many spellings', () => {
  it('plus tags, dots and googlemail.com reach one Gmail inbox: its 2 slots are shared, the third spelling gets 429 naming the mailbox, nothing stored', async () => {
    const name = `ann${randomUUID().slice(0, 8)}`;
    const first = await submitAs(`${name.slice(0, 3)}.${name.slice(3)}+acme@gmail.com`);
    const second = await submitAs(`${name}+credits@googlemail.com`);
    expect([first.status, second.status]).toEqual([202, 202]);
    const third = await submitAs(`${name.toUpperCase().split('').join('.')}@gmail.com`);
    expect(third.status).toBe(429);
    expect(Number(third.retryAfter)).toBeGreaterThan(0);
    expect(third.body.message).toContain(`which reaches the mailbox ${name}@gmail.com`);
    expect(third.body.applicationId).toBeUndefined();
    // Mail still goes to the address as typed.
    const confirmed = await confirmFromInbox(rt, first.body.applicationId as string);
    expect(confirmed.status).toBe(200);
    expect((await rt.mails()).some((m) => m.destination.to.includes(`${name.slice(0, 3)}.${name.slice(3)}+acme@gmail.com`))).toBe(true);
  });
});

describe('one mail domain', () => {
  it('a catch-all domain confirms 2 open applications; the third confirmation is 429 and confirms nothing, its link still works once a slot frees', async () => {
    const domain = `catchall-${randomUUID().slice(0, 8)}.io`;
    const apps = [];
    for (const who of ['a', 'b', 'c']) {
      const res = await submitAs(`${who}@${domain}`);
      expect(res.status, who).toBe(202);
      apps.push({ id: res.body.applicationId as string, token: res.body.founderToken as string });
    }
    const [a, b, c] = apps as [typeof apps[number], typeof apps[number], typeof apps[number]];
    expect((await confirmFromInbox(rt, a.id)).status).toBe(200);
    expect((await confirmFromInbox(rt, b.id)).status).toBe(200);

    const refused = await confirmFromInbox(rt, c.id);
    expect(refused.status).toBe(429);
    expect(refused.body.message).toContain(`per mail domain: ${domain} has 2`);
    // The page says why, in the API's words (not "too many attempts"), and lets the founder try again later.
    expect(await confirmInBrowser(c.id)).toEqual({ said: refused.body.message, canRetry: true });
    expect(await view(c.id, c.token)).toMatchObject({ status: 'drafted', addressConfirmation: { confirmed: false } });

    // One of the two is withdrawn: its slot is free again, and the same link confirms the third.
    expect((await callApi(rt, 'POST', `/applications/${a.id}/withdraw`, { token: a.token })).status).toBe(200);
    const again = await confirmFromInbox(rt, c.id);
    expect(again.status).toBe(200);
    expect(await view(c.id, c.token)).toMatchObject({ addressConfirmation: { confirmed: true } });
  });

  it('a public mail service has no domain limit: three people on one public domain each confirm', async () => {
    for (let i = 0; i < 3; i += 1) {
      const submitted = await submitAs(`founder-${randomUUID().slice(0, 8)}@outlook.com`);
      expect(submitted.status).toBe(202);
      expect((await confirmFromInbox(rt, submitted.body.applicationId as string)).status, `person ${i + 1}`).toBe(200);
    }
  });
});

describe('one AWS account', () => {
  it('unconfirmed applications naming an account hold none of its slots; its confirmed ones share 2, the third confirmation is 429', async () => {
    const account = freshAccount();
    // A stranger names the account four times from addresses they never confirm: nothing is held.
    for (let i = 0; i < 4; i += 1) expect((await submitAs(`stranger-${randomUUID().slice(0, 8)}@outlook.com`, account)).status).toBe(202);
    const founders = [];
    for (let i = 0; i < 3; i += 1) {
      const res = await submitAs(`founder-${randomUUID().slice(0, 8)}@outlook.com`, account);
      expect(res.status, `founder ${i + 1}`).toBe(202);
      founders.push(res.body.applicationId as string);
    }
    expect((await confirmFromInbox(rt, founders[0]!)).status).toBe(200);
    expect((await confirmFromInbox(rt, founders[1]!)).status).toBe(200);
    const refused = await confirmFromInbox(rt, founders[2]!);
    expect(refused.status).toBe(429);
    expect(refused.body.message).toContain(`per AWS account: AWS account ${account} has 2`);
  });
});

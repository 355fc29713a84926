/** Shared by the end-to-end suites: boot the whole local runtime on free ports, and poll with a bound. */
import { readFileSync } from 'node:fs';
import { startLocal, type LocalRuntime } from '../../lib/local/start.ts';

export const exampleWorksheetBody = (): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL('../../examples/worksheet.json', import.meta.url), 'utf8')) as Record<string, unknown>;

/** The suites submit the example worksheet many times (one founder, one account): limits far above what they use. */
export const E2E_LIMITS = { MAX_OPEN_APPLICATIONS_PER_ADDRESS: '1000', MAX_OPEN_APPLICATIONS_PER_ACCOUNT: '1000' };

/** Every stand-in on a free port, the dev JWT key in memory, Retry pauses skipped. */
export function startE2eRuntime(): Promise<LocalRuntime> {
  return startLocal({ port: 0, sesPort: 0, sfnPort: 0, dynamoPort: 0, jwtKeyFile: null, retryDelayMs: 0, environment: E2E_LIMITS });
}

/** Poll with a bound instead of sleeping a fixed time. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The founder confirms the address as in the README: the mail in the SES stand-in's inbox links to the confirmation
 * page (the secret in its fragment); the page POSTs the secret. Returns the confirmation mail and the POST's answer.
 */
export async function confirmFromInbox(rt: LocalRuntime, applicationId: string): Promise<{ link: string; status: number; body: Record<string, unknown> }> {
  const link = await until(`the confirmation mail of ${applicationId}`, async () => {
    const mail = (await rt.mails()).find((m) => m.subject.startsWith('Confirm your address') && (m.body.text ?? '').includes(`/applications/${applicationId}/confirm-email#`));
    return mail ? /Confirm my address: (\S+)/.exec(mail.body.text ?? '')?.[1] : undefined;
  });
  const url = new URL(link);
  const page = await fetch(`${url.origin}${url.pathname}`);
  if (page.status !== 200 || !(await page.text()).includes('Confirm my address')) throw new Error(`the confirmation page answered ${page.status}`);
  const secret = new URLSearchParams(url.hash.slice(1)).get('secret');
  const res = await fetch(`${url.origin}${url.pathname}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ secret }) });
  return { link, status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Shared by the end-to-end suites: boot the whole local runtime on free ports, and poll with a bound. */
import { readFileSync } from 'node:fs';
import { GetExecutionHistoryCommand, SFNClient } from '@aws-sdk/client-sfn';
import { startLocal, type LocalRuntime } from '../../lib/local/start.ts';

export const exampleWorksheetBody = (): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL('../../examples/worksheet.json', import.meta.url), 'utf8')) as Record<string, unknown>;

/** The suites submit the example worksheet many times (one founder, one account): limits far above what they use. */
export const E2E_LIMITS = { MAX_OPEN_APPLICATIONS_PER_ADDRESS: '1000', MAX_OPEN_APPLICATIONS_PER_ACCOUNT: '1000', MAX_OPEN_APPLICATIONS_PER_MAIL_DOMAIN: '1000', WORKSHEETS_PER_SOURCE_PER_DAY: '100000' };

/** Every stand-in on a free port, the dev JWT key in memory, Retry pauses skipped, no route throttles (suites poll fast). */
export function startE2eRuntime(): Promise<LocalRuntime> {
  return startLocal({ port: 0, sesPort: 0, sfnPort: 0, dynamoPort: 0, partnerCentralPort: 0, jwtKeyFile: null, retryDelayMs: 0, environment: E2E_LIMITS, throttle: false });
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

export interface ApiOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** One request to the local HTTP API: status, headers and the JSON body. */
export async function callApi(rt: LocalRuntime, method: string, path: string, opts: ApiOptions = {}): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const res = await fetch(`${rt.urls.api}${path}`, {
    method,
    headers: {
      ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...opts.headers,
    },
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

/** The execution is parked in a task-token wait of this kind (its token stored, its function returned). */
export async function waitingOnTask(rt: LocalRuntime, applicationId: string, kind: string): Promise<void> {
  await until(`${applicationId} waiting on ${kind}`, async () => {
    const res = await fetch(`${rt.urls.api}/__local/tasks`);
    const tasks = (await res.json()) as { stateName: string; executionArn: string }[] | { tasks: { stateName: string; executionArn: string }[] };
    const list = Array.isArray(tasks) ? tasks : tasks.tasks;
    const states: Record<string, string> = { 'partner-review': 'AwaitPartnerReview', 'aws-decision': 'AwaitAwsDecision', credits: 'AwaitCredits' };
    const pending = list.find((t) => t.executionArn.endsWith(`:${applicationId}`) && t.stateName === states[kind]);
    if (!pending) return undefined;
    // Parked only once the wait's function has returned (it records the status change after storing the token).
    const history = await new SFNClient({ endpoint: rt.urls.sfn }).send(new GetExecutionHistoryCommand({ executionArn: pending.executionArn, maxResults: 1000 }));
    return history.events?.at(-1)?.type === 'TaskSubmitted' ? true : undefined;
  });
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

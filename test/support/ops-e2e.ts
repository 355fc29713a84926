/** Shared by the operations suites (API and board): HTTP calls, tokens and seeding through the local runtime's API. */
import type { LocalRuntime } from '../../lib/local/start.ts';
import { confirmFromInbox, exampleWorksheetBody, until } from './e2e.ts';

export interface Reply {
  status: number;
  body: Record<string, unknown>;
  text: string;
}

export function client(rt: LocalRuntime) {
  const call = async (method: string, path: string, token?: string, body?: unknown): Promise<Reply> => {
    const res = await fetch(`${rt.urls.api}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      parsed = {};
    }
    return { status: res.status, body: parsed, text };
  };
  return { call };
}

/** Submits the example worksheet (company name made unique) and returns its id and founder token. */
export async function submit(rt: LocalRuntime, key: string, company: string, opts: { confirm?: boolean } = {}): Promise<{ id: string; founderToken: string }> {
  const ws = exampleWorksheetBody() as { company: { name: string; website?: string } };
  ws.company.name = company;
  const res = await fetch(`${rt.urls.api}/worksheets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(ws),
  });
  const body = (await res.json()) as { applicationId: string; founderToken: string };
  if (res.status !== 202) throw new Error(`POST /worksheets: ${res.status} ${JSON.stringify(body)}`);
  // Nothing is routed before the founder confirms the address from the mail (as a founder would, from the inbox).
  if (opts.confirm !== false) {
    const confirmed = await confirmFromInbox(rt, body.applicationId);
    if (confirmed.status !== 200) throw new Error(`confirming ${body.applicationId}: ${confirmed.status}`);
  }
  return { id: body.applicationId, founderToken: body.founderToken };
}

/** Waits until the application (read as operations) is in `status`. */
export async function statusIs(rt: LocalRuntime, ops: string, id: string, status: string, timeoutMs = 20_000): Promise<Record<string, unknown>> {
  const { call } = client(rt);
  return until(`${id} ${status}`, async () => {
    const res = await call('GET', `/ops/applications/${id}`, ops);
    return res.body.status === status ? res.body : undefined;
  }, timeoutMs);
}

/** Waits until the application's newest execution is no longer running (the workflow settled). */
export async function settled(rt: LocalRuntime, ops: string, id: string): Promise<void> {
  const { call } = client(rt);
  await until(`${id} settled`, async () => {
    const tasks = rt.sfn.pendingTasks();
    const res = await call('GET', `/ops/applications/${id}/story`, ops);
    const newest = (res.body.executions as { status: string; executionArn: string }[] | undefined)?.[0];
    if (!newest) return undefined;
    return newest.status !== 'RUNNING' || tasks.some((t) => t.executionArn === newest.executionArn) ? true : undefined;
  });
}

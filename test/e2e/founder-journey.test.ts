/**
 * End to end: boots the whole local runtime (dynalite, the SES stand-in, the synthesized state machine
 * on the local Step Functions API, the HTTP API running the deployed handler modules) and drives it
 * over HTTP the way a founder and an operator would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../lib/local/start.ts';
import { confirmFromInbox, exampleWorksheetBody, startE2eRuntime, until } from '../support/e2e.ts';
import { checkStoredItems } from '../support/stored-items.ts';

const worksheet = exampleWorksheetBody();
let rt: LocalRuntime;

beforeAll(async () => {
  rt = await startE2eRuntime();
}, 120_000);
afterAll(async () => rt?.stop());

async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${rt.urls.api}${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

describe('a founder submits the example worksheet', () => {
  let applicationId = '';
  let founderToken = '';

  it('is accepted with 202, an application id, a founder token and links', async () => {
    const res = await api('POST', '/worksheets', worksheet, { 'idempotency-key': 'e2e-founder-0001' });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'submitted', replayed: false, links: { application: expect.stringMatching(/^\/applications\/app_/) } });
    expect(res.headers.get('location')).toBe(res.body.links && (res.body.links as { application: string }).application);
    applicationId = String(res.body.applicationId);
    founderToken = String(res.body.founderToken);
    expect(founderToken).toMatch(/^aft_/);
  });

  it('is sized and drafted at once, then waits for the founder to confirm the address: one mail, nothing routed', async () => {
    const view = await until('drafted with the estimate', async () => {
      const res = await api('GET', `/applications/${applicationId}`, undefined, { authorization: `Bearer ${founderToken}` });
      return res.body.status === 'drafted' && (res.body.addressConfirmation as { mailsSent: number }).mailsSent === 1 ? res.body : undefined;
    });
    expect(view.estimate).not.toBeNull();
    expect(view.partner).toBeNull();
    expect(view.addressConfirmation).toMatchObject({ confirmed: false, confirmedAt: null });
    const mails = await rt.mails();
    expect(mails.map((m) => [m.destination.to[0], m.subject])).toEqual([['maya@ledgerly.ai', "Confirm your address for Ledgerly Labs' Bedrock credit application"]]);
    expect(mails[0]!.body.text).toContain(`${rt.urls.api}/applications/${applicationId}/confirm-email#secret=acs_`);
  });

  it('after the founder confirms through the link, is routed and waiting on partner review within seconds, with two more mails sent', async () => {
    const confirmed = await confirmFromInbox(rt, applicationId);
    expect(confirmed).toMatchObject({ status: 200, body: { applicationId, addressConfirmed: true } });
    const view = await until('partner review', async () => {
      const res = await api('GET', `/applications/${applicationId}`, undefined, { authorization: `Bearer ${founderToken}` });
      return res.body.status === 'in_partner_review' ? res.body : undefined;
    });
    expect((view.timeline as { to: string }[]).map((t) => t.to)).toEqual(['submitted', 'sized', 'drafted', 'routed', 'in_partner_review']);
    expect(view.partner).toMatchObject({ id: 'p-northwind' });
    const briefs = view.briefs as { programId: string; validation: { valid: boolean } }[];
    expect(briefs.length).toBeGreaterThan(0);
    expect(briefs.every((b) => b.validation.valid)).toBe(true);
    expect((view.estimate as { plan: { filings: unknown[] } }).plan.filings.length).toBeGreaterThan(0);

    expect(view.addressConfirmation).toMatchObject({ confirmed: true, linkExpiresAt: null });

    const mails = await until('three mails', async () => {
      const all = await rt.mails();
      return all.length >= 3 ? all : undefined;
    });
    expect(mails.map((m) => m.destination.to[0]).sort()).toEqual(['ace-desk@northwind-partners.example', 'maya@ledgerly.ai', 'maya@ledgerly.ai']);
    for (const mail of mails) expect(`${mail.body.html ?? ''}${mail.body.text ?? ''}`).not.toContain(founderToken);
    // The founder reads an ask that adds up: the ACE filings and their sum, the cohort long shot apart.
    const confirmation = mails.find((m) => m.destination.to[0] === 'maya@ledgerly.ai' && /received/.test(m.subject))!;
    expect(confirmation.body.text).toMatch(/Sized ask: Bedrock \/ GenAI POC funding \$11,000 \+ AWS Activate Portfolio \$140,000 = \$151,000\./);
    expect(confirmation.body.text).toMatch(/Also worth a separate application: AWS Generative AI Accelerator/);
  });

  it('answers a repeated request with the same application and starts no second workflow', async () => {
    const res = await api('POST', '/worksheets', worksheet, { 'idempotency-key': 'e2e-founder-0001' });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ applicationId, replayed: true });
    // The re-issued token opens the same application.
    const view = await api('GET', `/applications/${applicationId}`, undefined, { authorization: `Bearer ${String(res.body.founderToken)}` });
    expect(view.status).toBe(200);
    const ops = await rt.mintToken({ groups: ['ops'] });
    const executions = await api('GET', '/ops/executions?limit=50', undefined, { authorization: `Bearer ${ops}` });
    expect((executions.body.items as { applicationId: string }[]).filter((e) => e.applicationId === applicationId)).toHaveLength(1);
  });

  it('refuses the same key with a different worksheet (422) and changes nothing', async () => {
    const changed = structuredClone(worksheet) as { workload: { requestsPerDay: number } };
    changed.workload.requestsPerDay += 1;
    const res = await api('POST', '/worksheets', changed, { 'idempotency-key': 'e2e-founder-0001' });
    expect(res.status).toBe(422);
    expect(res.body.error).toBe('IdempotencyKeyReused');
  });

  it('keeps the application private to its token', async () => {
    expect((await api('GET', `/applications/${applicationId}`)).status).toBe(401);
    expect((await api('GET', `/applications/${applicationId}`, undefined, { authorization: 'Bearer aft_wrong' })).status).toBe(404);
  });
});

describe('bad input', () => {
  it('gets a 400 naming each field and rule, and stores nothing', async () => {
    const ops = await rt.mintToken({ groups: ['ops'] });
    const before = await api('GET', '/ops/executions?limit=100', undefined, { authorization: `Bearer ${ops}` });
    const bad = structuredClone(worksheet) as Record<string, Record<string, unknown>>;
    bad.aws!.accountId = '1234';
    bad.contact!.email = 'not-an-email';
    bad.extra = {};
    const res = await api('POST', '/worksheets', bad);
    expect(res.status).toBe(400);
    expect(res.body.problems).toEqual(expect.arrayContaining([
      { field: 'aws.accountId', rule: 'must be exactly 12 digits' },
      { field: 'contact.email', rule: 'must be a valid email address' },
      { field: 'extra', rule: 'unknown field not allowed' },
    ]));
    const after = await api('GET', '/ops/executions?limit=100', undefined, { authorization: `Bearer ${ops}` });
    expect((after.body.items as unknown[]).length).toBe((before.body.items as unknown[]).length);
  });

  it('rejects malformed JSON, oversize bodies and bad idempotency keys with 4xx', async () => {
    expect((await api('POST', '/worksheets', '{not json')).body.problems).toEqual([{ field: '(body)', rule: 'must be valid JSON' }]);
    expect((await api('POST', '/worksheets', JSON.stringify({ pad: 'x'.repeat(70 * 1024) }))).status).toBe(413);
    const res = await api('POST', '/worksheets', worksheet, { 'idempotency-key': 'short' });
    expect(res.status).toBe(400);
    expect((res.body.problems as { field: string }[])[0]?.field).toBe('Idempotency-Key (header)');
  });
});

describe('estimates, operations and docs', () => {
  it('sizes an ask without saving anything', async () => {
    const res = await api('POST', '/estimates', worksheet);
    expect(res.status).toBe(200);
    expect(res.body).toHaveProperty('plan');
    // The data under the figures, aged to now: a stale file is warned about (the clock here is the real one).
    const dataAge = res.body.dataAge as { stale: boolean; files: { file: string; stale: boolean }[] };
    expect(dataAge.files.map((f) => f.file)).toEqual(['data/rate-card.json', 'data/programs.json']);
    const staleWarnings = (res.body.warnings as { code: string; message: string }[]).filter((w) => w.code === 'stale-data');
    expect(staleWarnings.map((w) => w.message.split(' ')[0])).toEqual(dataAge.files.filter((f) => f.stale).map((f) => f.file));
  });

  it('lists executions newest first, paginated, for the ops role only', async () => {
    for (let i = 0; i < 3; i += 1) expect((await api('POST', '/worksheets', worksheet)).status).toBe(202);
    const ops = await rt.mintToken({ groups: ['ops'] });
    const page1 = await api('GET', '/ops/executions?limit=2', undefined, { authorization: `Bearer ${ops}` });
    expect(page1.status).toBe(200);
    const items = page1.body.items as { startDate: string; applicationId: string; status: string }[];
    expect(items).toHaveLength(2);
    expect(items[0]!.startDate >= items[1]!.startDate).toBe(true);
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    const page2 = await api('GET', `/ops/executions?limit=2&cursor=${encodeURIComponent(String(page1.body.nextCursor))}`, undefined, { authorization: `Bearer ${ops}` });
    const ids2 = (page2.body.items as { applicationId: string }[]).map((e) => e.applicationId);
    expect(ids2.some((id) => items.some((e) => e.applicationId === id))).toBe(false);

    expect((await api('GET', '/ops/executions')).status).toBe(401);
    const partner = await rt.mintToken({ groups: ['partner'], partnerId: 'p-northwind' });
    expect((await api('GET', '/ops/executions', undefined, { authorization: `Bearer ${partner}` })).status).toBe(403);
    expect((await api('GET', '/ops/executions?limit=500', undefined, { authorization: `Bearer ${ops}` })).body.problems).toEqual([{ field: 'query.limit', rule: 'must be <= 100' }]);
  });

  it('puts an application no partner can take in the operations queue, with the reason', async () => {
    const nowhere = structuredClone(worksheet) as { aws: { region: string } };
    nowhere.aws.region = 'sa-east-1'; // no seeded partner delivers in São Paulo
    const submitted = await api('POST', '/worksheets', nowhere);
    expect(submitted.status).toBe(202);
    expect((await confirmFromInbox(rt, String(submitted.body.applicationId))).status).toBe(200);
    const ops = await rt.mintToken({ groups: ['ops'] });
    const item = await until('the unrouted queue', async () => {
      const page = await api('GET', '/ops/applications?status=unrouted', undefined, { authorization: `Bearer ${ops}` });
      return (page.body.items as { id: string; lastReason: string; hoursInStatus: number }[]).find((i) => i.id === submitted.body.applicationId);
    });
    expect(item.lastReason).toMatch(/does not deliver in sa-east-1/);
    expect(item.hoursInStatus).toBeGreaterThanOrEqual(0);
    const bad = await api('GET', '/ops/applications?status=lost', undefined, { authorization: `Bearer ${ops}` });
    expect(bad.status).toBe(400);
    expect((bad.body.problems as { field: string }[])[0]?.field).toBe('query.status');
    // Operations heard about it by mail too.
    const mails = await until('the ops mail', async () => (await rt.mails()).find((m) => m.destination.to.includes('ops@example.com') && m.subject.includes(String(submitted.body.applicationId))));
    expect(mails.destination.to).toEqual(['ops@example.com']);
    // The mail's link opens the application for operations (with the JWT), not a dead end.
    const link = /Operations view: (\S+)/.exec(mails.body.text ?? '')?.[1] ?? '';
    expect(link).toBe(`${rt.urls.api}/ops/applications/${String(submitted.body.applicationId)}`);
    const detail = await api('GET', new URL(link).pathname, undefined, { authorization: `Bearer ${ops}` });
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ id: submitted.body.applicationId, status: 'unrouted', partnerId: null });
    expect((detail.body.timeline as { to: string }[]).map((t) => t.to)).toEqual(['submitted', 'sized', 'drafted', 'unrouted']);
    expect((await api('GET', new URL(link).pathname)).status).toBe(401);
  });

  it('serves the OpenAPI document generated from the schemas', async () => {
    const res = await api('GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths as object)).toEqual(expect.arrayContaining(['/worksheets', '/estimates', '/applications/{id}', '/ops/executions']));
  });
});

// Stored items are trusted on read (functions/adapters/dynamo/stored-guard.ts): everything this journey wrote must parse.
it('every item the journey wrote parses against schemas/stored-application.ts', async () => {
  const { checked, problems } = await checkStoredItems(rt.urls.dynamodb, rt.tableName);
  expect(problems).toEqual([]);
  expect(checked.application ?? 0).toBeGreaterThan(0);
});

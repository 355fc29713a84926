/**
 * Hostile input tried from outside (issue 8), over HTTP on the whole local runtime: text that cannot be mailed,
 * bodies in other media types, malformed path escapes, `__proto__` in a query, and the same request sent many times at
 * once. Each answer must be a 4xx that names the problem and writes nothing, or exactly one effect.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../lib/local/start.ts';
import { confirmFromInbox, exampleWorksheetBody, startE2eRuntime, until } from '../support/e2e.ts';
import { readFileSync } from 'node:fs';
import { countApplicationItems, documentedRoutes, generateBadRequests, WORKSHEET_BREAKS, type Sheet } from '../../scripts/hostile-requests.ts';
import { parseWith } from '../../schemas/issues.ts';
import { Worksheet } from '../../schemas/worksheet.ts';

let rt: LocalRuntime;
let partnerToken: string;

beforeAll(async () => {
  rt = await startE2eRuntime();
  partnerToken = await rt.mintToken({ groups: ['partner'], partnerId: 'p-northwind' });
}, 120_000);
afterAll(async () => rt?.stop());

type Body = Record<string, unknown>;
async function send(method: string, path: string, opts: { body?: string; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${rt.urls.api}${path}`, { method, headers: opts.headers ?? {}, ...(opts.body !== undefined ? { body: opts.body } : {}) });
  const text = await res.text();
  let body: Body = {};
  try {
    body = text ? (JSON.parse(text) as Body) : {};
  } catch {
    body = { text };
  }
  return { status: res.status, headers: res.headers, body };
}
const asJson = (extra: Record<string, string> = {}) => ({ 'content-type': 'application/json', ...extra });
const partner = (extra: Record<string, string> = {}) => ({ authorization: `Bearer ${partnerToken}`, ...extra });

function itemCounts(): Promise<Record<string, number>> {
  return countApplicationItems(rt.urls.dynamodb, rt.tableName);
}

/**
 * Item counts once the workflows earlier tests started have stopped writing (two reads 250 ms apart agree): a test
 * that waited for a mail can end before that step's notice mark and the next wait's task token are written.
 */
async function settledItemCounts(): Promise<Record<string, number>> {
  let previous = await itemCounts();
  for (let i = 0; i < 40; i += 1) {
    await new Promise((r) => setTimeout(r, 250));
    const next = await itemCounts();
    if (JSON.stringify(next) === JSON.stringify(previous)) return next;
    previous = next;
  }
  return previous;
}

function worksheetWith(edit: (w: Body) => void): string {
  const w = exampleWorksheetBody();
  edit(w);
  return JSON.stringify(w);
}

/** An application routed to p-northwind and waiting on its review. */
async function inPartnerReview(key: string): Promise<{ id: string; founderToken: string }> {
  const res = await send('POST', '/worksheets', { body: JSON.stringify(exampleWorksheetBody()), headers: asJson({ 'idempotency-key': key }) });
  expect(res.status).toBe(202);
  const id = String(res.body.applicationId);
  const founderToken = String(res.body.founderToken);
  expect((await confirmFromInbox(rt, id)).status).toBe(200);
  await until(`${id} in partner review`, async () => {
    const view = await send('GET', `/applications/${id}`, { headers: { authorization: `Bearer ${founderToken}` } });
    return view.body.status === 'in_partner_review' ? true : undefined;
  });
  return { id, founderToken };
}

describe('text that cannot be mailed (a lone UTF-16 surrogate)', () => {
  it('is refused at the door with a 400 naming the field, and nothing is written', async () => {
    const before = await itemCounts();
    // JSON text with the escape itself: JSON.stringify would write it the same way.
    for (const [field, edit] of [
      ['company.name', (w: Body) => { (w.company as Body).name = 'Ledgerly \ud83d Labs'; }],
      ['useCase.summary', (w: Body) => { (w.useCase as Body).summary = `${String((w.useCase as Body).summary)} \udc00`; }],
      ['contact.lastName', (w: Body) => { (w.contact as Body).lastName = '\ud800'; }],
    ] as const) {
      for (const path of ['/worksheets', '/estimates']) {
        const res = await send('POST', path, { body: worksheetWith(edit), headers: asJson() });
        expect(res.status, `${path} ${field}`).toBe(400);
        expect(res.body.problems).toEqual([{ field, rule: expect.stringContaining('valid Unicode') }]);
      }
    }
    expect(await itemCounts()).toEqual(before);
  });

  it("is refused in a partner's change request and decline reason; the application stays in review and can still be mailed", async () => {
    const { id } = await inPartnerReview('hostile-surrogate-review');
    for (const [route, body] of [['request-changes', '{"message":"Please fix \\ud83d"}'], ['decline', '{"reason":"\\udc00"}']] as const) {
      const res = await send('POST', `/partner/applications/${id}/${route}`, { body, headers: partner(asJson()) });
      expect(res.status, route).toBe(400);
      expect(res.body.problems).toEqual([{ field: route === 'decline' ? 'reason' : 'message', rule: expect.stringContaining('valid Unicode') }]);
    }
    const res = await send('POST', `/partner/applications/${id}/request-changes`, { body: '{"message":"Please add the eval plan \\ud83d\\ude80"}', headers: partner(asJson()) });
    expect(res.status).toBe(200);
    const mail = await until('the change request mail', async () => (await rt.mails()).find((m) => m.subject.includes('change') && (m.body.text ?? '').includes(id)));
    expect(mail.body.text).toContain('Please add the eval plan \u{1F680}');
  });
});

describe('worksheets that break a rule with every type right', () => {
  // What an accepted worksheet would create (an application, its duplicate-check entries): the workflows of the
  // applications earlier tests left running still write notices and task tokens meanwhile.
  const intakeItems = async () => {
    const counts = await itemCounts();
    return { application: counts.application ?? 0, dedupe: counts.dedupe ?? 0 };
  };
  it('are refused by intake and the estimate with exactly the problems the zod schema names (the checker compiled from it answers), and no application is created', async () => {
    const before = await intakeItems();
    for (const [rule, breakIt] of WORKSHEET_BREAKS) {
      const body = worksheetWith((w) => breakIt(w as unknown as Sheet));
      const expected = parseWith(Worksheet, JSON.parse(body));
      expect(expected.ok, rule).toBe(false);
      for (const path of ['/worksheets', '/estimates']) {
        const res = await send('POST', path, { body, headers: asJson({ 'idempotency-key': `hostile-rule-${rule.replace(/\W/g, '')}` }) });
        expect(res.status, `${path} ${rule}`).toBe(400);
        expect(res.body.problems, `${path} ${rule}`).toEqual(expected.ok ? [] : expected.problems);
      }
    }
    expect(await intakeItems()).toEqual(before);
  });
});

describe('bodies in other media types', () => {
  const TYPES: [string, Record<string, string>][] = [
    ['text/plain', { 'content-type': 'text/plain' }],
    ['form', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['XML', { 'content-type': 'application/xml' }],
    ['octet-stream', { 'content-type': 'application/octet-stream' }],
    ['missing', {}],
  ];

  it.each(TYPES)('are refused with 415 on every route with a body (%s), and nothing is written', async (_name, headers) => {
    const before = await settledItemCounts();
    const worksheet = JSON.stringify(exampleWorksheetBody());
    const app = 'app_000000000000000000000000';
    const brief = `/partner/applications/${app}/briefs/bedrock-poc`;
    const routes: [string, string, string, Record<string, string>][] = [
      ['POST', '/worksheets', worksheet, { 'idempotency-key': `hostile-media-${_name.replace(/\W/g, '')}` }],
      ['POST', '/estimates', worksheet, {}],
      ['POST', `/applications/${app}/revisions`, worksheet, { authorization: 'Bearer aft_x' }],
      ['PATCH', brief, '{"LifeCycle":{"NextSteps":"x"}}', partner({ 'if-match': '"x"' })],
      ['POST', `/partner/applications/${app}/request-changes`, '{"message":"x"}', partner()],
      ['POST', `/partner/applications/${app}/decline`, '{"reason":"x"}', partner()],
      ['POST', `${brief}/filed`, '{"opportunityId":"O1234567"}', partner()],
      ['POST', `${brief}/aws-review`, '{"outcome":"in-review"}', partner()],
      ['POST', `${brief}/credits`, '{"amountUsd":"1.00","appliedOn":"2026-01-01","expiresOn":"2027-01-01"}', partner()],
    ];
    for (const [method, path, body, extra] of routes) {
      const res = await send(method, path, { body, headers: { ...headers, ...extra } });
      expect(res.status, `${method} ${path}`).toBe(415);
      expect(res.body).toMatchObject({ error: 'UnsupportedMediaType' });
    }
    expect(await itemCounts()).toEqual(before);
  });

  it('a brief edit may be sent as application/merge-patch+json (and only that route takes it)', async () => {
    const res = await send('POST', '/estimates', { body: JSON.stringify(exampleWorksheetBody()), headers: { 'content-type': 'application/merge-patch+json' } });
    expect(res.status).toBe(415);
    const patch = await send('PATCH', '/partner/applications/app_000000000000000000000000/briefs/bedrock-poc', {
      body: '{}', headers: partner({ 'content-type': 'application/merge-patch+json', 'if-match': '"x"' }),
    });
    expect(patch.status).toBe(404); // past the media type check: no such application
  });
});

describe('paths and queries', () => {
  it('a malformed percent-escape in an id answers 400, never 500', async () => {
    const founder = { authorization: 'Bearer aft_x' };
    for (const path of ['/applications/%ZZ', '/applications/%C0%AF', '/applications/%', '/partner/applications/%E0%A4%A']) {
      const res = await send('GET', path, { headers: path.startsWith('/partner') ? partner() : founder });
      expect(res.status, path).toBe(400);
    }
  });

  it('an id with escapes reaches the handler decoded once: an id that cannot exist answers 404', async () => {
    const res = await send('GET', '/applications/app_%2541', { headers: { authorization: 'Bearer aft_x' } });
    expect(res.status).toBe(404);
    expect(String(res.body.message)).toContain("'app_%41'");
  });

  it('`__proto__` in a query is passed on and refused by the strict query schema', async () => {
    const res = await send('GET', '/partner/applications?__proto__=x', { headers: partner() });
    expect(res.status).toBe(400);
    expect(res.body.problems).toEqual([{ field: 'query.__proto__', rule: 'unknown field not allowed' }]);
  });
});

describe('the same request many times at once', () => {
  it('20 concurrent submissions with one Idempotency-Key: one application, one workflow, and every token a 2xx carried opens it', async () => {
    const before = await itemCounts();
    const body = JSON.stringify(exampleWorksheetBody());
    const results = await Promise.all(Array.from({ length: 20 }, () => send('POST', '/worksheets', { body, headers: asJson({ 'idempotency-key': 'hostile-concurrent-0001' }) })));
    const accepted = results.filter((r) => r.status === 202);
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    for (const r of results.filter((x) => x.status !== 202)) expect(r.status).toBe(409);
    expect(new Set(accepted.map((r) => r.body.applicationId)).size).toBe(1);
    expect(accepted.filter((r) => r.body.replayed === false)).toHaveLength(1);
    const id = String(accepted[0]?.body.applicationId);
    for (const r of accepted) {
      const view = await send('GET', `/applications/${id}`, { headers: { authorization: `Bearer ${String(r.body.founderToken)}` } });
      expect(view.status).toBe(200);
    }
    const after = await itemCounts();
    expect((after.application ?? 0) - (before.application ?? 0)).toBe(1);
    const listed = rt.sfn.listExecutions({ stateMachineArn: rt.stateMachineArn, maxResults: 1000 }) as { executions: { name: string }[] };
    const executions = listed.executions.filter((e) => e.name === id);
    expect(executions).toHaveLength(1);
  });

  it('50 concurrent approvals of one application: one transition, one workflow step, one mail to the founder', async () => {
    const { id, founderToken } = await inPartnerReview('hostile-approvals-0001');
    const results = await Promise.all(Array.from({ length: 50 }, () => send('POST', `/partner/applications/${id}/approve`, { headers: partner() })));
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
    const view = await until('approved and waiting on AWS', async () => {
      const v = await send('GET', `/applications/${id}`, { headers: { authorization: `Bearer ${founderToken}` } });
      return v.body.status === 'approved_for_filing' ? v.body : undefined;
    });
    const approvals = (view.timeline as { to: string }[]).filter((t) => t.to === 'approved_for_filing');
    expect(approvals).toHaveLength(1);
    await until('the approval mail', async () => ((await rt.mails()).some((m) => (m.body.text ?? '').includes(id) && /approved/i.test(m.subject)) ? true : undefined));
    const approvalMails = (await rt.mails()).filter((m) => (m.body.text ?? '').includes(id) && /approved/i.test(m.subject));
    expect(approvalMails.length).toBe(new Set(approvalMails.map((m) => m.destination.to.join())).size);
  });
});

describe('generated bad requests over every route (the generator of `npm run hostile`, a smaller run)', () => {
  it('400 of them: no 5xx, nothing accepted, nothing written, the target application untouched', async () => {
    const { id, founderToken } = await inPartnerReview('hostile-generated-0001');
    const fixture = {
      applicationId: id, founderToken, partnerToken, partnerId: 'p-northwind', worksheet: exampleWorksheetBody(),
      otherPartnerToken: await rt.mintToken({ groups: ['partner'], partnerId: 'p-someone-else' }),
      opsToken: await rt.mintToken({ groups: ['ops'] }),
    };
    const routes = documentedRoutes(JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8')) as never);
    const requests = generateBadRequests(routes, fixture, 400, 1);
    expect(new Set(requests.map((r) => `${r.method} ${r.path.split('?')[0]}`)).size).toBeGreaterThanOrEqual(routes.length);
    const before = await itemCounts();
    const statuses: { status: number; what: string }[] = [];
    for (let i = 0; i < requests.length; i += 8) {
      statuses.push(...await Promise.all(requests.slice(i, i + 8).map(async (r) => {
        const res = await send(r.method, r.path, { headers: r.headers, ...(r.body !== undefined ? { body: r.body } : {}) });
        return { status: res.status, what: `${r.method} ${r.path.slice(0, 80)} (${r.defect})` };
      })));
    }
    expect(statuses.filter((s) => s.status >= 500 || s.status < 400)).toEqual([]);
    expect(await itemCounts()).toEqual(before);
    const view = await send('GET', `/applications/${id}`, { headers: { authorization: `Bearer ${founderToken}` } });
    expect(view.body.status).toBe('in_partner_review');
  });
});

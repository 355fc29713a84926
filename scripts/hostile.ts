/**
 * `npm run hostile [-- --count 5000 --seed 8 --concurrency 16 --throttle]`: sends generated bad requests over every route of the
 * API (from docs/openapi.json, which a test keeps equal to the deployed routes) to a fresh local runtime, and prints
 * how many were answered 5xx (must be 0), accepted with a 2xx (must be 0) and how many applications or
 * likely-duplicate items they wrote (must be 0). Exit code 1 when any of the three is not 0.
 *
 * Every request carries at least one defect the route must refuse: a body in another media type, not JSON, nested
 * too deep, too large, with a lone UTF-16 surrogate or a control character, an unknown or `__proto__` field or a wrong
 * type; a path id with a malformed escape, odd characters or that does not exist; a bad query parameter; a missing,
 * forged or foreign token; a bad Idempotency-Key or If-Match. Requests that would be legitimate (an approve with a
 * good token) are never sent. A fixed seed makes a run repeatable. The route throttles are off unless `--throttle` is
 * given: at 5 requests a second on the public routes, nearly every request would be answered 429 by the gateway and
 * never reach a handler.
 *
 * Then three floods of well-formed worksheets, where only the limits stand in the way, each from a source address of
 * its own on the loopback network (127.0.0.2-4: the per-source count is the TCP peer's, functions/core/source-network.ts):
 * 30 spellings of one Gmail inbox (plus tags, dots, googlemail.com) must get exactly the per-mailbox limit accepted;
 * 15 addresses at one catch-all domain (each its own AWS account), all accepted, must get exactly the per-domain limit
 * confirmed when every link is clicked at once; 30 distinct founders from one machine must get exactly the
 * per-source daily limit accepted. Exit code 1 when any differs.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { parseArgs } from 'node:util';
import { startLocal } from '../lib/local/start.ts';
import { confirmFromInbox } from '../test/support/e2e.ts';
import { countApplicationItems, documentedRoutes, generateBadRequests, type BadRequest, type Fixture } from './hostile-requests.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.LOG_LEVEL ??= 'FATAL'; // above every level the house logger writes: silent
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

const { values } = parseArgs({ options: { count: { type: 'string' }, seed: { type: 'string' }, concurrency: { type: 'string' }, throttle: { type: 'boolean' } } });
const count = Number(values.count ?? 5000);
const seed = Number(values.seed ?? 8);
const concurrency = Number(values.concurrency ?? 16);

const rt = await startLocal({ port: 0, sesPort: 0, sfnPort: 0, dynamoPort: 0, partnerCentralPort: 0, jwtKeyFile: null, retryDelayMs: 0, throttle: values.throttle === true, log: () => undefined });
try {
  const worksheet = JSON.parse(readFileSync(new URL('../examples/worksheet.json', import.meta.url), 'utf8')) as Record<string, unknown>;
  // One genuine application to aim at, so requests reach the handlers' deeper checks rather than stopping at 404.
  const submitted = await fetch(`${rt.urls.api}/worksheets`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(worksheet) });
  const created = (await submitted.json()) as { applicationId: string; founderToken: string };
  const fixture: Fixture = {
    applicationId: created.applicationId,
    founderToken: created.founderToken,
    // The partner the example is routed to (data/partners.json), so its token sees the target application.
    partnerToken: await rt.mintToken({ groups: ['partner'], partnerId: 'p-northwind' }),
    partnerId: 'p-northwind',
    otherPartnerToken: await rt.mintToken({ groups: ['partner'], partnerId: 'p-someone-else' }),
    opsToken: await rt.mintToken({ groups: ['ops'] }),
    worksheet,
  };
  // Nothing is routed before the founder confirms the address: confirm as a founder would, from the inbox's link.
  const confirmed = await confirmFromInbox(rt, fixture.applicationId);
  if (confirmed.status !== 200) throw new Error(`confirming the target application: ${confirmed.status}`);
  await waitForReview(fixture);
  const before = await itemCounts();

  const routes = documentedRoutes(JSON.parse(readFileSync(new URL('../docs/openapi.json', import.meta.url), 'utf8')) as never);
  const requests = generateBadRequests(routes, fixture, count, seed);
  const byStatus = new Map<number, number>();
  const offenders: { request: BadRequest; status: number }[] = [];
  let next = 0;
  const started = Date.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < requests.length) {
      const request = requests[next++] as BadRequest;
      const res = await fetch(`${rt.urls.api}${request.path}`, {
        method: request.method, headers: request.headers, ...(request.body !== undefined ? { body: request.body } : {}),
      });
      await res.arrayBuffer();
      byStatus.set(res.status, (byStatus.get(res.status) ?? 0) + 1);
      if (res.status >= 500 || res.status < 300) offenders.push({ request, status: res.status });
    }
  }));
  const after = await itemCounts();
  const written = Object.keys({ ...before, ...after }).reduce((sum, k) => sum + Math.abs((after[k] ?? 0) - (before[k] ?? 0)), 0);
  const serverErrors = offenders.filter((o) => o.status >= 500).length;
  const accepted = offenders.filter((o) => o.status < 300).length;
  const view = await fetch(`${rt.urls.api}/applications/${fixture.applicationId}`, { headers: { authorization: `Bearer ${fixture.founderToken}` } });
  const stillInReview = ((await view.json()) as { status?: string }).status === 'in_partner_review';

  console.log(`Bad requests sent:  ${requests.length} over ${routes.length} routes (seed ${seed}, ${concurrency} at a time, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  console.log(`By defect:          ${[...tally(requests.map((r) => r.defect))].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  console.log(`By status:          ${[...byStatus].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}×${n}`).join(' ')}`);
  console.log(`5xx answers:        ${serverErrors}`);
  console.log(`Accepted (2xx):     ${accepted}`);
  console.log(`Items written:      ${written} (every item by entity, before ${JSON.stringify(before)}, after ${JSON.stringify(after)})`);
  console.log(`Target application: ${stillInReview ? 'still in partner review, untouched' : 'MOVED'}`);
  for (const o of offenders.slice(0, 10)) console.log(`  ${o.status} ${o.request.method} ${o.request.path} (${o.request.defect})`);
  const floods = await runFloods(worksheet);
  process.exitCode = serverErrors === 0 && accepted === 0 && written === 0 && stillInReview && floods ? 0 : 1;
} finally {
  await rt.stop();
}

/** POST a JSON body from `localAddress` (a loopback address of its own: another machine, as the limits see it). */
function postFrom(localAddress: string, url: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', localAddress, headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown> }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** The three limit floods (see the header); true when each let exactly its limit through. */
async function runFloods(worksheet: Record<string, unknown>): Promise<boolean> {
  const limitOf = (name: string) => Number(rt.env[name]);
  const submitAs = async (source: string, email: string, accountId?: string) => {
    const body = structuredClone(worksheet) as { contact: { email: string }; aws: { accountId: string } };
    body.contact.email = email;
    if (accountId) body.aws.accountId = accountId;
    return postFrom(source, `${rt.urls.api}/worksheets`, body);
  };
  const tag = `${seed}${Date.now().toString(36)}`;
  const name = `flood${tag}`;
  const spellings = Array.from({ length: 30 }, (_, i) => {
    const dotted = `${name.slice(0, 1 + (i % (name.length - 1)))}.${name.slice(1 + (i % (name.length - 1)))}`;
    return [`${name}+${i}@gmail.com`, `${dotted}@gmail.com`, `${dotted}+x${i}@googlemail.com`][i % 3] as string;
  });
  const inbox = await Promise.all(spellings.map((s) => submitAs('127.0.0.2', s)));
  const inboxAccepted = inbox.filter((r) => r.status === 202).length;
  const inboxLimit = limitOf('MAX_OPEN_APPLICATIONS_PER_ADDRESS');
  console.log(`Inbox flood:        ${spellings.length} spellings of one Gmail inbox: ${inboxAccepted} accepted (limit ${inboxLimit}), ${inbox.filter((r) => r.status === 429).length}×429`);

  const domain = `catchall-${tag}.io`;
  const submitted = await Promise.all(Array.from({ length: 15 }, (_, i) => submitAs('127.0.0.3', `person${i}@${domain}`, String(900_000_000_000 + seed * 100 + i))));
  const ids = submitted.filter((r) => r.status === 202).map((r) => r.body.applicationId as string);
  const confirmations = await Promise.all(ids.map((id) => confirmFromInbox(rt, id)));
  const confirmedCount = confirmations.filter((c) => c.status === 200).length;
  const domainLimit = limitOf('MAX_OPEN_APPLICATIONS_PER_MAIL_DOMAIN');
  console.log(`Domain flood:       15 addresses at one catch-all domain: ${ids.length} accepted, ${confirmedCount} confirmed (limit ${domainLimit}), ${confirmations.filter((c) => c.status === 429).length}×429`);

  const machine = await Promise.all(Array.from({ length: 30 }, (_, i) => submitAs('127.0.0.4', `founder${i}-${tag}@outlook.com`, String(800_000_000_000 + seed * 100 + i))));
  const machineAccepted = machine.filter((r) => r.status === 202).length;
  const sourceRefusals = machine.filter((r) => r.status === 429 && String(r.body.message).includes('from one network (127.0.0.4)')).length;
  const sourceLimit = limitOf('WORKSHEETS_PER_SOURCE_PER_DAY');
  console.log(`Source flood:       30 founders from one machine: ${machineAccepted} accepted (limit ${sourceLimit} a day), ${sourceRefusals}×429 naming the network`);
  return inboxAccepted === inboxLimit && ids.length === 15 && confirmedCount === domainLimit && machineAccepted === sourceLimit && sourceRefusals === 30 - sourceLimit;
}

function tally(items: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const item of items) out.set(item, (out.get(item) ?? 0) + 1);
  return out;
}

async function waitForReview(f: Fixture): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const res = await fetch(`${rt.urls.api}/applications/${f.applicationId}`, { headers: { authorization: `Bearer ${f.founderToken}` } });
    if (((await res.json()) as { status?: string }).status === 'in_partner_review') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the target application never reached partner review');
}

function itemCounts(): Promise<Record<string, number>> {
  return countApplicationItems(rt.urls.dynamodb, rt.tableName);
}

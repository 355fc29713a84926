/**
 * One machine cannot make the service size, draft and mail without end (catch-all mailboxes give it any number of
 * addresses): well-formed worksheets are counted per source network and UTC day (functions/core/source-network.ts),
 * the source being the TCP peer the HTTP API saw, not a header. The whole local runtime, over HTTP.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocal, type LocalRuntime } from '../../lib/local/start.ts';
import { countApplicationItems } from '../../scripts/hostile-requests.ts';
import { E2E_LIMITS, callApi, exampleWorksheetBody } from '../support/e2e.ts';

let rt: LocalRuntime;
beforeAll(async () => {
  rt = await startLocal({
    port: 0, sesPort: 0, sfnPort: 0, dynamoPort: 0, partnerCentralPort: 0, jwtKeyFile: null, retryDelayMs: 0, throttle: false,
    environment: { ...E2E_LIMITS, WORKSHEETS_PER_SOURCE_PER_DAY: '2' },
  });
}, 180_000);
afterAll(async () => rt?.stop());

/** The example worksheet from an address and AWS account of its own. */
function worksheet(): Record<string, unknown> {
  const w = exampleWorksheetBody() as { contact: { email: string }; aws: { accountId: string } };
  w.contact.email = `founder-${randomUUID().slice(0, 8)}@catchall-example.io`;
  w.aws.accountId = String(100_000_000_000 + Math.floor(Math.random() * 899_999_999_999));
  return w;
}

describe('worksheets per source network', () => {
  it('takes 2 a day from this machine: a bad one and a replay are not counted, the third is 429 naming the network with Retry-After, and nothing of it is stored', async () => {
    const invalid = await callApi(rt, 'POST', '/worksheets', { body: { ...worksheet(), company: 'none' } });
    expect(invalid.status).toBe(400);

    const first = worksheet();
    const key = `k-${randomUUID()}`;
    const accepted = await callApi(rt, 'POST', '/worksheets', { body: first, headers: { 'idempotency-key': key } });
    expect(accepted.status).toBe(202);
    expect((await callApi(rt, 'POST', '/worksheets', { body: worksheet() })).status).toBe(202);
    const replay = await callApi(rt, 'POST', '/worksheets', { body: first, headers: { 'idempotency-key': key } });
    expect(replay).toMatchObject({ status: 202, body: { applicationId: accepted.body.applicationId, replayed: true } });

    // What intake writes (the accepted ones' workflows go on writing documents, transitions and notices meanwhile).
    const intakeItems = async () => {
      const { application = 0, 'open-slot': slots = 0, dedupe = 0 } = await countApplicationItems(rt.urls.dynamodb, rt.tableName);
      return { application, slots, dedupe };
    };
    const before = await intakeItems();
    expect(before.application).toBe(2);
    const refused = await callApi(rt, 'POST', '/worksheets', { body: worksheet() });
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ error: 'TooManyRequests' });
    expect(refused.body.message).toMatch(/^At most 2 worksheets a day are taken from one network \((127\.0\.0\.1|0:0:0:0::\/64)\); nothing was stored\. Try again after midnight UTC\.$/);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(86_400);
    expect(await intakeItems()).toEqual(before);
  });
});

/**
 * Mail to an address the requester does not control: anyone may submit a worksheet naming any contact address, and
 * each submission mails that address a confirmation. The open-application slots per address bound that to 3 mails per
 * confirmation window (72 h), but the submitter holds the founder token and may withdraw at once: a withdrawn
 * application is no longer open, so its slot came back at the next intake, and submit → withdraw → submit … mailed
 * the address without end (only the route's aggregate throttle stood in the way). A slot now stays held by an
 * application withdrawn before its address was confirmed until the link it mailed would have expired, exactly as if
 * it had been left to expire; one withdrawn before any mail went out frees its slot at once.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApplicationRepository, applyTransition } from '../../functions/adapters/dynamo/applications.ts';
import type * as LimitsModule from '../../functions/adapters/dynamo/limits.ts';
import type * as Confirmation from '../../functions/adapters/dynamo/applications-confirmation.ts';
import type * as SubmitWorksheet from '../../functions/usecases/submit-worksheet.ts';
import { planTransition } from '../../functions/core/application/lifecycle.ts';
import { TooManyRequestsError } from '../../functions/core/errors.ts';
import type { ApplicationStatus } from '../../schemas/application.ts';
import { startDynalite, type TestTable } from '../support/dynalite.ts';
import { exampleWorksheet } from '../support/fixtures.ts';

const HOUR_MS = 3_600_000;
let table: TestTable;
let applications: ApplicationRepository;
let limits: LimitsModule.LimitRepository;
let limitsModule: typeof LimitsModule;
let confirmation: typeof Confirmation;
let submit: typeof SubmitWorksheet.submitWorksheet;
let now = new Date('2026-11-27T10:00:00Z');

beforeAll(async () => {
  table = await startDynalite();
  process.env.AWS_ENDPOINT_URL_DYNAMODB = table.endpoint;
  const { ApplicationRepository } = await import('../../functions/adapters/dynamo/applications.ts');
  limitsModule = await import('../../functions/adapters/dynamo/limits.ts');
  confirmation = await import('../../functions/adapters/dynamo/applications-confirmation.ts');
  ({ submitWorksheet: submit } = await import('../../functions/usecases/submit-worksheet.ts'));
  applications = new ApplicationRepository(table.tableName);
  limits = new limitsModule.LimitRepository(table.tableName);
});
afterAll(async () => table?.stop());

const deps = (): SubmitWorksheet.IntakeDeps => ({
  applications, limits, settings: { maxOpenPerAddress: 3, maxOpenPerAccount: 5, worksheetsPerSourcePerDay: 1000 },
  clock: { now: () => now, sleep: async () => undefined },
  startWorkflow: async (id) => ({ executionArn: `arn:aws:states:us-east-1:000000000000:execution:sm:${id}`, alreadyStarted: false }),
});

/** A stranger's worksheet naming the victim's address (a fresh AWS account each time, so only the address binds). */
function naming(address: string) {
  const w = exampleWorksheet();
  w.contact.email = address;
  w.aws.accountId = String(100_000_000_000 + Math.floor(Math.random() * 899_999_999_999));
  return w;
}

async function move(id: string, to: ApplicationStatus, actor: 'system' | 'founder'): Promise<void> {
  const app = await applications.mustGet(id);
  await applyTransition(applications, app, planTransition({ current: app.status, version: app.version, to, actor: { kind: actor, id: actor }, reason: 'test', now }));
}

/** What the workflow does after intake: sized, drafted, the confirmation mailed (its secret stored, then `sent`). */
async function mailed(id: string, hours = 72): Promise<void> {
  await move(id, 'sized', 'system');
  await move(id, 'drafted', 'system');
  expect(await confirmation.storeConfirmationSecret(applications, id, { hash: 'h'.repeat(64), number: 1, now, expiresAt: new Date(now.getTime() + hours * HOUR_MS) })).toBe(true);
  await confirmation.markConfirmationSent(applications, id, 1);
}

describe('confirmation mails to one address', () => {
  it('submit, withdraw, submit again does not mail the address past its 3 open applications per confirmation window', async () => {
    const victim = `victim-${randomUUID().slice(0, 8)}@example.com`;
    const mailedIds: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const { applicationId } = await submit(deps(), naming(victim), `k-${randomUUID()}`);
      await mailed(applicationId, i === 1 ? 2 : 72);
      await move(applicationId, 'withdrawn', 'founder');
      mailedIds.push(applicationId);
    }
    const refused = await submit(deps(), naming(victim), `k-${randomUUID()}`).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TooManyRequestsError);
    // Retry-After: when the soonest of those links would have expired (the second one's, mailed with 2 hours).
    expect((refused as TooManyRequestsError).retryAfterSeconds).toBe(2 * 3600);
    const holders = (await limitsModule.slotHolders(limits, limitsModule.addressScope(victim))).map((h) => h.applicationId);
    expect(holders.sort()).toEqual([...mailedIds].sort());

    // Once a link would have expired, its slot comes back: one more application, then 429 again.
    now = new Date(now.getTime() + 2 * HOUR_MS + 1000);
    await expect(submit(deps(), naming(victim), `k-${randomUUID()}`)).resolves.toMatchObject({ replayed: false });
    await expect(submit(deps(), naming(victim), `k-${randomUUID()}`)).rejects.toBeInstanceOf(TooManyRequestsError);
  });

  it('an application withdrawn before any confirmation mail went out frees its slot at once', async () => {
    const address = `typo-${randomUUID().slice(0, 8)}@example.com`;
    for (let i = 0; i < 3; i += 1) {
      const { applicationId } = await submit(deps(), naming(address), `k-${randomUUID()}`);
      await move(applicationId, 'withdrawn', 'founder');
    }
    await expect(submit(deps(), naming(address), `k-${randomUUID()}`)).resolves.toMatchObject({ replayed: false });
  });

  it('a confirmed application that is withdrawn frees its slot at once', async () => {
    const address = `owner-${randomUUID().slice(0, 8)}@example.com`;
    for (let i = 0; i < 3; i += 1) {
      const { applicationId } = await submit(deps(), naming(address), `k-${randomUUID()}`);
      await mailed(applicationId);
      expect(await confirmation.confirmAddress(applications, applicationId, 'h'.repeat(64), now)).toBe(true);
      await move(applicationId, 'withdrawn', 'founder');
    }
    await expect(submit(deps(), naming(address), `k-${randomUUID()}`)).resolves.toMatchObject({ replayed: false });
  });
});

/**
 * Operations' nudge (functions/usecases/ops-nudge.ts) against dynalite, with the real notifier and SES replaced by a
 * recorder: the note written, the reminder mailed (to whom, with the operator's words), a repeat the same day (no
 * second note, no second mail), a note whose mail did not go out yet, the next day, and each answer. Runs in the mutate
 * suite (vitest.mutate.config.ts); the operations end-to-end suite nudges through the HTTP API.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApplicationRepository } from '../../functions/adapters/dynamo/applications.ts';
import type * as Intake from '../../functions/adapters/dynamo/applications-intake.ts';
import type * as Edits from '../../functions/adapters/dynamo/applications-edits.ts';
import type * as Partners from '../../functions/adapters/dynamo/partners.ts';
import type * as Nudge from '../../functions/usecases/ops-nudge.ts';
import type * as NotifierModule from '../../functions/usecases/notifier.ts';
import { ConflictError } from '../../functions/core/errors.ts';
import { newApplication } from '../../functions/core/intake.ts';
import { composeNotice, type Mail } from '../../functions/core/notifications.ts';
import type { Application, ApplicationStatus } from '../../schemas/application.ts';
import { startDynalite, type TestTable } from '../support/dynalite.ts';
import { exampleWorksheet } from '../support/fixtures.ts';

const ses = vi.hoisted(() => ({ sent: [] as Mail[] }));
vi.mock('../../functions/adapters/mailer.ts', () => ({
  sendMail: async (mail: Mail) => {
    ses.sent.push(mail);
    return `msg-${ses.sent.length}`;
  },
}));

let table: TestTable;
let applications: ApplicationRepository;
let partnerRepo: Partners.PartnerRepository;
let intake: typeof Intake;
let edits: typeof Edits;
let ops: typeof Nudge;
let notifierModule: typeof NotifierModule;

beforeAll(async () => {
  table = await startDynalite('ops-nudge');
  process.env.AWS_ENDPOINT_URL_DYNAMODB = table.endpoint;
  const { ApplicationRepository } = await import('../../functions/adapters/dynamo/applications.ts');
  const partners = await import('../../functions/adapters/dynamo/partners.ts');
  intake = await import('../../functions/adapters/dynamo/applications-intake.ts');
  edits = await import('../../functions/adapters/dynamo/applications-edits.ts');
  ops = await import('../../functions/usecases/ops-nudge.ts');
  notifierModule = await import('../../functions/usecases/notifier.ts');
  applications = new ApplicationRepository(table.tableName);
  partnerRepo = new partners.PartnerRepository(table.tableName);
  await partners.upsertPartnerProfile(partnerRepo, {
    id: 'p-1', name: 'Partner One', tier: 'Advanced', regions: ['us-east-1'], contactEmail: 'desk@p-1.example',
    strengths: { modelProviders: [], useCases: [], services: [] }, capacity: 2,
    record: { filings: 10, approvalRate: 0.8, medianDaysToCredits: 21 }, active: true,
  });
});
afterAll(async () => table?.stop());
beforeEach(() => {
  ses.sent.length = 0;
});

const DAY_MS = 86_400_000;
const T0 = Date.parse('2026-12-07T12:00:00.000Z');
const OPERATOR = { kind: 'ops', id: 'op-1' } as const;
const EXECUTION = 'arn:aws:states:us-east-1:123456789012:execution:AceFiling:run-1';

function depsAt(at: number): Nudge.NudgeDeps {
  const clock = { now: () => new Date(at), sleep: async () => undefined };
  const config = { SENDER_EMAIL: 'credits@ace.example', SES_CONFIGURATION_SET: 'ace-mail', PUBLIC_BASE_URL: 'https://credits.example', OPS_EMAIL: 'ops@ace.example' };
  return { applications, clock, notifier: new notifierModule.Notifier(applications, partnerRepo, config, composeNotice, clock) };
}

async function stored(status: ApplicationStatus): Promise<Application> {
  const id = `app_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
  const app: Application = {
    ...newApplication({ id, worksheet: exampleWorksheet(), tokenHash: 'h'.repeat(64), now: new Date(T0 - DAY_MS) }),
    status, executionArn: EXECUTION, partner: { partnerId: 'p-1', partnerName: 'Partner One', assignedAt: new Date(T0 - DAY_MS).toISOString(), reasons: ['fits'] },
  };
  expect(await intake.createApplication(applications, app)).toBe(true);
  return applications.mustGet(id);
}

describe('nudge', () => {
  it('records a note and mails the partner the pending reminder with the operator\'s words', async () => {
    const app = await stored('in_partner_review');
    const answer = await ops.nudge(depsAt(T0), app.id, OPERATOR, 'the founder is waiting');
    expect(answer).toEqual({
      applicationId: app.id, action: 'nudge', status: 'in_partner_review', applied: true,
      detail: 'partner-review-reminder sent to the partner', executionArn: EXECUTION,
    });
    const after = await applications.mustGet(app.id);
    expect(after.version).toBe(2);
    expect(after.transitions.at(-1)).toMatchObject({ from: 'in_partner_review', to: 'in_partner_review', actor: OPERATOR, version: 2,
      reason: 'nudged the partner (partner-review-reminder) by operations: the founder is waiting' });
    expect(after.notified).toEqual(['nudge:v2:partner-review-reminder', 't:v2']);
    expect(ses.sent.map((m) => [m.to, m.subject])).toEqual([[['desk@p-1.example'], `Reminder: ${app.worksheet.company.name} is waiting on your review`]]);
    expect(ses.sent[0]?.text).toContain('\n\nOperations ask you to act: the founder is waiting\n\n');
  });

  it('a repeat the same day writes no second note and mails nothing again; the next day nudges again', async () => {
    const app = await stored('routed');
    await ops.nudge(depsAt(T0), app.id, OPERATOR, 'first');
    const repeat = await ops.nudge(depsAt(T0 + 3_600_000), app.id, OPERATOR, 'again');
    expect(repeat).toEqual({
      applicationId: app.id, action: 'nudge', status: 'routed', applied: false,
      detail: 'partner-review-reminder already sent to the partner today', executionArn: EXECUTION,
    });
    expect((await applications.mustGet(app.id)).version).toBe(2);
    expect(ses.sent).toHaveLength(1);
    const tomorrow = await ops.nudge(depsAt(T0 + DAY_MS), app.id, OPERATOR, 'still nothing');
    expect(tomorrow).toMatchObject({ applied: true, detail: 'partner-review-reminder sent to the partner' });
    expect((await applications.mustGet(app.id)).notified).toEqual(['nudge:v2:partner-review-reminder', 'nudge:v3:partner-review-reminder', 't:v2', 't:v3']);
    expect(ses.sent).toHaveLength(2);
    expect(ses.sent[1]?.text).toContain('Operations ask you to act: still nothing');
  });

  it('a note recorded today whose mail did not go out (a crash between): the repeat sends it, writing nothing', async () => {
    const app = await stored('routed');
    const note = { at: new Date(T0).toISOString(), actor: OPERATOR, from: 'routed', to: 'routed', reason: 'nudged the partner (partner-review-reminder) by operations: x', version: 2 } as const;
    await edits.appendNote(applications, app, note);
    const answer = await ops.nudge(depsAt(T0 + 60_000), app.id, OPERATOR, 'x');
    expect(answer).toMatchObject({ applied: false, detail: 'partner-review-reminder sent to the partner' });
    expect((await applications.mustGet(app.id)).version).toBe(2);
    expect(ses.sent).toHaveLength(1);
  });

  it('the founder is reminded of a change request; nobody of a status with no pending step', async () => {
    const app = await stored('changes_requested');
    expect(await ops.nudge(depsAt(T0), app.id, OPERATOR, 'please revise')).toMatchObject({ applied: true, detail: 'founder-revision-reminder sent to the founder' });
    expect(ses.sent.map((m) => m.to)).toEqual([[app.worksheet.contact.email]]);
    const closed = await stored('withdrawn');
    await expect(ops.nudge(depsAt(T0), closed.id, OPERATOR, 'x')).rejects.toBeInstanceOf(ConflictError);
    expect((await applications.mustGet(closed.id)).version).toBe(1);
  });

  it('a change that wins the version meanwhile is read again, and the nudge planned from it', async () => {
    const app = await stored('routed');
    const deps = depsAt(T0);
    // The first read sees version 1; before the note is written a real change (routed → in_partner_review) lands.
    let reads = 0;
    const racing = {
      ...deps,
      applications: Object.assign(Object.create(Object.getPrototypeOf(applications)) as ApplicationRepository, applications, {
        mustGet: async (id: string) => {
          const read = await applications.mustGet(id);
          if ((reads += 1) === 1) {
            const t = { at: new Date(T0).toISOString(), actor: { kind: 'system', id: 'test' }, from: 'routed', to: 'routed', reason: 'a concurrent note', version: 2 } as const;
            await edits.appendNote(applications, read, t);
          }
          return read;
        },
      }),
    };
    const answer = await ops.nudge(racing, app.id, OPERATOR, 'x');
    expect(answer).toMatchObject({ applied: true, detail: 'partner-review-reminder sent to the partner' });
    const after = await applications.mustGet(app.id);
    expect(after.transitions.slice(-2).map((t) => [t.version, t.reason])).toEqual([[2, 'a concurrent note'], [3, 'nudged the partner (partner-review-reminder) by operations: x']]);
  });
});

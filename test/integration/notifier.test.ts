/**
 * The notifier (functions/usecases/notifier.ts) against dynalite, with SES replaced by a recorder: each notice is
 * claimed, composed, sent and marked, a claim held by another sender is waited out once, a failed send gives the
 * claim back with an error that names no address, and `notifyTransitions` mails every transition not yet notified
 * (oldest first) to the right people, then marks it. Runs in the mutate suite (vitest.mutate.config.ts).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ApplicationRepository } from '../../functions/adapters/dynamo/applications.ts';
import type * as Notices from '../../functions/adapters/dynamo/applications-notices.ts';
import type * as Client from '../../functions/adapters/dynamo/client.ts';
import type * as NotifierModule from '../../functions/usecases/notifier.ts';
import type { PartnerRepository } from '../../functions/adapters/dynamo/partners.ts';
import { applicationPartition, noticeKey, OWNED } from '../../functions/adapters/dynamo/keys.ts';
import { newApplication } from '../../functions/core/intake.ts';
import { composeNotice, type Mail } from '../../functions/core/notifications.ts';
import type { Clock } from '../../functions/core/clock.ts';
import type { Estimate } from '../../schemas/estimate.ts';
import type { Actor, Application, ApplicationStatus, Transition } from '../../schemas/application.ts';
import type { PartnerProfile } from '../../schemas/partner.ts';
import { NOTICE_LEASE_MS } from '../../schemas/stored-application.ts';
import { startDynalite, type TestTable } from '../support/dynalite.ts';
import { exampleWorksheet } from '../support/fixtures.ts';

/** What SES was asked to send, and what the next sends throw. */
const ses = vi.hoisted(() => ({
  sent: [] as Array<{ mail: Mail; opts: { from: string; configurationSet: string } }>,
  failures: [] as Error[],
  claims: 0,
}));
vi.mock('../../functions/adapters/mailer.ts', () => ({
  sendMail: async (mail: Mail, opts: { from: string; configurationSet: string }) => {
    const failure = ses.failures.shift();
    if (failure) throw failure;
    ses.sent.push({ mail, opts });
    return `msg-${ses.sent.length}`;
  },
}));
/** The claims made (a DynamoDB write each), counted. */
vi.mock('../../functions/adapters/dynamo/applications-notices.ts', async (importOriginal) => {
  const real = await importOriginal<typeof Notices>();
  return { ...real, claimNotice: (...args: Parameters<typeof real.claimNotice>) => { ses.claims += 1; return real.claimNotice(...args); } };
});

let table: TestTable;
let applications: ApplicationRepository;
let notices: typeof Notices;
let client: typeof Client;
let notifierModule: typeof NotifierModule;

beforeAll(async () => {
  table = await startDynalite('notifier');
  process.env.AWS_ENDPOINT_URL_DYNAMODB = table.endpoint;
  const { ApplicationRepository } = await import('../../functions/adapters/dynamo/applications.ts');
  notices = await import('../../functions/adapters/dynamo/applications-notices.ts');
  client = await import('../../functions/adapters/dynamo/client.ts');
  notifierModule = await import('../../functions/usecases/notifier.ts');
  applications = new ApplicationRepository(table.tableName);
});
afterAll(async () => table?.stop());
beforeEach(() => {
  ses.sent.length = 0;
  ses.failures.length = 0;
  ses.claims = 0;
});

const T0 = Date.parse('2026-12-07T12:00:00.000Z');
const config = { SENDER_EMAIL: 'credits@ace.example', SES_CONFIGURATION_SET: 'ace-mail', PUBLIC_BASE_URL: 'https://credits.example', OPS_EMAIL: 'ops@ace.example' };
const SYSTEM: Actor = { kind: 'system', id: 'test' };
const OPS: Actor = { kind: 'ops', id: 'op-1' };
const FOUNDER: Actor = { kind: 'founder', id: 'founder' };

/** A clock that only moves when slept on, recording each sleep. */
function fakeClock(start = T0): Clock & { at: number; sleeps: number[] } {
  const clock = { at: start, sleeps: [] as number[], now: () => new Date(clock.at), sleep: async (ms: number) => { clock.sleeps.push(ms); clock.at += ms; } };
  return clock;
}

const profile = (id: string): PartnerProfile => ({
  id, name: `Partner ${id}`, tier: 'Advanced', regions: ['us-east-1'], contactEmail: `desk@${id}.example`,
  strengths: { modelProviders: [], useCases: [], services: [] }, capacity: 2,
  record: { filings: 10, approvalRate: 0.8, medianDaysToCredits: 21 }, active: true,
});

/** A partner directory that records every read (the notifier only reads profiles). */
function directory(ids: readonly string[] = ['p-old', 'p-new']) {
  const reads: string[] = [];
  const byId = new Map(ids.map((id) => [id, profile(id)]));
  return { reads, repo: { get: async (id: string) => { reads.push(id); return byId.get(id); } } as unknown as PartnerRepository };
}

function notifierWith(ids?: readonly string[], clock = fakeClock()) {
  const partners = directory(ids);
  return { ...partners, clock, notifier: new notifierModule.Notifier(applications, partners.repo, config, composeNotice, clock) };
}

/** An application (in memory: the notifier reads nothing of it from the table) through the steps given. */
function application(steps: ReadonlyArray<[ApplicationStatus, Actor, string?]>, extra: Partial<Application> = {}): Application {
  const worksheet = exampleWorksheet();
  worksheet.contact.email = 'founder@startup.example';
  let app: Application = newApplication({ id: `app_${randomUUID().replaceAll('-', '').slice(0, 20)}`, worksheet, tokenHash: 'h'.repeat(64), now: new Date(T0) });
  for (const [to, actor, reason] of steps) {
    const t: Transition = { at: new Date(T0 + app.version * 1000).toISOString(), actor, from: app.status, to, reason: reason ?? `to ${to}`, version: app.version + 1 };
    app = { ...app, status: to, version: t.version, transitions: [...app.transitions, t] };
  }
  return { ...app, addressConfirmation: { requested: 1, sent: 1, confirmedAt: new Date(T0).toISOString() }, ...extra };
}

const assigned = (partnerId: string) => ({ partnerId, partnerName: `Partner ${partnerId}`, assignedAt: new Date(T0).toISOString(), reasons: ['fits'] });
const TO_ROUTED: Array<[ApplicationStatus, Actor]> = [['sized', SYSTEM], ['drafted', SYSTEM], ['routed', SYSTEM]];

async function noticeItem(id: string, key: string): Promise<Record<string, unknown> | undefined> {
  return (await client.documentClient.send(new GetCommand({ TableName: table.tableName, Key: noticeKey(id, key), ConsistentRead: true }))).Item;
}
const stateOf = async (id: string, key: string) => (await noticeItem(id, key))?.state;

/** Every notice item of the application (claims and sent marks), by key. */
async function noticeKeys(id: string): Promise<string[]> {
  const out = await client.documentClient.send(new QueryCommand({
    TableName: table.tableName, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :notice)', ExpressionAttributeValues: { ':pk': applicationPartition(id), ':notice': OWNED.notice },
  }));
  return (out.Items ?? []).map((item) => item.key as string).sort();
}

/** Who got which subject, in order sent. */
const sentTo = () => ses.sent.map(({ mail }) => [mail.to.join(','), mail.subject]);

describe('deliver', () => {
  it('claims, composes, sends from the configured sender and set, and marks the notice sent; a repeat sends nothing', async () => {
    const app = application(TO_ROUTED, { partner: assigned('p-new') });
    const { notifier } = notifierWith();
    expect(await notifier.deliver(app, 'partner-assignment', 'k:assign', { transition: app.transitions.at(-1)! }, profile('p-new'))).toBe(true);
    expect(ses.sent).toHaveLength(1);
    const [{ mail, opts }] = ses.sent as [(typeof ses.sent)[number]];
    expect(opts).toEqual({ from: 'credits@ace.example', configurationSet: 'ace-mail' });
    expect(mail.to).toEqual(['desk@p-new.example']);
    expect(mail.subject).toBe(`New application to review: ${app.worksheet.company.name}`);
    expect(mail.text).toContain(`Open the application: https://credits.example/partner/applications/${app.id}`);
    expect(await stateOf(app.id, 'k:assign')).toBe('sent');
    expect(await notifier.deliver(app, 'partner-assignment', 'k:assign', { transition: app.transitions.at(-1)! }, profile('p-new'))).toBe(false);
    expect(ses.sent).toHaveLength(1);
  });

  it('without a partner profile, a partner notice goes to operations; extras reach the mail', async () => {
    const app = application(TO_ROUTED);
    const { notifier } = notifierWith();
    expect(await notifier.deliver(app, 'ops-unrouted', 'k:unrouted', { detail: 'Nobody serves eu-south-2.' })).toBe(true);
    expect(ses.sent[0]?.mail.to).toEqual(['ops@ace.example']);
    expect(ses.sent[0]?.mail.text).toContain('Nobody serves eu-south-2.');
    expect(ses.sent[0]?.mail.text).toContain(`Operations view: https://credits.example/ops/applications/${app.id}`);
  });

  describe('the ask, as the founder reads it', () => {
    const filing = (programName: string, askUsd: string, filingPath = 'partner-filed') => ({ programName, askUsd, filingPath });
    const withFilings = (filings: unknown[] | undefined) =>
      application(TO_ROUTED, { partner: assigned('p-new'), ...(filings ? { estimate: { plan: { filings } } as unknown as Estimate } : {}) });
    async function confirmationText(app: Application): Promise<string> {
      const { notifier } = notifierWith();
      await notifier.deliver(app, 'founder-confirmation', 'k:confirm', {}, profile('p-new'));
      return ses.sent.at(-1)!.mail.text;
    }

    it('adds up the counted filings and names each long shot apart', async () => {
      const text = await confirmationText(withFilings([
        filing('Activate', '11000.00'), filing('Bedrock Migration', '2500.50'), filing('Generative AI Accelerator', '300000', 'cohort-application'),
      ]));
      expect(text).toContain('Sized ask: Activate $11,000 + Bedrock Migration $2,500.50 = $13,500.50. '
        + 'Also worth a separate application: Generative AI Accelerator (competitive cohort, up to $300,000).');
    });

    it('with long shots only, names them without a sized ask', async () => {
      const text = await confirmationText(withFilings([filing('Generative AI Accelerator', '300000', 'cohort-application'), filing('Other Cohort', '5', 'cohort-application')]));
      expect(text).toContain('\n\nAlso worth a separate application: Generative AI Accelerator (competitive cohort, up to $300,000). '
        + 'Also worth a separate application: Other Cohort (competitive cohort, up to $5).\n\n');
      expect(text).not.toContain('Sized ask');
    });

    it('says nothing of an ask without an estimate or with no filings', async () => {
      for (const app of [withFilings(undefined), withFilings([])]) {
        const text = await confirmationText(app);
        expect(text).not.toMatch(/Sized ask|Also worth/);
        expect(text.split('\n\n')[2]).toMatch(/^Partner p-new \(AWS Advanced Tier partner\) will review/);
      }
    });
  });

  it('waits out a live claim of another sender once (to its lease end, plus a margin), then claims and sends', async () => {
    const app = application(TO_ROUTED);
    const clock = fakeClock();
    expect((await notices.claimNotice(applications, app.id, 'k:busy', new Date(T0 - 1000))).state).toBe('claimed');
    ses.claims = 0;
    const { notifier } = notifierWith(undefined, clock);
    expect(await notifier.deliver(app, 'founder-status-update', 'k:busy', { transition: app.transitions.at(-1)! })).toBe(true);
    expect(clock.sleeps).toEqual([NOTICE_LEASE_MS - 1000 + 50]);
    expect(ses.claims).toBe(2);
    expect(sentTo()).toEqual([['founder@startup.example', `${app.worksheet.company.name}: your application is now routed`]]);
  });

  it('a claim whose lease end has passed by the time it is waited on costs no negative sleep', async () => {
    const app = application(TO_ROUTED);
    expect((await notices.claimNotice(applications, app.id, 'k:late', new Date(T0))).state).toBe('claimed');
    // The clock reads T0 for the claim (busy) and then has moved past the lease when the wait is computed.
    let reads = 0;
    const clock = { sleeps: [] as number[], now: () => new Date(reads++ === 0 ? T0 : T0 + NOTICE_LEASE_MS + 10_000), sleep: async (ms: number) => { clock.sleeps.push(ms); } };
    const notifier = new notifierModule.Notifier(applications, directory().repo, config, composeNotice, clock);
    expect(await notifier.deliver(app, 'founder-status-update', 'k:late', { transition: app.transitions.at(-1)! })).toBe(true);
    expect(clock.sleeps).toEqual([50]);
  });

  it('a claim still held after the wait: a TransientError (retrying is safe), nothing sent, waited once', async () => {
    const app = application(TO_ROUTED);
    expect((await notices.claimNotice(applications, app.id, 'k:held', new Date(T0))).state).toBe('claimed');
    ses.claims = 0;
    const clock = { sleeps: [] as number[], now: () => new Date(T0), sleep: async (ms: number) => { clock.sleeps.push(ms); } };
    const notifier = new notifierModule.Notifier(applications, directory().repo, config, composeNotice, clock);
    const error = await notifier.deliver(app, 'founder-status-update', 'k:held').catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('TransientError');
    expect((error as Error).message).toBe(`Notice k:held of ${app.id} is being sent by another run; retrying is safe`);
    expect(clock.sleeps).toEqual([NOTICE_LEASE_MS + 50]);
    expect(ses.claims).toBe(2);
    expect(ses.sent).toEqual([]);
  });

  it('a send SES refuses gives the claim back (the next attempt sends at once) and names no address', async () => {
    const app = application(TO_ROUTED);
    const { notifier, clock } = notifierWith();
    const throttled = Object.assign(new Error('Rate exceeded for founder@startup.example'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } });
    ses.failures.push(throttled);
    const error = await notifier.deliver(app, 'founder-status-update', 'k:fail', { transition: app.transitions.at(-1)! }).catch((e: unknown) => e as Error);
    expect((error as Error).name).toBe('TransientError');
    expect((error as Error).message).toBe('SES did not accept the message (Throttling); details withheld because they may name recipients');
    expect(await noticeItem(app.id, 'k:fail')).toMatchObject({ state: 'claimed', leaseUntil: 0 });
    expect(await notifier.deliver(app, 'founder-status-update', 'k:fail', { transition: app.transitions.at(-1)! })).toBe(true);
    expect(clock.sleeps).toEqual([]);
    expect(ses.sent).toHaveLength(1);
    expect(await stateOf(app.id, 'k:fail')).toBe('sent');
  });
});

describe('notifyTransitions', () => {
  it('the first routing: the founder is confirmed and the partner assigned; every transition is marked, once', async () => {
    const app = application(TO_ROUTED, { partner: assigned('p-new') });
    const { notifier, reads } = notifierWith();
    expect(await notifier.notifyTransitions(app)).toEqual(['v4:founder-confirmation', 'v4:partner-assignment']);
    expect(sentTo()).toEqual([
      ['founder@startup.example', "We received Ledgerly Labs' Bedrock credit application"],
      ['desk@p-new.example', 'New application to review: Ledgerly Labs'],
    ]);
    expect(ses.sent[0]?.mail.text).toContain('Partner p-new (AWS Advanced Tier partner) will review');
    expect(reads).toEqual(['p-new']);
    for (const v of [1, 2, 3, 4]) expect(await stateOf(app.id, `t:v${v}`), `v${v}`).toBe('sent');
    // What the table now says went out, and nothing else.
    const notified = ['t:v1', 't:v2', 't:v3', 't:v4', 'v4:founder-confirmation', 'v4:partner-assignment'];
    expect(await noticeKeys(app.id)).toEqual(notified);
    ses.sent.length = 0;
    reads.length = 0;
    expect(await notifier.notifyTransitions({ ...app, notified })).toEqual([]);
    expect(ses.sent).toEqual([]);
    expect(reads).toEqual([]);
  });

  it('takes the timeline oldest first whatever its order: the first routing confirms, the next updates', async () => {
    const first = application([...TO_ROUTED, ['in_partner_review', SYSTEM], ['drafted', SYSTEM], ['routed', SYSTEM]], { partner: assigned('p-new'), passedOverBy: ['p-old'] });
    const app = { ...first, transitions: [...first.transitions].reverse() };
    const { notifier } = notifierWith();
    expect(await notifier.notifyTransitions(app)).toEqual([
      'v4:founder-confirmation', 'v4:partner-assignment', 'v6:ops-status-update', 'v6:partner-lapsed', 'v7:founder-status-update', 'v7:partner-assignment',
    ]);
  });

  it('a later routing after the first was notified: a status update, not a second confirmation', async () => {
    // Mailed once the application is already in review again: each mail tells of its own transition.
    const app = application([...TO_ROUTED, ['in_partner_review', SYSTEM], ['drafted', SYSTEM], ['routed', SYSTEM], ['in_partner_review', SYSTEM]], {
      partner: assigned('p-new'), passedOverBy: ['p-old'], notified: ['t:v1', 't:v2', 't:v3', 't:v4', 't:v5'],
    });
    const { notifier } = notifierWith();
    const sent = await notifier.notifyTransitions(app);
    expect(sent).toEqual(['v6:ops-status-update', 'v6:partner-lapsed', 'v7:founder-status-update', 'v7:partner-assignment']);
    expect(sentTo().map(([to]) => to)).toEqual(['ops@ace.example', 'desk@p-old.example', 'founder@startup.example', 'desk@p-new.example']);
    // The partner whose review lapsed is told so, by the last partner passed over.
    expect(ses.sent[1]?.mail.text).toContain(`Application ${app.id} waited on your review past the agreed time and a reminder, so it has been passed to another partner and your review slot is free again.`);
    expect(ses.sent[2]?.mail.subject).toBe(`${app.worksheet.company.name}: your application is now routed`);
    expect(ses.sent[2]?.mail.text).toContain('\n\nThe application moved from drafted to routed: to routed\n\n');
    expect(await noticeKeys(app.id)).toEqual([...sent, 't:v6', 't:v7', 't:v8'].sort());
  });

  it('unrouted: operations get the reason; a notice already sent is not sent again nor reported', async () => {
    const app = application([['sized', SYSTEM], ['drafted', SYSTEM], ['unrouted', SYSTEM, 'no partner serves ap-south-2']]);
    await notices.markNoticesSent(applications, app.id, ['v4:founder-confirmation']);
    const { notifier } = notifierWith();
    expect(await notifier.notifyTransitions(app)).toEqual(['v4:ops-unrouted']);
    expect(sentTo()).toEqual([['ops@ace.example', `No partner matched ${app.worksheet.company.name} (${app.id})`]]);
    expect(ses.sent[0]?.mail.text).toContain('\n\nno partner serves ap-south-2\n\n');
    expect(await stateOf(app.id, 't:v4')).toBe('sent');
  });

  it('operations reassigning: the partner it was taken from is told, with the reason', async () => {
    const app = application([...TO_ROUTED, ['in_partner_review', SYSTEM], ['routed', OPS, 'reassigned from p-old to p-new by operations: on leave']], {
      partner: assigned('p-new'), passedOverBy: ['p-old'], notified: ['t:v1', 't:v2', 't:v3', 't:v4', 't:v5'],
    });
    const { notifier } = notifierWith();
    expect(await notifier.notifyTransitions(app)).toEqual(['v6:founder-status-update', 'v6:partner-assignment', 'v6:partner-reassigned']);
    expect(sentTo().map(([to]) => to)).toEqual(['founder@startup.example', 'desk@p-new.example', 'desk@p-old.example']);
    expect(ses.sent[2]?.mail.text).toContain(`Operations reassigned application ${app.id} to another partner (reassigned from p-old to p-new by operations: on leave); your review slot is free again.`);
    expect(await noticeKeys(app.id)).toEqual(['t:v6', 'v6:founder-status-update', 'v6:partner-assignment', 'v6:partner-reassigned']);
  });

  it('operations cancelling a review tell the founder and the partner holding it, not one passed over before', async () => {
    const app = application([...TO_ROUTED, ['in_partner_review', SYSTEM], ['withdrawn', OPS, 'cancelled by operations: duplicate']], {
      partner: assigned('p-new'), passedOverBy: ['p-old'], notified: ['t:v1', 't:v2', 't:v3', 't:v4', 't:v5'],
    });
    const { notifier } = notifierWith();
    expect(await notifier.notifyTransitions(app)).toEqual(['v6:founder-status-update', 'v6:partner-status-update']);
    expect(sentTo().map(([to]) => to)).toEqual(['founder@startup.example', 'desk@p-new.example']);
  });

  it('a reassignment or a lapse of an application that names nobody passed over tells no earlier partner', async () => {
    const reassigned = application([...TO_ROUTED, ['routed', OPS, 'reassigned by operations: x']], { partner: assigned('p-new'), notified: ['t:v1', 't:v2', 't:v3', 't:v4'] });
    const lapsed = application([...TO_ROUTED, ['in_partner_review', SYSTEM], ['drafted', SYSTEM]], { notified: ['t:v1', 't:v2', 't:v3', 't:v4', 't:v5'] });
    const { notifier } = notifierWith();
    expect(await notifier.notifyTransitions(reassigned)).toEqual(['v5:founder-status-update', 'v5:partner-assignment']);
    expect(await notifier.notifyTransitions(lapsed)).toEqual(['v6:ops-status-update']);
  });

  it('operations routing an unrouted application tell no earlier partner', async () => {
    const app = application([['sized', SYSTEM], ['drafted', SYSTEM], ['unrouted', SYSTEM], ['routed', OPS, 'reassigned to p-new by operations: found one']], {
      partner: assigned('p-new'), passedOverBy: ['p-old'], notified: ['t:v1', 't:v2', 't:v3', 't:v4'],
    });
    const { notifier } = notifierWith();
    expect(await notifier.notifyTransitions(app)).toEqual(['v5:founder-status-update', 'v5:partner-assignment']);
  });

  it('a redrive back to routed is no reassignment: a partner passed over long ago is not told anything', async () => {
    const app = application([...TO_ROUTED, ['in_partner_review', SYSTEM], ['drafted', SYSTEM], ['routed', SYSTEM], ['failed', SYSTEM], ['routed', OPS, 'redriven from NotifyRouted by operations: SES fixed']], {
      partner: assigned('p-new'), passedOverBy: ['p-old'], notified: ['t:v1', 't:v2', 't:v3', 't:v4', 't:v5', 't:v6', 't:v7', 't:v8'],
    });
    const { notifier } = notifierWith();
    const sent = await notifier.notifyTransitions(app);
    expect(sent.filter((k) => k.endsWith('partner-reassigned'))).toEqual([]);
    expect(sentTo().map(([to]) => to)).not.toContain('desk@p-old.example');
  });

  it("a nudge's note left unnotified (a crash before its marker) is no reassignment: the partner passed over is not told", async () => {
    const app = application([...TO_ROUTED, ['routed', OPS, 'nudged the partner (review-overdue) by operations: chase']], {
      partner: assigned('p-new'), passedOverBy: ['p-old'], notified: ['t:v1', 't:v2', 't:v3', 't:v4'],
    });
    const { notifier } = notifierWith();
    const sent = await notifier.notifyTransitions(app);
    expect(sent.filter((k) => k.endsWith('partner-reassigned'))).toEqual([]);
    expect(sentTo().map(([to]) => to)).not.toContain('desk@p-old.example');
  });

  it('a reassignment whose old partner is gone from the directory tells only the founder and the new partner', async () => {
    const app = application([...TO_ROUTED, ['routed', OPS, 'reassigned from p-gone to p-new by operations: x']], {
      partner: assigned('p-new'), passedOverBy: ['p-gone'], notified: ['t:v1', 't:v2', 't:v3', 't:v4'],
    });
    const { notifier, reads } = notifierWith();
    expect(await notifier.notifyTransitions(app)).toEqual(['v5:founder-status-update', 'v5:partner-assignment']);
    expect(reads).toEqual(['p-new', 'p-gone']);
  });

  it('the workflow failing mails nothing here (its own notice does), not even during a review, and is marked', async () => {
    const app = application([...TO_ROUTED, ['in_partner_review', SYSTEM], ['failed', SYSTEM]], {
      partner: assigned('p-new'), passedOverBy: ['p-old'], notified: ['t:v1', 't:v2', 't:v3', 't:v4', 't:v5'],
    });
    const { notifier } = notifierWith();
    expect(await notifier.notifyTransitions(app)).toEqual([]);
    expect(ses.sent).toEqual([]);
    expect(await noticeKeys(app.id)).toEqual(['t:v6']);
  });

  describe('a revision never confirmed (withdrawn from drafted by the system)', () => {
    const steps: Array<[ApplicationStatus, Actor, string?]> = [...TO_ROUTED, ['in_partner_review', SYSTEM], ['changes_requested', { kind: 'partner', id: 'p-new' }],
      ['submitted', FOUNDER], ['sized', SYSTEM], ['drafted', SYSTEM], ['withdrawn', SYSTEM, 'never confirmed']];
    const notified = ['t:v1', 't:v2', 't:v3', 't:v4', 't:v5', 't:v6', 't:v7', 't:v8', 't:v9'];

    it('tells the partner who asked for the changes, and nobody else', async () => {
      const app = application(steps, { partner: assigned('p-new'), notified });
      const { notifier } = notifierWith();
      expect(await notifier.notifyTransitions(app)).toEqual(['v10:partner-status-update']);
      expect(sentTo()).toEqual([['desk@p-new.example', `${app.worksheet.company.name} (${app.id}): withdrawn`]]);
      expect(ses.sent[0]?.mail.text).toContain(`The founder answered your change request on application ${app.id} with a revised worksheet that changes the contact address or the AWS account, and the founder never confirmed it from the contact address; the application is closed without the revision reaching you, and your review slot is free again.`);
      expect(await noticeKeys(app.id)).toEqual(['t:v10', 'v10:partner-status-update']);
    });

    it('closed before any partner: nobody is told', async () => {
      const app = application([['sized', SYSTEM], ['drafted', SYSTEM], ['withdrawn', SYSTEM, 'never confirmed']], { notified: ['t:v1', 't:v2', 't:v3'] });
      const { notifier } = notifierWith();
      expect(await notifier.notifyTransitions(app)).toEqual([]);
      expect(ses.sent).toEqual([]);
      expect(await stateOf(app.id, 't:v4')).toBe('sent');
    });

    it('a founder withdrawing one that reached nobody (address never confirmed, no partner): no mail', async () => {
      const app = application([['sized', SYSTEM], ['drafted', SYSTEM], ['withdrawn', FOUNDER]], { notified: ['t:v1', 't:v2', 't:v3'], addressConfirmation: { requested: 1, sent: 1 } });
      const { notifier } = notifierWith();
      expect(await notifier.notifyTransitions(app)).toEqual([]);
      // Confirmed, the same withdrawal is news to operations (and to the partner, here none: operations again).
      const confirmed = { ...app, id: `${app.id}c`, addressConfirmation: { requested: 1, sent: 1, confirmedAt: new Date(T0).toISOString() } };
      expect(await notifier.notifyTransitions(confirmed)).toEqual(['v4:partner-status-update', 'v4:ops-status-update']);
    });
  });

  it('a review taken back by the partner (declined) tells no lapsed partner', async () => {
    const app = application([...TO_ROUTED, ['in_partner_review', SYSTEM], ['drafted', { kind: 'partner', id: 'p-old' }, 'declined']], {
      passedOverBy: ['p-old'], notified: ['t:v1', 't:v2', 't:v3', 't:v4', 't:v5'],
    });
    const { notifier } = notifierWith();
    expect(await notifier.notifyTransitions(app)).toEqual(['v6:ops-status-update']);
  });

  it('a lapse whose partner is gone from the directory tells operations only', async () => {
    const app = application([...TO_ROUTED, ['in_partner_review', SYSTEM], ['drafted', SYSTEM]], { passedOverBy: ['p-gone'], notified: ['t:v1', 't:v2', 't:v3', 't:v4', 't:v5'] });
    const { notifier } = notifierWith();
    expect(await notifier.notifyTransitions(app)).toEqual(['v6:ops-status-update']);
  });
});

describe('SES errors on their way out', () => {
  it('a non-object or an unclassified error is not retryable; one already named TransientError is', () => {
    for (const e of [undefined, null, 'Throttling', 42]) expect(notifierModule.isRetryable(e), String(e)).toBe(false);
    expect(notifierModule.isRetryable(Object.assign(new Error('x'), { name: 'MessageRejected' }))).toBe(false);
    expect(notifierModule.isRetryable(Object.assign(new Error('x'), { name: 'TransientError' }))).toBe(true);
    expect(notifierModule.withoutAddresses(Object.assign(new Error('x'), { name: 'TransientError' })).name).toBe('TransientError');
  });

  it('a thrown non-error is named Error, with the generic message', () => {
    const safe = notifierModule.withoutAddresses(undefined);
    expect(safe.name).toBe('Error');
    expect(safe.message).toBe('SES did not accept the message (Error); details withheld because they may name recipients');
    expect(notifierModule.withoutAddresses(Object.assign(new Error('bad founder@startup.example'), { name: 'MessageRejected' })).message)
      .toBe('SES did not accept the message (MessageRejected); details withheld because they may name recipients');
  });
});

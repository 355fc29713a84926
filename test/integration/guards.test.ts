/**
 * Guards that only matter when two writers meet (issue 8 §5), each tested so that removing it fails a test:
 *   - the version half of "status is X and version is N" on a status change (the status alone does not move when a
 *     stacked record changes, or when a brief is edited),
 *   - the version guard on brief edits (an edit racing AWS's approval of that record, the application staying put),
 *   - AwaitReview's catch-up: a wait whose answer already landed while it was starting does not wait for it,
 *   - in every writer of the application repository, only a failed condition reads as "someone else won" (a 409,
 *     `false`, nothing to do): an item over 400 KB, a missing table or a throttled request fails as itself.
 * Against dynalite, with the repository and the AwaitReview handler as deployed (throttling injected: dynalite never
 * throttles).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Context } from 'aws-lambda';
import { type ApplicationRepository, applyTransition } from '../../functions/adapters/dynamo/applications.ts';
import {
  confirmAddress, markConfirmationSent, requestConfirmationMail, storeConfirmationSecret,
} from '../../functions/adapters/dynamo/applications-confirmation.ts';
import { appendNote, updateBriefs } from '../../functions/adapters/dynamo/applications-edits.ts';
import { recordReminderSent, refreshExpiryDue } from '../../functions/adapters/dynamo/applications-expiry.ts';
import { addFounderTokenHash, createApplication } from '../../functions/adapters/dynamo/applications-intake.ts';
import { replaceLegacy } from '../../functions/adapters/dynamo/applications-migration.ts';
import { claimNotice, markNoticesSent, releaseNotice } from '../../functions/adapters/dynamo/applications-notices.ts';
import { getTaskToken } from '../../functions/adapters/dynamo/applications-tasks.ts';
import { documentClient } from '../../functions/adapters/dynamo/client.ts';
import { logger } from '../../functions/adapters/observability.ts';
import { startDynalite, type TestTable } from '../support/dynalite.ts';
import { failBefore, throttled } from '../support/dynamo-failures.ts';
import { exampleWorksheet } from '../support/fixtures.ts';
import { newApplication, newFounderToken } from '../../functions/core/intake.ts';
import { planTransition } from '../../functions/core/application/lifecycle.ts';
import { planRecordTransition, recordOf } from '../../functions/core/application/records.ts';
import { transitionMarker } from '../../functions/core/notifications.ts';
import { ConflictError } from '../../functions/core/errors.ts';
import type { Application, ApplicationStatus, RecordState } from '../../schemas/application.ts';

let table: TestTable;
let applications: ApplicationRepository;
let awaitReview: (event: unknown, context: Context) => Promise<unknown>;

beforeAll(async () => {
  table = await startDynalite();
  process.env.AWS_ENDPOINT_URL_DYNAMODB = table.endpoint;
  process.env.TABLE_NAME = table.tableName;
  const { ApplicationRepository } = await import('../../functions/adapters/dynamo/applications.ts');
  applications = new ApplicationRepository(table.tableName);
  awaitReview = (await import('../../functions/workflow/await-human-step.ts')).handler as unknown as typeof awaitReview;
});
afterAll(async () => table?.stop());

const context = {
  functionName: 'AwaitReview', functionVersion: '$LATEST', invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:AwaitReview',
  memoryLimitInMB: '256', awsRequestId: 'guards', logGroupName: 'x', logStreamName: 'x', callbackWaitsForEmptyEventLoop: false,
  getRemainingTimeInMillis: () => 10_000, done: () => undefined, fail: () => undefined, succeed: () => undefined,
} as unknown as Context;

const partner = { kind: 'partner', id: 'p-northwind' } as const;
let counter = 0;

/** An application after partner approval with two stacked records in the given states, every transition mailed. */
async function stored(status: ApplicationStatus, records: RecordState[] = []): Promise<Application> {
  counter += 1;
  const base = newApplication({ id: `app_guard${counter}`, worksheet: exampleWorksheet(), tokenHash: newFounderToken().hash, now: new Date('2026-11-27T10:00:00Z') });
  const app: Application = {
    ...base,
    status,
    partner: { partnerId: 'p-northwind', partnerName: 'Northwind', assignedAt: base.createdAt, reasons: ['serves the Region'] },
    briefs: records.map((record, i) => ({ programId: i === 0 ? 'bedrock-poc' : 'activate-portfolio', body: { Project: { Title: `brief ${i}` } }, problems: [], revision: 1, record })),
  };
  expect(await createApplication(applications, app)).toBe(true);
  await markNoticesSent(applications, app.id, app.transitions.map((t) => transitionMarker(t.version)));
  return applications.mustGet(app.id);
}

const actionRequired: RecordState = { status: 'action_required', opportunityId: 'O1111111', awsReview: { at: '2026-11-27T10:00:00Z', comments: 'fix it' } };

describe('the version half of the status condition (application repository)', () => {
  it('refuses a record change planned before a brief edit, though the status is the same: the edit is not undone', async () => {
    const app = await stored('action_required', [actionRequired, actionRequired]);
    // Planned on this read: AWS approves the second record (the application stays in action_required, for the first).
    const plan = planRecordTransition({ app, programId: 'activate-portfolio', to: 'approved', actor: partner, reason: 'AWS approved', now: new Date() });
    expect(plan.transition.to).toBe('action_required');
    // Meanwhile the partner's edit of the first brief lands (same status, next version).
    const edited = (app.briefs ?? []).map((b) => (b.programId === 'bedrock-poc' ? { ...b, body: { Project: { Title: 'fixed as AWS asked' } }, revision: 2 } : b));
    const afterEdit = await updateBriefs(applications, app, edited, new Date());
    // What the edit answers is what is stored: the next version, the same status and timeline.
    expect(afterEdit.version).toBe(app.version + 1);
    expect(afterEdit).toEqual(await applications.mustGet(app.id));

    const err = await applyTransition(applications, app, plan, { briefs: plan.briefs }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    const latest = await applications.mustGet(app.id);
    expect(latest.briefs?.[0]?.body).toEqual({ Project: { Title: 'fixed as AWS asked' } });
    expect(latest.transitions).toHaveLength(app.transitions.length);
  });
});

describe('the version guard on brief edits', () => {
  it("refuses an edit planned before AWS's approval of that record landed (same application status): the approval stays", async () => {
    const app = await stored('action_required', [actionRequired, actionRequired]);
    // The partner reads the application and edits the first brief (its record is in Action Required, so editable)...
    const edited = (app.briefs ?? []).map((b) => (b.programId === 'bedrock-poc' ? { ...b, body: { Project: { Title: 'late edit' } }, revision: 2 } : b));
    // ...while AWS's approval of that record is recorded; the second record keeps the application in action_required.
    const approval = planRecordTransition({ app, programId: 'bedrock-poc', to: 'approved', actor: partner, reason: 'AWS approved', now: new Date(), details: { award: { amountUsd: '10000.00', expiresOn: '2027-12-01' } } });
    const approved = await applyTransition(applications, app, approval, { briefs: approval.briefs });
    expect(approved.status).toBe('action_required');

    const err = await updateBriefs(applications, app, edited, new Date()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    const latest = await applications.mustGet(app.id);
    expect(recordOf(latest.briefs![0]!).status).toBe('approved');
    expect(latest.briefs?.[0]?.body).toEqual({ Project: { Title: 'brief 0' } });
  });
});

describe("AwaitReview's catch-up of a change that landed while it was starting", () => {
  const wait = (app: Application, kind: string) => awaitReview({ applicationId: app.id, taskToken: `token-${app.id}-${kind}`, kind }, context);

  it('partner review: the partner already decided, so the wait fails with ChangedWhileWaiting (its token kept)', async () => {
    const app = await stored('changes_requested');
    await expect(wait(app, 'partner-review')).rejects.toMatchObject({ name: 'ChangedWhileWaiting' });
    expect((await getTaskToken(applications, app.id, 'partner-review', new Date()))?.token).toBe(`token-${app.id}-partner-review`);
  });

  it("founder revision: the founder's revision already arrived", async () => {
    const app = await stored('submitted');
    await expect(wait(app, 'founder-revision')).rejects.toMatchObject({ name: 'ChangedWhileWaiting' });
  });

  it("AWS's decision: a record change not yet mailed landed before the wait; with nothing missed it waits", async () => {
    const filed: RecordState = { status: 'filed', opportunityId: 'O2222222' };
    const quiet = await stored('filed', [filed, filed]);
    await expect(wait(quiet, 'aws-decision')).resolves.toEqual({ applicationId: quiet.id, waiting: 'aws-decision' });

    const app = await stored('filed', [filed, filed]);
    const review = planRecordTransition({ app, programId: 'bedrock-poc', to: 'in_aws_review', actor: partner, reason: 'AWS is reviewing', now: new Date() });
    await applyTransition(applications, app, review, { briefs: review.briefs });
    await expect(wait(app, 'aws-decision')).rejects.toMatchObject({ name: 'ChangedWhileWaiting', message: expect.stringContaining('arrived before this wait') });
  });

  it('partner review while routed moves the application into review and waits', async () => {
    const app = await stored('routed');
    await expect(wait(app, 'partner-review')).resolves.toEqual({ applicationId: app.id, waiting: 'partner-review' });
    expect((await applications.mustGet(app.id)).status).toBe('in_partner_review');
  });

  it('a status change racing the move into review is not a failure of the wait: ChangedWhileWaiting', async () => {
    const app = await stored('in_partner_review');
    await applyTransition(applications, app, planTransition({ current: 'in_partner_review', version: app.version, to: 'approved_for_filing', actor: partner, reason: 'approved', now: new Date() }));
    await expect(wait(app, 'partner-review')).rejects.toMatchObject({ name: 'ChangedWhileWaiting' });
  });
});

describe('only a failed condition is a conflict (application repository)', () => {
  it('a write DynamoDB refuses for another reason fails as itself, so it is retried, never answered as a 409', async () => {
    const app = await stored('drafted');
    const plan = planTransition({ current: app.status, version: app.version, to: 'withdrawn', actor: { kind: 'founder', id: 'founder' }, reason: 'too big to store', now: new Date('2026-11-27T11:00:00Z') });
    // A head item over DynamoDB's 400 KB limit: refused with ValidationException, not ConditionalCheckFailed.
    const failure = { at: '2026-11-27T11:00:00Z', state: 'Test', error: 'Huge', cause: 'x'.repeat(420_000), failedFrom: 'drafted' as const };
    const refused = await applyTransition(applications, app, plan, { failure }).then(() => undefined, (error: unknown) => error);
    expect(refused).toBeInstanceOf(Error);
    expect(refused).not.toBeInstanceOf(ConflictError);
    expect((refused as Error).name).toBe('ValidationException');
    expect((await applications.mustGet(app.id)).status).toBe('drafted');
  });
});

/**
 * The same rule in the other writers of the application repository: only ConditionalCheckFailedException means
 * "another writer got there first" (a 409, `false`, or nothing to do). Any other refusal (here an item over DynamoDB's
 * 400 KB limit: ValidationException, or a table that is not there: ResourceNotFoundException, as with a wrong
 * TABLE_NAME) must fail as itself, so the caller fails and is retried or alarmed on, and nothing reads as done.
 */
describe('only a failed condition is a conflict (the other application writers)', () => {
  const huge = 'x'.repeat(420_000);
  const failure = (promise: Promise<unknown>) => promise.then((value) => ({ value }), (error: unknown) => error);

  it("a note DynamoDB refuses fails as itself, not as 'changed meanwhile': nothing is appended", async () => {
    const app = await stored('filed');
    const note = { at: '2026-11-27T11:00:00Z', actor: { kind: 'ops', id: 'ops' } as const, from: app.status, to: app.status, reason: huge, version: app.version + 1 };
    const refused = await failure(appendNote(applications, app, note));
    expect(refused).not.toBeInstanceOf(ConflictError);
    expect((refused as Error).name).toBe('ValidationException');
    const latest = await applications.mustGet(app.id);
    expect(latest.version).toBe(app.version);
    expect(latest.transitions).toEqual(app.transitions);
  });

  it("a brief edit DynamoDB refuses fails as itself, not as 'changed while the brief was being saved'", async () => {
    const app = await stored('action_required', [actionRequired]);
    // The brief's head (its problems stay on the application item) pushes the item past 400 KB.
    const edited = (app.briefs ?? []).map((b) => ({ ...b, body: { Project: { Title: 'edited' } }, problems: [{ field: 'Project.Title', rule: huge }], revision: 2 }));
    const refused = await failure(updateBriefs(applications, app, edited, new Date('2026-11-27T11:00:00Z')));
    expect(refused).not.toBeInstanceOf(ConflictError);
    expect((refused as Error).name).toBe('ValidationException');
    const latest = await applications.mustGet(app.id);
    expect(latest.version).toBe(app.version);
    expect(latest.briefs).toEqual(app.briefs);
  });

  it("a new application DynamoDB refuses fails as itself, never as 'already stored' (an idempotent replay of nothing)", async () => {
    counter += 1;
    const base = newApplication({ id: `app_guard${counter}`, worksheet: exampleWorksheet(), tokenHash: newFounderToken().hash, now: new Date('2026-11-27T10:00:00Z') });
    const app: Application = { ...base, transitions: base.transitions.map((t) => ({ ...t, reason: huge })) };
    const refused = await failure(createApplication(applications, app));
    expect((refused as Error).name).toBe('ValidationException');
    expect(await applications.get(app.id)).toBeUndefined();
  });

  it("a founder token DynamoDB refuses fails as itself, not as the 409 'already answered 10 times'", async () => {
    const app = await stored('submitted');
    const refused = await failure(addFounderTokenHash(applications, app.id, huge));
    expect(refused).not.toBeInstanceOf(ConflictError);
    expect((refused as Error).name).toBe('ValidationException');
    expect((await applications.mustGet(app.id)).founderTokenHashes).toEqual(app.founderTokenHashes);
  });

  it("a migration's rewrite DynamoDB refuses fails as itself, not as 'migrated meanwhile by another run'", async () => {
    counter += 1;
    const base = newApplication({ id: `app_guard${counter}`, worksheet: exampleWorksheet(), tokenHash: newFounderToken().hash, now: new Date('2026-11-27T10:00:00Z') });
    const app: Application = { ...base, transitions: base.transitions.map((t) => ({ ...t, reason: huge })) };
    const refused = await failure(replaceLegacy(applications, app));
    expect((refused as Error).name).toBe('ValidationException');
  });

  describe('a table that is not there (a wrong TABLE_NAME) fails each conditional write as itself', () => {
    const missing = { tableName: 'no-such-table' };
    const id = 'app_nowhere';
    const now = new Date('2026-11-27T10:00:00Z');
    const notFound = { name: 'ResourceNotFoundException' };

    it("storing a confirmation secret: not 'the application no longer waits' (no mail would go out, and no error)", async () => {
      await expect(storeConfirmationSecret(missing, id, { hash: 'h', number: 1, now, expiresAt: new Date('2026-11-28T10:00:00Z') })).rejects.toMatchObject(notFound);
    });

    it('recording a confirmation mail as sent: not silently dropped', async () => {
      await expect(markConfirmationSent(missing, id, 1)).rejects.toMatchObject(notFound);
    });

    it("confirming the address: not 'this link is not the live one' (the founder would be told to ask again)", async () => {
      await expect(confirmAddress(missing, id, 'h', now)).rejects.toMatchObject(notFound);
    });

    it("asking for another confirmation mail: not 'raced or no longer waiting'", async () => {
      await expect(requestConfirmationMail(missing, id, 1)).rejects.toMatchObject(notFound);
    });

    it('moving the expiry sweep forward: not silently dropped', async () => {
      const app = newApplication({ id, worksheet: exampleWorksheet(), tokenHash: newFounderToken().hash, now });
      await expect(refreshExpiryDue(missing, app)).rejects.toMatchObject(notFound);
    });

    it('giving back a notice claim: not silently dropped (the next send would wait for the lease)', async () => {
      await expect(releaseNotice(missing, id, 'k:v1')).rejects.toMatchObject(notFound);
    });
  });
});

/**
 * Writers whose fallback on a failed condition would hide any other failure: a throttled request (injected, dynalite
 * never throttles) must fail as itself, so the caller is retried, and leave nothing half done. The one write that never
 * fails its caller, marking a superseded document for expiry, warns instead (a failed condition there is expected).
 */
describe('a throttled write is not a failed condition (expiry reminders, notice claims, superseded documents)', () => {
  const approved: RecordState = { status: 'approved', opportunityId: 'O3333333', award: { amountUsd: '10000.00', expiresOn: '2027-01-15' } };
  const remindersOf = async (id: string) => recordOf((await applications.mustGet(id)).briefs![0]!).remindersSent;

  it('recording a reminder: a throttled write fails, instead of recording it without moving the expiry sweep; the retry records it', async () => {
    const app = await stored('approved', [approved]);
    const restore = failBefore(documentClient, 'UpdateItemCommand', throttled);
    const refused = await recordReminderSent(applications, app, 'bedrock-poc', [60]).then(() => undefined, (error: unknown) => error).finally(restore);
    expect(refused).toMatchObject({ name: 'ProvisionedThroughputExceededException' });
    expect(await remindersOf(app.id)).toBeUndefined();
    const retried = await recordReminderSent(applications, app, 'bedrock-poc', [60]);
    expect(recordOf(retried.briefs![0]!).remindersSent).toEqual([60]);
    expect(await remindersOf(app.id)).toEqual([60]);
  });

  it('recording a reminder after a concurrent change: a throttled fallback write fails, never answers "recorded" with nothing stored', async () => {
    const read = await stored('approved', [approved]);
    // Another writer moves the version on after this read: the guarded write fails its condition, the fallback runs.
    await appendNote(applications, read, { at: '2026-11-27T11:00:00Z', actor: { kind: 'ops', id: 'ops' }, from: read.status, to: read.status, reason: 'nudged', version: read.version + 1 });
    const restore = failBefore(documentClient, 'UpdateItemCommand', throttled, { skip: 1 });
    const refused = await recordReminderSent(applications, read, 'bedrock-poc', [60]).then(() => undefined, (error: unknown) => error).finally(restore);
    expect(refused).toMatchObject({ name: 'ProvisionedThroughputExceededException' });
    expect(await remindersOf(read.id)).toBeUndefined();
  });

  it('claiming a notice: a throttled claim fails (the sender retries), not read back as claimed, busy or sent; it holds nothing', async () => {
    const app = await stored('approved', [approved]);
    const now = new Date('2026-11-27T12:00:00Z');
    const restore = failBefore(documentClient, 'PutItemCommand', throttled);
    const refused = await claimNotice(applications, app.id, 'expiry:bedrock-poc:60', now).then((answer) => answer, (error: unknown) => error).finally(restore);
    expect(refused).toMatchObject({ name: 'ProvisionedThroughputExceededException' });
    expect(await claimNotice(applications, app.id, 'expiry:bedrock-poc:60', now)).toEqual({ state: 'claimed', leaseUntil: expect.any(Number) });
  });
  it('a superseded document left unmarked by a throttled write: the edit stands, and the operator is warned (it stays stored)', async () => {
    const app = await stored('action_required', [actionRequired]);
    const edited = (app.briefs ?? []).map((b) => ({ ...b, body: { Project: { Title: 'fixed as AWS asked' } }, revision: 2 }));
    const warn = vi.spyOn(logger, 'warn');
    // The edit's own write goes through; the one marking the replaced body for expiry is throttled.
    const restore = failBefore(documentClient, 'UpdateItemCommand', throttled, { skip: 1 });
    try {
      const after = await updateBriefs(applications, app, edited, new Date('2026-11-27T11:00:00Z'));
      expect(after).toEqual(await applications.mustGet(app.id));
      expect(after.briefs?.[0]?.body).toEqual({ Project: { Title: 'fixed as AWS asked' } });
      expect(warn).toHaveBeenCalledWith('Superseded document not marked for expiry; it stays until marked again', expect.objectContaining({ applicationId: app.id }));
    } finally {
      restore();
      warn.mockRestore();
    }
  });
});

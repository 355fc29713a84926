/**
 * Issue 8: the founder confirms the address before anyone else is involved, and no application is lost between
 * intake's two writes. The synthesized definition in the local runtime, the real handlers, the API over HTTP; the
 * confirmation secret is read from the mail in the SES stand-in's inbox, as a founder would.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { STATES } from '../../lib/workflow/definition.ts';
import { systemClock } from '../../functions/adapters/clock.ts';
import { LimitRepository } from '../../functions/adapters/dynamo/limits.ts';
import type * as SubmitWorksheet from '../../functions/usecases/submit-worksheet.ts';
import type { Worksheet } from '../../schemas/worksheet.ts';
import { exampleWorksheet } from '../support/fixtures.ts';
import {
  HOUR, boot, confirmationSecret, executionArnOf, finished, history, mailsTo, partnerDecides, postConfirmation, statesEntered,
  stopRunning, submitOnly, until, waitingIn, type Harness,
} from './harness.ts';
import { listPartners } from '../../functions/adapters/dynamo/partners.ts';

let h: Harness;
beforeAll(async () => {
  h = await boot();
}, 180_000);
afterAll(async () => {
  await h?.stop();
});
afterEach(async () => {
  await stopRunning(h);
});

const KIND = 'address-confirmation';
/** The states one sizing passes through: read, estimate, store, then on to drafting. */
const SIZING = [STATES.sizeAsk, STATES.needsEstimate, STATES.estimateAsk, STATES.recordEstimate, STATES.needsEstimate];
const uniqueAddress = (w: Worksheet): void => {
  w.contact.email = `founder-${randomUUID().slice(0, 8)}@example.com`;
};

async function totalPartnerLoad(): Promise<number> {
  return (await listPartners(h.partners)).reduce((sum, p) => sum + p.load, 0);
}

async function mailsAbout(id: string): Promise<{ to: string[]; subject: string }[]> {
  return (await h.rt.mails()).filter((m) => `${m.subject} ${m.body.text ?? ''}`.includes(id)).map((m) => ({ to: m.destination.to, subject: m.subject }));
}

function resend(id: string, founderToken: string): Promise<Response> {
  return fetch(`${h.rt.urls.api}/applications/${id}/confirm-email/resend`, { method: 'POST', headers: { authorization: `Bearer ${founderToken}` } });
}

describe('issue-8: address confirmation before routing', () => {
  it('confirm: sized and drafted at once, nothing booked or mailed to a partner until the founder confirms through the mailed link; then routed', async () => {
    const loadBefore = await totalPartnerLoad();
    const { id, founderToken } = await submitOnly(h, uniqueAddress);
    const waiting = await waitingIn(h, id, STATES.awaitAddressConfirmation, KIND);
    expect(waiting.status).toBe('drafted');
    expect(waiting.partner).toBeUndefined();
    expect(await totalPartnerLoad()).toBe(loadBefore);

    // The founder sees the estimate at once, and that the address awaits confirmation.
    const view = await (await fetch(`${h.rt.urls.api}/applications/${id}`, { headers: { authorization: `Bearer ${founderToken}` } })).json() as { estimate: unknown; addressConfirmation: { linkExpiresAt: string } };
    expect(view.estimate).not.toBeNull();
    expect(view.addressConfirmation).toMatchObject({ confirmed: false, mailsSent: 1 });
    expect(Date.parse(view.addressConfirmation.linkExpiresAt) - Date.now()).toBeGreaterThan(71 * HOUR);

    // The only mail is the founder's confirmation; the secret is in it, only its hash in the database.
    const secret = await confirmationSecret(h, id);
    expect((await mailsAbout(id)).map((m) => m.to)).toEqual([[waiting.worksheet.contact.email]]);
    const stored = JSON.stringify(await h.apps.mustGet(id));
    expect(stored).not.toContain(secret);
    expect(stored).toContain('secretHash');
    expect(JSON.stringify(await history(h, id))).not.toContain(secret);

    // The page the mail links to changes nothing and carries no secret (it stays in the fragment).
    const page = await fetch(`${h.rt.urls.api}/applications/${id}/confirm-email`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'sha256-/);
    expect(await page.text()).toContain('Confirm my address');
    expect((await h.apps.mustGet(id)).addressConfirmation?.confirmedAt).toBeUndefined();

    // A wrong secret and a malformed one change nothing.
    expect((await postConfirmation(h, id, `acs_${'A'.repeat(43)}`)).status).toBe(404);
    expect((await postConfirmation(h, id, 'not-a-secret')).status).toBe(400);
    expect(await totalPartnerLoad()).toBe(loadBefore);

    const confirmed = await postConfirmation(h, id, secret);
    expect(confirmed.status).toBe(200);
    expect(await confirmed.json()).toMatchObject({ applicationId: id, addressConfirmed: true, replayed: false });
    const routed = await waitingIn(h, id, STATES.awaitPartnerReview, 'partner-review');
    expect(routed.partner).toBeDefined();
    expect(await totalPartnerLoad()).toBe(loadBefore + 1);
    const entered = await statesEntered(h, id);
    expect(entered.slice(0, 11)).toEqual([STATES.start, ...SIZING, STATES.draftBriefs, STATES.addressConfirmed, STATES.sendAddressConfirmation, STATES.awaitAddressConfirmation, STATES.addressConfirmationOutcome]);
    expect(entered[11]).toBe(STATES.routePartner);
    // Single use: the hash is gone; a repeated click converges on the same answer (and changes nothing).
    expect((await h.apps.mustGet(id)).addressConfirmation?.secretHash).toBeUndefined();
    const again = await postConfirmation(h, id, secret);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ replayed: true });
    expect(await totalPartnerLoad()).toBe(loadBefore + 1);
  });

  it('expire-unconfirmed: after the documented 72 hours the application is closed by the system, nothing booked, nobody but the founder ever mailed', async () => {
    const loadBefore = await totalPartnerLoad();
    const { id } = await submitOnly(h, uniqueAddress);
    await waitingIn(h, id, STATES.awaitAddressConfirmation, KIND);
    const secret = await confirmationSecret(h, id);

    h.rt.clock.advance(71 * HOUR);
    // Not yet: still waiting an hour before the link expires.
    expect(h.rt.sfn.pendingTasks().some((t) => t.executionArn === executionArnOf(h, id) && t.stateName === STATES.awaitAddressConfirmation)).toBe(true);
    h.rt.clock.advance(2 * HOUR);
    expect(await finished(h, id)).toMatchObject({ status: 'SUCCEEDED' });
    expect((await statesEntered(h, id)).slice(-3)).toEqual([STATES.expireUnconfirmed, STATES.unconfirmedExpiryOutcome, STATES.unconfirmedExpired]);
    const closed = await h.apps.mustGet(id);
    expect(closed.status).toBe('withdrawn');
    expect(closed.transitions.at(-1)).toMatchObject({ from: 'drafted', to: 'withdrawn', actor: { kind: 'system', id: 'ExpireUnconfirmed' } });
    expect(closed.partner).toBeUndefined();
    expect(await totalPartnerLoad()).toBe(loadBefore);
    expect((await mailsAbout(id)).map((m) => m.to)).toEqual([[closed.worksheet.contact.email]]);
    // The link is dead.
    expect((await postConfirmation(h, id, secret)).status).toBe(404);
  });

  it('withdrawn by the token holder before the address is confirmed: closed as quietly as an expiry, nobody but the address ever mailed', async () => {
    // Whoever submits holds the founder token, whatever address the worksheet names: before, each submit-and-withdraw
    // also mailed operations twice (the withdrawal's partner notice falls back to operations when no partner is set).
    const { id, founderToken } = await submitOnly(h, uniqueAddress);
    await waitingIn(h, id, STATES.awaitAddressConfirmation, KIND);
    const res = await fetch(`${h.rt.urls.api}/applications/${id}/withdraw`, { method: 'POST', headers: { authorization: `Bearer ${founderToken}` } });
    expect(res.status).toBe(200);
    await finished(h, id);
    const closed = await h.apps.mustGet(id);
    expect(closed.status).toBe('withdrawn');
    expect(closed.transitions.at(-1)).toMatchObject({ from: 'drafted', to: 'withdrawn', actor: { kind: 'founder' } });
    // The workflow ran its NotifyChange for the withdrawal, which mailed nobody.
    expect(await statesEntered(h, id)).toContain(STATES.notifyChange);
    expect((await mailsAbout(id)).map((m) => m.to)).toEqual([[closed.worksheet.contact.email]]);
  });

  it('resend: a new single-use secret replaces the old one; capped per application (409) and rate limited per address (429, Retry-After)', async () => {
    const email = `founder-${randomUUID().slice(0, 8)}@example.com`;
    const first = await submitOnly(h, (w) => { w.contact.email = email; });
    await waitingIn(h, first.id, STATES.awaitAddressConfirmation, KIND);
    const oldSecret = await confirmationSecret(h, first.id);

    // Without the founder token: no.
    expect((await fetch(`${h.rt.urls.api}/applications/${first.id}/confirm-email/resend`, { method: 'POST' })).status).toBe(401);
    const res = await resend(first.id, first.founderToken);
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ confirmationMails: 2 });
    const newSecret = await confirmationSecret(h, first.id, 1);
    expect(newSecret).not.toBe(oldSecret);
    await waitingIn(h, first.id, STATES.awaitAddressConfirmation, KIND);
    expect((await postConfirmation(h, first.id, oldSecret)).status).toBe(404);

    // Two more resends reach the cap of 3 per application; the next is refused and changes nothing.
    for (let n = 3; n <= 4; n += 1) {
      expect((await resend(first.id, first.founderToken)).status).toBe(202);
      await confirmationSecret(h, first.id, n - 1);
      await waitingIn(h, first.id, STATES.awaitAddressConfirmation, KIND);
    }
    const capped = await resend(first.id, first.founderToken);
    expect(capped.status).toBe(409);
    expect((await capped.json() as { message: string }).message).toMatch(/at most 3/);

    // A second application of the same address: the address has had 3 resends today, the limit is 5 a day.
    const second = await submitOnly(h, (w) => { w.contact.email = email; });
    await waitingIn(h, second.id, STATES.awaitAddressConfirmation, KIND);
    expect((await resend(second.id, second.founderToken)).status).toBe(202);
    await confirmationSecret(h, second.id, 1);
    await waitingIn(h, second.id, STATES.awaitAddressConfirmation, KIND);
    expect((await resend(second.id, second.founderToken)).status).toBe(202);
    await confirmationSecret(h, second.id, 2);
    await waitingIn(h, second.id, STATES.awaitAddressConfirmation, KIND);
    const limited = await resend(second.id, second.founderToken);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(86_400);
    expect((await h.apps.mustGet(second.id)).addressConfirmation).toMatchObject({ requested: 3, sent: 3 });

    // The newest secret of the first application still confirms it, and it is routed.
    const latest = await confirmationSecret(h, first.id, 3);
    expect((await postConfirmation(h, first.id, latest)).status).toBe(200);
    await waitingIn(h, first.id, STATES.awaitPartnerReview, 'partner-review');
  });
});

describe('issue-8: a revision that changes the contact address is confirmed again before it reaches the partner', () => {
  /** Submitted, confirmed, routed, changes requested: the founder is asked for a revision. */
  async function atRevision(): Promise<{ id: string; founderToken: string; partnerId: string; partnerEmail: string }> {
    const { id, founderToken } = await submitOnly(h, uniqueAddress);
    await waitingIn(h, id, STATES.awaitAddressConfirmation, KIND);
    expect((await postConfirmation(h, id, await confirmationSecret(h, id))).status).toBe(200);
    await waitingIn(h, id, STATES.awaitPartnerReview, 'partner-review');
    await partnerDecides(h, id, 'changes_requested');
    const app = await waitingIn(h, id, STATES.awaitFounderRevision, 'founder-revision');
    const partnerId = app.partner!.partnerId;
    const partnerEmail = (await h.partners.get(partnerId))!.contactEmail;
    return { id, founderToken, partnerId, partnerEmail };
  }

  async function revise(id: string, founderToken: string, email: string, edit: (w: Worksheet) => void = () => undefined): Promise<Response> {
    const worksheet = structuredClone((await h.apps.mustGet(id)).worksheet);
    worksheet.contact.email = email;
    edit(worksheet);
    worksheet.workload.requestsPerDay += 100;
    return fetch(`${h.rt.urls.api}/applications/${id}/revisions`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${founderToken}` }, body: JSON.stringify(worksheet),
    });
  }

  const loadOf = async (partnerId: string): Promise<number> => (await listPartners(h.partners)).find((p) => p.id === partnerId)!.load;
  const about = (id: string) => (m: { subject: string; body: { text?: string } }) => `${m.subject} ${m.body.text ?? ''}`.includes(id);

  it('re-sized and re-drafted, then it waits on the new address (the partner sees and hears nothing); confirmed, it goes back to the same partner', async () => {
    const { id, founderToken, partnerId, partnerEmail } = await atRevision();
    const load = await loadOf(partnerId);
    const partnerMailsBefore = (await mailsTo(h, partnerEmail)).filter(about(id)).length;
    const newAddress = `revised-${randomUUID().slice(0, 8)}@example.com`;

    const res = await revise(id, founderToken, newAddress);
    expect(res.status).toBe(200);
    const waiting = await waitingIn(h, id, STATES.awaitAddressConfirmation, KIND);
    expect(waiting.status).toBe('drafted');
    expect(waiting.addressConfirmation).toMatchObject({ requested: 2, sent: 2, firstMail: 2 });
    expect(waiting.addressConfirmation?.confirmedAt).toBeUndefined();
    expect(waiting.partner?.partnerId).toBe(partnerId);
    expect(await loadOf(partnerId)).toBe(load);
    // The second round went SizeAsk (… RecordEstimate) → DraftBriefs → AddressConfirmed? → SendAddressConfirmation, not RoutePartner.
    const entered = await statesEntered(h, id);
    const round2 = entered.slice(entered.lastIndexOf(STATES.sizeAsk));
    expect(round2).toEqual([...SIZING, STATES.draftBriefs, STATES.addressConfirmed, STATES.sendAddressConfirmation, STATES.awaitAddressConfirmation]);

    // The confirmation goes to the NEW address, says it is a revision; the partner got nothing, and cannot open it.
    const mail = await until(h, async () => (await mailsTo(h, newAddress)).find((m) => m.subject.startsWith('Confirm your address')), 'the new address\'s confirmation mail');
    expect(mail.body.text).toContain('revised the Bedrock credit worksheet');
    const secret = await confirmationSecret(h, id, 1);
    expect((await mailsTo(h, partnerEmail)).filter(about(id))).toHaveLength(partnerMailsBefore);
    const partnerToken = await h.rt.mintToken({ groups: ['partner'], partnerId });
    const seen = await fetch(`${h.rt.urls.api}/partner/applications/${id}`, { headers: { authorization: `Bearer ${partnerToken}` } });
    expect(seen.status).toBe(409);
    expect((await seen.json() as { message: string }).message).toMatch(/back with the founder: the revised worksheet changes the contact address/);
    // The founder's view says the new address awaits confirmation.
    const view = await (await fetch(`${h.rt.urls.api}/applications/${id}`, { headers: { authorization: `Bearer ${founderToken}` } })).json() as { addressConfirmation: { confirmed: boolean } };
    expect(view.addressConfirmation.confirmed).toBe(false);

    expect((await postConfirmation(h, id, secret)).status).toBe(200);
    const back = await waitingIn(h, id, STATES.awaitPartnerReview, 'partner-review');
    expect(back.partner?.partnerId).toBe(partnerId);
    expect(back.worksheet.contact.email).toBe(newAddress);
    expect(back.transitions.findLast((t) => t.to === 'routed')?.reason).toMatch(/back to .* with the revised worksheet/);
    expect(await loadOf(partnerId)).toBe(load);
    const assignment = await until(h, async () => (await mailsTo(h, partnerEmail)).filter(about(id)).slice(partnerMailsBefore).find((m) => /revised worksheet/.test(m.body.text ?? '')), 'the partner\'s mail about the revision');
    expect(assignment.body.text).toContain('contact.email');
    expect((await fetch(`${h.rt.urls.api}/partner/applications/${id}`, { headers: { authorization: `Bearer ${partnerToken}` } })).status).toBe(200);
  });

  it('a revision keeping the address (in other case) goes straight back to the partner, no new mail', async () => {
    const { id, founderToken } = await atRevision();
    const email = (await h.apps.mustGet(id)).worksheet.contact.email;
    expect((await revise(id, founderToken, email.toUpperCase())).status).toBe(200);
    await waitingIn(h, id, STATES.awaitPartnerReview, 'partner-review');
    const entered = await statesEntered(h, id);
    expect(entered.slice(entered.lastIndexOf(STATES.sizeAsk), entered.lastIndexOf(STATES.sizeAsk) + 8)).toEqual([...SIZING, STATES.draftBriefs, STATES.addressConfirmed, STATES.routePartner]);
    expect((await h.apps.mustGet(id)).addressConfirmation).toMatchObject({ requested: 1, sent: 1 });
  });

  it('a revision changing only the AWS account is confirmed again from the same address, then goes back to the same partner', async () => {
    const { id, founderToken, partnerId } = await atRevision();
    const email = (await h.apps.mustGet(id)).worksheet.contact.email;
    const account = String(100_000_000_000 + Math.floor(Math.random() * 899_999_999_999));
    expect((await revise(id, founderToken, email, (w) => { w.aws.accountId = account; })).status).toBe(200);
    const waiting = await waitingIn(h, id, STATES.awaitAddressConfirmation, KIND);
    expect(waiting.addressConfirmation).toMatchObject({ requested: 2, firstMail: 2 });
    expect(waiting.transitions.findLast((t) => t.to === 'submitted')?.reason).toContain('the new AWS account is confirmed from the contact address');
    const mails = await until(h, async () => {
      const found = (await mailsTo(h, email)).filter((m) => m.subject.startsWith('Confirm your address'));
      return found.length === 2 ? found : undefined;
    }, 'the second confirmation mail to the same address');
    expect(mails[1]!.body.text).toContain('revised the Bedrock credit worksheet');
    expect((await postConfirmation(h, id, await confirmationSecret(h, id, 1))).status).toBe(200);
    const back = await waitingIn(h, id, STATES.awaitPartnerReview, 'partner-review');
    expect(back.partner?.partnerId).toBe(partnerId);
    expect(back.worksheet.aws.accountId).toBe(account);
  });

  it('never confirmed: closed after the window, the partner\'s slot given back and the partner told; the revision never reached them', async () => {
    const { id, founderToken, partnerId, partnerEmail } = await atRevision();
    const load = await loadOf(partnerId);
    const newAddress = `revised-${randomUUID().slice(0, 8)}@example.com`;
    expect((await revise(id, founderToken, newAddress)).status).toBe(200);
    await waitingIn(h, id, STATES.awaitAddressConfirmation, KIND);
    await confirmationSecret(h, id, 1);

    h.rt.clock.advance(73 * HOUR);
    expect(await finished(h, id)).toMatchObject({ status: 'SUCCEEDED' });
    const entered = await statesEntered(h, id);
    expect(entered.slice(entered.indexOf(STATES.expireUnconfirmed))).toEqual([
      STATES.expireUnconfirmed, STATES.unconfirmedExpiryOutcome, STATES.checkStanding, STATES.whereNext, STATES.notifyChange, STATES.checkStanding, STATES.whereNext, STATES.noFurtherAction,
    ]);
    const closed = await h.apps.mustGet(id);
    expect(closed.status).toBe('withdrawn');
    expect(closed.transitions.at(-1)?.reason).toMatch(/the founder's revision \(a new contact address or AWS account\) was not confirmed from the contact address within 72 hours/);
    expect(await loadOf(partnerId)).toBe(load - 1);
    const told = await until(h, async () => (await mailsTo(h, partnerEmail)).filter(about(id)).find((m) => /never confirmed/.test(m.body.text ?? '')), 'the partner\'s closing mail');
    expect(told.body.text).toContain('without the revision reaching you');
    expect(told.body.text).not.toContain(newAddress);
    // Nothing but the confirmation ever went to the unconfirmed address.
    expect((await mailsTo(h, newAddress)).map((m) => m.subject.split(' ').slice(0, 3).join(' '))).toEqual(['Confirm your address']);
  });
});

describe('issue-8: intake never loses an application between storing it and starting its workflow', () => {
  async function crashedIntake(key: string, worksheet: Worksheet): Promise<string> {
    const { submitWorksheet } = await import('../../functions/usecases/submit-worksheet.ts') as typeof SubmitWorksheet;
    const deps: SubmitWorksheet.IntakeDeps = {
      applications: h.apps,
      limits: new LimitRepository(h.rt.tableName),
      settings: { maxOpenPerAddress: 1000, maxOpenPerAccount: 1000, worksheetsPerSourcePerDay: 1000 },
      clock: systemClock,
      startWorkflow: async () => {
        throw Object.assign(new Error('the process died before StartExecution'), { name: 'Crash' });
      },
    };
    await expect(submitWorksheet(deps, worksheet, key)).rejects.toThrow(/died/);
    const stored = await until(h, async () => (await Promise.all((await (await import('../../functions/adapters/dynamo/applications-lists.ts')).listByStatus(h.apps, 'submitted', { limit: 100, newestFirst: true })).items.map((row) => h.apps.mustGet(row.id)))).find((a) => a.worksheet.contact.email === worksheet.contact.email), 'the stored application');
    expect(stored.executionArn).toBeUndefined();
    return stored.id;
  }

  it('a retry of the same request starts the stored application; no duplicate', async () => {
    const worksheet = exampleWorksheet();
    uniqueAddress(worksheet);
    const key = `k-${randomUUID()}`;
    const id = await crashedIntake(key, worksheet);

    const retry = await fetch(`${h.rt.urls.api}/worksheets`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(worksheet),
    });
    expect(retry.status).toBe(202);
    expect(await retry.json()).toMatchObject({ applicationId: id, replayed: true });
    await waitingIn(h, id, STATES.awaitAddressConfirmation, KIND);
    expect((await h.apps.mustGet(id)).executionArn).toBe(executionArnOf(h, id));
    const mine = (await Promise.all((await (await import('../../functions/adapters/dynamo/applications-lists.ts')).listByStatus(h.apps, 'drafted', { limit: 100 })).items.map((row) => h.apps.mustGet(row.id)))).filter((a) => a.worksheet.contact.email === worksheet.contact.email);
    expect(mine.map((a) => a.id)).toEqual([id]);
  });

  it('without a retry, the start sweep (the template\'s schedule) starts it once it is a minute old; a second sweep changes nothing', async () => {
    const worksheet = exampleWorksheet();
    uniqueAddress(worksheet);
    const id = await crashedIntake(`k-${randomUUID()}`, worksheet);
    const sweep = h.rt.schedules.specs.find((s) => s.logicalId.startsWith('WorkflowStartPendingSchedule'));
    expect(sweep?.expression).toBe('rate(5 minutes)');

    // Too fresh: its intake might still be running.
    await h.rt.schedules.runNow(sweep!.logicalId);
    expect((await h.apps.mustGet(id)).executionArn).toBeUndefined();

    h.rt.clock.advance(2 * 60_000);
    await h.rt.schedules.settled();
    await h.rt.schedules.runNow(sweep!.logicalId);
    await waitingIn(h, id, STATES.awaitAddressConfirmation, KIND);
    expect((await h.apps.mustGet(id)).executionArn).toBe(executionArnOf(h, id));
    await h.rt.schedules.runNow(sweep!.logicalId);
    expect(h.rt.schedules.runs.filter((r) => r.schedule === sweep!.logicalId).every((r) => r.ok)).toBe(true);
    expect((await statesEntered(h, id)).filter((s) => s === STATES.sizeAsk)).toHaveLength(1);
  });
});

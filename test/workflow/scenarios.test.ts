/**
 * Workflow scenarios on the synthesized definition (issue 4): the local runtime runs the deployed definition with
 * the real handlers; people act through DynamoDB + callbacks exactly as the API does (harness.ts). No fixed sleeps:
 * every wait polls with a bound, time passes by moving the clock.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ListExecutionsCommand, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { STATES } from '../../lib/workflow/definition.ts';
import { transitionMarker } from '../../functions/usecases/notifier.ts';
import type { Mail } from '../../functions/core/notifications.ts';
import type * as MailerModule from '../../functions/adapters/mailer.ts';
import { planWithdraw } from '../../functions/core/application/founder-steps.ts';
import { planTransition } from '../../functions/core/application/lifecycle.ts';
import type { Actor, Application } from '../../schemas/application.ts';
import { stuckItem, thresholdFor } from '../../functions/core/operations/stuck.ts';
import { STUCK_LIMITS } from '../../functions/core/operations/stuck-limits.ts';
import {
  DAY, HOUR, boot, callback, executionArnOf, finished, founderRevises, history, isoDay, mailsTo, partnerDecides, programsOf,
  recordChanges, statesEntered, stopRunning, submit, submitOnly, until, waitingIn, type Harness,
} from './harness.ts';
import { checkStoredItems } from '../support/stored-items.ts';
import { getTaskToken } from '../../functions/adapters/dynamo/applications-tasks.ts';
import { applyTransition } from '../../functions/adapters/dynamo/applications.ts';

// SES failures are injected at the mail adapter (the one seam every notice goes through); everything else is real.
const mailFaults = vi.hoisted(() => ({ transientLeft: new Map<string, number>(), permanent: new Set<string>() }));
vi.mock('../../functions/adapters/mailer.ts', async (importOriginal) => {
  const real = await importOriginal<typeof MailerModule>();
  return {
    ...real,
    sendMail: async (mail: Mail, opts: { from: string; configurationSet: string }) => {
      for (const to of mail.to) {
        if (mailFaults.permanent.has(to)) throw Object.assign(new Error(`Address rejected: ${to}`), { name: 'MessageRejected' });
        const left = mailFaults.transientLeft.get(to) ?? 0;
        if (left > 0) {
          mailFaults.transientLeft.set(to, left - 1);
          // What the SES client raises when the sending rate is exceeded (after the SDK's own retries).
          throw Object.assign(new Error(`Maximum sending rate exceeded (${left} more)`), { name: 'Throttling', $metadata: { httpStatusCode: 400 } });
        }
      }
      return real.sendMail(mail, opts);
    },
  };
});

const FOUNDER = 'maya@ledgerly.ai';
const OPS = 'ops@example.com';

let h: Harness;
beforeAll(async () => {
  h = await boot();
}, 180_000); // a first boot synthesizes the template (seconds to a minute on a loaded machine)
afterAll(async () => {
  await h?.stop();
});
afterEach(async () => {
  await stopRunning(h);
});

async function partnerEmail(id: string): Promise<string> {
  const app = await h.apps.mustGet(id);
  return (await h.partners.get(app.partner!.partnerId))!.contactEmail;
}

/** Every transition of the application has been through the notifier (claimed once, by version). */
async function everyTransitionNotified(id: string): Promise<void> {
  const app = await h.apps.mustGet(id);
  for (const t of app.transitions) expect(app.notified, `transition v${t.version} ${t.from} → ${t.to}`).toContain(transitionMarker(t.version));
}

/** Submit, get routed, and have the partner approve: the workflow then waits on AWS's decision. */
async function approvedApplication(edit?: Parameters<typeof submit>[1]): Promise<string> {
  const id = await submit(h, edit);
  await waitingIn(h, id, STATES.awaitPartnerReview, 'partner-review');
  await partnerDecides(h, id, 'approved');
  await waitingIn(h, id, STATES.awaitAwsDecision, 'aws-decision');
  return id;
}

/** Submitted, routed, and the partner asked for changes: the workflow waits on the founder's revision. */
async function waitingOnFounderRevision(): Promise<{ id: string; routed: Application; partnerId: string; loadBefore: number }> {
  const id = await submit(h);
  const routed = await waitingIn(h, id, STATES.awaitPartnerReview, 'partner-review');
  const partnerId = routed.partner!.partnerId;
  const loadBefore = (await h.partners.get(partnerId))!.load;
  await partnerDecides(h, id, 'changes_requested');
  await waitingIn(h, id, STATES.awaitFounderRevision, 'founder-revision');
  return { id, routed, partnerId, loadBefore };
}

describe('issue-4 workflow scenarios (synthesized definition, local runtime)', () => {
  it('happy path: two stacked records filed, approved and credited → CreditsApplied, every transition mailed once', async () => {
    const id = await approvedApplication();
    const app = await h.apps.mustGet(id);
    const [a, b] = programsOf(app) as [string, string];
    expect(programsOf(app)).toHaveLength(2);

    await recordChanges(h, id, a, 'filed', { opportunityId: 'O1234567', filedAt: new Date().toISOString(), filedVia: 'manual' });
    await waitingIn(h, id, STATES.awaitAwsDecision, 'aws-decision');
    await recordChanges(h, id, b, 'filed', { opportunityId: 'O7654321', filedAt: new Date().toISOString(), filedVia: 'manual' });
    await waitingIn(h, id, STATES.awaitAwsDecision, 'aws-decision');
    await recordChanges(h, id, a, 'in_aws_review');
    await waitingIn(h, id, STATES.awaitAwsDecision, 'aws-decision');
    const expiresOn = isoDay(Date.now() + 365 * DAY);
    await recordChanges(h, id, a, 'approved', { award: { amountUsd: '10000.00', expiresOn } });
    await waitingIn(h, id, STATES.awaitAwsDecision, 'aws-decision'); // b still undecided
    await recordChanges(h, id, b, 'approved', { award: { amountUsd: '130000.00', expiresOn } });
    await waitingIn(h, id, STATES.awaitCredits, 'credits');
    await recordChanges(h, id, a, 'credits_applied', { credits: { amountUsd: '10000.00', appliedOn: isoDay(Date.now()), expiresOn } });
    await waitingIn(h, id, STATES.awaitCredits, 'credits');
    await recordChanges(h, id, b, 'credits_applied', { credits: { amountUsd: '130000.00', appliedOn: isoDay(Date.now()), expiresOn } });

    expect(await finished(h, id)).toMatchObject({ status: 'SUCCEEDED' });
    expect((await statesEntered(h, id)).at(-1)).toBe(STATES.creditsApplied);
    expect((await h.apps.mustGet(id)).status).toBe('credits_applied');
    await everyTransitionNotified(id);

    const founderMails = await mailsTo(h, FOUNDER);
    const mine = founderMails.filter((m) => m.body.text?.includes(id));
    expect(mine.filter((m) => /received/.test(m.subject))).toHaveLength(1); // the confirmation, once
    expect(mine.some((m) => m.subject.includes(`your ${a} record is now credits applied`))).toBe(true);
    expect(mine.some((m) => m.subject.includes(`your ${b} record is now approved`))).toBe(true);
    // Subjects are unique per transition: nothing was mailed twice.
    const subjects = mine.map((m) => m.subject);
    expect(new Set(subjects).size).toBe(subjects.length);
    for (const m of mine) expect(m.body.html ?? '').not.toMatch(/AQ[A-Za-z0-9+/=]{40,}/); // never a task token
  });

  it('change-request loop: founder revises → re-sized, re-drafted, back to the SAME partner without a new slot', async () => {
    const { id, partnerId, loadBefore } = await waitingOnFounderRevision();
    const asked = (await mailsTo(h, FOUNDER)).find((m) => m.subject.includes('asks for changes') && m.body.text?.includes(id));
    expect(asked?.body.html).toContain('Please narrow the &lt;b&gt;scope&lt;/b&gt; &amp; confirm the Region');

    await founderRevises(h, id, (w) => { w.useCase.summary = `${w.useCase.summary} (narrowed to one Region)`; });
    const again = await waitingIn(h, id, STATES.awaitPartnerReview, 'partner-review');
    expect(again.partner?.partnerId).toBe(partnerId);
    expect(again.worksheet.useCase.summary).toContain('narrowed');
    expect((await h.partners.get(partnerId))!.load).toBe(loadBefore);
    const entered = await statesEntered(h, id);
    expect(entered.filter((s) => s === STATES.sizeAsk)).toHaveLength(2);
    expect(entered.filter((s) => s === STATES.draftBriefs)).toHaveLength(2);
    expect(again.transitions.filter((t) => t.to === 'routed').at(-1)?.reason).toMatch(/back to/);
    // Everything up to the new routing has been mailed (the wait's own in_partner_review goes out with the next notice).
    const latest = await h.apps.mustGet(id);
    for (const t of latest.transitions.filter((x) => x.to !== 'in_partner_review')) expect(latest.notified).toContain(transitionMarker(t.version));
    const partnerMails = (await mailsTo(h, await partnerEmail(id))).filter((m) => m.body.text?.includes(id));
    expect(partnerMails.filter((m) => m.subject.startsWith('New application to review'))).toHaveLength(1);
    const revision = partnerMails.filter((m) => m.subject.startsWith('Revised application to review'));
    expect(revision).toHaveLength(1);
    expect(revision[0]?.body.text).toContain('What changed: useCase.summary');
  });

  it('change request never answered: a reminder, then the application is closed (withdrawn by system) and the slot released', async () => {
    const { id, routed, partnerId, loadBefore } = await waitingOnFounderRevision();

    h.rt.clock.advance(14 * DAY);
    await waitingIn(h, id, STATES.awaitFounderRevisionGrace, 'founder-revision');
    expect((await mailsTo(h, FOUNDER)).some((m) => m.body.text?.includes(id) && /remind|still waiting/i.test(`${m.subject} ${m.body.text}`))).toBe(true);

    h.rt.clock.advance(14 * DAY);
    expect(await finished(h, id)).toMatchObject({ status: 'SUCCEEDED' });
    const entered = await statesEntered(h, id);
    expect(entered.slice(-3)).toEqual([STATES.revisedAtTheLastMoment, STATES.notifyRevisionAbandoned, STATES.revisionAbandoned]);
    const closed = await h.apps.mustGet(id);
    expect(closed.status).toBe('withdrawn');
    expect(closed.transitions.at(-1)).toMatchObject({ from: 'changes_requested', to: 'withdrawn', actor: { kind: 'system' } });
    expect(closed.worksheet).toEqual(routed.worksheet);
    expect((await h.partners.get(partnerId))!.load).toBe(loadBefore - 1);
    expect((await mailsTo(h, FOUNDER)).some((m) => m.subject.includes('closed without a revision') && m.body.text?.includes(id))).toBe(true);
    // The partner who asked for the changes hears that it is closed and the slot is free.
    const partnerMail = (await mailsTo(h, (await h.partners.get(partnerId))!.contactEmail)).filter((m) => m.body.text?.includes(id));
    expect(partnerMail.some((m) => m.body.text?.includes('did not answer your change request'))).toBe(true);
  });

  it('nothing to file through ACE (only the cohort long shot fits): no partner is booked; operations queue; founder told why', async () => {
    const id = await submit(h, (w) => {
      w.company.institutionalFunding = { funded: false };
      w.useCase.poc = { defined: false };
    });
    expect(await finished(h, id)).toMatchObject({ status: 'SUCCEEDED' });
    expect((await statesEntered(h, id)).at(-1)).toBe(STATES.queuedForOperations);
    const app = await h.apps.mustGet(id);
    expect(app.status).toBe('unrouted');
    expect(app.briefs).toEqual([]);
    expect(app.partner).toBeUndefined();
    expect(app.transitions.at(-1)?.reason).toMatch(/nothing to file through ACE/);
    expect((await mailsTo(h, FOUNDER)).some((m) => m.body.text?.includes(id) && m.body.text.includes('no ACE record to file'))).toBe(true);
    expect((await mailsTo(h, OPS)).some((m) => m.subject.includes(id))).toBe(true);
  });

  it('partner SLA missed: reminder, grace period, then re-routed to the next partner (slot released)', async () => {
    const id = await submit(h);
    const first = await waitingIn(h, id, STATES.awaitPartnerReview, 'partner-review');
    const lapsed = first.partner!.partnerId;
    const email = await partnerEmail(id);
    const loadBefore = (await h.partners.get(lapsed))!.load;

    h.rt.clock.advance(120 * HOUR);
    await waitingIn(h, id, STATES.awaitPartnerReviewGrace, 'partner-review');
    expect((await mailsTo(h, email)).some((m) => m.subject.startsWith('Reminder:') && m.body.text?.includes(id))).toBe(true);

    h.rt.clock.advance(48 * HOUR);
    const rerouted = await until(h, async () => {
      const a = await h.apps.mustGet(id);
      return a.partner && a.partner.partnerId !== lapsed && a.status === 'in_partner_review' ? a : undefined;
    }, 'the re-route');
    expect(rerouted.passedOverBy).toContain(lapsed);
    expect((await h.partners.get(lapsed))!.load).toBe(loadBefore - 1);
    expect(rerouted.transitions.some((t) => t.to === 'drafted' && t.actor.id === 'Reroute')).toBe(true);
    const entered = await statesEntered(h, id);
    expect(entered).toEqual(expect.arrayContaining([STATES.notifyReviewOverdue, STATES.awaitPartnerReviewGrace, STATES.reroute]));
    await waitingIn(h, id, STATES.awaitPartnerReview, 'partner-review');
    // The partner who let it lapse is told it was passed on.
    expect((await mailsTo(h, email)).some((m) => m.body.text?.includes(id) && m.body.text.includes('passed to another partner'))).toBe(true);
  });

  it('Action Required and refiling: the partner is told, the workflow keeps waiting, then goes on to credits', async () => {
    const id = await approvedApplication();
    const [a, b] = programsOf(await h.apps.mustGet(id)) as [string, string];
    for (const p of [a, b]) {
      await recordChanges(h, id, p, 'filed', { opportunityId: `O${p === a ? 111 : 222}`, filedVia: 'manual' });
      await waitingIn(h, id, STATES.awaitAwsDecision, 'aws-decision');
    }
    await recordChanges(h, id, a, 'action_required', { awsReview: { at: new Date().toISOString(), comments: 'Add the <expected> monthly usage' } });
    const app = await waitingIn(h, id, STATES.awaitAwsDecision, 'aws-decision');
    expect(app.status).toBe('action_required');
    // Recorded by the partner: the founder is told (the partner who recorded it is not mailed about their own act).
    expect((await mailsTo(h, FOUNDER)).some((m) => m.subject.includes(`your ${a} record is now action required`) && m.body.text?.includes(id))).toBe(true);
    await recordChanges(h, id, a, 'in_aws_review'); // refiled
    await waitingIn(h, id, STATES.awaitAwsDecision, 'aws-decision');
    const expiresOn = isoDay(Date.now() + 365 * DAY);
    await recordChanges(h, id, a, 'approved', { award: { amountUsd: '10000.00', expiresOn } });
    await waitingIn(h, id, STATES.awaitAwsDecision, 'aws-decision');
    await recordChanges(h, id, b, 'approved', { award: { amountUsd: '130000.00', expiresOn } });
    await waitingIn(h, id, STATES.awaitCredits, 'credits');
    await everyTransitionNotified(id);
  });

  it('rejection: every record rejected → Rejected; founder, partner and operations are told', async () => {
    const id = await approvedApplication();
    const [a, b] = programsOf(await h.apps.mustGet(id)) as [string, string];
    await recordChanges(h, id, a, 'filed', { opportunityId: 'O333' });
    await waitingIn(h, id, STATES.awaitAwsDecision, 'aws-decision');
    await recordChanges(h, id, b, 'filed', { opportunityId: 'O444' });
    await waitingIn(h, id, STATES.awaitAwsDecision, 'aws-decision');
    await recordChanges(h, id, a, 'rejected', { awsReview: { at: new Date().toISOString(), reason: 'Duplicate' } });
    await waitingIn(h, id, STATES.awaitAwsDecision, 'aws-decision');
    await recordChanges(h, id, b, 'rejected', { awsReview: { at: new Date().toISOString(), reason: 'Other' } });
    expect(await finished(h, id)).toMatchObject({ status: 'SUCCEEDED' });
    expect((await statesEntered(h, id)).at(-1)).toBe(STATES.rejected);
    expect((await h.apps.mustGet(id)).status).toBe('rejected');
    expect((await mailsTo(h, OPS)).some((m) => m.body.text?.includes(id) && m.subject.includes('rejected'))).toBe(true);
    await everyTransitionNotified(id);
  });

  it('AWS decision overdue: partner AND operations are reminded, and the workflow waits again', async () => {
    const id = await approvedApplication();
    const email = await partnerEmail(id);
    h.rt.clock.advance(21 * DAY);
    await until(h, async () => ((await statesEntered(h, id)).filter((s) => s === STATES.awaitAwsDecision).length === 2 ? true : undefined), 'the second AWS wait');
    await waitingIn(h, id, STATES.awaitAwsDecision, 'aws-decision');
    expect((await mailsTo(h, email)).some((m) => m.subject.includes('AWS has not decided') && m.body.text?.includes(id))).toBe(true);
    expect((await mailsTo(h, OPS)).some((m) => m.subject === `${id}: AWS decision overdue`)).toBe(true);
  });

  it('AWS decision never comes: 3 counted reminders, then escalated to operations (a note, one mail, stuck and marked); the execution ends; a later change resumes it', async () => {
    const id = await approvedApplication();
    const email = await partnerEmail(id);
    const limit = STUCK_LIMITS.reminderEscalation.awsDecisionReminders;
    const reminders = async () => (await mailsTo(h, email)).filter((m) => m.subject.includes('AWS has not decided') && m.body.text?.includes(id)).length;
    for (let n = 1; n <= limit; n += 1) {
      h.rt.clock.advance(21 * DAY);
      await until(h, async () => ((await statesEntered(h, id)).filter((s) => s === STATES.awaitAwsDecision).length === n + 1 ? true : undefined), `AWS wait ${n + 1}`);
      await waitingIn(h, id, STATES.awaitAwsDecision, 'aws-decision');
      expect(await reminders()).toBe(n);
    }
    // The lapse after the last reminder escalates instead of reminding again, and the execution ends.
    h.rt.clock.advance(21 * DAY);
    const done = await finished(h, id);
    expect(done.status).toBe('SUCCEEDED');
    expect((await statesEntered(h, id)).at(-1)).toBe(STATES.awsDecisionEscalated);
    expect(await reminders()).toBe(limit);
    // The execution story says so (as GET /ops/applications/{id}/story tells it).
    const { readExecution } = await import('../../functions/adapters/execution-history.ts');
    const { tellStory } = await import('../../functions/core/operations/story.ts');
    const read = (await readExecution(executionArnOf(h, id)))!;
    expect(tellStory(read.execution, read.events, new Date()).sentences.at(-1)).toMatch(/^Finished .*escalated to operations, the reminders for AWS's decision ran out/);
    const escalatedMails = (await mailsTo(h, OPS)).filter((m) => m.subject === `${id}: escalated to operations, reminders exhausted`);
    expect(escalatedMails).toHaveLength(1);
    const app = await h.apps.mustGet(id);
    const note = app.transitions.at(-1)!;
    expect(note).toMatchObject({ from: 'approved_for_filing', to: 'approved_for_filing', actor: { kind: 'system' } });
    expect(note.reason).toMatch(/^escalated to operations: .*3 reminders/);
    expect(app.status).toBe('approved_for_filing');
    // Marked on the stuck list (read from the operations index alone).
    const row = (await (await import('../../functions/adapters/dynamo/applications-lists.ts')).listByStatus(h.apps, 'approved_for_filing', { limit: 100 })).items.find((i) => i.id === id);
    expect(row?.summary.escalation).toMatchObject({ at: note.at });
    const threshold = thresholdFor('approved_for_filing')!;
    expect(stuckItem(row!, threshold, new Date())).toMatchObject({ id, escalated: true, why: expect.stringMatching(/escalated/) });

    // The partner records a change: nobody waits (the execution ended), so a new execution resumes the workflow.
    const [a] = programsOf(app) as [string];
    const results = await recordChanges(h, id, a, 'filed', { opportunityId: 'O7654321', filedVia: 'manual' });
    expect(results[0]).not.toBe('delivered');
    const resumed = `${executionArnOf(h, id)}--resume-v${note.version}`;
    await until(h, () => (h.rt.sfn.pendingTasks().some((t) => t.executionArn === resumed && t.stateName === STATES.awaitAwsDecision) ? true : undefined), 'the resumed execution waiting on AWS');
    const after = await h.apps.mustGet(id);
    expect(after.executionArn).toBe(resumed);
    expect((await (await import('../../functions/adapters/dynamo/applications-lists.ts')).listByStatus(h.apps, after.status, { limit: 100 })).items.find((i) => i.id === id)?.summary.escalation).toBeUndefined();
    // A repeated change starts nothing more (the resume is named after the escalation).
    expect(await recordChanges(h, id, a, 'in_aws_review')).toEqual(['delivered']);
    await until(h, () => (h.rt.sfn.pendingTasks().some((t) => t.executionArn === resumed && t.stateName === STATES.awaitAwsDecision) ? true : undefined), 'the resumed execution waiting again');
    const listed = await h.sfn.send(new ListExecutionsCommand({ stateMachineArn: h.rt.stateMachineArn, maxResults: 1000 }));
    expect((listed.executions ?? []).filter((e) => e.name?.startsWith(id)).map((e) => e.name).sort()).toEqual([id, `${id}--resume-v${note.version}`]);
  });

  it('credits never recorded: 3 counted reminders, then escalated to operations and the execution ends in CreditsEscalated', async () => {
    const id = await approvedApplication();
    const expiresOn = isoDay(Date.now() + 365 * DAY);
    const [a, b] = programsOf(await h.apps.mustGet(id)) as [string, string];
    for (const [p, o] of [[a, 'O1111111'], [b, 'O2222222']] as const) {
      await recordChanges(h, id, p, 'filed', { opportunityId: o, filedAt: new Date().toISOString(), filedVia: 'manual' });
      await waitingIn(h, id, STATES.awaitAwsDecision, 'aws-decision');
    }
    await recordChanges(h, id, a, 'approved', { award: { amountUsd: '10000.00', expiresOn } });
    await waitingIn(h, id, STATES.awaitAwsDecision, 'aws-decision');
    await recordChanges(h, id, b, 'approved', { award: { amountUsd: '130000.00', expiresOn } });
    await waitingIn(h, id, STATES.awaitCredits, 'credits');
    const email = await partnerEmail(id);
    const limit = STUCK_LIMITS.reminderEscalation.creditsReminders;
    for (let n = 1; n <= limit; n += 1) {
      h.rt.clock.advance(30 * DAY);
      await until(h, async () => ((await statesEntered(h, id)).filter((s) => s === STATES.awaitCredits).length === n + 1 ? true : undefined), `credits wait ${n + 1}`);
      await waitingIn(h, id, STATES.awaitCredits, 'credits');
    }
    h.rt.clock.advance(30 * DAY);
    expect((await finished(h, id)).status).toBe('SUCCEEDED');
    expect((await statesEntered(h, id)).at(-1)).toBe(STATES.creditsEscalated);
    expect((await mailsTo(h, email)).filter((m) => m.subject.startsWith('Reminder: credits for') && m.body.text?.includes(id))).toHaveLength(limit);
    expect((await mailsTo(h, OPS)).filter((m) => m.subject === `${id}: escalated to operations, reminders exhausted`)).toHaveLength(1);
    const app = await h.apps.mustGet(id);
    expect(app.status).toBe('approved');
    expect(app.transitions.at(-1)!.reason).toMatch(/^escalated to operations: waited for the credits to be applied through 3 reminders/);
  });

  it('withdrawal: DB → withdrawn, then the waiting task is failed with ChangedWhileWaiting; founder and partner are mailed, nothing fails', async () => {
    const id = await submit(h);
    const app = await waitingIn(h, id, STATES.awaitPartnerReview, 'partner-review');
    const partner = await partnerEmail(id);
    // POST /applications/{id}/withdraw's command: the write, then the waiting task is failed with ChangedWhileWaiting.
    await h.commands.runCommand(h.deps, id, (current, now) => planWithdraw({ app: current, now }));
    expect(await finished(h, id)).toMatchObject({ status: 'SUCCEEDED' });
    const entered = await statesEntered(h, id);
    expect(entered).toContain(STATES.notifyChange);
    expect(entered).not.toContain(STATES.markFailed);
    expect(entered.at(-1)).toBe(STATES.noFurtherAction);
    const after = await h.apps.mustGet(id);
    expect(after.status).toBe('withdrawn');
    expect(after.worksheet).toEqual(app.worksheet);
    await everyTransitionNotified(id);
    expect((await mailsTo(h, partner)).some((m) => m.body.text?.includes(id) && /withdrawn/i.test(`${m.subject} ${m.body.text}`))).toBe(true);
    // A late callback on the spent token is harmless.
    expect(await callback(h, id, 'partner-review', { decision: 'approved' })).toBe('already-delivered');
  });

  it('withdrawn while the workflow is between steps: the next wait notices, mails, and ends without failing', async () => {
    const id = await submit(h);
    const app = await waitingIn(h, id, STATES.awaitPartnerReview, 'partner-review');
    // Withdrawn, and before StopExecution lands a racing partner's approval callback resumes the workflow.
    await applyTransition(h.apps, app, planTransitionFor(app, 'withdrawn', { kind: 'founder', id }));
    expect(await callback(h, id, 'partner-review', { decision: 'approved' })).toBe('delivered');
    expect(await finished(h, id)).toMatchObject({ status: 'SUCCEEDED' });
    const entered = await statesEntered(h, id);
    expect(entered).not.toContain(STATES.markFailed);
    expect(entered.at(-1)).toBe(STATES.noFurtherAction);
    expect((await h.apps.mustGet(id)).status).toBe('withdrawn');
  });

  it('duplicate callbacks and repeated requests are harmless', async () => {
    const id = await submit(h);
    await waitingIn(h, id, STATES.awaitPartnerReview, 'partner-review');
    const { token } = (await getTaskToken(h.apps, id, 'partner-review', new Date()))!;
    await partnerDecides(h, id, 'approved');
    await expect(h.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ decision: 'approved' }) }))).rejects.toMatchObject({ name: 'TaskTimedOut' });
    expect(await callback(h, id, 'partner-review', { decision: 'approved' })).toBe('already-delivered');
    await waitingIn(h, id, STATES.awaitAwsDecision, 'aws-decision');
    const [a] = programsOf(await h.apps.mustGet(id)) as [string];
    const results = await recordChanges(h, id, a, 'filed', { opportunityId: 'O555' });
    expect(results).toContain('delivered');
    await waitingIn(h, id, STATES.awaitAwsDecision, 'aws-decision');
    // The same record-changed nudge again, on the new wait: the workflow re-checks, finds nothing new, waits again.
    expect(await callback(h, id, 'aws-decision', { event: 'record-changed' })).toBe('delivered');
    await waitingIn(h, id, STATES.awaitAwsDecision, 'aws-decision');
    const entered = await statesEntered(h, id);
    expect(entered.filter((s) => s === STATES.notifyReviewed)).toHaveLength(1);
    const founderMails = (await mailsTo(h, FOUNDER)).filter((m) => m.body.text?.includes(id));
    expect(founderMails.filter((m) => m.subject.includes(`your ${a} record is now filed`))).toHaveLength(1);
  });

  it('crash between the DB write and the callback: the retry converges (and a change lost to a race is caught up)', async () => {
    const id = await submit(h);
    await waitingIn(h, id, STATES.awaitPartnerReview, 'partner-review');
    await partnerDecides(h, id, 'approved', { skipCallback: true }); // the API crashed after its DB write
    expect(h.rt.sfn.pendingTasks().some((t) => t.executionArn === executionArnOf(h, id) && t.stateName === STATES.awaitPartnerReview)).toBe(true);
    expect(await callback(h, id, 'partner-review', { decision: 'approved' })).toBe('delivered'); // the retried request
    await waitingIn(h, id, STATES.awaitAwsDecision, 'aws-decision');

    // Two record changes race for one token: the second callback finds it spent; neither change is lost.
    const [a, b] = programsOf(await h.apps.mustGet(id)) as [string, string];
    await recordChanges(h, id, a, 'filed', { opportunityId: 'O666' }, { skipCallback: true });
    await recordChanges(h, id, b, 'filed', { opportunityId: 'O777' }, { skipCallback: true });
    const expiresOn = isoDay(Date.now() + 365 * DAY);
    await recordChanges(h, id, a, 'approved', { award: { amountUsd: '1.00', expiresOn } }, { skipCallback: true });
    const results = await Promise.all([
      recordChanges(h, id, b, 'approved', { award: { amountUsd: '2.00', expiresOn } }),
      callback(h, id, 'aws-decision', { event: 'record-changed' }),
    ]);
    expect(results.flat()).toContain('delivered');
    const app = await waitingIn(h, id, STATES.awaitCredits, 'credits'); // not stuck waiting on AWS
    expect(app.status).toBe('approved');
    await everyTransitionNotified(id);
    const founderMails = (await mailsTo(h, FOUNDER)).filter((m) => m.body.text?.includes(id));
    expect(founderMails.filter((m) => m.subject.includes(`your ${b} record is now approved`))).toHaveLength(1);
  });

  it('a task failing transiently (SES throttling) is retried and then succeeds; each mail goes out once', async () => {
    const flaky = 'flaky-founder@example.com';
    mailFaults.transientLeft.set(flaky, 2);
    const id = await submit(h, (w) => { w.contact.email = flaky; });
    await waitingIn(h, id, STATES.awaitPartnerReview, 'partner-review');
    const failed = (await history(h, id)).filter((e) => e.type === 'TaskFailed');
    expect(failed.map((e) => e.taskFailedEventDetails?.error)).toEqual(['TransientError', 'TransientError']);
    expect((await mailsTo(h, flaky)).filter((m) => /received/.test(m.subject))).toHaveLength(1);
    expect((await h.apps.mustGet(id)).status).toBe('in_partner_review');
  });

  it('a task failing for good takes the failure path: application marked failed, nothing lost, operations told', async () => {
    const rejected = 'rejected-founder@example.com';
    mailFaults.permanent.add(rejected);
    // The first mail to the founder is the address confirmation: it fails for good before anything is routed.
    const { id } = await submitOnly(h, (w) => { w.contact.email = rejected; });
    expect(await finished(h, id)).toMatchObject({ status: 'FAILED', error: 'ApplicationFailed' });
    const app = await h.apps.mustGet(id);
    expect(app.status).toBe('failed');
    expect(app.failure).toMatchObject({ error: 'MessageRejected', failedFrom: 'drafted' });
    expect(await statesEntered(h, id)).toContain(STATES.sendAddressConfirmation);
    expect(app.worksheet.contact.email).toBe(rejected);
    expect(app.estimate).toBeDefined();
    expect(app.briefs?.length).toBe(2);
    // No partner was ever booked, and SES's message (which names the recipient) is not kept anywhere.
    expect(app.partner).toBeUndefined();
    expect(JSON.stringify(app.failure)).not.toContain(rejected);
    // The error's name and a clean message; Lambda's stack trace (absolute paths) stays in the logs.
    expect(app.failure?.cause).toBe('SES did not accept the message (MessageRejected); details withheld because they may name recipients');
    expect(JSON.stringify(await history(h, id))).not.toContain(rejected);
    expect((await statesEntered(h, id)).slice(-3)).toEqual([STATES.markFailed, STATES.notifyFailed, STATES.applicationFailed]);
    expect((await mailsTo(h, OPS)).some((m) => m.subject === `Workflow failed for ${id}`)).toBe(true);
  });

  it('expiry reminders on the moved clock: 60 and 30 days ahead (once each), then expired', async () => {
    await stopRunning(h); // moving the clock months ahead must not drive other scenarios' waits
    const id = await approvedApplication();
    const [a, b] = programsOf(await h.apps.mustGet(id)) as [string, string];
    const expiresOn = isoDay(h.rt.clock.now() + 90 * DAY);
    for (const p of [a, b]) {
      await recordChanges(h, id, p, 'filed', { opportunityId: `O9${p.length}` });
      await waitingIn(h, id, STATES.awaitAwsDecision, 'aws-decision');
    }
    for (const p of [a, b]) await recordChanges(h, id, p, 'approved', { award: { amountUsd: '5.00', expiresOn } });
    await waitingIn(h, id, STATES.awaitCredits, 'credits');
    for (const p of [a, b]) await recordChanges(h, id, p, 'credits_applied', { credits: { amountUsd: '5.00', appliedOn: isoDay(h.rt.clock.now()), expiresOn } });
    expect(await finished(h, id)).toMatchObject({ status: 'SUCCEEDED' });

    const advance = async (days: number): Promise<void> => {
      const res = await fetch(`${h.rt.urls.api}/__local/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceDays: days }) });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { scheduleRuns: { ok: boolean; error?: string }[] };
      expect(body.scheduleRuns.length, 'the daily sweep ran').toBeGreaterThan(0);
      expect(body.scheduleRuns.every((r) => r.ok), JSON.stringify(body.scheduleRuns)).toBe(true);
    };
    const reminders = async (): Promise<string[]> => (await mailsTo(h, FOUNDER)).filter((m) => m.body.text?.includes(id) && m.subject.includes('credits expire in')).map((m) => m.subject);

    await advance(31); // 59 days left
    let app = await h.apps.mustGet(id);
    expect(app.status).toBe('expiring');
    expect(await reminders()).toHaveLength(2); // one per record
    expect(app.briefs?.map((x) => x.record?.remindersSent)).toEqual([[60], [60]]);

    await advance(1); // the next daily run: nothing new
    expect(await reminders()).toHaveLength(2);

    await advance(30); // 28 days left
    app = await h.apps.mustGet(id);
    expect(await reminders()).toHaveLength(4);
    expect(app.briefs?.map((x) => x.record?.remindersSent)).toEqual([[60, 30], [60, 30]]);
    expect(app.status).toBe('expiring');

    await advance(29); // past the expiry date
    app = await h.apps.mustGet(id);
    expect(app.status).toBe('expired');
    expect(app.briefs?.map((x) => x.record?.status)).toEqual(['expired', 'expired']);
    expect(app.transitions.filter((t) => t.record?.to === 'expired').every((t) => t.actor.kind === 'system')).toBe(true);
    expect(await reminders()).toHaveLength(4);
    await everyTransitionNotified(id);
  });

  it('a credited record is reminded and expired even while another stacked record still waits on AWS', async () => {
    await stopRunning(h);
    const id = await approvedApplication();
    const [a, b] = programsOf(await h.apps.mustGet(id)) as [string, string];
    const expiresOn = isoDay(h.rt.clock.now() + 70 * DAY);
    await recordChanges(h, id, a, 'filed', { opportunityId: 'O71' });
    await recordChanges(h, id, b, 'filed', { opportunityId: 'O72' });
    await recordChanges(h, id, b, 'in_aws_review');
    await recordChanges(h, id, a, 'approved', { award: { amountUsd: '7.00', expiresOn } });
    await recordChanges(h, id, a, 'credits_applied', { credits: { amountUsd: '7.00', appliedOn: isoDay(h.rt.clock.now()), expiresOn } });
    await waitingIn(h, id, STATES.awaitAwsDecision, 'aws-decision');
    expect((await h.apps.mustGet(id)).status).toBe('in_aws_review');
    await stopRunning(h); // the AWS-decision wait would otherwise time out while the clock jumps

    const move = async (days: number) => {
      const res = await fetch(`${h.rt.urls.api}/__local/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceDays: days }) });
      expect(res.status).toBe(200);
    };
    await move(11); // 59 days left on record A
    let app = await h.apps.mustGet(id);
    expect(app.briefs?.find((x) => x.programId === a)?.record?.remindersSent).toEqual([60]);
    expect(app.status).toBe('in_aws_review'); // still waiting on record B
    expect((await mailsTo(h, FOUNDER)).filter((m) => m.body.text?.includes(id) && m.subject.includes('credits expire in'))).toHaveLength(1);
    await move(60); // past A's expiry
    app = await h.apps.mustGet(id);
    expect(app.briefs?.map((x) => x.record?.status)).toEqual(['expired', 'in_aws_review']);
  });
});

function planTransitionFor(app: Application, to: Application['status'], actor: Actor) {
  return planTransition({ current: app.status, version: app.version, to, actor, now: new Date(), reason: `test: ${to}` });
}

// Stored items are trusted on read (functions/adapters/dynamo/stored-guard.ts): everything this scenarios wrote must parse.
it('every item the scenarios wrote parses against schemas/stored-application.ts', async () => {
  const { checked, problems } = await checkStoredItems(h.rt.urls.dynamodb, h.rt.tableName);
  expect(problems).toEqual([]);
  expect(checked.application ?? 0).toBeGreaterThan(0);
});

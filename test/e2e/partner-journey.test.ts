/**
 * End to end, the human steps over HTTP on the local runtime: a founder submits; the assigned partner reviews the
 * queue, edits a brief with If-Match, approves, records both stacked records filed, AWS's approval and the credits;
 * the workflow follows through every wait; the clock is moved to see the expiry reminders. Another partner sees
 * nothing of it. Nothing is driven behind the API's back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import type { LocalRuntime } from '../../lib/local/start.ts';
import { callApi, confirmFromInbox, exampleWorksheetBody, startE2eRuntime, until, waitingOnTask, type ApiOptions } from '../support/e2e.ts';
import { checkStoredItems } from '../support/stored-items.ts';

const worksheet = exampleWorksheetBody();
let rt: LocalRuntime;

beforeAll(async () => {
  rt = await startE2eRuntime();
}, 120_000);
afterAll(async () => rt?.stop());

const api = (method: string, path: string, opts: ApiOptions = {}) => callApi(rt, method, path, opts);
const waitingOn = (applicationId: string, kind: string): Promise<void> => waitingOnTask(rt, applicationId, kind);

describe('a partner takes an application from review to credits, over HTTP', () => {
  let id = '';
  let founderToken = '';
  let partner = '';
  let stranger = '';
  const programs: string[] = [];

  it('routes the submission to the best-matching partner, who sees it in the queue; another partner does not', async () => {
    const submitted = await api('POST', '/worksheets', { body: worksheet });
    expect(submitted.status).toBe(202);
    id = String(submitted.body.applicationId);
    founderToken = String(submitted.body.founderToken);
    // Nothing reaches a partner before the founder confirms the address from the mail.
    expect((await confirmFromInbox(rt, id)).status).toBe(200);
    partner = await rt.mintToken({ groups: ['partner'], partnerId: 'p-northwind' });
    stranger = await rt.mintToken({ groups: ['partner'], partnerId: 'p-tidewater' });
    await waitingOn(id, 'partner-review');

    const queue = await api('GET', '/partner/applications?status=in_partner_review', { token: partner });
    expect(queue.status).toBe(200);
    expect((queue.body.items as { id: string }[]).map((i) => i.id)).toContain(id);
    const theirs = await api('GET', '/partner/applications', { token: stranger });
    expect((theirs.body.items as { id: string }[]).map((i) => i.id)).not.toContain(id);
    expect((await api('GET', `/partner/applications/${id}`, { token: stranger })).status).toBe(404);
    expect((await api('GET', `/partner/applications/${id}`)).status).toBe(401);
  });

  it('shows the briefs with their validation and ETags; an edit needs If-Match and is re-validated', async () => {
    const view = await api('GET', `/partner/applications/${id}`, { token: partner });
    expect(view.status).toBe(200);
    const briefs = view.body.briefs as { programId: string; etag: string; validation: { valid: boolean }; estimateData: { dataAge: { files: unknown[] }; qualifiedFigures: { programId?: string }[] } }[];
    expect(briefs.length).toBe(2);
    for (const b of briefs) {
      programs.push(b.programId);
      expect(b.validation.valid).toBe(true);
      // Each brief says which of its numbers rest on stale, unverified or assumed data, before approval.
      expect(b.estimateData.dataAge.files).toHaveLength(2);
      for (const q of b.estimateData.qualifiedFigures) expect([undefined, b.programId]).toContain(q.programId);
    }
    const first = briefs[0]!;
    const path = `/partner/applications/${id}/briefs/${first.programId}`;
    const patch = { LifeCycle: { NextSteps: 'Scoping call with the CTO booked for next Tuesday' } };
    expect((await api('PATCH', path, { token: partner, body: patch })).status).toBe(428);
    const edited = await api('PATCH', path, { token: partner, body: patch, headers: { 'if-match': first.etag } });
    expect(edited.status).toBe(200);
    expect(edited.headers.get('etag')).not.toBe(first.etag);
    const stale = await api('PATCH', path, { token: partner, body: { LifeCycle: { NextSteps: 'Something else entirely' } }, headers: { 'if-match': first.etag } });
    expect(stale.status).toBe(412);
    const bad = await api('PATCH', path, { token: partner, body: { Project: { CustomerBusinessProblem: 'too short' } }, headers: { 'if-match': String(edited.headers.get('etag')) } });
    expect(bad.status).toBe(200);
    expect(JSON.stringify(bad.body)).toContain('Project.CustomerBusinessProblem');
    // An invalid brief blocks approval until it is fixed.
    expect((await api('POST', `/partner/applications/${id}/approve`, { token: partner })).status).toBe(422);
    const fixed = await api('PATCH', path, {
      token: partner,
      body: { Project: { CustomerBusinessProblem: 'Small accounting firms spend days at month-end reconciling ledgers; a cited-answer assistant on Amazon Bedrock cuts that to hours.' } },
      headers: { 'if-match': String(bad.headers.get('etag')) },
    });
    expect(fixed.status).toBe(200);
    const export_ = await api('GET', `${path}/create-opportunity`, { token: partner });
    expect(export_.status).toBe(200);
    expect((export_.body.LifeCycle as { NextSteps: string }).NextSteps).toBe('Scoping call with the CTO booked for next Tuesday');
  });

  it('approves; records both records filed, approved by AWS and credited; the workflow follows to CreditsApplied', async () => {
    const approved = await api('POST', `/partner/applications/${id}/approve`, { token: partner });
    expect(approved.status).toBe(200);
    expect((await api('POST', `/partner/applications/${id}/approve`, { token: partner })).status).toBe(200); // a repeat converges
    await waitingOn(id, 'aws-decision');
    // Withdrawal is over once a record is filed.
    const expiresOn = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
    for (const [i, programId] of programs.entries()) {
      const base = `/partner/applications/${id}/briefs/${programId}`;
      expect((await api('POST', `${base}/filed`, { token: partner, body: { opportunityId: `O90000${i}` } })).status).toBe(200);
      expect((await api('POST', `${base}/filed`, { token: partner, body: { opportunityId: `O99999${i}` } })).status).toBe(409);
      expect((await api('POST', `${base}/aws-review`, { token: partner, body: { outcome: 'approved', amountUsd: '10000.00', expiresOn } })).status).toBe(200);
    }
    expect((await api('POST', `/applications/${id}/withdraw`, { token: founderToken })).status).toBe(409);
    await waitingOn(id, 'credits');
    for (const programId of programs) {
      const res = await api('POST', `/partner/applications/${id}/briefs/${programId}/credits`, {
        token: partner, body: { amountUsd: '10000.00', appliedOn: new Date().toISOString().slice(0, 10), expiresOn },
      });
      expect(res.status).toBe(200);
    }
    const sfn = new SFNClient({ endpoint: rt.urls.sfn });
    await until('the execution to succeed', async () => {
      const d = await sfn.send(new DescribeExecutionCommand({ executionArn: `${rt.stateMachineArn.replace(':stateMachine:', ':execution:')}:${id}` }));
      return d.status === 'SUCCEEDED' ? d : undefined;
    });
    const founderView = await api('GET', `/applications/${id}`, { token: founderToken });
    expect(founderView.body.status).toBe('credits_applied');
    expect(founderView.body.credits).toMatchObject({ appliedUsd: '20000.00' });
    const statuses = (founderView.body.briefs as { record: { status: string } }[]).map((b) => b.record.status);
    expect(statuses).toEqual(['credits_applied', 'credits_applied']);
  });

  it('mails the 60- and 30-day expiry reminders when the clock is moved, then expires the credits', async () => {
    const move = (days: number) => fetch(`${rt.urls.api}/__local/clock`, { method: 'POST', body: JSON.stringify({ advanceDays: days }) });
    const remindersTo = async (to: string) => (await rt.mails()).filter((m) => m.destination.to.includes(to) && /expir/i.test(m.subject) && (m.body.text ?? '').includes(id));
    await move(31);
    await until('the 60-day reminder', async () => ((await remindersTo('maya@ledgerly.ai')).length >= 1 ? true : undefined));
    expect((await api('GET', `/applications/${id}`, { token: founderToken })).body.status).toBe('expiring');
    await move(31);
    await until('the 30-day reminder', async () => ((await remindersTo('maya@ledgerly.ai')).length >= 2 ? true : undefined));
    await move(30);
    await until('expiry', async () => ((await api('GET', `/applications/${id}`, { token: founderToken })).body.status === 'expired' ? true : undefined));
    // Sessions live in real time: a token minted before the clock moved 92 days, and one minted after, both still work.
    expect((await api('GET', `/partner/applications/${id}`, { token: partner })).status).toBe(200);
    const fresh = await rt.mintToken({ groups: ['partner'], partnerId: 'p-northwind' });
    expect((await api('GET', `/partner/applications/${id}`, { token: fresh })).status).toBe(200);
  });
});

// Stored items are trusted on read (functions/adapters/dynamo/stored-guard.ts): everything this journey wrote must parse.
it('every item the journey wrote parses against schemas/stored-application.ts', async () => {
  const { checked, problems } = await checkStoredItems(rt.urls.dynamodb, rt.tableName);
  expect(problems).toEqual([]);
  expect(checked.application ?? 0).toBeGreaterThan(0);
});

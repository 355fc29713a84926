/**
 * End to end on the local runtime: the funding request through the Partner Central Benefits API. An opportunity filed
 * and submitted through the Selling API is approved by a person playing AWS's reviewer; the record's benefit
 * application is drafted with the approval, edited by the partner (merge patch + ETag), refused while it breaks the
 * model (by our check, and by the stand-in: 422 naming the field, nothing recorded), created, associated with the
 * opportunity and submitted; AWS asks for action, the partner fixes it and resubmits; AWS approves with an allocation,
 * which records the credits applied by itself; moving the clock brings the 60- and 30-day expiry reminders. A second
 * application's funding request is rejected, and its credits are then recorded by hand. Every AWS decision on a
 * benefit application arrives through the stack's scheduled reconciliation (no Benefits event is published locally).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../lib/local/start.ts';
import { benefitsData } from '../../functions/core/ace/funding-draft.ts';
import { callApi, confirmFromInbox, exampleWorksheetBody, startE2eRuntime, until, waitingOnTask, type ApiOptions } from '../support/e2e.ts';
import { checkStoredItems } from '../support/stored-items.ts';

let rt: LocalRuntime;
beforeAll(async () => {
  rt = await startE2eRuntime();
}, 120_000);
afterAll(async () => rt?.stop());

const api = (method: string, path: string, opts: ApiOptions = {}) => callApi(rt, method, path, opts);
const PROGRAM = 'bedrock-poc';
const BENEFIT = benefitsData.programs.find((p) => p.programId === PROGRAM)!.benefitId;
const DAY = 86_400_000;

type RecordView = { status: string; funding: { status: string; says: string; benefitApplicationId: string | null; allocation: unknown } | null; credits: unknown };

async function reconcile(): Promise<void> {
  const spec = rt.schedules.specs.find((s) => s.logicalId.includes('Reconcile'));
  await rt.schedules.runNow(spec?.logicalId);
}

/** Submitted, confirmed, approved by the partner; PROGRAM filed and submitted through the Selling API and approved by AWS. */
async function approvedOpportunity(partner: string): Promise<{ id: string; founder: string; others: string[]; opportunityId: string }> {
  const submitted = await api('POST', '/worksheets', { body: exampleWorksheetBody() });
  expect(submitted.status).toBe(202);
  const id = String(submitted.body.applicationId);
  const founder = String(submitted.body.founderToken);
  expect((await confirmFromInbox(rt, id)).status).toBe(200);
  await waitingOnTask(rt, id, 'partner-review');
  const view = await api('GET', `/partner/applications/${id}`, { token: partner });
  const others = (view.body.briefs as { programId: string }[]).map((b) => b.programId).filter((p) => p !== PROGRAM);
  expect((await api('POST', `/partner/applications/${id}/approve`, { token: partner })).status).toBe(200);
  const base = `/partner/applications/${id}/briefs/${PROGRAM}`;
  const filed = await api('POST', `${base}/file-via-api`, { token: partner });
  expect(filed.status, JSON.stringify(filed.body)).toBe(200);
  const opportunityId = String(filed.body.opportunityId);
  expect((await api('POST', `${base}/submit-via-api`, { token: partner, body: {} })).status).toBe(200);
  const approved = await api('POST', `/__local/partner-central/opportunities/${opportunityId}/review`, { body: { status: 'Approved' } });
  expect(approved.status).toBe(200);
  return { id, founder, others, opportunityId };
}

describe('the funding request through the Partner Central Benefits API on the local runtime', () => {
  let partner = '';
  let id = '';
  let founder = '';
  let others: string[] = [];
  let opportunityId = '';
  let benefitApplicationId = '';
  let expiresOn = '';
  const base = () => `/partner/applications/${id}/briefs/${PROGRAM}`;
  const record = async (appId = id, token = founder): Promise<RecordView> => {
    const view = await api('GET', `/applications/${appId}`, { token });
    return (view.body.briefs as { programId: string; record: RecordView }[]).find((b) => b.programId === PROGRAM)!.record;
  };

  it('an approved opportunity gets its benefit application drafted, valid against the Benefits model; the founder sees both statuses', async () => {
    partner = await rt.mintToken({ groups: ['partner'], partnerId: 'p-northwind' });
    ({ id, founder, others, opportunityId } = await approvedOpportunity(partner));
    await until('the approval', async () => ((await record()).status === 'approved' ? true : undefined));

    const funding = await api('GET', `${base()}/funding`, { token: partner });
    expect(funding.status).toBe(200);
    expect(funding.body).toMatchObject({ status: 'drafted', recordStatus: 'approved', problems: [], benefitApplicationId: null, revision: 1 });
    const body = funding.body.createBenefitApplication as Record<string, unknown>;
    expect(body).toMatchObject({ BenefitIdentifier: BENEFIT, FulfillmentTypes: ['CREDITS'] });
    expect((body.BenefitApplicationDetails as Record<string, unknown>).OpportunityIdentifier).toBe(opportunityId);
    expect(funding.headers.get('etag')).toBe(funding.body.etag);
    // Another partner does not see it.
    const stranger = await rt.mintToken({ groups: ['partner'], partnerId: 'p-someone-else' });
    expect((await api('GET', `${base()}/funding`, { token: stranger })).status).toBe(404);

    const mine = await record();
    expect(mine.status).toBe('approved');
    expect(mine.funding).toMatchObject({ status: 'drafted', benefitApplicationId: null });
    expect(mine.funding?.says).toContain('preparing the credit request');
  });

  it('edits are a JSON Merge Patch with If-Match; service-managed fields are refused; a stale ETag is 412', async () => {
    const read = await api('GET', `${base()}/funding`, { token: partner });
    const etag = String(read.body.etag);
    expect((await api('PATCH', `${base()}/funding`, { token: partner, body: { Description: 'x' } })).status).toBe(428);
    const managed = await api('PATCH', `${base()}/funding`, { token: partner, headers: { 'if-match': etag }, body: { ClientToken: 'mine' } });
    expect(managed.status).toBe(400);
    expect(JSON.stringify(managed.body)).toContain('ClientToken');

    const edited = await api('PATCH', `${base()}/funding`, {
      token: partner, headers: { 'if-match': etag, 'content-type': 'application/merge-patch+json' }, body: { Description: 'POC credits for Ledgerly: three months of Bedrock inference.' },
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({ revision: 2, problems: [] });
    expect(edited.body.etag).not.toBe(etag);
    const stale = await api('PATCH', `${base()}/funding`, { token: partner, headers: { 'if-match': etag }, body: { Description: 'Another' } });
    expect(stale.status).toBe(412);
  });

  it('a body that breaks the model is refused with 422 naming the field, by our check and by the stand-in, and nothing is recorded', async () => {
    const patch = async (body: Record<string, unknown>) => {
      const etag = String((await api('GET', `${base()}/funding`, { token: partner })).body.etag);
      return api('PATCH', `${base()}/funding`, { token: partner, headers: { 'if-match': etag }, body });
    };
    const broken = await patch({ Name: '' });
    expect(broken.status).toBe(200);
    expect(broken.body.problems).toEqual([{ field: 'Name', rule: 'must not be empty' }]);
    const refused = await api('POST', `${base()}/funding/submit-via-api`, { token: partner });
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body)).toContain('"Name"');

    // Well-formed for the model, unknown to Partner Central: the stand-in's ValidationException (FieldList) names it.
    expect((await patch({ Name: 'Ledgerly: Bedrock POC', BenefitIdentifier: 'ben-zzzzzzzzzzzzzz' })).status).toBe(200);
    const unknown = await api('POST', `${base()}/funding/submit-via-api`, { token: partner });
    expect(unknown.status, JSON.stringify(unknown.body)).toBe(422);
    expect((unknown.body.problems as { field: string }[]).map((p) => p.field)).toEqual(['BenefitIdentifier']);

    expect(rt.partnerCentral.benefits.applications()).toHaveLength(0);
    expect((await api('GET', `${base()}/funding`, { token: partner })).body).toMatchObject({ status: 'drafted', benefitApplicationId: null });
    expect((await patch({ BenefitIdentifier: BENEFIT })).body.problems).toEqual([]);
  });

  it('submit-via-api creates, associates the opportunity and submits, each once; a repeat sends nothing', async () => {
    const sent = await api('POST', `${base()}/funding/submit-via-api`, { token: partner });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    benefitApplicationId = String(sent.body.benefitApplicationId);
    expect(benefitApplicationId).toMatch(/^benappl-[0-9a-z]{14}$/);
    expect((sent.body.steps as string[]).map((s) => s.split(' ')[0])).toEqual(['CreateBenefitApplication', 'AssociateBenefitApplicationResource', 'SubmitBenefitApplication']);
    expect(sent.body.funding).toMatchObject({ status: 'submitted', benefitApplicationId });
    const atAws = rt.partnerCentral.benefits.view(benefitApplicationId);
    expect(atAws).toMatchObject({ Status: 'IN_REVIEW', Catalog: 'Sandbox', BenefitId: BENEFIT, Description: 'POC credits for Ledgerly: three months of Bedrock inference.' });
    expect(atAws.AssociatedResources).toEqual([rt.partnerCentral.catalog.view(opportunityId).Arn]);

    const again = await api('POST', `${base()}/funding/submit-via-api`, { token: partner });
    expect(again.body).toMatchObject({ replayed: true, steps: [], benefitApplicationId });
    expect(rt.partnerCentral.benefits.applications()).toHaveLength(1);
    const timeline = JSON.stringify((await api('GET', `/applications/${id}`, { token: founder })).body.timeline);
    expect(timeline).toContain(`created through the Partner Central Benefits API as ${benefitApplicationId}`);
    expect((await record()).funding?.status).toBe('submitted');
  });

  it('Action Required arrives with the reconciliation; the partner edits what UpdateBenefitApplication allows and resubmits', async () => {
    const asked = await api('POST', `/__local/partner-central/benefit-applications/${benefitApplicationId}/review`, { body: { status: 'ACTION_REQUIRED', reason: 'Attach the POC success criteria.' } });
    expect(asked.status).toBe(200);
    // The desk refuses a move it cannot make sense of (an approval needs the amount allocated).
    expect((await api('POST', `/__local/partner-central/benefit-applications/${benefitApplicationId}/review`, { body: { status: 'APPROVED' } })).status).toBe(400);
    expect((await record()).funding?.status).toBe('submitted');
    await reconcile();
    const read = await api('GET', `${base()}/funding`, { token: partner });
    expect(read.body).toMatchObject({ status: 'action_required', review: { status: 'ACTION_REQUIRED', reason: 'Attach the POC success criteria.' } });
    expect((await record()).funding?.says).toContain('asked your partner for changes');

    const etag = String(read.body.etag);
    const frozen = await api('PATCH', `${base()}/funding`, { token: partner, headers: { 'if-match': etag }, body: { BenefitIdentifier: 'ben-zzzzzzzzzzzzzz' } });
    expect(frozen.status).toBe(400);
    const fixed = await api('PATCH', `${base()}/funding`, {
      token: partner, headers: { 'if-match': etag },
      body: { BenefitApplicationDetails: { SuccessMetric: 'Answer 80% of support tickets with a 4/5 rating' } },
    });
    expect(fixed.status, JSON.stringify(fixed.body)).toBe(200);

    const resent = await api('POST', `${base()}/funding/submit-via-api`, { token: partner });
    expect(resent.status, JSON.stringify(resent.body)).toBe(200);
    expect((resent.body.steps as string[]).map((s) => s.split(' ')[0])).toEqual(['UpdateBenefitApplication', 'SubmitBenefitApplication']);
    const atAws = rt.partnerCentral.benefits.view(benefitApplicationId);
    expect(atAws.Status).toBe('IN_REVIEW');
    expect((atAws.BenefitApplicationDetails as Record<string, unknown>).SuccessMetric).toBe('Answer 80% of support tickets with a 4/5 rating');
    expect(rt.partnerCentral.benefits.applications()).toHaveLength(1);
    expect(JSON.stringify((await api('GET', `/applications/${id}`, { token: founder })).body.timeline)).toContain('Resubmitted funding request');
  });

  it('an approval with an allocation records the credits applied by itself (amount, start, expiry)', async () => {
    const now = rt.clock.now();
    expiresOn = new Date(now + 90 * DAY).toISOString().slice(0, 10);
    const approved = await api('POST', `/__local/partner-central/benefit-applications/${benefitApplicationId}/review`, {
      body: { status: 'APPROVED', amountUsd: '25000', expiresAt: `${expiresOn}T00:00:00Z` },
    });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    await reconcile();
    const mine = await record();
    expect(mine.status).toBe('credits_applied');
    expect(mine.credits).toEqual({ amountUsd: '25000.00', appliedOn: new Date(now).toISOString().slice(0, 10), expiresOn });
    expect(mine.funding).toMatchObject({ status: 'allocated', allocation: { amountUsd: '25000.00' } });
    // A second run changes nothing (the allocation is applied once).
    const version = (await api('GET', `/applications/${id}`, { token: founder })).body.timeline as unknown[];
    await reconcile();
    expect(((await api('GET', `/applications/${id}`, { token: founder })).body.timeline as unknown[]).length).toBe(version.length);

    // The other records (programs not funded through the Benefits API) keep the manual path.
    const later = new Date(now + 400 * DAY).toISOString().slice(0, 10);
    for (const [i, programId] of others.entries()) {
      const b = `/partner/applications/${id}/briefs/${programId}`;
      expect((await api('POST', `${b}/filed`, { token: partner, body: { opportunityId: `O91000${i}` } })).status).toBe(200);
      expect((await api('POST', `${b}/aws-review`, { token: partner, body: { outcome: 'approved', amountUsd: '5000.00', expiresOn: later } })).status).toBe(200);
      expect((await api('POST', `${b}/credits`, { token: partner, body: { amountUsd: '5000.00', appliedOn: new Date(now).toISOString().slice(0, 10), expiresOn: later } })).status).toBe(200);
    }
    await until('credits applied', async () => ((await api('GET', `/applications/${id}`, { token: founder })).body.status === 'credits_applied' ? true : undefined));
  });

  it('a rejected funding request: recorded from the reconciliation; the credits can still be recorded by hand', async () => {
    const b = await approvedOpportunity(partner);
    const bBase = `/partner/applications/${b.id}/briefs/${PROGRAM}`;
    await until('the approval', async () => ((await record(b.id, b.founder)).status === 'approved' ? true : undefined));
    const sent = await api('POST', `${bBase}/funding/submit-via-api`, { token: partner });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    const rejected = await api('POST', `/__local/partner-central/benefit-applications/${String(sent.body.benefitApplicationId)}/review`, { body: { status: 'REJECTED', reason: 'Not eligible for POC credits.' } });
    expect(rejected.status).toBe(200);
    await reconcile();
    const mine = await record(b.id, b.founder);
    expect(mine.status).toBe('approved');
    expect(mine.funding).toMatchObject({ status: 'rejected', allocation: null });
    expect((await api('GET', `${bBase}/funding`, { token: partner })).body).toMatchObject({ review: { status: 'REJECTED', reason: 'Not eligible for POC credits.' } });
    // The founder is told about the credit request, not that the application "moved to approved" again.
    const mails = await until('the founder\'s mail', async () => {
      const mine = (await rt.mails()).filter((m) => (m.body.text ?? '').includes(b.id) || m.subject.includes(b.id));
      return mine.some((m) => m.subject.includes('credit request is now rejected')) ? mine : undefined;
    });
    expect(mails.filter((m) => /your application is now (approved|rejected)$/.test(m.subject))).toHaveLength(0);
    // AWS cannot approve what it rejected; no submission after a rejection.
    expect((await api('POST', `/__local/partner-central/benefit-applications/${String(sent.body.benefitApplicationId)}/review`, { body: { status: 'APPROVED', amountUsd: '1' } })).status).toBe(409);
    expect((await api('POST', `${bBase}/funding/submit-via-api`, { token: partner })).body).toMatchObject({ replayed: true });

    const today = new Date(rt.clock.now()).toISOString().slice(0, 10);
    const byHand = await api('POST', `${bBase}/credits`, { token: partner, body: { amountUsd: '10000.00', appliedOn: today, expiresOn: new Date(rt.clock.now() + 200 * DAY).toISOString().slice(0, 10) } });
    expect(byHand.status, JSON.stringify(byHand.body)).toBe(200);
    expect((await record(b.id, b.founder)).status).toBe('credits_applied');
  });

  it('the 60- and 30-day expiry reminders follow the allocated credits on the moved clock', async () => {
    const move = (days: number) => fetch(`${rt.urls.api}/__local/clock`, { method: 'POST', body: JSON.stringify({ advanceDays: days }) });
    const reminders = async () => (await rt.mails()).filter((m) => /expire in/i.test(m.subject) && (m.body.text ?? '').includes(id) && (m.body.text ?? '').includes(`The ${PROGRAM} credits`));
    await move(31);
    const first = await until('the 60-day reminder', async () => ((await reminders()).length >= 1 ? await reminders() : undefined));
    expect(first[0]!.body.text).toContain(expiresOn);
    expect((await api('GET', `/applications/${id}`, { token: founder })).body.status).toBe('expiring');
    await move(31);
    await until('the 30-day reminder', async () => ((await reminders()).length >= 2 ? true : undefined));
  });
});

// Stored items are trusted on read (functions/adapters/dynamo/stored-guard.ts): everything this journey wrote must parse.
it('every item the journey wrote parses against schemas/stored-application.ts', async () => {
  const { checked, problems } = await checkStoredItems(rt.urls.dynamodb, rt.tableName);
  expect(problems).toEqual([]);
  expect(checked.application ?? 0).toBeGreaterThan(0);
});

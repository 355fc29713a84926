/**
 * End to end on the local runtime, Partner Central included (the stand-in `npm start` runs): the partner files through
 * the API, submits for AWS review (solution associated, Co-Sell / Full), a person playing AWS's reviewer asks for
 * changes; the partner reads the opportunity, loses a race with a console edit (detected, not overwritten), updates
 * on the current version and resubmits; the reviewer approves with the event lost, and the scheduled reconciliation
 * brings the approval. Every status arrives through the stack's own event rule or schedule; the Action Required event
 * is delivered twice and applied once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../lib/local/start.ts';
import { callApi, confirmFromInbox, exampleWorksheetBody, startE2eRuntime, until, waitingOnTask, type ApiOptions } from '../support/e2e.ts';
import { checkStoredItems } from '../support/stored-items.ts';

let rt: LocalRuntime;
beforeAll(async () => {
  rt = await startE2eRuntime();
}, 120_000);
afterAll(async () => rt?.stop());

const api = (method: string, path: string, opts: ApiOptions = {}) => callApi(rt, method, path, opts);
const PROGRAM = 'bedrock-poc';

type Delivery = { ok: boolean; result?: { outcome?: string } };
async function review(opportunityId: string, move: Record<string, unknown>): Promise<{ status: number; body: { deliveries?: Delivery[]; opportunity?: Record<string, unknown> } }> {
  const res = await api('POST', `/__local/partner-central/opportunities/${opportunityId}/review`, { body: move });
  return res as { status: number; body: { deliveries?: Delivery[] } };
}

describe('Partner Central end to end on the local runtime', () => {
  let id = '';
  let founder = '';
  let partner = '';
  let opportunityId = '';
  let base = '';
  const recordStatus = async (): Promise<string | undefined> => {
    const view = await api('GET', `/applications/${id}`, { token: founder });
    const records = (view.body.records ?? view.body.briefs) as { programId: string; status?: string; record?: { status: string } }[] | undefined;
    const mine = records?.find((r) => r.programId === PROGRAM);
    return mine?.status ?? mine?.record?.status;
  };

  it('a founder submits; the routed partner approves the drafts', async () => {
    const submitted = await api('POST', '/worksheets', { body: exampleWorksheetBody() });
    expect(submitted.status).toBe(202);
    id = String(submitted.body.applicationId);
    founder = String(submitted.body.founderToken);
    expect((await confirmFromInbox(rt, id)).status).toBe(200);
    partner = await rt.mintToken({ groups: ['partner'], partnerId: 'p-northwind' });
    await waitingOnTask(rt, id, 'partner-review');
    expect((await api('POST', `/partner/applications/${id}/approve`, { token: partner })).status).toBe(200);
    base = `/partner/applications/${id}/briefs/${PROGRAM}`;
  }, 90_000);

  it('files through the API and submits for AWS review with the partner\'s solution, Co-Sell and Full visibility', async () => {

    // Submitting before filing is refused and sends nothing.
    expect((await api('POST', `${base}/submit-via-api`, { token: partner })).status).toBe(409);

    const filed = await api('POST', `${base}/file-via-api`, { token: partner });
    expect(filed.status, JSON.stringify(filed.body)).toBe(200);
    opportunityId = String(filed.body.opportunityId);
    expect(rt.partnerCentral.catalog.view(opportunityId)).toMatchObject({ Catalog: 'Sandbox', LifeCycle: { ReviewStatus: 'Pending Submission' } });

    const sent = await api('POST', `${base}/submit-via-api`, { token: partner, body: {} });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(sent.body).toMatchObject({ opportunityId, involvementType: 'Co-Sell', visibility: 'Full', replayed: false });
    expect(String(sent.body.solutionId)).toMatch(/^S-\d+$/);
    expect(String(sent.body.explained)).toContain('Co-Sell');
    expect(rt.partnerCentral.catalog.view(opportunityId)).toMatchObject({ LifeCycle: { ReviewStatus: 'Submitted' }, InvolvementType: 'Co-Sell', Visibility: 'Full' });
    expect(await recordStatus()).toBe('in_aws_review');

    // A repeat sends nothing new.
    const again = await api('POST', `${base}/submit-via-api`, { token: partner });
    expect(again.body).toMatchObject({ opportunityId, replayed: true });
    const founderView = await api('GET', `/applications/${id}`, { token: founder });
    const timeline = JSON.stringify(founderView.body.timeline);
    expect(timeline).toContain('Submitted');
    expect(timeline).toContain('for AWS review');
  });

  it('Action Required from the reviewer arrives through the stack\'s event rule; the same event delivered twice is applied once', async () => {
    const asked = await review(opportunityId, { status: 'Action Required', comments: 'Add the customer\'s public website.', reason: 'Missing information', event: 'duplicated' });
    expect(asked.status).toBe(200);
    expect(asked.body.deliveries?.map((d) => d.ok && d.result?.outcome).sort()).toEqual(['applied', 'duplicate']);
    expect(await recordStatus()).toBe('action_required');
    const timeline = (await api('GET', `/applications/${id}`, { token: founder })).body.timeline as unknown[];
    expect(timeline.map((t) => JSON.stringify(t)).filter((t) => t.includes('Add the customer'))).toHaveLength(1);
    // The reviewer cannot approve what is not with AWS.
    expect((await review(opportunityId, { status: 'Approved' })).status).toBe(409);
    expect((await review(opportunityId, { status: 'Rejected', closedLostReason: 'Not a reason' })).status).toBe(400);
  });

  it('an update based on a version the console has since changed is refused (409) and overwrites nothing; on the current one it applies; then resubmitted', async () => {
    const read = await api('GET', `${base}/opportunity`, { token: partner });
    expect(read.status).toBe(200);
    expect(read.body.reviewStatus).toBe('Action Required');
    const seen = String(read.body.lastModifiedDate);

    const edit = await api('POST', `/__local/partner-central/opportunities/${opportunityId}/console-edit`, { body: { LifeCycle: { NextSteps: 'Edited in the console' } } });
    expect(edit.status).toBe(200);
    const stale = await api('POST', `${base}/update-via-api`, { token: partner, body: { basedOn: seen, changes: { LifeCycle: { NextSteps: 'Website added' } } } });
    expect(stale.status).toBe(409);
    expect(String(stale.body.message)).toContain('changed in Partner Central');
    expect((rt.partnerCentral.catalog.view(opportunityId).LifeCycle as Record<string, unknown>).NextSteps).toBe('Edited in the console');

    const bad = await api('POST', `${base}/update-via-api`, { token: partner, body: { basedOn: seen, changes: { Id: 'O1' } } });
    expect(bad.status).toBe(422);

    const fresh = await api('GET', `${base}/opportunity`, { token: partner });
    const website = 'https://www.ledgerly.ai/company';
    const current = fresh.body.opportunity as { Customer: { Account: Record<string, unknown> } };
    // Inside an updatable member too: what does not fit the model is refused, naming it, and nothing is sent or copied
    // into the brief (before, an unknown or mistyped nested field went to Partner Central and into the brief as it was).
    const savedBefore = rt.partnerCentral.catalog.view(opportunityId).LastModifiedDate;
    const badInside = await api('POST', `${base}/update-via-api`, {
      token: partner, body: { basedOn: fresh.body.lastModifiedDate, changes: { LifeCycle: { NextSteps: 'Website added', Junk: 1 }, Project: { Title: 'x'.repeat(256) } } },
    });
    expect(badInside.status, JSON.stringify(badInside.body)).toBe(422);
    expect(badInside.body.problems).toEqual([
      { field: 'changes.Project.Title', rule: 'must be at most 255 characters' },
      { field: 'changes.LifeCycle.Junk', rule: 'unknown field not allowed' },
    ]);
    expect(rt.partnerCentral.catalog.view(opportunityId).LastModifiedDate).toBe(savedBefore);
    const updated = await api('POST', `${base}/update-via-api`, {
      token: partner,
      body: { basedOn: fresh.body.lastModifiedDate, changes: { Customer: { ...current.Customer, Account: { ...current.Customer.Account, WebsiteUrl: website } } } },
    });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    expect(updated.body.replayed).toBe(false);
    expect(rt.partnerCentral.catalog.view(opportunityId)).toMatchObject({ Customer: { Account: { WebsiteUrl: website } }, LifeCycle: { NextSteps: 'Edited in the console' } });

    // Recorded: the founder reads what was fixed; the record stays in Action Required until resubmitted; the brief
    // now holds what ACE holds (a new revision).
    const briefOf = async () => {
      const view = await api('GET', `/partner/applications/${id}`, { token: partner });
      return (view.body.briefs as { programId: string; createOpportunity: { Customer: { Account: Record<string, unknown> } }; revision?: number }[]).find((b) => b.programId === PROGRAM);
    };
    expect((await briefOf())?.createOpportunity.Customer.Account.WebsiteUrl).toBe(website);
    expect((await briefOf())?.revision).toBe(updated.body.briefRevision);
    const notesAbout = async () => ((await api('GET', `/applications/${id}`, { token: founder })).body.timeline as { reason?: string; message?: string }[])
      .map((t) => JSON.stringify(t)).filter((t) => t.includes(`Updated ${opportunityId} in Partner Central`));
    expect(await notesAbout()).toHaveLength(1);
    expect((await notesAbout())[0]).toContain('Customer');
    expect(await recordStatus()).toBe('action_required');

    // The same request again (the answer was lost): Partner Central already has it, nothing is sent or recorded twice.
    const savedAt = rt.partnerCentral.catalog.view(opportunityId).LastModifiedDate;
    const repeat = await api('POST', `${base}/update-via-api`, {
      token: partner,
      body: { basedOn: fresh.body.lastModifiedDate, changes: { Customer: { ...current.Customer, Account: { ...current.Customer.Account, WebsiteUrl: website } } } },
    });
    expect(repeat.status, JSON.stringify(repeat.body)).toBe(200);
    expect(repeat.body.replayed).toBe(true);
    expect(rt.partnerCentral.catalog.view(opportunityId).LastModifiedDate).toBe(savedAt);
    expect(await notesAbout()).toHaveLength(1);

    // The cut between the two writes: Partner Central took a change (here made as if our process died right after
    // UpdateOpportunity), our record did not. Repeating the request records it without sending it again.
    const crashed = { Project: { ...(fresh.body.opportunity as { Project: Record<string, unknown> }).Project, AdditionalComments: 'Public website added for the reviewer.' } };
    expect((await api('POST', `/__local/partner-central/opportunities/${opportunityId}/console-edit`, { body: crashed })).status).toBe(200);
    const beforeRepair = rt.partnerCentral.catalog.view(opportunityId).LastModifiedDate;
    const repaired = await api('POST', `${base}/update-via-api`, { token: partner, body: { basedOn: fresh.body.lastModifiedDate, changes: crashed } });
    expect(repaired.status, JSON.stringify(repaired.body)).toBe(200);
    expect(repaired.body.replayed).toBe(true);
    expect(rt.partnerCentral.catalog.view(opportunityId).LastModifiedDate).toBe(beforeRepair);
    expect(await notesAbout()).toHaveLength(2);

    const resubmitted = await api('POST', `${base}/submit-via-api`, { token: partner });
    expect(resubmitted.status, JSON.stringify(resubmitted.body)).toBe(200);
    expect(rt.partnerCentral.catalog.view(opportunityId)).toMatchObject({ LifeCycle: { ReviewStatus: 'Submitted' } });
    expect(await recordStatus()).toBe('in_aws_review');
    const timeline = JSON.stringify((await api('GET', `/applications/${id}`, { token: founder })).body.timeline);
    expect(timeline).toContain('Resubmitted');
  });

  it('an approval whose event is lost arrives with the scheduled reconciliation', async () => {
    const approved = await review(opportunityId, { status: 'Approved', event: 'lost' });
    expect(approved.status).toBe(200);
    expect(approved.body.deliveries).toEqual([]);
    expect(await recordStatus()).toBe('in_aws_review');
    const reconcile = rt.schedules.specs.find((s) => s.logicalId.includes('Reconcile'));
    await rt.schedules.runNow(reconcile?.logicalId);
    await until('the approval', async () => ((await recordStatus()) === 'approved' ? true : undefined));
  });
});

// Stored items are trusted on read (functions/adapters/dynamo/stored-guard.ts): everything this journey wrote must parse.
it('every item the journey wrote parses against schemas/stored-application.ts', async () => {
  const { checked, problems } = await checkStoredItems(rt.urls.dynamodb, rt.tableName);
  expect(problems).toEqual([]);
  expect(checked.application ?? 0).toBeGreaterThan(0);
});

/**
 * UpdateOpportunity under Action Required (functions/usecases/partner-central-update.ts) against dynalite and the
 * local Partner Central stand-in, both in-process: what is refused before anything is read or sent, the update based
 * on the LastModifiedDate the partner read (the whole opportunity, as UpdateOpportunity takes it), after the write slot; the note and the brief's copy; a repeat, a crash
 * between UpdateOpportunity and our record, a console edit since the read, a concurrent write to our record. Runs in
 * the mutate suite (vitest.mutate.config.ts), so StrykerJS sees it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { appendNote } from '../../functions/adapters/dynamo/applications-edits.ts';
import { tryTakeWriteSlot } from '../../functions/adapters/dynamo/partner-central-store.ts';
import { logger } from '../../functions/adapters/observability.ts';
import { UPDATABLE_MEMBERS, updatePayload } from '../../functions/core/ace/partner-central-submission.ts';
import { ConflictError, NotFoundError, TooManyRequestsError, UnprocessableError } from '../../functions/core/errors.ts';
import type * as Update from '../../functions/usecases/partner-central-update.ts';
import type { Application } from '../../schemas/application.ts';
import {
  callbacksFor, callsOf, createAtStandIn, PROGRAM, roleArnOf, seedApplication, seedFiled, seedPartner, startUsecaseHarness, type UsecaseHarness,
} from '../support/partner-central-usecases.ts';

let h: UsecaseHarness;
let update: typeof Update;

beforeAll(async () => {
  h = await startUsecaseHarness();
  update = await import('../../functions/usecases/partner-central-update.ts');
});
afterAll(async () => h?.stop());
afterEach(() => {
  vi.restoreAllMocks();
  h.pass(10_000);
});

type Customer = { Account: Record<string, unknown> } & Record<string, unknown>;
const WEBSITE = 'https://www.ledgerly.ai/company';

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

/** A record in Action Required: submitted at the stand-in, the reviewer asked for changes; what the partner read. */
async function actionRequired(partnerId: string, account: string, extra: Partial<Application> = {}) {
  await seedPartner(h, partnerId, account);
  const { app, opportunityId } = await seedFiled(h, partnerId, account, 'action_required', extra);
  return { app, opportunityId, ...askForChanges(account, opportunityId) };
}

/** The opportunity submitted (a solution associated) and sent back by the reviewer: the version read and a change to it. */
function askForChanges(account: string, opportunityId: string) {
  const solution = h.server.standIn.catalog.addSolution(account, 'Sandbox', 'Only one');
  const caller = { accountId: account, roleArn: roleArnOf(account) };
  h.server.standIn.catalog.AssociateOpportunity(caller, { Catalog: 'Sandbox', OpportunityIdentifier: opportunityId, RelatedEntityType: 'Solutions', RelatedEntityIdentifier: solution.id });
  h.server.standIn.catalog.SubmitOpportunity(caller, { Catalog: 'Sandbox', Identifier: opportunityId, InvolvementType: 'Co-Sell', Visibility: 'Full' });
  h.server.standIn.catalog.review(opportunityId, { status: 'Action Required', comments: 'Add the customer website.' });
  h.pass(10_000);
  const view = h.server.standIn.catalog.view(opportunityId);
  const customer = view.Customer as Customer;
  // The whole member, its website changed (UpdateOpportunity replaces each member it is sent).
  const changes = { Customer: { ...customer, Account: { ...customer.Account, WebsiteUrl: WEBSITE } } };
  return { basedOn: String(view.LastModifiedDate), changes };
}

const args = (applicationId: string, partnerId: string, basedOn: string, changes: Record<string, unknown>) => ({ applicationId, programId: PROGRAM, partnerId, basedOn, changes });
const websiteAt = (opportunityId: string) => ((h.server.standIn.catalog.view(opportunityId).Customer as Customer).Account.WebsiteUrl);
const notesOf = async (id: string, opportunityId: string) => (await h.applications.mustGet(id)).transitions.filter((t) => t.reason.startsWith(`Updated ${opportunityId} in Partner Central`));

describe('updateViaApi', () => {
  it('sends the change based on the version read, after the write slot; records a note, copies it into the brief, calls nothing back', async () => {
    const { app, opportunityId, basedOn, changes } = await actionRequired('p-upd1', '720000000001');
    const before = h.server.standIn.catalog.view(opportunityId);
    const info = vi.spyOn(logger, 'info');

    const result = await update.updateViaApi(h.deps(), args(app.id, 'p-upd1', basedOn, changes));

    const saved = String(h.server.standIn.catalog.view(opportunityId).LastModifiedDate);
    expect(Date.parse(saved)).toBeGreaterThan(Date.parse(basedOn));
    expect(result).toEqual({ opportunityId, lastModifiedDate: saved, replayed: false, briefRevision: 2 });
    expect(callsOf(h, '720000000001').map((c) => c.operation)).toEqual(['GetOpportunity', 'UpdateOpportunity']);
    const sent = callsOf(h, '720000000001', 'UpdateOpportunity')[0]!.body;
    // The whole opportunity as read, the change in place: Partner Central sets a member left out to null.
    expect(sent).toMatchObject({ ...changes, Catalog: 'Sandbox', Identifier: opportunityId, Project: before.Project, LifeCycle: { ...(before.LifeCycle as object), ReviewStatus: 'Action Required' } });
    expect(Object.keys(sent).sort()).toEqual(['Catalog', 'Customer', 'Identifier', 'LastModifiedDate', 'LifeCycle', 'Marketing', 'OpportunityType', 'PartnerOpportunityIdentifier', 'PrimaryNeedsFromAws', 'Project']);
    expect(Date.parse(String(sent.LastModifiedDate))).toBe(Date.parse(basedOn));
    expect(websiteAt(opportunityId)).toBe(WEBSITE);
    const after = h.server.standIn.catalog.view(opportunityId);
    expect(after).toMatchObject({ Project: before.Project, Marketing: before.Marketing, LifeCycle: { TargetCloseDate: (before.LifeCycle as { TargetCloseDate: string }).TargetCloseDate, ReviewStatus: 'Action Required' } });

    const stored = await h.applications.mustGet(app.id);
    expect(stored.status).toBe('action_required');
    expect(stored.briefs?.[0]).toMatchObject({ revision: 2, body: { Customer: changes.Customer }, record: { status: 'action_required', opportunityId } });
    expect(stored.transitions.at(-1)).toMatchObject({
      from: 'action_required', to: 'action_required', actor: { kind: 'partner', id: 'p-upd1' },
      reason: `Updated ${opportunityId} in Partner Central to answer AWS's Action Required (changed: Customer); Partner Central saved it at ${saved}. It goes back to AWS when resubmitted.`,
    });
    expect(callbacksFor(h, app.id)).toEqual([]);
    expect(info).toHaveBeenCalledWith('Opportunity updated through Partner Central', { programId: PROGRAM, opportunityId, members: ['Customer'] });
  });

  it('the same request again (its answer lost) sends nothing and records nothing twice', async () => {
    const { app, opportunityId, basedOn, changes } = await actionRequired('p-upd2', '720000000002');
    const first = await update.updateViaApi(h.deps(), args(app.id, 'p-upd2', basedOn, changes));
    const again = await update.updateViaApi(h.deps(), args(app.id, 'p-upd2', basedOn, changes));
    expect(again).toEqual({ opportunityId, lastModifiedDate: first.lastModifiedDate, replayed: true, briefRevision: 2 });
    expect(callsOf(h, '720000000002', 'UpdateOpportunity')).toHaveLength(1);
    expect(await notesOf(app.id, opportunityId)).toHaveLength(1);
  });

  it('after a crash between UpdateOpportunity and our record, the repeat records the change without sending it again', async () => {
    const { app, opportunityId, basedOn, changes } = await actionRequired('p-upd3', '720000000003');
    // Partner Central took the change; our process died before recording it.
    const whole = updatePayload(h.server.standIn.catalog.view(opportunityId), changes);
    h.server.standIn.catalog.UpdateOpportunity({ accountId: '720000000003', roleArn: roleArnOf('720000000003') }, { ...whole, Catalog: 'Sandbox', Identifier: opportunityId, LastModifiedDate: basedOn });
    const saved = String(h.server.standIn.catalog.view(opportunityId).LastModifiedDate);
    const info = vi.spyOn(logger, 'info');

    const result = await update.updateViaApi(h.deps(), args(app.id, 'p-upd3', basedOn, changes));
    expect(result).toEqual({ opportunityId, lastModifiedDate: saved, replayed: true, briefRevision: 2 });
    expect(callsOf(h, '720000000003').map((c) => c.operation)).toEqual(['GetOpportunity']);
    expect(await notesOf(app.id, opportunityId)).toHaveLength(1);
    expect((await h.applications.mustGet(app.id)).briefs?.[0]?.body.Customer).toEqual(changes.Customer);
    expect(info).not.toHaveBeenCalledWith('Opportunity updated through Partner Central', expect.anything());
  });

  it('a brief that already holds a change Partner Central has: nothing sent or written, and no revision to answer', async () => {
    const { app, opportunityId, basedOn } = await actionRequired('p-upd4', '720000000004');
    const brief = app.briefs![0]!;
    const same = { Customer: brief.body.Customer };
    const unrevised = await seedApplication(h, 'p-upd4', brief.record!, { briefs: [{ ...brief, revision: undefined }] });
    const result = await update.updateViaApi(h.deps(), args(unrevised.id, 'p-upd4', basedOn, same));
    expect(result).toEqual({ opportunityId, lastModifiedDate: basedOn, replayed: true });
    expect(result).not.toHaveProperty('briefRevision');
    expect(callsOf(h, '720000000004', 'UpdateOpportunity')).toEqual([]);
    expect((await h.applications.mustGet(unrevised.id)).version).toBe(2);
  });

  it('a write to our record between the read and the note (a lost race) is re-read and the note written once after it', async () => {
    const { app, opportunityId, basedOn, changes } = await actionRequired('p-upd5', '720000000005');
    const applications = h.applications;
    let reads = 0;
    // The second read is recordApiUpdate's first: someone else writes a note right after it.
    const racing = Object.create(applications, {
      get: {
        value: async (id: string) => {
          const got = await applications.get(id);
          reads += 1;
          if (reads === 2 && got) {
            await appendNote(applications, got, { at: h.clock.now().toISOString(), actor: { kind: 'system', id: 'Notify' }, from: got.status, to: got.status, reason: 'a concurrent note', version: got.version + 1 });
          }
          return got;
        },
      },
    }) as typeof applications;
    const result = await update.updateViaApi({ ...h.deps(), applications: racing }, args(app.id, 'p-upd5', basedOn, changes));
    expect(result).toMatchObject({ opportunityId, replayed: false, briefRevision: 2 });
    const stored = await h.applications.mustGet(app.id);
    expect(stored.transitions.slice(-2).map((t) => t.reason)).toEqual(['a concurrent note', expect.stringContaining(`Updated ${opportunityId} in Partner Central`)]);
  });
  it('updates this program\'s record among several and answers its brief\'s revision; a program without a brief is not found', async () => {
    await seedPartner(h, 'p-upd12', '720000000012');
    const opportunityId = createAtStandIn(h, '720000000012');
    const other = { programId: 'map', body: {}, problems: [], revision: 7, record: { status: 'action_required' as const, opportunityId: 'O7200009', filedVia: 'api' as const } };
    const app = await seedApplication(h, 'p-upd12', { status: 'action_required' }, { briefs: [
      other, { programId: PROGRAM, body: {}, problems: [], revision: 1, record: { status: 'action_required', opportunityId, filedVia: 'api' } },
    ] });
    const { basedOn, changes } = askForChanges('720000000012', opportunityId);
    const result = await update.updateViaApi(h.deps(), args(app.id, 'p-upd12', basedOn, changes));
    expect(result).toMatchObject({ opportunityId, replayed: false, briefRevision: 2 });
    expect((await h.applications.mustGet(app.id)).briefs?.[0]).toEqual(other);
    await expect(update.updateViaApi(h.deps(), { ...args(app.id, 'p-upd12', basedOn, changes), programId: 'activate' })).rejects.toThrow(new NotFoundError('The activate record has no opportunity'));
  });
});

describe('updateViaApi: refusals send nothing', () => {
  it('members a partner may not change: 422 naming each, before anything is read', async () => {
    const { app, opportunityId, basedOn, changes } = await actionRequired('p-upd6', '720000000006');
    const error = await rejection(update.updateViaApi(h.deps(), args(app.id, 'p-upd6', basedOn, { ...changes, Id: 'O1', Stage: 'Launched' })));
    expect(error).toBeInstanceOf(UnprocessableError);
    expect(error.message).toBe('Only the opportunity members a partner may change can be updated');
    expect((error as UnprocessableError).problems).toEqual([
      { field: 'changes.Id', rule: `is not updatable: one of ${UPDATABLE_MEMBERS.join(', ')}` },
      { field: 'changes.Stage', rule: `is not updatable: one of ${UPDATABLE_MEMBERS.join(', ')}` },
    ]);
    expect(UPDATABLE_MEMBERS.join(', ')).toBe('PrimaryNeedsFromAws, NationalSecurity, PartnerOpportunityIdentifier, Customer, Project, OpportunityType, Marketing, SoftwareRevenue, LifeCycle');
    expect(callsOf(h, '720000000006')).toEqual([]);
    expect(websiteAt(opportunityId)).not.toBe(WEBSITE);
  });

  it('changes that do not fit the opportunity model: 422 with the problems, nothing sent', async () => {
    const { app, basedOn } = await actionRequired('p-upd7', '720000000007');
    const error = await rejection(update.updateViaApi(h.deps(), args(app.id, 'p-upd7', basedOn, { Project: { Title: 'x'.repeat(256) } })));
    expect(error).toBeInstanceOf(UnprocessableError);
    expect(error.message).toBe('The changes do not fit the opportunity model; nothing was sent');
    expect((error as UnprocessableError).problems).toEqual([{ field: 'changes.Project.Title', rule: 'must be at most 255 characters' }]);
    expect(callsOf(h, '720000000007')).toEqual([]);
  });

  it('a console edit since the read: 409 naming when, the edit kept', async () => {
    const { app, opportunityId, basedOn, changes } = await actionRequired('p-upd8', '720000000008');
    h.server.standIn.catalog.consoleEdit(opportunityId, { LifeCycle: { NextSteps: 'Edited in the console' } });
    await expect(update.updateViaApi(h.deps(), args(app.id, 'p-upd8', basedOn, changes))).rejects.toThrow(ConflictError);
    expect(callsOf(h, '720000000008').map((c) => c.operation)).toEqual(['GetOpportunity']);
    expect(await notesOf(app.id, opportunityId)).toEqual([]);
  });

  it('the partner account\'s write slot held far ahead: 429, nothing sent or recorded', async () => {
    const { app, opportunityId, basedOn, changes } = await actionRequired('p-upd9', '720000000009');
    const now = h.clock.now();
    await tryTakeWriteSlot(h.store, '720000000009', now, now.getTime() + 60_000);
    await expect(update.updateViaApi(h.deps(), args(app.id, 'p-upd9', basedOn, changes))).rejects.toThrow(TooManyRequestsError);
    expect(callsOf(h, '720000000009').map((c) => c.operation)).toEqual(['GetOpportunity']);
    expect(await notesOf(app.id, opportunityId)).toEqual([]);
  });

  it('no role (422 naming the console), another partner (404), a record with no opportunity (404)', async () => {
    await seedPartner(h, 'p-upd10', '720000000010', null);
    const noRole = await seedApplication(h, 'p-upd10', { status: 'action_required', opportunityId: 'O7200001', filedVia: 'api' });
    await expect(update.updateViaApi(h.deps(), args(noRole.id, 'p-upd10', '2026-12-07T12:00:00Z', { LifeCycle: { NextSteps: 'x' } })))
      .rejects.toThrow('No Partner Central role is registered for this partner: submit in the Partner Central console, or register a role');
    const { app } = await actionRequired('p-upd11', '720000000011');
    await expect(update.updateViaApi(h.deps(), args(app.id, 'p-upd10', '2026-12-07T12:00:00Z', { LifeCycle: { NextSteps: 'x' } }))).rejects.toThrow(new NotFoundError(`Application ${app.id} not found`));
    const none = await seedApplication(h, 'p-upd11', { status: 'approved_for_filing' });
    await expect(update.updateViaApi(h.deps(), args(none.id, 'p-upd11', '2026-12-07T12:00:00Z', { LifeCycle: { NextSteps: 'x' } }))).rejects.toThrow(new NotFoundError(`The ${PROGRAM} record has no opportunity`));
    const other = await seedApplication(h, 'p-upd11', { status: 'approved_for_filing' }, { briefs: undefined });
    await expect(update.updateViaApi(h.deps(), { ...args(other.id, 'p-upd11', '2026-12-07T12:00:00Z', { LifeCycle: { NextSteps: 'x' } }), programId: 'map' })).rejects.toThrow(NotFoundError);
    expect(callsOf(h, '720000000011')).toEqual([]);
  });
});

/**
 * Following AWS's review (functions/usecases/partner-central-sync.ts) against dynalite and the local Partner Central
 * stand-in, both in-process: a review status applied to the record and called back, a repeat skipped, a lost callback
 * caught up, a move the rules refuse left alone; the events' dedupe, the mapping and the partner's role; the
 * reconciliation's pages, outcomes, watermark and open set, and one partner's failure among several. Runs in the
 * mutate suite (vitest.mutate.config.ts), so StrykerJS sees it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { applyTransition } from '../../functions/adapters/dynamo/applications.ts';
import { saveTaskToken } from '../../functions/adapters/dynamo/applications-tasks.ts';
import {
  getWatermark, initWatermark, openOpportunities, putOpportunityMapping, trackOpen, type OpportunityMapping,
} from '../../functions/adapters/dynamo/partner-central-store.ts';
import { logger } from '../../functions/adapters/observability.ts';
import { TransientError } from '../../functions/core/errors.ts';
import { planSyncedReview, reviewFromLifeCycle } from '../../functions/core/ace/partner-central-rules.ts';
import type * as Sync from '../../functions/usecases/partner-central-sync.ts';
import type { Application, RecordState } from '../../schemas/application.ts';
import type { PartnerProfile, PartnerWithLoad } from '../../schemas/partner.ts';
import {
  callbacksFor, callsOf, createAtStandIn, PROGRAM, roleArnOf, seedApplication, seedFiled, seedPartner, startUsecaseHarness, type UsecaseHarness,
} from '../support/partner-central-usecases.ts';
import { fixture } from '../support/partner-central-server.ts';

let h: UsecaseHarness;
let sync: typeof Sync;

beforeAll(async () => {
  h = await startUsecaseHarness();
  sync = await import('../../functions/usecases/partner-central-sync.ts');
});
afterAll(async () => h?.stop());
afterEach(() => {
  vi.restoreAllMocks();
  h.pass(10_000);
});

const recordOf = async (id: string) => (await h.applications.mustGet(id)).briefs?.[0]?.record;
const recordChanged = (token: string) => ({ taskToken: token, output: { event: 'record-changed', programId: PROGRAM } });
const later = (ms: number) => new Date(h.clock.now().getTime() + ms);

/** A record filed through the API, its opportunity at the stand-in, mapped and followed (as fileViaApi leaves it). */
async function followed(partnerId: string, account: string, status: RecordState['status'] = 'filed'): Promise<{ app: Application; opportunityId: string; mapping: OpportunityMapping }> {
  const { app, opportunityId } = await seedFiled(h, partnerId, account, status);
  const mapping = { catalog: 'Sandbox', opportunityId, applicationId: app.id, programId: PROGRAM, partnerId };
  await putOpportunityMapping(h.store, mapping, h.clock.now());
  await trackOpen(h.store, partnerId, 'Sandbox', opportunityId);
  return { app, opportunityId, mapping };
}

/** The stand-in's opportunity submitted (a solution associated), then the reviewer's move. */
function reviewAtStandIn(account: string, opportunityId: string, move?: Parameters<typeof h.server.standIn.catalog.review>[1]): void {
  const caller = { accountId: account, roleArn: roleArnOf(account) };
  const solution = h.server.standIn.catalog.addSolution(account, 'Sandbox', 'Only one');
  h.server.standIn.catalog.AssociateOpportunity(caller, { Catalog: 'Sandbox', OpportunityIdentifier: opportunityId, RelatedEntityType: 'Solutions', RelatedEntityIdentifier: solution.id });
  h.server.standIn.catalog.SubmitOpportunity(caller, { Catalog: 'Sandbox', Identifier: opportunityId, InvolvementType: 'Co-Sell', Visibility: 'Full' });
  if (move) h.server.standIn.catalog.review(opportunityId, move);
}

/** A profile as the partners table answers it (with its open-application count). */
const withLoad = (profile: PartnerProfile): PartnerWithLoad => ({ ...profile, load: 0 });
const observed = (opportunityId: string, lifeCycle?: Record<string, unknown>) => ({ opportunityId, ...(lifeCycle ? { lifeCycle } : {}) }) as Parameters<typeof Sync.applyObservedReview>[2];

describe('applyObservedReview', () => {
  it('applies Action Required with AWS\'s words by system/partner-central, calls back, and keeps following the record', async () => {
    await seedPartner(h, 'p-sync1', '740000000001');
    const { app, opportunityId, mapping } = await followed('p-sync1', '740000000001');
    const info = vi.spyOn(logger, 'info');
    const outcome = await sync.applyObservedReview(h.deps(), mapping, observed(opportunityId, { ReviewStatus: 'Action Required', ReviewComments: 'Add the website.', ReviewStatusReason: 'Missing information' }));
    expect(outcome).toBe('applied');
    expect(await recordOf(app.id)).toMatchObject({ status: 'action_required', awsReview: { comments: 'Add the website.', reason: 'Missing information' } });
    expect((await h.applications.mustGet(app.id)).transitions.at(-1)).toMatchObject({ actor: { kind: 'system', id: 'partner-central' }, record: { programId: PROGRAM, from: 'filed', to: 'action_required' } });
    expect(callbacksFor(h, app.id)).toEqual([recordChanged(`token-${app.id}-1`)]);
    expect(await openOpportunities(h.store, 'p-sync1', 'Sandbox')).toEqual([opportunityId]);
    expect(info).toHaveBeenCalledWith('Partner Central review applied', { applicationId: app.id, programId: PROGRAM, opportunityId, reviewStatus: 'Action Required', to: 'action_required' });
  });

  it('an approval is applied and the record is no longer followed', async () => {
    await seedPartner(h, 'p-sync2', '740000000002');
    const { app, opportunityId, mapping } = await followed('p-sync2', '740000000002', 'in_aws_review');
    expect(await sync.applyObservedReview(h.deps(), mapping, observed(opportunityId, { ReviewStatus: 'Approved' }))).toBe('applied');
    expect(await recordOf(app.id)).toMatchObject({ status: 'approved' });
    expect(await openOpportunities(h.store, 'p-sync2', 'Sandbox')).toEqual([]);
  });

  it('stops following a decided record by its own program\'s status, whatever the other records of the application', async () => {
    await seedPartner(h, 'p-sync7', '740000000007');
    const brief = { body: {}, problems: [], revision: 1 };
    const app = await seedApplication(h, 'p-sync7', { status: 'filed' }, { status: 'in_aws_review', briefs: [
      { ...brief, programId: 'map', record: { status: 'filed', opportunityId: 'O7400071', filedVia: 'api' } },
      { ...brief, programId: PROGRAM, record: { status: 'in_aws_review', opportunityId: 'O7400072', filedVia: 'api' } },
    ] });
    for (const [programId, opportunityId] of [['map', 'O7400071'], [PROGRAM, 'O7400072']] as const) {
      await putOpportunityMapping(h.store, { catalog: 'Sandbox', opportunityId, applicationId: app.id, programId, partnerId: 'p-sync7' }, h.clock.now());
      await trackOpen(h.store, 'p-sync7', 'Sandbox', opportunityId);
    }
    const mapping = { catalog: 'Sandbox', opportunityId: 'O7400072', applicationId: app.id, programId: PROGRAM, partnerId: 'p-sync7' };
    expect(await sync.applyObservedReview(h.deps(), mapping, observed('O7400072', { ReviewStatus: 'Approved' }))).toBe('applied');
    expect(await openOpportunities(h.store, 'p-sync7', 'Sandbox')).toEqual(['O7400071']);
  });

  it('no review status (no LifeCycle, or Pending Submission): nothing written, nothing called back', async () => {
    await seedPartner(h, 'p-sync3', '740000000003');
    const { app, opportunityId, mapping } = await followed('p-sync3', '740000000003');
    expect(await sync.applyObservedReview(h.deps(), mapping, observed(opportunityId))).toBe('no-review-status');
    expect(await sync.applyObservedReview(h.deps(), mapping, observed(opportunityId, { ReviewStatus: 'Pending Submission' }))).toBe('no-review-status');
    expect((await h.applications.mustGet(app.id)).version).toBe(2);
    expect(callbacksFor(h, app.id)).toEqual([]);
  });

  it('the same status again once the workflow waits again (its newest token after the change): unchanged, no callback', async () => {
    await seedPartner(h, 'p-sync4', '740000000004');
    const { app, opportunityId, mapping } = await followed('p-sync4', '740000000004');
    const approved = observed(opportunityId, { ReviewStatus: 'In review' });
    expect(await sync.applyObservedReview(h.deps(), mapping, approved)).toBe('applied');
    // The workflow moved on to its next wait; an older token of the other kind is left from before.
    await saveTaskToken(h.applications, app.id, 'credits', `token-${app.id}-old`, { now: new Date('2026-01-01T00:00:00Z'), expiresAt: new Date('2099-01-01T00:00:00Z') });
    await saveTaskToken(h.applications, app.id, 'aws-decision', `token-${app.id}-2`, { now: later(1000), expiresAt: new Date('2099-01-01T00:00:00Z') });
    h.pass(2000);
    expect(await sync.applyObservedReview(h.deps(), mapping, approved)).toBe('unchanged');
    expect(callbacksFor(h, app.id)).toHaveLength(1);
  });

  it('a change written before a crash (its callback lost) is called back once when the status is seen again', async () => {
    await seedPartner(h, 'p-sync5', '740000000005');
    const { app, opportunityId, mapping } = await followed('p-sync5', '740000000005');
    const review = reviewFromLifeCycle({ ReviewStatus: 'In review' })!;
    h.pass(1000); // the change comes after the workflow's wait began
    const current = await h.applications.mustGet(app.id);
    const plan = planSyncedReview({ app: current, programId: PROGRAM, review, now: h.clock.now() });
    if (plan.kind !== 'apply' || plan.command.kind !== 'apply') throw new Error('expected a plan');
    await applyTransition(h.applications, current, plan.command.plan, plan.command.changes);
    const info = vi.spyOn(logger, 'info');

    expect(await sync.applyObservedReview(h.deps(), mapping, observed(opportunityId, { ReviewStatus: 'In review' }))).toBe('caught-up');
    expect(callbacksFor(h, app.id)).toEqual([recordChanged(`token-${app.id}-1`)]);
    expect(info).toHaveBeenCalledWith('Partner Central review: callback caught up', { applicationId: app.id, programId: PROGRAM, opportunityId, reviewStatus: 'In review' });
    expect((await h.applications.mustGet(app.id)).transitions.filter((t) => t.record?.to === 'in_aws_review')).toHaveLength(1);
  });

  it('a move the rules refuse (a decided record) is not applicable: left alone, and no longer followed', async () => {
    await seedPartner(h, 'p-sync6', '740000000006');
    const { app, opportunityId, mapping } = await followed('p-sync6', '740000000006', 'credits_applied');
    const info = vi.spyOn(logger, 'info');
    expect(await sync.applyObservedReview(h.deps(), mapping, observed(opportunityId, { ReviewStatus: 'Action Required', ReviewComments: 'x' }))).toBe('not-applicable');
    expect(await recordOf(app.id)).toMatchObject({ status: 'credits_applied' });
    expect(callbacksFor(h, app.id)).toEqual([]);
    expect(await openOpportunities(h.store, 'p-sync6', 'Sandbox')).toEqual([]);
    expect(info).toHaveBeenCalledWith('Partner Central review not applicable', expect.objectContaining({ applicationId: app.id, opportunityId, reviewStatus: 'Action Required', detail: expect.stringContaining('credits_applied') }));
  });
});

describe('handleOpportunityEvent', () => {
  const eventFor = (opportunityId: string, id: string): Record<string, unknown> => {
    const e = fixture('opportunity-updated-event');
    return { ...e, id, detail: { ...(e.detail as object), opportunity: { identifier: opportunityId } } };
  };

  it('reads the opportunity as its partner and applies it once; a duplicate delivery is ignored', async () => {
    await seedPartner(h, 'p-evt1', '741000000001');
    const { app, opportunityId } = await followed('p-evt1', '741000000001');
    reviewAtStandIn('741000000001', opportunityId, { status: 'Action Required', comments: 'Add the website.' });
    const info = vi.spyOn(logger, 'info');
    expect(await sync.handleOpportunityEvent(h.deps(), eventFor(opportunityId, 'evt-1'))).toBe('applied');
    expect(await recordOf(app.id)).toMatchObject({ status: 'action_required', awsReview: { comments: 'Add the website.' } });
    expect(callsOf(h, '741000000001')).toEqual([{ operation: 'GetOpportunity', body: { Catalog: 'Sandbox', Identifier: opportunityId } }]);
    expect(await sync.handleOpportunityEvent(h.deps(), eventFor(opportunityId, 'evt-1'))).toBe('duplicate');
    expect(callsOf(h, '741000000001')).toHaveLength(1);
    expect(info).toHaveBeenCalledWith('Partner Central event ignored: duplicate', { eventId: 'evt-1' });
  });

  it('ignores what is not an opportunity event, and an opportunity this service did not file', async () => {
    const warn = vi.spyOn(logger, 'warn');
    expect(await sync.handleOpportunityEvent(h.deps(), { ...eventFor('O1', 'evt-2'), source: 'aws.other' })).toBe('ignored');
    expect(warn).toHaveBeenCalledWith('Partner Central event ignored: not an opportunity event', { problems: [expect.objectContaining({ field: 'source' })] });
    expect(await sync.handleOpportunityEvent(h.deps(), eventFor('O9999998', 'evt-3'))).toBe('not-ours');
  });

  it('a mapped opportunity whose partner has no registered role: no-role, nothing read', async () => {
    await seedPartner(h, 'p-evt2', '741000000002', null);
    const opportunityId = createAtStandIn(h, '741000000002');
    const app = await seedApplication(h, 'p-evt2', { status: 'filed', opportunityId, filedVia: 'api' });
    await putOpportunityMapping(h.store, { catalog: 'Sandbox', opportunityId, applicationId: app.id, programId: PROGRAM, partnerId: 'p-evt2' }, h.clock.now());
    const warn = vi.spyOn(logger, 'warn');
    expect(await sync.handleOpportunityEvent(h.deps(), eventFor(opportunityId, 'evt-4'))).toBe('no-role');
    expect(warn).toHaveBeenCalledWith('Partner Central event for a partner without a registered role', { partnerId: 'p-evt2' });
    // Nor a profile at all any more.
    const orphan = createAtStandIn(h, '741000000002');
    await putOpportunityMapping(h.store, { catalog: 'Sandbox', opportunityId: orphan, applicationId: app.id, programId: PROGRAM, partnerId: 'p-evt-gone' }, h.clock.now());
    expect(await sync.handleOpportunityEvent(h.deps(), eventFor(orphan, 'evt-4b'))).toBe('no-role');
    expect(callsOf(h, '741000000002')).toEqual([]);
    expect(await recordOf(app.id)).toMatchObject({ status: 'filed' });
  });

  it('gives the claim back when handling fails, so the retried event is handled', async () => {
    await seedPartner(h, 'p-evt3', '741000000003');
    const app = await seedApplication(h, 'p-evt3', { status: 'filed', opportunityId: 'O7410001', filedVia: 'api' });
    await putOpportunityMapping(h.store, { catalog: 'Sandbox', opportunityId: 'O7410001', applicationId: app.id, programId: PROGRAM, partnerId: 'p-evt3' }, h.clock.now());
    // Not at Partner Central (yet): GetOpportunity answers ResourceNotFoundException.
    await expect(sync.handleOpportunityEvent(h.deps(), eventFor('O7410001', 'evt-5'))).rejects.toThrow('Partner Central');
    h.server.opportunities.set('O7410001', 'get-opportunity-action-required');
    try {
      expect(await sync.handleOpportunityEvent(h.deps(), eventFor('O7410001', 'evt-5'))).toBe('applied');
    } finally {
      h.server.opportunities.delete('O7410001');
    }
  });

  it('a claim that cannot be given back is logged, and the handling error is the one thrown', async () => {
    const error = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    // A store whose table disappears after the claim: the read and the release both fail.
    let calls = 0;
    const store = { get tableName() { calls += 1; return calls === 1 ? h.store.tableName : 'no-such-table'; } } as typeof h.store;
    await expect(sync.handleOpportunityEvent({ ...h.deps(), store }, eventFor('O7410002', 'evt-6'))).rejects.toThrow(/non-existent table|not found/i);
    expect(error).toHaveBeenCalledWith('Could not release the event claim', expect.objectContaining({ eventId: 'evt-6' }));
  });
});

describe('reconcilePartner', () => {
  it('a partner without a role, or that never filed through the API (no watermark), is skipped', async () => {
    const noRole = withLoad(await seedPartner(h, 'p-rec1', '742000000001', null));
    expect(await sync.reconcilePartner(h.deps(), noRole)).toBeUndefined();
    const neverFiled = withLoad(await seedPartner(h, 'p-rec2', '742000000002'));
    expect(await sync.reconcilePartner(h.deps(), neverFiled)).toBeUndefined();
    expect(callsOf(h, '742000000002')).toEqual([]);
  });

  it('applies what changed since the watermark (minus five minutes) to its own mapped records, counts them and advances the watermark', async () => {
    const partner = withLoad(await seedPartner(h, 'p-rec3', '742000000003'));
    const watermark = h.clock.now().toISOString();
    await initWatermark(h.store, 'p-rec3', 'Sandbox', watermark);
    h.pass(1000);
    const reviewed = await followed('p-rec3', '742000000003');
    const approved = await followed('p-rec3', '742000000003', 'in_aws_review');
    const pending = await followed('p-rec3', '742000000003');
    createAtStandIn(h, '742000000003'); // not ours: no mapping
    const theirs = createAtStandIn(h, '742000000003');
    // Mapped to another partner (never ours to change through this one).
    await putOpportunityMapping(h.store, { catalog: 'Sandbox', opportunityId: theirs, applicationId: reviewed.app.id, programId: PROGRAM, partnerId: 'p-rec-other' }, h.clock.now());
    const gone = createAtStandIn(h, '742000000003');
    await putOpportunityMapping(h.store, { catalog: 'Sandbox', opportunityId: gone, applicationId: 'app_gone', programId: PROGRAM, partnerId: 'p-rec3' }, h.clock.now());
    await trackOpen(h.store, 'p-rec3', 'Sandbox', gone);
    reviewAtStandIn('742000000003', reviewed.opportunityId, { status: 'In review' });
    reviewAtStandIn('742000000003', approved.opportunityId, { status: 'Approved' });
    reviewAtStandIn('742000000003', gone, { status: 'In review' });
    const warn = vi.spyOn(logger, 'warn');

    const result = await sync.reconcilePartner(h.deps(), partner);
    const newest = h.server.standIn.catalog.opportunities().filter((o) => o.accountId === '742000000003').map((o) => o.lastModifiedDate).sort().at(-1)!;
    expect(result).toEqual({ partnerId: 'p-rec3', catalog: 'Sandbox', seen: 6, outcomes: { applied: 2, 'no-review-status': 1 }, watermark: newest });
    expect(await getWatermark(h.store, 'p-rec3', 'Sandbox')).toBe(newest);
    const [list] = callsOf(h, '742000000003', 'ListOpportunities');
    expect(list?.body).toMatchObject({ Catalog: 'Sandbox', MaxResults: 100, Sort: { SortBy: 'LastModifiedDate', SortOrder: 'ASCENDING' } });
    expect(Date.parse(String((list?.body.LastModifiedDate as { AfterLastModifiedDate: string }).AfterLastModifiedDate))).toBe(Date.parse(watermark) - 5 * 60 * 1000);
    expect(await recordOf(reviewed.app.id)).toMatchObject({ status: 'in_aws_review' });
    expect(await recordOf(approved.app.id)).toMatchObject({ status: 'approved' });
    expect(await recordOf(pending.app.id)).toMatchObject({ status: 'filed' });
    // The record mapped to the missing application is dropped from the open set: nothing left to follow for it.
    expect(await openOpportunities(h.store, 'p-rec3', 'Sandbox')).toEqual([reviewed.opportunityId, pending.opportunityId].sort());
    expect(warn).toHaveBeenCalledWith('Reconciliation: mapped record not found', { applicationId: 'app_gone', programId: PROGRAM });

    // Nothing newer the next time: the same outcomes' repeats, the watermark stays.
    await saveTaskToken(h.applications, reviewed.app.id, 'aws-decision', `token-${reviewed.app.id}-2`, { now: later(1000), expiresAt: new Date('2099-01-01T00:00:00Z') });
    await saveTaskToken(h.applications, approved.app.id, 'aws-decision', `token-${approved.app.id}-2`, { now: later(1000), expiresAt: new Date('2099-01-01T00:00:00Z') });
    h.pass(2000);
    const again = await sync.reconcilePartner(h.deps(), partner);
    expect(again?.outcomes).toEqual({ unchanged: 2, 'no-review-status': 1 });
    expect(again?.watermark).toBe(newest);
  });

  it('reads every page, and an error other than a missing record stops the run with the watermark where it was', async () => {
    const partner = withLoad(await seedPartner(h, 'p-rec4', '742000000004'));
    await initWatermark(h.store, 'p-rec4', 'Sandbox', '2026-11-27T11:00:00.000Z');
    // A mapped record whose brief is gone (NotFoundError): skipped and untracked, as a missing record is.
    const moved = await seedApplication(h, 'p-rec-else', { status: 'in_aws_review', opportunityId: 'O2000001', filedVia: 'api' });
    await putOpportunityMapping(h.store, { catalog: 'Sandbox', opportunityId: 'O2000002', applicationId: moved.id, programId: 'no-such-program', partnerId: 'p-rec4' }, h.clock.now());
    const approved = await seedApplication(h, 'p-rec4', { status: 'in_aws_review', opportunityId: 'O2000001', filedVia: 'api' });
    await putOpportunityMapping(h.store, { catalog: 'Sandbox', opportunityId: 'O2000001', applicationId: approved.id, programId: PROGRAM, partnerId: 'p-rec4' }, h.clock.now());
    h.server.listPages = ['list-opportunities-page-1', 'missing-page'];
    try {
      await expect(sync.reconcilePartner(h.deps(), partner)).rejects.toThrow();
      expect(await getWatermark(h.store, 'p-rec4', 'Sandbox')).toBe('2026-11-27T11:00:00.000Z');
      h.server.listPages = ['list-opportunities-page-1', 'list-opportunities-page-2'];
      const result = await sync.reconcilePartner(h.deps(), partner);
      expect(result).toMatchObject({ seen: 3, outcomes: { applied: 1 }, watermark: '2026-11-27T12:10:00.000Z' });
      expect(callsOf(h, '742000000004', 'ListOpportunities').slice(-1)[0]?.body.NextToken).toBe(fixture('list-opportunities-page-1').NextToken);
      expect(await recordOf(approved.id)).toMatchObject({ status: 'approved' });
    } finally {
      h.server.listPages = [];
    }
  });
});

describe('reconcilePartner: failures', () => {
  it('an error other than a missing record stops the run: the record stays followed and the watermark where it was', async () => {
    const partner = withLoad(await seedPartner(h, 'p-rec5', '742000000005'));
    const watermark = h.clock.now().toISOString();
    await initWatermark(h.store, 'p-rec5', 'Sandbox', watermark);
    h.pass(1000);
    const { app, opportunityId } = await followed('p-rec5', '742000000005');
    reviewAtStandIn('742000000005', opportunityId, { status: 'In review' });
    const applications = h.applications;
    const failing = Object.create(applications, {
      get: { value: async (id: string) => (id === app.id ? Promise.reject(new TransientError('DynamoDB is throttling')) : applications.get(id)) },
    }) as typeof applications;
    await expect(sync.reconcilePartner({ ...h.deps(), applications: failing }, partner)).rejects.toThrow(TransientError);
    expect(await openOpportunities(h.store, 'p-rec5', 'Sandbox')).toEqual([opportunityId]);
    expect(await getWatermark(h.store, 'p-rec5', 'Sandbox')).toBe(watermark);
  });
});

describe('reconcileAll', () => {
  it('visits each partner with records in review once (not funding requests), and one partner\'s failure neither stops the others nor moves its watermark', async () => {
    await seedPartner(h, 'p-all1', '743000000001');
    const ok = await followed('p-all1', '743000000001', 'in_aws_review');
    await trackOpen(h.store, 'p-all1', 'AWS', 'O7430009'); // a second catalog entry of the same partner
    await initWatermark(h.store, 'p-all1', 'Sandbox', h.clock.now().toISOString());
    reviewAtStandIn('743000000001', ok.opportunityId, { status: 'Approved' });
    // A partner whose role Partner Central refuses (its external id is not the registered one): its run fails.
    await seedPartner(h, 'p-all2', '743000000002');
    h.server.standIn.registerRole(roleArnOf('743000000002'), { externalId: 'another-id' });
    await trackOpen(h.store, 'p-all2', 'Sandbox', 'O7430001');
    await initWatermark(h.store, 'p-all2', 'Sandbox', '2026-11-27T11:00:00.000Z');
    // A partner with only a funding request open, one with no role, one with nothing filed through the API.
    await seedPartner(h, 'p-all3', '743000000003');
    await trackOpen(h.store, 'p-all3', 'BENEFITS#Sandbox', 'B-1');
    await initWatermark(h.store, 'p-all3', 'Sandbox', '2026-11-27T11:00:00.000Z');
    await seedPartner(h, 'p-all4', '743000000004', null);
    await trackOpen(h.store, 'p-all4', 'Sandbox', 'O7430002');
    // One whose profile is gone, one with a role and something open but no watermark (never reconciled: skipped).
    await trackOpen(h.store, 'p-all5', 'Sandbox', 'O7430003');
    await seedPartner(h, 'p-all6', '743000000006');
    await trackOpen(h.store, 'p-all6', 'Sandbox', 'O7430004');
    const error = vi.spyOn(logger, 'error').mockImplementation(() => undefined);

    const results = await sync.reconcileAll(h.deps());
    const mine = results.filter((r) => r.partnerId.startsWith('p-all'));
    expect(results.every((r) => r !== undefined)).toBe(true);
    expect(mine.map((r) => r.partnerId).sort()).toEqual(['p-all1', 'p-all2']);
    expect(mine.find((r) => r.partnerId === 'p-all1')).toMatchObject({ catalog: 'Sandbox', outcomes: { applied: 1 } });
    expect(mine.find((r) => r.partnerId === 'p-all2')).toEqual({ partnerId: 'p-all2', catalog: 'Sandbox', seen: 0, outcomes: {}, error: 'ForbiddenError' });
    expect(error).toHaveBeenCalledWith('Reconciliation failed for a partner', expect.objectContaining({ partnerId: 'p-all2' }));
    expect(await getWatermark(h.store, 'p-all2', 'Sandbox')).toBe('2026-11-27T11:00:00.000Z');
    expect(await recordOf(ok.app.id)).toMatchObject({ status: 'approved' });
    expect(callsOf(h, '743000000003')).toEqual([]);
    expect(callsOf(h, '743000000001', 'ListOpportunities')).toHaveLength(1);
  });
});

/**
 * Filing a record through the Selling API (functions/usecases/partner-central-filing.ts) against dynalite and the
 * local Partner Central stand-in, both in-process: CreateOpportunity with the stored body in the partner's catalog and
 * role, after the write slot; the mapping, first watermark and open set the sync needs; the `filed` transition and its
 * callback; a repeat, a crash after CreateOpportunity, and the refusals that send nothing. Runs in the mutate suite
 * (vitest.mutate.config.ts), so StrykerJS sees it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { getOpportunityMapping, getWatermark, openOpportunities, tryTakeWriteSlot } from '../../functions/adapters/dynamo/partner-central-store.ts';
import { logger } from '../../functions/adapters/observability.ts';
import { ConflictError, NotFoundError, TooManyRequestsError, UnprocessableError } from '../../functions/core/errors.ts';
import type * as Filing from '../../functions/usecases/partner-central-filing.ts';
import {
  callbacksFor, callsOf, PROGRAM, roleArnOf, seedApplication, seedPartner, startUsecaseHarness, type UsecaseHarness,
} from '../support/partner-central-usecases.ts';

let h: UsecaseHarness;
let filing: typeof Filing;

beforeAll(async () => {
  h = await startUsecaseHarness();
  filing = await import('../../functions/usecases/partner-central-filing.ts');
});
afterAll(async () => h?.stop());
afterEach(() => {
  vi.restoreAllMocks();
  h.pass(10_000);
});

const args = (applicationId: string, partnerId: string) => ({ applicationId, programId: PROGRAM, partnerId });
const recordOf = async (id: string) => (await h.applications.mustGet(id)).briefs?.[0]?.record;
const FIVE_MINUTES = 5 * 60 * 1000;

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('fileViaApi', () => {
  it('creates the opportunity once in the partner\'s catalog with its role, maps it, starts following it, records `filed` and calls back', async () => {
    await seedPartner(h, 'p-file1', '710000000001', { catalog: 'AWS' });
    const app = await seedApplication(h, 'p-file1', { status: 'approved_for_filing' });
    const info = vi.spyOn(logger, 'info');
    const now = h.clock.now();

    const result = await filing.fileViaApi(h.deps(), args(app.id, 'p-file1'));

    const opportunityId = result.opportunityId;
    expect(opportunityId).toMatch(/^O\d+$/);
    expect(result).toEqual({ app: expect.objectContaining({ id: app.id, status: 'filed' }), opportunityId, replayed: false });
    // The stored body as it is, the catalog forced to the partner's (not the deployment's Sandbox), signed as its role.
    expect(callsOf(h, '710000000001')).toEqual([{ operation: 'CreateOpportunity', body: { ...app.briefs![0]!.body, Catalog: 'AWS' } }]);
    expect(h.server.assumed).toContainEqual({ roleArn: roleArnOf('710000000001'), externalId: 'ext-p-file1' });
    expect(h.server.standIn.catalog.view(opportunityId)).toMatchObject({ Catalog: 'AWS', AccountId: '710000000001' });

    expect(await getOpportunityMapping(h.store, 'AWS', opportunityId)).toEqual({ catalog: 'AWS', opportunityId, applicationId: app.id, programId: PROGRAM, partnerId: 'p-file1' });
    expect(await getWatermark(h.store, 'p-file1', 'AWS')).toBe(new Date(now.getTime() - FIVE_MINUTES).toISOString());
    expect(await openOpportunities(h.store, 'p-file1', 'AWS')).toEqual([opportunityId]);

    const stored = await h.applications.mustGet(app.id);
    expect(stored.briefs?.[0]?.record).toEqual({ status: 'filed', opportunityId, filedAt: now.toISOString(), filedVia: 'api' });
    expect(stored.transitions.at(-1)).toMatchObject({
      actor: { kind: 'partner', id: 'p-file1' }, from: 'approved_for_filing', to: 'filed', reason: `filed through the Partner Central API as ${opportunityId}`,
      record: { programId: PROGRAM, from: 'approved_for_filing', to: 'filed' },
    });
    expect(callbacksFor(h, app.id)).toEqual([{ taskToken: `token-${app.id}-1`, output: { event: 'record-changed', programId: PROGRAM } }]);
    expect(info).toHaveBeenCalledWith('Filed through Partner Central', { programId: PROGRAM, opportunityId, catalog: 'AWS' });
  });

  it('a partner without a catalog files in the deployment\'s; a repeat sends nothing and answers the same opportunity', async () => {
    await seedPartner(h, 'p-file2', '710000000002');
    const app = await seedApplication(h, 'p-file2', { status: 'approved_for_filing' });
    const first = await filing.fileViaApi(h.deps(), args(app.id, 'p-file2'));
    expect(callsOf(h, '710000000002', 'CreateOpportunity')[0]?.body.Catalog).toBe('Sandbox');
    expect(await getOpportunityMapping(h.store, 'Sandbox', first.opportunityId)).toMatchObject({ applicationId: app.id });
    h.pass(10_000);

    const again = await filing.fileViaApi(h.deps(), args(app.id, 'p-file2'));
    expect(again).toEqual({ app: await h.applications.mustGet(app.id), opportunityId: first.opportunityId, replayed: true });
    expect(callsOf(h, '710000000002')).toHaveLength(1);
    expect((await h.applications.mustGet(app.id)).transitions.filter((t) => t.to === 'filed')).toHaveLength(1);
  });

  it('after a crash between CreateOpportunity and our record, the repeat gets the same opportunity (ClientToken) and records it', async () => {
    await seedPartner(h, 'p-file3', '710000000003');
    const app = await seedApplication(h, 'p-file3', { status: 'approved_for_filing' });
    const body = app.briefs![0]!.body;
    const lost = h.server.standIn.catalog.CreateOpportunity({ accountId: '710000000003', roleArn: roleArnOf('710000000003') }, { ...body, Catalog: 'Sandbox' });
    const result = await filing.fileViaApi(h.deps(), args(app.id, 'p-file3'));
    expect(result).toMatchObject({ opportunityId: lost.Id, replayed: false });
    expect(h.server.standIn.catalog.opportunities().filter((o) => o.accountId === '710000000003')).toHaveLength(1);
    expect(await recordOf(app.id)).toMatchObject({ status: 'filed', opportunityId: lost.Id });
  });
});

describe('fileViaApi: refusals send nothing and leave the record as it was', () => {
  it('a partner without a role, or without a profile at all: 422 saying what to do instead', async () => {
    await seedPartner(h, 'p-file4', '710000000004', null);
    for (const partnerId of ['p-file4', 'p-file-unknown']) {
      const app = await seedApplication(h, partnerId, { status: 'approved_for_filing' });
      const error = await rejection(filing.fileViaApi(h.deps(), args(app.id, partnerId)));
      expect(error).toBeInstanceOf(UnprocessableError);
      expect(error.message).toBe('No Partner Central role is registered for this partner: file by hand and record it with POST …/filed, or register a role');
      expect((error as UnprocessableError).problems).toEqual([{ field: 'partner.filing.roleArn', rule: 'is required to file through the API (an IAM role named AceFilingPartnerCentral*)' }]);
      expect(await recordOf(app.id)).toEqual({ status: 'approved_for_filing' });
    }
  });

  it('another partner\'s application (404), a record not approved for filing (409)', async () => {
    await seedPartner(h, 'p-file5', '710000000005');
    const theirs = await seedApplication(h, 'p-file-other', { status: 'approved_for_filing' });
    await expect(filing.fileViaApi(h.deps(), args(theirs.id, 'p-file5'))).rejects.toThrow(new NotFoundError(`Application ${theirs.id} not found`));
    const draft = await seedApplication(h, 'p-file5', { status: 'draft' });
    await expect(filing.fileViaApi(h.deps(), args(draft.id, 'p-file5'))).rejects.toThrow(ConflictError);
    expect(callsOf(h, '710000000005')).toEqual([]);
  });

  it('the partner account\'s write slot held far ahead: 429, nothing created, mapped or recorded', async () => {
    await seedPartner(h, 'p-file6', '710000000006');
    const app = await seedApplication(h, 'p-file6', { status: 'approved_for_filing' });
    const now = h.clock.now();
    await tryTakeWriteSlot(h.store, '710000000006', now, now.getTime() + 60_000);
    await expect(filing.fileViaApi(h.deps(), args(app.id, 'p-file6'))).rejects.toThrow(TooManyRequestsError);
    expect(callsOf(h, '710000000006')).toEqual([]);
    expect(await getWatermark(h.store, 'p-file6', 'Sandbox')).toBeUndefined();
    expect(await recordOf(app.id)).toEqual({ status: 'approved_for_filing' });
    expect(callbacksFor(h, app.id)).toEqual([]);
  });
});

/**
 * Sizing as the workflow runs it, the real handlers against dynalite: SizeAsk reads the application and hands over the
 * worksheet's sizing fields (nothing personal), EstimateAsk sizes them with no AWS client, RecordEstimate stores the
 * estimate, or hands over the fresh fields when something wrote the application meanwhile; a retried task after the
 * write finds the work done. Runs in the mutate suite (vitest.mutate.config.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplicationRepository } from '../../functions/adapters/dynamo/applications.ts';
import type * as Edits from '../../functions/adapters/dynamo/applications-edits.ts';
import type * as Intake from '../../functions/adapters/dynamo/applications-intake.ts';
import { estimate as estimateOf } from '../../functions/core/estimate.ts';
import { newApplication } from '../../functions/core/intake.ts';
import { sizingWorksheetOf } from '../../functions/core/sizing-worksheet.ts';
import type * as EstimateTask from '../../functions/workflow/estimate.ts';
import type * as SizeTask from '../../functions/workflow/size.ts';
import type { Application, ApplicationStatus } from '../../schemas/application.ts';
import type { Estimate } from '../../schemas/estimate.ts';
import { startDynalite, type TestTable } from '../support/dynalite.ts';
import { exampleWorksheet } from '../support/fixtures.ts';

let table: TestTable;
let applications: ApplicationRepository;
let intake: typeof Intake;
let edits: typeof Edits;
let sizeTask: typeof SizeTask;
let estimateTask: typeof EstimateTask;

beforeAll(async () => {
  table = await startDynalite();
  process.env.AWS_ENDPOINT_URL_DYNAMODB = table.endpoint;
  process.env.TABLE_NAME = table.tableName;
  const { ApplicationRepository } = await import('../../functions/adapters/dynamo/applications.ts');
  intake = await import('../../functions/adapters/dynamo/applications-intake.ts');
  edits = await import('../../functions/adapters/dynamo/applications-edits.ts');
  sizeTask = await import('../../functions/workflow/size.ts');
  estimateTask = await import('../../functions/workflow/estimate.ts');
  applications = new ApplicationRepository(table.tableName);
});
afterAll(async () => table?.stop());

const context = { awsRequestId: 'test', functionName: 'test' } as Context;
const size = (event: unknown) => sizeTask.handler(event, context);
const estimate = (event: unknown) => estimateTask.handler(event, context) as Promise<{ estimate: Estimate }>;

async function stored(status: ApplicationStatus = 'submitted'): Promise<Application> {
  const id = `app_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
  const app = { ...newApplication({ id, worksheet: exampleWorksheet(), tokenHash: 'h'.repeat(64), now: new Date('2026-11-27T10:00:00Z') }), status };
  expect(await intake.createApplication(applications, app)).toBe(true);
  return applications.mustGet(id);
}

describe('SizeAsk: what it hands to the engine', () => {
  it('the worksheet fields the engine reads, at the version it read them, and nothing personal', async () => {
    const app = await stored();
    const out = await size({ applicationId: app.id });
    expect(out).toEqual({ applicationId: app.id, status: 'submitted', forVersion: app.version, worksheet: sizingWorksheetOf(app.worksheet) });
    const text = JSON.stringify(out.worksheet);
    const w = app.worksheet;
    for (const personal of [w.contact.email, w.contact.lastName, w.company.name, w.company.address.streetAddress!, w.aws.accountId, w.useCase.summary]) expect(text).not.toContain(personal);
    expect(Object.keys(out.worksheet!.company).sort()).toEqual(['aiFirst', 'foundedOn', 'institutionalFunding', 'priorCreditsUsd', 'stage', 'website']);
    expect(out.worksheet).toMatchObject({ aws: { region: 'us-east-1' }, useCase: { poc: w.useCase.poc }, workload: w.workload, otherServices: w.otherServices });
    expect((await applications.mustGet(app.id)).version).toBe(app.version); // read only
  });

  it('an application past sizing (a retried task, a redrive) gets nothing to size', async () => {
    const app = await stored('sized');
    expect(await size({ applicationId: app.id })).toEqual({ applicationId: app.id, status: 'sized', forVersion: null, worksheet: null });
  });
});

describe('EstimateAsk: the engine on the handed-over fields', () => {
  it('sizes exactly as the whole worksheet would', async () => {
    const app = await stored();
    const handedOver = await size({ applicationId: app.id });
    const { estimate: result } = await estimate({ applicationId: app.id, worksheet: handedOver.worksheet });
    expect(result).toEqual(estimateOf(app.worksheet, { now: new Date(result.computedAt) }));
    expect(result.plan.filings.length).toBeGreaterThan(0);
  });

  it('refuses a call without the fields (the state machine is its only caller)', async () => {
    await expect(estimate({ applicationId: 'app_x' })).rejects.toMatchObject({ name: 'TaskInputError', message: expect.stringContaining('worksheet') });
    await expect(estimate({ applicationId: 'app_x', worksheet: [] })).rejects.toMatchObject({ name: 'TaskInputError' });
  });
});

describe('RecordEstimate: storing what the engine returned', () => {
  it('stores the estimate with the transition submitted → sized, once', async () => {
    const app = await stored();
    const { forVersion, worksheet } = await size({ applicationId: app.id });
    const { estimate: result } = await estimate({ applicationId: app.id, worksheet });
    expect(await size({ applicationId: app.id, estimate: result, forVersion })).toEqual({ applicationId: app.id, status: 'sized', forVersion: null, worksheet: null });
    const sized = await applications.mustGet(app.id);
    expect(sized).toMatchObject({ status: 'sized', version: app.version + 1, estimate: result });
    const filings = result.plan.filings.map((f) => `${f.programId} $${f.askUsd}`).join(', ');
    expect(sized.transitions.at(-1)).toMatchObject({ from: 'submitted', to: 'sized', actor: { kind: 'system', id: 'SizeAsk' }, reason: `credit ask sized: ${filings}` });
    // Retried after the write (the answer lost): the work is found done, nothing written again.
    expect(await size({ applicationId: app.id, estimate: result, forVersion })).toEqual({ applicationId: app.id, status: 'sized', forVersion: null, worksheet: null });
    expect((await applications.mustGet(app.id)).version).toBe(sized.version);
  });

  it('an application written meanwhile: nothing stored, the fresh fields handed over to size again', async () => {
    const app = await stored();
    const { forVersion, worksheet } = await size({ applicationId: app.id });
    const { estimate: result } = await estimate({ applicationId: app.id, worksheet });
    const noted = await edits.appendNote(applications, app, { at: '2026-11-27T10:01:00Z', actor: { kind: 'ops', id: 'ops-1' }, from: 'submitted', to: 'submitted', reason: 'a note', version: app.version + 1 });
    expect(await size({ applicationId: app.id, estimate: result, forVersion })).toEqual({ applicationId: app.id, status: 'submitted', forVersion: noted.version, worksheet: sizingWorksheetOf(app.worksheet) });
    const after = await applications.mustGet(app.id);
    expect(after).toMatchObject({ status: 'submitted', version: noted.version });
    expect(after.estimate).toBeUndefined();
  });

  it('an estimate with nothing to file says so in the transition', async () => {
    const app = await stored();
    const { forVersion, worksheet } = await size({ applicationId: app.id });
    const { estimate: result } = await estimate({ applicationId: app.id, worksheet });
    const nothing = { ...result, plan: { ...result.plan, filings: [] } };
    expect((await size({ applicationId: app.id, estimate: nothing, forVersion })).status).toBe('sized');
    expect((await applications.mustGet(app.id)).transitions.at(-1)?.reason).toBe('credit ask sized: no program to file');
  });

  it('a version without an estimate stores nothing: the fields are handed over again', async () => {
    const app = await stored();
    expect(await size({ applicationId: app.id, forVersion: app.version })).toEqual({ applicationId: app.id, status: 'submitted', forVersion: app.version, worksheet: sizingWorksheetOf(app.worksheet) });
    expect(await applications.mustGet(app.id)).toMatchObject({ status: 'submitted', version: app.version });
  });

  it('names the field a malformed call got wrong', async () => {
    const app = await stored();
    await expect(size({ applicationId: app.id, estimate: {}, forVersion: 1.5 })).rejects.toMatchObject({ name: 'TaskInputError', message: expect.stringContaining('forVersion') });
    await expect(size({ applicationId: app.id, estimate: 'sized', forVersion: app.version })).rejects.toMatchObject({ name: 'TaskInputError', message: expect.stringContaining('estimate') });
    await expect(size({})).rejects.toMatchObject({ name: 'TaskInputError', message: expect.stringContaining('applicationId') });
    expect((await applications.mustGet(app.id)).version).toBe(app.version);
  });
});

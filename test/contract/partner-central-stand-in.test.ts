/**
 * Contract: the local Partner Central (lib/local/partner-central/) answers in a shape the real SDK clients parse, for
 * every operation the service calls and every error it maps: the client here is @aws-sdk/client-partnercentral-selling
 * with credentials from fromTemporaryCredentials (STS AssumeRole on the stand-in), exactly as the adapter builds it.
 */
import {
  AssociateOpportunityCommand, CreateOpportunityCommand, GetOpportunityCommand, ListOpportunitiesCommand, ListSolutionsCommand,
  PartnerCentralSellingClient, SubmitOpportunityCommand, UpdateOpportunityCommand, type CreateOpportunityCommandInput,
} from '@aws-sdk/client-partnercentral-selling';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draftBriefs } from '../../functions/core/ace/draft.ts';
import { exampleWorksheet } from '../support/fixtures.ts';
import { startFixtureServer, type FixtureServer } from '../support/partner-central-server.ts';

let server: FixtureServer;
// The stand-in's clock (its write pace and LastModifiedDate): moved by the tests, never slept on.
let nowMs = Date.now();
const pass = (ms: number): void => {
  nowMs += ms;
};
const REGISTERED = 'arn:aws:iam::555500000001:role/AceFilingPartnerCentralFiling';
const THROTTLED = 'arn:aws:iam::555500000002:role/AceFilingPartnerCentralFiling';
const UNREGISTERED = 'arn:aws:iam::555500000003:role/AceFilingPartnerCentralFiling';

beforeAll(async () => {
  server = await startFixtureServer({ registeredOnly: true, now: () => nowMs });
  server.standIn.registerRole(REGISTERED, { externalId: 'ext-1' });
  server.standIn.registerRole(THROTTLED, { externalId: 'ext-2' });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_PARTNERCENTRAL_SELLING: server.endpoint,
    AWS_ENDPOINT_URL_STS: server.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
});
afterAll(async () => server?.stop());

function clientFor(roleArn: string, externalId: string): PartnerCentralSellingClient {
  return new PartnerCentralSellingClient({
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: fromTemporaryCredentials({ params: { RoleArn: roleArn, RoleSessionName: 'ace-filing', ExternalId: externalId } }),
  });
}

let bodyCount = 0;
function createInput(): CreateOpportunityCommandInput {
  bodyCount += 1;
  const [brief] = draftBriefs(exampleWorksheet(), [{
    programId: 'bedrock-poc', programName: 'Bedrock / GenAI POC funding', filingPath: 'ace', askUsd: '25000.00', coverageMonths: 3,
    monthlySpendByService: [{ service: 'Amazon Bedrock', monthlyUsd: '6150.40' }], rationale: 'A defined GenAI proof of concept.',
  }], { now: new Date(), catalog: 'Sandbox', applicationId: `app-contract-${bodyCount}` });
  return { ...(brief!.body as unknown as CreateOpportunityCommandInput), Catalog: 'Sandbox' };
}

async function rejection(p: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await p;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}

describe('the Selling API, parsed by the real SDK client', () => {
  it('creates once per ClientToken, reads it back with dates and lifecycle, lists it modified after a time', async () => {
    const pc = clientFor(REGISTERED, 'ext-1');
    const input = createInput();
    const before = new Date(nowMs - 1000);
    const created = await pc.send(new CreateOpportunityCommand(input));
    expect(created.Id).toMatch(/^O\d+$/);
    expect(created.LastModifiedDate).toBeInstanceOf(Date);
    const again = await pc.send(new CreateOpportunityCommand(input));
    expect(again.Id).toBe(created.Id);

    const got = await pc.send(new GetOpportunityCommand({ Catalog: 'Sandbox', Identifier: created.Id }));
    expect(got.LifeCycle?.ReviewStatus).toBe('Pending Submission');
    expect(got.CreatedDate).toBeInstanceOf(Date);
    expect(got.Customer?.Account?.CompanyName).toBe(input.Customer?.Account?.CompanyName);
    expect(got.Arn).toContain(':555500000001:catalog/Sandbox/opportunity/');

    const listed = await pc.send(new ListOpportunitiesCommand({ Catalog: 'Sandbox', LastModifiedDate: { AfterLastModifiedDate: before }, Sort: { SortBy: 'LastModifiedDate', SortOrder: 'ASCENDING' } }));
    expect(listed.OpportunitySummaries?.map((s) => s.Id)).toContain(created.Id);
    expect(listed.OpportunitySummaries?.[0]?.LastModifiedDate).toBeInstanceOf(Date);
    expect(server.events.filter((e) => e.detail.opportunity.identifier === created.Id).map((e) => e['detail-type'])).toEqual(['Opportunity Created']);
  });

  it('lists the partner\'s solutions, associates one, submits; updates only with the current LastModifiedDate', async () => {
    const pc = clientFor(REGISTERED, 'ext-1');
    pass(2000); // the write pace: a fresh burst for this test
    const { Id } = await pc.send(new CreateOpportunityCommand(createInput()));
    const solutions = await pc.send(new ListSolutionsCommand({ Catalog: 'Sandbox', Status: ['Active'] }));
    const solution = solutions.SolutionSummaries?.[0];
    expect(solution?.Id).toMatch(/^S-\d+$/);
    expect(solution?.CreatedDate).toBeInstanceOf(Date);
    await pc.send(new AssociateOpportunityCommand({ Catalog: 'Sandbox', OpportunityIdentifier: Id, RelatedEntityType: 'Solutions', RelatedEntityIdentifier: solution!.Id }));
    pass(1000);
    await pc.send(new SubmitOpportunityCommand({ Catalog: 'Sandbox', Identifier: Id, InvolvementType: 'Co-Sell', Visibility: 'Full' }));
    const submitted = await pc.send(new GetOpportunityCommand({ Catalog: 'Sandbox', Identifier: Id }));
    expect(submitted.LifeCycle?.ReviewStatus).toBe('Submitted');
    expect(submitted.RelatedEntityIdentifiers?.Solutions).toEqual([solution!.Id]);

    server.standIn.catalog.review(Id!, { status: 'Action Required', comments: 'Add the customer website.', reason: 'Missing information' });
    const stale = submitted.LastModifiedDate!;
    pass(1000);
    const conflict = await rejection(pc.send(new UpdateOpportunityCommand({ Catalog: 'Sandbox', Identifier: Id, LastModifiedDate: stale, LifeCycle: { NextSteps: 'Website added' } })));
    expect(conflict.name).toBe('ConflictException');
    const current = await pc.send(new GetOpportunityCommand({ Catalog: 'Sandbox', Identifier: Id }));
    expect(current.LifeCycle).toMatchObject({ ReviewStatus: 'Action Required', ReviewComments: 'Add the customer website.', ReviewStatusReason: 'Missing information' });
    pass(1000);
    const updated = await pc.send(new UpdateOpportunityCommand({ Catalog: 'Sandbox', Identifier: Id, LastModifiedDate: current.LastModifiedDate, LifeCycle: { NextSteps: 'Website added' } }));
    expect(updated.LastModifiedDate!.getTime()).toBeGreaterThan(current.LastModifiedDate!.getTime());
    expect(server.events.filter((e) => e.detail.opportunity.identifier === Id).map((e) => e['detail-type'])).toEqual([
      'Opportunity Created', 'Opportunity Updated', 'Opportunity Updated', 'Opportunity Updated', 'Opportunity Updated',
    ]);
  });

  it('refuses a body that breaks the model with a ValidationException whose ErrorList names each field, and keeps nothing', async () => {
    const pc = clientFor(REGISTERED, 'ext-1');
    const count = server.standIn.catalog.opportunities().length;
    const input = createInput() as unknown as Record<string, unknown>;
    const bad = { ...input, Origin: 'Somewhere', Customer: { Account: { WebsiteUrl: 'x'.repeat(300) } } };
    const error = await rejection(pc.send(new CreateOpportunityCommand(bad as unknown as CreateOpportunityCommandInput)));
    expect(error.name).toBe('ValidationException');
    expect(error.Reason).toBe('REQUEST_VALIDATION_FAILED');
    const fields = (error.ErrorList as { FieldName: string; Code: string }[]).map((e) => [e.FieldName, e.Code]);
    expect(fields).toEqual(expect.arrayContaining([['Origin', 'INVALID_ENUM_VALUE'], ['Customer.Account.CompanyName', 'REQUIRED_FIELD_MISSING'], ['Customer.Account.WebsiteUrl', 'INVALID_STRING_FORMAT']]));
    expect(server.standIn.catalog.opportunities()).toHaveLength(count);
  });

  it('answers ThrottlingException past the write pace, AccessDeniedException to a role not registered, AccessDenied to a wrong external id', async () => {
    const pc = clientFor(THROTTLED, 'ext-2');
    const answers = await Promise.allSettled([1, 2, 3].map(() => pc.send(new CreateOpportunityCommand(createInput()))));
    expect(answers.filter((a) => a.status === 'fulfilled')).toHaveLength(2);
    expect(answers.flatMap((a) => (a.status === 'rejected' ? [(a.reason as Error).name] : []))).toEqual(['ThrottlingException']);

    const denied = await rejection(clientFor(UNREGISTERED, 'ext-3').send(new ListSolutionsCommand({ Catalog: 'Sandbox' })));
    expect(denied.name).toBe('AccessDeniedException');
    expect(denied.message).toContain('not registered');

    const wrongId = await rejection(clientFor(REGISTERED, 'not-the-external-id').send(new ListSolutionsCommand({ Catalog: 'Sandbox' })));
    expect(wrongId.name).toBe('AccessDenied');
  });

  it('answers ResourceNotFoundException for another account\'s opportunity', async () => {
    const own = server.standIn.catalog.opportunities().find((o) => o.accountId === '555500000001');
    const error = await rejection(clientFor(THROTTLED, 'ext-2').send(new GetOpportunityCommand({ Catalog: 'Sandbox', Identifier: own!.id })));
    expect(error.name).toBe('ResourceNotFoundException');
  });
});

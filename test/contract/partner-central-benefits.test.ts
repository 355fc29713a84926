/**
 * Contract: the local Partner Central answers the Benefits API (lib/local/partner-central/benefits.ts) in a shape the
 * real @aws-sdk/client-partnercentral-benefits parses, for every operation the service calls and every error it maps,
 * with credentials from STS AssumeRole on the stand-in, as the adapter builds them. Then the adapter's own reads
 * (functions/adapters/partner-central-client.ts) turn those answers into what the core plans with.
 */
import {
  AssociateBenefitApplicationResourceCommand, CreateBenefitApplicationCommand, GetBenefitAllocationCommand, GetBenefitApplicationCommand,
  GetBenefitCommand, ListBenefitAllocationsCommand, ListBenefitApplicationsCommand, ListBenefitsCommand, PartnerCentralBenefitsClient,
  SubmitBenefitApplicationCommand, UpdateBenefitApplicationCommand,
} from '@aws-sdk/client-partnercentral-benefits';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benefitsData, creditsFromAllocation } from '../../functions/core/ace/funding-draft.ts';
import { allocationOf, getBenefitApplication, listBenefits, mapPartnerCentralError } from '../../functions/adapters/partner-central-client.ts';
import { startFixtureServer, type FixtureServer } from '../support/partner-central-server.ts';
import { main } from '../../bin/cli.ts';

let server: FixtureServer;
let nowMs = Date.parse('2027-01-10T12:00:00.000Z');
const pass = (ms: number): void => {
  nowMs += ms;
};
const REGISTERED = 'arn:aws:iam::555500000011:role/AceFilingPartnerCentralFiling';
const THROTTLED = 'arn:aws:iam::555500000012:role/AceFilingPartnerCentralFiling';
const UNREGISTERED = 'arn:aws:iam::555500000013:role/AceFilingPartnerCentralFiling';
const BENEFIT = benefitsData.programs[0]!.benefitId;
const OPPORTUNITY_ARN = 'arn:aws:partnercentral:us-east-1:555500000011:catalog/Sandbox/opportunity/O5550001';

beforeAll(async () => {
  server = await startFixtureServer({ registeredOnly: true, now: () => nowMs });
  server.standIn.registerRole(REGISTERED, { externalId: 'ext-1' });
  server.standIn.registerRole(THROTTLED, { externalId: 'ext-2' });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_PARTNERCENTRAL_BENEFITS: server.endpoint,
    AWS_ENDPOINT_URL_PARTNERCENTRAL_SELLING: server.endpoint,
    AWS_ENDPOINT_URL_STS: server.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
});
afterAll(async () => server?.stop());

function clientFor(roleArn: string, externalId: string): PartnerCentralBenefitsClient {
  return new PartnerCentralBenefitsClient({
    region: 'us-east-1', maxAttempts: 1,
    credentials: fromTemporaryCredentials({ params: { RoleArn: roleArn, RoleSessionName: 'ace-filing', ExternalId: externalId } }),
  });
}

async function rejection(p: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await p;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}

const input = (token: string) => ({
  Catalog: 'Sandbox', ClientToken: token, BenefitIdentifier: BENEFIT, FulfillmentTypes: ['CREDITS' as const],
  Name: 'Ledgerly: Bedrock POC', Description: '$25000 of POC credits', BenefitApplicationDetails: { RequestedAmount: { Amount: '25000.00', CurrencyCode: 'USD' } },
});

describe('the stand-in speaks the Benefits API the SDK parses', () => {
  const client = () => clientFor(REGISTERED, 'ext-1');
  let id = '';

  it('lists and describes the benefits a partner can apply for', async () => {
    const list = await client().send(new ListBenefitsCommand({ Catalog: 'Sandbox', MaxResults: 100 }));
    expect(list.BenefitSummaries?.map((b) => b.Id)).toContain(BENEFIT);
    const one = await client().send(new GetBenefitCommand({ Catalog: 'Sandbox', Identifier: BENEFIT }));
    expect(one).toMatchObject({ Id: BENEFIT, Status: 'ACTIVE', FulfillmentTypes: ['CREDITS'] });
    expect(one.BenefitRequestSchema).toMatchObject({ type: 'object' });
    // The adapter's discovery (the `ace-filing benefits` command) reads the same.
    const discovered = await listBenefits({ roleArn: REGISTERED, externalId: 'ext-1' }, 'Sandbox', { details: true });
    expect(discovered.find((b) => b.id === BENEFIT)?.requestSchema).toBeDefined();
  });

  it('creates once per ClientToken, associates, submits; dates parse as Dates', async () => {
    const created = await client().send(new CreateBenefitApplicationCommand(input('token-contract-1')));
    expect(created.Id).toMatch(/^benappl-[0-9a-z]{14}$/);
    id = created.Id!;
    pass(1000);
    const again = await client().send(new CreateBenefitApplicationCommand(input('token-contract-1')));
    expect(again.Id).toBe(id);
    expect(server.standIn.benefits.applications().filter((a) => a.clientToken === 'token-contract-1')).toHaveLength(1);

    pass(1000);
    // Not submittable before the opportunity is associated: a business ValidationException in the model's shape.
    const early = await rejection(client().send(new SubmitBenefitApplicationCommand({ Catalog: 'Sandbox', Identifier: id })));
    expect(early.name).toBe('ValidationException');
    expect(early.Reason).toBe('BUSINESS_VALIDATION_FAILED');
    expect((early.FieldList as { Name: string }[])[0]?.Name).toBe('AssociatedResources');

    pass(1000);
    await client().send(new AssociateBenefitApplicationResourceCommand({ Catalog: 'Sandbox', BenefitApplicationIdentifier: id, ResourceArn: OPPORTUNITY_ARN }));
    pass(1000);
    await client().send(new SubmitBenefitApplicationCommand({ Catalog: 'Sandbox', Identifier: id }));
    const got = await client().send(new GetBenefitApplicationCommand({ Catalog: 'Sandbox', Identifier: id }));
    expect(got).toMatchObject({ Id: id, Status: 'IN_REVIEW', AssociatedResources: [OPPORTUNITY_ARN], BenefitId: BENEFIT });
    expect(got.CreatedAt).toBeInstanceOf(Date);
    expect(got.BenefitApplicationDetails).toEqual({ RequestedAmount: { Amount: '25000.00', CurrencyCode: 'USD' } });
    const listed = await client().send(new ListBenefitApplicationsCommand({ Catalog: 'Sandbox' }));
    expect(listed.BenefitApplicationSummaries?.find((s) => s.Id === id)?.UpdatedAt).toBeInstanceOf(Date);
  });

  it('UpdateBenefitApplication: a stale Revision is a ConflictException; the current one applies', async () => {
    server.standIn.benefits.review(id, { status: 'ACTION_REQUIRED', reason: 'Attach the POC plan' });
    const read = await client().send(new GetBenefitApplicationCommand({ Catalog: 'Sandbox', Identifier: id }));
    expect(read).toMatchObject({ Status: 'ACTION_REQUIRED', StatusReason: 'Attach the POC plan' });
    pass(1000);
    const stale = await rejection(client().send(new UpdateBenefitApplicationCommand({ Catalog: 'Sandbox', Identifier: id, ClientToken: 'u-1', Revision: '1', Description: 'x' })));
    expect(stale.name).toBe('ConflictException');
    pass(1000);
    const ok = await client().send(new UpdateBenefitApplicationCommand({ Catalog: 'Sandbox', Identifier: id, ClientToken: 'u-2', Revision: read.Revision!, Description: 'With the POC plan' }));
    expect(Number(ok.Revision)).toBeGreaterThan(Number(read.Revision));
  });

  it('an approval allocates credits the SDK parses (the union member, amounts, dates) and the core turns into credits applied', async () => {
    pass(1000);
    await client().send(new SubmitBenefitApplicationCommand({ Catalog: 'Sandbox', Identifier: id }));
    server.standIn.benefits.review(id, { status: 'APPROVED', amountUsd: '25000', startsAt: '2027-01-11T00:00:00.000Z', expiresAt: '2028-01-11T00:00:00.000Z' });
    const list = await client().send(new ListBenefitAllocationsCommand({ Catalog: 'Sandbox', BenefitApplicationIdentifiers: [id] }));
    const allocationId = list.BenefitAllocationSummaries?.[0]?.Id;
    expect(allocationId).toMatch(/^benalloc-[0-9a-z]{14}$/);
    const allocation = await client().send(new GetBenefitAllocationCommand({ Catalog: 'Sandbox', Identifier: allocationId! }));
    expect(allocation.ExpiresAt).toBeInstanceOf(Date);
    const credit = allocation.FulfillmentDetail && 'CreditDetails' in allocation.FulfillmentDetail ? allocation.FulfillmentDetail.CreditDetails : undefined;
    expect(credit?.AllocatedAmount).toEqual({ Amount: '25000', CurrencyCode: 'USD' });
    expect(credit?.Codes?.[0]?.ExpiresAt).toBeInstanceOf(Date);

    const role = { roleArn: REGISTERED, externalId: 'ext-1' };
    const view = await allocationOf(role, 'Sandbox', id);
    expect(creditsFromAllocation(view!)).toMatchObject({ amountUsd: '25000.00', appliedOn: '2027-01-11', expiresOn: '2028-01-11' });
    expect((await getBenefitApplication(role, 'Sandbox', id)).status).toBe('APPROVED');
  });

  it('a body that breaks the model: ValidationException with FieldList naming each field, nothing created', async () => {
    const before = server.standIn.benefits.applications().length;
    const bad = await rejection(client().send(new CreateBenefitApplicationCommand({ ...input('token-bad'), BenefitIdentifier: 'not-a-benefit', Name: '' })));
    expect(bad.name).toBe('ValidationException');
    expect(bad.Reason).toBe('fieldValidationFailed');
    const fields = (bad.FieldList as { Name: string; Code: string }[]).map((f) => f.Name).sort();
    expect(fields).toEqual(['BenefitIdentifier', 'Name']);
    expect(server.standIn.benefits.applications()).toHaveLength(before);
    // Mapped to field problems (422) by the adapter.
    const mapped = mapPartnerCentralError(bad, { roleArn: REGISTERED }) as { name: string; problems: { field: string }[] };
    expect(mapped.name).toBe('UnprocessableError');
    expect(mapped.problems.map((p) => p.field).sort()).toEqual(['BenefitIdentifier', 'Name']);
  });

  it('AccessDeniedException for a role not registered; ThrottlingException past the write pace', async () => {
    const denied = await rejection(clientFor(UNREGISTERED, 'x').send(new ListBenefitsCommand({ Catalog: 'Sandbox' })));
    expect(denied.name).toBe('AccessDeniedException');
    const throttled = clientFor(THROTTLED, 'ext-2');
    const results = await Promise.allSettled([1, 2, 3].map((n) => throttled.send(new CreateBenefitApplicationCommand(input(`token-pace-${n}`)))));
    const refused = results.filter((r) => r.status === 'rejected').map((r) => ((r as PromiseRejectedResult).reason as Error).name);
    expect(refused).toEqual(['ThrottlingException']);
  });
});

describe('ace-filing benefits --partner ID (discovery)', () => {
  it("lists the partner's benefits with the programs data/benefits.json funds with each", async () => {
    const northwind = { roleArn: 'arn:aws:iam::111122223333:role/AceFilingPartnerCentralFiling', externalId: 'northwind-ace-filing' };
    server.standIn.registerRole(northwind.roleArn, { externalId: northwind.externalId });
    const out: string[] = [];
    const err: string[] = [];
    const io = { readStdin: async () => '', readFile: async () => '', out: (t: string) => out.push(t), err: (t: string) => err.push(t), now: new Date() };
    const code = await main(['benefits', '--partner', 'p-northwind', '--partners', 'data/partners.json'], io);
    expect(code, err.join('\n')).toBe(0);
    const listing = JSON.parse(out.join('')) as { catalog: string; benefits: { id: string; fundsPrograms: string[] }[]; missing: unknown[] };
    expect(listing.catalog).toBe('Sandbox');
    expect(listing.benefits.find((b) => b.id === BENEFIT)?.fundsPrograms).toEqual(['bedrock-poc']);
    expect(listing.missing).toEqual([]);
    // A partner without a role: unusable input, nothing called.
    expect(await main(['benefits', '--partner', 'p-kestrel', '--partners', 'data/partners.json'], io)).toBe(2);
    expect(await main(['benefits'], io)).toBe(2);
  });
});

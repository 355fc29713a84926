// The funding request's drafting and reading rules (functions/core/ace/funding-draft.ts) on their own: the
// CreateBenefitApplication body field by field (Partner Central Benefits model: Name 1–255, Description 1–1000,
// ClientToken 1–64), the ClientTokens (UUIDv5 values computed independently with Python's uuid.uuid5), what a patch
// may change in each status, GetBenefitApplication's statuses and an allocation's credits. Data is built inside each
// test (StrykerJS credits data built at collection time to no test).
import { describe, expect, it } from 'vitest';
import {
  benefitClientToken, benefitUpdateToken, creditsFromAllocation, draftBenefitApplication, draftFunding, fundingEditProblems,
  fundingStatusFrom, patchFunding, type AllocationView,
} from '../../functions/core/ace/funding-draft.ts';
import type { Application, FundingState, StoredBrief } from '../../schemas/application.ts';
import type { Filing } from '../../schemas/estimate.ts';
import type { RuntimeBenefitProgram, RuntimeBenefits } from '../../schemas/runtime-data.ts';
import { fundingApp } from '../support/funding.ts';

const UPDATABLE_RULE = 'cannot be changed once the benefit application exists at AWS: UpdateBenefitApplication changes only Name, Description, BenefitApplicationDetails, PartnerContacts, FileDetails';

function filing(overrides: Partial<Filing> = {}): Filing {
  return {
    programId: 'bedrock-poc', programName: 'POC credits', filingPath: 'ace', askUsd: '12345.5', coverageMonths: 3,
    monthlySpendByService: [], rationale: 'Sized from the POC window.', ...overrides,
  };
}

/** The fixture application with its worksheet's company renamed and the estimate's filings replaced. */
function appWith(filings: Filing[], company = 'Acme'): Application {
  const a = fundingApp({ status: 'approved', opportunityId: 'O1' });
  return {
    ...a,
    worksheet: { ...a.worksheet, company: { ...a.worksheet.company, name: company } },
    estimate: { ...a.estimate!, plan: { ...a.estimate!.plan, filings } },
  };
}

function benefit(overrides: Partial<RuntimeBenefitProgram> = {}): RuntimeBenefitProgram {
  return { programId: 'bedrock-poc', benefitId: 'ben-abcdefghij0123', benefitName: 'POC Credits', fulfillmentTypes: ['CREDITS'], detailsFields: {}, ...overrides };
}

const brief = (body: Record<string, unknown> = {}, programId = 'bedrock-poc'): StoredBrief => ({ programId, body, problems: [], revision: 1 });

describe('ClientTokens', () => {
  it('are UUIDv5 of the application, the program and what it is for, and the body revision (1 by default)', () => {
    expect(benefitClientToken('app_f', 'bedrock-poc', 1)).toBe('50d27c97-f74b-52fa-a205-4dc4c9aaddc0');
    expect(benefitClientToken('app_f', 'bedrock-poc')).toBe('50d27c97-f74b-52fa-a205-4dc4c9aaddc0');
    expect(benefitClientToken('app_f', 'bedrock-poc', 2)).toBe('30d25c92-d0f0-549d-93e5-76dd881db1e0');
    expect(benefitClientToken('app_f', 'activate-portfolio')).toBe('0cf0ba7a-14ba-51f6-b71f-eecf9b3eaf67');
    expect(benefitUpdateToken('app_f', 'bedrock-poc', 3)).toBe('4f2d82ce-5247-5636-ba71-a7e5d259318b');
  });
});

describe('the CreateBenefitApplication body', () => {
  it('is built from the benefit, the filing, the opportunity and the brief, field by field', () => {
    const a = appWith([filing({ programId: 'activate-portfolio', programName: 'Portfolio', askUsd: '99.00', rationale: 'Other.' }), filing()]);
    const body = draftBenefitApplication({
      app: a, brief: brief({ Catalog: 'Sandbox' }), opportunityId: 'O777',
      benefit: benefit({ benefitName: 'POC Credits', fulfillmentTypes: ['CREDITS', 'ACCESS'] }),
    });
    expect(body).toEqual({
      Catalog: 'Sandbox',
      ClientToken: '50d27c97-f74b-52fa-a205-4dc4c9aaddc0',
      BenefitIdentifier: 'ben-abcdefghij0123',
      FulfillmentTypes: ['CREDITS', 'ACCESS'],
      Name: 'Acme: POC credits',
      Description: '$12345.5 of POC Credits for Acme, ACE opportunity O777. Sized from the POC window.',
      BenefitApplicationDetails: {},
    });
  });

  it('takes each BenefitApplicationDetails member from the source the data names; money as USD with cents', () => {
    const a = appWith([filing()]);
    const detailsFields = {
      Ask: { from: 'filing.askUsd', as: 'money' }, Months: { from: 'filing.coverageMonths' }, Program: { from: 'filing.programName' },
      Account: { from: 'worksheet.aws.accountId' }, Company: { from: 'worksheet.company.name' }, Site: { from: 'worksheet.company.website' },
      UseCase: { from: 'worksheet.useCase.summary' }, Metric: { from: 'worksheet.useCase.poc.successMetric' }, Opportunity: { from: 'record.opportunityId' },
    } as const;
    const body = draftBenefitApplication({ app: a, brief: brief(), opportunityId: 'O777', benefit: benefit({ detailsFields }) });
    expect(body.BenefitApplicationDetails).toEqual({
      Ask: { Amount: '12345.50', CurrencyCode: 'USD' }, Months: 3, Program: 'POC credits',
      Account: a.worksheet.aws.accountId, Company: 'Acme', Site: a.worksheet.company.website,
      UseCase: a.worksheet.useCase.summary, Metric: a.worksheet.useCase.poc.successMetric, Opportunity: 'O777',
    });
    // The fixture's values, so the members above are not all the same empty thing.
    expect([a.worksheet.aws.accountId, a.worksheet.company.website]).toEqual(['123456789012', 'https://ledgerly.ai']);
  });

  it('leaves out members with nothing to say: no filing, no opportunity, an empty value', () => {
    const a = appWith([filing({ programId: 'activate-portfolio' })]);
    const noMetric = { ...a, worksheet: { ...a.worksheet, useCase: { ...a.worksheet.useCase, poc: { ...a.worksheet.useCase.poc, successMetric: '' } } } };
    const detailsFields = {
      Ask: { from: 'filing.askUsd', as: 'money' }, Months: { from: 'filing.coverageMonths' }, Program: { from: 'filing.programName' },
      Metric: { from: 'worksheet.useCase.poc.successMetric' }, Opportunity: { from: 'record.opportunityId' }, Company: { from: 'worksheet.company.name' },
    } as const;
    const body = draftBenefitApplication({ app: noMetric, brief: brief(), benefit: benefit({ detailsFields }) });
    expect(body.BenefitApplicationDetails).toEqual({ Company: 'Acme' });
    // Without a filing for the program: its id names it, and the ask is "credits".
    expect(body.Name).toBe('Acme: bedrock-poc');
    expect(body.Description).toBe('credits of POC Credits for Acme');
  });

  it("uses the filing of the brief's own program, not the first one", () => {
    const a = appWith([filing(), filing({ programId: 'activate-portfolio', programName: 'Portfolio', askUsd: '99.00', rationale: 'Other.' })]);
    const body = draftBenefitApplication({ app: a, brief: brief({}, 'activate-portfolio'), benefit: benefit({ programId: 'activate-portfolio' }) });
    expect(body).toMatchObject({ Name: 'Acme: Portfolio', Description: '$99.00 of POC Credits for Acme. Other.', ClientToken: '0cf0ba7a-14ba-51f6-b71f-eecf9b3eaf67' });
  });

  it("Catalog is the brief's when it is a string, else AWS", () => {
    const a = appWith([filing()]);
    expect(draftBenefitApplication({ app: a, brief: brief(), benefit: benefit() }).Catalog).toBe('AWS');
    expect(draftBenefitApplication({ app: a, brief: brief({ Catalog: 7 }), benefit: benefit() }).Catalog).toBe('AWS');
    expect(draftBenefitApplication({ app: a, brief: brief({ Catalog: 'Sandbox' }), benefit: benefit() }).Catalog).toBe('Sandbox');
  });

  it('the partner contact is the first of PartnerContacts (else OpportunityTeam), with only the names it has', () => {
    const a = appWith([filing()]);
    const team = brief({ OpportunityTeam: [{ Email: 'first@p.example', LastName: 'Lee' }, { Email: 'second@p.example' }] });
    expect(draftBenefitApplication({ app: a, brief: team, benefit: benefit() }).PartnerContacts).toEqual([{ Email: 'first@p.example', LastName: 'Lee' }]);
    const noEmail = brief({ PartnerContacts: [{ FirstName: 'Ana' }] });
    expect(draftBenefitApplication({ app: a, brief: noEmail, benefit: benefit() })).not.toHaveProperty('PartnerContacts');
  });

  it('cuts Name at 255 and Description at 1000 characters (code points) with an ellipsis', () => {
    // "Acme: " is 6 characters; the smile is one code point of two UTF-16 units.
    const exactly = appWith([filing({ programName: `😀${'n'.repeat(248)}` })]);
    const name255 = draftBenefitApplication({ app: exactly, brief: brief(), benefit: benefit() }).Name as string;
    expect(name255).toBe(`Acme: 😀${'n'.repeat(248)}`);
    expect([...name255]).toHaveLength(255);
    const over = appWith([filing({ programName: `😀${'n'.repeat(249)}` })]);
    const cut = draftBenefitApplication({ app: over, brief: brief(), benefit: benefit() }).Name as string;
    expect(cut).toBe(`Acme: 😀${'n'.repeat(247)}…`);
    expect([...cut]).toHaveLength(255);

    // Without an opportunity: "<ask> of <benefit> for <company>. <rationale>".
    const d = (rationale: string) => draftBenefitApplication({ app: appWith([filing({ rationale })]), brief: brief(), benefit: benefit() }).Description as string;
    const prefix = '$12345.5 of POC Credits for Acme. ';
    expect(d('r'.repeat(1000 - prefix.length))).toBe(`${prefix}${'r'.repeat(1000 - prefix.length)}`);
    expect(d('r'.repeat(1001 - prefix.length))).toBe(`${prefix}${'r'.repeat(999 - prefix.length)}…`);
  });

  it('draftFunding: a drafted request at revision 1 with the model\'s objections, or nothing for a program without a benefit', () => {
    const a = appWith([filing()]);
    const data: RuntimeBenefits = { creditAmountFrom: ['IssuedAmount'], programs: [benefit({ fulfillmentTypes: ['CREDITS'] })] };
    const funding = draftFunding({ app: a, brief: brief({ Catalog: 'Sandbox' }), opportunityId: 'O777', data });
    expect(funding).toMatchObject({ status: 'drafted', revision: 1, problems: [] });
    expect(funding?.body).toMatchObject({ Name: 'Acme: POC credits', BenefitIdentifier: 'ben-abcdefghij0123' });
    expect(draftFunding({ app: a, brief: brief({}, 'activate-portfolio'), data })).toBeUndefined();
    const empty = draftFunding({ app: appWith([filing()], ''), brief: brief(), data: { ...data, programs: [benefit({ detailsFields: { Company: { from: 'worksheet.company.name' } } })] } });
    expect(empty?.body.BenefitApplicationDetails).toEqual({});
  });
});

describe('what a patch may change', () => {
  const drafted = (): FundingState => ({
    status: 'drafted', revision: 1, problems: [],
    body: { Catalog: 'AWS', ClientToken: 't', BenefitIdentifier: 'ben-abcdefghij0123', Name: 'n', BenefitApplicationDetails: { Ask: 1 } },
  });

  it('never the service-managed fields, in any status, each named by its path', () => {
    const before = drafted().body;
    expect(fundingEditProblems(before, { ...before, Catalog: 'Sandbox', AssociatedResources: ['arn:x'] }, 'drafted')).toEqual([
      { field: 'AssociatedResources', rule: 'is set by the service and cannot be edited' },
      { field: 'Catalog', rule: 'is set by the service and cannot be edited' },
    ]);
  });

  it('while drafted, anything else; under Action Required only what UpdateBenefitApplication changes, by top-level member', () => {
    const before = drafted().body;
    const after = { ...before, BenefitIdentifier: 'ben-zzzzzzzzzzzzzz', BenefitApplicationDetails: { Ask: 2 }, Name: 'm' };
    expect(fundingEditProblems(before, after, 'drafted')).toEqual([]);
    expect(fundingEditProblems(before, after, 'action_required')).toEqual([{ field: 'BenefitIdentifier', rule: UPDATABLE_RULE }]);
  });

  it('patchFunding: the merged body, its edit problems, and whether it changed at all', () => {
    const f = drafted();
    expect(patchFunding(f, { Name: 'n' })).toEqual({ body: f.body, editProblems: [], unchanged: true });
    expect(patchFunding(f, { Name: 'm', BenefitApplicationDetails: { Ask: null } })).toEqual({
      body: { ...f.body, Name: 'm', BenefitApplicationDetails: {} }, editProblems: [], unchanged: false,
    });
  });
});

describe("GetBenefitApplication's status", () => {
  it('maps to a funding status; Pending Submission and nothing ask for none', () => {
    expect(['IN_REVIEW', 'ACTION_REQUIRED', 'APPROVED', 'REJECTED', 'CANCELED', 'PENDING_SUBMISSION', '', undefined].map(fundingStatusFrom)).toEqual([
      'in_review', 'action_required', 'approved', 'rejected', 'rejected', undefined, undefined, undefined,
    ]);
  });
});

describe("an allocation's credits", () => {
  const allocation = (over: Partial<AllocationView> = {}): AllocationView => ({
    id: 'benalloc-aaaaaaaaaaaaaa', createdAt: '2026-11-20T08:00:00.000Z', startsAt: '2026-11-28T09:30:00.000Z', expiresAt: '2027-11-28T23:59:59.000Z',
    credit: { allocated: { Amount: '30000', CurrencyCode: 'USD' }, issued: { Amount: '25000.5', CurrencyCode: 'USD' }, codeExpiries: [] },
    ...over,
  });
  const data = (creditAmountFrom: RuntimeBenefits['creditAmountFrom']): RuntimeBenefits => ({ creditAmountFrom, programs: [] });

  it('takes the first amount above zero in the order the data gives, dated by the start and expiry timestamps', () => {
    expect(creditsFromAllocation(allocation(), data(['IssuedAmount', 'AllocatedAmount']))).toEqual({
      allocationId: 'benalloc-aaaaaaaaaaaaaa', amountUsd: '25000.50', appliedOn: '2026-11-28', expiresOn: '2027-11-28',
      startsAt: '2026-11-28T09:30:00.000Z', expiresAt: '2027-11-28T23:59:59.000Z',
    });
    expect(creditsFromAllocation(allocation(), data(['AllocatedAmount', 'IssuedAmount']))).toMatchObject({ amountUsd: '30000.00' });
    expect(creditsFromAllocation(allocation(), data(['AllocatedAmount']))).toMatchObject({ amountUsd: '30000.00' });
    expect(creditsFromAllocation(allocation(), data(['IssuedAmount']))).toMatchObject({ amountUsd: '25000.50' });
  });

  it("keeps the allocation's status when it has one; starts at its creation when it has no start", () => {
    expect(creditsFromAllocation(allocation({ status: 'ACTIVE' }), data(['IssuedAmount']))).toMatchObject({ status: 'ACTIVE' });
    const noStart = creditsFromAllocation(allocation({ startsAt: undefined }), data(['IssuedAmount']));
    expect(noStart).toMatchObject({ appliedOn: '2026-11-20', startsAt: '2026-11-20T08:00:00.000Z' });
    expect(noStart).not.toHaveProperty('status');
  });

  it('names why an allocation is unusable: no amount above zero, another currency, no start or no expiry, not a decimal', () => {
    const zero = allocation({ credit: { allocated: { Amount: '0', CurrencyCode: 'USD' }, issued: undefined, codeExpiries: [] } });
    expect(creditsFromAllocation(zero, data(['IssuedAmount', 'AllocatedAmount']))).toEqual({ unusable: 'the allocation shows no credit amount above zero' });
    const euros = allocation({ credit: { allocated: { Amount: '100', CurrencyCode: 'EUR' }, codeExpiries: [] } });
    expect(creditsFromAllocation(euros, data(['AllocatedAmount']))).toEqual({ unusable: 'the allocation is in EUR, not USD' });
    const noDates = 'the allocation has no start or expiry date';
    expect(creditsFromAllocation(allocation({ startsAt: undefined, createdAt: undefined }), data(['IssuedAmount']))).toEqual({ unusable: noDates });
    expect(creditsFromAllocation(allocation({ expiresAt: undefined }), data(['IssuedAmount']))).toEqual({ unusable: noDates });
    const padded = allocation({ credit: { allocated: { Amount: ' 300', CurrencyCode: 'USD' }, codeExpiries: [] } });
    expect(creditsFromAllocation(padded, data(['AllocatedAmount']))).toEqual({ unusable: 'the allocation\'s amount " 300" is not a decimal number' });
    expect(creditsFromAllocation(allocation({ credit: undefined }))).toEqual({ unusable: 'the allocation has no CreditDetails (not a credits fulfillment)' });
  });
});

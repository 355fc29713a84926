/* eslint-disable @typescript-eslint/no-explicit-any -- the bodies here are loose JSON that each case mutates freely */
// The CreateOpportunity validator: the model walk (one test per shape rule) and the documented submission rules
// (one per rule family), each with the exact { field, rule } a partner would see; AWS's own sample payloads;
// and property tests that valid bodies pass and mutated ones do not.
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateCreateOpportunity } from '../../functions/core/ace/validate.ts';
import { CreateOpportunityBody } from '../../schemas/ace-opportunity.ts';

const NOW = new Date('2026-01-15T12:00:00Z');
// AWS's sample payloads (aws-samples/partner-crm-integration-samples), copied from shared/reference/ace.
const REFERENCE = fileURLToPath(new URL('../fixtures/ace-samples', import.meta.url));
const sample = (name: string): unknown => JSON.parse(readFileSync(`${REFERENCE}/${name}`, 'utf8'));

/** A body that satisfies the model and every documented submission rule on NOW. */
function validBody(): Record<string, any> {
  return {
    Catalog: 'Sandbox',
    ClientToken: '347cc402-0be2-5719-91fe-7e294b85da48',
    Origin: 'Partner Referral',
    OpportunityType: 'Net New Business',
    PrimaryNeedsFromAws: ['Co-Sell - Technical Consultation'],
    PartnerOpportunityIdentifier: 'app-1:bedrock-poc',
    Customer: {
      Account: {
        CompanyName: 'Ledgerly Labs',
        Industry: 'Financial Services',
        WebsiteUrl: 'https://ledgerly.ai',
        AwsAccountId: '123456789012',
        Address: { CountryCode: 'US', PostalCode: '94107', StateOrRegion: 'California', City: 'San Francisco' },
      },
      Contacts: [{ FirstName: 'Maya', LastName: 'Okafor', Email: 'maya@ledgerly.ai', Phone: '+14155550142' }],
    },
    Project: {
      Title: 'Ledgerly Labs: RAG assistant on Amazon Bedrock',
      CustomerBusinessProblem: 'Ledgerly Labs builds a bookkeeping assistant on Amazon Bedrock for accounting firms.',
      CustomerUseCase: 'AI Machine Learning and Analytics',
      DeliveryModels: ['Professional Services'],
      SalesActivities: ['Initialized discussions with customer'],
      ExpectedCustomerSpend: [
        { Amount: '6150.40', CurrencyCode: 'USD', Frequency: 'Monthly', TargetCompany: 'AWS' },
        { Amount: '700', CurrencyCode: 'USD', Frequency: 'Monthly', TargetCompany: 'AWS' },
      ],
      AdditionalComments: 'Program: Amazon Bedrock POC funding.',
    },
    LifeCycle: { Stage: 'Qualified', TargetCloseDate: '2026-03-12', NextSteps: 'Partner to confirm the POC scope.' },
    Marketing: { Source: 'None' },
  };
}

const validate = (body: unknown, catalog?: 'AWS' | 'Sandbox') => validateCreateOpportunity(body, { now: NOW, ...(catalog && { catalog }) });

function mutated(change: (body: Record<string, any>) => void): Record<string, any> {
  const body = validBody();
  change(body);
  return body;
}

describe('a valid body', () => {
  it('has no problems, and parses with the generated zod schema', () => {
    expect(validate(validBody(), 'Sandbox')).toEqual([]);
    expect(CreateOpportunityBody.safeParse(validBody()).success).toBe(true);
  });
});

describe('AWS sample payloads (aws-samples/partner-crm-integration-samples)', () => {
  it('createOpportunity-sample.json: only its {{CATALOG}} template placeholder is a problem', () => {
    // {{CLIENT_TOKEN}} still satisfies ^.{1,255}$; the nulls are how the samples say "absent".
    expect(validate(sample('createOpportunity-sample.json'))).toEqual([{ field: 'Catalog', rule: 'must be letters only: AWS or Sandbox' }]);
  });

  it('createOpportunity-sample.json with its placeholders filled passes, in either catalog', () => {
    const filled = { ...(sample('createOpportunity-sample.json') as object), Catalog: 'AWS', ClientToken: 'crm-record-42' };
    expect(validate(filled)).toEqual([]);
    expect(validate({ ...filled, Catalog: 'Sandbox' }, 'Sandbox')).toEqual([]);
  });

  it('Opportunity-Create-Inbound-Sample.json is the legacy S3 format, not a CreateOpportunity body', () => {
    const problems = validate(sample('Opportunity-Create-Inbound-Sample.json'));
    expect(problems).toEqual(expect.arrayContaining([
      { field: 'version', rule: 'unknown field not allowed' },
      { field: 'opportunities', rule: 'unknown field not allowed' },
      { field: 'Catalog', rule: 'is required' },
      { field: 'ClientToken', rule: 'is required' },
    ]));
  });

  it('Opportunity-Results_With-Errors-Sample.json is a result file, not a request body', () => {
    expect(validate(sample('Opportunity-Results_With-Errors-Sample.json'))).toContainEqual({ field: 'success', rule: 'unknown field not allowed' });
  });
});

describe('rules from the service model', () => {
  it.each([
    ['required member', (b: any) => delete b.ClientToken, { field: 'ClientToken', rule: 'is required' }],
    ['required member of a nested structure', (b: any) => delete b.Customer.Account.CompanyName, { field: 'Customer.Account.CompanyName', rule: 'is required' }],
    ['unknown member', (b: any) => (b.Project.Budget = '1'), { field: 'Project.Budget', rule: 'unknown field not allowed' }],
    ['enum value', (b: any) => (b.LifeCycle.Stage = 'Won'), { field: 'LifeCycle.Stage', rule: 'must be one of: "Prospect", "Qualified", "Technical Validation", "Business Validation", "Committed", "Launched", "Closed Lost"' }],
    ['large enum', (b: any) => (b.Customer.Account.Address.CountryCode = 'UK'), { field: 'Customer.Account.Address.CountryCode', rule: 'must be one of the 249 CountryCode values, e.g. "US", "AF", "AX"' }],
    ['enum in a list', (b: any) => (b.Project.DeliveryModels = ['Consulting']), { field: 'Project.DeliveryModels[0]', rule: 'must be one of: "SaaS or PaaS", "BYOL or AMI", "Managed Services", "Professional Services", "Resell", "Other"' }],
    ['maximum length (member override)', (b: any) => (b.Customer.Account.CompanyName = 'x'.repeat(121)), { field: 'Customer.Account.CompanyName', rule: 'must be at most 120 characters' }],
    ['minimum length', (b: any) => (b.Project.CustomerBusinessProblem = 'Too short.'), { field: 'Project.CustomerBusinessProblem', rule: 'must be at least 20 characters' }],
    ['maximum length of long text', (b: any) => (b.Project.CustomerBusinessProblem = 'y'.repeat(2001)), { field: 'Project.CustomerBusinessProblem', rule: 'must be at most 2000 characters' }],
    ['pattern: lower-case email', (b: any) => (b.Customer.Contacts[0].Email = 'Maya@Ledgerly.ai'), { field: 'Customer.Contacts[0].Email', rule: 'must be a lower-case email address of at most 80 characters' }],
    ['pattern: decimal amount', (b: any) => (b.Project.ExpectedCustomerSpend[0].Amount = '6,150.40'), { field: 'Project.ExpectedCustomerSpend[0].Amount', rule: 'must be a decimal string such as 1234.56 (no leading zeros, at most 2 decimals, no separators)' }],
    ['pattern: date', (b: any) => (b.LifeCycle.TargetCloseDate = '03/12/2026'), { field: 'LifeCycle.TargetCloseDate', rule: 'must be a date YYYY-MM-DD' }],
    ['pattern: phone', (b: any) => (b.Customer.Contacts[0].Phone = '415-555-0142'), { field: 'Customer.Contacts[0].Phone', rule: 'must be an E.164 phone number, e.g. +14155550100' }],
    ['list maximum', (b: any) => (b.Project.ExpectedCustomerSpend = Array.from({ length: 11 }, () => ({ Amount: '1', CurrencyCode: 'USD', Frequency: 'Monthly', TargetCompany: 'AWS' }))), { field: 'Project.ExpectedCustomerSpend', rule: 'must have at most 10 items' }],
    ['type', (b: any) => (b.Project.DeliveryModels = 'Professional Services'), { field: 'Project.DeliveryModels', rule: 'must be a list' }],
  ])('%s', (_name, change, expected) => {
    expect(validate(mutated(change))).toEqual([expected]);
  });

  // Members named like Object.prototype's own properties are unknown fields too: a check by `in` found them on the
  // prototype, so a patch adding `constructor` or `toString` was reported valid and rode into the export and the filing.
  it.each(['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'])('unknown member named like a prototype property: %s', (name) => {
    expect(validate(mutated((b) => (b[name] = 'x')))).toEqual([{ field: name, rule: 'unknown field not allowed' }]);
    expect(validate(mutated((b) => (b.Customer.Account[name] = { a: 1 })))).toEqual([{ field: `Customer.Account.${name}`, rule: 'unknown field not allowed' }]);
  });

  it('treats null as absent, as the AWS samples and SDKs do', () => {
    expect(validate(mutated((b) => (b.Project.OtherCompetitorNames = null)))).toEqual([]);
    expect(validate(mutated((b) => (b.Catalog = null)))).toEqual([{ field: 'Catalog', rule: 'is required' }]);
    // A null spend line is one problem: not also a line without an Amount.
    expect(validate(mutated((b) => b.Project.ExpectedCustomerSpend.unshift(null)))).toEqual([{ field: 'Project.ExpectedCustomerSpend[0]', rule: 'must not be null' }]);
  });

  it.each([['a string', 'hello'], ['null', null], ['a list', [validBody()]]])('reports a non-object body (%s) once, without the submission rules', (_name, body) => {
    expect(validate(body)).toEqual([{ field: '(root)', rule: 'must be an object' }]);
  });
});

describe('documented submission rules', () => {
  it.each([
    ['Origin for the AWS catalog', (b: any) => (b.Catalog = 'AWS', b.Origin = 'AWS Referral'), [{ field: 'Origin', rule: 'must be "Partner Referral" when Catalog is AWS' }]],
    ['AWS Referral is allowed in Sandbox', (b: any) => (b.Origin = 'AWS Referral'), []],
    ['catalog value', (b: any) => (b.Catalog = 'Prod'), [{ field: 'Catalog', rule: 'must be "AWS" or "Sandbox"' }]],
    ['expected spend present', (b: any) => (b.Project.ExpectedCustomerSpend = []), [{ field: 'Project.ExpectedCustomerSpend', rule: 'is required: the expected monthly AWS spend' }]],
    ['amount present', (b: any) => (b.Project.ExpectedCustomerSpend[1].Amount = ''), [{ field: 'Project.ExpectedCustomerSpend[1].Amount', rule: 'is required: the expected monthly AWS spend' }]],
    ['amount > 0', (b: any) => (b.Project.ExpectedCustomerSpend[1].Amount = '0.00'), [{ field: 'Project.ExpectedCustomerSpend[1].Amount', rule: 'must be greater than 0 (the expected monthly AWS spend)' }]],
    ['currency USD or EUR', (b: any) => (b.Project.ExpectedCustomerSpend[0].CurrencyCode = 'GBP'), [{ field: 'Project.ExpectedCustomerSpend[0].CurrencyCode', rule: 'must be USD or EUR, the only currencies ACE accepts' }]],
    ['EUR for the European Sovereign Cloud', (b: any) => (b.Project.AwsPartition = 'aws-eusc'), [
      { field: 'Project.ExpectedCustomerSpend[0].CurrencyCode', rule: 'must be EUR when Project.AwsPartition is aws-eusc' },
      { field: 'Project.ExpectedCustomerSpend[1].CurrencyCode', rule: 'must be EUR when Project.AwsPartition is aws-eusc' },
    ]],
    ['target company AWS', (b: any) => (b.Project.ExpectedCustomerSpend[0].TargetCompany = 'Self'), [{ field: 'Project.ExpectedCustomerSpend[0].TargetCompany', rule: 'must be "AWS"' }]],
    ['close date in the past', (b: any) => (b.LifeCycle.TargetCloseDate = '2025-12-31'), [{ field: 'LifeCycle.TargetCloseDate', rule: 'must be in the future (after 2026-01-15)' }]],
    ['close date today', (b: any) => (b.LifeCycle.TargetCloseDate = '2026-01-15'), [{ field: 'LifeCycle.TargetCloseDate', rule: 'must be in the future (after 2026-01-15)' }]],
    ['close date not a calendar day', (b: any) => (b.LifeCycle.TargetCloseDate = '2026-02-30'), [{ field: 'LifeCycle.TargetCloseDate', rule: 'must be a real calendar date' }]],
    ['close date present', (b: any) => delete b.LifeCycle.TargetCloseDate, [{ field: 'LifeCycle.TargetCloseDate', rule: 'is required' }]],
    ['account fields', (b: any) => (b.Customer.Account = { CompanyName: ' ' }), [
      { field: 'Customer.Account.CompanyName', rule: 'is required' },
      { field: 'Customer.Account.Industry', rule: 'is required' },
      { field: 'Customer.Account.WebsiteUrl', rule: 'is required (unless NationalSecurity is Yes)' },
      { field: 'Customer.Account.Address', rule: 'is required' },
    ]],
    ['OtherIndustry when Industry is Other', (b: any) => (b.Customer.Account.Industry = 'Other'), [{ field: 'Customer.Account.OtherIndustry', rule: 'is required when Industry is Other' }]],
    ['country present', (b: any) => (b.Customer.Account.Address = { City: 'Paris' }), [{ field: 'Customer.Account.Address.CountryCode', rule: 'is required' }]],
    ['postal code required', (b: any) => delete b.Customer.Account.Address.PostalCode, [{ field: 'Customer.Account.Address.PostalCode', rule: 'is required for this country' }]],
    ['postal code format', (b: any) => (b.Customer.Account.Address.PostalCode = '9410'), [{ field: 'Customer.Account.Address.PostalCode', rule: 'must be in 99999 OR 99999-9999 format for United States' }]],
    ['postal code format elsewhere', (b: any) => (b.Customer.Account.Address = { CountryCode: 'CA', PostalCode: '94107' }), [{ field: 'Customer.Account.Address.PostalCode', rule: 'must be in A9A 9A9 or A9A9A9 format for Canada' }]],
    ['no postal code where there is none', (b: any) => (b.Customer.Account.Address = { CountryCode: 'HK', PostalCode: '999077' }), [{ field: 'Customer.Account.Address.PostalCode', rule: 'must be omitted: the country has no postal codes' }]],
    ['no postal code needed where there is none', (b: any) => (b.Customer.Account.Address = { CountryCode: 'AE', City: 'Dubai' }), []],
    ['US state required', (b: any) => delete b.Customer.Account.Address.StateOrRegion, [{ field: 'Customer.Account.Address.StateOrRegion', rule: 'is required when CountryCode is US' }]],
    ['US state from the list', (b: any) => (b.Customer.Account.Address.StateOrRegion = 'CA'), [{ field: 'Customer.Account.Address.StateOrRegion', rule: 'must be a US state or territory as ACE spells it, e.g. "California" (62 values)' }]],
    ['no state outside the US', (b: any) => (b.Customer.Account.Address = { CountryCode: 'DE', PostalCode: '10115', StateOrRegion: 'Berlin' }), [{ field: 'Customer.Account.Address.StateOrRegion', rule: 'is accepted only when CountryCode is US: omit it' }]],
    ['national security only for government', (b: any) => (b.NationalSecurity = 'Yes'), [{ field: 'NationalSecurity', rule: 'may be "Yes" only when Customer.Account.Industry is Government' }]],
    ['national security waives website and state', (b: any) => (b.NationalSecurity = 'Yes', b.Customer.Account.Industry = 'Government', delete b.Customer.Account.WebsiteUrl, delete b.Customer.Account.Address.StateOrRegion), []],
    ['project fields', (b: any) => (b.Project = { Title: '' }), [
      { field: 'Project.Title', rule: 'is required' },
      { field: 'Project.CustomerBusinessProblem', rule: 'is required' },
      { field: 'Project.CustomerUseCase', rule: 'is required' },
      { field: 'Project.DeliveryModels', rule: 'is required' },
      { field: 'Project.SalesActivities', rule: 'is required' },
      { field: 'Project.ExpectedCustomerSpend', rule: 'is required: the expected monthly AWS spend' },
    ]],
    ['customer use case from the documented list', (b: any) => (b.Project.CustomerUseCase = 'Generative AI'), [{ field: 'Project.CustomerUseCase', rule: 'must be one of the 39 documented values, e.g. "AI Machine Learning and Analytics", "Archiving"' }]],
    ['APN programs from the documented list', (b: any) => (b.Project.ApnPrograms = ['Well-Architected', 'Credits']), [{ field: 'Project.ApnPrograms[1]', rule: 'must be one of the 16 documented values, e.g. "APN Immersion Days", "APN Solution Space"' }]],
    ['co-sell needs present', (b: any) => (b.PrimaryNeedsFromAws = []), [{ field: 'PrimaryNeedsFromAws', rule: 'is required' }]],
    ['additional comments not empty', (b: any) => (b.Project.AdditionalComments = ''), [{ field: 'Project.AdditionalComments', rule: 'must not be empty' }]],
    ['additional comments not blank', (b: any) => (b.Project.AdditionalComments = '   '), [{ field: 'Project.AdditionalComments', rule: 'must not be empty: omit it instead' }]],
    ['competitor *Other needs names', (b: any) => (b.Project.CompetitorName = '*Other'), [{ field: 'Project.OtherCompetitorNames', rule: 'is required when CompetitorName is "*Other"' }]],
    ['competitor names only with *Other', (b: any) => (b.Project.CompetitorName = 'No Competition', b.Project.OtherCompetitorNames = 'Acme'), [{ field: 'Project.OtherCompetitorNames', rule: 'is allowed only when CompetitorName is "*Other"' }]],
    ['flat renewal needs its parent', (b: any) => (b.OpportunityType = 'Flat Renewal'), [{ field: 'Project.RelatedOpportunityIdentifier', rule: 'is required when OpportunityType is Flat Renewal' }]],
    ['closed lost needs a reason', (b: any) => (b.LifeCycle.Stage = 'Closed Lost'), [{ field: 'LifeCycle.ClosedLostReason', rule: 'is required when Stage is Closed Lost' }]],
    ['review status is read-only', (b: any) => (b.LifeCycle.ReviewStatus = 'Approved'), [{ field: 'LifeCycle.ReviewStatus', rule: 'is set by AWS: omit it (or send "Pending Submission")' }]],
    ['marketing source present', (b: any) => (b.Marketing = {}), [{ field: 'Marketing.Source', rule: 'is required' }]],
    ['marketing source None means no campaign', (b: any) => (b.Marketing = { Source: 'None', CampaignName: 'X', Channels: ['Email'], AwsFundingUsed: 'No' }), [
      { field: 'Marketing.CampaignName', rule: 'must be omitted when Marketing.Source is None' },
      { field: 'Marketing.Channels', rule: 'must be omitted when Marketing.Source is None' },
      { field: 'Marketing.AwsFundingUsed', rule: 'must be omitted when Marketing.Source is None' },
    ]],
    ['marketing activity needs the funding flag', (b: any) => (b.Marketing = { Source: 'Marketing Activity' }), [{ field: 'Marketing.AwsFundingUsed', rule: 'is required when Marketing.Source is Marketing Activity' }]],
    ['no marketing use cases without AWS funding', (b: any) => (b.Marketing = { Source: 'Marketing Activity', AwsFundingUsed: 'No', UseCases: ['AI/ML'] }), [{ field: 'Marketing.UseCases', rule: 'must be empty when AwsFundingUsed is No' }]],
    ['marketing use cases from the documented list', (b: any) => (b.Marketing = { Source: 'Marketing Activity', AwsFundingUsed: 'Yes', UseCases: ['GenAI'] }), [{ field: 'Marketing.UseCases[0]', rule: 'must be one of the 26 documented values, e.g. "AI/ML", "Analytics"' }]],
  ])('%s', (_name, change, expected) => {
    expect(validate(mutated(change))).toEqual(expected);
  });

  it('checks the catalog configured for the environment', () => {
    expect(validate(mutated((b) => (b.Catalog = 'AWS')), 'Sandbox')).toEqual([{ field: 'Catalog', rule: 'must be "Sandbox", the catalog configured for this environment' }]);
    expect(validate(mutated((b) => (b.Catalog = 'AWS')), 'AWS')).toEqual([]);
  });

  it('reports every problem at once, one rule per field', () => {
    const problems = validate(mutated((b) => {
      b.Origin = 'Walk-in';
      b.Project.Title = 't'.repeat(256);
      b.LifeCycle.TargetCloseDate = '2020-01-01';
      delete b.Marketing;
    }));
    // Model problems come in the model's member order, then the submission rules.
    expect(problems).toEqual([
      { field: 'Project.Title', rule: 'must be at most 255 characters' },
      { field: 'Origin', rule: 'must be one of: "AWS Referral", "Partner Referral"' },
      { field: 'Marketing', rule: 'is required' },
      { field: 'LifeCycle.TargetCloseDate', rule: 'must be in the future (after 2026-01-15)' },
    ]);
  });
});

describe('properties', () => {
  const futureDate = fc.date({ min: new Date('2026-01-16T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  const pastDate = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: NOW, noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  const amount = fc.bigInt({ min: 1n, max: 10n ** 9n }).map((cents) => `${cents / 100n}.${(cents % 100n).toString().padStart(2, '0')}`);

  it('accepts valid variations (close dates, amounts, spend lines)', () => {
    fc.assert(fc.property(futureDate, fc.array(amount, { minLength: 1, maxLength: 10 }), (date, amounts) => {
      const body = mutated((b) => {
        b.LifeCycle.TargetCloseDate = date;
        b.Project.ExpectedCustomerSpend = amounts.map((a) => ({ Amount: a, CurrencyCode: 'USD', Frequency: 'Monthly', TargetCompany: 'AWS' }));
      });
      expect(validate(body)).toEqual([]);
    }));
  });

  const mutations: fc.Arbitrary<[string, (b: Record<string, any>) => void]> = fc.oneof(
    fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !['Prospect', 'Qualified', 'Technical Validation', 'Business Validation', 'Committed', 'Launched', 'Closed Lost'].includes(s))
      .map((s) => ['LifeCycle.Stage', (b) => (b.LifeCycle.Stage = s)] as [string, (b: Record<string, any>) => void]),
    fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !['Partner Referral', 'AWS Referral'].includes(s))
      .map((s) => ['Origin', (b) => (b.Origin = s)] as [string, (b: Record<string, any>) => void]),
    fc.integer({ min: 256, max: 600 }).map((n) => ['Project.Title', (b) => (b.Project.Title = 'T'.repeat(n))] as [string, (b: Record<string, any>) => void]),
    fc.integer({ min: 2001, max: 4000 }).map((n) => ['Project.CustomerBusinessProblem', (b) => (b.Project.CustomerBusinessProblem = 'p'.repeat(n))] as [string, (b: Record<string, any>) => void]),
    fc.integer({ min: 256, max: 600 }).map((n) => ['LifeCycle.NextSteps', (b) => (b.LifeCycle.NextSteps = 'n'.repeat(n))] as [string, (b: Record<string, any>) => void]),
    pastDate.map((d) => ['LifeCycle.TargetCloseDate', (b) => (b.LifeCycle.TargetCloseDate = d)] as [string, (b: Record<string, any>) => void]),
    fc.constantFrom('Catalog', 'ClientToken').map((k) => [k, (b) => delete b[k]] as [string, (b: Record<string, any>) => void]),
    fc.constantFrom('CompanyName', 'Industry', 'WebsiteUrl').map((k) => [`Customer.Account.${k}`, (b) => delete b.Customer.Account[k]] as [string, (b: Record<string, any>) => void]),
    fc.constantFrom('Title', 'CustomerUseCase', 'DeliveryModels', 'SalesActivities', 'ExpectedCustomerSpend').map((k) => [`Project.${k}`, (b) => delete b.Project[k]] as [string, (b: Record<string, any>) => void]),
  );

  it('rejects mutated bodies (bad enum, too-long text, past date, missing required member) at the mutated field', () => {
    fc.assert(fc.property(mutations, ([field, change]) => {
      const problems = validate(mutated(change));
      expect(problems.map((p) => p.field)).toContain(field);
    }));
  });
});

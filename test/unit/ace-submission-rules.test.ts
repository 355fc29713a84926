/* eslint-disable @typescript-eslint/no-explicit-any -- the bodies here are loose JSON that each case changes freely */
// The documented submission rules on their own (functions/core/ace/submission-rules.ts), without the model walk in
// front of them: validate.ts drops a rule problem on a field the model already faults, so the cases where a rule
// must stay quiet about a value of the wrong type, a blank value or an unknown country are only visible here. Each
// expected rule is the text of data/ace/submission-rules.json or of the computed rule (ace-selling-api.md §2-§3).
import { describe, expect, it } from 'vitest';
import { checkSubmissionRules, listRule, resolve } from '../../functions/core/ace/submission-rules.ts';

const NOW = new Date('2026-01-15T12:00:00Z');

/** A body that breaks no submission rule on NOW (the model walk is not run here). */
function validBody(): Record<string, any> {
  return {
    Catalog: 'Sandbox',
    Origin: 'Partner Referral',
    OpportunityType: 'Net New Business',
    PrimaryNeedsFromAws: ['Co-Sell - Technical Consultation'],
    Customer: {
      Account: {
        CompanyName: 'Ledgerly Labs',
        Industry: 'Financial Services',
        WebsiteUrl: 'https://ledgerly.ai',
        Address: { CountryCode: 'US', PostalCode: '94107', StateOrRegion: 'California' },
      },
    },
    Project: {
      Title: 'Ledgerly Labs: RAG assistant on Amazon Bedrock',
      CustomerBusinessProblem: 'Ledgerly Labs builds a bookkeeping assistant on Amazon Bedrock.',
      CustomerUseCase: 'AI Machine Learning and Analytics',
      DeliveryModels: ['Professional Services'],
      SalesActivities: ['Initialized discussions with customer'],
      ExpectedCustomerSpend: [{ Amount: '6150.40', CurrencyCode: 'USD', Frequency: 'Monthly', TargetCompany: 'AWS' }],
    },
    LifeCycle: { Stage: 'Qualified', TargetCloseDate: '2026-03-12' },
    Marketing: { Source: 'None' },
  };
}

function check(change: (b: Record<string, any>) => void, catalog?: 'AWS' | 'Sandbox', now = NOW) {
  const body = validBody();
  change(body);
  return checkSubmissionRules({ body, now, ...(catalog && { catalog }) });
}

const AMOUNT = 'Project.ExpectedCustomerSpend[0].Amount';

describe('resolve', () => {
  it('follows a dotted path, naming where it looked even when nothing is there', () => {
    expect(resolve({ a: { b: 1 } }, 'a.b')).toEqual([{ path: ['a', 'b'], value: 1 }]);
    expect(resolve({ a: { b: 1 } }, 'a.c')).toEqual([{ path: ['a', 'c'], value: undefined }]);
  });

  it('reads members of objects only: not of a string, a list or null', () => {
    expect(resolve({ a: 'text' }, 'a.length')).toEqual([{ path: ['a', 'length'], value: undefined }]);
    expect(resolve({ a: [{ b: 1 }] }, 'a.0')).toEqual([{ path: ['a', '0'], value: undefined }]);
    expect(resolve({ a: null }, 'a.b')).toEqual([{ path: ['a', 'b'], value: undefined }]);
    expect(resolve([{ a: 1 }], 'a')).toEqual([{ path: ['a'], value: undefined }]);
  });

  it('visits each item of a list for "[]", and nothing when the value is not a list', () => {
    expect(resolve({ a: [{ b: 1 }, { b: 2 }, 'x'] }, 'a[].b')).toEqual([
      { path: ['a', 0, 'b'], value: 1 },
      { path: ['a', 1, 'b'], value: 2 },
      { path: ['a', 2, 'b'], value: undefined },
    ]);
    expect(resolve({ a: ['x', 'y'] }, 'a[]')).toEqual([{ path: ['a', 0], value: 'x' }, { path: ['a', 1], value: 'y' }]);
    expect(resolve({ a: 'xy' }, 'a[]')).toEqual([]);
    expect(resolve({ a: { 0: 'x' } }, 'a[].b')).toEqual([]);
  });
});

describe('checkSubmissionRules', () => {
  it('finds nothing in a body that keeps every rule', () => {
    expect(check(() => {})).toEqual([]);
    expect(check(() => {}, 'Sandbox')).toEqual([]);
  });

  describe('what must be present', () => {
    it('counts null, a blank string and an empty list as missing, and any other value as present', () => {
      const needs = [{ field: 'PrimaryNeedsFromAws', rule: 'is required' }];
      expect(check((b) => (b.PrimaryNeedsFromAws = []))).toEqual(needs);
      expect(check((b) => (b.PrimaryNeedsFromAws = null))).toEqual(needs);
      expect(check((b) => (b.PrimaryNeedsFromAws = ' \t'))).toEqual(needs);
      expect(check((b) => delete b.PrimaryNeedsFromAws)).toEqual(needs);
      // A value of the wrong type is the model walk's problem, not a missing one.
      expect(check((b) => (b.PrimaryNeedsFromAws = 0))).toEqual([]);
      expect(check((b) => (b.PrimaryNeedsFromAws = false))).toEqual([]);
      expect(check((b) => (b.PrimaryNeedsFromAws = 'x'))).toEqual([]);
    });

    it('reports a missing part once, not each of its members', () => {
      expect(check((b) => delete b.Project)).toEqual([{ field: 'Project', rule: 'is required' }]);
      expect(check((b) => (b.Project = null))).toEqual([{ field: 'Project', rule: 'is required' }]);
      expect(check((b) => delete b.Customer.Account)).toEqual([{ field: 'Customer.Account', rule: 'is required' }]);
      // A null spend line is the model's problem ("must not be null"); its Amount is not asked for.
      expect(check((b) => (b.Project.ExpectedCustomerSpend = [null]))).toEqual([]);
      expect(check((b) => (b.Project.ExpectedCustomerSpend = [null, { CurrencyCode: 'USD' }]))).toEqual([
        { field: 'Project.ExpectedCustomerSpend[1].Amount', rule: 'is required: the expected monthly AWS spend' },
      ]);
    });

    it('asks for each spend line\'s amount', () => {
      expect(check((b) => b.Project.ExpectedCustomerSpend.push({ CurrencyCode: 'USD' }))).toEqual([
        { field: 'Project.ExpectedCustomerSpend[1].Amount', rule: 'is required: the expected monthly AWS spend' },
      ]);
    });

    it('asks for Origin only in the AWS catalog', () => {
      expect(check((b) => ((b.Catalog = 'AWS'), delete b.Origin))).toEqual([{ field: 'Origin', rule: 'must be "Partner Referral" when Catalog is AWS' }]);
      expect(check((b) => delete b.Origin)).toEqual([]);
    });

    it('asks for OtherIndustry only with Industry Other', () => {
      expect(check((b) => (b.Customer.Account.Industry = 'Other'))).toEqual([{ field: 'Customer.Account.OtherIndustry', rule: 'is required when Industry is Other' }]);
      expect(check((b) => ((b.Customer.Account.Industry = 'Other'), (b.Customer.Account.OtherIndustry = 'Legal tech')))).toEqual([]);
    });

    it('waives the website and the US state only for national security', () => {
      const government = (b: Record<string, any>) => ((b.Customer.Account.Industry = 'Government'), delete b.Customer.Account.WebsiteUrl, delete b.Customer.Account.Address.StateOrRegion);
      expect(check((b) => (government(b), (b.NationalSecurity = 'Yes')))).toEqual([]);
      expect(check((b) => (government(b), (b.NationalSecurity = 'No')))).toEqual([
        { field: 'Customer.Account.WebsiteUrl', rule: 'is required (unless NationalSecurity is Yes)' },
        { field: 'Customer.Account.Address.StateOrRegion', rule: 'is required when CountryCode is US' },
      ]);
    });

    it('asks for a state in the US only, and a postal code only where the country has them', () => {
      expect(check((b) => (b.Customer.Account.Address = { CountryCode: 'DE', PostalCode: '10115' }))).toEqual([]);
      expect(check((b) => (b.Customer.Account.Address = { CountryCode: 'DE' }))).toEqual([{ field: 'Customer.Account.Address.PostalCode', rule: 'is required for this country' }]);
      expect(check((b) => (b.Customer.Account.Address = { CountryCode: 'AE' }))).toEqual([]);
      // A country code outside the model's list is the model walk's problem: no country rule applies to it.
      expect(check((b) => (b.Customer.Account.Address = { CountryCode: 'UK' }))).toEqual([]);
      expect(check((b) => (b.Customer.Account.Address = { CountryCode: 7 }))).toEqual([]);
    });

    it('asks for the names of an *Other competitor, the parent of a flat renewal, the reason of a lost deal and the funding flag of a campaign', () => {
      expect(check((b) => (b.Project.CompetitorName = '*Other'))).toEqual([{ field: 'Project.OtherCompetitorNames', rule: 'is required when CompetitorName is "*Other"' }]);
      expect(check((b) => ((b.Project.CompetitorName = '*Other'), (b.Project.OtherCompetitorNames = 'Acme')))).toEqual([]);
      expect(check((b) => (b.OpportunityType = 'Flat Renewal'))).toEqual([{ field: 'Project.RelatedOpportunityIdentifier', rule: 'is required when OpportunityType is Flat Renewal' }]);
      expect(check((b) => (b.LifeCycle.Stage = 'Closed Lost'))).toEqual([{ field: 'LifeCycle.ClosedLostReason', rule: 'is required when Stage is Closed Lost' }]);
      expect(check((b) => (b.Marketing = { Source: 'Marketing Activity' }))).toEqual([{ field: 'Marketing.AwsFundingUsed', rule: 'is required when Marketing.Source is Marketing Activity' }]);
    });
  });

  describe('what must be absent', () => {
    it('counts an empty string as sent, and null or an empty list as absent', () => {
      const omitted = (field: string) => [{ field, rule: 'must be omitted when Marketing.Source is None' }];
      expect(check((b) => (b.Marketing.CampaignName = ''))).toEqual(omitted('Marketing.CampaignName'));
      expect(check((b) => (b.Marketing.CampaignName = null))).toEqual([]);
      expect(check((b) => (b.Marketing.Channels = []))).toEqual([]);
      expect(check((b) => (b.Marketing.Channels = ['Email']))).toEqual(omitted('Marketing.Channels'));
      expect(check((b) => (b.Marketing.UseCases = ['AI/ML']))).toEqual(omitted('Marketing.UseCases'));
    });

    it('allows the campaign fields with a marketing activity, and use cases only with AWS funding', () => {
      const activity = { Source: 'Marketing Activity', CampaignName: 'Launch', Channels: ['Email'] };
      expect(check((b) => (b.Marketing = { ...activity, AwsFundingUsed: 'Yes', UseCases: ['AI/ML'] }))).toEqual([]);
      expect(check((b) => (b.Marketing = { ...activity, AwsFundingUsed: 'No', UseCases: ['AI/ML'] }))).toEqual([{ field: 'Marketing.UseCases', rule: 'must be empty when AwsFundingUsed is No' }]);
      expect(check((b) => (b.Marketing = { ...activity, AwsFundingUsed: 'No', UseCases: [] }))).toEqual([]);
    });

    it('refuses a state outside the US and a postal code where there is none, but not for an unknown country', () => {
      expect(check((b) => (b.Customer.Account.Address = { CountryCode: 'DE', PostalCode: '10115', StateOrRegion: 'Berlin' }))).toEqual([
        { field: 'Customer.Account.Address.StateOrRegion', rule: 'is accepted only when CountryCode is US: omit it' },
      ]);
      expect(check((b) => (b.Customer.Account.Address = { CountryCode: 'AE', PostalCode: '00000' }))).toEqual([
        { field: 'Customer.Account.Address.PostalCode', rule: 'must be omitted: the country has no postal codes' },
      ]);
      expect(check((b) => (b.Customer.Account.Address = { CountryCode: 'UK', PostalCode: 'SW1A 1AA', StateOrRegion: 'London' }))).toEqual([]);
    });

    it('refuses competitor names unless the competitor is *Other', () => {
      expect(check((b) => (b.Project.OtherCompetitorNames = 'Acme'))).toEqual([{ field: 'Project.OtherCompetitorNames', rule: 'is allowed only when CompetitorName is "*Other"' }]);
    });

    it('refuses blank additional comments, but not comments or a value of another type', () => {
      const blank = [{ field: 'Project.AdditionalComments', rule: 'must not be empty: omit it instead' }];
      expect(check((b) => (b.Project.AdditionalComments = ''))).toEqual(blank);
      expect(check((b) => (b.Project.AdditionalComments = ' \n '))).toEqual(blank);
      expect(check((b) => (b.Project.AdditionalComments = ' ok '))).toEqual([]);
      expect(check((b) => (b.Project.AdditionalComments = 0))).toEqual([]);
    });
  });

  describe('values from the documented lists', () => {
    it('names the rule of each list: its own, the US states by count, a long list by its first two values', () => {
      expect(check((b) => ((b.Catalog = 'AWS'), (b.Origin = 'AWS Referral')))).toEqual([{ field: 'Origin', rule: 'must be "Partner Referral" when Catalog is AWS' }]);
      expect(check((b) => (b.Customer.Account.Address.StateOrRegion = 'Calif.'))).toEqual([
        { field: 'Customer.Account.Address.StateOrRegion', rule: 'must be a US state or territory as ACE spells it, e.g. "California" (62 values)' },
      ]);
      expect(check((b) => (b.Project.ApnPrograms = ['APN Immersion Days', 'Credits']))).toEqual([
        { field: 'Project.ApnPrograms[1]', rule: 'must be one of the 16 documented values, e.g. "APN Immersion Days", "APN Solution Space"' },
      ]);
    });

    it('words a list without a rule of its own by its size: up to 12 values in full, more by the first two', () => {
      const values = (n: number) => Array.from({ length: n }, (_, i) => `v${i + 1}`);
      expect(listRule('short', ['A', 'B "quoted"'])).toBe('must be one of: "A", "B \\"quoted\\""');
      expect(listRule('twelve', values(12))).toBe(`must be one of: ${values(12).map((v) => `"${v}"`).join(', ')}`);
      expect(listRule('thirteen', values(13))).toBe('must be one of the 13 documented values, e.g. "v1", "v2"');
      expect(listRule('usStates', values(3))).toBe('must be a US state or territory as ACE spells it, e.g. "California" (3 values)');
    });

    it('leaves blank values and values of another type to the other rules', () => {
      expect(check((b) => (b.Project.CustomerUseCase = 42))).toEqual([]);
      expect(check((b) => (b.Project.CustomerUseCase = '  '))).toEqual([{ field: 'Project.CustomerUseCase', rule: 'is required' }]);
    });

    it('checks the US state list only for the US', () => {
      expect(check((b) => (b.Customer.Account.Address = { CountryCode: 'DE', PostalCode: '10115', StateOrRegion: 'Bayern' }))).toEqual([
        { field: 'Customer.Account.Address.StateOrRegion', rule: 'is accepted only when CountryCode is US: omit it' },
      ]);
    });
  });

  describe('rules that compute', () => {
    it('holds the body to the configured catalog, when one is configured and the body names one', () => {
      expect(check((b) => (b.Catalog = 'AWS'), 'Sandbox')).toEqual([{ field: 'Catalog', rule: 'must be "Sandbox", the catalog configured for this environment' }]);
      expect(check(() => {}, 'AWS')).toEqual([{ field: 'Catalog', rule: 'must be "AWS", the catalog configured for this environment' }]);
      expect(check((b) => (b.Catalog = 'AWS'))).toEqual([]);
      expect(check((b) => delete b.Catalog, 'AWS')).toEqual([]);
      expect(check((b) => (b.Catalog = 1), 'AWS')).toEqual([]);
    });

    it.each(['0', '00', '0.', '0.0', '0.00'])('refuses a zero amount written %j', (amount) => {
      expect(check((b) => (b.Project.ExpectedCustomerSpend[0].Amount = amount))).toEqual([{ field: AMOUNT, rule: 'must be greater than 0 (the expected monthly AWS spend)' }]);
    });

    it.each(['0.01', '10', ' 0', '0 ', '-0', '.0', '0x0', '0e1', 'zero'])('leaves %j to the model\'s pattern or takes it', (amount) => {
      expect(check((b) => (b.Project.ExpectedCustomerSpend[0].Amount = amount))).toEqual([]);
    });

    it('does not read a number as an amount', () => {
      expect(check((b) => (b.Project.ExpectedCustomerSpend[0].Amount = 0))).toEqual([]);
    });

    it('asks for EUR on every line in the European Sovereign Cloud only', () => {
      const eusc = (b: Record<string, any>) => {
        b.Project.AwsPartition = 'aws-eusc';
        b.Project.ExpectedCustomerSpend = [
          { Amount: '1', CurrencyCode: 'EUR' },
          { Amount: '2', CurrencyCode: 'USD' },
          { Amount: '3', CurrencyCode: 5 },
        ];
      };
      expect(check(eusc)).toEqual([{ field: 'Project.ExpectedCustomerSpend[1].CurrencyCode', rule: 'must be EUR when Project.AwsPartition is aws-eusc' }]);
      expect(check((b) => (b.Project.AwsPartition = 'aws'))).toEqual([]);
    });

    it('wants a close date strictly after today in UTC, on a real calendar day', () => {
      const close = (date: unknown, now = NOW) => check((b) => (b.LifeCycle.TargetCloseDate = date), undefined, now);
      expect(close('2026-01-16')).toEqual([]);
      expect(close('2026-01-15')).toEqual([{ field: 'LifeCycle.TargetCloseDate', rule: 'must be in the future (after 2026-01-15)' }]);
      // Late on the 15th in UTC is still the 15th.
      expect(close('2026-01-15', new Date('2026-01-15T23:59:59Z'))).toEqual([{ field: 'LifeCycle.TargetCloseDate', rule: 'must be in the future (after 2026-01-15)' }]);
      expect(close('2026-01-16', new Date('2026-01-16T00:00:00Z'))).toEqual([{ field: 'LifeCycle.TargetCloseDate', rule: 'must be in the future (after 2026-01-16)' }]);
      expect(close('2026-02-29')).toEqual([{ field: 'LifeCycle.TargetCloseDate', rule: 'must be a real calendar date' }]);
      expect(close('2026-13-01')).toEqual([{ field: 'LifeCycle.TargetCloseDate', rule: 'must be a real calendar date' }]);
      expect(close('2028-02-29')).toEqual([]);
    });

    it.each(['2026-3-12', '12026-03-12', '2026-03-12T00:00:00Z', ' 2026-03-12', '2026-03-1a', 20260312])('leaves the close date %j to the model\'s pattern', (date) => {
      expect(check((b) => (b.LifeCycle.TargetCloseDate = date))).toEqual([]);
    });

    it('checks a postal code against its country\'s format, in either case, when AWS lists one', () => {
      const postal = (CountryCode: unknown, PostalCode: unknown) => check((b) => (b.Customer.Account.Address = { CountryCode, PostalCode }));
      expect(postal('CA', 'k1a 0b1')).toEqual([]);
      expect(postal('CA', 'K1A0B1')).toEqual([]);
      expect(postal('CA', 'K1A-0B1')).toEqual([{ field: 'Customer.Account.Address.PostalCode', rule: 'must be in A9A 9A9 or A9A9A9 format for Canada' }]);
      expect(postal('NL', '1011 AB')).toEqual([]);
      expect(postal('NL', '1011')).toEqual([{ field: 'Customer.Account.Address.PostalCode', rule: 'must be in 9999 AC or 9999AC format for Netherlands' }]);
      // Slovenia has postal codes but no listed format; an unknown country has neither.
      expect(postal('SI', 'anything')).toEqual([]);
      expect(postal('ZZ', '1011')).toEqual([]);
      // Blank is the required rule's case; a number the model's.
      expect(postal('NL', '  ')).toEqual([{ field: 'Customer.Account.Address.PostalCode', rule: 'is required for this country' }]);
      expect(postal('NL', 1011)).toEqual([]);
    });

    it('takes NationalSecurity "Yes" only from Government', () => {
      expect(check((b) => (b.NationalSecurity = 'Yes'))).toEqual([{ field: 'NationalSecurity', rule: 'may be "Yes" only when Customer.Account.Industry is Government' }]);
      expect(check((b) => ((b.NationalSecurity = 'Yes'), (b.Customer.Account.Industry = 'Government')))).toEqual([]);
      expect(check((b) => (b.NationalSecurity = 'No'))).toEqual([]);
    });
  });

  it('reports required, then forbidden, then listed values, then the computed rules', () => {
    expect(check((b) => {
      b.LifeCycle.TargetCloseDate = '2020-01-01';
      b.Project.CustomerUseCase = 'GenAI';
      b.Marketing.Channels = ['Email'];
      delete b.PrimaryNeedsFromAws;
    })).toEqual([
      { field: 'PrimaryNeedsFromAws', rule: 'is required' },
      { field: 'Marketing.Channels', rule: 'must be omitted when Marketing.Source is None' },
      { field: 'Project.CustomerUseCase', rule: 'must be one of the 39 documented values, e.g. "AI Machine Learning and Analytics", "Archiving"' },
      { field: 'LifeCycle.TargetCloseDate', rule: 'must be in the future (after 2026-01-15)' },
    ]);
  });
});

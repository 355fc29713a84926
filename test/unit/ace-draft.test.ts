// Drafting ACE briefs: the example worksheet's briefs pass the validator, the body is built from the worksheet
// (not boilerplate), the ClientToken is deterministic, spend is itemized per service, and every brief drafted from
// an arbitrary valid worksheet (through the real sizing engine) passes the validator.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aceStateName, clientToken, draftBriefs, draftBriefsWith, estimateModelNames, expectedSpend, partnerOpportunityIdentifier, targetCloseDate } from '../../functions/core/ace/draft.ts';
import { clip, fitWithin } from '../../functions/core/ace/brief-text.ts';
import { estimate } from '../../functions/core/estimate.ts';
import { rateCard } from '../../functions/core/rates.ts';
import { CreateOpportunityBody, DraftedBrief } from '../../schemas/ace-opportunity.ts';
import { PROGRAM_IDS, type Filing } from '../../schemas/estimate.ts';
import { USE_CASE_KINDS, type Worksheet } from '../../schemas/worksheet.ts';
import { ARB_NOW, arbWorksheet } from '../support/arbitraries.ts';
import { exampleFiling, exampleWorksheet } from '../support/fixtures.ts';

const NOW = new Date('2026-01-15T12:00:00Z');
const OPTS = { now: NOW, catalog: 'Sandbox' as const, applicationId: 'app-01HXYZ' };

const filing = exampleFiling;

const PORTFOLIO = filing({ programId: 'activate-portfolio', programName: 'AWS Activate Portfolio', askUsd: '130000.00', coverageMonths: 12 });
const FOUNDERS = filing({ programId: 'activate-founders', programName: 'AWS Activate Founders', filingPath: 'self-serve' });

describe('draftBriefs on the example worksheet', () => {
  const ws = exampleWorksheet();
  const briefs = draftBriefs(ws, [filing(), FOUNDERS, PORTFOLIO], OPTS);

  it('drafts one brief per ACE filing, each passing the validator', () => {
    expect(briefs.map((b) => b.programId)).toEqual(['bedrock-poc', 'activate-portfolio']);
    for (const brief of briefs) {
      expect(brief.problems).toEqual([]);
      expect(DraftedBrief.safeParse(brief).success).toBe(true);
      expect(CreateOpportunityBody.safeParse(brief.body).success).toBe(true);
    }
  });

  it('drafts passing briefs from the real sizing engine too', () => {
    const now = new Date('2026-11-27T12:00:00Z');
    const { plan } = estimate(ws, { now });
    const real = draftBriefs(ws, plan.filings, { ...OPTS, now });
    expect(real.length).toBeGreaterThan(0);
    for (const brief of real) expect(brief.problems).toEqual([]);
  });

  it('fills the customer from the worksheet, in ACE spelling', () => {
    const { Customer } = briefs[0]!.body;
    expect(Customer?.Account).toEqual({
      CompanyName: 'Ledgerly Labs',
      Industry: 'Financial Services',
      WebsiteUrl: 'https://ledgerly.ai',
      AwsAccountId: '123456789012',
      Address: { CountryCode: 'US', PostalCode: '94107', StateOrRegion: 'California', City: 'San Francisco', StreetAddress: '500 Brannan St' },
    });
    // The worksheet file says Maya@Ledgerly.ai; ACE takes lower-case only.
    expect(Customer?.Contacts?.[0]).toMatchObject({ FirstName: 'Maya', LastName: 'Okafor', Email: 'maya@ledgerly.ai', Phone: '+14155550142', BusinessTitle: 'CTO' });
  });

  it('writes a specific title and business problem from the worksheet', () => {
    const project = briefs[0]!.body.Project!;
    expect(project.Title).toBe('Ledgerly Labs: RAG assistant on Amazon Bedrock (Bedrock / GenAI POC funding)');
    const problem = project.CustomerBusinessProblem!;
    for (const fact of [
      'Ledgerly Labs', 'Financial Services', 'bookkeeping assistant for small accounting firms', // who, and the use case in their words
      'Claude Sonnet 4.6 (30% of requests)', 'Claude Haiku 4.5 (70% of requests)', // models
      '12,000 requests a day', '6,000 input and 500 output tokens', // volume
      'over 8 weeks', '85% of answers rated correct', // the POC and its success metric
      '$25,000', '3 months', 'Amazon Bedrock $6,150.40', 'Amazon OpenSearch Service $700', // what the credits fund
    ]) expect(problem).toContain(fact);
    expect(problem.length).toBeGreaterThanOrEqual(20);
    expect(problem.length).toBeLessThanOrEqual(2000);
  });

  it('sets the fixed choices: catalog, origin, type, use case, delivery, stage, marketing', () => {
    const body = briefs[0]!.body;
    expect(body).toMatchObject({
      Catalog: 'Sandbox',
      Origin: 'Partner Referral',
      OpportunityType: 'Net New Business',
      PrimaryNeedsFromAws: ['Co-Sell - Architectural Validation', 'Co-Sell - Technical Consultation'],
      PartnerOpportunityIdentifier: 'app-01HXYZ:bedrock-poc',
      Marketing: { Source: 'None' },
      LifeCycle: { Stage: 'Qualified', TargetCloseDate: '2026-03-12' }, // now + the 8-week POC
    });
    expect(body.Project).toMatchObject({ CustomerUseCase: 'AI Machine Learning and Analytics', DeliveryModels: ['Professional Services'] });
    expect(body.Project?.AdditionalComments).toContain('Bedrock / GenAI POC funding');
    expect(body.Project?.AdditionalComments).toContain('$25,000');
    expect(draftBriefs(ws, [filing()], { ...OPTS, catalog: 'AWS' })[0]).toMatchObject({ body: { Catalog: 'AWS' }, problems: [] });
  });

  it('itemizes expected spend per service, dropping zero lines', () => {
    expect(briefs[0]!.body.Project?.ExpectedCustomerSpend).toEqual([
      { Amount: '6150.40', CurrencyCode: 'USD', Frequency: 'Monthly', TargetCompany: 'AWS' },
      { Amount: '700.00', CurrencyCode: 'USD', Frequency: 'Monthly', TargetCompany: 'AWS' },
    ]);
  });
});

describe('building blocks', () => {
  it('derives the ClientToken from (application, program, revision) only', () => {
    const token = clientToken('app-1', 'bedrock-poc', 1);
    expect(token).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(clientToken('app-1', 'bedrock-poc')).toBe(token);
    expect(new Set([token, clientToken('app-1', 'bedrock-poc', 2), clientToken('app-2', 'bedrock-poc', 1), clientToken('app-1', 'activate-portfolio', 1)]).size).toBe(4);
    const ws = exampleWorksheet();
    const first = draftBriefs(ws, [filing()], OPTS)[0]!.body.ClientToken;
    expect(draftBriefs(ws, [filing()], { ...OPTS, now: new Date('2026-01-20T00:00:00Z') })[0]!.body.ClientToken).toBe(first);
    expect(draftBriefs(ws, [filing()], { ...OPTS, revision: 2 })[0]!.body.ClientToken).not.toBe(first);
  });

  it('keeps PartnerOpportunityIdentifier within 64 characters', () => {
    expect(partnerOpportunityIdentifier('app-1', 'bedrock-poc')).toBe('app-1:bedrock-poc');
    const long = partnerOpportunityIdentifier('a'.repeat(80), 'activate-portfolio');
    expect(long).toHaveLength(64);
    expect(long.endsWith(':activate-portfolio')).toBe(true);
  });

  it.each([['CA', 'California'], ['ca', 'California'], ['california', 'California'], ['DC', 'Dist. of Columbia'], ['District of Columbia', 'Dist. of Columbia'], ['PR', 'Puerto Rico'], ['Nowhere', 'Nowhere'],
    // Founders' stray spaces: trimmed before the lookup, and an unknown name passes through trimmed.
    [' ca ', 'California'], [' District of Columbia ', 'Dist. of Columbia'], [' Nowhere ', 'Nowhere']])(
    'maps the US state %s to %s', (input, expected) => expect(aceStateName(input)).toBe(expected),
  );

  it('omits what ACE rejects: a state outside the US, a postal code where there is none', () => {
    const ws = exampleWorksheet();
    ws.company.address = { countryCode: 'DE', postalCode: '10115', stateOrRegion: 'Berlin', city: 'Berlin' };
    expect(draftBriefs(ws, [filing()], OPTS)[0]).toMatchObject({ body: { Customer: { Account: { Address: { CountryCode: 'DE', PostalCode: '10115', City: 'Berlin' } } } }, problems: [] });
    expect(draftBriefs(ws, [filing()], OPTS)[0]!.body.Customer?.Account?.Address?.StateOrRegion).toBeUndefined();
    ws.company.address = { countryCode: 'AE', postalCode: '00000', city: 'Dubai' };
    expect(draftBriefs(ws, [filing()], OPTS)[0]).toMatchObject({ body: { Customer: { Account: { Address: { CountryCode: 'AE', City: 'Dubai' } } } }, problems: [] });
    expect(draftBriefs(ws, [filing()], OPTS)[0]!.body.Customer?.Account?.Address?.PostalCode).toBeUndefined();
  });

  it('reports, rather than hides, what the worksheet lacks for ACE', () => {
    const ws = exampleWorksheet();
    ws.company.address = { countryCode: 'GB', city: 'London' };
    expect(draftBriefs(ws, [filing()], OPTS)[0]!.problems).toEqual([{ field: 'Customer.Account.Address.PostalCode', rule: 'is required for this country' }]);
  });

  it('caps spend at 10 lines, keeping the total exact', () => {
    const lines = Array.from({ length: 13 }, (_, i) => ({ service: `Service ${i}`, monthlyUsd: `${i + 1}.25` }));
    const spend = expectedSpend(filing({ monthlySpendByService: lines }));
    expect(spend).toHaveLength(10);
    const cents = (s: string) => Math.round(Number(s) * 100);
    expect(spend.reduce((sum, l) => sum + cents(l.Amount!), 0)).toBe(lines.reduce((sum, l) => sum + cents(l.monthlyUsd), 0));
    expect(spend[9]!.Amount).toBe('47.00'); // 10.25 + 11.25 + 12.25 + 13.25
  });

  it('sets the close date from the POC length, else 30 days out', () => {
    const ws = exampleWorksheet();
    expect(targetCloseDate(ws, NOW)).toBe('2026-03-12');
    ws.useCase.poc = { defined: false };
    expect(targetCloseDate(ws, NOW)).toBe('2026-02-14');
  });

  it('fits long text by shortening the longest section, at a word boundary', () => {
    expect(clip('one two three four', 12)).toBe('one two…');
    const fitted = fitWithin(['short.', 'a much longer section of words that has to give way', 'end.'], 40);
    expect(fitted.length).toBeLessThanOrEqual(40);
    expect(fitted.startsWith('short. ')).toBe(true);
    expect(fitted.endsWith(' end.')).toBe(true);
  });

  it('keeps the longest possible worksheet text within ACE limits', () => {
    const ws: Worksheet = exampleWorksheet();
    ws.company.name = 'N'.repeat(120);
    ws.useCase.summary = 'word '.repeat(300).trim();
    ws.useCase.poc = { defined: true, successMetric: 'm'.repeat(500), durationWeeks: 52 };
    const brief = draftBriefs(ws, [filing({ programName: 'P'.repeat(300), rationale: 'r '.repeat(400) })], OPTS)[0]!;
    expect(brief.problems).toEqual([]);
    expect(brief.body.Project!.CustomerBusinessProblem!.length).toBeLessThanOrEqual(2000);
  });
});

// ACE filings as the sizing engine shapes them: Bedrock first, then the worksheet's other services (zero lines
// included: the drafter drops them), any program, any ask. Built directly rather than through estimate(), which
// takes up to seconds per worksheet at 24 months of coverage: the property is about drafting, not sizing.
function arbAceFilings(ws: Worksheet): fc.Arbitrary<Filing[]> {
  const cents = fc.bigInt({ min: 1n, max: 10n ** 9n }).map((c) => `${c / 100n}.${(c % 100n).toString().padStart(2, '0')}`);
  const one = fc.record({
    programId: fc.constantFrom(...PROGRAM_IDS),
    programName: fc.string({ unit: 'grapheme', minLength: 3, maxLength: 80 }),
    askUsd: cents,
    coverageMonths: fc.integer({ min: 1, max: 24 }),
    bedrockUsd: cents,
    rationale: fc.string({ unit: 'grapheme', minLength: 0, maxLength: 400 }),
  }).map(({ bedrockUsd, ...f }): Filing => ({
    ...f,
    filingPath: 'ace',
    monthlySpendByService: [
      { service: 'Amazon Bedrock', monthlyUsd: bedrockUsd },
      ...ws.otherServices.map((s) => ({ service: s.service, monthlyUsd: s.monthlyUsd.toFixed(2) })),
    ],
  }));
  return fc.array(one, { minLength: 1, maxLength: 3 });
}

describe('properties', () => {
  it('every brief drafted from an arbitrary valid worksheet passes the validator', () => {
    const input = arbWorksheet().chain((ws) => fc.tuple(fc.constant(ws), arbAceFilings(ws)));
    fc.assert(
      fc.property(input, fc.constantFrom('AWS' as const, 'Sandbox' as const), fc.nat({ max: 5 }), ([ws, filings], catalog, revision) => {
        const briefs = draftBriefs(ws, filings, { now: ARB_NOW, catalog, applicationId: 'app-prop', revision });
        expect(briefs).toHaveLength(filings.length);
        for (const brief of briefs) {
          expect(brief.problems).toEqual([]);
          expect(CreateOpportunityBody.safeParse(brief.body).success).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the drafting step names models as its estimate does, which is how the model catalog names them', () => {
    // functions/workflow/draft.ts drafts with the estimate's names (so it does not load the catalog): the briefs are
    // the same as with the catalog's names, for every worksheet the sizing accepts.
    // Each model named by its base id or by one of its inference-profile ids (global., us., ...), as founders write them.
    const withProfiles = arbWorksheet().chain((base) => fc.tuple(...base.workload.models.map((m) => {
      const profiles = rateCard.models.find((r) => r.modelId === m.modelId)?.inferenceProfiles ?? [];
      return fc.constantFrom(m.modelId, ...profiles);
    })).map((ids): Worksheet => ({ ...base, workload: { ...base.workload, models: base.workload.models.map((m, i) => ({ ...m, modelId: ids[i] as string })) } })));
    fc.assert(
      fc.property(withProfiles, (ws) => {
        const est = estimate(ws, { now: ARB_NOW });
        const opts = { now: ARB_NOW, catalog: 'Sandbox' as const, applicationId: 'app-names' };
        expect(draftBriefsWith(ws, est.plan.filings, { ...opts, modelName: estimateModelNames(est) })).toEqual(draftBriefs(ws, est.plan.filings, opts));
        for (const m of ws.workload.models) expect(estimateModelNames(est)(m.modelId)).not.toBe(m.modelId);
      }),
      { numRuns: 100 },
    );
    expect(estimateModelNames({ models: [] })('unknown.model')).toBe('unknown.model');
  });
});

// Field by field, with values written out from the inputs (the tokens from Python's uuid.uuid5 in the same namespace,
// the hashes from Python's hashlib): what each part of the worksheet and the filing becomes in the body.
describe('the drafted body, field by field', () => {
  it('is exactly this for a worksheet without a POC, in Germany, with a bare contact', () => {
    const ws = exampleWorksheet();
    ws.company.industry = 'Software and Internet';
    ws.company.otherIndustry = 'ignored unless Industry is Other';
    ws.company.address = { countryCode: 'DE', postalCode: ' 10115 ' };
    ws.contact = { firstName: 'Maya', lastName: 'Okafor', email: 'Maya@Ledgerly.AI' };
    ws.useCase.kind = 'agent';
    ws.useCase.poc = { defined: false };
    const accelerator = filing({ programId: 'genai-accelerator', programName: 'AWS Generative AI Accelerator' });
    const [brief, ...rest] = draftBriefs(ws, [accelerator], { now: NOW, catalog: 'AWS', applicationId: 'app-full', revision: 3 });
    expect(rest).toEqual([]);
    expect(brief).toStrictEqual({
      programId: 'genai-accelerator',
      problems: [],
      body: {
        Catalog: 'AWS',
        ClientToken: '0d8f6e54-a978-538e-871f-6a4954768c4d',
        Origin: 'Partner Referral',
        OpportunityType: 'Net New Business',
        PrimaryNeedsFromAws: ['Co-Sell - Technical Consultation'],
        PartnerOpportunityIdentifier: 'app-full:genai-accelerator',
        Customer: {
          Account: {
            CompanyName: 'Ledgerly Labs',
            Industry: 'Software and Internet',
            WebsiteUrl: 'https://ledgerly.ai',
            AwsAccountId: '123456789012',
            Address: { CountryCode: 'DE', PostalCode: '10115' },
          },
          // ACE's Email pattern is lower-case only, whatever the worksheet object holds.
          Contacts: [{ FirstName: 'Maya', LastName: 'Okafor', Email: 'maya@ledgerly.ai' }],
        },
        Project: {
          Title: 'Ledgerly Labs: AI agent on Amazon Bedrock (AWS Generative AI Accelerator)',
          CustomerBusinessProblem: expect.stringMatching(/^Ledgerly Labs \(Software and Internet, seed-stage\) is building an AI agent on Amazon Bedrock: /),
          CustomerUseCase: 'AI Machine Learning and Analytics',
          DeliveryModels: ['Professional Services'],
          SalesActivities: ['Initialized discussions with customer', 'Customer has shown interest in solution'],
          ExpectedCustomerSpend: [
            { Amount: '6150.40', CurrencyCode: 'USD', Frequency: 'Monthly', TargetCompany: 'AWS' },
            { Amount: '700.00', CurrencyCode: 'USD', Frequency: 'Monthly', TargetCompany: 'AWS' },
          ],
          AdditionalComments: 'Program: AWS Generative AI Accelerator; credit ask $25,000 over 3 months. A defined GenAI proof of concept with a measurable success metric.',
        },
        LifeCycle: {
          Stage: 'Qualified',
          TargetCloseDate: '2026-02-14', // 30 days after 2026-01-15: no POC length
          NextSteps: 'Partner to confirm the workload scope with the founder, associate the partner solution and submit for AWS co-sell review; target close 2026-02-14.',
        },
        Marketing: { Source: 'None' },
      },
    });
  });

  it('asks for architectural validation only for the POC program', () => {
    const ws = exampleWorksheet();
    const needs = (programId: Filing['programId']) => draftBriefs(ws, [filing({ programId })], OPTS)[0]!.body.PrimaryNeedsFromAws;
    expect(needs('bedrock-poc')).toEqual(['Co-Sell - Architectural Validation', 'Co-Sell - Technical Consultation']);
    expect(needs('activate-portfolio')).toEqual(['Co-Sell - Technical Consultation']);
    expect(needs('genai-accelerator')).toEqual(['Co-Sell - Technical Consultation']);
  });

  it('reports the evaluation stage as a sales activity only when a POC is defined', () => {
    const ws = exampleWorksheet();
    expect(draftBriefs(ws, [filing()], OPTS)[0]!.body.Project?.SalesActivities).toEqual([
      'Initialized discussions with customer', 'Customer has shown interest in solution', 'In evaluation / planning stage',
    ]);
  });

  it.each(USE_CASE_KINDS)('files a %s workload under the documented AI/ML customer use case', (kind) => {
    const ws = exampleWorksheet();
    ws.useCase.kind = kind;
    const [brief] = draftBriefs(ws, [filing()], OPTS);
    expect(brief!.body.Project?.CustomerUseCase).toBe('AI Machine Learning and Analytics');
    expect(brief!.problems).toEqual([]);
  });

  it('sends the contact\'s title and phone when the worksheet has them', () => {
    const ws = exampleWorksheet();
    ws.contact = { firstName: 'Ana', lastName: 'Ruiz', email: 'ana@ledgerly.ai', title: 'Head of ML', phone: '+34911234567' };
    expect(draftBriefs(ws, [filing()], OPTS)[0]!.body.Customer?.Contacts).toStrictEqual([
      { FirstName: 'Ana', LastName: 'Ruiz', Email: 'ana@ledgerly.ai', BusinessTitle: 'Head of ML', Phone: '+34911234567' },
    ]);
  });

  it('sends OtherIndustry only with Industry Other', () => {
    const ws = exampleWorksheet();
    ws.company.industry = 'Other';
    ws.company.otherIndustry = 'Legal tech';
    expect(draftBriefs(ws, [filing()], OPTS)[0]).toMatchObject({ body: { Customer: { Account: { Industry: 'Other', OtherIndustry: 'Legal tech' } } }, problems: [] });
    ws.company.otherIndustry = undefined;
    const bare = draftBriefs(ws, [filing()], OPTS)[0]!;
    expect(Object.keys(bare.body.Customer!.Account!)).not.toContain('OtherIndustry');
    expect(bare.problems).toEqual([{ field: 'Customer.Account.OtherIndustry', rule: 'is required when Industry is Other' }]);
  });

  it('sends a US address with its state spelled out, and no key for what the worksheet leaves out', () => {
    const ws = exampleWorksheet();
    ws.company.address = { countryCode: 'US', postalCode: '94107-1234', stateOrRegion: 'ca', city: 'San Francisco', streetAddress: '500 Brannan St' };
    expect(draftBriefs(ws, [filing()], OPTS)[0]!.body.Customer?.Account?.Address).toStrictEqual({
      CountryCode: 'US', PostalCode: '94107-1234', StateOrRegion: 'California', City: 'San Francisco', StreetAddress: '500 Brannan St',
    });
    ws.company.address = { countryCode: 'US', postalCode: '94107' };
    const stateless = draftBriefs(ws, [filing()], OPTS)[0]!;
    expect(stateless.body.Customer?.Account?.Address).toStrictEqual({ CountryCode: 'US', PostalCode: '94107' });
    expect(stateless.problems).toEqual([{ field: 'Customer.Account.Address.StateOrRegion', rule: 'is required when CountryCode is US' }]);
  });

  it('derives each ClientToken as the RFC 4122 version-5 UUID of application, program and revision', () => {
    expect(clientToken('app-1', 'bedrock-poc', 1)).toBe('262506dd-674e-5f75-a2b8-af594672a1b8');
    expect(clientToken('app-1', 'bedrock-poc', 2)).toBe('501e11f1-4792-517c-a9de-08964fb6e929');
    expect(clientToken('app-01HXYZ', 'bedrock-poc')).toBe('347cc402-0be2-5719-91fe-7e294b85da48');
    expect(clientToken('é', 'x', 1)).toBe('4252ce78-23e1-5d82-b499-5a9235d8a773'); // the name as UTF-8
  });

  it('keeps a PartnerOpportunityIdentifier of exactly 64 characters, and hashes the application id past that', () => {
    const at64 = `${'a'.repeat(52)}:bedrock-poc`;
    expect(partnerOpportunityIdentifier('a'.repeat(52), 'bedrock-poc')).toBe(at64);
    // SHA-256 of the application id, as many hex digits as leave room for ":" and the program id.
    expect(partnerOpportunityIdentifier('a'.repeat(53), 'bedrock-poc')).toBe('abe346a7259fc90b4c27185419628e5e6af6466b1ae9b5446cac:bedrock-poc');
    expect(partnerOpportunityIdentifier('a'.repeat(80), 'activate-portfolio')).toBe('0f45e858fbc4176cdf4e411f88281edefc390ae5afe7d:activate-portfolio');
  });

  it('closes a POC without a length, or a length without a POC, 30 days out; a one-week POC 7 days out', () => {
    const ws = exampleWorksheet();
    ws.useCase.poc = { defined: true, successMetric: 'answers rated correct' };
    expect(targetCloseDate(ws, NOW)).toBe('2026-02-14');
    ws.useCase.poc = { defined: false, durationWeeks: 4 };
    expect(targetCloseDate(ws, NOW)).toBe('2026-02-14');
    ws.useCase.poc = { defined: true, successMetric: 'answers rated correct', durationWeeks: 1 };
    expect(targetCloseDate(ws, new Date('2026-12-28T23:30:00Z'))).toBe('2027-01-04');
  });

  it('takes 10 spend lines as they are, and sums from the 10th on past that; zero lines do not count', () => {
    const usd = (n: number) => ({ service: `Service ${n}`, monthlyUsd: `${n}.25` });
    const ten = Array.from({ length: 10 }, (_, i) => usd(i + 1));
    expect(expectedSpend(filing({ monthlySpendByService: ten })).map((l) => l.Amount)).toEqual(['1.25', '2.25', '3.25', '4.25', '5.25', '6.25', '7.25', '8.25', '9.25', '10.25']);
    const withZeros = [...ten.slice(0, 5), { service: 'Zero', monthlyUsd: '0.00' }, ...ten.slice(5), { service: 'Zero too', monthlyUsd: '0' }];
    expect(expectedSpend(filing({ monthlySpendByService: withZeros })).map((l) => l.Amount)).toEqual(['1.25', '2.25', '3.25', '4.25', '5.25', '6.25', '7.25', '8.25', '9.25', '10.25']);
    const eleven = [...ten, usd(11)];
    expect(expectedSpend(filing({ monthlySpendByService: eleven })).map((l) => l.Amount)).toEqual(['1.25', '2.25', '3.25', '4.25', '5.25', '6.25', '7.25', '8.25', '9.25', '21.50']);
    expect(expectedSpend(filing({ monthlySpendByService: [] }))).toEqual([]);
  });

  it('drafts nothing for filings that do not go through ACE', () => {
    const ws = exampleWorksheet();
    const others = (['self-serve', 'provider', 'cohort-application'] as const).map((filingPath) => filing({ filingPath }));
    expect(draftBriefs(ws, others, OPTS)).toEqual([]);
  });
});

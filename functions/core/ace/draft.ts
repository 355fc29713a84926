/**
 * Drafts the ACE records of a plan: for each filing that goes through ACE, the exact Partner Central
 * `CreateOpportunity` body, validated. Pure: the time, catalog and application id come in as options.
 */
import { createHash } from 'node:crypto';
import type * as z from 'zod/mini';
import type { CreateOpportunityBody, DraftedBrief } from '../../../schemas/ace-opportunity.ts';
import type { AddressShape, CountryCodeShape } from '../../../schemas/ace-opportunity.generated.ts';
import type { Estimate, Filing } from '../../../schemas/estimate.ts';
import type { Worksheet } from '../../../schemas/worksheet.ts';
import { centsToUsd, usdToCents } from '../cents.ts';
import { modelName as catalogModelName } from '../model-catalog.ts';
import { draftAdditionalComments, draftBusinessProblem, draftNextSteps, draftTitle, type ModelNames } from './brief-text.ts';
import { aceStateName, hasPostalCodes as countryHasPostalCodes } from './address-rules.ts';
import type { Catalog } from './validate.ts';
import { validateCreateOpportunity } from './validate.ts';

export type DraftOptions = {
  now: Date;
  /** `Sandbox` outside production (ACE_CATALOG). */
  catalog: Catalog;
  applicationId: string;
  /** Bumped when a partner edits the record, so the edited body gets a new ClientToken (same token + new body fails). */
  revision?: number;
};

/** Where the brief's model names come from (see draftBriefsWith). */
export type NamedDraftOptions = DraftOptions & { modelName: ModelNames };

type Body = CreateOpportunityBody;
type UseCaseKind = Worksheet['useCase']['kind'];

// Every Bedrock workload is a generative-AI/ML workload, which is how AWS routes GenAI funding; the kinds only change
// the prose. Kept as a table so a future split (e.g. search → another documented value) is one line. The value is
// named once (a minified bundle would otherwise carry the same string once per kind).
const AI_ML = 'AI Machine Learning and Analytics';
const CUSTOMER_USE_CASE: Record<UseCaseKind, string> = {
  'rag-assistant': AI_ML,
  agent: AI_ML,
  summarization: AI_ML,
  classification: AI_ML,
  extraction: AI_ML,
  'content-generation': AI_ML,
  'code-generation': AI_ML,
  search: AI_ML,
  other: AI_ML,
};

const MAX_SPEND_LINES = 10; // ExpectedCustomerSpendList max
const PARTNER_ID_MAX = 64;
const DAY_MS = 86_400_000;
const DEFAULT_CLOSE_DAYS = 30;

// A fixed namespace makes the UUIDv5 tokens ours: same inputs, same token, on every machine and retry.
const CLIENT_TOKEN_NAMESPACE = '6f3b0d2a-8c1e-4f57-9a4e-2d7c5b1e9f30';

/** RFC 4122 version-5 UUID (SHA-1, namespaced). */
function uuidV5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  // A string is hashed as UTF-8, Node's default for string input (RFC 4122 §4.3 leaves the name's encoding to the
  // namespace; ours is UTF-8, pinned by the tests).
  const hash = createHash('sha1').update(ns).update(name).digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Deterministic per (application, program, revision): a retried workflow task re-sends the same token. */
export function clientToken(applicationId: string, programId: string, revision = 1): string {
  return uuidV5(`${applicationId}\u0000${programId}\u0000${revision}`, CLIENT_TOKEN_NAMESPACE);
}

/** `${applicationId}:${programId}`, or a hash of the application id when that would pass ACE's 64 characters. */
export function partnerOpportunityIdentifier(applicationId: string, programId: string): string {
  const plain = `${applicationId}:${programId}`;
  if (plain.length <= PARTNER_ID_MAX) return plain;
  const room = PARTNER_ID_MAX - programId.length - 1;
  return `${createHash('sha256').update(applicationId).digest('hex').slice(0, room)}:${programId}`;
}

export { aceStateName } from './address-rules.ts';

function draftAddress(address: Worksheet['company']['address']): z.infer<typeof AddressShape> {
  const country = address.countryCode;
  const hasPostalCodes = countryHasPostalCodes(country);
  return {
    // The worksheet takes any ISO alpha-2 code; one outside ACE's list is reported by the validator, not hidden.
    CountryCode: country as z.infer<typeof CountryCodeShape>,
    // ACE rejects a postal code for countries without one, and a state outside the US.
    ...(hasPostalCodes && address.postalCode !== undefined && { PostalCode: address.postalCode.trim() }),
    ...(country === 'US' && address.stateOrRegion !== undefined && { StateOrRegion: aceStateName(address.stateOrRegion) }),
    ...(address.city !== undefined && { City: address.city }),
    ...(address.streetAddress !== undefined && { StreetAddress: address.streetAddress }),
  };
}

function draftCustomer(ws: Worksheet): NonNullable<Body['Customer']> {
  const { company, contact } = ws;
  return {
    Account: {
      CompanyName: company.name,
      Industry: company.industry,
      ...(company.industry === 'Other' && company.otherIndustry !== undefined && { OtherIndustry: company.otherIndustry }),
      WebsiteUrl: company.website,
      AwsAccountId: ws.aws.accountId,
      Address: draftAddress(company.address),
    },
    Contacts: [
      {
        FirstName: contact.firstName,
        LastName: contact.lastName,
        // ACE's Email pattern is lower-case only; the worksheet already lower-cases, this keeps the brief safe alone.
        Email: contact.email.toLowerCase(),
        ...(contact.title !== undefined && { BusinessTitle: contact.title }),
        ...(contact.phone !== undefined && { Phone: contact.phone }),
      },
    ],
  };
}

type SpendLine = NonNullable<NonNullable<Body['Project']>['ExpectedCustomerSpend']>[number];

const spendLine = (cents: bigint): SpendLine => ({ Amount: centsToUsd(cents), CurrencyCode: 'USD', Frequency: 'Monthly', TargetCompany: 'AWS' });

/** One line per AWS service with spend (ACE lines carry no service name: the business problem names them in order). */
export function expectedSpend(filing: Filing): SpendLine[] {
  const cents = filing.monthlySpendByService.map((s) => usdToCents(s.monthlyUsd)).filter((c) => c > 0n);
  if (cents.length <= MAX_SPEND_LINES) return cents.map(spendLine);
  // More services than ACE takes lines: the tail is summed into the last line so the total stays exact.
  const tail = cents.slice(MAX_SPEND_LINES - 1).reduce((sum, c) => sum + c, 0n);
  return [...cents.slice(0, MAX_SPEND_LINES - 1), tail].map(spendLine);
}

function salesActivities(ws: Worksheet): NonNullable<Body['Project']>['SalesActivities'] {
  // What has really happened by the time a founder submits a worksheet; the partner adds more as the deal moves.
  return ws.useCase.poc.defined
    ? ['Initialized discussions with customer', 'Customer has shown interest in solution', 'In evaluation / planning stage']
    : ['Initialized discussions with customer', 'Customer has shown interest in solution'];
}

/** Expected start of real AWS billing: the end of the POC when it has a duration, else a month out. */
export function targetCloseDate(ws: Worksheet, now: Date): string {
  const weeks = ws.useCase.poc.defined ? ws.useCase.poc.durationWeeks : undefined;
  const days = weeks !== undefined ? weeks * 7 : DEFAULT_CLOSE_DAYS;
  return new Date(now.getTime() + days * DAY_MS).toISOString().slice(0, 10);
}

export function draftBody(ws: Worksheet, filing: Filing, opts: NamedDraftOptions): Body {
  const closeDate = targetCloseDate(ws, opts.now);
  return {
    Catalog: opts.catalog,
    ClientToken: clientToken(opts.applicationId, filing.programId, opts.revision),
    Origin: 'Partner Referral',
    OpportunityType: 'Net New Business',
    PrimaryNeedsFromAws:
      filing.programId === 'bedrock-poc'
        ? ['Co-Sell - Architectural Validation', 'Co-Sell - Technical Consultation']
        : ['Co-Sell - Technical Consultation'],
    PartnerOpportunityIdentifier: partnerOpportunityIdentifier(opts.applicationId, filing.programId),
    Customer: draftCustomer(ws),
    Project: {
      Title: draftTitle(ws, filing),
      CustomerBusinessProblem: draftBusinessProblem(ws, filing, opts.modelName),
      CustomerUseCase: CUSTOMER_USE_CASE[ws.useCase.kind],
      // The partner scopes and builds the workload with the founder.
      DeliveryModels: ['Professional Services'],
      SalesActivities: salesActivities(ws),
      ExpectedCustomerSpend: expectedSpend(filing),
      AdditionalComments: draftAdditionalComments(filing),
    },
    // Qualified: the founder has confirmed a real, sized need; AWS asks partners to mature leads to Qualified
    // before submission (ace-selling-api.md §3).
    LifeCycle: { Stage: 'Qualified', TargetCloseDate: closeDate, NextSteps: draftNextSteps(ws, closeDate) },
    Marketing: { Source: 'None' },
  };
}

/** One validated CreateOpportunity body per filing whose path is ACE, models named as the model catalog names them. */
export function draftBriefs(worksheet: Worksheet, filings: readonly Filing[], opts: DraftOptions): DraftedBrief[] {
  return draftBriefsWith(worksheet, filings, { ...opts, modelName: catalogModelName });
}

/**
 * The same, models named by `opts.modelName`. The drafting step names them as the estimate it drafts from does
 * (estimateModelNames): the names the sizing read from the same rate card the catalog is projected from, so the
 * function does not load the catalog again (issue 11 §1).
 */
export function draftBriefsWith(worksheet: Worksheet, filings: readonly Filing[], opts: NamedDraftOptions): DraftedBrief[] {
  return filings
    .filter((filing) => filing.filingPath === 'ace')
    .map((filing) => {
      const body = draftBody(worksheet, filing, opts);
      return { programId: filing.programId, body, problems: validateCreateOpportunity(body, { now: opts.now, catalog: opts.catalog }) };
    });
}

/**
 * Model names as an estimate gives them: by the id the worksheet gave (`requestedId`), the model's name on the rate
 * card the sizing read; an id the estimate does not name stays as it is (as the catalog's `modelName` leaves one).
 */
export function estimateModelNames(estimate: Pick<Estimate, 'models'>): ModelNames {
  const names = new Map(estimate.models.map((m) => [m.requestedId, m.name]));
  return (modelId) => names.get(modelId) ?? modelId;
}

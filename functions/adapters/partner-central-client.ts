/**
 * Partner Central Selling API adapter. Each partner files in its own Partner Central account, so every call runs
 * with credentials from STS AssumeRole on the role that partner registered (`filing.roleArn`, optional external id),
 * through the SDK's fromTemporaryCredentials (cached per role, refreshed before they expire). Region us-east-1
 * (Partner Central's only endpoint); the endpoint comes only from the standard SDK settings (AWS_ENDPOINT_URL_PARTNERCENTRAL_SELLING / AWS_ENDPOINT_URL, and
 * AWS_ENDPOINT_URL_STS for STS), so tests point both at a fixture server.
 *
 * Errors become the core's typed errors here: ValidationException → UnprocessableError with its ErrorList as field
 * problems (422), ConflictException → ConflictError (409), ThrottlingException → TooManyRequestsError (429),
 * AccessDeniedException (or a refused AssumeRole) → ForbiddenError naming the role (403),
 * ResourceNotFoundException → NotFoundError, InternalServerException → TransientError.
 */
import {
  AssociateOpportunityCommand,
  CreateOpportunityCommand,
  GetOpportunityCommand,
  ListOpportunitiesCommand,
  ListSolutionsCommand,
  PartnerCentralSellingClient,
  SubmitOpportunityCommand,
  UpdateOpportunityCommand,
  type UpdateOpportunityCommandInput,
  type CreateOpportunityCommandInput,
  type LifeCycle,
  type LifeCycleSummary,
} from '@aws-sdk/client-partnercentral-selling';
import {
  AssociateBenefitApplicationResourceCommand,
  CreateBenefitApplicationCommand,
  GetBenefitAllocationCommand,
  GetBenefitApplicationCommand,
  GetBenefitCommand,
  ListBenefitAllocationsCommand,
  ListBenefitApplicationsCommand,
  ListBenefitsCommand,
  PartnerCentralBenefitsClient,
  SubmitBenefitApplicationCommand,
  UpdateBenefitApplicationCommand,
  type CreateBenefitApplicationCommandInput,
  type UpdateBenefitApplicationCommandInput,
} from '@aws-sdk/client-partnercentral-benefits';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AllocationView } from '../core/ace/funding-draft.ts';
import {
  ConflictError, ForbiddenError, NotFoundError, TooManyRequestsError, TransientError, UnprocessableError,
} from '../core/errors.ts';
import { validationProblems, type AceCatalog } from '../core/ace/partner-central-rules.ts';

/** The only Region with a Partner Central Selling endpoint. */
export const PARTNER_CENTRAL_REGION = 'us-east-1';

export interface FilingRole {
  readonly roleArn: string;
  readonly externalId?: string | undefined;
}

/** The AWS account id of a role ARN (the partner's Partner Central account: the unit of its write quota). */
export function accountOf(roleArn: string): string {
  return roleArn.split(':')[4] ?? roleArn;
}

const clients = new Map<string, PartnerCentralSellingClient>();
type CredentialsProvider = ReturnType<typeof fromTemporaryCredentials>;
const providers = new Map<string, CredentialsProvider>();

/**
 * AssumeRole on the partner's role (with its external id), one provider per role shared by its read and write
 * clients; the SDK refreshes the credentials before they expire.
 */
function credentialsFor(role: FilingRole): CredentialsProvider {
  const key = `${role.roleArn}\u0000${role.externalId ?? ''}`;
  let provider = providers.get(key);
  if (!provider) {
    provider = fromTemporaryCredentials({
      params: { RoleArn: role.roleArn, RoleSessionName: 'ace-filing', DurationSeconds: 3600, ...(role.externalId ? { ExternalId: role.externalId } : {}) },
    });
    providers.set(key, provider);
  }
  return provider;
}

type PartnerClientConfig = { region: string; credentials: CredentialsProvider; maxAttempts: number };

/**
 * A client acting as the partner, one per service, role and use, reused across invocations. Writes get no SDK retry:
 * a retry would be a second write inside the partner's one-per-second budget (the caller gets 429 and retries through
 * the write gate; ClientToken makes that safe). Reads (10 per second) keep a few retries.
 */
function clientFor<C>(cache: Map<string, C>, make: (config: PartnerClientConfig) => C, role: FilingRole, use: 'read' | 'write'): C {
  const key = `${use}\u0000${role.roleArn}\u0000${role.externalId ?? ''}`;
  let client = cache.get(key);
  if (!client) {
    client = make({ region: PARTNER_CENTRAL_REGION, credentials: credentialsFor(role), maxAttempts: use === 'write' ? 1 : 3 });
    cache.set(key, client);
  }
  return client;
}

/** A Selling API client acting as the partner. */
export function partnerCentralFor(role: FilingRole, use: 'read' | 'write' = 'read'): PartnerCentralSellingClient {
  return clientFor(clients, (config) => new PartnerCentralSellingClient(config), role, use);
}

/** Partner Central and STS errors as the core's typed errors (see the module comment). */
export function mapPartnerCentralError(error: unknown, role: FilingRole): unknown {
  if (!(error instanceof Error)) return error;
  const e = error as Error & { ErrorList?: { FieldName?: string; Message?: string; Code?: string }[]; FieldList?: { Name?: string; Message?: string; Code?: string }[]; Reason?: string };
  switch (e.name) {
    case 'AccessDenied': // STS refused AssumeRole
      return new ForbiddenError(`Could not assume the partner's Partner Central role ${role.roleArn}: its trust policy must allow this service's account${role.externalId ? ' with the registered external id' : ''}`);
    case 'ValidationException':
      // Selling names the fields in ErrorList (FieldName), Benefits in FieldList (Name).
      return new UnprocessableError(`Partner Central refused the record: ${e.message}`, validationProblems(e.ErrorList ?? e.FieldList?.map((f) => ({ FieldName: f.Name, Message: f.Message, Code: f.Code })), e.message));
    case 'ConflictException':
      return new ConflictError(`Partner Central reports a conflict: ${e.message}`);
    case 'ThrottlingException':
      return new TooManyRequestsError(`Partner Central is throttling this partner account: ${e.message}`, 1);
    case 'AccessDeniedException':
      return new ForbiddenError(`Partner Central denied the partner's role ${role.roleArn}${e.Reason ? ` (${e.Reason})` : ''}: ${e.message}`);
    case 'ResourceNotFoundException':
      return new NotFoundError(`Partner Central: ${e.message}`);
    case 'InternalServerException':
    case 'ServiceUnavailableException':
      return new TransientError(`Partner Central: ${e.message}`);
    default:
      return error;
  }
}

async function call<T>(role: FilingRole, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw mapPartnerCentralError(error, role);
  }
}

/** CreateOpportunity with the stored body (ClientToken included, so a repeat returns the same opportunity). */
export async function createOpportunity(role: FilingRole, input: Record<string, unknown>): Promise<{ opportunityId: string; lastModifiedDate?: string }> {
  const out = await call(role, () => partnerCentralFor(role, 'write').send(new CreateOpportunityCommand(input as unknown as CreateOpportunityCommandInput)));
  return { opportunityId: out.Id ?? '', ...(out.LastModifiedDate ? { lastModifiedDate: out.LastModifiedDate.toISOString() } : {}) };
}

export interface OpportunityReview {
  readonly opportunityId: string;
  readonly lastModifiedDate?: string;
  readonly lifeCycle?: LifeCycle | LifeCycleSummary;
}

export async function getOpportunity(role: FilingRole, catalog: AceCatalog, opportunityId: string): Promise<OpportunityReview> {
  const out = await call(role, () => partnerCentralFor(role).send(new GetOpportunityCommand({ Catalog: catalog, Identifier: opportunityId })));
  return { opportunityId: out.Id ?? opportunityId, ...(out.LastModifiedDate ? { lastModifiedDate: out.LastModifiedDate.toISOString() } : {}), ...(out.LifeCycle ? { lifeCycle: out.LifeCycle } : {}) };
}

/** One page of opportunities modified after `after`, oldest change first. */
export async function listOpportunitiesModifiedAfter(role: FilingRole, catalog: AceCatalog, after: Date, nextToken?: string): Promise<{ items: OpportunityReview[]; nextToken?: string }> {
  const out = await call(role, () => partnerCentralFor(role).send(new ListOpportunitiesCommand({
    Catalog: catalog,
    MaxResults: 100,
    LastModifiedDate: { AfterLastModifiedDate: after },
    Sort: { SortBy: 'LastModifiedDate', SortOrder: 'ASCENDING' },
    ...(nextToken ? { NextToken: nextToken } : {}),
  })));
  const items = (out.OpportunitySummaries ?? [])
    .filter((s) => s.Id !== undefined)
    .map((s) => ({ opportunityId: s.Id ?? '', ...(s.LastModifiedDate ? { lastModifiedDate: s.LastModifiedDate.toISOString() } : {}), ...(s.LifeCycle ? { lifeCycle: s.LifeCycle } : {}) }));
  return { items, ...(out.NextToken ? { nextToken: out.NextToken } : {}) };
}

// ---------------------------------------------------------------------------------------------------------------
// Submitting for AWS review and fixing Action Required (functions/usecases/partner-central-submission.ts, partner-central-update.ts)

/** The partner's Active solutions in a catalog (ListSolutions, every page). */
export async function listActiveSolutions(role: FilingRole, catalog: AceCatalog): Promise<{ id: string; name: string }[]> {
  const out: { id: string; name: string }[] = [];
  let nextToken: string | undefined;
  do {
    const page = await call(role, () => partnerCentralFor(role).send(new ListSolutionsCommand({ Catalog: catalog, Status: ['Active'], ...(nextToken ? { NextToken: nextToken } : {}) })));
    for (const s of page.SolutionSummaries ?? []) if (s.Id) out.push({ id: s.Id, name: s.Name ?? s.Id });
    nextToken = page.NextToken;
  } while (nextToken);
  return out;
}

/** The opportunity as GetOpportunity shows it, with its associated solutions (read before each write: idempotence). */
export async function readOpportunity(role: FilingRole, catalog: AceCatalog, opportunityId: string): Promise<OpportunityReview & { solutions: string[]; opportunity: Record<string, unknown> }> {
  const out = await call(role, () => partnerCentralFor(role).send(new GetOpportunityCommand({ Catalog: catalog, Identifier: opportunityId })));
  const { $metadata: _m, ...opportunity } = out;
  return {
    opportunityId: out.Id ?? opportunityId,
    ...(out.LastModifiedDate ? { lastModifiedDate: out.LastModifiedDate.toISOString() } : {}),
    ...(out.LifeCycle ? { lifeCycle: out.LifeCycle } : {}),
    solutions: out.RelatedEntityIdentifiers?.Solutions ?? [],
    opportunity: opportunity as Record<string, unknown>,
  };
}

export async function associateSolution(role: FilingRole, catalog: AceCatalog, opportunityId: string, solutionId: string): Promise<void> {
  await call(role, () => partnerCentralFor(role, 'write').send(new AssociateOpportunityCommand({ Catalog: catalog, OpportunityIdentifier: opportunityId, RelatedEntityType: 'Solutions', RelatedEntityIdentifier: solutionId })));
}

export async function submitOpportunity(role: FilingRole, catalog: AceCatalog, opportunityId: string, choice: { involvementType: 'Co-Sell' | 'For Visibility Only'; visibility: 'Full' | 'Limited' }): Promise<void> {
  await call(role, () => partnerCentralFor(role, 'write').send(new SubmitOpportunityCommand({ Catalog: catalog, Identifier: opportunityId, InvolvementType: choice.involvementType, Visibility: choice.visibility })));
}

/** UpdateOpportunity with the LastModifiedDate read: Partner Central refuses it (ConflictException → 409) if it moved. */
export async function updateOpportunity(role: FilingRole, catalog: AceCatalog, opportunityId: string, lastModifiedDate: string, changes: Record<string, unknown>): Promise<{ lastModifiedDate?: string }> {
  const input = { ...changes, Catalog: catalog, Identifier: opportunityId, LastModifiedDate: new Date(lastModifiedDate) } as unknown as UpdateOpportunityCommandInput;
  const out = await call(role, () => partnerCentralFor(role, 'write').send(new UpdateOpportunityCommand(input)));
  return out.LastModifiedDate ? { lastModifiedDate: out.LastModifiedDate.toISOString() } : {};
}

// ---------------------------------------------------------------------------------------------------------------
// The Benefits API (functions/usecases/partner-central-funding.ts): the funding request after an approval. Same role,
// same credentials, same error mapping; the endpoint from AWS_ENDPOINT_URL_PARTNERCENTRAL_BENEFITS / AWS_ENDPOINT_URL.

const benefitsClients = new Map<string, PartnerCentralBenefitsClient>();

/** A Benefits API client acting as the partner. */
export function benefitsFor(role: FilingRole, use: 'read' | 'write' = 'read'): PartnerCentralBenefitsClient {
  return clientFor(benefitsClients, (config) => new PartnerCentralBenefitsClient(config), role, use);
}

export interface BenefitSummary {
  readonly id: string;
  readonly name?: string | undefined;
  readonly programs: string[];
  readonly fulfillmentTypes: string[];
  readonly status?: string | undefined;
  readonly description?: string | undefined;
  readonly requestSchema?: unknown;
}

/** Every benefit the partner can see in a catalog (ListBenefits, every page), each with GetBenefit's request schema. */
export async function listBenefits(role: FilingRole, catalog: string, opts: { details?: boolean } = {}): Promise<BenefitSummary[]> {
  const out: BenefitSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await call(role, () => benefitsFor(role).send(new ListBenefitsCommand({ Catalog: catalog, MaxResults: 100, ...(nextToken ? { NextToken: nextToken } : {}) })));
    for (const b of page.BenefitSummaries ?? []) {
      if (!b.Id) continue;
      out.push({ id: b.Id, name: b.Name, programs: b.Programs ?? [], fulfillmentTypes: b.FulfillmentTypes ?? [], status: b.Status, description: b.Description });
    }
    nextToken = page.NextToken;
  } while (nextToken);
  if (!opts.details) return out;
  const detailed: BenefitSummary[] = [];
  for (const b of out) {
    const got = await call(role, () => benefitsFor(role).send(new GetBenefitCommand({ Catalog: catalog, Identifier: b.id })));
    detailed.push({ ...b, ...(got.BenefitRequestSchema !== undefined ? { requestSchema: got.BenefitRequestSchema } : {}) });
  }
  return detailed;
}

/** CreateBenefitApplication with the stored body (ClientToken included: a repeat returns the same application). */
export async function createBenefitApplication(role: FilingRole, input: Record<string, unknown>): Promise<{ id: string; arn?: string; revision?: string }> {
  const out = await call(role, () => benefitsFor(role, 'write').send(new CreateBenefitApplicationCommand(input as unknown as CreateBenefitApplicationCommandInput)));
  return { id: out.Id ?? '', ...(out.Arn ? { arn: out.Arn } : {}), ...(out.Revision ? { revision: out.Revision } : {}) };
}

export interface BenefitApplicationRead {
  readonly id: string;
  readonly status?: string | undefined;
  readonly statusReason?: string | undefined;
  readonly codes?: string[] | undefined;
  readonly stage?: string | undefined;
  readonly revision?: string | undefined;
  readonly associatedResources: string[];
  readonly updatedAt?: string | undefined;
  readonly application: Record<string, unknown>;
}

export async function getBenefitApplication(role: FilingRole, catalog: string, id: string): Promise<BenefitApplicationRead> {
  const out = await call(role, () => benefitsFor(role).send(new GetBenefitApplicationCommand({ Catalog: catalog, Identifier: id })));
  const { $metadata: _m, ...application } = out;
  return {
    id: out.Id ?? id, status: out.Status, statusReason: out.StatusReason, codes: out.StatusReasonCodes, stage: out.Stage, revision: out.Revision,
    associatedResources: out.AssociatedResources ?? [], updatedAt: out.UpdatedAt?.toISOString(), application: application as Record<string, unknown>,
  };
}

export async function associateBenefitApplicationResource(role: FilingRole, catalog: string, id: string, resourceArn: string): Promise<void> {
  await call(role, () => benefitsFor(role, 'write').send(new AssociateBenefitApplicationResourceCommand({ Catalog: catalog, BenefitApplicationIdentifier: id, ResourceArn: resourceArn })));
}

export async function submitBenefitApplication(role: FilingRole, catalog: string, id: string): Promise<void> {
  await call(role, () => benefitsFor(role, 'write').send(new SubmitBenefitApplicationCommand({ Catalog: catalog, Identifier: id })));
}

/** UpdateBenefitApplication with the Revision read (optimistic concurrency at AWS: a stale one is a ConflictException). */
export async function updateBenefitApplication(role: FilingRole, input: Record<string, unknown>): Promise<{ revision?: string }> {
  const out = await call(role, () => benefitsFor(role, 'write').send(new UpdateBenefitApplicationCommand(input as unknown as UpdateBenefitApplicationCommandInput)));
  return out.Revision ? { revision: out.Revision } : {};
}

/** One page of the partner's benefit applications (no modified-after filter exists: the caller filters on UpdatedAt). */
export async function listBenefitApplications(role: FilingRole, catalog: string, nextToken?: string): Promise<{ items: { id: string; status?: string | undefined; updatedAt?: string | undefined }[]; nextToken?: string }> {
  const out = await call(role, () => benefitsFor(role).send(new ListBenefitApplicationsCommand({ Catalog: catalog, MaxResults: 100, ...(nextToken ? { NextToken: nextToken } : {}) })));
  const items = (out.BenefitApplicationSummaries ?? []).filter((s) => s.Id).map((s) => ({ id: s.Id ?? '', status: s.Status, updatedAt: s.UpdatedAt?.toISOString() }));
  return { items, ...(out.NextToken ? { nextToken: out.NextToken } : {}) };
}

/** The credits allocation a benefit application produced (ListBenefitAllocations filtered by it, then GetBenefitAllocation). */
export async function allocationOf(role: FilingRole, catalog: string, benefitApplicationId: string): Promise<AllocationView | undefined> {
  const list = await call(role, () => benefitsFor(role).send(new ListBenefitAllocationsCommand({ Catalog: catalog, BenefitApplicationIdentifiers: [benefitApplicationId], MaxResults: 10 })));
  const summary = (list.BenefitAllocationSummaries ?? []).find((a) => a.Id && (a.FulfillmentTypes ?? ['CREDITS']).includes('CREDITS'));
  if (!summary?.Id) return undefined;
  const got = await call(role, () => benefitsFor(role).send(new GetBenefitAllocationCommand({ Catalog: catalog, Identifier: summary.Id as string })));
  const credit = got.FulfillmentDetail && 'CreditDetails' in got.FulfillmentDetail ? got.FulfillmentDetail.CreditDetails : undefined;
  const money = (m: { Amount?: string; CurrencyCode?: string } | undefined) => (m?.Amount && m.CurrencyCode ? { Amount: m.Amount, CurrencyCode: m.CurrencyCode } : undefined);
  return {
    id: got.Id ?? summary.Id, status: got.Status, createdAt: got.CreatedAt?.toISOString(), startsAt: got.StartsAt?.toISOString(), expiresAt: got.ExpiresAt?.toISOString(),
    ...(credit ? { credit: { allocated: money(credit.AllocatedAmount), issued: money(credit.IssuedAmount), codeExpiries: (credit.Codes ?? []).flatMap((c) => (c.ExpiresAt ? [c.ExpiresAt.toISOString()] : [])) } } : {}),
  };
}

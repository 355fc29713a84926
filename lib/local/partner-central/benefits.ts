// The Partner Central Benefits catalog the local stand-in keeps, like the Sandbox does: the benefits a partner can
// apply for (seeded from data/benefits.json, both catalogs), benefit applications per partner account (`benappl-…`
// ids, ClientToken idempotency, Revision, Status, associated resources) and the allocations the reviewer grants
// (`benalloc-…`, credit details with amount, start and expiry).
//
// Requests reach this only after the server validated them against the Benefits model. Where AWS's documentation is
// silent the choice is named in a comment. The Benefits service publishes EventBridge events (source
// aws.partnercentral-benefits), but their detail types and shape are not in the documentation we hold, so this stand-in
// publishes none: the service follows funding requests by its scheduled reconciliation.
import { createHash } from 'node:crypto';
import benefitsJson from '../../../data/benefits.json' with { type: 'json' };
import type { ServiceError, ServiceModel } from './models.ts';
import { PARTNER_CENTRAL_REGION, ReviewerError, type Caller } from './catalog.ts';

export type BenefitApplicationStatus = 'PENDING_SUBMISSION' | 'IN_REVIEW' | 'ACTION_REQUIRED' | 'APPROVED' | 'REJECTED' | 'CANCELED';

/** What the reviewer (a person playing AWS) can do to a submitted benefit application. */
export type BenefitReviewerMove =
  | { readonly status: 'IN_REVIEW' }
  | { readonly status: 'ACTION_REQUIRED'; readonly reason: string }
  | { readonly status: 'REJECTED'; readonly reason: string }
  | { readonly status: 'APPROVED'; readonly amountUsd: string; readonly startsAt?: string; readonly expiresAt?: string; readonly reason?: string };

export interface StoredBenefit {
  readonly catalog: string;
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly programs: string[];
  readonly fulfillmentTypes: string[];
  readonly status: 'ACTIVE' | 'INACTIVE';
}

export interface StoredBenefitApplication {
  readonly catalog: string;
  readonly accountId: string;
  readonly id: string;
  readonly clientToken: string;
  readonly benefitId: string;
  readonly createdAt: string;
  updatedAt: string;
  revision: number;
  status: BenefitApplicationStatus;
  statusReason?: string;
  /** The request members that describe the application (everything but Catalog, ClientToken, BenefitIdentifier). */
  body: Record<string, unknown>;
  associatedResources: string[];
  /** ClientTokens of the UpdateBenefitApplication requests applied (a repeat is answered without a change). */
  updateTokens: string[];
}

export interface StoredAllocation {
  readonly catalog: string;
  readonly accountId: string;
  readonly id: string;
  readonly benefitApplicationId: string;
  readonly benefitId: string;
  readonly createdAt: string;
  readonly startsAt: string;
  readonly expiresAt: string;
  readonly amountUsd: string;
  readonly awsAccountId: string;
}

export interface BenefitsState {
  nextApplication: number;
  nextAllocation: number;
  applications: StoredBenefitApplication[];
  allocations: StoredAllocation[];
}

const WRITE_STATES: readonly BenefitApplicationStatus[] = ['PENDING_SUBMISSION', 'ACTION_REQUIRED'];

/** `benappl-` / `benalloc-` + 14 lower-case letters or digits, from a counter (stable across restarts). */
function idOf(prefix: string, n: number): string {
  return `${prefix}-${createHash('sha256').update(`${prefix}${n}`).digest('hex').slice(0, 6)}${n.toString(36).padStart(8, '0')}`;
}

export class BenefitsCatalog {
  readonly #model: ServiceModel;
  readonly #now: () => number;
  readonly #changed: () => void;
  readonly #benefits: StoredBenefit[];
  #state: BenefitsState = { nextApplication: 1, nextAllocation: 1, applications: [], allocations: [] };

  constructor(opts: { model: ServiceModel; now: () => number; changed?: () => void; state?: BenefitsState }) {
    this.#model = opts.model;
    this.#now = opts.now;
    this.#changed = opts.changed ?? (() => undefined);
    if (opts.state) this.#state = opts.state;
    // The benefits of data/benefits.json, in both catalogs (AWS's real catalog lists what AWS offers the partner).
    this.#benefits = ['Sandbox', 'AWS'].flatMap((catalog) => benefitsJson.programs.map((p) => ({
      catalog, id: p.benefitId, name: p.benefitName.slice(0, 100), description: `Local stand-in benefit for the ${p.programId} program`,
      programs: ['APN'], fulfillmentTypes: [...p.fulfillmentTypes], status: 'ACTIVE' as const,
    })));
  }

  state(): BenefitsState {
    return this.#state;
  }

  applications(): readonly StoredBenefitApplication[] {
    return this.#state.applications;
  }

  // ---- the Benefits API operations (input already validated against the model) ----

  ListBenefits(_caller: Caller, input: Record<string, unknown>): Record<string, unknown> {
    const status = input.Status as string[] | undefined;
    const types = input.FulfillmentTypes as string[] | undefined;
    const items = this.#benefits
      .filter((b) => b.catalog === input.Catalog)
      .filter((b) => !status?.length || status.includes(b.status))
      .filter((b) => !types?.length || b.fulfillmentTypes.some((t) => types.includes(t)));
    return { BenefitSummaries: items.map((b) => ({ Id: b.id, Catalog: b.catalog, Arn: this.#benefitArn(b), Name: b.name, Description: b.description, Programs: b.programs, FulfillmentTypes: b.fulfillmentTypes, Status: b.status })) };
  }

  GetBenefit(_caller: Caller, input: Record<string, unknown>): Record<string, unknown> {
    const b = this.#benefit(input.Catalog, input.Identifier);
    const fields = benefitsJson.programs.find((p) => p.benefitId === b.id)?.detailsFields ?? {};
    return {
      Id: b.id, Catalog: b.catalog, Arn: this.#benefitArn(b), Name: b.name, Description: b.description, Programs: b.programs, FulfillmentTypes: b.fulfillmentTypes, Status: b.status,
      // AWS documents BenefitRequestSchema only as "the schema definition that describes the required fields"; the
      // stand-in answers a JSON Schema of the members our data drafts.
      BenefitRequestSchema: { type: 'object', properties: Object.fromEntries(Object.keys(fields).map((k) => [k, {}])) },
    };
  }

  CreateBenefitApplication(caller: Caller, input: Record<string, unknown>): Record<string, unknown> {
    const catalog = String(input.Catalog);
    const clientToken = String(input.ClientToken);
    const same = this.#state.applications.find((a) => a.accountId === caller.accountId && a.catalog === catalog && a.clientToken === clientToken);
    if (same) return { Id: same.id, Arn: this.#arn(same), Revision: String(same.revision) };
    const benefit = this.#benefit(catalog, input.BenefitIdentifier, 'BenefitIdentifier');
    if (benefit.status !== 'ACTIVE') throw this.#business('BenefitIdentifier', `Benefit ${benefit.id} is ${benefit.status}`, 'INVALID_RESOURCE_STATE');
    const { Catalog: _c, ClientToken: _t, BenefitIdentifier: _b, AssociatedResources, Tags: _tags, ...body } = input;
    const now = this.#iso();
    const application: StoredBenefitApplication = {
      catalog, accountId: caller.accountId, id: idOf('benappl', this.#state.nextApplication++), clientToken, benefitId: benefit.id,
      createdAt: now, updatedAt: now, revision: 1, status: 'PENDING_SUBMISSION', body,
      associatedResources: [...((AssociatedResources as string[] | undefined) ?? [])], updateTokens: [],
    };
    this.#state.applications.push(application);
    this.#changed();
    return { Id: application.id, Arn: this.#arn(application), Revision: '1' };
  }

  GetBenefitApplication(caller: Caller, input: Record<string, unknown>): Record<string, unknown> {
    return this.#view(this.#find(caller, input.Catalog, input.Identifier));
  }

  ListBenefitApplications(caller: Caller, input: Record<string, unknown>): Record<string, unknown> {
    const status = input.Status as string[] | undefined;
    const all = this.#state.applications
      .filter((a) => a.accountId === caller.accountId && a.catalog === input.Catalog)
      .filter((a) => !status?.length || status.includes(a.status));
    const size = Number(input.MaxResults ?? 20);
    const start = input.NextToken ? Number(Buffer.from(String(input.NextToken), 'base64url').toString('utf8')) || 0 : 0;
    const page = all.slice(start, start + size);
    return {
      BenefitApplicationSummaries: page.map((a) => ({
        Catalog: a.catalog, Id: a.id, Arn: this.#arn(a), BenefitId: a.benefitId, Programs: ['APN'], FulfillmentTypes: a.body.FulfillmentTypes ?? [],
        Status: a.status, CreatedAt: a.createdAt, UpdatedAt: a.updatedAt, AssociatedResources: a.associatedResources,
        ...(a.body.Name ? { Name: a.body.Name } : {}),
      })),
      ...(start + size < all.length ? { NextToken: Buffer.from(String(start + size)).toString('base64url') } : {}),
    };
  }

  /**
   * Associating an ARN already associated is a no-op success (AWS's documentation does not say; our client reads the
   * application first and never relies on it). Only while the partner can still change the application.
   */
  AssociateBenefitApplicationResource(caller: Caller, input: Record<string, unknown>): Record<string, unknown> {
    const a = this.#find(caller, input.Catalog, input.BenefitApplicationIdentifier);
    const arn = String(input.ResourceArn);
    if (!a.associatedResources.includes(arn)) {
      if (!WRITE_STATES.includes(a.status)) throw this.#model.error('ConflictException', { Message: `The benefit application ${a.id} is ${a.status}: resources can be associated before submission or under ACTION_REQUIRED` });
      if (a.associatedResources.length >= 10) throw this.#business('ResourceArn', 'at most 10 resources can be associated', 'TOO_MANY_VALUES');
      a.associatedResources.push(arn);
      this.#touch(a);
    }
    return { Id: a.id, Arn: this.#arn(a), Revision: String(a.revision) };
  }

  /** From PENDING_SUBMISSION, or again after ACTION_REQUIRED. The stand-in asks for an associated opportunity first. */
  SubmitBenefitApplication(caller: Caller, input: Record<string, unknown>): Record<string, unknown> {
    const a = this.#find(caller, input.Catalog, input.Identifier);
    if (!WRITE_STATES.includes(a.status)) {
      throw this.#business('Identifier', `The benefit application is ${a.status}: only one PENDING_SUBMISSION or in ACTION_REQUIRED can be submitted`, 'INVALID_RESOURCE_STATE');
    }
    if (!a.associatedResources.some((r) => r.includes(':catalog/') && r.includes('/opportunity/'))) {
      // AWS's documentation does not say a benefit application needs an opportunity; credits for an ACE opportunity do.
      throw this.#business('AssociatedResources', 'must include the ACE opportunity this funding is for (AssociateBenefitApplicationResource) before submission', 'REQUIRED_FIELD_MISSING');
    }
    a.status = 'IN_REVIEW';
    delete a.statusReason;
    this.#touch(a);
    return {};
  }

  /** Optimistic concurrency on Revision (a stale one is a ConflictException); ClientToken makes a repeat harmless. */
  UpdateBenefitApplication(caller: Caller, input: Record<string, unknown>): Record<string, unknown> {
    const a = this.#find(caller, input.Catalog, input.Identifier);
    const token = String(input.ClientToken);
    if (a.updateTokens.includes(token)) return { Id: a.id, Arn: this.#arn(a), Revision: String(a.revision) };
    if (String(input.Revision) !== String(a.revision)) {
      throw this.#model.error('ConflictException', { Message: `The benefit application ${a.id} is at revision ${a.revision}; the request was based on ${String(input.Revision)}. Read it again and reapply the change.` });
    }
    if (!WRITE_STATES.includes(a.status)) throw this.#model.error('ConflictException', { Message: `The benefit application ${a.id} is ${a.status}: it cannot be changed while AWS reviews it` });
    const { Catalog: _c, ClientToken: _t, Identifier: _i, Revision: _r, ...members } = input;
    a.body = { ...a.body, ...members };
    a.updateTokens.push(token);
    this.#touch(a);
    return { Id: a.id, Arn: this.#arn(a), Revision: String(a.revision) };
  }

  ListBenefitAllocations(caller: Caller, input: Record<string, unknown>): Record<string, unknown> {
    const apps = input.BenefitApplicationIdentifiers as string[] | undefined;
    const items = this.#state.allocations
      .filter((x) => x.accountId === caller.accountId && x.catalog === input.Catalog)
      .filter((x) => !apps?.length || apps.includes(x.benefitApplicationId));
    return {
      BenefitAllocationSummaries: items.map((x) => ({
        Id: x.id, Catalog: x.catalog, Arn: this.#allocationArn(x), Status: 'ACTIVE', Name: `Credits for ${x.benefitApplicationId}`, BenefitId: x.benefitId,
        BenefitApplicationId: x.benefitApplicationId, FulfillmentTypes: ['CREDITS'], CreatedAt: x.createdAt, ExpiresAt: x.expiresAt, ApplicableBenefitIds: [x.benefitId],
      })),
    };
  }

  GetBenefitAllocation(caller: Caller, input: Record<string, unknown>): Record<string, unknown> {
    const x = this.#state.allocations.find((y) => y.id === input.Identifier && y.catalog === input.Catalog && y.accountId === caller.accountId);
    if (!x) throw this.#model.error('ResourceNotFoundException', { Message: `Benefit allocation ${String(input.Identifier)} not found in catalog ${String(input.Catalog)}` });
    const usd = { Amount: x.amountUsd, CurrencyCode: 'USD' };
    return {
      Id: x.id, Catalog: x.catalog, Arn: this.#allocationArn(x), Name: `Credits for ${x.benefitApplicationId}`, Status: 'ACTIVE',
      BenefitApplicationId: x.benefitApplicationId, BenefitId: x.benefitId, FulfillmentType: 'CREDITS', ApplicableBenefitIds: [x.benefitId],
      FulfillmentDetail: {
        CreditDetails: {
          AllocatedAmount: usd, IssuedAmount: usd,
          Codes: [{ AwsAccountId: x.awsAccountId, Value: usd, AwsCreditCode: `PC${x.id.slice(-10).toUpperCase()}`, Status: 'ACTIVE', IssuedAt: x.startsAt, ExpiresAt: x.expiresAt }],
        },
      },
      CreatedAt: x.createdAt, UpdatedAt: x.createdAt, StartsAt: x.startsAt, ExpiresAt: x.expiresAt,
    };
  }

  // ---- what people do outside the API ----

  /** The reviewer's move on a submitted benefit application; APPROVED also allocates the credits. */
  review(id: string, move: BenefitReviewerMove): StoredBenefitApplication {
    const a = this.#state.applications.find((x) => x.id === id);
    if (!a) throw new ReviewerError(404, `No benefit application ${id} in the local Partner Central`);
    const from: Record<BenefitReviewerMove['status'], readonly BenefitApplicationStatus[]> = {
      IN_REVIEW: ['IN_REVIEW'], ACTION_REQUIRED: ['IN_REVIEW'], APPROVED: ['IN_REVIEW'], REJECTED: ['IN_REVIEW', 'ACTION_REQUIRED'],
    };
    if (!from[move.status].includes(a.status)) {
      throw new ReviewerError(409, `${a.id} is ${a.status}: ${move.status} is possible from ${from[move.status].join(' or ')}`);
    }
    a.status = move.status;
    if ('reason' in move && move.reason) a.statusReason = move.reason;
    else delete a.statusReason;
    if (move.status === 'APPROVED') {
      const now = this.#iso();
      const startsAt = move.startsAt ?? now;
      // Twelve months unless the reviewer says otherwise (a common term for promotional credits; AWS sets it per grant).
      const expiresAt = move.expiresAt ?? new Date(Date.parse(startsAt) + 365 * 24 * 3600 * 1000).toISOString();
      const details = a.body.BenefitApplicationDetails as Record<string, unknown> | undefined;
      const account = typeof details?.CustomerAwsAccountId === 'string' ? details.CustomerAwsAccountId : a.accountId;
      this.#state.allocations.push({
        catalog: a.catalog, accountId: a.accountId, id: idOf('benalloc', this.#state.nextAllocation++), benefitApplicationId: a.id, benefitId: a.benefitId,
        createdAt: now, startsAt, expiresAt, amountUsd: move.amountUsd, awsAccountId: account,
      });
    }
    this.#touch(a);
    return a;
  }

  view(id: string): Record<string, unknown> {
    const a = this.#state.applications.find((x) => x.id === id);
    if (!a) throw new ReviewerError(404, `No benefit application ${id} in the local Partner Central`);
    return { ...this.#view(a), AccountId: a.accountId, Allocations: this.#state.allocations.filter((x) => x.benefitApplicationId === a.id) };
  }

  // ---- internals ----

  #iso(): string {
    return new Date(this.#now()).toISOString();
  }

  #touch(a: StoredBenefitApplication): void {
    let at = this.#iso();
    if (Date.parse(at) <= Date.parse(a.updatedAt)) at = new Date(Date.parse(a.updatedAt) + 1).toISOString();
    a.updatedAt = at;
    a.revision += 1;
    this.#changed();
  }

  #benefit(catalog: unknown, id: unknown, field = 'Identifier'): StoredBenefit {
    const key = String(id).split('/').pop();
    const b = this.#benefits.find((x) => x.catalog === catalog && x.id === key);
    if (!b) {
      if (field === 'Identifier') throw this.#model.error('ResourceNotFoundException', { Message: `Benefit ${String(id)} not found in catalog ${String(catalog)}` });
      throw this.#business(field, `Benefit ${String(id)} is not in catalog ${String(catalog)} (ListBenefits shows the ones you can apply for)`, 'INVALID_VALUE');
    }
    return b;
  }

  /** The caller's own application in that catalog; another account's is not found. */
  #find(caller: Caller, catalog: unknown, id: unknown): StoredBenefitApplication {
    const key = String(id).split('/').pop();
    const a = this.#state.applications.find((x) => x.id === key && x.catalog === catalog && x.accountId === caller.accountId);
    if (!a) throw this.#model.error('ResourceNotFoundException', { Message: `Benefit application ${String(id)} not found in catalog ${String(catalog)}` });
    return a;
  }

  #business(field: string, message: string, code: string): ServiceError {
    const v = this.#model.validation;
    return this.#model.error('ValidationException', { Message: 'The request failed business validation.', Reason: v.businessReason, [v.listMember]: [{ [v.nameMember]: field, Message: message, Code: code }] });
  }

  #view(a: StoredBenefitApplication): Record<string, unknown> {
    return {
      ...a.body,
      Id: a.id, Arn: this.#arn(a), Catalog: a.catalog, BenefitId: a.benefitId, Programs: ['APN'], Status: a.status, Stage: a.status === 'APPROVED' ? 'Fulfillment' : 'Review',
      ...(a.statusReason ? { StatusReason: a.statusReason } : {}), CreatedAt: a.createdAt, UpdatedAt: a.updatedAt, Revision: String(a.revision),
      AssociatedResources: a.associatedResources,
    };
  }

  #arn(a: StoredBenefitApplication): string {
    return `arn:aws:partnercentral:${PARTNER_CENTRAL_REGION}:${a.accountId}:catalog/${a.catalog}/benefit-application/${a.id}`;
  }

  #allocationArn(x: StoredAllocation): string {
    return `arn:aws:partnercentral:${PARTNER_CENTRAL_REGION}:${x.accountId}:catalog/${x.catalog}/benefit-allocation/${x.id}`;
  }

  #benefitArn(b: StoredBenefit): string {
    return `arn:aws:partnercentral:${PARTNER_CENTRAL_REGION}::catalog/${b.catalog}/benefit/${b.id}`;
  }
}

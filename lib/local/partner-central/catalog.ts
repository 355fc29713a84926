// The Partner Central catalog the local stand-in keeps, like the Sandbox catalog does: opportunities per partner
// account (`O…` ids, ClientToken idempotency, CreatedDate/LastModifiedDate, lifecycle and review status, associated
// solutions), the partner's solutions, and the reviewer's moves (a person playing AWS). Every change publishes the
// EventBridge event Partner Central publishes (source aws.partnercentral-selling, `Opportunity Created` /
// `Opportunity Updated`, detail { schemaVersion, catalog, opportunity.identifier }).
//
// Requests reach this only after the server validated them against the service model; the rules here are the
// service's state rules. Where AWS's documentation is silent the choice is named in a comment.
import { randomUUID } from 'node:crypto';
import { checkSubmissionRules } from '../../../functions/core/ace/submission-rules.ts';
import type { ServiceModel, ServiceError } from './models.ts';
import { validationException } from './models.ts';

export const PARTNER_CENTRAL_REGION = 'us-east-1';
export const EVENT_SOURCE = 'aws.partnercentral-selling';

export type ReviewStatus = 'Pending Submission' | 'Submitted' | 'In review' | 'Approved' | 'Rejected' | 'Action Required';

/** What the reviewer (a person playing AWS) can do to a submitted opportunity. */
export type ReviewerMove =
  | { readonly status: 'In review' }
  | { readonly status: 'Action Required'; readonly comments: string; readonly reason?: string }
  | { readonly status: 'Approved'; readonly comments?: string }
  | { readonly status: 'Rejected'; readonly closedLostReason: string; readonly comments?: string };

export interface StoredOpportunity {
  readonly catalog: string;
  readonly accountId: string;
  readonly id: string;
  readonly clientToken: string;
  readonly createdDate: string;
  lastModifiedDate: string;
  /** The request members that describe the opportunity (everything but Catalog and ClientToken). */
  body: Record<string, unknown>;
  lifeCycle: Record<string, unknown>;
  solutions: string[];
  awsProducts: string[];
  involvementType?: string;
  visibility?: string;
}

export interface StoredSolution {
  readonly catalog: string;
  readonly accountId: string;
  readonly id: string;
  readonly name: string;
  readonly category: string;
  readonly status: 'Active' | 'Inactive' | 'Draft';
  readonly createdDate: string;
}

export interface PartnerCentralEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': 'Opportunity Created' | 'Opportunity Updated';
  readonly source: typeof EVENT_SOURCE;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: string[];
  readonly detail: { schemaVersion: '1'; catalog: string; opportunity: { identifier: string } };
}

/** Who is calling: the partner account of the assumed role. */
export interface Caller {
  readonly accountId: string;
  readonly roleArn: string;
}

export interface CatalogState {
  nextOpportunity: number;
  nextSolution: number;
  opportunities: StoredOpportunity[];
  solutions: StoredSolution[];
}

const WRITE_STATES: readonly ReviewStatus[] = ['Pending Submission', 'Action Required'];
/** UpdateOpportunity's input members that address the request rather than describe the opportunity (LifeCycle is merged apart). */
const NOT_OPPORTUNITY_MEMBERS: readonly string[] = ['Catalog', 'Identifier', 'LastModifiedDate', 'LifeCycle'];
/** LifeCycle's fields that AWS's review sets. */
const REVIEW_FIELDS: readonly string[] = ['ReviewStatus', 'ReviewComments', 'ReviewStatusReason'];

export class PartnerCentralCatalog {
  readonly #model: ServiceModel;
  /** UpdateOpportunity's members that describe the opportunity, read from the service model. */
  readonly #updateMembers: readonly string[];
  readonly #now: () => number;
  readonly #publish: (event: PartnerCentralEvent) => void;
  readonly #changed: () => void;
  #state: CatalogState = { nextOpportunity: 5550001, nextSolution: 1001, opportunities: [], solutions: [] };

  constructor(opts: { model: ServiceModel; now: () => number; publish: (event: PartnerCentralEvent) => void; changed?: () => void; state?: CatalogState }) {
    this.#model = opts.model;
    this.#updateMembers = opts.model.inputMembers('UpdateOpportunity').filter((m) => !NOT_OPPORTUNITY_MEMBERS.includes(m));
    this.#now = opts.now;
    this.#publish = opts.publish;
    this.#changed = opts.changed ?? (() => undefined);
    if (opts.state) this.#state = opts.state;
  }

  state(): CatalogState {
    return this.#state;
  }

  opportunities(): readonly StoredOpportunity[] {
    return this.#state.opportunities;
  }

  /** ClientToken → opportunity id, per catalog and account. */
  clientTokens(): Map<string, string> {
    return new Map(this.#state.opportunities.map((o) => [o.clientToken, o.id]));
  }

  /** A solution in the partner's account (Partner Central lists what the partner registered; here it is seeded). */
  addSolution(accountId: string, catalog: string, name: string, category = 'Software Product'): StoredSolution {
    const existing = this.#state.solutions.find((s) => s.accountId === accountId && s.catalog === catalog && s.name === name);
    if (existing) return existing;
    const solution: StoredSolution = { catalog, accountId, id: `S-${String(this.#state.nextSolution++).padStart(7, '0')}`, name, category, status: 'Active', createdDate: this.#iso() };
    this.#state.solutions.push(solution);
    this.#changed();
    return solution;
  }

  // ---- the Selling API operations (input already validated against the model) ----

  CreateOpportunity(caller: Caller, input: Record<string, unknown>): Record<string, unknown> {
    const catalog = String(input.Catalog);
    const clientToken = String(input.ClientToken);
    const same = this.#state.opportunities.find((o) => o.accountId === caller.accountId && o.catalog === catalog && o.clientToken === clientToken);
    if (same) return { Id: same.id, PartnerOpportunityIdentifier: same.body.PartnerOpportunityIdentifier, LastModifiedDate: same.lastModifiedDate };
    const { Catalog: _c, ClientToken: _t, LifeCycle, ...body } = input;
    const now = this.#iso();
    const opportunity: StoredOpportunity = {
      catalog, accountId: caller.accountId, id: `O${this.#state.nextOpportunity++}`, clientToken, createdDate: now, lastModifiedDate: now,
      body,
      lifeCycle: { Stage: 'Prospect', ...(LifeCycle as Record<string, unknown> | undefined), ReviewStatus: 'Pending Submission' },
      solutions: [], awsProducts: [],
    };
    this.#state.opportunities.push(opportunity);
    this.#emit(opportunity, 'Opportunity Created');
    return { Id: opportunity.id, ...(body.PartnerOpportunityIdentifier ? { PartnerOpportunityIdentifier: body.PartnerOpportunityIdentifier } : {}), LastModifiedDate: now };
  }

  GetOpportunity(caller: Caller, input: Record<string, unknown>): Record<string, unknown> {
    return this.#view(this.#find(caller, input.Catalog, input.Identifier));
  }

  ListOpportunities(caller: Caller, input: Record<string, unknown>): Record<string, unknown> {
    const after = (input.LastModifiedDate as { AfterLastModifiedDate?: string } | undefined)?.AfterLastModifiedDate;
    const descending = (input.Sort as { SortOrder?: string } | undefined)?.SortOrder === 'DESCENDING';
    const ids = input.Identifier as string[] | undefined;
    const all = this.#state.opportunities
      .filter((o) => o.accountId === caller.accountId && o.catalog === input.Catalog)
      .filter((o) => !after || Date.parse(o.lastModifiedDate) > Date.parse(after))
      .filter((o) => !ids || ids.includes(o.id))
      .sort((a, b) => (descending ? -1 : 1) * a.lastModifiedDate.localeCompare(b.lastModifiedDate));
    const size = Number(input.MaxResults ?? 20);
    const start = input.NextToken ? Number(Buffer.from(String(input.NextToken), 'base64url').toString('utf8')) || 0 : 0;
    const page = all.slice(start, start + size);
    return {
      OpportunitySummaries: page.map((o) => this.#summary(o)),
      ...(start + size < all.length ? { NextToken: Buffer.from(String(start + size)).toString('base64url') } : {}),
    };
  }

  ListSolutions(caller: Caller, input: Record<string, unknown>): Record<string, unknown> {
    const status = input.Status as string[] | undefined;
    const ids = input.Identifier as string[] | undefined;
    const solutions = this.#state.solutions
      .filter((s) => s.accountId === caller.accountId && s.catalog === input.Catalog)
      .filter((s) => !status || status.includes(s.status))
      .filter((s) => !ids || ids.includes(s.id));
    return {
      SolutionSummaries: solutions.map((s) => ({ Catalog: s.catalog, Id: s.id, Arn: `arn:aws:partnercentral:${PARTNER_CENTRAL_REGION}:${s.accountId}:catalog/${s.catalog}/solution/${s.id}`, Name: s.name, Status: s.status, Category: s.category, CreatedDate: s.createdDate })),
    };
  }

  /**
   * Associating what is already associated is a no-op success (AWS's documentation does not say; our client reads the
   * opportunity first and never relies on it). A solution must be the partner's own and Active.
   */
  AssociateOpportunity(caller: Caller, input: Record<string, unknown>): Record<string, unknown> {
    const o = this.#find(caller, input.Catalog, input.OpportunityIdentifier);
    const entity = String(input.RelatedEntityIdentifier);
    if (input.RelatedEntityType === 'Solutions') {
      const solution = this.#state.solutions.find((s) => s.accountId === caller.accountId && s.catalog === o.catalog && s.id === entity);
      if (!solution) throw this.#model.error('ResourceNotFoundException', { Message: `Solution ${entity} not found in catalog ${o.catalog}` });
      if (solution.status !== 'Active') throw this.#business('RelatedEntityIdentifier', `Solution ${entity} is ${solution.status}; only an Active solution can be associated`, 'INVALID_RESOURCE_STATE');
      if (!o.solutions.includes(entity)) o.solutions.push(entity);
    } else if (input.RelatedEntityType === 'AwsProducts') {
      if (!o.awsProducts.includes(entity)) o.awsProducts.push(entity);
    } else {
      throw this.#business('RelatedEntityType', `${String(input.RelatedEntityType)} associations are not kept by the local stand-in`, 'ACTION_NOT_PERMITTED');
    }
    this.#touch(o);
    return {};
  }

  /**
   * SubmitOpportunity: from Pending Submission, or again after Action Required (resubmission). Needs a solution and the
   * documented submission rules (the project's own, functions/core/ace/submission-rules.ts) on the stored opportunity.
   */
  SubmitOpportunity(caller: Caller, input: Record<string, unknown>): Record<string, unknown> {
    const o = this.#find(caller, input.Catalog, input.Identifier);
    const status = o.lifeCycle.ReviewStatus as ReviewStatus;
    if (!WRITE_STATES.includes(status)) {
      throw this.#business('Identifier', `The opportunity is '${status}': only an opportunity Pending Submission or in Action Required can be submitted`, 'INVALID_RESOURCE_STATE');
    }
    const problems = [
      ...(o.solutions.length === 0 ? [{ field: 'RelatedEntityIdentifiers.Solutions', rule: 'must have at least one associated solution before submission (AssociateOpportunity)' }] : []),
      // The rules are about what the partner wrote: AWS's own review fields are not part of it.
      ...checkSubmissionRules({ body: { ...o.body, Catalog: o.catalog, LifeCycle: partnerLifeCycle(o.lifeCycle) }, now: new Date(this.#now()) }),
    ];
    if (problems.length > 0) throw validationException(this.#model, problems, 'BUSINESS_VALIDATION_FAILED');
    o.involvementType = String(input.InvolvementType);
    if (input.Visibility !== undefined) o.visibility = String(input.Visibility);
    o.lifeCycle = { ...o.lifeCycle, ReviewStatus: 'Submitted' };
    delete o.lifeCycle.ReviewComments;
    delete o.lifeCycle.ReviewStatusReason;
    this.#touch(o);
    return {};
  }

  /**
   * UpdateOpportunity: optimistic concurrency on LastModifiedDate (a stale one is a ConflictException: someone changed
   * the opportunity since it was read). The request is the whole opportunity: AWS's API reference says "include the
   * entire payload with each request. If any field is omitted, the API assumes that the field is set to null", so an
   * updatable member left out is removed here (LifeCycle's partner fields too; its review fields are AWS's and stay).
   * Not while AWS reviews it.
   */
  UpdateOpportunity(caller: Caller, input: Record<string, unknown>): Record<string, unknown> {
    const o = this.#find(caller, input.Catalog, input.Identifier);
    if (Date.parse(String(input.LastModifiedDate)) !== Date.parse(o.lastModifiedDate)) {
      throw this.#model.error('ConflictException', { Message: `The opportunity ${o.id} was modified at ${o.lastModifiedDate}; the request was based on ${String(input.LastModifiedDate)}. Read it again and reapply the change.` });
    }
    const status = o.lifeCycle.ReviewStatus as ReviewStatus;
    if (status === 'Submitted' || status === 'In review') {
      throw this.#model.error('ConflictException', { Message: `The opportunity ${o.id} is '${status}': it cannot be changed while AWS reviews it` });
    }
    const { Catalog: _c, Identifier: _i, LastModifiedDate: _l, LifeCycle, ...members } = input;
    const kept = Object.entries(o.body).filter(([member]) => !this.#updateMembers.includes(member));
    o.body = { ...Object.fromEntries(kept), ...members };
    // The review fields are AWS's: a partner's update never sets them, nor clears them.
    const { ReviewStatus: _r, ReviewComments: _rc, ReviewStatusReason: _rr, ...partnerFields } = (LifeCycle ?? {}) as Record<string, unknown>;
    const review = Object.entries(o.lifeCycle).filter(([field]) => REVIEW_FIELDS.includes(field));
    o.lifeCycle = { ...Object.fromEntries(review), ...partnerFields };
    this.#touch(o);
    return { Id: o.id, LastModifiedDate: o.lastModifiedDate };
  }

  // ---- what people do outside the API ----

  /** The reviewer's move; each publishes `Opportunity Updated`. Only a submitted opportunity can be reviewed. */
  review(id: string, move: ReviewerMove): StoredOpportunity {
    const o = this.#byId(id);
    const status = o.lifeCycle.ReviewStatus as ReviewStatus;
    const allowed: Record<ReviewerMove['status'], readonly ReviewStatus[]> = {
      'In review': ['Submitted'],
      'Action Required': ['Submitted', 'In review'],
      Approved: ['Submitted', 'In review'],
      Rejected: ['Submitted', 'In review'],
    };
    if (!allowed[move.status].includes(status)) {
      throw new ReviewerError(409, `${o.id} is '${status}': '${move.status}' is possible from ${allowed[move.status].map((s) => `'${s}'`).join(' or ')}`);
    }
    const lifeCycle: Record<string, unknown> = { ...o.lifeCycle, ReviewStatus: move.status };
    delete lifeCycle.ReviewComments;
    delete lifeCycle.ReviewStatusReason;
    if ('comments' in move && move.comments) lifeCycle.ReviewComments = move.comments;
    if (move.status === 'Action Required' && move.reason) lifeCycle.ReviewStatusReason = move.reason;
    if (move.status === 'Approved' && lifeCycle.Stage === 'Prospect') lifeCycle.Stage = 'Qualified';
    if (move.status === 'Rejected') {
      lifeCycle.Stage = 'Closed Lost';
      lifeCycle.ClosedLostReason = move.closedLostReason;
      lifeCycle.ReviewStatusReason = move.closedLostReason;
    }
    o.lifeCycle = lifeCycle;
    this.#touch(o);
    return o;
  }

  /** A change made in the Partner Central console (a person at the partner): new LastModifiedDate, an event. */
  consoleEdit(id: string, members: Record<string, unknown>): StoredOpportunity {
    const o = this.#byId(id);
    const { LifeCycle, ...rest } = members;
    o.body = { ...o.body, ...rest };
    if (LifeCycle && typeof LifeCycle === 'object') {
      const { ReviewStatus: _r, ...fields } = LifeCycle as Record<string, unknown>;
      o.lifeCycle = { ...o.lifeCycle, ...fields };
    }
    this.#touch(o);
    return o;
  }

  view(id: string): Record<string, unknown> {
    const o = this.#byId(id);
    return { ...this.#view(o), AccountId: o.accountId, ...(o.involvementType ? { InvolvementType: o.involvementType } : {}), ...(o.visibility ? { Visibility: o.visibility } : {}) };
  }

  // ---- internals ----

  #iso(): string {
    // Partner Central's timestamps have millisecond precision; a change in the same millisecond still moves it.
    return new Date(this.#now()).toISOString();
  }

  #touch(o: StoredOpportunity): void {
    let at = this.#iso();
    if (Date.parse(at) <= Date.parse(o.lastModifiedDate)) at = new Date(Date.parse(o.lastModifiedDate) + 1).toISOString();
    o.lastModifiedDate = at;
    this.#emit(o, 'Opportunity Updated');
  }

  #emit(o: StoredOpportunity, detailType: PartnerCentralEvent['detail-type']): void {
    this.#changed();
    this.#publish({
      version: '0', id: randomUUID(), 'detail-type': detailType, source: EVENT_SOURCE, account: o.accountId, time: new Date(this.#now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: PARTNER_CENTRAL_REGION, resources: [arnOf(o)], detail: { schemaVersion: '1', catalog: o.catalog, opportunity: { identifier: o.id } },
    });
  }

  #byId(id: string): StoredOpportunity {
    const o = this.#state.opportunities.find((x) => x.id === id);
    if (!o) throw new ReviewerError(404, `No opportunity ${id} in the local Partner Central`);
    return o;
  }

  /** The caller's own opportunity in that catalog; another account's is not found (as in Partner Central). */
  #find(caller: Caller, catalog: unknown, id: unknown): StoredOpportunity {
    const o = this.#state.opportunities.find((x) => x.id === id && x.catalog === catalog && x.accountId === caller.accountId);
    if (!o) throw this.#model.error('ResourceNotFoundException', { Message: `Opportunity ${String(id)} not found in catalog ${String(catalog)}` });
    return o;
  }

  #business(field: string, message: string, code: string): ServiceError {
    return this.#model.error('ValidationException', { Message: 'The request failed business validation.', Reason: 'BUSINESS_VALIDATION_FAILED', ErrorList: [{ FieldName: field, Message: message, Code: code }] });
  }

  #view(o: StoredOpportunity): Record<string, unknown> {
    return {
      ...o.body,
      Catalog: o.catalog, Id: o.id, Arn: arnOf(o), LastModifiedDate: o.lastModifiedDate, CreatedDate: o.createdDate,
      RelatedEntityIdentifiers: { Solutions: o.solutions, AwsProducts: o.awsProducts, AwsMarketplaceOffers: [], AwsMarketplaceOfferSets: [] },
      LifeCycle: o.lifeCycle,
    };
  }

  #summary(o: StoredOpportunity): Record<string, unknown> {
    const { NextStepsHistory: _h, ...lifeCycle } = o.lifeCycle;
    const account = (o.body.Customer as { Account?: { CompanyName?: string } } | undefined)?.Account;
    return {
      Catalog: o.catalog, Id: o.id, Arn: arnOf(o), LastModifiedDate: o.lastModifiedDate, CreatedDate: o.createdDate, LifeCycle: lifeCycle,
      ...(o.body.PartnerOpportunityIdentifier ? { PartnerOpportunityIdentifier: o.body.PartnerOpportunityIdentifier } : {}),
      ...(o.body.OpportunityType ? { OpportunityType: o.body.OpportunityType } : {}),
      ...(account?.CompanyName ? { Customer: { Account: { CompanyName: account.CompanyName } } } : {}),
    };
  }
}

function partnerLifeCycle(lifeCycle: Record<string, unknown>): Record<string, unknown> {
  const { ReviewStatus: _s, ReviewComments: _c, ReviewStatusReason: _r, NextStepsHistory: _h, ...partner } = lifeCycle;
  return partner;
}

export function arnOf(o: Pick<StoredOpportunity, 'accountId' | 'catalog' | 'id'>): string {
  return `arn:aws:partnercentral:${PARTNER_CENTRAL_REGION}:${o.accountId}:catalog/${o.catalog}/opportunity/${o.id}`;
}

/** A refused reviewer move (local admin endpoint): HTTP status and why. */
export class ReviewerError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'ReviewerError';
  }
}

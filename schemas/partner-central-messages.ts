/**
 * What arrives from Partner Central through EventBridge (`aws.partnercentral-selling`): events carry ids only; the
 * handler reads the opportunity's state with GetOpportunity. Only the fields the sync needs are checked; anything
 * else in the event is passed over (the detail shape beyond `catalog` and `opportunity.identifier` is not a contract).
 */
import * as z from 'zod/mini';
import { PartnerBriefView } from './api.ts';
import { ApplicationStatus, FundingStatus, RecordStatus } from './application.ts';
import { FieldProblem } from './issues.ts';
import * as requests from './api-requests.ts';

export { PARTNER_CENTRAL_DETAIL_TYPES, PARTNER_CENTRAL_EVENT_SOURCE } from './api-requests.ts';

// The requests and inputs, built here for the OpenAPI document and the types; handlers build each on first use (./api-requests.ts).
export const PartnerCentralOpportunityEvent = requests.PartnerCentralOpportunityEvent();
export const ReconcileInput = requests.ReconcileInput();
export const SubmitViaApiRequest = requests.SubmitViaApiRequest();
export const UpdateViaApiRequest = requests.UpdateViaApiRequest();
export const FundingPatch = requests.FundingPatch();
export type PartnerCentralOpportunityEvent = z.infer<typeof PartnerCentralOpportunityEvent>;
export type SubmitViaApiRequest = z.infer<typeof SubmitViaApiRequest>;
export type UpdateViaApiRequest = z.infer<typeof UpdateViaApiRequest>;

/** The answer of `POST …/file-via-api`: the record filed through the API, and what the partner does next. */
export const FiledViaApiResponse = z.object({
  applicationId: z.string(),
  programId: z.string(),
  opportunityId: z.string().check(z.regex(/^O[0-9]{1,19}$/)),
  filedVia: z.literal('api'),
  status: ApplicationStatus,
  brief: PartnerBriefView,
  next: z.string(),
});
export type FiledViaApiResponse = z.infer<typeof FiledViaApiResponse>;

export const SubmitViaApiResponse = z.object({
  applicationId: z.string(),
  programId: z.string(),
  opportunityId: z.string(),
  solutionId: z.optional(z.string()),
  involvementType: z.enum(['Co-Sell', 'For Visibility Only']),
  visibility: z.enum(['Full', 'Limited']),
  /** Why these choices, in plain words. */
  explained: z.string(),
  /** The opportunity was already with AWS: nothing was sent. */
  replayed: z.boolean(),
  status: ApplicationStatus,
  brief: PartnerBriefView,
  next: z.string(),
});
export type SubmitViaApiResponse = z.infer<typeof SubmitViaApiResponse>;

/** `GET …/opportunity`: the opportunity as Partner Central has it now. */
export const OpportunityViaApiResponse = z.object({
  opportunityId: z.string(),
  /** Base an update on this (`basedOn`): a change made since is detected, not overwritten. */
  lastModifiedDate: z.optional(z.string()),
  reviewStatus: z.optional(z.string()),
  opportunity: z.record(z.string(), z.unknown()),
});

export const UpdateViaApiResponse = z.object({
  opportunityId: z.string(),
  lastModifiedDate: z.optional(z.string()),
  /** Partner Central already held the change (this request repeated): nothing was sent again. */
  replayed: z.boolean(),
  /** The brief's revision (its ETag) after the change was copied back into it. */
  briefRevision: z.optional(z.number()),
  next: z.string(),
});

// ---------------------------------------------------------------------------------------------------------------
// The funding request through the Partner Central Benefits API (functions/usecases/partner-central-funding.ts)

/** `GET …/funding` and `PATCH …/funding`: the benefit application as drafted/edited, and where it stands. */
export const FundingView = z.object({
  applicationId: z.string(),
  programId: z.string(),
  /** The opportunity's record status beside the funding request's. */
  recordStatus: RecordStatus,
  status: FundingStatus,
  /** The CreateBenefitApplication body (Catalog is set to your catalog when it is created). */
  createBenefitApplication: z.record(z.string(), z.unknown()),
  /** The Benefits model's objections; empty when it can be sent. */
  problems: z.array(FieldProblem),
  etag: z.string(),
  revision: z.number(),
  benefitApplicationId: z.nullable(z.string()),
  review: z.nullable(z.object({ at: z.string(), status: z.string(), reason: z.optional(z.string()), codes: z.optional(z.array(z.string())), stage: z.optional(z.string()) })),
  allocation: z.nullable(z.object({ id: z.string(), amountUsd: z.string(), startsAt: z.string(), expiresAt: z.string(), status: z.optional(z.string()) })),
  next: z.string(),
});
export type FundingView = z.infer<typeof FundingView>;

/** `POST …/funding/submit-via-api`. */
export const FundingSubmitResponse = z.object({
  applicationId: z.string(),
  programId: z.string(),
  benefitApplicationId: z.string(),
  /** Already with AWS: nothing was sent. */
  replayed: z.boolean(),
  /** The Benefits API calls made by this request (none on a replay). */
  steps: z.array(z.string()),
  funding: FundingView,
});
export type FundingSubmitResponse = z.infer<typeof FundingSubmitResponse>;

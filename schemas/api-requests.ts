/**
 * What the HTTP API and the event handlers PARSE: request bodies, query strings and event inputs, each built on its
 * first use (`ConfirmAddressRequest()` builds that schema once, then returns it), from plain values (./statuses.ts)
 * rather than the stored application's or the estimate's schemas. So a handler builds at cold start none of them, and
 * later only those its routes parse (issue 11 §1: zod schema construction is the main cold-init cost; measured, the
 * ~20 schemas here cost ~9 ms of CPU when built at module scope).
 * ./api.ts, ./operations.ts and ./partner-central-messages.ts build them all and export them beside the responses (the
 * OpenAPI document and the handler types).
 */
import * as z from 'zod/mini';
import { APPLICATION_STATUSES } from './statuses.ts';
import { UsdAmount } from './usd-amount.ts';
import { CONFIRMATION_SECRET_PATTERN, CONFIRMATION_SECRET_RULE } from './api-confirm-address.ts';
import {
  AWS_REVIEW_OUTCOME_RULE, CHANGES_MESSAGE, CLOSED_LOST_REASONS, DECLINE_REASON, EXECUTION_STATUSES, ISO_DATE_PATTERN, ISO_DATE_RULE,
  ISO_DATE_TIME_PATTERN, ISO_DATE_TIME_RULE, OPPORTUNITY_ID_PATTERN, OPPORTUNITY_ID_RULE, PAGE_CURSOR_MAX, PAGE_LIMIT_MAX, PAGE_LIMIT_RULE,
  PIPELINE_DAYS_MAX, PIPELINE_DAYS_RULE, QUERY_NUMBER_PATTERN, REVIEW_COMMENTS,
} from './request-rules.ts';

// The plain values live in ./request-rules.ts (no zod), shared with the handlers' zod-free twins
// (functions/core/request-shapes.ts); re-exported here for the OpenAPI document and the tests.
export { CLOSED_LOST_REASONS, EXECUTION_STATUSES };

/**
 * `build` run once, on the first call; the same value after. Each use is marked pure, so a bundle drops the builders
 * its handler never calls.
 */
function onFirstUse<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => (built ??= build());
}

const applicationStatus = /* @__PURE__ */ onFirstUse(() => z.enum(APPLICATION_STATUSES));

export const IsoDate = /* @__PURE__ */ onFirstUse(() => z.string().check(z.regex(ISO_DATE_PATTERN, ISO_DATE_RULE)));
export const IsoDateTime = /* @__PURE__ */ onFirstUse(() => z.string().check(z.regex(ISO_DATE_TIME_PATTERN, ISO_DATE_TIME_RULE)));

/** Query parameters every paginated route shares: page size (1-100) and the previous page's nextCursor. */
const pageLimit = /* @__PURE__ */ onFirstUse(() => z.optional(z.pipe(z.string().check(z.regex(QUERY_NUMBER_PATTERN, PAGE_LIMIT_RULE)), z.transform(Number)).check(z.gte(1, 'must be >= 1'), z.lte(PAGE_LIMIT_MAX, `must be <= ${PAGE_LIMIT_MAX}`))));
const pageCursor = /* @__PURE__ */ onFirstUse(() => z.optional(z.string().check(z.minLength(1), z.maxLength(PAGE_CURSOR_MAX))));

const Text = (min: number, max: number) => z.string().check(
  z.trim(),
  z.minLength(min, `must be at least ${min} characters`),
  z.maxLength(max, `must be at most ${max} characters`),
);

// ---------------------------------------------------------------------------------------------------------------
// Founder

/**
 * `POST /applications/{id}/confirm-email`: the secret from the mail's link (its URL fragment, `#secret=...`). The
 * founder function checks it with ConfirmAddressBody (functions/core/address-confirmation.ts) instead (no zod there; a test keeps the two the same).
 */
export const ConfirmAddressRequest = /* @__PURE__ */ onFirstUse(() => z.strictObject({
  secret: z.string().check(z.regex(CONFIRMATION_SECRET_PATTERN, CONFIRMATION_SECRET_RULE)),
}));

// ---------------------------------------------------------------------------------------------------------------
// Operations (JWT, group `ops`)

export const ListExecutionsQuery = /* @__PURE__ */ onFirstUse(() => z.strictObject({
  status: z.optional(z.enum(EXECUTION_STATUSES)),
  limit: pageLimit(),
  cursor: pageCursor(),
}));

export const OpsApplicationsQuery = /* @__PURE__ */ onFirstUse(() => z.strictObject({
  status: applicationStatus(),
  /** `oldest` (default) puts what has waited longest first: the stuck ones. */
  order: z.optional(z.enum(['oldest', 'newest'])),
  limit: pageLimit(),
  cursor: pageCursor(),
}));

export const StoryQuery = /* @__PURE__ */ onFirstUse(() => z.strictObject({
  /** `raw=1` adds the history events (execution data excluded, tokens redacted). */
  raw: z.optional(z.enum(['0', '1', 'true', 'false'])),
}));

export const StuckQuery = /* @__PURE__ */ onFirstUse(() => z.strictObject({
  status: z.optional(applicationStatus()),
  limit: pageLimit(),
  cursor: pageCursor(),
}));

export const FailedQuery = /* @__PURE__ */ onFirstUse(() => z.strictObject({ limit: pageLimit(), cursor: pageCursor() }));

export const PipelineQuery = /* @__PURE__ */ onFirstUse(() => z.strictObject({
  /** The window, in days, for time in state, conversion and partner figures (whole months where it reaches rolled-up months). */
  days: z.optional(z.pipe(z.string().check(z.regex(QUERY_NUMBER_PATTERN, PIPELINE_DAYS_RULE)), z.transform(Number)).check(z.gte(1, 'must be >= 1'), z.lte(PIPELINE_DAYS_MAX, `must be <= ${PIPELINE_DAYS_MAX}`))),
}));

const reason = /* @__PURE__ */ onFirstUse(() => z.string().check(z.trim(), z.minLength(3), z.maxLength(500)));

export const ActionRequest = /* @__PURE__ */ onFirstUse(() => z.strictObject({ reason: reason() }));
export const ReassignRequest = /* @__PURE__ */ onFirstUse(() => z.strictObject({ reason: reason(), partnerId: z.string().check(z.regex(/^[a-z0-9-]{1,64}$/)) }));

// ---------------------------------------------------------------------------------------------------------------
// Partner (JWT, group `partner`, claim `custom:partnerId`; only applications assigned to the caller)

export const PartnerQueueQuery = /* @__PURE__ */ onFirstUse(() => z.strictObject({
  status: z.optional(applicationStatus()),
  limit: pageLimit(),
  cursor: pageCursor(),
}));

/** RFC 7396 JSON Merge Patch on the CreateOpportunity body (`null` removes a field). */
export const BriefPatch = /* @__PURE__ */ onFirstUse(() => z.record(z.string(), z.unknown()));

export const RequestChangesRequest = /* @__PURE__ */ onFirstUse(() => z.strictObject({ message: Text(CHANGES_MESSAGE.min, CHANGES_MESSAGE.max) }));
export const DeclineRequest = /* @__PURE__ */ onFirstUse(() => z.strictObject({ reason: Text(DECLINE_REASON.min, DECLINE_REASON.max) }));

export const FiledRequest = /* @__PURE__ */ onFirstUse(() => z.strictObject({
  opportunityId: z.string().check(z.regex(OPPORTUNITY_ID_PATTERN, OPPORTUNITY_ID_RULE)),
  filedAt: z.optional(IsoDateTime()),
}));

/** The closed-lost codes come from the Partner Central service model (LifeCycle.ClosedLostReason). */
export const AwsReviewRequest = /* @__PURE__ */ onFirstUse(() => z.discriminatedUnion('outcome', [
  z.strictObject({ outcome: z.literal('in-review'), comments: z.optional(Text(REVIEW_COMMENTS.min, REVIEW_COMMENTS.max)) }),
  z.strictObject({ outcome: z.literal('action-required'), comments: Text(REVIEW_COMMENTS.min, REVIEW_COMMENTS.max) }),
  z.strictObject({ outcome: z.literal('approved'), amountUsd: UsdAmount, expiresOn: IsoDate(), comments: z.optional(Text(REVIEW_COMMENTS.min, REVIEW_COMMENTS.max)) }),
  z.strictObject({ outcome: z.literal('rejected'), reason: z.enum(CLOSED_LOST_REASONS), comments: z.optional(Text(REVIEW_COMMENTS.min, REVIEW_COMMENTS.max)) }),
], { error: AWS_REVIEW_OUTCOME_RULE }));

export const CreditsRequest = /* @__PURE__ */ onFirstUse(() => z.strictObject({ amountUsd: UsdAmount, appliedOn: IsoDate(), expiresOn: IsoDate() }));

// ---------------------------------------------------------------------------------------------------------------
// Partner Central: the partner's API filing routes, its events and the scheduled reconciliation

/** `POST …/submit-via-api`: associate a solution and submit for AWS review (again after Action Required). */
export const SubmitViaApiRequest = /* @__PURE__ */ onFirstUse(() => z.strictObject({
  /** The Partner Central solution to associate; default: the profile's `filing.solutionId`, else your only Active one. */
  solutionId: z.optional(z.string().check(z.regex(/^S-[0-9]{1,19}$/, 'must be a Partner Central solution id (S-…)'))),
  /** Default Co-Sell: funding is decided with an AWS account team engaged. */
  involvementType: z.optional(z.enum(['Co-Sell', 'For Visibility Only'])),
  /** Default Full: AWS's reviewers see the customer details they need. */
  visibility: z.optional(z.enum(['Full', 'Limited'])),
}));
export type SubmitViaApiRequest = z.infer<ReturnType<typeof SubmitViaApiRequest>>;

/** `POST …/update-via-api`: UpdateOpportunity under Action Required. */
export const UpdateViaApiRequest = /* @__PURE__ */ onFirstUse(() => z.strictObject({
  /** The `lastModifiedDate` you read with GET …/opportunity. */
  basedOn: z.iso.datetime({ offset: true }),
  /** UpdateOpportunity members to replace (e.g. Customer, Project, LifeCycle.NextSteps); validated by Partner Central. */
  changes: z.record(z.string(), z.unknown()),
}));
export type UpdateViaApiRequest = z.infer<ReturnType<typeof UpdateViaApiRequest>>;

/** `PATCH …/funding`: an RFC 7396 merge patch of the CreateBenefitApplication body. */
export const FundingPatch = /* @__PURE__ */ onFirstUse(() => z.record(z.string(), z.unknown()));

export const PARTNER_CENTRAL_EVENT_SOURCE = 'aws.partnercentral-selling';
/** detail-types the sync follows. */
export const PARTNER_CENTRAL_DETAIL_TYPES = ['Opportunity Created', 'Opportunity Updated'] as const;

export const PartnerCentralOpportunityEvent = /* @__PURE__ */ onFirstUse(() => z.object({
  id: z.string().check(z.minLength(1)),
  source: z.literal(PARTNER_CENTRAL_EVENT_SOURCE),
  'detail-type': z.enum(PARTNER_CENTRAL_DETAIL_TYPES),
  detail: z.object({
    catalog: z.enum(['AWS', 'Sandbox']),
    opportunity: z.object({ identifier: z.string().check(z.regex(/^O[0-9]{1,19}$/, 'must be an opportunity id (O + digits)')) }),
  }),
}));
export type PartnerCentralOpportunityEvent = z.infer<ReturnType<typeof PartnerCentralOpportunityEvent>>;

/** The scheduled reconciliation's fixed input. */
export const ReconcileInput = /* @__PURE__ */ onFirstUse(() => z.object({ reconcile: z.literal('partner-central') }));

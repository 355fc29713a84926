/**
 * The operations reads' query strings (functions/http/ops.ts, ops-insights.ts), the partner function's query string
 * and decision bodies (functions/http/partner.ts) and the brief edit's merge patch (functions/http/partner-briefs.ts),
 * checked without zod so those functions do not carry zod's core (issue 11 §1: ~11-22 KB of each bundle). Each is a
 * twin of a zod schema in schemas/api-requests.ts, which stays the
 * source of the types and of docs/openapi.json; both build on the same values (schemas/request-rules.ts) and
 * test/unit/request-shapes.test.ts holds each pair to the same value or the same `{ field, rule }` problems.
 */
import type * as Requests from '../../schemas/api-requests.ts';
import { APPLICATION_STATUSES } from '../../schemas/statuses.ts';
import {
  AWS_REVIEW_OUTCOME_RULE, CHANGES_MESSAGE, CLOSED_LOST_REASONS, DECLINE_REASON, EXECUTION_STATUSES, ISO_DATE_PATTERN, ISO_DATE_RULE,
  ISO_DATE_TIME_PATTERN, ISO_DATE_TIME_RULE, OPPORTUNITY_ID_PATTERN, OPPORTUNITY_ID_RULE, PAGE_CURSOR_MAX, PAGE_LIMIT_MAX, PAGE_LIMIT_RULE,
  PIPELINE_DAYS_MAX, PIPELINE_DAYS_RULE, QUERY_NUMBER_PATTERN, REVIEW_COMMENTS, USD_AMOUNT_PATTERN, USD_AMOUNT_RULE,
} from '../../schemas/request-rules.ts';
import { object, oneOf, optional, record, text, variants, wholeNumber, type InputShape } from './input-shape.ts';

/** The parsed type of a request schema of schemas/api-requests.ts (which stays the source of the types). */
type Parsed<S extends () => { _zod: { output: unknown } }> = ReturnType<S>['_zod']['output'];

const strict = { strict: true } as const;
// Shapes hold no state, so one may serve several fields. Every builder call is marked pure (esbuild keeps a call it
// cannot prove free of side effects, nested ones included), so a bundle drops each shape its handler does not check.
const pageLimit = /* @__PURE__ */ optional(/* @__PURE__ */ wholeNumber({ pattern: QUERY_NUMBER_PATTERN, patternRule: PAGE_LIMIT_RULE, min: 1, max: PAGE_LIMIT_MAX }));
const pageCursor = /* @__PURE__ */ optional(/* @__PURE__ */ text({ min: 1, max: PAGE_CURSOR_MAX }));
/**
 * A trimmed text of these limits (as the zod schemas' Text reads it). A function, because a pure call whose argument
 * spreads an object is kept (a spread may run a getter), and with it the shape a bundle never checks.
 */
const trimmed = (limits: { readonly min: number; readonly max: number }) => text({ trim: true, ...limits });
const comments = /* @__PURE__ */ trimmed(REVIEW_COMMENTS);
const isoDate = /* @__PURE__ */ text({ pattern: ISO_DATE_PATTERN, patternRule: ISO_DATE_RULE });
const usdAmount = /* @__PURE__ */ text({ pattern: USD_AMOUNT_PATTERN, patternRule: USD_AMOUNT_RULE });

// ---- operations (GET /ops/...) ----

export const ListExecutionsShape: InputShape<Parsed<typeof Requests.ListExecutionsQuery>> = /* @__PURE__ */ object({
  status: /* @__PURE__ */ optional(/* @__PURE__ */ oneOf(EXECUTION_STATUSES)), limit: pageLimit, cursor: pageCursor,
}, strict);

export const OpsApplicationsShape: InputShape<Parsed<typeof Requests.OpsApplicationsQuery>> = /* @__PURE__ */ object({
  status: /* @__PURE__ */ oneOf(APPLICATION_STATUSES), order: /* @__PURE__ */ optional(/* @__PURE__ */ oneOf(['oldest', 'newest'])), limit: pageLimit, cursor: pageCursor,
}, strict);

export const StoryShape: InputShape<Parsed<typeof Requests.StoryQuery>> = /* @__PURE__ */ object({
  raw: /* @__PURE__ */ optional(/* @__PURE__ */ oneOf(['0', '1', 'true', 'false'])),
}, strict);

export const StuckShape: InputShape<Parsed<typeof Requests.StuckQuery>> = /* @__PURE__ */ object({
  status: /* @__PURE__ */ optional(/* @__PURE__ */ oneOf(APPLICATION_STATUSES)), limit: pageLimit, cursor: pageCursor,
}, strict);

export const FailedShape: InputShape<Parsed<typeof Requests.FailedQuery>> = /* @__PURE__ */ object({ limit: pageLimit, cursor: pageCursor }, strict);

export const PipelineShape: InputShape<Parsed<typeof Requests.PipelineQuery>> = /* @__PURE__ */ object({
  days: /* @__PURE__ */ optional(/* @__PURE__ */ wholeNumber({ pattern: QUERY_NUMBER_PATTERN, patternRule: PIPELINE_DAYS_RULE, min: 1, max: PIPELINE_DAYS_MAX })),
}, strict);

// ---- partner (GET /partner/applications, POST /partner/applications/{id}/...) ----

export const PartnerQueueShape: InputShape<Parsed<typeof Requests.PartnerQueueQuery>> = /* @__PURE__ */ object({
  status: /* @__PURE__ */ optional(/* @__PURE__ */ oneOf(APPLICATION_STATUSES)), limit: pageLimit, cursor: pageCursor,
}, strict);

/**
 * A brief edit's body (functions/http/partner-briefs.ts): a JSON Merge Patch of the CreateOpportunity body, any JSON
 * object; what it may change and the brief it makes are checked after the merge (core/ace/edit.ts, validate.ts).
 */
export const BriefPatchShape: InputShape<Parsed<typeof Requests.BriefPatch>> = /* @__PURE__ */ record();

/**
 * A funding edit's body (functions/http/partner-funding.ts): a JSON Merge Patch of the CreateBenefitApplication body,
 * any JSON object, checked after the merge (core/ace/funding-draft.ts).
 */
export const FundingPatchShape: InputShape<Parsed<typeof Requests.FundingPatch>> = /* @__PURE__ */ record();

export const RequestChangesShape: InputShape<Parsed<typeof Requests.RequestChangesRequest>> = /* @__PURE__ */ object({
  message: /* @__PURE__ */ trimmed(CHANGES_MESSAGE),
}, strict);

export const DeclineShape: InputShape<Parsed<typeof Requests.DeclineRequest>> = /* @__PURE__ */ object({
  reason: /* @__PURE__ */ trimmed(DECLINE_REASON),
}, strict);

export const FiledShape: InputShape<Parsed<typeof Requests.FiledRequest>> = /* @__PURE__ */ object({
  opportunityId: /* @__PURE__ */ text({ pattern: OPPORTUNITY_ID_PATTERN, patternRule: OPPORTUNITY_ID_RULE }),
  filedAt: /* @__PURE__ */ optional(/* @__PURE__ */ text({ pattern: ISO_DATE_TIME_PATTERN, patternRule: ISO_DATE_TIME_RULE })),
}, strict);

/** One of four fixed bodies (at most four scalar fields each), told apart by `outcome`. */
export const AwsReviewShape: InputShape<Parsed<typeof Requests.AwsReviewRequest>> = /* @__PURE__ */ variants('outcome', {
  'in-review': /* @__PURE__ */ object({ outcome: /* @__PURE__ */ oneOf(['in-review']), comments: /* @__PURE__ */ optional(comments) }, strict),
  'action-required': /* @__PURE__ */ object({ outcome: /* @__PURE__ */ oneOf(['action-required']), comments: comments }, strict),
  approved: /* @__PURE__ */ object({
    outcome: /* @__PURE__ */ oneOf(['approved']), amountUsd: usdAmount, expiresOn: isoDate, comments: /* @__PURE__ */ optional(comments),
  }, strict),
  rejected: /* @__PURE__ */ object({ outcome: /* @__PURE__ */ oneOf(['rejected']), reason: /* @__PURE__ */ oneOf(CLOSED_LOST_REASONS), comments: /* @__PURE__ */ optional(comments) }, strict),
}, AWS_REVIEW_OUTCOME_RULE);

export const CreditsShape: InputShape<Parsed<typeof Requests.CreditsRequest>> = /* @__PURE__ */ object({
  amountUsd: usdAmount, appliedOn: isoDate, expiresOn: isoDate,
}, strict);

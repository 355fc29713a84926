/**
 * The plain values (no zod) behind the request schemas of ./api-requests.ts: enum lists, patterns and their rules'
 * wording. The zod schemas (the OpenAPI source) and the zod-free twins the handlers check with
 * (functions/core/request-shapes.ts; issue 11 §1: importing zod at all adds ~13 KB to a bundle) both build on them,
 * so the two cannot drift apart; test/unit/request-shapes.test.ts holds them to the same answers.
 */

export const EXECUTION_STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'] as const;

/**
 * ACE's ClosedLostReason values, as in the generated model (test/unit/data-checks.test.ts checks they are the same):
 * written out here so that every function using the API schemas does not build the whole generated CreateOpportunity
 * schema at its cold start (issue 11 §1).
 */
export const CLOSED_LOST_REASONS = ["Customer Deficiency", "Delay / Cancellation of Project", "Legal / Tax / Regulatory", "Lost to Competitor - Google", "Lost to Competitor - Microsoft", "Lost to Competitor - SoftLayer", "Lost to Competitor - VMWare", "Lost to Competitor - Other", "No Opportunity", "On Premises Deployment", "Partner Gap", "Price", "Security / Compliance", "Technical Limitations", "Customer Experience", "Other", "People/Relationship/Governance", "Product/Technology", "Financial/Commercial"] as const;

export const ISO_DATE_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
export const ISO_DATE_RULE = 'must be a date YYYY-MM-DD';
export const ISO_DATE_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
export const ISO_DATE_TIME_RULE = 'must be an ISO 8601 date-time such as 2026-12-01T12:00:00Z';

/** A non-negative USD amount as a decimal string with at most two decimals, e.g. "1234.50". */
export const USD_AMOUNT_PATTERN = /^(0|[1-9]\d*)(\.\d{1,2})?$/;
export const USD_AMOUNT_RULE = 'must be a USD amount like 1234.50';

export const OPPORTUNITY_ID_PATTERN = /^O\d+$/;
export const OPPORTUNITY_ID_RULE = "must be an ACE opportunity id: 'O' followed by digits";

/** Query parameters every paginated route shares: page size (1-100) and the previous page's nextCursor (1-4096 characters). */
export const PAGE_LIMIT_MAX = 100;
export const PAGE_LIMIT_RULE = 'must be a whole number from 1 to 100';
export const PAGE_CURSOR_MAX = 4096;

/** `GET /ops/pipeline?days=`: the window in days. */
export const PIPELINE_DAYS_MAX = 366;
export const PIPELINE_DAYS_RULE = 'must be a whole number of days from 1 to 366';

/** A query string's whole number: one to three digits (then bounded by the schema). */
export const QUERY_NUMBER_PATTERN = /^\d{1,3}$/;

/** The partner's free-text bodies: request changes (`message`) and decline (`reason`), trimmed first. */
export const CHANGES_MESSAGE = { min: 10, max: 2000 } as const;
export const DECLINE_REASON = { min: 5, max: 1000 } as const;
export const REVIEW_COMMENTS = { min: 1, max: 2000 } as const;
export const AWS_REVIEW_OUTCOMES = ['in-review', 'action-required', 'approved', 'rejected'] as const;
/** Written out (a computed string would be kept by every bundle importing this module). */
export const AWS_REVIEW_OUTCOME_RULE = 'must be one of: "in-review", "action-required", "approved", "rejected"';

/** Request and response shapes of the HTTP API: the source of the OpenAPI document and of handler types. */
import * as z from 'zod/mini';
import { FieldProblem } from './issues.ts';
import { FundingStatus, ApplicationStatus, ACTOR_KINDS, RecordStatus } from './application.ts';
import { DataAge, EstimateWarning, QualifiedFigure } from './estimate.ts';
import { Worksheet } from './worksheet.ts';
import * as requests from './api-requests.ts';

export { CLOSED_LOST_REASONS, EXECUTION_STATUSES } from './api-requests.ts';

// The requests, built here for the OpenAPI document and the types; handlers build each on first use (./api-requests.ts).
export const ConfirmAddressRequest = requests.ConfirmAddressRequest();
export const ListExecutionsQuery = requests.ListExecutionsQuery();
export const OpsApplicationsQuery = requests.OpsApplicationsQuery();
export const PartnerQueueQuery = requests.PartnerQueueQuery();
export const BriefPatch = requests.BriefPatch();
export const RequestChangesRequest = requests.RequestChangesRequest();
export const DeclineRequest = requests.DeclineRequest();
export const FiledRequest = requests.FiledRequest();
export const AwsReviewRequest = requests.AwsReviewRequest();
export const CreditsRequest = requests.CreditsRequest();

export const ErrorResponse = z.object({
  error: z.string(),
  message: z.string(),
  problems: z.optional(z.array(FieldProblem)),
  currentState: z.optional(z.string()),
  /** On 412: the brief's current ETag (also sent as the `ETag` header). */
  currentETag: z.optional(z.string()),
  requestId: z.optional(z.string()),
});

export const SubmitWorksheetResponse = z.object({
  applicationId: z.string(),
  status: ApplicationStatus,
  /** Bearer token for GET /applications/{id}. Shown once; only its hash is stored. */
  founderToken: z.string(),
  /** True when this answers a repeated request with the same Idempotency-Key and worksheet. */
  replayed: z.boolean(),
  links: z.object({ application: z.string(), openapi: z.string() }),
});

const Validation = z.object({ valid: z.boolean(), problems: z.array(FieldProblem) });

/** One stacked ACE record's status and what AWS decided about it. */
export const RecordView = z.object({
  status: RecordStatus,
  opportunityId: z.nullable(z.string()),
  filedAt: z.nullable(z.string()),
  awsReview: z.nullable(z.object({ at: z.string(), comments: z.optional(z.string()), reason: z.optional(z.string()) })),
  award: z.nullable(z.object({ amountUsd: z.string(), expiresOn: z.string() })),
  credits: z.nullable(z.object({ amountUsd: z.string(), appliedOn: z.string(), expiresOn: z.string() })),
  /** The funding request through the Partner Central Benefits API (programs funded that way), beside the opportunity's status. */
  funding: z.nullable(z.object({
    status: FundingStatus,
    /** In plain words, for the founder. */
    says: z.string(),
    benefitApplicationId: z.nullable(z.string()),
    allocation: z.nullable(z.object({ amountUsd: z.string(), startsAt: z.string(), expiresAt: z.string() })),
  })),
});
export type RecordView = z.infer<typeof RecordView>;

export const BriefView = z.object({
  programId: z.string(),
  createOpportunity: z.record(z.string(), z.unknown()),
  validation: Validation,
  record: RecordView,
});

export const CreditsSummary = z.object({
  /** Sum of the credit amounts AWS approved (records not rejected). */
  awardedUsd: z.string(),
  /** Sum of the credits applied to the AWS account. */
  appliedUsd: z.string(),
});

export const TimelineEntry = z.object({
  at: z.string(),
  from: z.nullable(ApplicationStatus),
  to: ApplicationStatus,
  by: z.enum(ACTOR_KINDS),
  reason: z.string(),
  record: z.optional(z.object({ programId: z.string(), from: RecordStatus, to: RecordStatus })),
  funding: z.optional(z.object({ programId: z.string(), from: z.nullable(FundingStatus), to: FundingStatus })),
});

/** The data under a stored estimate, aged to the moment of the request (null before the application is sized). */
export const EstimateData = z.nullable(z.object({
  dataAge: DataAge,
  /** One per data file past its threshold now. */
  warnings: z.array(EstimateWarning),
  /** The figures that rest on stale, unverified or assumed data, and what each rests on. */
  qualifiedFigures: z.array(QualifiedFigure),
}));

export const FounderApplicationView = z.object({
  id: z.string(),
  status: ApplicationStatus,
  createdAt: z.string(),
  updatedAt: z.string(),
  company: z.string(),
  estimate: z.nullable(z.unknown()),
  estimateData: EstimateData,
  programs: z.nullable(z.unknown()),
  briefs: z.array(BriefView),
  credits: CreditsSummary,
  /** The partner's open change request (its message), while the application waits on a revision. */
  changeRequest: z.nullable(z.object({ at: z.string(), message: z.string() })),
  partner: z.nullable(z.object({ id: z.string(), name: z.string(), assignedAt: z.string(), reasons: z.array(z.string()) })),
  failure: z.nullable(z.object({ at: z.string(), state: z.string(), error: z.string() })),
  /** Whether the contact address is confirmed; until then nothing is routed. Never the secret or its hash. */
  addressConfirmation: z.object({
    confirmed: z.boolean(),
    confirmedAt: z.nullable(z.string()),
    /** While waiting: when the latest mail's link stops working (then the application is closed). */
    linkExpiresAt: z.nullable(z.string()),
    mailsSent: z.number(),
  }),
  timeline: z.array(TimelineEntry),
});
export type FounderApplicationView = z.infer<typeof FounderApplicationView>;

export const ExecutionsPage = z.object({
  items: z.array(z.object({
    executionArn: z.string(),
    applicationId: z.string(),
    status: z.string(),
    startDate: z.optional(z.string()),
    stopDate: z.optional(z.string()),
  })),
  nextCursor: z.nullable(z.string()),
});

// ---------------------------------------------------------------------------------------------------------------
// Founder: revise and withdraw

/** `POST /applications/{id}/revisions` takes a full worksheet, validated exactly like intake. */
export const RevisionRequest = Worksheet;

export const ApplicationStatusResponse = z.object({
  applicationId: z.string(),
  status: ApplicationStatus,
  links: z.object({ application: z.string() }),
});

export const ConfirmAddressResponse = z.object({
  applicationId: z.string(),
  status: ApplicationStatus,
  addressConfirmed: z.literal(true),
  /** True when this secret had already confirmed the address (a repeated click). */
  replayed: z.boolean(),
  links: z.object({ application: z.string() }),
});

export const ResendConfirmationResponse = z.object({
  applicationId: z.string(),
  status: ApplicationStatus,
  /** Confirmation mails asked for so far, this one included. */
  confirmationMails: z.number(),
  links: z.object({ application: z.string() }),
});

// ---------------------------------------------------------------------------------------------------------------
// Operations (JWT, group `ops`)

export const OpsApplicationItem = z.object({
  id: z.string(),
  status: ApplicationStatus,
  company: z.string(),
  updatedAt: z.string(),
  /** Hours since the last transition: how long it has been in this status. */
  hoursInStatus: z.number(),
  /** Why it is here: the reason recorded with the last transition (e.g. why no partner matched). */
  lastReason: z.string(),
  partnerId: z.nullable(z.string()),
  failure: z.nullable(z.object({ state: z.string(), error: z.string(), cause: z.string() })),
  executionArn: z.nullable(z.string()),
});
export type OpsApplicationItem = z.infer<typeof OpsApplicationItem>;

export const OpsApplicationsPage = z.object({ items: z.array(OpsApplicationItem), nextCursor: z.nullable(z.string()) });

/** One application as operations see it: where it is and why, its records, and every transition. */
export const OpsApplicationDetail = z.object({
  ...OpsApplicationItem.shape,
  /** `funding`: the record's funding request through the Partner Central Benefits API, if its program is funded that way. */
  records: z.array(z.object({ programId: z.string(), status: RecordStatus, opportunityId: z.nullable(z.string()), funding: z.nullable(FundingStatus) })),
  passedOverBy: z.array(z.string()),
  timeline: z.array(TimelineEntry),
});
export type OpsApplicationDetail = z.infer<typeof OpsApplicationDetail>;

// ---------------------------------------------------------------------------------------------------------------
// Partner (JWT, group `partner`, claim `custom:partnerId`; only applications assigned to the caller)

export const PartnerQueueItem = z.object({
  id: z.string(),
  status: ApplicationStatus,
  company: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  records: z.array(z.object({ programId: z.string(), status: RecordStatus })),
  links: z.object({ application: z.string() }),
});
export type PartnerQueueItem = z.infer<typeof PartnerQueueItem>;

export const PartnerQueuePage = z.object({ items: z.array(PartnerQueueItem), nextCursor: z.nullable(z.string()) });

export const PartnerBriefView = z.object({
  programId: z.string(),
  /** Send it back as `If-Match` when editing the brief. */
  etag: z.string(),
  revision: z.number(),
  createOpportunity: z.record(z.string(), z.unknown()),
  validation: Validation,
  record: RecordView,
  editedAt: z.nullable(z.string()),
  /** Which numbers of this brief (its ask, coverage and spend lines) rest on stale, unverified or assumed data: read before approving. */
  estimateData: EstimateData,
  links: z.object({ application: z.string(), edit: z.string(), createOpportunity: z.string() }),
});
export type PartnerBriefView = z.infer<typeof PartnerBriefView>;

/** Another application that looks like the same customer (ACE closes duplicates as lost). */
export const DuplicateView = z.object({
  applicationId: z.string(),
  matchedOn: z.array(z.enum(['account', 'domain', 'company'])),
  status: ApplicationStatus,
  createdAt: z.string(),
  company: z.string(),
  records: z.array(z.object({ programId: z.string(), status: RecordStatus, opportunityId: z.nullable(z.string()) })),
  /** Whether it is in your own queue (then `link` opens it); otherwise another partner or operations hold it. */
  assignedToYou: z.boolean(),
  link: z.nullable(z.string()),
});
export type DuplicateView = z.infer<typeof DuplicateView>;

export const PartnerApplicationView = z.object({
  id: z.string(),
  status: ApplicationStatus,
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  assignedAt: z.nullable(z.string()),
  worksheet: z.unknown(),
  estimate: z.nullable(z.unknown()),
  estimateData: EstimateData,
  briefs: z.array(PartnerBriefView),
  credits: CreditsSummary,
  duplicates: z.array(DuplicateView),
  timeline: z.array(TimelineEntry),
});
export type PartnerApplicationView = z.infer<typeof PartnerApplicationView>;

export const DecisionResponse = z.object({
  applicationId: z.string(),
  decision: z.enum(['approved', 'changes_requested', 'declined']),
  /** The status this decision produced. */
  status: ApplicationStatus,
  at: z.string(),
});
export type DecisionResponse = z.infer<typeof DecisionResponse>;

export const RecordResponse = z.object({
  applicationId: z.string(),
  status: ApplicationStatus,
  brief: PartnerBriefView,
  /** Recorded, but worth a second look: e.g. credits that differ from what AWS approved. */
  warnings: z.optional(z.array(FieldProblem)),
});

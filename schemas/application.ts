/**
 * The application: one founder's worksheet on its way to credits, as the core sees it (the whole timeline, the
 * estimate, the brief bodies). Stored as several items (schemas/stored-application.ts): every status change is one
 * conditional write of the head that carries the new transition, so a status change and its audit record can never
 * disagree (dynalite has no transactions; AWS would not need them either).
 */
import * as z from 'zod/mini';
import { Worksheet } from './worksheet.ts';
import { FieldProblem } from './issues.ts';
import { Estimate } from './estimate.ts';

import { APPLICATION_STATUSES } from './statuses.ts';

export { APPLICATION_STATUSES } from './statuses.ts';
export const ApplicationStatus = z.enum(APPLICATION_STATUSES);
export type ApplicationStatus = z.infer<typeof ApplicationStatus>;

/**
 * Each stacked ACE record has its own status inside the application (one per drafted brief).
 * draft → approved_for_filing → filed → in_aws_review ⇄ action_required → approved → credits_applied → expired,
 * or → rejected. `revision` counts edits of the body: it is the brief's ETag.
 */
export const RECORD_STATUSES = [
  'draft', 'approved_for_filing', 'filed', 'in_aws_review', 'action_required', 'approved', 'rejected', 'credits_applied', 'expired',
] as const;
export const RecordStatus = z.enum(RECORD_STATUSES);
export type RecordStatus = z.infer<typeof RecordStatus>;

/**
 * The funding request that follows an approved opportunity for a program funded through the Partner Central Benefits
 * API (data/benefits.json): drafted with the approval → created (the partner's "send it": CreateBenefitApplication)
 * → submitted (associated with the opportunity and submitted) → in_review ⇄ action_required → approved → allocated
 * (the record's credits applied) | rejected. Rules: functions/core/application/funding.ts.
 */
export const FUNDING_STATUSES = [
  'drafted', 'created', 'submitted', 'in_review', 'action_required', 'approved', 'allocated', 'rejected',
] as const;
export const FundingStatus = z.enum(FUNDING_STATUSES);
export type FundingStatus = z.infer<typeof FundingStatus>;

export const FundingState = z.object({
  status: FundingStatus,
  /** The CreateBenefitApplication input (Catalog forced to the partner's at creation). */
  body: z.record(z.string(), z.unknown()),
  /** The Benefits model's objections to the body (empty when it may be sent). */
  problems: z.array(FieldProblem),
  /** Edit counter, the ETag's first half; 1 when drafted. */
  revision: z.number(),
  editedAt: z.optional(z.string()),
  editedBy: z.optional(z.string()),
  benefitApplicationId: z.optional(z.string()),
  catalog: z.optional(z.string()),
  /** Partner Central's status and reason as last seen (GetBenefitApplication). */
  review: z.optional(z.object({ at: z.string(), status: z.string(), reason: z.optional(z.string()), codes: z.optional(z.array(z.string())), stage: z.optional(z.string()) })),
  /** The Revision of the application at AWS when last read (UpdateBenefitApplication needs it). */
  awsRevision: z.optional(z.string()),
  /** The body revision last sent to Partner Central (a later edit is sent with UpdateBenefitApplication on resubmission). */
  sentRevision: z.optional(z.number()),
  allocation: z.optional(z.object({ id: z.string(), amountUsd: z.string(), startsAt: z.string(), expiresAt: z.string(), status: z.optional(z.string()) })),
});
export type FundingState = z.infer<typeof FundingState>;

export const RecordState = z.object({
  status: RecordStatus,
  /** ACE opportunity id once filed (`O` + digits). */
  opportunityId: z.optional(z.string()),
  filedAt: z.optional(z.string()),
  /** How it was filed: through the Partner Central API by this service, or by hand in the console. */
  filedVia: z.optional(z.enum(['api', 'manual'])),
  /** AWS's latest review feedback (Action Required comments, rejection reason). */
  awsReview: z.optional(z.object({ at: z.string(), comments: z.optional(z.string()), reason: z.optional(z.string()) })),
  /** What AWS approved: the credit amount and its expiry. */
  award: z.optional(z.object({ amountUsd: z.string(), expiresOn: z.string() })),
  credits: z.optional(z.object({ amountUsd: z.string(), appliedOn: z.string(), expiresOn: z.string() })),
  /** Expiry reminders already sent (days before expiry: 60, 30). */
  remindersSent: z.optional(z.array(z.number())),
  /** The funding request through the Partner Central Benefits API, for programs funded that way. */
  funding: z.optional(FundingState),
});
export type RecordState = z.infer<typeof RecordState>;

export const ACTOR_KINDS = ['founder', 'partner', 'ops', 'system'] as const;
export const Actor = z.object({
  kind: z.enum(ACTOR_KINDS),
  /** Partner id, ops user `sub`, or the workflow task name; never an email. */
  id: z.string(),
});
export type Actor = z.infer<typeof Actor>;

export const Transition = z.object({
  at: z.string(),
  actor: Actor,
  from: z.nullable(ApplicationStatus),
  to: ApplicationStatus,
  reason: z.string(),
  /** Set when the change concerns one stacked ACE record: its program and record status before and after. */
  record: z.optional(z.object({ programId: z.string(), from: RecordStatus, to: RecordStatus })),
  /** Set when the change concerns a record's funding request: its status before (null: drafted now) and after. */
  funding: z.optional(z.object({ programId: z.string(), from: z.nullable(FundingStatus), to: FundingStatus })),
  /** The item version this transition produced (1 for the first write). */
  version: z.number(),
});
export type Transition = z.infer<typeof Transition>;

export const PartnerAssignment = z.object({
  partnerId: z.string(),
  partnerName: z.string(),
  assignedAt: z.string(),
  /** Why this partner: the matcher's explanation, shown to operations and the founder. */
  reasons: z.array(z.string()),
});
export type PartnerAssignment = z.infer<typeof PartnerAssignment>;

export const StoredBrief = z.object({
  programId: z.string(),
  body: z.record(z.string(), z.unknown()),
  problems: z.array(FieldProblem),
  /** Edit counter, the brief's ETag; 1 when drafted. */
  revision: z.optional(z.number()),
  /** Last partner edit of the body (not a status change, so not in `transitions`). */
  editedAt: z.optional(z.string()),
  editedBy: z.optional(z.string()),
  record: z.optional(RecordState),
});
export type StoredBrief = z.infer<typeof StoredBrief>;

export const Failure = z.object({
  at: z.string(),
  state: z.string(),
  error: z.string(),
  cause: z.string(),
  /** Status the application had when the workflow failed, so a redrive can resume from it. */
  failedFrom: ApplicationStatus,
});

/**
 * The founder's address confirmation (functions/core/address-confirmation.ts): nothing is routed, booked or mailed to
 * a partner before it is confirmed. The secret itself is never stored, only its hash, and only until it is used.
 */
export const AddressConfirmation = z.object({
  /** Confirmation mails asked for: 1 at intake, +1 per accepted resend. */
  requested: z.number(),
  /** The number of the latest confirmation mail sent (equal to `requested` once it went out). */
  sent: z.number(),
  /** sha256 of the live secret; removed when it is used. */
  secretHash: z.optional(z.string()),
  /** When the live secret stops working (the workflow's wait times out then). */
  expiresAt: z.optional(z.string()),
  lastSentAt: z.optional(z.string()),
  confirmedAt: z.optional(z.string()),
  /** Hash of the secret that confirmed, so a repeated click converges instead of failing. */
  confirmedHash: z.optional(z.string()),
  /**
   * The number of the first confirmation mail to the current address: 1, or the mail a revision that changed the
   * contact address asked for (the resend cap counts from it). Absent means 1.
   */
  firstMail: z.optional(z.number()),
});
export type AddressConfirmation = z.infer<typeof AddressConfirmation>;

export const Application = z.object({
  id: z.string(),
  status: ApplicationStatus,
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  worksheet: Worksheet,
  /** sha256 of the canonical worksheet, to tell an idempotent replay from a conflicting reuse of a key. */
  requestHash: z.string(),
  /** sha256 of the latest revised worksheet (the intake hash above never changes, so a replayed submission still matches). */
  revisionHash: z.optional(z.string()),
  /** sha256 hashes of the founder access tokens issued for this application (never the tokens). */
  founderTokenHashes: z.array(z.string()),
  /** Absent on applications stored before confirmation existed (they count as confirmed). */
  addressConfirmation: z.optional(AddressConfirmation),
  estimate: z.optional(Estimate),
  briefs: z.optional(z.array(StoredBrief)),
  partner: z.optional(PartnerAssignment),
  /** Partners that declined or let the review SLA lapse: routing skips them for this application. */
  passedOverBy: z.optional(z.array(z.string())),
  executionArn: z.optional(z.string()),
  failure: z.optional(Failure),
  /** Notification keys already sent, so a retried Notify task never mails twice. */
  notified: z.optional(z.array(z.string())),
  transitions: z.array(Transition),
});
export type Application = z.infer<typeof Application>;

/** Request and response shapes of the HTTP API: the source of the OpenAPI document and of handler types. */
import * as z from 'zod/mini';
import { FieldProblem } from './issues.ts';
import { ApplicationStatus, ACTOR_KINDS } from './application.ts';

export const ErrorResponse = z.object({
  error: z.string(),
  message: z.string(),
  problems: z.optional(z.array(FieldProblem)),
  currentState: z.optional(z.string()),
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

export const BriefView = z.object({
  programId: z.string(),
  createOpportunity: z.record(z.string(), z.unknown()),
  validation: z.object({ valid: z.boolean(), problems: z.array(FieldProblem) }),
});

export const TimelineEntry = z.object({
  at: z.string(),
  from: z.nullable(ApplicationStatus),
  to: ApplicationStatus,
  by: z.enum(ACTOR_KINDS),
  reason: z.string(),
});

export const FounderApplicationView = z.object({
  id: z.string(),
  status: ApplicationStatus,
  createdAt: z.string(),
  updatedAt: z.string(),
  company: z.string(),
  estimate: z.nullable(z.unknown()),
  programs: z.nullable(z.unknown()),
  briefs: z.array(BriefView),
  partner: z.nullable(z.object({ id: z.string(), name: z.string(), assignedAt: z.string(), reasons: z.array(z.string()) })),
  failure: z.nullable(z.object({ at: z.string(), state: z.string(), error: z.string() })),
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

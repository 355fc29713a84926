/**
 * Operations (issue 9): the stuck thresholds (data), the read API's answers (execution story, stuck, failed,
 * pipeline) and the actions' requests and answers.
 */
import * as z from 'zod/mini';
import { ApplicationStatus } from './application.ts';
import * as requests from './api-requests.ts';

// The requests, built here for the OpenAPI document and the types; handlers build each on first use (./api-requests.ts).
export const StoryQuery = requests.StoryQuery();
export const StuckQuery = requests.StuckQuery();
export const FailedQuery = requests.FailedQuery();
export const PipelineQuery = requests.PipelineQuery();
export const ActionRequest = requests.ActionRequest();
export const ReassignRequest = requests.ReassignRequest();

// ---- data/stuck-thresholds.json ----

export const StuckThreshold = z.object({
  status: ApplicationStatus,
  hours: z.number().check(z.gte(0)),
  why: z.string().check(z.minLength(1)),
  unstick: z.string().check(z.minLength(1)),
});
export type StuckThreshold = z.infer<typeof StuckThreshold>;

export const StuckThresholds = z.object({
  asOf: z.string(),
  source: z.string(),
  reminderEscalation: z.object({
    awsDecisionReminders: z.number().check(z.int(), z.gte(1)),
    creditsReminders: z.number().check(z.int(), z.gte(1)),
    note: z.string(),
  }),
  thresholds: z.array(StuckThreshold),
});
export type StuckThresholds = z.infer<typeof StuckThresholds>;

// ---- read API ----

export const StoryStep = z.object({
  state: z.string(),
  what: z.string(),
  enteredAt: z.string(),
  exitedAt: z.nullable(z.string()),
  deadline: z.nullable(z.string()),
  retries: z.number(),
  errors: z.array(z.object({ at: z.string(), error: z.string(), cause: z.string() })),
  outcome: z.enum(['running', 'done', 'failed', 'timed-out']),
});

export const ExecutionStoryView = z.object({
  executionArn: z.string(),
  applicationId: z.string(),
  status: z.string(),
  startedAt: z.nullable(z.string()),
  stoppedAt: z.nullable(z.string()),
  headline: z.string(),
  sentences: z.array(z.string()),
  steps: z.array(StoryStep),
  error: z.nullable(z.object({ error: z.string(), cause: z.string() })),
});

export const ApplicationStoryResponse = z.object({
  applicationId: z.string(),
  status: ApplicationStatus,
  /** Newest execution first: a redrive adds one. */
  executions: z.array(ExecutionStoryView),
  /** Present with `raw=1`: the newest execution's events, without execution data, tokens redacted. */
  rawEvents: z.optional(z.array(z.unknown())),
});

export const StuckItem = z.object({
  id: z.string(),
  status: ApplicationStatus,
  company: z.string(),
  partnerId: z.nullable(z.string()),
  since: z.string(),
  hoursInStatus: z.number(),
  thresholdHours: z.number(),
  why: z.string(),
  unstick: z.string(),
  lastReason: z.string(),
  /** Set when the workflow escalated it after its counted reminders. */
  escalated: z.boolean(),
});

export const StuckPage = z.object({ asOf: z.string(), items: z.array(StuckItem), nextCursor: z.nullable(z.string()) });

export const FailedItem = z.object({
  id: z.string(),
  company: z.string(),
  failedAt: z.string(),
  state: z.string(),
  error: z.string(),
  cause: z.string(),
  failedFrom: ApplicationStatus,
  /** What POST /ops/applications/{id}/redrive will do, in words. */
  redrive: z.string(),
  executionArn: z.nullable(z.string()),
});

export const FailedPage = z.object({ items: z.array(FailedItem), nextCursor: z.nullable(z.string()) });

const Quantiles = z.object({ samples: z.number(), medianHours: z.nullable(z.number()), p90Hours: z.nullable(z.number()) });

export const PipelineResponse = z.object({
  asOf: z.string(),
  window: z.object({ days: z.number(), from: z.string(), to: z.string() }),
  /** Applications in each status now. */
  counts: z.record(z.string(), z.number()),
  /** Time spent in each status by applications that left it within the window (histogram bounds, see README). */
  timeInStatus: z.record(z.string(), Quantiles),
  conversion: z.object({
    submitted: z.number(), filed: z.number(), approved: z.number(), creditsApplied: z.number(),
    askedUsd: z.string(), approvedUsd: z.string(), appliedUsd: z.string(),
  }),
  partners: z.array(z.object({
    partnerId: z.string(),
    name: z.string(),
    load: z.number(),
    capacity: z.number(),
    reviews: z.number(),
    approved: z.number(),
    approvalRate: z.nullable(z.number()),
    reviewTime: Quantiles,
  })),
  /** Redrives by operations within the window. */
  redrives: z.number(),
  /** What this request read, for the cost figures in the README. */
  /** Items this answer read: counter items (rolled-up months + days after them) and partner profiles. */
  reads: z.object({ counterItems: z.number(), monthItems: z.number(), dayItems: z.number(), partnerProfiles: z.number() }),
});
export type PipelineResponse = z.infer<typeof PipelineResponse>;

// ---- actions ----

export const ActionResponse = z.object({
  applicationId: z.string(),
  action: z.enum(['redrive', 'reassign', 'cancel', 'nudge']),
  status: ApplicationStatus,
  /** False when this request found the action already done (a repeat converges on the first answer). */
  applied: z.boolean(),
  detail: z.string(),
  executionArn: z.nullable(z.string()),
});
export type ActionResponse = z.infer<typeof ActionResponse>;

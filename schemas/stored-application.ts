/**
 * How an application is stored (functions/adapters/dynamo/applications.ts): the shapes of its items. The repository
 * writes them from typed code and trusts them on read after a cheap version and entity check
 * (functions/adapters/dynamo/stored-guard.ts: an item of another schema version or entity is a clear error, never a
 * wrong answer); these schemas are its types (z.infer, imported as types only, so no handler builds them) and the
 * tests' check that every item the journeys write parses (test/support/stored-items.ts).
 *
 * One application is several items under one partition (keys in functions/adapters/dynamo/keys.ts):
 * - the head: everything small, the LATEST transition, the brief bodies and the estimate by reference;
 * - the earlier transitions, one item each; the notices, one item each; the documents (estimate, brief bodies),
 *   immutable and named by their content.
 * The head stays a few KB however long the application lives: it is what every status change rewrites.
 */
import * as z from 'zod/mini';
import { AddressConfirmation, ApplicationStatus, Failure, PartnerAssignment, RecordStatus, StoredBrief, Transition } from './application.ts';
import { Worksheet } from './worksheet.ts';

import { APPLICATION_SCHEMA_VERSION } from './stored-version.ts';

export { APPLICATION_SCHEMA_VERSION, NOTICE_LEASE_MS } from './stored-version.ts';

/** What the list views show (partner queue, operations list): the only thing the list indexes project. */
export const ListSummary = z.object({
  company: z.string(),
  createdAt: z.string(),
  records: z.array(z.object({ programId: z.string(), status: RecordStatus })),
  /** The reason recorded with the latest transition. */
  lastReason: z.string(),
  partnerId: z.optional(z.string()),
  /** `at` and `failedFrom` are optional only for heads written before the failed page read them from the index. */
  failure: z.optional(z.object({ ...z.pick(Failure, { state: true, error: true, cause: true }).shape, at: z.optional(z.string()), failedFrom: z.optional(ApplicationStatus) })),
  /** The standing escalation (functions/core/operations/escalation.ts): the reminders ran out, operations took over. */
  escalation: z.optional(z.object({ at: z.string(), reason: z.string() })),
  executionArn: z.optional(z.string()),
});
export type ListSummary = z.infer<typeof ListSummary>;

/** One row of a list page, read from an index. */
export const ApplicationListItem = z.object({
  id: z.string(),
  status: ApplicationStatus,
  updatedAt: z.string(),
  summary: ListSummary,
});
export type ApplicationListItem = z.infer<typeof ApplicationListItem>;

/** A brief on the head: its body is a document (`bodyRef`), everything else (record, problems, ETag) stays here. */
export const StoredBriefHead = z.object({
  ...z.omit(StoredBrief, { body: true }).shape,
  bodyRef: z.string(),
});
export type StoredBriefHead = z.infer<typeof StoredBriefHead>;

export const ApplicationHead = z.object({
  schemaVersion: z.literal(APPLICATION_SCHEMA_VERSION),
  id: z.string(),
  status: ApplicationStatus,
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  worksheet: Worksheet,
  requestHash: z.string(),
  revisionHash: z.optional(z.string()),
  founderTokenHashes: z.array(z.string()),
  /** The estimate document's hash. */
  estimateRef: z.optional(z.string()),
  briefs: z.optional(z.array(StoredBriefHead)),
  partner: z.optional(PartnerAssignment),
  passedOverBy: z.optional(z.array(z.string())),
  executionArn: z.optional(z.string()),
  failure: z.optional(Failure),
  /** Absent on applications stored before confirmation existed (they count as confirmed). */
  addressConfirmation: z.optional(AddressConfirmation),
  /** The transition that produced `version`; the earlier ones are items of their own. */
  lastTransition: Transition,
  summary: ListSummary,
});
export type ApplicationHead = z.infer<typeof ApplicationHead>;

export const TransitionItem = z.object({ schemaVersion: z.literal(APPLICATION_SCHEMA_VERSION), transition: Transition });

/**
 * A notice: `claimed` while one sender holds it (until `leaseUntil`, epoch ms, after which anyone may claim it again),
 * `sent` once the mail went out.
 */
export const NoticeItem = z.object({
  key: z.string(),
  state: z.enum(['claimed', 'sent']),
  leaseUntil: z.optional(z.number()),
});
export type NoticeItem = z.infer<typeof NoticeItem>;

/** An immutable document: gzip-compressed JSON, named by the sha256 of that JSON. */
export const DocumentItem = z.object({
  schemaVersion: z.literal(APPLICATION_SCHEMA_VERSION),
  kind: z.enum(['estimate', 'brief-body']),
  gz: z.instanceof(Uint8Array),
});
export type DocumentItem = z.infer<typeof DocumentItem>;

/** A task token kept server-side next to its application (`TASK#<kind>`), removed by TTL (`expiresAt`, epoch seconds). */
export const TaskTokenItem = z.object({
  applicationId: z.string(),
  kind: z.string(),
  token: z.string(),
  executionArn: z.optional(z.string()),
  storedAt: z.string(),
  expiresAt: z.number(),
});

/** A likely-duplicate index item (`DEDUPE#<kind>#<value>`, `APP#<id>`; functions/core/dedupe.ts). */
export const DedupeItem = z.object({
  kind: z.enum(['account', 'domain', 'company']),
  value: z.string(),
  applicationId: z.string(),
  indexedAt: z.string(),
});

/**
 * Intake: store the application, then start its workflow.
 *
 * The two writes can be cut by a crash. The application is stored in `submitted` with no `executionArn`; the start is
 * idempotent (the execution is named after the application). Whatever happens between the two is repaired twice over:
 * a retry of the request (same key, same founder, same worksheet: the same id) starts it, and the start sweep
 * (functions/usecases/start-pending.ts, on an EventBridge Scheduler schedule) starts any application left in
 * `submitted` without an execution. So an application never stays unmoved, and a retry never makes a second one.
 *
 * Before anything is stored, the request's source network (core/source-network.ts: an IPv4 address, an IPv6 /64) must
 * be under its daily count of worksheets (a fixed UTC-day window; a replay of a stored key is not counted), so one
 * machine cannot make the service size, draft and mail without end through catch-all mailboxes: 429 with Retry-After
 * otherwise. Then the founder's mailbox (every address that reaches one inbox: core/mailbox.ts) must have a
 * free open-application slot (./open-slots.ts): 429 with Retry-After otherwise. The AWS account's and the mail
 * domain's slots are claimed at confirmation (./address-confirmation.ts): an unconfirmed application reaches nobody,
 * so a stranger naming someone else's account id (which nobody can verify) cannot hold that account's slots.
 */
import type { Worksheet } from '../../schemas/worksheet.ts';
import type { Application } from '../../schemas/application.ts';
import type { ApplicationRepository } from '../adapters/dynamo/applications.ts';
import { addFounderTokenHash, createApplication, putDedupeItems } from '../adapters/dynamo/applications-intake.ts';
import { setExecutionArn } from '../adapters/dynamo/applications-tasks.ts';
import { type LimitRepository, sourceScope, takeFromWindow } from '../adapters/dynamo/limits.ts';
import type { Clock } from '../core/clock.ts';
import { dedupeValues } from '../core/dedupe.ts';
import { IdempotencyKeyReusedError, TooManyRequestsError } from '../core/errors.ts';
import { type IntakeLimits } from '../core/address-confirmation.ts';
import { mailboxOf } from '../core/mailbox.ts';
import { sourceNetwork } from '../core/source-network.ts';
import { claimOpenSlot, openSlotScopes } from './open-slots.ts';
import { applicationIdFor, idempotencyScopeOf, newApplication, newFounderToken, requestHashOf } from '../core/intake.ts';

export interface IntakeDeps {
  readonly applications: ApplicationRepository;
  readonly limits: LimitRepository;
  readonly settings: IntakeLimits;
  readonly clock: Clock;
  /** StartExecution named after the application (repeating it is harmless). */
  readonly startWorkflow: (applicationId: string) => Promise<{ executionArn: string; alreadyStarted: boolean }>;
}

export interface IntakeResult {
  readonly applicationId: string;
  readonly status: Application['status'];
  readonly founderToken: string;
  readonly replayed: boolean;
  readonly alreadyStarted: boolean;
}

/** `sourceIp`: the TCP peer API Gateway saw (`requestContext.http.sourceIp`); undefined counts against no source. */
export async function submitWorksheet(deps: IntakeDeps, worksheet: Worksheet, idempotencyKey: string | undefined, sourceIp?: string): Promise<IntakeResult> {
  const now = deps.clock.now();
  const id = applicationIdFor(idempotencyKey, idempotencyScopeOf(worksheet));
  const { token, hash } = newFounderToken();

  // A repeated key is answered from what is stored (read once), and writes nothing before its worksheet is known to
  // match. Without a key every request is a new application.
  let existing = idempotencyKey ? await deps.applications.get(id) : undefined;
  let created = false;
  if (!existing) {
    await countSourceWorksheet(deps, sourceIp, now);
    await claimOpenSlots(deps, worksheet, id, now);
    // The likely-duplicate index items first (idempotent puts): a crash then never leaves an application without them.
    await putDedupeItems(deps.applications, id, dedupeValues(worksheet), now);
    created = await createApplication(deps.applications, newApplication({ id, worksheet, tokenHash: hash, now }));
    if (!created) existing = await deps.applications.mustGet(id); // a concurrent first attempt won the put
  }
  if (existing) {
    if (existing.requestHash !== requestHashOf(worksheet)) {
      throw new IdempotencyKeyReusedError('This Idempotency-Key was already used with a different worksheet; use a new key for a new submission');
    }
    // Same key, same worksheet: the same application. Tokens are stored only as hashes, so the replay gets a fresh
    // token for the same application; the ones handed out before stay valid (at the cap the replay is refused).
    await addFounderTokenHash(deps.applications, id, hash);
  }
  const { executionArn, alreadyStarted } = await deps.startWorkflow(id);
  if (!alreadyStarted) await setExecutionArn(deps.applications, id, executionArn);
  return { applicationId: id, status: existing?.status ?? 'submitted', founderToken: token, replayed: !created, alreadyStarted };
}

const DAY_MS = 86_400_000;

/** One more worksheet from the request's network today, or 429 naming the limit and when the day turns (UTC). */
async function countSourceWorksheet(deps: IntakeDeps, sourceIp: string | undefined, now: Date): Promise<void> {
  const network = sourceNetwork(sourceIp);
  if (network === undefined) return;
  const limit = deps.settings.worksheetsPerSourcePerDay;
  const counted = await takeFromWindow(deps.limits, sourceScope(network), 'worksheet', { limit, windowMs: DAY_MS, now });
  if (!counted.ok) {
    throw new TooManyRequestsError(`At most ${limit} worksheets a day are taken from one network (${network}); nothing was stored. Try again after midnight UTC.`, counted.retryAfterSeconds);
  }
}

/** A slot of the founder's mailbox, or 429 naming the limit and when a slot may free up. */
async function claimOpenSlots(deps: IntakeDeps, worksheet: Worksheet, id: string, now: Date): Promise<void> {
  const typed = worksheet.contact.email;
  const { mailbox } = mailboxOf(typed);
  const limit = deps.settings.maxOpenPerAddress;
  // The same scope the slot's holder is later checked against (./open-slots.ts openSlotScopes).
  const retryAfter = await claimOpenSlot(deps, openSlotScopes(worksheet).mailbox, limit, id, now);
  if (retryAfter !== undefined) {
    const what = mailbox === typed ? `this contact address (${typed})` : `this contact address (${typed}, which reaches the mailbox ${mailbox})`;
    throw new TooManyRequestsError(`At most ${limit} open application(s) per contact address: ${what} has ${limit}. Confirm, withdraw or finish one first (one withdrawn before its address was confirmed holds its slot until its confirmation link would have expired).`, retryAfter);
  }
}

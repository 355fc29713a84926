/**
 * Intake: store the application, then start its workflow.
 *
 * The two writes can be cut by a crash. The application is stored in `submitted` with no `executionArn`; the start is
 * idempotent (the execution is named after the application). Whatever happens between the two is repaired twice over:
 * a retry of the request (same key, same founder, same worksheet: the same id) starts it, and the start sweep
 * (functions/usecases/start-pending.ts, on an EventBridge Scheduler schedule) starts any application left in
 * `submitted` without an execution. So an application never stays unmoved, and a retry never makes a second one.
 *
 * Before anything is stored the founder's address and AWS account must each have a free open-application slot
 * (functions/adapters/dynamo/limits.ts): 429 with Retry-After otherwise.
 */
import type { Worksheet } from '../../schemas/worksheet.ts';
import type { Application } from '../../schemas/application.ts';
import type { ApplicationRepository } from '../adapters/dynamo/applications.ts';
import { addFounderTokenHash, createApplication, putDedupeItems } from '../adapters/dynamo/applications-intake.ts';
import { getHeads } from '../adapters/dynamo/applications-lists.ts';
import { setExecutionArn } from '../adapters/dynamo/applications-tasks.ts';
import { accountScope, addressScope, claimSlot, type LimitRepository, releaseSlot, slotHolders } from '../adapters/dynamo/limits.ts';
import type { Clock } from '../core/clock.ts';
import { dedupeValues } from '../core/dedupe.ts';
import { IdempotencyKeyReusedError, TooManyRequestsError } from '../core/errors.ts';
import { holdsIntakeSlot, retryAfterSeconds, type IntakeLimits } from '../core/address-confirmation.ts';
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

/** A slot held by an application that was never stored is only reclaimed after this long (its intake may be running). */
export const ORPHAN_SLOT_GRACE_MS = 10 * 60_000;

export async function submitWorksheet(deps: IntakeDeps, worksheet: Worksheet, idempotencyKey: string | undefined): Promise<IntakeResult> {
  const now = deps.clock.now();
  const id = applicationIdFor(idempotencyKey, idempotencyScopeOf(worksheet));
  const { token, hash } = newFounderToken();

  // A repeated key is answered from what is stored (read once), and writes nothing before its worksheet is known to
  // match. Without a key every request is a new application.
  let existing = idempotencyKey ? await deps.applications.get(id) : undefined;
  let created = false;
  if (!existing) {
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

/** One slot per scope (address, account), or 429 naming the limit and when a slot may free up. */
async function claimOpenSlots(deps: IntakeDeps, worksheet: Worksheet, id: string, now: Date): Promise<void> {
  const scopes = [
    { scope: addressScope(worksheet.contact.email), limit: deps.settings.maxOpenPerAddress, what: `this contact address (${worksheet.contact.email})` },
    { scope: accountScope(worksheet.aws.accountId), limit: deps.settings.maxOpenPerAccount, what: `AWS account ${worksheet.aws.accountId}` },
  ];
  for (const s of scopes) {
    const retryAfter = await claimOneSlot(deps, s.scope, s.limit, id, now);
    if (retryAfter !== undefined) {
      throw new TooManyRequestsError(`At most ${s.limit} open application(s) per ${s.what.startsWith('AWS') ? 'AWS account' : 'contact address'}: ${s.what} has ${s.limit}. Confirm, withdraw or finish one first (one withdrawn before its address was confirmed holds its slot until its confirmation link would have expired).`, retryAfter);
    }
  }
}

/** Undefined once a slot is held; else the Retry-After in seconds. */
async function claimOneSlot(deps: IntakeDeps, scope: string, limit: number, id: string, now: Date): Promise<number | undefined> {
  for (let round = 0; round < 3; round += 1) {
    for (let slot = 0; slot < limit; slot += 1) {
      if (await claimSlot(deps.limits, scope, slot, id, now)) return undefined;
    }
    // All held: take back the slots whose application no longer holds one (closed, and no live confirmation link of a
    // withdrawn one: core/address-confirmation.ts holdsIntakeSlot) or was never stored, then try again.
    const holders = (await slotHolders(deps.limits, scope)).filter((h) => h.slot < limit);
    const apps = new Map((await getHeads(deps.applications, holders.map((h) => h.applicationId))).map((a) => [a.id, a] as const));
    const stale = holders.filter((h) => {
      const app = apps.get(h.applicationId);
      return app ? !holdsIntakeSlot(app, now) : now.getTime() - Date.parse(h.claimedAt) > ORPHAN_SLOT_GRACE_MS;
    });
    if (stale.length === 0) return retryAfterSeconds([...apps.values()], now);
    for (const h of stale) await releaseSlot(deps.limits, scope, h.slot, h.applicationId);
  }
  return 60; // raced three times by concurrent intakes for the freed slots
}

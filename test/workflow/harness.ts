/**
 * Workflow scenarios run the synthesized definition in the local runtime (startLocal: aws-local-stepfunctions behind
 * the Step Functions API, real handlers, dynalite, the SES stand-in, a movable clock that handlers' `new Date()`
 * follows). People's actions are driven the way the partner/founder API does them (docs/CONTRACTS.md): the DynamoDB
 * transition FIRST, then SendTaskSuccess with the stored token, a spent token counting as delivered.
 */
import { randomUUID } from 'node:crypto';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, ListExecutionsCommand, SFNClient, SendTaskSuccessCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { startLocal, type LocalMail, type LocalRuntime } from '../../lib/local/start.ts';
import { ApplicationRepository } from '../../functions/adapters/dynamo/applications.ts';
import { PartnerRepository } from '../../functions/adapters/dynamo/partners.ts';
import { planTransition } from '../../functions/core/application/lifecycle.ts';
import { revisionReason } from '../../functions/core/application/founder-steps.ts';
import { planRecordTransition, recordOf } from '../../functions/core/application/records.ts';
import type { Actor, Application, RecordState, RecordStatus } from '../../schemas/application.ts';
import type { Worksheet } from '../../schemas/worksheet.ts';
import { exampleWorksheet } from '../support/fixtures.ts';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;

export interface Harness {
  rt: LocalRuntime;
  sfn: SFNClient;
  apps: ApplicationRepository;
  partners: PartnerRepository;
  stop(): Promise<void>;
}

export async function boot(): Promise<Harness> {
  const rt = await startLocal({ port: 0, sesPort: 0, sfnPort: 0, dynamoPort: 0, retryDelayMs: 0, jwtKeyFile: null });
  const sfn = new SFNClient({ endpoint: rt.urls.sfn, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  return {
    rt,
    sfn,
    apps: new ApplicationRepository(rt.tableName),
    partners: new PartnerRepository(rt.tableName),
    stop: async () => {
      sfn.destroy();
      await rt.stop();
    },
  };
}

/** Polls `check` (bounded; wakes on every workflow change) until it returns a value. */
export async function until<T>(h: Harness, check: () => Promise<T | undefined> | T | undefined, what: string, rounds = 400): Promise<T> {
  let last: unknown;
  for (let i = 0; i < rounds; i++) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (error) {
      last = error;
      if (process.env.DEBUG_HARNESS) console.error(error);
    }
    await Promise.race([h.rt.sfn.nextChange(), new Promise((r) => setTimeout(r, 25))]);
  }
  throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
}

export async function submit(h: Harness, edit: (w: Worksheet) => void = () => undefined): Promise<string> {
  const w = exampleWorksheet();
  edit(w);
  const res = await fetch(`${h.rt.urls.api}/worksheets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': `k-${randomUUID()}` },
    body: JSON.stringify(w),
  });
  if (res.status !== 202) throw new Error(`POST /worksheets: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { applicationId: string }).applicationId;
}

export const executionArnOf = (h: Harness, id: string): string => `${h.rt.stateMachineArn.replace(':stateMachine:', ':execution:')}:${id}`;

/** Waits until the workflow sits in `state` with its token stored (and, for the partner review, in_partner_review). */
export async function waitingIn(h: Harness, id: string, state: string, kind: string): Promise<Application> {
  return until(h, async () => {
    const pending = h.rt.sfn.pendingTasks().find((t) => t.executionArn === executionArnOf(h, id) && t.stateName === state);
    if (!pending) return undefined;
    const stored = await h.apps.getTaskToken(id, kind, new Date());
    if (stored?.token !== pending.token) return undefined;
    const app = await h.apps.mustGet(id);
    if (kind === 'partner-review' && app.status !== 'in_partner_review') return undefined;
    // Settled only once the wait's function has returned (TaskSubmitted is the newest event): until then it may
    // still find a change it must hand to NotifyChange (ChangedWhileWaiting) and leave the wait.
    if ((await history(h, id)).at(-1)?.type !== 'TaskSubmitted') return undefined;
    return app;
  }, `${id} waiting in ${state}`);
}

export async function finished(h: Harness, id: string): Promise<{ status: string; error?: string; output?: string }> {
  return until(h, async () => {
    const d = await h.sfn.send(new DescribeExecutionCommand({ executionArn: executionArnOf(h, id) }));
    return d.status === 'RUNNING' ? undefined : { status: d.status as string, ...(d.error ? { error: d.error } : {}), ...(d.output ? { output: d.output } : {}) };
  }, `${id} to finish`);
}

export async function history(h: Harness, id: string): Promise<HistoryEvent[]> {
  const out = await h.sfn.send(new GetExecutionHistoryCommand({ executionArn: executionArnOf(h, id), maxResults: 1000 }));
  return out.events ?? [];
}

/** Names of the states the execution entered, in order. */
export async function statesEntered(h: Harness, id: string): Promise<string[]> {
  return (await history(h, id)).map((e) => e.stateEnteredEventDetails?.name).filter((n): n is string => Boolean(n));
}

export type CallbackResult = 'delivered' | 'already-delivered' | 'no-token';

/** SendTaskSuccess with the stored token of `kind`; a spent or unknown token counts as delivered (the API's rule). */
export async function callback(h: Harness, id: string, kind: string, output: unknown): Promise<CallbackResult> {
  const stored = await h.apps.getTaskToken(id, kind, new Date());
  if (!stored) return 'no-token';
  try {
    await h.sfn.send(new SendTaskSuccessCommand({ taskToken: stored.token, output: JSON.stringify(output) }));
    return 'delivered';
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'TaskTimedOut' || name === 'InvalidToken') return 'already-delivered';
    throw error;
  }
}

// ---- people's actions: DynamoDB first, then the callback ----

export async function partnerDecides(h: Harness, id: string, decision: 'approved' | 'changes_requested' | 'declined', opts: { skipCallback?: boolean } = {}): Promise<Application> {
  const app = await h.apps.mustGet(id);
  const partnerId = app.partner!.partnerId;
  const actor: Actor = { kind: 'partner', id: partnerId };
  const now = new Date();
  const to = decision === 'approved' ? 'approved_for_filing' : decision === 'changes_requested' ? 'changes_requested' : 'drafted';
  const plan = planTransition({ current: app.status, version: app.version, to, actor, now, reason: decision === 'changes_requested' ? 'Please narrow the <b>scope</b> & confirm the Region' : `partner ${decision}` });
  const changes: Partial<Application> = {};
  if (decision === 'approved') changes.briefs = (app.briefs ?? []).map((b) => ({ ...b, record: { ...recordOf(b), status: 'approved_for_filing' as const } }));
  if (decision === 'declined') Object.assign(changes, { passedOverBy: [...(app.passedOverBy ?? []), partnerId], partner: undefined });
  const updated = await h.apps.applyTransition(app, plan, changes);
  if (decision !== 'changes_requested') await h.partners.release(partnerId, id);
  if (!opts.skipCallback) await callback(h, id, 'partner-review', { decision });
  return updated;
}

export async function founderRevises(h: Harness, id: string, edit: (w: Worksheet) => void): Promise<void> {
  const app = await h.apps.mustGet(id);
  const worksheet = structuredClone(app.worksheet);
  edit(worksheet);
  const reason = revisionReason(app.worksheet, worksheet);
  await h.apps.applyTransition(app, planTransition({ current: app.status, version: app.version, to: 'submitted', actor: { kind: 'founder', id }, now: new Date(), reason }), { worksheet });
  await callback(h, id, 'founder-revision', { decision: 'revised' });
}

/** A record change recorded by the partner, then `record-changed` to whichever of the two post-filing waits is there. */
export async function recordChanges(h: Harness, id: string, programId: string, to: RecordStatus, details: Partial<Omit<RecordState, 'status'>> = {}, opts: { skipCallback?: boolean } = {}): Promise<CallbackResult[]> {
  const app = await h.apps.mustGet(id);
  const p = planRecordTransition({ app, programId, to, actor: { kind: 'partner', id: app.partner!.partnerId }, now: new Date(), reason: `recorded: ${programId} ${to}`, details });
  await h.apps.applyTransition(app, p, { briefs: p.briefs });
  if (opts.skipCallback) return [];
  return Promise.all(['aws-decision', 'credits'].map((kind) => callback(h, id, kind, { event: 'record-changed' })));
}

export function programsOf(app: Application): string[] {
  return (app.briefs ?? []).map((b) => b.programId);
}

export const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export async function mailsTo(h: Harness, address: string): Promise<LocalMail[]> {
  return (await h.rt.mails()).filter((m) => m.destination.to.includes(address));
}

/** Stops every execution still running (so moving the clock in one scenario does not drive another). */
export async function stopRunning(h: Harness): Promise<void> {
  const out = await h.sfn.send(new ListExecutionsCommand({ stateMachineArn: h.rt.stateMachineArn, statusFilter: 'RUNNING', maxResults: 1000 }));
  for (const e of out.executions ?? []) await h.sfn.send(new StopExecutionCommand({ executionArn: e.executionArn, error: 'TestDone', cause: 'scenario finished' }));
}

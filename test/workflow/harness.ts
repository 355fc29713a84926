/**
 * Workflow scenarios run the synthesized definition in the local runtime (startLocal: aws-local-stepfunctions behind
 * the Step Functions API, real handlers, dynalite, the SES stand-in, a movable clock that the process's Date, and so
 * the system clock, follows). People act through the API's own command code: the core's plans
 * (functions/core/application/review.ts, founder-steps.ts) run by functions/usecases/run-command.ts, which writes the
 * DynamoDB transition FIRST and then calls back the stored task token (docs/CONTRACTS.md). A change to the API is a
 * change these scenarios see.
 */
import { randomUUID } from 'node:crypto';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, ListExecutionsCommand, SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { startLocal, type LocalMail, type LocalRuntime } from '../../lib/local/start.ts';
import { ApplicationRepository } from '../../functions/adapters/dynamo/applications.ts';
import { getTaskToken } from '../../functions/adapters/dynamo/applications-tasks.ts';
import { PartnerRepository } from '../../functions/adapters/dynamo/partners.ts';
import { systemClock } from '../../functions/adapters/clock.ts';
import { planRevision } from '../../functions/core/application/founder-steps.ts';
import { planPartnerDecision, planRecordChange, type PartnerDecision, type RecordChange } from '../../functions/core/application/review.ts';
import { requestHashOf } from '../../functions/core/intake.ts';
import type * as RunCommand from '../../functions/usecases/run-command.ts';
import type { Application, RecordState, RecordStatus } from '../../schemas/application.ts';
import type { Worksheet } from '../../schemas/worksheet.ts';
import { exampleWorksheet } from '../support/fixtures.ts';

/** Scenarios submit the example worksheet again and again (one founder): the open-application limits are tested apart. */
export const UNLIMITED_INTAKE = { MAX_OPEN_APPLICATIONS_PER_ADDRESS: '100000', MAX_OPEN_APPLICATIONS_PER_ACCOUNT: '100000', MAX_OPEN_APPLICATIONS_PER_MAIL_DOMAIN: '100000', WORKSHEETS_PER_SOURCE_PER_DAY: '100000' };

export const DAY = 86_400_000;
export const HOUR = 3_600_000;

export interface Harness {
  rt: LocalRuntime;
  sfn: SFNClient;
  apps: ApplicationRepository;
  partners: PartnerRepository;
  /** The API's command runner, loaded once the runtime has set the SDK endpoints (as the handlers are). */
  commands: typeof RunCommand;
  deps: RunCommand.CommandDeps;
  stop(): Promise<void>;
}

export async function boot(): Promise<Harness> {
  const rt = await startLocal({ port: 0, sesPort: 0, sfnPort: 0, dynamoPort: 0, partnerCentralPort: 0, retryDelayMs: 0, jwtKeyFile: null, environment: UNLIMITED_INTAKE, throttle: false });
  const sfn = new SFNClient({ endpoint: rt.urls.sfn, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const apps = new ApplicationRepository(rt.tableName);
  const partners = new PartnerRepository(rt.tableName);
  return {
    rt,
    sfn,
    apps,
    partners,
    commands: await import('../../functions/usecases/run-command.ts'),
    // As the Founder function's: the withdrawal ends the workflow.
    deps: { applications: apps, partners, stateMachineArn: rt.stateMachineArn, clock: systemClock, endWorkflow: (await import('../../functions/usecases/end-workflow.ts')).endWorkflow },
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

export interface Submitted {
  readonly id: string;
  readonly founderToken: string;
}

/** POST /worksheets; `edit` may change anything (e.g. the contact address). */
export async function submitOnly(h: Harness, edit: (w: Worksheet) => void = () => undefined, idempotencyKey = `k-${randomUUID()}`): Promise<Submitted> {
  const w = exampleWorksheet();
  edit(w);
  const res = await fetch(`${h.rt.urls.api}/worksheets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
    body: JSON.stringify(w),
  });
  if (res.status !== 202) throw new Error(`POST /worksheets: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { applicationId: string; founderToken: string };
  return { id: body.applicationId, founderToken: body.founderToken };
}

/** The secret of the latest confirmation mail of application `id` (from the link in the SES stand-in's inbox). */
export async function confirmationSecret(h: Harness, id: string, after = 0): Promise<string> {
  return until(h, async () => {
    const mails = (await h.rt.mails()).filter((m) => m.subject.startsWith('Confirm your address') && (m.body.text ?? '').includes(`/applications/${id}/confirm-email#secret=`));
    if (mails.length <= after) return undefined;
    return /#secret=(acs_[A-Za-z0-9_-]{43})/.exec(mails.at(-1)!.body.text ?? '')?.[1];
  }, `confirmation mail ${after + 1} of ${id}`);
}

/** POST /applications/{id}/confirm-email with the secret, as the confirmation page does. */
export async function postConfirmation(h: Harness, id: string, secret: string): Promise<Response> {
  return fetch(`${h.rt.urls.api}/applications/${id}/confirm-email`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ secret }),
  });
}

/**
 * Submit and confirm the founder's address from the mail (the application is then routed). The founder confirms once
 * the workflow waits, as a person reading the mail would; a confirmation racing the wait's start is handed over by
 * ChangedWhileWaiting like every other wait's, and the scenarios' histories stay deterministic.
 */
export async function submit(h: Harness, edit: (w: Worksheet) => void = () => undefined): Promise<string> {
  const { id } = await submitOnly(h, edit);
  await waitingIn(h, id, 'AwaitAddressConfirmation', 'address-confirmation');
  const res = await postConfirmation(h, id, await confirmationSecret(h, id));
  if (res.status !== 200) throw new Error(`POST /applications/${id}/confirm-email: ${res.status} ${await res.text()}`);
  return id;
}

export const executionArnOf = (h: Harness, id: string): string => `${h.rt.stateMachineArn.replace(':stateMachine:', ':execution:')}:${id}`;

/** Waits until the workflow sits in `state` with its token stored (and, for the partner review, in_partner_review). */
export async function waitingIn(h: Harness, id: string, state: string, kind: string): Promise<Application> {
  return until(h, async () => {
    const pending = h.rt.sfn.pendingTasks().find((t) => t.executionArn === executionArnOf(h, id) && t.stateName === state);
    if (!pending) return undefined;
    const stored = await getTaskToken(h.apps, id, kind, new Date());
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

const asCallbackResult = (outcome: RunCommand.CallbackOutcome | undefined): CallbackResult =>
  outcome === 'delivered' ? 'delivered' : outcome === 'token-no-longer-valid' ? 'already-delivered' : 'no-token';

/** SendTaskSuccess with the stored token of `kind` through the API's adapter: a spent token counts as delivered. */
export async function callback(h: Harness, id: string, kind: string, output: Record<string, unknown>): Promise<CallbackResult> {
  return asCallbackResult(await h.commands.runEffects(h.deps, await h.apps.mustGet(id), { callback: { kinds: [kind], output } }, systemClock.now()));
}

// ---- people's actions: the API's commands (DynamoDB first, then the callback) ----

/** Runs a planned step like the API; `skipCallback` stops after the write, as a crash right after it would. */
async function act(h: Harness, id: string, plan: Parameters<typeof RunCommand.runCommand>[2], opts: { skipCallback?: boolean }): Promise<RunCommand.CommandResult> {
  return opts.skipCallback ? h.commands.writeCommand(h.deps, id, plan) : h.commands.runCommand(h.deps, id, plan);
}

export async function partnerDecides(h: Harness, id: string, decision: PartnerDecision, opts: { skipCallback?: boolean } = {}): Promise<Application> {
  const partnerId = (await h.apps.mustGet(id)).partner!.partnerId;
  const text = decision === 'changes_requested' ? 'Please narrow the <b>scope</b> & confirm the Region' : decision === 'declined' ? 'no capacity this quarter' : undefined;
  const result = await act(h, id, (app, now) => planPartnerDecision({ app, partnerId, decision, ...(text !== undefined ? { text } : {}), now }), opts);
  return result.app;
}

export async function founderRevises(h: Harness, id: string, edit: (w: Worksheet) => void): Promise<void> {
  const worksheet = structuredClone((await h.apps.mustGet(id)).worksheet);
  edit(worksheet);
  const requestHash = requestHashOf(worksheet);
  await act(h, id, (app, now) => planRevision({ app, worksheet, requestHash, now }), {});
}

/** The API request that records this change (POST …/filed, …/aws-review, …/credits). */
function recordChangeFor(to: RecordStatus, d: Partial<Omit<RecordState, 'status'>>, now: Date): RecordChange {
  const review = { ...(d.awsReview?.comments !== undefined ? { comments: d.awsReview.comments } : {}), ...(d.awsReview?.reason !== undefined ? { reason: d.awsReview.reason } : {}) };
  switch (to) {
    case 'filed':
      return { kind: 'filed', opportunityId: d.opportunityId ?? 'O0000000', filedAt: d.filedAt ?? now.toISOString(), ...(d.filedVia ? { via: d.filedVia } : {}) };
    case 'in_aws_review':
      return { kind: 'aws-review', outcome: 'in-review', ...review };
    case 'action_required':
      return { kind: 'aws-review', outcome: 'action-required', ...review };
    case 'approved':
      return { kind: 'aws-review', outcome: 'approved', ...review, ...(d.award ? { amountUsd: d.award.amountUsd, expiresOn: d.award.expiresOn } : {}) };
    case 'rejected':
      return { kind: 'aws-review', outcome: 'rejected', ...review };
    case 'credits_applied':
      return { kind: 'credits', amountUsd: d.credits!.amountUsd, appliedOn: d.credits!.appliedOn, expiresOn: d.credits!.expiresOn };
    default:
      throw new Error(`no API request records a change to ${to}`);
  }
}

/** A record change recorded by the partner through the API's command: the write, then `record-changed` to the latest wait. */
export async function recordChanges(h: Harness, id: string, programId: string, to: RecordStatus, details: Partial<Omit<RecordState, 'status'>> = {}, opts: { skipCallback?: boolean } = {}): Promise<CallbackResult[]> {
  const partnerId = (await h.apps.mustGet(id)).partner!.partnerId;
  const result = await act(h, id, (app, now) => planRecordChange({ app, programId, partnerId, change: recordChangeFor(to, details, now), now }), opts);
  return opts.skipCallback ? [] : [asCallbackResult(result.callback)];
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

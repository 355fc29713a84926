/**
 * An execution's story: Step Functions' own history (DescribeExecution + GetExecutionHistory) told in plain words for
 * operations ("waiting on partner review since 2 Dec, reminder sent 7 Dec, re-route due 9 Dec"), with each step's
 * entry, exit, retries and errors. Pure: the adapter fetches the events, this module reads them.
 *
 * Task tokens never appear: the adapter asks for the history WITHOUT execution data (no inputs, outputs or task
 * parameters, which is where a token would be), and `redactTokens` removes anything token-like that is left, so a
 * raw event shown to a person cannot be used to resume a wait.
 */

/** One history event as the Step Functions API returns it (timestamps as Dates or epoch ms). */
export interface HistoryEventInput {
  readonly id: number;
  readonly type: string;
  readonly timestamp: Date | number | string;
  readonly [details: string]: unknown;
}

export interface ExecutionDescription {
  readonly executionArn: string;
  readonly name: string;
  readonly status: string;
  readonly startDate?: Date | string;
  readonly stopDate?: Date | string;
  readonly error?: string;
  readonly cause?: string;
}

export interface StoryStep {
  state: string;
  /** What the state does, in words. */
  what: string;
  enteredAt: string;
  exitedAt: string | null;
  /** For a wait: when its timeout fires (and what then happens). */
  deadline: string | null;
  retries: number;
  errors: { at: string; error: string; cause: string }[];
  outcome: 'running' | 'done' | 'failed' | 'timed-out';
}

export interface ExecutionStory {
  executionArn: string;
  applicationId: string;
  status: string;
  startedAt: string | null;
  stoppedAt: string | null;
  /** One line for a person: where it is now and what comes next. */
  headline: string;
  /** The story, one sentence per thing that happened, oldest first. */
  sentences: string[];
  steps: StoryStep[];
  error: { error: string; cause: string } | null;
}

/** Waits the workflow makes, what they wait on, and what their timeout leads to (lib/workflow/definition.ts). */
const WAITS: Readonly<Record<string, { on: string; onTimeout: string }>> = {
  AwaitPartnerReview: { on: 'partner review', onTimeout: 'reminder due' },
  AwaitPartnerReviewGrace: { on: 'partner review', onTimeout: 're-route due' },
  AwaitFounderRevision: { on: "the founder's revision", onTimeout: 'reminder due' },
  AwaitFounderRevisionGrace: { on: "the founder's revision", onTimeout: 'closing due' },
  AwaitAwsDecision: { on: "AWS's decision", onTimeout: 'reminder (or, after the last one, escalation) due' },
  AwaitCredits: { on: 'credits being applied', onTimeout: 'reminder (or, after the last one, escalation) due' },
  AwaitAddressConfirmation: { on: "the founder's address confirmation", onTimeout: 'expiry due' },
};

/** What the other states do, in words; a state not listed is named as it is. */
const DOES: Readonly<Record<string, string>> = {
  SizeAsk: 'read the worksheet to size',
  EstimateAsk: 'estimated the spend and the credit ask',
  RecordEstimate: 'stored the estimate',
  DraftBriefs: 'drafted the ACE briefs',
  RoutePartner: 'routed to a partner',
  NotifyRouted: 'told founder and partner',
  NotifyReviewed: 'mailed the review outcome',
  NotifyReviewOverdue: 'reminder sent',
  Reroute: 're-routed (review lapsed)',
  NotifyUnrouted: 'no partner matched: operations told',
  NotifyRevisionReminder: 'revision reminder sent',
  ReleasePartner: 'partner released',
  NotifyRevisionAbandoned: 'change request abandoned: closed',
  NotifyAwsDecisionOverdue: 'AWS decision reminder sent (or escalated once the reminders ran out)',
  NotifyCreditsOverdue: 'credits reminder sent (or escalated once the reminders ran out)',
  NotifyChange: 'mailed the latest change',
  CheckStanding: 'checked where the application stands',
  MarkFailed: 'marked the application failed',
  NotifyFailed: 'operations told of the failure',
};

/** Succeed states worth naming in the closing sentence. */
const ENDS: Readonly<Record<string, string>> = {
  AwsDecisionEscalated: "escalated to operations, the reminders for AWS's decision ran out (a change recorded on it resumes the workflow)",
  CreditsEscalated: 'escalated to operations, the credits reminders ran out (a change recorded on it resumes the workflow)',
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function toDate(t: Date | number | string): Date {
  return t instanceof Date ? t : new Date(t);
}

/** "2 Dec" (UTC), with the year when it is not `ref`'s. */
export function day(at: Date, ref?: Date): string {
  const base = `${at.getUTCDate()} ${MONTHS[at.getUTCMonth()]}`;
  return ref && ref.getUTCFullYear() !== at.getUTCFullYear() ? `${base} ${at.getUTCFullYear()}` : base;
}

function dayTime(at: Date): string {
  return `${day(at)} ${String(at.getUTCHours()).padStart(2, '0')}:${String(at.getUTCMinutes()).padStart(2, '0')} UTC`;
}

function detailsOf(ev: HistoryEventInput): Record<string, unknown> {
  const key = Object.keys(ev).find((k) => k.endsWith('EventDetails'));
  return key ? ((ev[key] as Record<string, unknown> | undefined) ?? {}) : {};
}

/** A state the workflow leaves for its failure path gets a Pass state named `<Task>Failed` (not a step of its own). */
const isCatchPass = (name: string): boolean => /Failed$/.test(name) && name !== 'NotifyFailed' && name !== 'MarkFailed' && name !== 'ApplicationFailed';

export function tellStory(execution: ExecutionDescription, events: readonly HistoryEventInput[], now: Date): ExecutionStory {
  const steps: StoryStep[] = [];
  const sentences: string[] = [];
  let open: StoryStep | undefined;
  let scheduledThisStep = 0;
  let endedIn: string | undefined;
  const started = execution.startDate ? toDate(execution.startDate) : undefined;
  const applicationId = applicationIdOf(execution.name);
  if (started) sentences.push(`Started ${dayTime(started)}.`);

  for (const ev of [...events].sort((a, b) => a.id - b.id)) {
    const at = toDate(ev.timestamp);
    const d = detailsOf(ev);
    if (ev.type.endsWith('StateEntered')) {
      const name = String(d.name ?? '');
      // Choices and the catch Passes are plumbing; a Succeed or Fail state is told by the closing sentence.
      if (ev.type.startsWith('SucceedState')) endedIn = name;
      if (isCatchPass(name) || /^(Choice|Succeed|Fail)State/.test(ev.type)) continue;
      open = {
        state: name, what: WAITS[name] ? `waiting on ${WAITS[name].on}` : (DOES[name] ?? name),
        enteredAt: at.toISOString(), exitedAt: null, deadline: null, retries: 0, errors: [], outcome: 'running',
      };
      scheduledThisStep = 0;
      steps.push(open);
      continue;
    }
    if (!open) continue;
    if (ev.type === 'TaskScheduled' || ev.type === 'LambdaFunctionScheduled') {
      scheduledThisStep += 1;
      if (scheduledThisStep > 1) open.retries += 1;
      const timeout = Number(d.timeoutInSeconds ?? 0);
      if (WAITS[open.state] && timeout > 0) open.deadline = new Date(at.getTime() + timeout * 1000).toISOString();
      continue;
    }
    if (/(TaskFailed|TaskTimedOut|LambdaFunctionFailed|LambdaFunctionTimedOut)$/.test(ev.type)) {
      const error = String(d.error ?? 'Error');
      const cause = String(d.cause ?? '').slice(0, 500);
      open.errors.push({ at: at.toISOString(), error, cause });
      if (error === 'States.Timeout' || ev.type.endsWith('TimedOut')) open.outcome = 'timed-out';
      else if (error !== 'ChangedWhileWaiting') open.outcome = 'failed';
      continue;
    }
    if (ev.type.endsWith('StateExited')) {
      const name = String(d.name ?? '');
      if (name !== open.state) continue;
      open.exitedAt = at.toISOString();
      if (open.outcome === 'running') open.outcome = 'done';
      else if (open.outcome === 'failed' && open.errors.length <= open.retries) open.outcome = 'done';
      sentences.push(sentenceFor(open, at));
      open = undefined;
    }
  }
  if (open) sentences.push(sentenceFor(open, undefined));
  const stopped = execution.stopDate ? toDate(execution.stopDate) : undefined;
  if (execution.status === 'FAILED' && stopped) sentences.push(`Failed ${dayTime(stopped)}${execution.error ? `: ${execution.error}` : ''}${execution.cause ? ` (${truncate(execution.cause, 200)})` : ''}.`);
  if (execution.status === 'SUCCEEDED' && stopped) sentences.push(`Finished ${dayTime(stopped)}${endedIn && ENDS[endedIn] ? `: ${ENDS[endedIn]}` : ''}.`);
  if (execution.status === 'ABORTED' && stopped) sentences.push(`Stopped ${dayTime(stopped)}${execution.cause ? `: ${truncate(execution.cause, 200)}` : ''}.`);
  if (execution.status === 'TIMED_OUT' && stopped) sentences.push(`Timed out ${dayTime(stopped)}.`);

  return {
    executionArn: execution.executionArn,
    applicationId,
    status: execution.status,
    startedAt: started?.toISOString() ?? null,
    stoppedAt: stopped?.toISOString() ?? null,
    headline: headlineOf(execution, steps, now),
    sentences: sentences.map(redactText),
    steps,
    error: execution.error ? { error: execution.error, cause: redactText(truncate(execution.cause ?? '', 2000)) } : null,
  };
}

function sentenceFor(step: StoryStep, exitedAt: Date | undefined): string {
  const entered = new Date(step.enteredAt);
  const retries = step.retries ? ` after ${step.retries} retr${step.retries === 1 ? 'y' : 'ies'}` : '';
  const wait = WAITS[step.state];
  if (!exitedAt) {
    if (wait) return `Waiting on ${wait.on} since ${dayTime(entered)}${step.deadline ? `; ${wait.onTimeout} ${dayTime(new Date(step.deadline))}` : ''}.`;
    return `${capital(step.what)}: running since ${dayTime(entered)}${retries}.`;
  }
  if (wait) {
    const how = step.outcome === 'timed-out' ? 'timed out' : step.errors.at(-1)?.error === 'ChangedWhileWaiting' ? 'ended: the application had moved on' : step.outcome === 'failed' ? `failed (${step.errors.at(-1)?.error ?? 'error'})` : 'answered';
    return `Waited on ${wait.on} from ${dayTime(entered)} to ${dayTime(exitedAt)}: ${how}.`;
  }
  if (step.outcome === 'failed') {
    const last = step.errors.at(-1);
    return `${capital(step.what)} failed ${dayTime(exitedAt)}${retries}: ${last?.error ?? 'error'}${last?.cause ? ` (${truncate(last.cause, 160)})` : ''}.`;
  }
  return `${capital(step.what)} ${dayTime(exitedAt)}${retries}.`;
}

/** "waiting on partner review since 2 Dec, reminder sent 7 Dec, re-route due 9 Dec" */
function headlineOf(execution: ExecutionDescription, steps: readonly StoryStep[], now: Date): string {
  if (execution.status !== 'RUNNING') {
    const last = [...steps].reverse().find((s) => s.outcome === 'failed');
    const when = execution.stopDate ? ` ${day(toDate(execution.stopDate), now)}` : '';
    if (execution.status === 'FAILED') return `failed${when}${last ? ` in ${last.state}` : ''}${execution.error ? `: ${execution.error}` : ''}`;
    return `${execution.status.toLowerCase().replace('_', ' ')}${when}`;
  }
  const current = steps.at(-1);
  if (!current) return 'starting';
  const wait = WAITS[current.state];
  if (!wait) return `${current.what} (since ${day(new Date(current.enteredAt), now)})`;
  // A wait after a reminder (and the reminder itself) belongs to the same story: start at the first wait of the run.
  let since = current;
  const reminders: StoryStep[] = [];
  for (let i = steps.length - 2; i >= 0; i -= 1) {
    const s = steps[i]!;
    if (WAITS[s.state]?.on === wait.on && s.outcome === 'timed-out') since = s;
    else if (/reminder sent/.test(s.what)) reminders.unshift(s);
    else break;
  }
  const parts = [`waiting on ${wait.on} since ${day(new Date(since.enteredAt), now)}`];
  for (const r of reminders) parts.push(`${r.what} ${day(new Date(r.enteredAt), now)}`);
  if (current.deadline) parts.push(`${wait.onTimeout} ${day(new Date(current.deadline), now)}`);
  return parts.join(', ');
}

/** Executions are named after the application; an operations restart adds `--<why>-<version>` (see operations.ts). */
export function applicationIdOf(executionName: string): string {
  return executionName.split('--')[0] ?? executionName;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** Long opaque runs (Step Functions task tokens are several hundred base64 characters) are never shown. */
const TOKEN_LIKE = /[A-Za-z0-9+/=_-]{80,}/g;
const TOKEN_KEY = /token/i;

export function redactText(s: string): string {
  return s.replace(TOKEN_LIKE, '[redacted]');
}

/** A raw history event fit to show: token-named fields and token-like strings redacted, at any depth. */
export function redactTokens(value: unknown): unknown {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if ((trimmed.startsWith('{') || trimmed.startsWith('[')) && trimmed.length < 200_000) {
      try {
        return JSON.stringify(redactTokens(JSON.parse(trimmed)));
      } catch {
        // not JSON: fall through to the text rule
      }
    }
    return redactText(value);
  }
  if (Array.isArray(value)) return value.map(redactTokens);
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, TOKEN_KEY.test(k) ? '[redacted]' : redactTokens(v)]));
  }
  return value;
}

// The local Step Functions service: executions, history and task tokens around aws-local-stepfunctions.
//
// aws-local-stepfunctions interprets the definition (JSONPath, Choice, Retry/Catch, Map, Parallel, ...). This module
// adds what it lacks to behave like the AWS service behind @aws-sdk/client-sfn:
// - Every Task state is run by a local function (so nothing ever calls real Lambda): `lambda:invoke` returns the
//   integration shape `{ StatusCode, Payload, ... }`, a bare function ARN returns the handler's result, and
//   `lambda:invoke.waitForTaskToken` invokes the handler and then waits for SendTaskSuccess / SendTaskFailure.
// - Real per-task tokens. The interpreter passes one context object per run, so `$$.Task.Token` is set to a per-run
//   placeholder; each task attempt mints its own token and substitutes it wherever the placeholder landed in the
//   task's parameters. A token → pending callback map resumes the interpreter.
// - Time on a movable clock. TimeoutSeconds / HeartbeatSeconds of tasks, Wait states and the execution's own
//   TimeoutSeconds are scheduled on `Clock`, so moving the clock makes them fire. The interpreter's own real-time
//   timers are neutralised in the copy of the definition it runs (Task TimeoutSeconds set to its maximum, Wait states
//   replaced by Task states run here, the top-level TimeoutSeconds removed); history shows the original state types.
//   A timeout raises the interpreter's own States.Timeout error class, so `States.TaskFailed` does not match it,
//   exactly as in AWS. Retry pauses stay real-time (`retryDelayMs` overrides them, e.g. 0 in tests).
// - Errors thrown by handlers reach the interpreter as errors named like Lambda's errorType (error.name) with the
//   Lambda error JSON as the cause, so Retry / Catch behave as in AWS.
// - Optional persistence (`dataDir`): executions, histories and pending task tokens are written to
//   `<dataDir>/stepfunctions.json`; on restart each RUNNING execution resumes at the top-level state it was in, and a
//   task-token wait resumes with the SAME token (its handler is not invoked again) and the same deadline. Lambda
//   tasks that were running are run again (at-least-once, like a retry). Executions that were inside a Map or Parallel
//   state cannot be resumed and are marked FAILED with error `Local.ExecutionLost`.
import '../polyfills.ts';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { StateMachine } from 'aws-local-stepfunctions';
import type { RunOptions, StateMachineDefinition } from 'aws-local-stepfunctions';
import { assertPolyfills } from '../polyfills.ts';
import type { Clock, ClockTimer } from '../clock.ts';
import { LambdaFunctionError, toLambdaError } from '../lambda-runtime.ts';
import type { Invoker } from '../lambda-runtime.ts';
import { queryPath } from './jsonpath.ts';

type JSONValue = null | boolean | number | string | JSONValue[] | { [k: string]: JSONValue };
type AslState = Record<string, unknown> & { Type: string };
type AslDefinition = Record<string, unknown> & { StartAt: string; States: Record<string, AslState> };

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** An AWS Step Functions API error: `type` becomes the SDK error's `name`. */
export class SfnApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

export interface HistoryEvent {
  timestamp: number; // epoch ms on the clock
  type: string;
  id: number;
  previousEventId: number;
  [details: string]: unknown;
}

interface ExecutionRecord {
  seq: number;
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: number;
  stopDate?: number;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  events: HistoryEvent[];
  /** The top-level state the execution is in, for resuming after a restart. */
  current?: { stateName: string; input: JSONValue; enteredAt: number };
}

interface PendingRecord {
  token: string;
  executionArn: string;
  stateName: string;
  createdAt: number;
  timeoutAt?: number;
  heartbeatSeconds?: number;
  heartbeatAt?: number;
}

interface Pending extends PendingRecord {
  resolve(output: JSONValue): void;
  reject(err: Error): void;
  timers: ClockTimer[];
}

interface Runtime {
  abort(): void;
  cancels: Set<(err: Error) => void>;
  timers: ClockTimer[];
  resume?: { stateName: string; enteredAt: number; token?: string };
}

export interface StateMachineConfig {
  arn: string;
  name: string;
  definition: Record<string, unknown>;
  roleArn?: string;
}

export interface LocalStepFunctionsOptions {
  clock: Clock;
  invoker: Invoker;
  stateMachines: StateMachineConfig[];
  region?: string;
  /** Directory to persist executions and pending task tokens in (resumed on the next start). */
  dataDir?: string;
  /** Overrides every Retry pause (ms); undefined keeps IntervalSeconds/BackoffRate in real time. */
  retryDelayMs?: number;
  log?: (line: string) => void;
}

interface Prepared {
  config: StateMachineConfig;
  original: AslDefinition;
  interp: AslDefinition;
  machine: StateMachine;
  /** Every state by name (all nesting levels), as written in the original definition. */
  states: Map<string, AslState>;
  topLevel: Set<string>;
  taskNames: string[];
  retryStates: string[];
  timeoutSeconds?: number;
}

const INTERPRETER_MAX_TIMEOUT_S = 2_147_483; // setTimeout's range; the clock governs the real timeout
const LOCAL_WAIT_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:LocalWaitState';
const RESUME_STATE = '__LocalResume__';
// eslint-disable-next-line no-control-regex -- AWS forbids control characters in execution names
const NAME_RE = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/;

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function namedError(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

function replaceDeep(value: JSONValue, from: string, to: string): JSONValue {
  if (typeof value === 'string') return value === from ? to : value.includes(from) ? value.split(from).join(to) : value;
  if (Array.isArray(value)) return value.map((v) => replaceDeep(v, from, to));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceDeep(v, from, to)]));
  return value;
}

function prepare(config: StateMachineConfig): Prepared {
  const original = clone(config.definition) as AslDefinition;
  const interp = clone(config.definition) as AslDefinition;
  const states = new Map<string, AslState>();
  const taskNames: string[] = [];
  const retryStates: string[] = [];
  const walk = (orig: Record<string, AslState>, copy: Record<string, AslState>): void => {
    for (const [name, st] of Object.entries(orig)) {
      if (states.has(name)) throw new Error(`state name ${name} is used twice; the local runtime needs unique state names`);
      states.set(name, st);
      const c = copy[name] as AslState;
      if (Array.isArray(st.Retry)) retryStates.push(name);
      if (st.Type === 'Task') {
        taskNames.push(name);
        delete c.TimeoutSecondsPath;
        delete c.HeartbeatSeconds;
        delete c.HeartbeatSecondsPath;
        c.TimeoutSeconds = INTERPRETER_MAX_TIMEOUT_S;
      } else if (st.Type === 'Wait') {
        taskNames.push(name);
        const t: AslState = { Type: 'Task', Resource: LOCAL_WAIT_ARN, TimeoutSeconds: INTERPRETER_MAX_TIMEOUT_S };
        for (const k of ['Comment', 'InputPath', 'OutputPath', 'Next', 'End']) if (k in st) t[k] = st[k];
        copy[name] = t;
      } else if (st.Type === 'Parallel') {
        const ob = st.Branches as AslDefinition[];
        const cb = c.Branches as AslDefinition[];
        ob.forEach((b, i) => walk(b.States, (cb[i] as AslDefinition).States));
      } else if (st.Type === 'Map') {
        const key = 'ItemProcessor' in st ? 'ItemProcessor' : 'Iterator';
        walk((st[key] as AslDefinition).States, (c[key] as AslDefinition).States);
      }
    }
  };
  walk(original.States, interp.States);
  const timeoutSeconds = typeof original.TimeoutSeconds === 'number' ? original.TimeoutSeconds : undefined;
  delete interp.TimeoutSeconds;
  let machine: StateMachine;
  try {
    machine = new StateMachine(interp as unknown as StateMachineDefinition, { validationOptions: { checkPaths: true, checkArn: true } });
  } catch (err) {
    throw new Error(`state machine ${config.name}: ${(err as Error).message}`, { cause: err });
  }
  return {
    config,
    original,
    interp,
    machine,
    states,
    topLevel: new Set(Object.keys(original.States)),
    taskNames,
    retryStates,
    ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
  };
}

/** Gets the interpreter's own (unexported) States.Timeout error class by letting a 1 ms task time out once. */
async function harvestStatesTimeoutError(): Promise<new () => Error> {
  const probe = new StateMachine(
    { StartAt: 'T', States: { T: { Type: 'Task', Resource: LOCAL_WAIT_ARN, TimeoutSeconds: 0.001, End: true } } } as unknown as StateMachineDefinition,
    { validationOptions: { noValidate: true } },
  );
  const run = probe.run({}, { overrides: { taskResourceLocalHandlers: { T: () => new Promise<JSONValue>(() => undefined) } } });
  try {
    await run.result;
  } catch (err) {
    const cause = (err as Error).cause as Error | undefined;
    if (cause?.name === 'States.Timeout') return cause.constructor as new () => Error;
    throw new Error(`aws-local-stepfunctions cannot run a Task state (is the Promise.withResolvers polyfill loaded?): ${String(cause ?? err)}`, { cause: err });
  }
  throw new Error('aws-local-stepfunctions: the timeout probe did not time out');
}

const arnRe = /^arn:aws[\w-]*:states:[^:]*:\d{12}:(stateMachine|execution):[^:]+(:[^:]+)?$/;

export class LocalStepFunctions {
  readonly #clock: Clock;
  readonly #invoker: Invoker;
  readonly #region: string;
  readonly #dataDir: string | undefined;
  readonly #retryDelayMs: number | undefined;
  readonly #log: (line: string) => void;
  readonly #machines = new Map<string, Prepared>();
  readonly #executions = new Map<string, ExecutionRecord>();
  readonly #runtimes = new Map<string, Runtime>();
  readonly #pending = new Map<string, Pending>();
  readonly #closedTokens = new Set<string>();
  #seq = 0;
  #StatesTimeoutError: (new () => Error) | undefined;
  #saveTimer: NodeJS.Timeout | undefined;
  #stopped = false;
  readonly #listeners = new Set<() => void>();

  constructor(opts: LocalStepFunctionsOptions) {
    assertPolyfills();
    this.#clock = opts.clock;
    this.#invoker = opts.invoker;
    this.#region = opts.region ?? 'us-east-1';
    this.#dataDir = opts.dataDir;
    this.#retryDelayMs = opts.retryDelayMs;
    this.#log = opts.log ?? (() => undefined);
    for (const sm of opts.stateMachines) this.#machines.set(sm.arn, prepare(sm));
  }

  get stateMachineArns(): string[] {
    return [...this.#machines.keys()];
  }

  /** Checks the interpreter can run tasks, loads persisted executions and resumes the waiting ones. */
  async init(): Promise<{ resumed: number; lost: number }> {
    this.#StatesTimeoutError = await harvestStatesTimeoutError();
    let resumed = 0;
    let lost = 0;
    const file = this.#file();
    if (!file || !existsSync(file)) return { resumed, lost };
    const saved = JSON.parse(readFileSync(file, 'utf8')) as {
      seq: number;
      executions: ExecutionRecord[];
      pending: PendingRecord[];
      closedTokens: string[];
    };
    this.#seq = saved.seq;
    for (const t of saved.closedTokens) this.#closedTokens.add(t);
    for (const e of saved.executions) this.#executions.set(e.executionArn, e);
    for (const e of saved.executions) {
      if (e.status !== 'RUNNING') continue;
      const prepared = this.#machines.get(e.stateMachineArn);
      const cur = e.current;
      if (!prepared || !cur || !prepared.topLevel.has(cur.stateName)) {
        const where = cur ? `at ${cur.stateName}` : 'before its first state';
        const why = !prepared ? 'its state machine no longer exists' : 'it cannot be resumed there (inside a Map/Parallel state, or the state is gone)';
        this.#finish(e, 'FAILED', { error: 'Local.ExecutionLost', cause: `The local runtime restarted while this execution was ${where}; ${why}.` });
        lost++;
        continue;
      }
      const token = saved.pending.find((p) => p.executionArn === e.executionArn && p.stateName === cur.stateName);
      if (token) this.#pendingRecords.set(token.token, token);
      this.#launch(e, prepared, { stateName: cur.stateName, enteredAt: cur.enteredAt, ...(token ? { token: token.token } : {}) });
      resumed++;
    }
    // Ready only once every resumed wait holds its token again, so that an early SendTaskSuccess finds it.
    for (let i = 0; i < 500 && this.#pendingRecords.size > 0; i++) await new Promise((r) => setTimeout(r, 2));
    this.#save();
    return { resumed, lost };
  }

  readonly #pendingRecords = new Map<string, PendingRecord>(); // persisted tokens waiting to be re-attached

  // ---------------------------------------------------------------- API operations

  startExecution(req: { stateMachineArn?: string; name?: string; input?: string }): { executionArn: string; startDate: number } {
    const prepared = this.#machine(req.stateMachineArn);
    const name = req.name ?? randomUUID();
    if (!NAME_RE.test(name)) throw new SfnApiError('InvalidName', `Invalid Name: '${name}'`);
    const inputText = req.input ?? '{}';
    let input: JSONValue;
    try {
      input = JSON.parse(inputText) as JSONValue;
    } catch {
      throw new SfnApiError('InvalidExecutionInput', `Invalid State Machine Execution Input: 'Unexpected token'`);
    }
    const executionArn = `${prepared.config.arn.replace(':stateMachine:', ':execution:')}:${name}`;
    const existing = this.#executions.get(executionArn);
    if (existing) {
      // AWS (Standard): same name + same input while still open → success with the same execution; otherwise an error.
      if (existing.status === 'RUNNING' && JSON.stringify(JSON.parse(existing.input)) === JSON.stringify(input)) {
        return { executionArn, startDate: existing.startDate };
      }
      throw new SfnApiError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const exec: ExecutionRecord = {
      seq: ++this.#seq,
      executionArn,
      stateMachineArn: prepared.config.arn,
      name,
      status: 'RUNNING',
      startDate: this.#clock.now(),
      input: inputText,
      events: [],
    };
    this.#executions.set(executionArn, exec);
    this.#event(exec, 'ExecutionStarted', {
      executionStartedEventDetails: { input: inputText, inputDetails: { truncated: false }, roleArn: prepared.config.roleArn ?? '' },
    });
    this.#launch(exec, prepared);
    return { executionArn, startDate: exec.startDate };
  }

  describeExecution(req: { executionArn?: string }): Record<string, unknown> {
    const e = this.#execution(req.executionArn);
    return {
      executionArn: e.executionArn,
      stateMachineArn: e.stateMachineArn,
      name: e.name,
      status: e.status,
      startDate: e.startDate / 1000,
      ...(e.stopDate !== undefined ? { stopDate: e.stopDate / 1000 } : {}),
      input: e.input,
      inputDetails: { included: true },
      ...(e.output !== undefined ? { output: e.output, outputDetails: { included: true } } : {}),
      ...(e.error !== undefined ? { error: e.error } : {}),
      ...(e.cause !== undefined ? { cause: e.cause } : {}),
      redriveCount: 0,
      redriveStatus: 'NOT_REDRIVABLE',
    };
  }

  listExecutions(req: { stateMachineArn?: string; statusFilter?: string; maxResults?: number; nextToken?: string }): Record<string, unknown> {
    const prepared = this.#machine(req.stateMachineArn);
    const max = req.maxResults && req.maxResults > 0 ? Math.min(req.maxResults, 1000) : 100;
    const key = `${prepared.config.arn}|${req.statusFilter ?? ''}`;
    const offset = this.#readToken(req.nextToken, key);
    const all = [...this.#executions.values()]
      .filter((e) => e.stateMachineArn === prepared.config.arn && (!req.statusFilter || e.status === req.statusFilter))
      .sort((a, b) => b.startDate - a.startDate || b.seq - a.seq);
    const page = all.slice(offset, offset + max);
    return {
      executions: page.map((e) => ({
        executionArn: e.executionArn,
        stateMachineArn: e.stateMachineArn,
        name: e.name,
        status: e.status,
        startDate: e.startDate / 1000,
        ...(e.stopDate !== undefined ? { stopDate: e.stopDate / 1000 } : {}),
      })),
      ...(offset + max < all.length ? { nextToken: this.#makeToken(offset + max, key) } : {}),
    };
  }

  getExecutionHistory(req: {
    executionArn?: string;
    maxResults?: number;
    reverseOrder?: boolean;
    nextToken?: string;
    includeExecutionData?: boolean;
  }): Record<string, unknown> {
    const e = this.#execution(req.executionArn);
    const max = req.maxResults && req.maxResults > 0 ? Math.min(req.maxResults, 1000) : 100;
    const key = `${e.executionArn}|${req.reverseOrder ? 'r' : 'f'}`;
    const offset = this.#readToken(req.nextToken, key);
    const events = req.reverseOrder ? [...e.events].reverse() : e.events;
    const page = events.slice(offset, offset + max).map((ev) => {
      const out: Record<string, unknown> = { ...ev, timestamp: ev.timestamp / 1000 };
      if (req.includeExecutionData === false) {
        for (const [k, v] of Object.entries(out)) {
          if (k.endsWith('EventDetails') && v && typeof v === 'object') {
            const d = { ...(v as Record<string, unknown>) };
            for (const f of ['input', 'output', 'parameters', 'inputDetails', 'outputDetails']) delete d[f];
            out[k] = d;
          }
        }
      }
      return out;
    });
    return { events: page, ...(offset + max < events.length ? { nextToken: this.#makeToken(offset + max, key) } : {}) };
  }

  sendTaskSuccess(req: { taskToken?: string; output?: string }): Record<string, never> {
    const p = this.#pendingFor(req.taskToken);
    let output: JSONValue;
    try {
      output = JSON.parse(req.output ?? '') as JSONValue;
    } catch {
      throw new SfnApiError('InvalidOutput', 'Invalid Output: the output must be valid JSON');
    }
    p.resolve(output);
    return {};
  }

  sendTaskFailure(req: { taskToken?: string; error?: string; cause?: string }): Record<string, never> {
    const p = this.#pendingFor(req.taskToken);
    p.reject(namedError(req.error ?? '', req.cause ?? ''));
    return {};
  }

  sendTaskHeartbeat(req: { taskToken?: string }): Record<string, never> {
    const p = this.#pendingFor(req.taskToken);
    if (p.heartbeatSeconds !== undefined) this.#armHeartbeat(p, this.#clock.now() + p.heartbeatSeconds * 1000);
    return {};
  }

  stopExecution(req: { executionArn?: string; error?: string; cause?: string }): { stopDate: number } {
    const e = this.#execution(req.executionArn);
    if (e.status === 'RUNNING') {
      this.#finish(e, 'ABORTED', { ...(req.error !== undefined ? { error: req.error } : {}), ...(req.cause !== undefined ? { cause: req.cause } : {}) });
    }
    return { stopDate: (e.stopDate ?? this.#clock.now()) / 1000 };
  }

  describeStateMachine(req: { stateMachineArn?: string }): Record<string, unknown> {
    const p = this.#machine(req.stateMachineArn);
    return {
      stateMachineArn: p.config.arn,
      name: p.config.name,
      status: 'ACTIVE',
      definition: JSON.stringify(p.original),
      roleArn: p.config.roleArn ?? '',
      type: 'STANDARD',
      creationDate: 0,
    };
  }

  listStateMachines(): Record<string, unknown> {
    return {
      stateMachines: [...this.#machines.values()].map((p) => ({ stateMachineArn: p.config.arn, name: p.config.name, type: 'STANDARD', creationDate: 0 })),
    };
  }

  /** Dispatches a wire-protocol operation by name. */
  call(operation: string, body: Record<string, unknown>): unknown {
    switch (operation) {
      case 'StartExecution':
        return this.startExecution(body);
      case 'DescribeExecution':
        return this.describeExecution(body);
      case 'ListExecutions':
        return this.listExecutions(body);
      case 'GetExecutionHistory':
        return this.getExecutionHistory(body);
      case 'SendTaskSuccess':
        return this.sendTaskSuccess(body);
      case 'SendTaskFailure':
        return this.sendTaskFailure(body);
      case 'SendTaskHeartbeat':
        return this.sendTaskHeartbeat(body);
      case 'StopExecution':
        return this.stopExecution(body);
      case 'DescribeStateMachine':
        return this.describeStateMachine(body);
      case 'ListStateMachines':
        return this.listStateMachines();
      default:
        throw new SfnApiError('UnknownOperationException', `The local Step Functions does not implement ${operation}`);
    }
  }

  // ---------------------------------------------------------------- local-only helpers (tests, the ops view)

  /** Task tokens currently waiting, with their execution and state (never shown by AWS; for local tooling). */
  pendingTasks(): { token: string; executionArn: string; stateName: string; timeoutAt?: number }[] {
    return [...this.#pending.values()].map((p) => ({
      token: p.token,
      executionArn: p.executionArn,
      stateName: p.stateName,
      ...(p.timeoutAt !== undefined ? { timeoutAt: p.timeoutAt } : {}),
    }));
  }

  /** Resolves after the next change of any execution (history event); for polling without sleeps. */
  nextChange(): Promise<void> {
    return new Promise((resolve) => {
      const l = (): void => {
        this.#listeners.delete(l);
        resolve();
      };
      this.#listeners.add(l);
    });
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    // Persist first: running executions stay RUNNING and their tokens pending, to be resumed by the next start.
    this.#flush();
    this.#stopped = true;
    // Abort before unblocking the interpreter, so that no Catch path (e.g. a failure branch) runs on the way down.
    const err = namedError('Local.Shutdown', 'the local runtime is stopping');
    for (const [arn, rt] of this.#runtimes) {
      for (const t of rt.timers) t.cancel();
      rt.abort();
      for (const c of [...rt.cancels]) c(err);
      this.#runtimes.delete(arn);
    }
    for (const p of [...this.#pending.values()]) for (const t of p.timers) t.cancel();
    // Let the interpreters unwind before the caller closes the servers.
    await new Promise((r) => setImmediate(r));
  }

  // ---------------------------------------------------------------- running

  #launch(exec: ExecutionRecord, prepared: Prepared, resume?: Runtime['resume']): void {
    const placeholder = `__local_task_token_${randomUUID()}__`;
    const rt: Runtime = { abort: () => undefined, cancels: new Set(), timers: [], ...(resume ? { resume } : {}) };
    this.#runtimes.set(exec.executionArn, rt);

    const handlers: Record<string, (input: JSONValue) => Promise<JSONValue>> = {};
    for (const name of prepared.taskNames) handlers[name] = (input) => this.#runTask(exec, prepared, rt, name, input, placeholder);
    const overrides: NonNullable<RunOptions['overrides']> = { taskResourceLocalHandlers: handlers };
    if (this.#retryDelayMs !== undefined) {
      overrides.retryIntervalOverrides = Object.fromEntries(prepared.retryStates.map((n) => [n, this.#retryDelayMs as number]));
    }
    const context = {
      Execution: { Id: exec.executionArn, Name: exec.name, RoleArn: prepared.config.roleArn ?? '', StartTime: new Date(exec.startDate).toISOString() },
      StateMachine: { Id: prepared.config.arn, Name: prepared.config.name },
      Task: { Token: placeholder },
    };
    let machine = prepared.machine;
    if (resume) {
      const cur = exec.current as NonNullable<ExecutionRecord['current']>;
      const def = clone(prepared.interp);
      def.States[RESUME_STATE] = { Type: 'Pass', Result: { v: cur.input }, OutputPath: '$.v', Next: resume.stateName };
      def.StartAt = RESUME_STATE;
      machine = new StateMachine(def as unknown as StateMachineDefinition, { validationOptions: { noValidate: true } });
    }
    const run = machine.run(JSON.parse(exec.input) as JSONValue, { overrides, context: context as unknown as RunOptions['context'], noThrowOnAbort: true });
    rt.abort = run.abort;
    run.result.catch(() => undefined); // the outcome is read from the event log

    if (prepared.timeoutSeconds !== undefined) {
      rt.timers.push(
        this.#clock.at(exec.startDate + prepared.timeoutSeconds * 1000, () => this.#finish(exec, 'TIMED_OUT', { error: 'States.Timeout', cause: '' })),
      );
    }
    void this.#consume(exec, prepared, run.eventLogs as unknown as AsyncGenerator<Record<string, unknown>>, Boolean(resume));
  }

  async #consume(exec: ExecutionRecord, prepared: Prepared, logs: AsyncGenerator<Record<string, unknown>>, resuming: boolean): Promise<void> {
    let skipEntered = resuming;
    try {
      for await (const ev of logs) {
        if (exec.status !== 'RUNNING') continue;
        const state = ev.state as { name: string; type: string; input?: JSONValue; output?: JSONValue } | undefined;
        if (state?.name === RESUME_STATE) continue;
        switch (ev.type) {
          case 'StateEntered': {
            const s = state as NonNullable<typeof state>;
            if (skipEntered && s.name === exec.current?.stateName) {
              skipEntered = false;
              break;
            }
            if (prepared.topLevel.has(s.name) && ev.index === undefined) {
              exec.current = { stateName: s.name, input: s.input ?? null, enteredAt: this.#clock.now() };
            }
            const type = prepared.states.get(s.name)?.Type ?? s.type;
            this.#event(exec, `${type}StateEntered`, {
              stateEnteredEventDetails: { name: s.name, input: JSON.stringify(s.input ?? null), inputDetails: { truncated: false } },
            });
            break;
          }
          case 'StateExited': {
            const s = state as NonNullable<typeof state>;
            const type = prepared.states.get(s.name)?.Type ?? s.type;
            this.#event(exec, `${type}StateExited`, {
              stateExitedEventDetails: { name: s.name, output: JSON.stringify(s.output ?? null), outputDetails: { truncated: false } },
            });
            break;
          }
          case 'MapIterationStarted':
          case 'MapIterationSucceeded':
          case 'MapIterationFailed': {
            const parent = ev.parentState as { name: string };
            const key = `mapIteration${String(ev.type).slice('MapIteration'.length)}EventDetails`;
            this.#event(exec, String(ev.type), { [key]: { name: parent.name, index: ev.index } });
            break;
          }
          case 'ExecutionSucceeded':
            this.#finish(exec, 'SUCCEEDED', { output: JSON.stringify(ev.output ?? null) });
            break;
          case 'ExecutionFailed':
            this.#finish(exec, 'FAILED', { error: String(ev.Error ?? ''), cause: typeof ev.Cause === 'string' ? ev.Cause : String((ev.Cause as Error)?.message ?? '') });
            break;
          default:
            break; // StateFailed / StateRetried / StateCaught / Parallel* have no AWS history event of their own
        }
      }
    } catch (err) {
      this.#log(`local Step Functions: event log of ${exec.name} failed: ${String(err)}`);
    }
  }

  async #runTask(exec: ExecutionRecord, prepared: Prepared, rt: Runtime, stateName: string, rawInput: JSONValue, placeholder: string): Promise<JSONValue> {
    // Let the interpreter's StateEntered event reach the history before this task's own events.
    await new Promise((r) => setImmediate(r));
    if (exec.status !== 'RUNNING' || this.#stopped) throw namedError('Local.ExecutionClosed', 'the execution is no longer running');
    const st = prepared.states.get(stateName) as AslState;
    const resume = rt.resume?.stateName === stateName ? rt.resume : undefined;
    if (resume) delete rt.resume;
    const input = replaceDeep(rawInput, placeholder, '');
    if (st.Type === 'Wait') return this.#runWait(exec, rt, st, rawInput, resume?.enteredAt ?? this.#clock.now());

    const resource = String(st.Resource);
    const seconds = (field: string): number | undefined => {
      if (typeof st[field] === 'number') return st[field] as number;
      if (typeof st[`${field}Path`] === 'string') return Number(queryPath(st[`${field}Path`] as string, rawInput));
      return undefined;
    };
    const timeoutSeconds = seconds('TimeoutSeconds');
    const heartbeatSeconds = seconds('HeartbeatSeconds');
    const timing = {
      ...(timeoutSeconds !== undefined ? { timeoutInSeconds: timeoutSeconds } : {}),
      ...(heartbeatSeconds !== undefined ? { heartbeatInSeconds: heartbeatSeconds } : {}),
    };

    const direct = /^arn:aws[\w-]*:lambda:/.test(resource);
    const m = /^arn:aws[\w-]*:states:::([^:.]+):([^.]+)(?:\.(sync|waitForTaskToken))?(?::\d+)?$/.exec(resource);
    const service = m?.[1];
    const mode = m?.[3];
    const resourceName = m ? `${m[2]}${mode ? `.${mode}` : ''}` : resource;

    if (direct) {
      // A bare function ARN: the handler's result is the task result.
      this.#event(exec, 'LambdaFunctionScheduled', {
        lambdaFunctionScheduledEventDetails: { resource, input: JSON.stringify(input), inputDetails: { truncated: false }, ...(timeoutSeconds ? { timeoutInSeconds: timeoutSeconds } : {}) },
      });
      this.#event(exec, 'LambdaFunctionStarted', {});
      try {
        const out = (await this.#withTimeout(rt, this.#invoker.invoke(resource, input), timeoutSeconds)) as JSONValue;
        this.#event(exec, 'LambdaFunctionSucceeded', { lambdaFunctionSucceededEventDetails: { output: JSON.stringify(out), outputDetails: { truncated: false } } });
        return out;
      } catch (err) {
        const e = this.#taskError(err);
        const timedOut = e.name === 'States.Timeout';
        this.#event(exec, timedOut ? 'LambdaFunctionTimedOut' : 'LambdaFunctionFailed', {
          [timedOut ? 'lambdaFunctionTimedOutEventDetails' : 'lambdaFunctionFailedEventDetails']: { error: e.name, cause: e.message },
        });
        throw e;
      }
    }

    if (service !== 'lambda' || (m?.[2] !== 'invoke')) {
      const e = namedError('States.Runtime', `The local runtime does not support the resource ${resource}`);
      this.#event(exec, 'TaskFailed', { taskFailedEventDetails: { resourceType: service ?? 'unknown', resource: resourceName, error: e.name, cause: e.message } });
      throw e;
    }
    const params = (input ?? {}) as Record<string, JSONValue>;
    const functionRef = String(params.FunctionName ?? '');
    const base = { resourceType: 'lambda', resource: resourceName };

    if (mode !== 'waitForTaskToken') {
      this.#event(exec, 'TaskScheduled', { taskScheduledEventDetails: { ...base, region: this.#region, parameters: JSON.stringify(params), ...timing } });
      this.#event(exec, 'TaskStarted', { taskStartedEventDetails: base });
      try {
        const payload = await this.#withTimeout(rt, this.#invoker.invoke(functionRef, params.Payload ?? {}), timeoutSeconds);
        const out = this.#invokeResult(payload as JSONValue);
        this.#event(exec, 'TaskSucceeded', { taskSucceededEventDetails: { ...base, output: JSON.stringify(out), outputDetails: { truncated: false } } });
        return out;
      } catch (err) {
        const e = this.#taskError(err);
        this.#taskFailedEvent(exec, base, e);
        throw e;
      }
    }

    // lambda:invoke.waitForTaskToken: invoke, then wait for the callback on this attempt's own token.
    const resumedRecord = resume?.token ? this.#pendingRecords.get(resume.token) : undefined;
    const token = resumedRecord?.token ?? this.#mintToken();
    const now = this.#clock.now();
    const record: PendingRecord = resumedRecord ?? {
      token,
      executionArn: exec.executionArn,
      stateName,
      createdAt: now,
      ...(timeoutSeconds !== undefined ? { timeoutAt: now + timeoutSeconds * 1000 } : {}),
      ...(heartbeatSeconds !== undefined ? { heartbeatSeconds, heartbeatAt: now + heartbeatSeconds * 1000 } : {}),
    };
    if (resumedRecord) this.#pendingRecords.delete(token);
    const outcome = this.#register(record);
    rt.cancels.add(outcome.cancel);
    try {
      if (!resumedRecord) {
        const withToken = replaceDeep(rawInput, placeholder, token) as Record<string, JSONValue>;
        this.#event(exec, 'TaskScheduled', { taskScheduledEventDetails: { ...base, region: this.#region, parameters: JSON.stringify(withToken), ...timing } });
        this.#event(exec, 'TaskStarted', { taskStartedEventDetails: base });
        this.#invoker.invoke(functionRef, withToken.Payload ?? {}).then(
          (payload) => {
            if (exec.status === 'RUNNING' && this.#pending.has(token)) {
              this.#event(exec, 'TaskSubmitted', {
                taskSubmittedEventDetails: { ...base, output: JSON.stringify(this.#invokeResult(payload as JSONValue)), outputDetails: { truncated: false } },
              });
            }
          },
          (err: unknown) => this.#pending.get(token)?.reject(this.#taskError(err)),
        );
      }
      const out = await outcome.promise;
      this.#event(exec, 'TaskSucceeded', { taskSucceededEventDetails: { ...base, output: JSON.stringify(out), outputDetails: { truncated: false } } });
      return out;
    } catch (err) {
      const e = err as Error;
      if (exec.status === 'RUNNING') this.#taskFailedEvent(exec, base, e);
      throw e;
    } finally {
      rt.cancels.delete(outcome.cancel);
    }
  }

  async #runWait(exec: ExecutionRecord, rt: Runtime, st: AslState, input: JSONValue, enteredAt: number): Promise<JSONValue> {
    let dueAt = enteredAt;
    if (typeof st.Seconds === 'number') dueAt = enteredAt + st.Seconds * 1000;
    else if (typeof st.Timestamp === 'string') dueAt = Date.parse(st.Timestamp);
    else if (typeof st.SecondsPath === 'string') dueAt = enteredAt + Number(queryPath(st.SecondsPath, input)) * 1000;
    else if (typeof st.TimestampPath === 'string') dueAt = Date.parse(String(queryPath(st.TimestampPath, input)));
    if (Number.isNaN(dueAt)) throw namedError('States.Runtime', 'Wait state: invalid timestamp');
    if (dueAt <= this.#clock.now()) return input;
    await new Promise<void>((resolve, reject) => {
      const timer = this.#clock.at(dueAt, () => {
        rt.cancels.delete(cancel);
        resolve();
      });
      const cancel = (err: Error): void => {
        timer.cancel();
        reject(err);
      };
      rt.cancels.add(cancel);
    });
    return input;
  }

  #invokeResult(payload: JSONValue): JSONValue {
    const requestId = randomUUID();
    return {
      ExecutedVersion: '$LATEST',
      Payload: payload,
      SdkHttpMetadata: {
        AllHttpHeaders: { 'X-Amz-Executed-Version': ['$LATEST'], 'x-amzn-RequestId': [requestId], 'Content-Type': ['application/json'] },
        HttpHeaders: { 'X-Amz-Executed-Version': '$LATEST', 'x-amzn-RequestId': requestId, 'Content-Type': 'application/json' },
        HttpStatusCode: 200,
      },
      SdkResponseMetadata: { RequestId: requestId },
      StatusCode: 200,
    };
  }

  /** A handler error as the interpreter must see it: name = errorType, message = Lambda's error JSON (the Cause). */
  #taskError(err: unknown): Error {
    if (this.#StatesTimeoutError && err instanceof this.#StatesTimeoutError) return err;
    if (err instanceof LambdaFunctionError) return namedError(err.errorType, JSON.stringify(err.payload()));
    if (err instanceof Error && err.name.startsWith('States.')) return err;
    const le = toLambdaError(err);
    return namedError(le.errorType, JSON.stringify(le.payload()));
  }

  #taskFailedEvent(exec: ExecutionRecord, base: Record<string, string>, e: Error): void {
    if (e.name === 'States.Timeout' || e.name === 'States.HeartbeatTimeout') {
      this.#event(exec, 'TaskTimedOut', { taskTimedOutEventDetails: { ...base, error: e.name, cause: '' } });
    } else {
      this.#event(exec, 'TaskFailed', { taskFailedEventDetails: { ...base, error: e.name, cause: e.message } });
    }
  }

  #timeoutError(): Error {
    const Ctor = this.#StatesTimeoutError;
    if (!Ctor) throw new Error('LocalStepFunctions.init() was not awaited');
    return new Ctor();
  }

  async #withTimeout<T>(rt: Runtime, p: Promise<T>, timeoutSeconds: number | undefined): Promise<T> {
    let timer: ClockTimer | undefined;
    let cancel: ((err: Error) => void) | undefined;
    const stop = new Promise<never>((_, reject) => {
      cancel = reject;
      if (timeoutSeconds !== undefined) timer = this.#clock.at(this.#clock.now() + timeoutSeconds * 1000, () => reject(this.#timeoutError()));
    });
    rt.cancels.add(cancel as (err: Error) => void);
    try {
      return await Promise.race([p, stop]);
    } finally {
      timer?.cancel();
      rt.cancels.delete(cancel as (err: Error) => void);
    }
  }

  // ---------------------------------------------------------------- task tokens

  #mintToken(): string {
    // Opaque like AWS's (base64, several hundred characters); carries nothing a caller could read.
    return `AQ${randomBytes(180).toString('base64')}`;
  }

  #register(record: PendingRecord): { promise: Promise<JSONValue>; cancel: (err: Error) => void } {
    let resolve!: (v: JSONValue) => void;
    let reject!: (e: Error) => void;
    const promise = new Promise<JSONValue>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const close = (): void => {
      const p = this.#pending.get(record.token);
      if (!p) return;
      for (const t of p.timers) t.cancel();
      this.#pending.delete(record.token);
      this.#closedTokens.add(record.token);
      this.#save();
    };
    const pending: Pending = {
      ...record,
      timers: [],
      resolve: (v) => {
        close();
        resolve(v);
      },
      reject: (e) => {
        close();
        reject(e);
      },
    };
    this.#pending.set(record.token, pending);
    if (record.timeoutAt !== undefined) pending.timers.push(this.#clock.at(record.timeoutAt, () => pending.reject(this.#timeoutError())));
    if (record.heartbeatAt !== undefined) this.#armHeartbeat(pending, record.heartbeatAt);
    this.#save();
    return { promise, cancel: pending.reject };
  }

  #armHeartbeat(p: Pending, at: number): void {
    p.heartbeatAt = at;
    const old = p.timers.findIndex((t) => (t as ClockTimer & { heartbeat?: true }).heartbeat);
    if (old >= 0) p.timers.splice(old, 1)[0]?.cancel();
    const t = Object.assign(this.#clock.at(at, () => p.reject(namedError('States.HeartbeatTimeout', ''))), { heartbeat: true as const });
    p.timers.push(t);
    this.#save();
  }

  #pendingFor(token: string | undefined): Pending {
    if (!token || token.length > 1024) throw new SfnApiError('InvalidToken', 'Invalid Token: \'Invalid token\'');
    const p = this.#pending.get(token);
    if (p) return p;
    if (this.#closedTokens.has(token)) throw new SfnApiError('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");
    throw new SfnApiError('InvalidToken', "Invalid Token: 'Invalid token'");
  }

  // ---------------------------------------------------------------- bookkeeping

  #finish(exec: ExecutionRecord, status: Exclude<ExecutionStatus, 'RUNNING'>, d: { output?: string; error?: string; cause?: string }): void {
    if (exec.status !== 'RUNNING') return;
    exec.status = status;
    exec.stopDate = this.#clock.now();
    if (d.output !== undefined) exec.output = d.output;
    if (d.error !== undefined) exec.error = d.error;
    if (d.cause !== undefined) exec.cause = d.cause;
    delete exec.current;
    const err = { ...(d.error !== undefined ? { error: d.error } : {}), ...(d.cause !== undefined ? { cause: d.cause } : {}) };
    switch (status) {
      case 'SUCCEEDED':
        this.#event(exec, 'ExecutionSucceeded', { executionSucceededEventDetails: { output: d.output, outputDetails: { truncated: false } } });
        break;
      case 'FAILED':
        this.#event(exec, 'ExecutionFailed', { executionFailedEventDetails: err });
        break;
      case 'TIMED_OUT':
        this.#event(exec, 'ExecutionTimedOut', { executionTimedOutEventDetails: err });
        break;
      case 'ABORTED':
        this.#event(exec, 'ExecutionAborted', { executionAbortedEventDetails: err });
        break;
    }
    const rt = this.#runtimes.get(exec.executionArn);
    if (rt) {
      this.#runtimes.delete(exec.executionArn);
      for (const t of rt.timers) t.cancel();
      // Abort first, then unblock waiting tasks: an aborted interpreter runs no Catch path afterwards.
      if (status === 'ABORTED' || status === 'TIMED_OUT') rt.abort();
      const closed = namedError('Local.ExecutionClosed', `execution ${status}`);
      for (const c of [...rt.cancels]) c(closed);
    }
    for (const p of [...this.#pending.values()]) if (p.executionArn === exec.executionArn) p.reject(namedError('Local.ExecutionClosed', status));
    this.#save();
  }

  #event(exec: ExecutionRecord, type: string, details: Record<string, unknown>): void {
    if (this.#stopped) return;
    const id = exec.events.length + 1;
    exec.events.push({ timestamp: this.#clock.now(), type, id, previousEventId: id - 1, ...details });
    this.#save();
    for (const l of [...this.#listeners]) l();
  }

  #machine(arn: string | undefined): Prepared {
    if (!arn || !arnRe.test(arn)) throw new SfnApiError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${arn ?? ''}'`);
    const p = this.#machines.get(arn);
    if (!p) throw new SfnApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return p;
  }

  #execution(arn: string | undefined): ExecutionRecord {
    if (!arn || !arnRe.test(arn)) throw new SfnApiError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${arn ?? ''}'`);
    const e = this.#executions.get(arn);
    if (!e) throw new SfnApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return e;
  }

  #makeToken(offset: number, key: string): string {
    return Buffer.from(JSON.stringify({ o: offset, k: key })).toString('base64url');
  }

  #readToken(token: string | undefined, key: string): number {
    if (!token) return 0;
    try {
      const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o: number; k: string };
      if (t.k === key && Number.isInteger(t.o) && t.o >= 0) return t.o;
    } catch {
      // fall through
    }
    throw new SfnApiError('InvalidToken', 'Invalid Token: the nextToken does not belong to this request');
  }

  #file(): string | undefined {
    return this.#dataDir ? join(this.#dataDir, 'stepfunctions.json') : undefined;
  }

  #save(): void {
    if (!this.#dataDir || this.#saveTimer || this.#stopped) return;
    this.#saveTimer = setTimeout(() => {
      this.#saveTimer = undefined;
      this.#flush();
    }, 25);
    this.#saveTimer.unref();
  }

  #flush(): void {
    const file = this.#file();
    if (!file) return;
    if (this.#saveTimer) clearTimeout(this.#saveTimer);
    this.#saveTimer = undefined;
    mkdirSync(this.#dataDir as string, { recursive: true });
    const pending: PendingRecord[] = [...this.#pending.values(), ...this.#pendingRecords.values()].map((p) => ({
      token: p.token,
      executionArn: p.executionArn,
      stateName: p.stateName,
      createdAt: p.createdAt,
      ...(p.timeoutAt !== undefined ? { timeoutAt: p.timeoutAt } : {}),
      ...(p.heartbeatSeconds !== undefined ? { heartbeatSeconds: p.heartbeatSeconds, heartbeatAt: p.heartbeatAt } : {}),
    }));
    const data = { seq: this.#seq, executions: [...this.#executions.values()], pending, closedTokens: [...this.#closedTokens] };
    writeFileSync(`${file}.tmp`, JSON.stringify(data));
    renameSync(`${file}.tmp`, file);
  }
}

// Runs Lambda handlers in this process: imports the very module named by a function's `ace-filing:entry` metadata
// and calls its exported handler with a Lambda-like context.
//
// One process, many functions: handlers read their configuration at import (functions/adapters/config.ts), so the
// local runtime sets the UNION of every function's environment in process.env before importing any handler. The
// values are local names shared by all functions (table name, state machine ARN, sender, ...); a variable two
// functions set differently is reported at start-up (the first value wins).
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { resolve as resolvePath } from 'node:path';
import type { FunctionSpec } from './template-model.ts';
import { functionNameFromRef } from './template-model.ts';

export type Handler = (event: unknown, context: LambdaContext) => unknown;

export interface LambdaContext {
  callbackWaitsForEmptyEventLoop: boolean;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  getRemainingTimeInMillis(): number;
  done(): void;
  fail(): void;
  succeed(): void;
}

/** What Lambda reports for a function error: `errorType` is the thrown error's name. */
export class LambdaFunctionError extends Error {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace: string[];
  constructor(errorType: string, errorMessage: string, trace: string[] = []) {
    super(errorMessage);
    this.name = errorType;
    this.errorType = errorType;
    this.errorMessage = errorMessage;
    this.trace = trace;
  }
  /** The JSON Lambda returns as the error payload (and Step Functions shows as the Cause). */
  payload(): { errorType: string; errorMessage: string; trace: string[] } {
    return { errorType: this.errorType, errorMessage: this.errorMessage, trace: this.trace };
  }
}

export interface Invoker {
  /** Invokes a function by ARN (qualifier ignored), name or logical id; resolves with its result. */
  invoke(functionRef: string, event: unknown): Promise<unknown>;
  has(functionRef: string): boolean;
}

export function toLambdaError(err: unknown): LambdaFunctionError {
  if (err instanceof LambdaFunctionError) return err;
  if (err instanceof Error) {
    return new LambdaFunctionError(err.name || 'Error', err.message, (err.stack ?? '').split('\n').slice(1).map((l) => l.trim()));
  }
  return new LambdaFunctionError('Error', typeof err === 'string' ? err : JSON.stringify(err));
}

export function makeContext(fn: { functionName: string; arn: string; timeoutSeconds: number }): LambdaContext {
  const deadline = Date.now() + fn.timeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: fn.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: fn.arn,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${fn.functionName}`,
    logStreamName: `local/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LambdaFunctionError('Sandbox.Timedout', `${what}: Task timed out after ${(ms / 1000).toFixed(2)} seconds`)), ms);
    timer.unref();
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Imports handler modules from the project directory and invokes them like Lambda would. */
export class ModuleInvoker implements Invoker {
  readonly #byKey = new Map<string, FunctionSpec>();
  readonly #loaded = new Map<string, Promise<Handler>>();
  readonly #projectDir: string;

  constructor(functions: FunctionSpec[], projectDir: string) {
    this.#projectDir = projectDir;
    for (const f of functions) {
      this.#byKey.set(f.logicalId, f);
      this.#byKey.set(f.functionName, f);
      this.#byKey.set(f.arn, f);
    }
  }

  spec(ref: string): FunctionSpec | undefined {
    return this.#byKey.get(ref) ?? this.#byKey.get(functionNameFromRef(ref));
  }

  has(ref: string): boolean {
    return this.spec(ref) !== undefined;
  }

  load(spec: FunctionSpec): Promise<Handler> {
    let p = this.#loaded.get(spec.logicalId);
    if (!p) {
      const url = pathToFileURL(resolvePath(this.#projectDir, spec.entry)).href;
      p = import(url).then((mod: Record<string, unknown>) => {
        const h = mod[spec.handler];
        if (typeof h !== 'function') throw new Error(`${spec.entry} does not export a function named ${spec.handler}`);
        return h as Handler;
      });
      p.catch(() => this.#loaded.delete(spec.logicalId)); // retry the import on the next invocation
      this.#loaded.set(spec.logicalId, p);
    }
    return p;
  }

  /** Imports every handler now (cold starts up front); returns the failures. */
  async preload(): Promise<{ entry: string; error: string }[]> {
    const specs = [...new Set(this.#byKey.values())];
    const results = await Promise.allSettled(specs.map((s) => this.load(s)));
    return results.flatMap((r, i) =>
      r.status === 'rejected' ? [{ entry: (specs[i] as FunctionSpec).entry, error: String((r.reason as Error)?.message ?? r.reason) }] : [],
    );
  }

  /** Told of every finished invocation (the cost benchmark counts invocations and their duration). */
  readonly observers = new Set<(done: { logicalId: string; functionName: string; ms: number }) => void>();

  /** Invocations still running, so a shutdown can let them finish before the stand-ins close. */
  readonly #inFlight = new Set<Promise<unknown>>();

  invoke(ref: string, event: unknown): Promise<unknown> {
    const run = this.#invoke(ref, event);
    this.#inFlight.add(run);
    const forget = (): void => {
      this.#inFlight.delete(run);
    };
    run.then(forget, forget);
    return run;
  }

  /** Resolves when no invocation is running, or after `maxMs` (a handler stuck on a closed stand-in must not hang). */
  async drain(maxMs = 5_000): Promise<void> {
    const deadline = Date.now() + maxMs;
    while (this.#inFlight.size > 0 && Date.now() < deadline) {
      await Promise.race([Promise.allSettled([...this.#inFlight]), new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now())))]);
    }
  }

  async #invoke(ref: string, event: unknown): Promise<unknown> {
    const spec = this.spec(ref);
    if (!spec) throw new LambdaFunctionError('ResourceNotFoundException', `Function not found: ${ref}`);
    const handler = await this.load(spec);
    const context = makeContext(spec);
    const started = performance.now();
    try {
      // A deep copy, as Lambda would deserialize the payload afresh.
      const payload = event === undefined ? undefined : JSON.parse(JSON.stringify(event));
      const result = await withTimeout(Promise.resolve().then(() => handler(payload, context)), spec.timeoutSeconds * 1000, spec.functionName);
      return result === undefined ? null : JSON.parse(JSON.stringify(result));
    } catch (err) {
      throw toLambdaError(err);
    } finally {
      for (const observe of this.observers) observe({ logicalId: spec.logicalId, functionName: spec.functionName, ms: performance.now() - started });
    }
  }
}

/** Invokes plain functions registered by name or ARN (tests and hand-written definitions). */
export class FunctionMapInvoker implements Invoker {
  readonly #fns: Map<string, Handler>;
  constructor(fns: Record<string, Handler>) {
    this.#fns = new Map(Object.entries(fns));
  }
  has(ref: string): boolean {
    return this.#fns.has(ref) || this.#fns.has(functionNameFromRef(ref));
  }
  async invoke(ref: string, event: unknown): Promise<unknown> {
    const fn = this.#fns.get(ref) ?? this.#fns.get(functionNameFromRef(ref));
    if (!fn) throw new LambdaFunctionError('ResourceNotFoundException', `Function not found: ${ref}`);
    const name = functionNameFromRef(ref);
    try {
      const result = await fn(JSON.parse(JSON.stringify(event ?? null)), makeContext({ functionName: name, arn: ref, timeoutSeconds: 900 }));
      return result === undefined ? null : JSON.parse(JSON.stringify(result));
    } catch (err) {
      throw toLambdaError(err);
    }
  }
}

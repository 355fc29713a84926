/**
 * One structured logger per function, named after the service. Correlation ids (application id, task name) are
 * appended as keys by the handlers; no personal data (emails, account ids) is ever logged.
 *
 * A house logger instead of Powertools Logger (issue 11 §1): the same JSON line shape (level, message, timestamp,
 * service, cold_start, function_name, function_request_id, xray_trace_id, then the appended and per-call keys; errors
 * as `{ name, location, message, stack }`) and the same level settings (`AWS_LAMBDA_LOG_LEVEL`, the function's
 * application log level, or `POWERTOOLS_LOG_LEVEL`), at about a tenth of its bundle size and module-scope work: the
 * thin handlers' cold start is measured against a bare SDK handler (bench/bundles.ts). Lines go to stdout as one
 * JSON object each, which Lambda's JSON log format passes through as they are.
 * Metrics live in ./metrics.ts so functions that emit none do not carry them.
 */
import type { Context } from 'aws-lambda';

const LEVELS = { TRACE: 6, DEBUG: 8, INFO: 12, WARN: 16, ERROR: 20, CRITICAL: 24, SILENT: 28 } as const;
type Level = keyof typeof LEVELS;

function levelFromEnv(): number {
  const name = (process.env.AWS_LAMBDA_LOG_LEVEL ?? process.env.POWERTOOLS_LOG_LEVEL ?? process.env.LOG_LEVEL ?? 'INFO').toUpperCase();
  return LEVELS[name as Level] ?? LEVELS.INFO;
}

function serialize(value: unknown): unknown {
  if (value instanceof Error) {
    const location = /\(([^)]+)\)/.exec(value.stack?.split('\n')[1] ?? '')?.[1] ?? '';
    return { name: value.name, location, message: value.message, stack: value.stack, ...(value.cause !== undefined ? { cause: serialize(value.cause) } : {}) };
  }
  if (value instanceof Set) return [...value];
  return value;
}

let coldStart = true;

export class Logger {
  private readonly serviceName: string;
  private readonly threshold = levelFromEnv();
  private context: Record<string, unknown> = {};
  private keys: Record<string, unknown> = {};

  constructor(options: { serviceName: string }) {
    this.serviceName = options.serviceName;
  }

  /** Lambda context keys on every line of this invocation (called by the middleware). */
  addContext(context: Context): void {
    this.context = {
      cold_start: coldStart,
      function_arn: context.invokedFunctionArn,
      function_memory_size: Number(context.memoryLimitInMB),
      function_name: context.functionName,
      function_request_id: context.awsRequestId,
    };
    coldStart = false;
  }

  appendKeys(keys: Record<string, unknown>): void {
    Object.assign(this.keys, keys);
  }

  resetKeys(): void {
    this.keys = {};
  }

  debug(message: string, extra?: Record<string, unknown>): void { this.write('DEBUG', message, extra); }
  info(message: string, extra?: Record<string, unknown>): void { this.write('INFO', message, extra); }
  warn(message: string, extra?: Record<string, unknown>): void { this.write('WARN', message, extra); }
  error(message: string, extra?: Record<string, unknown>): void { this.write('ERROR', message, extra); }

  /** Whether a line at `level` would be written (for callers that build costly payloads). */
  enabled(level: Level): boolean {
    return LEVELS[level] >= this.threshold;
  }

  private write(level: Level, message: string, extra: Record<string, unknown> = {}): void {
    if (!this.enabled(level)) return;
    const trace = process.env._X_AMZN_TRACE_ID?.split(';')[0]?.replace('Root=', '');
    const line = {
      level, message, timestamp: new Date().toISOString(), service: this.serviceName, ...this.context,
      ...(trace ? { xray_trace_id: trace } : {}), ...this.keys,
    } as Record<string, unknown>;
    for (const [k, v] of Object.entries(extra)) line[k] = serialize(v);
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }
}

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'ace-filing' });

/**
 * Middy middleware: the Lambda context on every line of the invocation; `resetKeys` drops the keys a previous
 * invocation appended (an application id must not leak into the next request's lines).
 */
export function injectLambdaContext(target: Logger, options: { resetKeys?: boolean } = {}) {
  return {
    before: (request: { context: Context }) => {
      if (options.resetKeys) target.resetKeys();
      target.addContext(request.context);
    },
  };
}

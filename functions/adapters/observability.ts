/**
 * The house logger: a few lines over console.*, not a logging library (issue 11: Powertools Logger cost ~21 KB and
 * ~3 ms of cold init in every bundle, out of a ~50 KB budget for all our code). Every function runs with Lambda's JSON
 * log format and log levels (lib/constructs/house-function.ts), so the Node.js runtime writes each console call as one
 * JSON line with timestamp, level and requestId, and drops calls below AWS_LAMBDA_LOG_LEVEL. One object logged alone
 * is kept as the line's `message`: {"timestamp","level":"INFO","requestId","message":{"msg":"…","applicationId":…}}.
 * Outside Lambda (npm start sets AWS_LAMBDA_LOG_LEVEL from the template, as Lambda does) the same level rule applies
 * here, LOG_LEVEL overriding it (tests, benches, `LOG_LEVEL=DEBUG npm start`; default INFO), and a line reads
 * `INFO Worksheet accepted {"applicationId":…}`. Correlation ids (application id, task name) are appended as keys by
 * the handler wrappers, which reset them per invocation (withLogKeys); no personal data (emails, account ids) is ever
 * logged. Errors are written as { name, message, stack } (JSON.stringify of an Error is {}).
 * Metrics live in ./metrics.ts so functions that emit none do not carry the Metrics library.
 */
import middy, { type MiddyfiedHandler } from '@middy/core';
import type { Context } from 'aws-lambda';

type Level = 'debug' | 'info' | 'warn' | 'error';
type Attrs = Record<string, unknown>;
const RANK: Record<string, number> = { TRACE: 1, DEBUG: 2, INFO: 3, WARN: 4, ERROR: 5, FATAL: 6 };

let keys: Attrs = {};

function write(level: Level, msg: string, attrs: Attrs = {}): void {
  const threshold = RANK[(process.env.LOG_LEVEL ?? process.env.AWS_LAMBDA_LOG_LEVEL ?? 'INFO').toUpperCase()] ?? RANK.INFO!;
  if (RANK[level.toUpperCase()]! < threshold) return;
  const fields: Attrs = { ...keys };
  for (const [k, v] of Object.entries(attrs)) fields[k] = v instanceof Error ? { name: v.name, message: v.message, stack: v.stack } : v;
  if (process.env.AWS_LAMBDA_LOG_FORMAT === 'JSON') console[level]({ msg, ...fields });
  else console[level](`${level.toUpperCase()} ${msg}${Object.keys(fields).length ? ` ${safeJson(fields)}` : ''}`);
}

/** JSON that never throws: a log line must not fail the request (BigInt as text; a cycle names itself). */
function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  } catch {
    return '(attributes not serializable: cyclic)';
  }
}

export const logger = {
  debug: (msg: string, attrs?: Attrs): void => write('debug', msg, attrs),
  info: (msg: string, attrs?: Attrs): void => write('info', msg, attrs),
  warn: (msg: string, attrs?: Attrs): void => write('warn', msg, attrs),
  error: (msg: string, attrs?: Attrs): void => write('error', msg, attrs),
  /** Keys put on every following line of this invocation. */
  appendKeys: (more: Attrs): void => void Object.assign(keys, more),
};

/**
 * Wraps a handler in Middy (the house's handler framework) with one middleware: each invocation starts with no
 * appended keys, so one request's ids never leak into the next. Middy's early timeout is off: a task that runs out of
 * time fails with Lambda's own `Sandbox.Timedout`, which the workflow's Notify retry matches (NOTIFY_TIMEOUT_ERROR).
 */
export function withLogKeys<E, R>(handler: (event: E, context: Context) => Promise<R>): MiddyfiedHandler<E, R, Error, Context> {
  return middy<E, R, Error, Context>(handler, { timeoutEarlyInMillis: 0 }).use({ before: () => void (keys = {}) });
}

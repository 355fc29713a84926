/**
 * What a workflow failure records for people (the operations view): the error's name and a clean message. Step
 * Functions hands MarkFailed the Catch's `Cause`, which for a Lambda error is Lambda's JSON
 * `{ errorType, errorMessage, trace }` (a stack trace with absolute file paths); for the service's own errors
 * (States.Timeout, ...) it is plain text. The trace stays in the logs; only the message is kept, without paths.
 */

export const MAX_CAUSE_LENGTH = 500;

/** `at fn (/abs/path/file.ts:1:2)`, `file:///abs/path`, or a bare absolute path with a line number. */
const STACK_LINE = /^\s*at\s.*$/gm;
const FILE_URL = /file:\/\/\/?[^\s)'"]+/g;
const ABSOLUTE_PATH = /(?<![\w.:/])(?:\/[\w.@+-]+){2,}(?::\d+){0,2}/g;

export function cleanFailureCause(rawCause: string | undefined): string {
  const raw = rawCause ?? '';
  let message = raw;
  try {
    // Any JSON parses: only an object's string `errorMessage` is Lambda's (null, numbers and strings have none).
    const errorMessage = (JSON.parse(raw) as { errorMessage?: unknown } | null)?.errorMessage;
    if (typeof errorMessage === 'string') message = errorMessage;
  } catch {
    // Not JSON, or Lambda's JSON cut short (older items kept its first 2,000 characters): its message if it has one.
    const quoted = /"errorMessage"\s*:\s*("(?:[^"\\]|\\.)*")/.exec(raw)?.[1];
    if (quoted) message = JSON.parse(quoted) as string;
  }
  const clean = message
    .replace(STACK_LINE, '')
    .replace(FILE_URL, '<path>')
    .replace(ABSOLUTE_PATH, '<path>')
    .replace(/\s+/g, ' ')
    .trim();
  return clean.length > MAX_CAUSE_LENGTH ? `${clean.slice(0, MAX_CAUSE_LENGTH - 1)}…` : clean;
}

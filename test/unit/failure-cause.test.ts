import { describe, expect, it } from 'vitest';
import { cleanFailureCause, MAX_CAUSE_LENGTH } from '../../functions/core/failure-cause.ts';

/** What Step Functions hands the Catch for a Lambda error: Lambda's error JSON, trace included. */
const lambdaCause = JSON.stringify({
  errorType: 'URIError',
  errorMessage: 'URI malformed',
  trace: ['URIError: URI malformed', '    at encodeURIComponent (<anonymous>)', '    at Notifier.deliver (/var/task/functions/workflow/notifier.ts:82:13)'],
});

describe('the failure cause kept on an application', () => {
  it("keeps Lambda's error message and drops its stack trace", () => {
    expect(cleanFailureCause(lambdaCause)).toBe('URI malformed');
  });

  it("reads the message of Lambda's JSON cut short (older items kept its first 2,000 characters)", () => {
    expect(cleanFailureCause(lambdaCause.slice(0, 80))).toBe('URI malformed');
  });

  it('removes stack lines, file URLs and absolute paths from plain-text causes', () => {
    const cause = 'Cannot find module /work/wt-i8/functions/x.ts\n    at load (file:///work/wt-i8/node_modules/a/index.js:3:1)\nimported from file:///var/task/index.mjs';
    const clean = cleanFailureCause(cause);
    expect(clean).toBe('Cannot find module <path> imported from <path>');
    expect(cleanFailureCause(JSON.stringify({ errorType: 'Error', errorMessage: 'ENOENT: open /tmp/a/b.json' }))).toBe('ENOENT: open <path>');
  });

  it("keeps the service's own causes and ordinary text as they are", () => {
    expect(cleanFailureCause('The founder withdrew the application.')).toBe('The founder withdrew the application.');
    expect(cleanFailureCause('States.Timeout: task timed out after 30 s (1/2 retries)')).toBe('States.Timeout: task timed out after 30 s (1/2 retries)');
    expect(cleanFailureCause(undefined)).toBe('');
  });

  it(`is at most ${MAX_CAUSE_LENGTH} characters`, () => {
    const long = cleanFailureCause('x '.repeat(1000));
    expect(long.length).toBe(MAX_CAUSE_LENGTH);
    expect(long.endsWith('…')).toBe(true);
  });
});

describe('the failure cause: what a cause may look like', () => {
  it('drops the trace at the end of a plain-text cause, leaving no space behind', () => {
    expect(cleanFailureCause('Error: boom\n    at run (/var/task/index.mjs:10:5)\n    at process (node:internal/a:1:1)\n')).toBe('Error: boom');
    expect(cleanFailureCause('\n  MessageRejected: address not verified  \n')).toBe('MessageRejected: address not verified');
  });

  it("keeps a JSON cause that is not Lambda's error (no string errorMessage) as its text", () => {
    expect(cleanFailureCause('{"error":"States.TaskFailed","cause":"x"}')).toBe('{"error":"States.TaskFailed","cause":"x"}');
    expect(cleanFailureCause('{"errorMessage":42}')).toBe('{"errorMessage":42}');
    expect(cleanFailureCause('null')).toBe('null');
    expect(cleanFailureCause('"quoted"')).toBe('"quoted"');
    expect(cleanFailureCause('17')).toBe('17');
  });

  it('reads the message of a cut-short JSON cause whatever its spacing, escapes included', () => {
    expect(cleanFailureCause('{"errorType" : "Error", "errorMessage" : "bad \\"id\\" in /var/task/a/b.js", "trace" : ["Error: bad')).toBe('bad "id" in <path>');
  });

  it(`keeps a cause of exactly ${MAX_CAUSE_LENGTH} characters whole; one more is cut to ${MAX_CAUSE_LENGTH} with an ellipsis`, () => {
    const exact = 'y'.repeat(MAX_CAUSE_LENGTH);
    expect(cleanFailureCause(exact)).toBe(exact);
    expect(cleanFailureCause(`${exact}z`)).toBe(`${'y'.repeat(MAX_CAUSE_LENGTH - 1)}…`);
  });
});

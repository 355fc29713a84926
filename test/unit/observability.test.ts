/**
 * The house logger (functions/adapters/observability.ts): what reaches console.* and in which shape, on Lambda (JSON
 * log format: one object per call, the runtime adds timestamp, level and requestId) and locally (one text line).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import type { Context } from 'aws-lambda';
import { logger, withLogKeys } from '../../functions/adapters/observability.ts';
import { workflowTask } from '../../functions/workflow/task.ts';
import { object, optional, text } from '../../functions/core/input-shape.ts';
import { INTAKE_COUNTS, WORKSHEET_ACCEPTED_LOG } from '../../functions/core/intake-metrics.ts';

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
const ENV = ['AWS_LAMBDA_LOG_LEVEL', 'AWS_LAMBDA_LOG_FORMAT', 'LOG_LEVEL'] as const;
const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));

let spies: Record<(typeof LEVELS)[number], MockInstance<(...args: unknown[]) => void>>;
/** Every console call, as [level, first argument]. */
const written = (): [string, unknown][] =>
  LEVELS.flatMap((level) => spies[level].mock.calls.map((args): [string, unknown] => [level, args[0]]));

beforeEach(() => {
  for (const k of ENV) delete process.env[k];
  spies = Object.fromEntries(LEVELS.map((level) => [level, vi.spyOn(console, level).mockImplementation(() => undefined)])) as unknown as typeof spies;
});
afterEach(() => {
  vi.restoreAllMocks();
  for (const k of ENV) if (saved[k] === undefined) delete process.env[k];
  else process.env[k] = saved[k];
});

/** Enough of a Lambda context for Middy (it reads the remaining time only when a timeout is configured). */
const lambdaContext = { awsRequestId: 'r1', getRemainingTimeInMillis: () => 60_000 } as unknown as Context;

/** Runs `body` as one invocation, so keys appended by earlier tests never leak in. */
const invocation = (body: () => void): Promise<void> => withLogKeys(async () => body())(undefined, lambdaContext);

describe('levels', () => {
  it('writes nothing below LOG_LEVEL, each level through its own console method', async () => {
    process.env.LOG_LEVEL = 'warn';
    await invocation(() => {
      for (const level of LEVELS) logger[level](`a ${level} line`);
    });
    expect(written()).toEqual([['warn', 'WARN a warn line'], ['error', 'ERROR a error line']]);
  });

  it("follows Lambda's AWS_LAMBDA_LOG_LEVEL, LOG_LEVEL overriding it, and defaults to INFO", async () => {
    process.env.AWS_LAMBDA_LOG_LEVEL = 'DEBUG';
    await invocation(() => logger.debug('shown'));
    process.env.LOG_LEVEL = 'ERROR';
    await invocation(() => logger.warn('hidden by LOG_LEVEL'));
    delete process.env.AWS_LAMBDA_LOG_LEVEL;
    delete process.env.LOG_LEVEL;
    await invocation(() => {
      logger.debug('hidden');
      logger.info('shown too');
    });
    expect(written().map(([, line]) => line)).toEqual(['DEBUG shown', 'INFO shown too']);
  });

  it('FATAL silences every level the logger writes (scripts/hostile.ts)', async () => {
    process.env.LOG_LEVEL = 'FATAL';
    await invocation(() => logger.error('not shown'));
    expect(written()).toEqual([]);
  });
});

describe('line shape', () => {
  it("on Lambda's JSON format: one object per call, message as msg, appended keys then attributes", async () => {
    process.env.AWS_LAMBDA_LOG_FORMAT = 'JSON';
    await invocation(() => {
      logger.appendKeys({ applicationId: 'a1', task: 'Size' });
      logger.info('Worksheet accepted', { replayed: false, task: 'Override' });
    });
    expect(spies.info).toHaveBeenCalledTimes(1);
    expect(spies.info.mock.calls[0]).toEqual([{ msg: 'Worksheet accepted', applicationId: 'a1', task: 'Override', replayed: false }]);
  });

  it("intake's line carries what its metric filters match (lib/constructs/api.ts): message.msg, and replayed as a JSON boolean", async () => {
    process.env.AWS_LAMBDA_LOG_FORMAT = 'JSON';
    await invocation(() => {
      logger.appendKeys({ applicationId: 'a1' });
      for (const { replayed } of INTAKE_COUNTS) logger.info(WORKSHEET_ACCEPTED_LOG, { replayed, alreadyStarted: false });
    });
    expect(spies.info.mock.calls).toEqual([
      [{ msg: 'Worksheet accepted', applicationId: 'a1', replayed: false, alreadyStarted: false }],
      [{ msg: 'Worksheet accepted', applicationId: 'a1', replayed: true, alreadyStarted: false }],
    ]);
  });

  it('locally: one readable text line, attributes as compact JSON; no attributes, no braces', async () => {
    await invocation(() => {
      logger.info('Sweep done', { sent: 2 });
      logger.info('Nothing to do');
    });
    expect(written().map(([, line]) => line)).toEqual(['INFO Sweep done {"sent":2}', 'INFO Nothing to do']);
  });

  it('renders an Error attribute as { name, message, stack } (JSON.stringify of an Error is {})', async () => {
    process.env.AWS_LAMBDA_LOG_FORMAT = 'JSON';
    class ConditionalCheckFailed extends Error {
      override name = 'ConditionalCheckFailedException';
    }
    const error = new ConditionalCheckFailed('The conditional request failed');
    await invocation(() => logger.error('Unhandled error', { error }));
    const line = spies.error.mock.calls[0]?.[0] as { error: { name: string; message: string; stack: string } };
    expect(line.error).toEqual({ name: 'ConditionalCheckFailedException', message: 'The conditional request failed', stack: error.stack });
    expect(JSON.parse(JSON.stringify(line))).toMatchObject({ error: { name: 'ConditionalCheckFailedException', stack: expect.stringContaining('observability.test.ts') } });
  });

  it('never throws on a value JSON cannot write', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await invocation(() => {
      logger.warn('odd value', { big: 12n });
      logger.warn('odd value', { cyclic });
    });
    expect(written().map(([, line]) => line)).toEqual(['WARN odd value {"big":"12"}', 'WARN odd value (attributes not serializable: cyclic)']);
  });
});

describe('the Middy wrapper', () => {
  it('lets a handler run past the last milliseconds of the invocation: Lambda, not Middy, times it out (Sandbox.Timedout)', async () => {
    const nearlyOut = { ...lambdaContext, getRemainingTimeInMillis: () => 10 } as Context;
    const handler = withLogKeys(async () => {
      await new Promise((resolve) => setTimeout(resolve, 40));
      return 'done';
    });
    await expect(handler(undefined, nearlyOut)).resolves.toBe('done');
  });
});

describe('keys per invocation', () => {
  it('appended keys stay for the rest of the invocation and are gone in the next one', async () => {
    process.env.AWS_LAMBDA_LOG_FORMAT = 'JSON';
    const handler = withLogKeys(async (event: { id?: string }) => {
      if (event.id) logger.appendKeys({ applicationId: event.id });
      logger.info('one');
      logger.info('two');
    });
    await handler({ id: 'a1' }, lambdaContext);
    await handler({}, lambdaContext);
    expect(spies.info.mock.calls.map(([line]) => line)).toEqual([
      { msg: 'one', applicationId: 'a1' },
      { msg: 'two', applicationId: 'a1' },
      { msg: 'one' },
      { msg: 'two' },
    ]);
  });

  it('a workflow task puts the application id and task on its lines, and only for that invocation', async () => {
    process.env.AWS_LAMBDA_LOG_FORMAT = 'JSON';
    const task = workflowTask('Size', object({ applicationId: optional(text()) }), async () => {
      logger.info('sized');
    });
    await task({ applicationId: 'a1' }, {} as never);
    await task({}, {} as never);
    expect(spies.info.mock.calls.map(([line]) => line)).toEqual([{ msg: 'sized', applicationId: 'a1', task: 'Size' }, { msg: 'sized' }]);
  });
});

describe('no personal data', () => {
  // The rule (observability.ts): correlation ids only, never emails, names, phone numbers or AWS account ids.
  const PERSONAL = /\b(?:\w*email\w*|\w*phone\w*|\w*accountId\w*|contacts?|firstName|lastName|founderName|name)\s*[:,}]/i;
  /** Whether a call's attributes (its text after the message literal) name personal data. */
  const namesPersonalData = (call: string): boolean => PERSONAL.test(call.replace(/^[^(]*\((['`])(?:(?!\1).)*\1/, ''));
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((entry) => {
      const path = join(dir, entry);
      return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
    });

  /** The argument text of every logger call in functions/ (balanced parentheses). */
  function loggerCalls(): { file: string; call: string }[] {
    const calls: { file: string; call: string }[] = [];
    for (const file of files('functions')) {
      const source = readFileSync(file, 'utf8');
      for (const match of source.matchAll(/\blogger\.(?:debug|info|warn|error|appendKeys)\(/g)) {
        let depth = 0;
        let end = match.index + match[0].length - 1;
        for (; end < source.length; end++) {
          if (source[end] === '(') depth++;
          else if (source[end] === ')' && --depth === 0) break;
        }
        calls.push({ file, call: source.slice(match.index, end + 1) });
      }
    }
    return calls;
  }

  it('finds the logger calls it checks', () => {
    expect(loggerCalls().length).toBeGreaterThan(40);
  });

  it('no logger call names an email, phone, contact, person name or account id', () => {
    const offending = loggerCalls().filter(({ call }) => namesPersonalData(call));
    expect(offending).toEqual([]);
  });

  it('the check catches such a call', () => {
    expect(namesPersonalData("logger.info('Mail sent', { founderEmail: app.email })")).toBe(true);
    expect(namesPersonalData("logger.appendKeys({ awsAccountId })")).toBe(true);
    expect(namesPersonalData("logger.info('Email sent', { applicationId, partnerId })")).toBe(false);
  });
});

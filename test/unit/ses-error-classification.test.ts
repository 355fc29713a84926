import { describe, expect, it } from 'vitest';
import { isRetryable, withoutAddresses } from '../../functions/usecases/notifier.ts';

describe('SES errors on their way to the workflow', () => {
  it('become TransientError when SES would retry them, keep their name otherwise, and never carry the address', () => {
    const throttled = Object.assign(new Error('Maximum sending rate exceeded for founder@x.com'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } });
    const rejected = Object.assign(new Error('Email address is not verified: founder@x.com'), { name: 'MessageRejected', $metadata: { httpStatusCode: 400 } });
    const outage = Object.assign(new Error('oops'), { name: 'InternalFailure', $metadata: { httpStatusCode: 500 } });
    expect(isRetryable(throttled)).toBe(true);
    expect(isRetryable(outage)).toBe(true);
    expect(isRetryable(rejected)).toBe(false);
    expect(withoutAddresses(throttled).name).toBe('TransientError');
    expect(withoutAddresses(rejected).name).toBe('MessageRejected');
    for (const e of [throttled, rejected]) expect(withoutAddresses(e).message).not.toContain('founder@x.com');
  });
});

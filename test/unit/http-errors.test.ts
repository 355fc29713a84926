/**
 * The one place domain errors become answers (functions/http/middleware.ts errorResponse): each ClientError of
 * functions/core/errors.ts answers with its status, `error` code, body fields and headers, exactly as the API documents
 * them; anything else is a bare 500 that names only the request.
 */
import { describe, expect, it } from 'vitest';
import { errorResponse } from '../../functions/http/middleware.ts';
import {
  ClientError, ConflictError, ForbiddenError, IdempotencyKeyReusedError, NotFoundError, PayloadTooLargeError, PreconditionFailedError,
  PreconditionRequiredError, TooManyRequestsError, TransientError, UnauthorizedError, UnprocessableError, UnsupportedMediaTypeError, ValidationError,
} from '../../functions/core/errors.ts';
import { UnknownModelError } from '../../functions/core/model-lookup.ts';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
const problems = [{ field: 'a.b', rule: 'is required' }];

describe('errors to answers', () => {
  const cases: [Error, number, Record<string, unknown>, Record<string, string>][] = [
    [new ValidationError(problems), 400, { error: 'ValidationFailed', message: 'The request is invalid', problems }, {}],
    [new ValidationError(problems, 'Bad'), 400, { error: 'ValidationFailed', message: 'Bad', problems }, {}],
    [new UnauthorizedError('A bearer token is required'), 401, { error: 'Unauthorized', message: 'A bearer token is required' }, { 'www-authenticate': 'Bearer' }],
    [new ForbiddenError('No'), 403, { error: 'Forbidden', message: 'No' }, {}],
    [new NotFoundError('Application x not found'), 404, { error: 'NotFound', message: 'Application x not found' }, {}],
    [new ConflictError('Not now', 'filed'), 409, { error: 'Conflict', message: 'Not now', currentState: 'filed' }, {}],
    [new ConflictError('Not now'), 409, { error: 'Conflict', message: 'Not now' }, {}],
    [new PreconditionFailedError('Changed', '"r2-abc"'), 412, { error: 'PreconditionFailed', message: 'Changed', currentETag: '"r2-abc"' }, { etag: '"r2-abc"' }],
    [new PreconditionFailedError('Changed'), 412, { error: 'PreconditionFailed', message: 'Changed' }, {}],
    [new PayloadTooLargeError('Too big'), 413, { error: 'PayloadTooLarge', message: 'Too big' }, {}],
    [new UnsupportedMediaTypeError('JSON only', ['application/json', 'application/merge-patch+json']), 415, { error: 'UnsupportedMediaType', message: 'JSON only' }, { accept: 'application/json, application/merge-patch+json' }],
    [new UnprocessableError('Fix these', problems), 422, { error: 'Unprocessable', message: 'Fix these', problems }, {}],
    [new UnprocessableError('Fix these'), 422, { error: 'Unprocessable', message: 'Fix these', problems: [] }, {}],
    [new IdempotencyKeyReusedError('Other body'), 422, { error: 'IdempotencyKeyReused', message: 'Other body' }, {}],
    [new PreconditionRequiredError('Send If-Match'), 428, { error: 'PreconditionRequired', message: 'Send If-Match' }, {}],
    [new TooManyRequestsError('Slow down', 30), 429, { error: 'TooManyRequests', message: 'Slow down', retryAfterSeconds: 30 }, { 'retry-after': '30' }],
    // A subclass answers as its parent (an unknown model is a validation problem).
    [new UnknownModelError('gpt-x', []), 400, { error: 'ValidationFailed' }, {}],
  ];

  it.each(cases)('%s', (error, status, body, headers) => {
    expect(error).toBeInstanceOf(ClientError);
    const res = errorResponse(error, 'req-1');
    expect(res.statusCode).toBe(status);
    expect(res.headers).toEqual({ ...JSON_HEADERS, ...headers });
    const parsed = JSON.parse(res.body as string) as Record<string, unknown>;
    if (error instanceof UnknownModelError) expect(parsed).toMatchObject(body);
    else expect(parsed).toEqual(body);
  });

  it('keeps the names the workflow matches on', () => {
    expect(new ConflictError('x').name).toBe('ConflictError');
    expect(new ValidationError([]).name).toBe('ValidationError');
    expect(new TooManyRequestsError('x', 1).name).toBe('TooManyRequestsError');
  });

  it('anything else is a bare 500 naming the request only', () => {
    for (const error of [new Error('secret detail'), new TransientError('try again'), 'a string']) {
      const res = errorResponse(error, 'req-1');
      expect(res.statusCode).toBe(500);
      expect(JSON.parse(res.body as string)).toEqual({ error: 'InternalError', message: 'Something went wrong on our side; it has been logged.', requestId: 'req-1' });
    }
  });
});

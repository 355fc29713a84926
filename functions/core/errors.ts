/**
 * Typed domain errors. The HTTP layer maps them to status codes in one place
 * (functions/http/middleware.ts); workflow tasks let them surface by `name`, which is what
 * Step Functions' Retry/Catch match on.
 */
import type { FieldProblem } from '../../schemas/issues.ts';

export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(readonly problems: FieldProblem[], message = 'The request is invalid') {
    super(message);
  }
}

export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

export class UnauthorizedError extends Error {
  override readonly name = 'UnauthorizedError';
}

export class ForbiddenError extends Error {
  override readonly name = 'ForbiddenError';
}

/** The resource is not in a state that allows the request (HTTP 409, naming the current state). */
export class ConflictError extends Error {
  override readonly name = 'ConflictError';
  constructor(message: string, readonly currentState?: string) {
    super(message);
  }
}

/** An `If-Match` precondition no longer holds (HTTP 412). */
export class PreconditionFailedError extends Error {
  override readonly name = 'PreconditionFailedError';
  constructor(message: string, readonly currentETag?: string) {
    super(message);
  }
}

/** A write needs `If-Match` and none was sent (HTTP 428). */
export class PreconditionRequiredError extends Error {
  override readonly name = 'PreconditionRequiredError';
}

/** The request is well-formed but what it asks for cannot be done with the data as it is (HTTP 422, with problems). */
export class UnprocessableError extends Error {
  override readonly name = 'UnprocessableError';
  constructor(message: string, readonly problems: FieldProblem[] = []) {
    super(message);
  }
}

/** The same Idempotency-Key was sent with a different body (HTTP 422). */
export class IdempotencyKeyReusedError extends Error {
  override readonly name = 'IdempotencyKeyReusedError';
}

export class PayloadTooLargeError extends Error {
  override readonly name = 'PayloadTooLargeError';
}

/** The body is sent as a media type the route does not take (HTTP 415, listing the ones it does). */
export class UnsupportedMediaTypeError extends Error {
  override readonly name = 'UnsupportedMediaTypeError';
  constructor(message: string, readonly accepted: readonly string[]) {
    super(message);
  }
}

/** Too many requests for a rate-limited resource now (HTTP 429 with Retry-After, in whole seconds). */
export class TooManyRequestsError extends Error {
  override readonly name = 'TooManyRequestsError';
  constructor(message: string, readonly retryAfterSeconds: number) {
    super(message);
  }
}

/** A failure worth retrying (the workflow's Retry matches this name). */
export class TransientError extends Error {
  override readonly name = 'TransientError';
}

/**
 * Typed domain errors. Those a client is told about extend ClientError and carry the status and `error` code they
 * answer with (and any extra body fields or headers): functions/http/middleware.ts maps every one of them in one
 * place by asking the error, so a bundle carries only the classes its own code throws. Workflow tasks let them
 * surface by `name`, which is what Step Functions' Retry/Catch match on.
 */
import type { FieldProblem } from '../../schemas/issues.ts';

/** An error the API answers with a 4xx naming what to fix; anything else thrown is a bare 500. */
export abstract class ClientError extends Error {
  /** The HTTP status of the answer. */
  abstract readonly status: number;
  /** The answer's `error` code. */
  abstract readonly code: string;
  /** What the answer's body holds besides `error` and `message`. */
  details(): Record<string, unknown> {
    return {};
  }
  /** Headers of the answer besides the JSON ones. */
  headers(): Record<string, string> {
    return {};
  }
}

/** The input breaks a rule (HTTP 400, with problems naming each field and rule). */
export class ValidationError extends ClientError {
  override readonly name = 'ValidationError';
  readonly status = 400;
  readonly code = 'ValidationFailed';
  constructor(readonly problems: FieldProblem[], message = 'The request is invalid') {
    super(message);
  }
  override details(): Record<string, unknown> {
    return { problems: this.problems };
  }
}

/** HTTP 404. */
export class NotFoundError extends ClientError {
  override readonly name = 'NotFoundError';
  readonly status = 404;
  readonly code = 'NotFound';
}

/** No usable bearer token (HTTP 401, with WWW-Authenticate). */
export class UnauthorizedError extends ClientError {
  override readonly name = 'UnauthorizedError';
  readonly status = 401;
  readonly code = 'Unauthorized';
  override headers(): Record<string, string> {
    return { 'www-authenticate': 'Bearer' };
  }
}

/** HTTP 403. */
export class ForbiddenError extends ClientError {
  override readonly name = 'ForbiddenError';
  readonly status = 403;
  readonly code = 'Forbidden';
}

/** The resource is not in a state that allows the request (HTTP 409, naming the current state). */
export class ConflictError extends ClientError {
  override readonly name = 'ConflictError';
  readonly status = 409;
  readonly code = 'Conflict';
  constructor(message: string, readonly currentState?: string) {
    super(message);
  }
  override details(): Record<string, unknown> {
    return this.currentState ? { currentState: this.currentState } : {};
  }
}

/** An `If-Match` precondition no longer holds (HTTP 412, with the current ETag in the body and the ETag header). */
export class PreconditionFailedError extends ClientError {
  override readonly name = 'PreconditionFailedError';
  readonly status = 412;
  readonly code = 'PreconditionFailed';
  constructor(message: string, readonly currentETag?: string) {
    super(message);
  }
  override details(): Record<string, unknown> {
    return this.currentETag ? { currentETag: this.currentETag } : {};
  }
  override headers(): Record<string, string> {
    return this.currentETag ? { etag: this.currentETag } : {};
  }
}

/** A write needs `If-Match` and none was sent (HTTP 428). */
export class PreconditionRequiredError extends ClientError {
  override readonly name = 'PreconditionRequiredError';
  readonly status = 428;
  readonly code = 'PreconditionRequired';
}

/** The request is well-formed but what it asks for cannot be done with the data as it is (HTTP 422, with problems). */
export class UnprocessableError extends ClientError {
  override readonly name = 'UnprocessableError';
  readonly status = 422;
  readonly code = 'Unprocessable';
  constructor(message: string, readonly problems: FieldProblem[] = []) {
    super(message);
  }
  override details(): Record<string, unknown> {
    return { problems: this.problems };
  }
}

/** The same Idempotency-Key was sent with a different body (HTTP 422). */
export class IdempotencyKeyReusedError extends ClientError {
  override readonly name = 'IdempotencyKeyReusedError';
  readonly status = 422;
  readonly code = 'IdempotencyKeyReused';
}

/** HTTP 413. */
export class PayloadTooLargeError extends ClientError {
  override readonly name = 'PayloadTooLargeError';
  readonly status = 413;
  readonly code = 'PayloadTooLarge';
}

/** The body is sent as a media type the route does not take (HTTP 415, listing the ones it does in Accept). */
export class UnsupportedMediaTypeError extends ClientError {
  override readonly name = 'UnsupportedMediaTypeError';
  readonly status = 415;
  readonly code = 'UnsupportedMediaType';
  constructor(message: string, readonly accepted: readonly string[]) {
    super(message);
  }
  override headers(): Record<string, string> {
    return { accept: this.accepted.join(', ') };
  }
}

/** Too many requests for a rate-limited resource now (HTTP 429 with Retry-After, in whole seconds). */
export class TooManyRequestsError extends ClientError {
  override readonly name = 'TooManyRequestsError';
  readonly status = 429;
  readonly code = 'TooManyRequests';
  constructor(message: string, readonly retryAfterSeconds: number) {
    super(message);
  }
  override details(): Record<string, unknown> {
    return { retryAfterSeconds: this.retryAfterSeconds };
  }
  override headers(): Record<string, string> {
    return { 'retry-after': String(this.retryAfterSeconds) };
  }
}

/** A failure worth retrying (the workflow's Retry matches this name). */
export class TransientError extends Error {
  override readonly name = 'TransientError';
}

/**
 * The HTTP plumbing every route handler shares: log keys reset per request, JSON responses,
 * body parsing with a size limit, claims from the JWT authorizer, and the ONE place where domain
 * errors become status codes. No error object or stack trace ever reaches a client.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { logger, withLogKeys } from '../adapters/observability.ts';
import { fieldPath, parseWith, type FieldProblem } from '../../schemas/issue-rules.ts';
import { checkInput, type InputShape } from '../core/input-shape.ts';
import { ClientError, ForbiddenError, NotFoundError, PayloadTooLargeError, UnauthorizedError, UnsupportedMediaTypeError, ValidationError } from '../core/errors.ts';

export type HttpEvent = APIGatewayProxyEventV2 & {
  requestContext: APIGatewayProxyEventV2['requestContext'] & {
    authorizer?: { jwt?: { claims?: Record<string, string | number | boolean | string[]>; scopes?: string[] | null } };
  };
};
export type HttpResult = APIGatewayProxyStructuredResultV2;
type Route = (event: HttpEvent, context: Context) => Promise<HttpResult>;

/** Request bodies above this are refused with 413 before parsing. */
export const MAX_BODY_BYTES = 64 * 1024;

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

export function errorBody(error: string, message: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { error, message, ...extra };
}

/**
 * Map a thrown error to a response: a ClientError (functions/core/errors.ts) to the 4xx it names, everything else to a
 * bare 500. Asking the error (not testing each class here) keeps a bundle to the error classes its code throws.
 */
export function errorResponse(error: unknown, requestId?: string): HttpResult {
  if (error instanceof ClientError) return json(error.status, errorBody(error.code, error.message, error.details()), error.headers());
  logger.error('Unhandled error', { error: error as Error });
  return json(500, errorBody('InternalError', 'Something went wrong on our side; it has been logged.', requestId ? { requestId } : {}));
}

/** Wrap route functions into one Lambda handler dispatching on the API Gateway route key. */
export function httpHandler(routes: Record<string, Route>) {
  const dispatch = async (event: HttpEvent, context: Context): Promise<HttpResult> => {
    const route = routes[event.routeKey];
    try {
      if (!route) throw new NotFoundError(`No route ${event.routeKey}`);
      return await route(event, context);
    } catch (error) {
      return errorResponse(error, context.awsRequestId);
    }
  };
  return withLogKeys(dispatch);
}

export const JSON_MEDIA_TYPE = 'application/json';
/** RFC 7396: the media type of a JSON Merge Patch (brief edits take it as well as plain JSON). */
export const MERGE_PATCH_MEDIA_TYPE = 'application/merge-patch+json';

/**
 * Refuses a body not declared as one of `accepted` (415). API Gateway passes any content type through, and a body
 * parsed regardless of its declared type is how a form post from another site becomes a JSON request.
 */
export function requireMediaType(event: HttpEvent, accepted: readonly string[]): void {
  const declared = header(event, 'content-type');
  const [type = '', ...params] = (declared ?? '').split(';').map((part) => part.trim().toLowerCase());
  const charset = params.find((p) => p.startsWith('charset='))?.slice('charset='.length).replace(/^"|"$/g, '');
  if (accepted.includes(type) && (charset === undefined || charset === 'utf-8')) return;
  const sent = declared === undefined ? 'no Content-Type' : `Content-Type '${declared.slice(0, 100)}'`;
  throw new UnsupportedMediaTypeError(`The request body must be sent as ${accepted.join(' or ')} (UTF-8); this request has ${sent}`, accepted);
}

/** A lone UTF-16 surrogate: legal in JSON text, but not Unicode, so SES (and UTF-8 anywhere) cannot carry it. */
const LONE_SURROGATE = /\p{Cs}/u;
/**
 * A control character other than tab, line feed and carriage return (NUL, ESC, DEL, the C1 controls …): legal in JSON
 * text, but no field of this API means one, and the text goes on into mails, ACE records and pages.
 */
const CONTROL_CHARACTER = /(?![\t\n\r])\p{Cc}/u;

/**
 * Every field name or text a body must not hold, found in one walk without recursion (the input is untrusted):
 * lone surrogates and control characters (values and names) and members named `__proto__`. JSON.parse makes such a
 * member an own field, but copied by assignment (a merge patch, a spread) it sets the copy's prototype instead: a
 * field validation would read and the store would drop. No field of this API has that name.
 */
export function bodyTextProblems(value: unknown): FieldProblem[] {
  const found: FieldProblem[] = [];
  const stack: [unknown, PropertyKey[]][] = [[value, []]];
  while (stack.length > 0) {
    const [node, path] = stack.pop()!;
    if (typeof node === 'string') {
      if (LONE_SURROGATE.test(node)) found.push({ field: fieldPath(path), rule: UNICODE_RULE });
      else if (CONTROL_CHARACTER.test(node)) found.push({ field: fieldPath(path), rule: CONTROL_RULE });
    } else if (Array.isArray(node)) {
      node.forEach((child, i) => stack.push([child, [...path, i]]));
    } else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        if (LONE_SURROGATE.test(key)) found.push({ field: fieldPath([...path, key]), rule: UNICODE_RULE });
        else if (key === '__proto__') found.push({ field: fieldPath([...path, key]), rule: PROTO_KEY_RULE });
        else if (CONTROL_CHARACTER.test(key)) found.push({ field: fieldPath([...path, key]), rule: CONTROL_RULE });
        else stack.push([child, [...path, key]]);
      }
    }
  }
  return found.sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
}

export const PROTO_KEY_RULE = 'is not a field of this API: no member may be named __proto__';

export const CONTROL_RULE = 'must not hold control characters (text may hold tabs and line breaks, nothing else below U+0020)';

/**
 * The request body as JSON, refusing a wrong media type (415), oversize (413) or non-JSON bodies, and text that is
 * not Unicode, control characters or a member named `__proto__` (400 naming each field), before any handler sees it.
 */
export function jsonBody(event: HttpEvent, accepted: readonly string[] = [JSON_MEDIA_TYPE]): unknown {
  requireMediaType(event, accepted);
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES) throw new PayloadTooLargeError(`The request body must be at most ${MAX_BODY_BYTES} bytes`);
  if (text.trim() === '') throw new ValidationError([{ field: '(body)', rule: 'is required: send a JSON object' }]);
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    throw new ValidationError([{ field: '(body)', rule: 'must be valid JSON' }]);
  }
  // No request of this API nests deeper than a handful of levels; a deeper body could overflow recursive code
  // downstream or DynamoDB's 32-level limit, so it is refused here.
  if (nestingDepth(value) > MAX_BODY_DEPTH) throw new ValidationError([{ field: '(body)', rule: `must not nest objects or arrays more than ${MAX_BODY_DEPTH} levels deep` }]);
  // Such text is accepted by JSON.parse and DynamoDB, then breaks the mail or page that quotes it (issue 8), or sets
  // a prototype where it is merged: refused here.
  const problems = bodyTextProblems(value);
  if (problems.length > 0) throw new ValidationError(problems);
  return value;
}

export const UNICODE_RULE = 'must be valid Unicode text (it holds a lone UTF-16 surrogate such as \\ud83d)';

export const MAX_BODY_DEPTH = 16;

/** Depth of nested objects/arrays, computed without recursion (the input is untrusted). */
export function nestingDepth(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > MAX_BODY_DEPTH) return deepest;
    for (const child of Object.values(node as Record<string, unknown>)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** Parse input with a schema, or throw a ValidationError listing every problem (HTTP 400). */
export function parseOr400<S extends z.ZodMiniType>(schema: S, input: unknown, prefix?: string): z.infer<S> {
  const parsed = parseWith(schema, input);
  if (parsed.ok) return parsed.value;
  const problems: FieldProblem[] = prefix ? parsed.problems.map((p) => ({ field: `${prefix}.${p.field}`, rule: p.rule })) : parsed.problems;
  throw new ValidationError(problems);
}

/**
 * Check a small fixed input with its zod-free twin (functions/core/request-shapes.ts), or throw a ValidationError listing
 * every problem (HTTP 400), prefixed like parseOr400's.
 */
export function checkOr400<T>(shape: InputShape<T>, input: unknown, prefix?: string): T {
  const checked = checkInput(shape, input);
  if (checked.ok) return checked.value;
  throw new ValidationError(prefix ? checked.problems.map((p) => ({ field: `${prefix}.${p.field}`, rule: p.rule })) : checked.problems);
}

export interface Caller {
  readonly sub: string;
  readonly groups: readonly string[];
  readonly partnerId?: string;
}

/**
 * Claims from the HTTP API JWT authorizer. API Gateway renders array claims as a string like
 * "[ops partner]"; Cognito's own JSON form is an array: accept both.
 */
export function callerOf(event: HttpEvent): Caller {
  const claims = event.requestContext.authorizer?.jwt?.claims;
  if (!claims || typeof claims.sub !== 'string') throw new UnauthorizedError('A bearer token is required');
  const raw = claims['cognito:groups'];
  const groups = Array.isArray(raw)
    ? raw.map(String)
    : typeof raw === 'string'
      ? raw.replace(/^\[|\]$/g, '').split(/[\s,]+/).filter(Boolean)
      : [];
  const partnerId = claims['custom:partnerId'];
  return { sub: claims.sub, groups, ...(typeof partnerId === 'string' && partnerId ? { partnerId } : {}) };
}

export function requireGroup(caller: Caller, group: 'ops' | 'partner'): void {
  if (!caller.groups.includes(group)) throw new ForbiddenError(`This route is for the ${group} role`);
}

/** Path parameters this API uses, and what they look like: anything else cannot exist (404, never a 500). */
export const PATH_PARAMETERS = {
  id: /^[A-Za-z0-9_-]{1,64}$/,
  programId: /^[a-z0-9-]{1,40}$/,
} as const;

/** A path parameter, refused with 404 when it cannot name anything (too long, bad characters, bad encoding). */
export function pathParameter(event: HttpEvent, name: keyof typeof PATH_PARAMETERS): string {
  const value = event.pathParameters?.[name] ?? '';
  if (!PATH_PARAMETERS[name].test(value)) throw new NotFoundError(`No ${name === 'id' ? 'application' : 'program'} '${value.slice(0, 64)}'`);
  return value;
}

/** The `{id}` path parameter, checked, and put on every log line of this request as the correlation id. */
export function applicationIdParameter(event: HttpEvent): string {
  const id = pathParameter(event, 'id');
  logger.appendKeys({ applicationId: id });
  return id;
}

export function header(event: HttpEvent, name: string): string | undefined {
  return event.headers?.[name.toLowerCase()];
}

/** API Gateway HTTP API (payload 2.0) events for calling route handlers in-process, as the local runtime does. */
import type { Context } from 'aws-lambda';
import type { HttpEvent, HttpResult } from '../../functions/http/middleware.ts';

export interface Request {
  readonly routeKey: string;
  readonly pathParameters?: Record<string, string>;
  readonly query?: Record<string, string>;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  /** JWT claims as the authorizer passes them; omitted = no authorizer context. */
  readonly claims?: Record<string, string>;
}

export interface Response {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Record<string, unknown>;
}

export function partnerClaims(partnerId: string | undefined, groups = '[partner]'): Record<string, string> {
  return { sub: `user-${partnerId ?? 'none'}`, 'cognito:groups': groups, ...(partnerId ? { 'custom:partnerId': partnerId } : {}) };
}

function eventOf(req: Request): HttpEvent {
  const [method = 'GET', path = '/'] = req.routeKey.split(' ');
  return {
    version: '2.0',
    routeKey: req.routeKey,
    rawPath: path,
    rawQueryString: '',
    // A body is JSON unless the test says otherwise (the routes refuse other media types with 415).
    headers: Object.fromEntries(Object.entries({ ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}), ...req.headers })
      .map(([k, v]) => [k.toLowerCase(), v])),
    ...(req.query ? { queryStringParameters: req.query } : {}),
    ...(req.pathParameters ? { pathParameters: req.pathParameters } : {}),
    ...(req.body !== undefined ? { body: typeof req.body === 'string' ? req.body : JSON.stringify(req.body) } : {}),
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000', apiId: 'local', domainName: 'localhost', domainPrefix: 'localhost', requestId: 'req',
      routeKey: req.routeKey, stage: '$default', time: '', timeEpoch: 0,
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      ...(req.claims ? { authorizer: { jwt: { claims: req.claims, scopes: null } } } : {}),
    },
  } as HttpEvent;
}

const context = {
  functionName: 'test', functionVersion: '$LATEST', invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:test',
  memoryLimitInMB: '512', awsRequestId: 'test-request', logGroupName: 'test', logStreamName: 'test',
  callbackWaitsForEmptyEventLoop: false, getRemainingTimeInMillis: () => 10_000,
  done: () => undefined, fail: () => undefined, succeed: () => undefined,
} as unknown as Context;

type Handler = (event: HttpEvent, context: Context) => Promise<HttpResult>;

export async function call(handler: Handler, req: Request): Promise<Response> {
  const out = await handler(eventOf(req), context);
  return {
    status: out.statusCode ?? 0,
    headers: Object.fromEntries(Object.entries(out.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)])),
    body: out.body ? (JSON.parse(out.body) as Record<string, unknown>) : {},
  };
}

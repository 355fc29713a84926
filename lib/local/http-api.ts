// The local HTTP API: an HTTP server that does what API Gateway (HTTP API, Lambda proxy payload format 2.0) does for
// the routes in the synthesized template: route matching (`METHOD /path/{param}`, `{proxy+}`, `ANY`, `$default`),
// the JWT authorizer (401 `{"message":"Unauthorized"}`, 403 `{"message":"Forbidden"}` on missing scopes), the exact
// payload-2.0 event, and the response mapping (statusCode/headers/cookies/body/isBase64Encoded, or any other JSON
// value → 200 application/json). Unknown routes answer 404 `{"message":"Not Found"}`, a malformed percent-escape in
// the path 400 `{"message":"Bad Request"}`, handler errors 500
// `{"message":"Internal Server Error"}`, bodies over the limit 413 `{"message":"Request Entity Too Large"}`.
// Throttling as the template's stage sets it per route (RouteSettings, else DefaultRouteSettings): a token bucket per
// route, all clients together, refilled at the rate limit up to the burst limit, on real (monotonic) time, never the
// movable clock; over it, 429 `{"message":"Too Many Requests"}` like API Gateway, plus a `Retry-After` (seconds until
// the bucket holds a token again) that API Gateway does not send.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { RouteSpec, RouteThrottle } from './template-model.ts';
import type { DevIssuer } from './jwt.ts';
import { renderClaims } from './jwt.ts';

export interface HttpApiOptions {
  routes: () => RouteSpec[];
  invoke: (functionLogicalId: string, event: unknown) => Promise<unknown>;
  issuer: DevIssuer;
  apiId: () => string;
  accountId?: string;
  /** API Gateway's HTTP API payload quota is 10 MB. */
  bodyLimitBytes?: number;
  /** False while the runtime behind the routes is still starting: requests then get 503 with Retry-After. */
  ready?: () => boolean;
  /** Enforce the routes' throttles (default true); test suites that poll faster than a founder would turn it off. */
  throttle?: boolean;
  /** Milliseconds of a monotonic clock, for the token buckets (default performance.now). */
  monotonicMs?: () => number;
  /** Local-only endpoints (`/__local/...`); return true when handled. */
  local?: (req: IncomingMessage, res: ServerResponse, body: Buffer) => Promise<boolean> | boolean;
  log?: (line: string) => void;
}

export interface RouteMatch {
  route: RouteSpec;
  pathParameters: Record<string, string> | undefined;
}

function compareScores(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return 0;
}

function segmentsOf(path: string): string[] {
  return path.split('/').filter((s, i) => i > 0 || s !== '');
}

/** A path segment that is not valid percent-encoded UTF-8 (`%ZZ`, `%C0%AF`, a lone `%`): API Gateway answers 400. */
export class MalformedPathError extends Error {
  override readonly name = 'MalformedPathError';
}

function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new MalformedPathError(`malformed percent-encoding in path segment '${raw.slice(0, 64)}'`);
  }
}

/**
 * API Gateway's route selection: the most specific route wins; greedy `{x+}` last; `$default` when nothing else.
 * `path` is the raw (still percent-encoded) path: it is split on '/' first and each segment decoded exactly once, so
 * an id round-trips (`%25` is a '%', `%2F` stays inside its segment); a malformed escape throws MalformedPathError.
 */
export function matchRoute(routes: RouteSpec[], method: string, path: string): RouteMatch | undefined {
  const rawSegs = segmentsOf(path);
  const reqSegs = rawSegs.map(decodeSegment);
  let best: { score: number[]; match: RouteMatch } | undefined;
  for (const route of routes) {
    if (route.path === '$default') continue;
    if (route.method !== 'ANY' && route.method !== method) continue;
    const segs = segmentsOf(route.path);
    const params: Record<string, string> = {};
    let literal = 0;
    let greedy = false;
    let ok = true;
    for (let i = 0; i < segs.length && ok; i++) {
      const seg = segs[i] as string;
      const m = /^\{([^}+]+)(\+)?\}$/.exec(seg);
      if (m?.[2]) {
        const rest = reqSegs.slice(i);
        if (i !== segs.length - 1 || rest.length === 0) ok = false;
        else params[m[1] as string] = rest.join('/');
        greedy = true;
        break;
      }
      const reqSeg = reqSegs[i];
      if (reqSeg === undefined) ok = false;
      else if (m) params[m[1] as string] = reqSeg;
      else if (seg === reqSeg) literal++;
      else ok = false;
    }
    if (ok && !greedy && segs.length !== reqSegs.length) ok = false;
    if (!ok) continue;
    const score = [greedy ? 0 : 1, literal, route.method === 'ANY' ? 0 : 1];
    if (!best || compareScores(score, best.score) > 0) best = { score, match: { route, pathParameters: Object.keys(params).length ? params : undefined } };
  }
  if (best) return best.match;
  const fallback = routes.find((r) => r.path === '$default');
  return fallback ? { route: fallback, pathParameters: undefined } : undefined;
}

/**
 * API Gateway's throttle: one token bucket per key, holding at most `burstLimit` tokens, refilled at `rateLimit` a
 * second; a request takes one token or is refused with the whole seconds until one is back.
 */
export class TokenBuckets {
  readonly #buckets = new Map<string, { tokens: number; atMs: number }>();
  constructor(private readonly nowMs: () => number = () => performance.now()) {}

  take(key: string, limit: RouteThrottle): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const now = this.nowMs();
    const bucket = this.#buckets.get(key) ?? { tokens: limit.burstLimit, atMs: now };
    bucket.tokens = Math.min(limit.burstLimit, bucket.tokens + ((now - bucket.atMs) / 1000) * limit.rateLimit);
    bucket.atMs = now;
    this.#buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    // A rate of 0 never refills (API Gateway then refuses everything): say a minute rather than forever.
    const seconds = limit.rateLimit > 0 ? Math.ceil((1 - bucket.tokens) / limit.rateLimit) : 60;
    return { ok: false, retryAfterSeconds: Math.max(1, seconds) };
  }
}

const TEXT_TYPES = /^(text\/|application\/(json|[\w.+-]+\+json|xml|[\w.+-]+\+xml|javascript|x-www-form-urlencoded|graphql))/i;

function apiGatewayTime(d: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function createHttpApiServer(opts: HttpApiOptions): Server {
  const limit = opts.bodyLimitBytes ?? 10 * 1024 * 1024;
  const log = opts.log ?? (() => undefined);
  const buckets = opts.throttle === false ? undefined : new TokenBuckets(opts.monotonicMs);
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) tooLarge = true;
      else chunks.push(c);
    });
    req.on('end', () => {
      const requestId = `${randomBytes(6).toString('base64url')}=`;
      const reply = {
        json: (status: number, body: unknown) => json(res, status, body, { 'apigw-requestid': requestId }),
      };
      if (tooLarge) return reply.json(413, { message: 'Request Entity Too Large' });
      void handle(req, res, Buffer.concat(chunks), requestId).catch((err: unknown) => {
        log(`local HTTP API: ${(err as Error).stack ?? String(err)}`);
        if (!res.headersSent) reply.json(500, { message: 'Internal Server Error' });
        else res.end();
      });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse, body: Buffer, requestId: string): Promise<void> {
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const rawPath = q >= 0 ? rawUrl.slice(0, q) : rawUrl;
    const rawQueryString = q >= 0 ? rawUrl.slice(q + 1) : '';
    const method = (req.method ?? 'GET').toUpperCase();
    const replyJson = (status: number, b: unknown): void => json(res, status, b, { 'apigw-requestid': requestId });

    if (rawPath.startsWith('/__local/') && opts.local && (await opts.local(req, res, body))) return;
    // The port is bound before the routes and handlers exist (its URL feeds the template): until then, say so.
    if (opts.ready && !opts.ready()) return json(res, 503, { message: 'Service Unavailable: the local runtime is still starting' }, { 'apigw-requestid': requestId, 'retry-after': '1' });

    let match: RouteMatch | undefined;
    try {
      match = matchRoute(opts.routes(), method, rawPath);
    } catch (err) {
      if (err instanceof MalformedPathError) return replyJson(400, { message: 'Bad Request' });
      throw err;
    }
    if (!match) return replyJson(404, { message: 'Not Found' });
    const { route } = match;
    if (buckets && route.throttle) {
      const taken = buckets.take(route.routeKey, route.throttle);
      if (!taken.ok) return json(res, 429, { message: 'Too Many Requests' }, { 'apigw-requestid': requestId, 'retry-after': String(taken.retryAfterSeconds) });
    }

    // Headers: lower-case names, repeated headers joined with ','; cookies go to their own array.
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headersDistinct)) {
      if (name === 'cookie' || value === undefined) continue;
      headers[name] = value.join(',');
    }
    const socket = req.socket;
    const sourceIp = (socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
    headers['x-forwarded-for'] ??= sourceIp;
    headers['x-forwarded-port'] ??= String(socket.localPort ?? '');
    headers['x-forwarded-proto'] ??= 'http';
    headers['x-amzn-trace-id'] ??= `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
    const cookieHeader = req.headersDistinct.cookie?.join('; ');
    const cookies = cookieHeader ? cookieHeader.split(/;\s*/).filter(Boolean) : undefined;

    let authorizer: Record<string, unknown> | undefined;
    if (route.authorizationType === 'JWT') {
      const header = headers.authorization;
      const token = header?.replace(/^Bearer\s+/i, '').trim();
      if (!token || !route.authorizer) return replyJson(401, { message: 'Unauthorized' });
      let payload: Awaited<ReturnType<DevIssuer['verify']>>;
      try {
        payload = await opts.issuer.verify(token, route.authorizer);
      } catch {
        return replyJson(401, { message: 'Unauthorized' });
      }
      const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : null;
      if (route.scopes.length && !route.scopes.some((s) => scopes?.includes(s))) return replyJson(403, { message: 'Forbidden' });
      authorizer = { jwt: { claims: renderClaims(payload), scopes } };
    } else if (route.authorizationType !== 'NONE') {
      return replyJson(500, { message: `The local HTTP API does not support ${route.authorizationType} authorization` });
    }

    let queryStringParameters: Record<string, string> | undefined;
    if (rawQueryString) {
      // A Map, then fromEntries: every name becomes an own property, `__proto__` included (an assignment to a plain
      // object would set its prototype and drop the parameter, which API Gateway passes on for the handler to refuse).
      const params = new Map<string, string>();
      for (const [k, v] of new URLSearchParams(rawQueryString)) params.set(k, params.has(k) ? `${params.get(k)},${v}` : v);
      queryStringParameters = Object.fromEntries(params);
    }

    const now = new Date();
    const contentType = headers['content-type'] ?? '';
    const hasBody = body.length > 0;
    const isBase64Encoded = hasBody && !TEXT_TYPES.test(contentType);
    const host = headers.host ?? 'localhost';
    const event = {
      version: '2.0',
      routeKey: route.routeKey,
      rawPath,
      rawQueryString,
      ...(cookies ? { cookies } : {}),
      headers,
      ...(queryStringParameters ? { queryStringParameters } : {}),
      requestContext: {
        accountId: opts.accountId ?? '000000000000',
        apiId: opts.apiId(),
        ...(authorizer ? { authorizer } : {}),
        domainName: host,
        domainPrefix: host.split('.')[0] ?? host,
        http: { method, path: rawPath, protocol: `HTTP/${req.httpVersion}`, sourceIp, userAgent: headers['user-agent'] ?? '' },
        requestId,
        routeKey: route.routeKey,
        stage: '$default',
        time: apiGatewayTime(now),
        timeEpoch: now.getTime(),
      },
      ...(hasBody ? { body: isBase64Encoded ? body.toString('base64') : body.toString('utf8') } : {}),
      ...(match.pathParameters ? { pathParameters: match.pathParameters } : {}),
      isBase64Encoded,
    };

    let result: unknown;
    try {
      result = await opts.invoke(route.functionLogicalId, event);
    } catch (err) {
      log(`local HTTP API: ${route.routeKey} → ${(err as Error).name}: ${(err as Error).message}`);
      if ((err as Error).name === 'Sandbox.Timedout') return replyJson(503, { message: 'Service Unavailable' });
      return replyJson(500, { message: 'Internal Server Error' });
    }
    writeResult(res, result, requestId, log);
  }
}

/** API Gateway's payload-2.0 response mapping. */
function writeResult(res: ServerResponse, result: unknown, requestId: string, log: (l: string) => void): void {
  const isResponse = result !== null && typeof result === 'object' && !Array.isArray(result) && 'statusCode' in result;
  if (!isResponse) {
    const text = typeof result === 'string' ? result : JSON.stringify(result ?? null);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'apigw-requestid': requestId });
    res.end(text);
    return;
  }
  const r = result as { statusCode: unknown; headers?: Record<string, unknown>; cookies?: unknown; body?: unknown; isBase64Encoded?: unknown };
  const status = Number(r.statusCode);
  if (!Number.isInteger(status) || status < 100 || status > 599) {
    log(`local HTTP API: invalid statusCode ${String(r.statusCode)} from handler`);
    json(res, 500, { message: 'Internal Server Error' }, { 'apigw-requestid': requestId });
    return;
  }
  const body = r.body === undefined || r.body === null ? Buffer.alloc(0) : r.isBase64Encoded === true ? Buffer.from(String(r.body), 'base64') : Buffer.from(typeof r.body === 'string' ? r.body : JSON.stringify(r.body));
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(r.headers ?? {})) if (v !== undefined && v !== null) headers[k.toLowerCase()] = String(v);
  if (Array.isArray(r.cookies) && r.cookies.length) headers['set-cookie'] = r.cookies.map(String);
  headers['content-length'] = String(body.length);
  headers['apigw-requestid'] = requestId;
  res.writeHead(status, headers);
  res.end(body);
}


// The local HTTP API (lib/local/http-api.ts): routes read from a template, API Gateway v2 payload-2.0 events, the
// JWT authorizer with the dev issuer, and API Gateway's response mapping.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { createHttpApiServer, matchRoute, TokenBuckets } from '../../lib/local/http-api.ts';
import { DevIssuer, DEV_CLIENT_ID, DEV_ISSUER, DEV_USER_POOL_ID } from '../../lib/local/jwt.ts';
import { buildLocalModel } from '../../lib/local/template-model.ts';
import type { CfnTemplate, LocalModel } from '../../lib/local/template-model.ts';
import { closeServer, listen } from '../../lib/local/net.ts';
import { PROJECT_DIR } from '../../lib/local/paths.ts';

const names = {
  region: 'us-east-1',
  accountId: '000000000000',
  apiUrl: 'http://127.0.0.1:3000',
  userPoolId: DEV_USER_POOL_ID,
  userPoolClientId: DEV_CLIENT_ID,
  stackName: 'test',
};

const fnRes = (entry: string) => ({ Type: 'AWS::Lambda::Function', Metadata: { 'ace-filing:entry': entry, 'ace-filing:handler': 'handler' }, Properties: {} });
const integration = (fn: string) => ({
  Type: 'AWS::ApiGatewayV2::Integration',
  Properties: { ApiId: { Ref: 'Api' }, IntegrationType: 'AWS_PROXY', IntegrationUri: { 'Fn::GetAtt': [fn, 'Arn'] }, PayloadFormatVersion: '2.0' },
});
const route = (key: string, int: string, jwt = false) => ({
  Type: 'AWS::ApiGatewayV2::Route',
  Properties: {
    ApiId: { Ref: 'Api' },
    RouteKey: key,
    AuthorizationType: jwt ? 'JWT' : 'NONE',
    ...(jwt ? { AuthorizerId: { Ref: 'Jwt' } } : {}),
    Target: { 'Fn::Join': ['', ['integrations/', { Ref: int }]] },
  },
});

/** A template shaped like the CDK app's: a Cognito JWT authorizer, integrations, routes. */
const template = {
  Resources: {
    Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'api', ProtocolType: 'HTTP' } },
    Pool: { Type: 'AWS::Cognito::UserPool', Properties: {} },
    PoolClient: { Type: 'AWS::Cognito::UserPoolClient', Properties: { UserPoolId: { Ref: 'Pool' } } },
    Jwt: {
      Type: 'AWS::ApiGatewayV2::Authorizer',
      Properties: {
        ApiId: { Ref: 'Api' },
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: {
          Audience: [{ Ref: 'PoolClient' }],
          Issuer: { 'Fn::Join': ['', ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', { Ref: 'Pool' }]] },
        },
      },
    },
    EchoFn: fnRes('functions/http/echo.ts'),
    OtherFn: fnRes('functions/http/other.ts'),
    EchoInt: integration('EchoFn'),
    OtherInt: integration('OtherFn'),
    R1: route('POST /items/{id}', 'EchoInt'),
    R2: route('GET /items/{id}', 'EchoInt'),
    R3: route('GET /items/special', 'OtherInt'),
    R4: route('GET /ops/executions', 'EchoInt', true),
    R5: route('ANY /files/{path+}', 'EchoInt'),
    R6: route('GET /respond', 'EchoInt'),
  },
} as unknown as CfnTemplate;

interface Seen {
  fn: string;
  event: Record<string, unknown> & { requestContext: Record<string, unknown> };
}

describe('local HTTP API', () => {
  let server: Server;
  let url: string;
  let issuer: DevIssuer;
  let model: LocalModel;
  const seen: Seen[] = [];
  let respond: (event: Seen['event']) => unknown = () => ({ statusCode: 200, body: 'ok' });

  beforeAll(async () => {
    issuer = await DevIssuer.load(null);
    model = buildLocalModel(template, names);
    server = createHttpApiServer({
      routes: () => model.routes,
      apiId: () => 'local',
      issuer,
      bodyLimitBytes: 64 * 1024,
      invoke: async (fn, event) => {
        const e = event as Seen['event'];
        seen.push({ fn, event: e });
        return respond(e);
      },
    });
    url = await listen(server, '127.0.0.1', 0);
  });
  afterAll(async () => {
    await closeServer(server);
  });

  const last = (): Seen['event'] => (seen.at(-1) as Seen).event;

  it('reads routes, authorization and the function behind each integration from the template', () => {
    const byKey = Object.fromEntries(model.routes.map((r) => [r.routeKey, r]));
    expect(byKey['POST /items/{id}']).toMatchObject({ method: 'POST', path: '/items/{id}', authorizationType: 'NONE', functionLogicalId: 'EchoFn' });
    expect(byKey['GET /ops/executions']).toMatchObject({ authorizationType: 'JWT', authorizer: { issuer: DEV_ISSUER, audience: [DEV_CLIENT_ID] } });
  });

  it('turns a request into an exact payload-2.0 event', async () => {
    respond = () => ({ statusCode: 201, headers: { 'x-out': 'yes' }, body: 'created' });
    const r = await fetch(`${url}/items/a%20b?x=1&y=2&x=3&empty=`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-Custom': 'Hello', cookie: 'a=1; b=2', 'user-agent': 'test-agent' },
      body: JSON.stringify({ hello: 'world' }),
    });
    expect(r.status).toBe(201);
    expect(r.headers.get('x-out')).toBe('yes');
    expect(await r.text()).toBe('created');
    const e = last();
    expect(Object.keys(e).sort()).toEqual(
      ['body', 'cookies', 'headers', 'isBase64Encoded', 'pathParameters', 'queryStringParameters', 'rawPath', 'rawQueryString', 'requestContext', 'routeKey', 'version'].sort(),
    );
    expect(e).toMatchObject({
      version: '2.0',
      routeKey: 'POST /items/{id}',
      rawPath: '/items/a%20b',
      rawQueryString: 'x=1&y=2&x=3&empty=',
      cookies: ['a=1', 'b=2'],
      queryStringParameters: { x: '1,3', y: '2', empty: '' },
      pathParameters: { id: 'a b' },
      body: '{"hello":"world"}',
      isBase64Encoded: false,
    });
    const headers = e.headers as Record<string, string>;
    expect(headers).toMatchObject({ 'content-type': 'application/json', 'x-custom': 'Hello', 'user-agent': 'test-agent', 'x-forwarded-proto': 'http' });
    expect(headers.cookie).toBeUndefined();
    expect(Object.keys(headers).every((k) => k === k.toLowerCase())).toBe(true);
    expect(headers['x-amzn-trace-id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    const rc = e.requestContext;
    expect(Object.keys(rc).sort()).toEqual(['accountId', 'apiId', 'domainName', 'domainPrefix', 'http', 'requestId', 'routeKey', 'stage', 'time', 'timeEpoch'].sort());
    expect(rc).toMatchObject({
      accountId: '000000000000',
      apiId: 'local',
      domainName: new URL(url).host,
      http: { method: 'POST', path: '/items/a%20b', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test-agent' },
      routeKey: 'POST /items/{id}',
      stage: '$default',
    });
    expect(rc.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(typeof rc.timeEpoch).toBe('number');
  });

  it('leaves out what a request does not have, and base64-encodes binary bodies', async () => {
    await fetch(`${url}/items/1`);
    const e = last();
    for (const k of ['body', 'cookies', 'queryStringParameters']) expect(e).not.toHaveProperty(k);
    expect(e).toMatchObject({ rawQueryString: '', isBase64Encoded: false, pathParameters: { id: '1' } });

    const bytes = Buffer.from([0, 1, 2, 255]);
    await fetch(`${url}/items/2`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: bytes });
    expect(last()).toMatchObject({ isBase64Encoded: true, body: bytes.toString('base64') });
  });

  it('selects routes like API Gateway: literal over parameter, greedy paths, 404 otherwise', async () => {
    await fetch(`${url}/items/special`);
    expect(seen.at(-1)?.fn).toBe('OtherFn');
    await fetch(`${url}/files/a/b/c.txt`, { method: 'DELETE' });
    expect(last()).toMatchObject({ routeKey: 'ANY /files/{path+}', pathParameters: { path: 'a/b/c.txt' } });

    for (const [method, path] of [['GET', '/nope'], ['DELETE', '/items/1'], ['GET', '/files']]) {
      const r = await fetch(`${url}${path}`, { method });
      expect(r.status).toBe(404);
      expect(await r.json()).toEqual({ message: 'Not Found' });
    }
    expect(matchRoute(model.routes, 'GET', '/items/x/y')).toBeUndefined();
  });

  it('answers 400 to a malformed percent-escape in the path, without calling the handler', async () => {
    const before = seen.length;
    for (const path of ['/items/%ZZ', '/items/%C0%AF', '/items/%', '/items/%E2%9C', '/files/a/%ZZ/b']) {
      const r = await fetch(`${url}${path}`);
      expect(r.status, path).toBe(400);
      expect(await r.json()).toEqual({ message: 'Bad Request' });
    }
    expect(seen.length).toBe(before);
  });

  it('decodes each path segment exactly once, so ids round-trip', async () => {
    for (const [path, id] of [['/items/a%25b', 'a%b'], ['/items/a%252F', 'a%2F'], ['/items/a%2Fb', 'a/b'], ['/items/%E2%9C%93', '\u2713']]) {
      await fetch(`${url}${path}`);
      expect(last().pathParameters, path).toEqual({ id });
      expect(last().rawPath).toBe(path);
    }
  });

  it('passes every query parameter on, `__proto__` included, as an own property', async () => {
    await fetch(`${url}/items/1?__proto__=x&constructor=y&a=1&a=2`);
    const query = last().queryStringParameters as Record<string, string>;
    expect(Object.keys(query).sort()).toEqual(['__proto__', 'a', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(query, '__proto__')?.value).toBe('x');
    expect(query.a).toBe('1,2');
  });

  it('answers 503 with Retry-After until the runtime behind it is ready, never a 500; local endpoints answer meanwhile', async () => {
    let ready = false;
    let calls = 0;
    const starting = createHttpApiServer({
      routes: () => model.routes, apiId: () => 'local', issuer, ready: () => ready,
      invoke: async () => { calls += 1; return { statusCode: 200, body: 'ok' }; },
      local: (_req, res) => { res.writeHead(200).end('{}'); return true; },
    });
    const base = await listen(starting, '127.0.0.1', 0);
    try {
      const early = await fetch(`${base}/items/1`);
      expect(early.status).toBe(503);
      expect(early.headers.get('retry-after')).toBe('1');
      expect((await fetch(`${base}/__local/clock`)).status).toBe(200);
      expect(calls).toBe(0);
      ready = true;
      expect((await fetch(`${base}/items/1`)).status).toBe(200);
      expect(calls).toBe(1);
    } finally {
      await closeServer(starting);
    }
  });

  it('maps handler results: plain values become 200 JSON, cookies become set-cookie, base64 bodies are decoded', async () => {
    respond = () => ({ hello: 'world' });
    let r = await fetch(`${url}/respond`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json');
    expect(await r.json()).toEqual({ hello: 'world' });

    respond = () => ({ statusCode: 302, headers: { Location: '/there' }, cookies: ['s=1; HttpOnly', 't=2'], body: '' });
    r = await fetch(`${url}/respond`, { redirect: 'manual' });
    expect(r.status).toBe(302);
    expect(r.headers.get('location')).toBe('/there');
    expect(r.headers.getSetCookie()).toEqual(['s=1; HttpOnly', 't=2']);

    respond = () => ({ statusCode: 200, headers: { 'content-type': 'image/png' }, body: Buffer.from([9, 8, 7]).toString('base64'), isBase64Encoded: true });
    r = await fetch(`${url}/respond`);
    expect([...new Uint8Array(await r.arrayBuffer())]).toEqual([9, 8, 7]);

    respond = () => {
      throw new Error('boom');
    };
    r = await fetch(`${url}/respond`);
    expect(r.status).toBe(500);
    expect(await r.json()).toEqual({ message: 'Internal Server Error' });
  });

  it('refuses bodies over the limit with 413', async () => {
    const r = await fetch(`${url}/items/1`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(64 * 1024 + 1) });
    expect(r.status).toBe(413);
    expect(await r.json()).toEqual({ message: 'Request Entity Too Large' });
  });

  describe('JWT routes', () => {
    it('answer 401 {"message":"Unauthorized"} without a valid token, and never call the handler', async () => {
      respond = () => ({ statusCode: 200, body: 'secret' });
      const before = seen.length;
      const other = await DevIssuer.load(null);
      const tokens = [
        undefined,
        'Bearer',
        'Bearer not-a-jwt',
        `Bearer ${await other.mint({ groups: ['ops'] })}`, // signed by another key
        `Bearer ${await issuer.mint({ groups: ['ops'], ttlSeconds: -60 })}`, // expired
        `Bearer ${await issuer.mint({ groups: ['ops'], claims: { aud: 'someone-else' } })}`,
        `Bearer ${await issuer.mint({ groups: ['ops'], claims: { iss: 'https://evil.example.com' } })}`,
      ];
      for (const t of tokens) {
        const r = await fetch(`${url}/ops/executions`, { headers: t ? { authorization: t } : {} });
        expect(r.status).toBe(401);
        expect(await r.json()).toEqual({ message: 'Unauthorized' });
      }
      expect(seen.length).toBe(before);
    });

    it('hand the handler the claims as API Gateway renders them', async () => {
      const token = await issuer.mint({ groups: ['ops', 'partner'], partnerId: 'p-123', sub: 'user-1' });
      const r = await fetch(`${url}/ops/executions`, { headers: { authorization: `Bearer ${token}` } });
      expect(r.status).toBe(200);
      const authorizer = last().requestContext.authorizer as { jwt: { claims: Record<string, string>; scopes: unknown } };
      expect(authorizer.jwt.claims).toMatchObject({
        sub: 'user-1',
        'cognito:groups': '[ops partner]',
        'custom:partnerId': 'p-123',
        token_use: 'id',
        iss: DEV_ISSUER,
        aud: DEV_CLIENT_ID,
        email_verified: 'true',
      });
      expect(authorizer.jwt.claims.exp).toMatch(/^\d+$/);
      expect(authorizer.jwt.scopes).toBeNull();
      expect((last().headers as Record<string, string>).authorization).toBe(`Bearer ${token}`);
    });

    it('accept access tokens by client_id, with their scopes', async () => {
      const token = await issuer.mint({ groups: ['ops'], tokenUse: 'access' });
      const r = await fetch(`${url}/ops/executions`, { headers: { authorization: token } });
      expect(r.status).toBe(200);
      const authorizer = last().requestContext.authorizer as { jwt: { claims: Record<string, string>; scopes: unknown } };
      expect(authorizer.jwt.claims).toMatchObject({ client_id: DEV_CLIENT_ID, token_use: 'access', 'cognito:groups': '[ops]' });
      expect(authorizer.jwt.scopes).toEqual(['aws.cognito.signin.user.admin']);
    });
  });
});

describe('dev tokens', () => {
  it('`npm run token` mints a token that a server using the same key file accepts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dev-jwt-'));
    try {
      const keyFile = join(dir, 'key.json');
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', join(PROJECT_DIR, 'bin/dev-token.ts'), '--role', 'partner', '--partner', 'p-9', '--key', keyFile],
        { cwd: PROJECT_DIR },
      );
      const token = stdout.trim();
      const server = await DevIssuer.load(keyFile);
      const claims = await server.verify(token, { issuer: DEV_ISSUER, audience: [DEV_CLIENT_ID] });
      expect(claims).toMatchObject({ 'cognito:groups': ['partner'], 'custom:partnerId': 'p-9', token_use: 'id' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the synthesized stack’s JWT authorizer resolves to the dev issuer and client', async () => {
    const { loadTemplate } = await import('../../lib/local/template-cache.ts');
    const { template } = await loadTemplate(PROJECT_DIR);
    const jwtRoutes = buildLocalModel(template, names).routes.filter((r) => r.authorizationType === 'JWT');
    expect(jwtRoutes.length).toBeGreaterThan(0);
    for (const r of jwtRoutes) expect(r.authorizer).toEqual(expect.objectContaining({ issuer: DEV_ISSUER, audience: [DEV_CLIENT_ID] }));
  }, 60_000);
});

describe('local HTTP API throttling (the stage\'s per-route settings, as API Gateway enforces them)', () => {
  const throttled = {
    Resources: {
      ...template.Resources,
      Stage: {
        Type: 'AWS::ApiGatewayV2::Stage',
        Properties: {
          ApiId: { Ref: 'Api' }, StageName: '$default', AutoDeploy: true,
          DefaultRouteSettings: { ThrottlingBurstLimit: 4, ThrottlingRateLimit: 2 },
          RouteSettings: { 'POST /items/{id}': { ThrottlingRateLimit: 1, ThrottlingBurstLimit: 2 } },
        },
      },
    },
  } as unknown as CfnTemplate;

  it('reads each route\'s throttle from the stage: its RouteSettings entry, else the stage default', () => {
    const byKey = Object.fromEntries(buildLocalModel(throttled, names).routes.map((r) => [r.routeKey, r.throttle]));
    expect(byKey['POST /items/{id}']).toEqual({ rateLimit: 1, burstLimit: 2 });
    expect(byKey['GET /items/{id}']).toEqual({ rateLimit: 2, burstLimit: 4 });
    expect(buildLocalModel(template, names).routes.every((r) => r.throttle === undefined)).toBe(true);
  });

  it('answers 429 {"message":"Too Many Requests"} with Retry-After past the burst, per route, and lets requests through again as the bucket refills', async () => {
    const issuer = await DevIssuer.load(null);
    let nowMs = 0;
    let calls = 0;
    const server = createHttpApiServer({
      routes: () => buildLocalModel(throttled, names).routes, apiId: () => 'local', issuer, monotonicMs: () => nowMs,
      invoke: async () => { calls += 1; return { statusCode: 200, body: 'ok' }; },
    });
    const base = await listen(server, '127.0.0.1', 0);
    try {
      const post = () => fetch(`${base}/items/1`, { method: 'POST' });
      // Burst 2 on POST /items/{id}: two pass at once, the third is refused without reaching the handler.
      expect((await post()).status).toBe(200);
      expect((await post()).status).toBe(200);
      const refused = await post();
      expect(refused.status).toBe(429);
      expect(await refused.json()).toEqual({ message: 'Too Many Requests' });
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(calls).toBe(2);
      // Another route has a bucket of its own (the stage default: burst 4).
      for (let i = 0; i < 4; i += 1) expect((await fetch(`${base}/items/1`)).status).toBe(200);
      expect((await fetch(`${base}/items/1`)).status).toBe(429);
      // Half a second refills half a token at 1 a second: still refused; a full second later one passes, then none.
      nowMs += 500;
      expect((await post()).status).toBe(429);
      nowMs += 500;
      expect((await post()).status).toBe(200);
      expect((await post()).status).toBe(429);
      // Never more than the burst, however long the pause.
      nowMs += 3_600_000;
      expect((await post()).status).toBe(200);
      expect((await post()).status).toBe(200);
      expect((await post()).status).toBe(429);
      expect(calls).toBe(2 + 4 + 1 + 2);
    } finally {
      await closeServer(server);
    }
  });

  it('does not throttle when told not to (the test suites poll faster than people)', async () => {
    const issuer = await DevIssuer.load(null);
    const server = createHttpApiServer({
      routes: () => buildLocalModel(throttled, names).routes, apiId: () => 'local', issuer, throttle: false, monotonicMs: () => 0,
      invoke: async () => ({ statusCode: 200, body: 'ok' }),
    });
    const base = await listen(server, '127.0.0.1', 0);
    try {
      for (let i = 0; i < 10; i += 1) expect((await fetch(`${base}/items/1`, { method: 'POST' })).status).toBe(200);
    } finally {
      await closeServer(server);
    }
  });

  it('a token bucket tells how long until the next token (Retry-After, whole seconds, at least 1)', () => {
    let nowMs = 0;
    const buckets = new TokenBuckets(() => nowMs);
    const slow = { rateLimit: 0.25, burstLimit: 1 };
    expect(buckets.take('k', slow)).toEqual({ ok: true });
    expect(buckets.take('k', slow)).toEqual({ ok: false, retryAfterSeconds: 4 });
    nowMs += 1_000;
    expect(buckets.take('k', slow)).toEqual({ ok: false, retryAfterSeconds: 3 });
    expect(buckets.take('other', slow)).toEqual({ ok: true });
    expect(buckets.take('z', { rateLimit: 0, burstLimit: 0 })).toEqual({ ok: false, retryAfterSeconds: 60 });
    expect(buckets.take('f', { rateLimit: 100, burstLimit: 1 })).toEqual({ ok: true });
    expect(buckets.take('f', { rateLimit: 100, burstLimit: 1 })).toEqual({ ok: false, retryAfterSeconds: 1 });
  });

  it('the synthesized stack gives every route the throttle cdk.json configures: public tightest, founder next, partner and operations the stage default', async () => {
    const { loadTemplate } = await import('../../lib/local/template-cache.ts');
    const { template: synthesized } = await loadTemplate(PROJECT_DIR);
    const context = (JSON.parse(readFileSync(join(PROJECT_DIR, 'cdk.json'), 'utf8')) as { context: Record<string, number> }).context;
    const limits = (kind: string) => ({ rateLimit: context[`${kind}RouteRateLimit`], burstLimit: context[`${kind}RouteBurstLimit`] });
    const routes = buildLocalModel(synthesized, names).routes;
    expect(routes.length).toBeGreaterThan(20);
    for (const r of routes) {
      const expected = r.authorizationType === 'JWT'
        ? limits('authenticated')
        : r.path.startsWith('/applications/') && !r.path.includes('/confirm-email') ? limits('founder') : limits('public');
      expect(r.throttle, r.routeKey).toEqual(expected);
    }
  }, 60_000);
});

describe('local Lambda settings', () => {
  it("sets AWS_LAMBDA_LOG_LEVEL from a function's application log level, as Lambda does, but not the JSON log format", () => {
    const logged = { ...fnRes('functions/a.ts'), Properties: { LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'WARN', SystemLogLevel: 'INFO' } } };
    const model = buildLocalModel({ Resources: { Logged: logged, Plain: fnRes('functions/b.ts') } } as unknown as CfnTemplate, names);
    const env = Object.fromEntries(model.functions.map((f) => [f.logicalId, f.environment]));
    expect(env.Logged).toEqual({ AWS_LAMBDA_LOG_LEVEL: 'WARN' });
    expect(env.Plain).toEqual({});
    expect(model.environment).toEqual({ AWS_LAMBDA_LOG_LEVEL: 'WARN' });
  });
});

/**
 * Generated bad requests for every documented route (scripts/hostile.ts, test/e2e/hostile-input.test.ts). Each one
 * carries at least one defect its route must refuse with a 4xx; none is a legitimate request in disguise (a route
 * without a body only ever gets path, token or method defects, so an approve or a withdraw is never really sent).
 */
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';

export interface Route {
  readonly method: string;
  /** e.g. `/partner/applications/{id}/briefs/{programId}/credits` */
  readonly path: string;
  readonly hasBody: boolean;
  readonly auth: 'none' | 'founder' | 'partner' | 'ops';
  readonly queryNames: readonly string[];
}

export interface Fixture {
  readonly applicationId: string;
  readonly founderToken: string;
  readonly partnerToken: string;
  /** The partner `partnerToken` speaks for (the crafted cursors name its queue's partition). */
  readonly partnerId: string;
  readonly otherPartnerToken: string;
  readonly opsToken: string;
  readonly worksheet: Record<string, unknown>;
}

export interface BadRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly defect: string;
}

interface OpenApi {
  paths: Record<string, Record<string, { requestBody?: unknown; security?: unknown[]; parameters?: { name: string; in: string }[] }>>;
}

/** The routes of the generated OpenAPI document, with who may call each. */
export function documentedRoutes(doc: OpenApi): Route[] {
  return Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({
    method: method.toUpperCase(),
    path,
    hasBody: op.requestBody !== undefined,
    auth: !op.security?.length ? 'none' : path.startsWith('/ops/') ? 'ops' : path.startsWith('/partner/') ? 'partner' : 'founder',
    queryNames: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
  } as const)));
}

/** Pages that are the same whatever the path id (the founder's confirmation page). */
function isStaticPage(route: Route): boolean {
  return route.method === 'GET' && route.path.endsWith('/confirm-email');
}

/** A small seeded PRNG (mulberry32): the same seed sends the same requests. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BAD_IDS = ['%ZZ', '%C0%AF', '%', '%E0%A4%A', '..%2F..%2Fetc', 'x'.repeat(300), 'app_%00', '%F0%9F%98%80', 'app_000000000000000000000000', 'app_x%20y', '__proto__', 'constructor'];
const BAD_MEDIA_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'application/octet-stream', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'text/json', ''];
const BAD_QUERIES = ['__proto__=x', 'constructor=x', 'status=bogus', 'limit=-1', 'limit=100000', 'limit=abc', 'cursor=%%%', 'cursor=eyJwayI6IngifQ', 'order=sideways', 'status=failed&status=unrouted&limit=0', 'unknown=1'];
/**
 * Cursors a caller could craft, each with the partition its route reads (the caller's own queue, the failed status):
 * the key's attribute names run together (`gsi1sk,pk` passes a check that joins the names, and DynamoDB then answers
 * a 500), and a key value over DynamoDB's 1,024 bytes in 513 characters.
 */
const cursorOf = (key: Record<string, string>): string => `cursor=${Buffer.from(JSON.stringify(key)).toString('base64url')}`;
function craftedCursors(partnerId: string): string[] {
  const queue = `PARTNER#${partnerId}`;
  return [
    cursorOf({ gsi1pk: queue, 'gsi1sk,pk': 'in_partner_review#2026', sk: 'HEAD' }),
    `status=in_partner_review&${cursorOf({ gsi1pk: queue, 'gsi1sk,pk': 'in_partner_review#2026', sk: 'HEAD' })}`,
    `status=failed&${cursorOf({ gsi2pk: 'STATUS#failed', 'gsi2sk,pk': '2026', sk: 'HEAD' })}`,
    cursorOf({ gsi1pk: queue, gsi1sk: 'é'.repeat(513), pk: 'APP#x', sk: 'HEAD' }),
  ];
}
const SURROGATES = ['\ud83d', '\udc00', 'a\ud800b', '\udfff\ud800'];

/** A valid-looking body for the route, which a defect then breaks. */
function baseBody(route: Route, f: Fixture): Record<string, unknown> {
  if (route.path === '/worksheets' || route.path === '/estimates' || route.path.endsWith('/revisions')) return structuredClone(f.worksheet);
  if (route.path.endsWith('/request-changes')) return { message: 'Please narrow the scope' };
  if (route.path.endsWith('/decline')) return { reason: 'Not a fit' };
  if (route.path.endsWith('/filed')) return { opportunityId: 'O1234567' };
  if (route.path.endsWith('/aws-review')) return { outcome: 'in-review' };
  if (route.path.endsWith('/credits')) return { amountUsd: '1000.00', appliedOn: '2026-01-01', expiresOn: '2030-01-01' };
  return { LifeCycle: { NextSteps: 'Scoping call' } };
}

/** Paths to every string in a value, so a defect can be put in any field. */
function stringPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string') return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringPaths(v, [...path, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringPaths(v, [...path, k]));
  return [];
}

function setAt(target: Record<string, unknown>, path: (string | number)[], value: unknown): void {
  let node = target as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path.at(-1) as string | number] = value;
}

type BodyDefect = (body: Record<string, unknown>, pick: <T>(xs: readonly T[]) => T) => { body: string; defect: string; contentType?: string };

export type Sheet = {
  company: { stage: string; industry: string; website: string; priorCreditsUsd: number; address: Record<string, unknown>; institutionalFunding: Record<string, unknown> };
  aws: Record<string, unknown>; contact: Record<string, unknown>; useCase: { summary: string; poc: Record<string, unknown> };
  workload: { models: { modelId: string; share: number }[] } & Record<string, unknown>; otherServices: { service: string; monthlyUsd: number }[];
};

/**
 * Rules of the worksheet (schemas/worksheet.ts) broken with every type right, on the example worksheet
 * (examples/worksheet.json): what the compiled checker (functions/core/worksheet-shape.generated.ts) must refuse as zod does.
 */
export const WORKSHEET_BREAKS: readonly [string, (w: Sheet) => void][] = [
  ['shares not adding up', (w) => { w.workload.models[0]!.share = 0.5; }],
  ['a model listed twice', (w) => { w.workload.models[1]!.modelId = w.workload.models[0]!.modelId; }],
  ['eleven models', (w) => { w.workload.models = Array.from({ length: 11 }, (_, i) => ({ modelId: `m${i}`, share: 1 / 11 })); }],
  ['ten services', (w) => { w.otherServices = Array.from({ length: 10 }, (_, i) => ({ service: `Service ${i}`, monthlyUsd: 1 })); }],
  ['a service listed twice in other case', (w) => { w.otherServices.push({ service: w.otherServices[0]!.service.toUpperCase(), monthlyUsd: 1 }); }],
  ['more cacheable tokens than input', (w) => { w.workload.cacheableContextTokens = (w.workload.avgInputTokens as number) + 1; }],
  ['a fraction of a token', (w) => { w.workload.avgOutputTokens = 10.5; }],
  ['25 months', (w) => { w.workload.monthsToCover = 25; }],
  ['growth below -50 %', (w) => { w.workload.monthlyGrowth = -0.75; }],
  ['no requests', (w) => { w.workload.requestsPerDay = 0; }],
  ['negative prior credits', (w) => { w.company.priorCreditsUsd = -1; }],
  ['a US address without its state', (w) => { delete w.company.address.stateOrRegion; }],
  ['a US address with a UK postcode', (w) => { w.company.address.postalCode = 'SW1A 1AA'; }],
  ['a bootstrapped company with a VC', (w) => { w.company.stage = 'bootstrapped'; }],
  ['industry Other, unnamed', (w) => { w.company.industry = 'Other'; }],
  ['funding without its provider', (w) => { delete w.company.institutionalFunding.provider; }],
  ['a defined proof of concept without its metric', (w) => { delete w.useCase.poc.successMetric; }],
  ['a summary of blanks', (w) => { w.useCase.summary = ' '.repeat(40); }],
  ['a website that is not one', (w) => { w.company.website = 'javascript:alert(1)'; }],
  ['an address without a domain', (w) => { w.contact.email = 'maya@localhost'; }],
  ['an 81-character address', (w) => { w.contact.email = `${'m'.repeat(71)}@ledger.ai`; }],
  ['an account id of 11 digits', (w) => { w.aws.accountId = '12345678901'; }],
  ['a Region in capitals', (w) => { w.aws.region = 'US-EAST-1'; }],
  ['a lower-case country code', (w) => { w.company.address.countryCode = 'us'; }],
];

const BODY_DEFECTS: BodyDefect[] = [
  (body, pick) => ({ body: JSON.stringify(body), contentType: pick(BAD_MEDIA_TYPES), defect: 'media type' }),
  (body, pick) => {
    const paths = stringPaths(body);
    const path = pick(paths.length ? paths : [['message']]);
    setAt(body, path, `${pick(['', 'Ledgerly '])}${pick(SURROGATES)}`);
    return { body: JSON.stringify(body), defect: 'lone surrogate' };
  },
  (body, pick) => {
    const paths = stringPaths(body);
    const path = pick(paths.length ? paths : [['message']]);
    setAt(body, path, `Ledgerly ${pick(['\u0000', '\u001b[31m', '\u007f', '\u0085', '\b'])} Labs`);
    return { body: JSON.stringify(body), defect: 'control character' };
  },
  (body, pick) => ({ body: JSON.stringify(body).slice(0, Math.max(1, Math.floor(JSON.stringify(body).length * pick([0.1, 0.5, 0.9])))), defect: 'truncated JSON' }),
  (_body, pick) => ({ body: pick(['', ' ', 'null', '[]', '"x"', '42', 'true', '{', '{"a":}', '\u0000', 'NaN']), defect: 'not a JSON object' }),
  (body) => ({ body: JSON.stringify({ ...body, __proto__x: 1, unexpectedField: true }), defect: 'unknown field' }),
  (body) => ({ body: `{"__proto__":{"polluted":true},${JSON.stringify(body).slice(1)}`, defect: '__proto__ field' }),
  (body) => ({ body: `{"Project":{"__proto__":{"Title":"polluted"}},${JSON.stringify(body).slice(1)}`, defect: 'nested __proto__ field' }),
  (body, pick) => {
    const paths = stringPaths(body);
    const path = pick(paths.length ? paths : [['message']]);
    setAt(body, path, pick([12, null, [], {}, true]));
    return { body: JSON.stringify(body), defect: 'wrong type' };
  },
  (_body, pick) => {
    const depth = pick([20, 200, 5000]);
    return { body: `{"a":${'['.repeat(depth)}${']'.repeat(depth)}}`, defect: 'nested too deep' };
  },
  (body) => ({ body: JSON.stringify({ ...body, padding: 'x'.repeat(70 * 1024) }), defect: 'too large' }),
  (body, pick) => {
    // Other bodies have no worksheet rule to break: an unknown field instead.
    if (!('workload' in body)) return { body: JSON.stringify({ ...body, unexpectedField: true }), defect: 'unknown field' };
    const [rule, breakIt] = pick(WORKSHEET_BREAKS);
    breakIt(body as unknown as Sheet);
    return { body: JSON.stringify(body), defect: `worksheet rule: ${rule}` };
  },
];

/**
 * `count` bad requests spread over `routes`. Defects by kind of route: any route may get a bad path id, a missing,
 * forged or foreign token, or a method it does not have; routes with a body get body defects; routes with query
 * parameters get bad queries; intake gets bad Idempotency-Keys and brief edits bad If-Match values (with a bad body).
 */
export function generateBadRequests(routes: readonly Route[], f: Fixture, count: number, seed: number): BadRequest[] {
  const rand = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const token = { none: undefined, founder: f.founderToken, partner: f.partnerToken, ops: f.opsToken } as const;
  const badQueries = [...BAD_QUERIES, ...craftedCursors(f.partnerId)];
  const fill = (path: string, id = f.applicationId, programId = 'bedrock-poc') => path.replace('{id}', id).replace('{programId}', programId);
  const out: BadRequest[] = [];
  for (let i = 0; out.length < count; i += 1) {
    const route = routes[i % routes.length] as Route;
    const auth: Record<string, string> = token[route.auth] ? { authorization: `Bearer ${token[route.auth]}` } : {};
    const kinds = [
      // The confirmation page is the same static page for any id (it reads nothing and changes nothing), so an id
      // defect is no defect there: a 200 is the right answer.
      ...(route.path.includes('{') && !isStaticPage(route) ? ['path id', 'path id', 'no such id'] : []),
      ...(route.auth !== 'none' ? ['token', 'token'] : []),
      'method',
      ...(route.hasBody ? ['body', 'body', 'body', 'body', 'body'] : []),
      ...(route.queryNames.length ? ['query', 'query', 'query'] : []),
    ];
    const kind = pick(kinds);
    const json = { 'content-type': 'application/json' };
    const body = route.hasBody ? JSON.stringify(baseBody(route, f)) : undefined;
    // A valid body where the defect lies elsewhere (path, token, method), so the defect is what gets refused.
    const withBody = body !== undefined ? { headers: { ...json, 'idempotency-key': `hostile-${seed}-${i}` }, body } : { headers: {} as Record<string, string> };
    switch (kind) {
      case 'path id': {
        const bad = pick(BAD_IDS);
        const programBad = route.path.includes('{programId}') && rand() < 0.5;
        out.push({ method: route.method, path: programBad ? fill(route.path, f.applicationId, bad) : fill(route.path, bad), headers: { ...auth, ...withBody.headers }, ...(withBody.body ? { body: withBody.body } : {}), defect: 'path id' });
        break;
      }
      case 'no such id':
        out.push({ method: route.method, path: fill(route.path, `app_${Math.floor(rand() * 1e12).toString(16).padStart(24, '0')}`), headers: { ...auth, ...withBody.headers }, ...(withBody.body ? { body: withBody.body } : {}), defect: 'no such id' });
        break;
      case 'token': {
        const forged = pick([
          undefined, 'Bearer', 'Bearer aft_forged', `Bearer ${f.founderToken}x`, 'Basic dXNlcjpwYXNz', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
          // Another partner may list their own queue: only a route naming this application is foreign to them.
          route.auth === 'partner' ? `Bearer ${route.path.includes('{id}') ? f.otherPartnerToken : f.founderToken}` : `Bearer ${f.partnerToken}`,
          route.auth === 'ops' ? `Bearer ${f.partnerToken}` : `Bearer ${f.opsToken}`,
        ]);
        out.push({ method: route.method, path: fill(route.path), headers: { ...withBody.headers, ...(forged ? { authorization: forged } : {}) }, ...(withBody.body ? { body: withBody.body } : {}), defect: 'token' });
        break;
      }
      case 'method': {
        const method = pick(['DELETE', 'PUT', ...(route.method === 'GET' ? ['POST', 'PATCH'] : ['GET'])].filter((m) => !routes.some((r) => r.path === route.path && r.method === m)));
        out.push({ method, path: fill(route.path), headers: { ...auth, ...withBody.headers }, ...(method !== 'GET' && withBody.body ? { body: withBody.body } : {}), defect: 'method' });
        break;
      }
      case 'query':
        out.push({ method: route.method, path: `${fill(route.path)}?${pick(badQueries)}${route.path.startsWith('/ops/applications') && rand() < 0.5 ? '&status=nonsense' : ''}`, headers: auth, defect: 'query' });
        break;
      default: {
        const broken = pick(BODY_DEFECTS)(baseBody(route, f), pick);
        const headers: Record<string, string> = { ...auth, ...(broken.contentType === undefined ? json : broken.contentType ? { 'content-type': broken.contentType } : {}) };
        if (route.path === '/worksheets') headers['idempotency-key'] = rand() < 0.2 ? pick(['short', 'has space in it', 'x'.repeat(200), 'key/with/slash']) : `hostile-${seed}-${i}`;
        if (route.method === 'PATCH') headers['if-match'] = pick(['"x"', '*', 'W/"stale"']);
        out.push({ method: route.method, path: fill(route.path), headers, body: broken.body, defect: `body: ${broken.defect}` });
      }
    }
  }
  return out;
}

/** Every item in the table by entity (applications, their transitions, notices and documents, dedupe entries, intake slots and rate windows, ...): anything a request from outside could create. */
export async function countApplicationItems(endpoint: string, tableName: string): Promise<Record<string, number>> {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const counts: Record<string, number> = {};
  let start: Record<string, never> | undefined;
  try {
    do {
      const page = await client.send(new ScanCommand({ TableName: tableName, ...(start ? { ExclusiveStartKey: start } : {}) }));
      for (const item of page.Items ?? []) {
        const entity = item.entity?.S ?? 'other';
        counts[entity] = (counts[entity] ?? 0) + 1;
      }
      start = page.LastEvaluatedKey as Record<string, never> | undefined;
    } while (start);
  } finally {
    client.destroy();
  }
  return counts;
}

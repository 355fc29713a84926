import { describe, expect, it } from 'vitest';
import {
  errorResponse, jsonBody, JSON_MEDIA_TYPE, MAX_BODY_DEPTH, MERGE_PATCH_MEDIA_TYPE, nestingDepth, pathParameter, UNICODE_RULE, bodyTextProblems, PROTO_KEY_RULE, CONTROL_RULE,
  type HttpEvent,
} from '../../functions/http/middleware.ts';
import { decodeCursor, encodeCursor } from '../../functions/adapters/dynamo/cursor.ts';
import { NotFoundError, UnsupportedMediaTypeError, ValidationError } from '../../functions/core/errors.ts';

const event = (over: Partial<HttpEvent>): HttpEvent => ({ headers: {}, isBase64Encoded: false, ...over }) as HttpEvent;
const jsonHeaders = { 'content-type': 'application/json' };

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('request bodies', () => {
  it('refuses bodies nested deeper than the limit with a 400, before any recursive code sees them', () => {
    // Written as text: even JSON.stringify of such a value would overflow the stack.
    const deep = `${'['.repeat(5000)}"x"${']'.repeat(5000)}`;
    const err = thrown(() => jsonBody(event({ headers: jsonHeaders, body: `{"Project":{"CustomerUseCase":${deep}}}` })));
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).problems).toEqual([{ field: '(body)', rule: `must not nest objects or arrays more than ${MAX_BODY_DEPTH} levels deep` }]);
  });

  it('measures nesting without recursion and accepts ordinary bodies', () => {
    expect(nestingDepth('x')).toBe(0);
    expect(nestingDepth({ a: { b: [1, { c: 2 }] } })).toBe(4);
    expect(jsonBody(event({ headers: jsonHeaders, body: '{"a":{"b":[1,2]}}' }))).toEqual({ a: { b: [1, 2] } });
  });
});

describe('media types', () => {
  const body = '{"a":1}';
  it.each([
    ['text/plain'], ['application/x-www-form-urlencoded'], ['multipart/form-data; boundary=x'], ['application/xml'], ['text/xml'],
    ['application/octet-stream'], ['application/json-patch+json'], ['application/json; charset=latin1'], ['application/jsonx'],
  ])('refuses a body sent as %s with 415 listing what is accepted', (type) => {
    const err = thrown(() => jsonBody(event({ headers: { 'content-type': type }, body })));
    expect(err).toBeInstanceOf(UnsupportedMediaTypeError);
    expect((err as UnsupportedMediaTypeError).accepted).toEqual(['application/json']);
    const res = errorResponse(err);
    expect(res.statusCode).toBe(415);
    expect(JSON.parse(String(res.body))).toMatchObject({ error: 'UnsupportedMediaType', message: expect.stringContaining(`'${type}'`) });
  });

  it('refuses a body without a content type with 415', () => {
    const err = thrown(() => jsonBody(event({ body })));
    expect(err).toBeInstanceOf(UnsupportedMediaTypeError);
    expect((err as Error).message).toContain('no Content-Type');
  });

  it('takes application/json in any letter case, with a UTF-8 charset; merge patches only where the route says so', () => {
    for (const type of ['application/json', 'Application/JSON; charset=UTF-8', 'application/json;charset="utf-8"']) {
      expect(jsonBody(event({ headers: { 'content-type': type }, body }))).toEqual({ a: 1 });
    }
    const patch = event({ headers: { 'content-type': 'application/merge-patch+json' }, body });
    expect(thrown(() => jsonBody(patch))).toBeInstanceOf(UnsupportedMediaTypeError);
    expect(jsonBody(patch, [JSON_MEDIA_TYPE, MERGE_PATCH_MEDIA_TYPE])).toEqual({ a: 1 });
  });
});

describe('text that cannot be mailed', () => {
  const jsonEvent = (body: string) => event({ headers: { 'content-type': 'application/json' }, body });

  it('refuses a lone UTF-16 surrogate with a 400 naming every field that holds one (values and names)', () => {
    // Written as JSON escapes: legal JSON text, not Unicode.
    const err = thrown(() => jsonBody(jsonEvent('{"company":{"name":"Ledgerly \\ud83d"},"models":[{"id":"ok"},{"id":"\\udc00x"}],"k\\ud800":1}')));
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).problems).toEqual([
      { field: 'company.name', rule: UNICODE_RULE },
      { field: 'k\ud800', rule: UNICODE_RULE },
      { field: 'models[1].id', rule: UNICODE_RULE },
    ]);
  });

  it('accepts surrogate pairs (emoji) and any other Unicode text', () => {
    expect(jsonBody(jsonEvent('{"message":"Ship it \\ud83d\\ude80 — déjà vu 漢字"}'))).toEqual({ message: 'Ship it \u{1F680} — déjà vu 漢字' });
    expect(bodyTextProblems({ a: ['\u{1F680}', 'x'], b: 1, c: null })).toEqual([]);
  });
});

describe('control characters', () => {
  const jsonEvent = (body: string) => event({ headers: { 'content-type': 'application/json' }, body });

  // Legal JSON escapes, meaningless in any field of this API, and carried on into mails, ACE records and pages.
  it('refuses NUL, ESC, DEL and C1 controls in values and names with a 400 naming each field', () => {
    const err = thrown(() => jsonBody(jsonEvent('{"company":{"name":"Acme\\u0000"},"contact":{"firstName":"\\u001b[31mMaya"},"x":["ok","a\\u007f"],"n\\u0085":1,"k\\u0008":"v"}')));
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).problems).toEqual([
      { field: 'company.name', rule: CONTROL_RULE },
      { field: 'contact.firstName', rule: CONTROL_RULE },
      { field: 'k\b', rule: CONTROL_RULE },
      { field: 'n\u0085', rule: CONTROL_RULE },
      { field: 'x[1]', rule: CONTROL_RULE },
    ]);
  });

  it('accepts tabs and line breaks in text', () => {
    expect(jsonBody(jsonEvent('{"message":"Line one\\r\\nLine two\\twith a tab"}'))).toEqual({ message: 'Line one\r\nLine two\twith a tab' });
  });
});

describe('members named __proto__', () => {
  const jsonEvent = (body: string) => event({ headers: { 'content-type': 'application/json' }, body });

  it('refuses one at any depth with a 400 naming each (merged by assignment it would set a prototype)', () => {
    const err = thrown(() => jsonBody(jsonEvent('{"__proto__":{"x":1},"a":[{"b":{"__proto__":null}}],"c":"\\ud800"}')));
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).problems).toEqual([
      { field: '__proto__', rule: PROTO_KEY_RULE },
      { field: 'a[0].b.__proto__', rule: PROTO_KEY_RULE },
      { field: 'c', rule: UNICODE_RULE },
    ]);
  });

  it('accepts other names an object inherits (constructor, toString): as own JSON members they are plain fields', () => {
    expect(jsonBody(jsonEvent('{"constructor":{"prototype":1},"toString":"x","__proto__x":1}'))).toEqual({ constructor: { prototype: 1 }, toString: 'x', __proto__x: 1 });
  });
});

describe('path parameters', () => {
  it('answers 404 for ids that cannot exist (too long, odd characters), so DynamoDB never sees them', () => {
    for (const id of ['x'.repeat(3000), 'app_1/../x', '%', '']) {
      expect(thrown(() => pathParameter(event({ pathParameters: { id } }), 'id'))).toBeInstanceOf(NotFoundError);
    }
    expect(pathParameter(event({ pathParameters: { id: 'app_0123456789abcdef01234567' } }), 'id')).toBe('app_0123456789abcdef01234567');
    expect(thrown(() => pathParameter(event({ pathParameters: { programId: '%ZZ' } }), 'programId'))).toBeInstanceOf(NotFoundError);
  });
});

describe('pagination cursors', () => {
  const expected = { attributes: ['pk', 'sk', 'gsi1pk', 'gsi1sk'], partition: { attribute: 'gsi1pk', value: 'PARTNER#p-a' } };
  const genuine = { pk: 'APP#1', sk: 'APP', gsi1pk: 'PARTNER#p-a', gsi1sk: 'in_partner_review#2026' };
  const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
  const REFUSED = [{ field: 'query.cursor', rule: 'must be a nextCursor returned by the previous page of the same query' }];

  it('round-trips a genuine cursor, whatever order DynamoDB gave its attributes in and with any Unicode in its values', () => {
    expect(decodeCursor(encodeCursor(genuine), expected)).toEqual(genuine);
    const reordered = { gsi1sk: 'in_partner_review#2026-é✓', sk: 'APP', gsi1pk: 'PARTNER#p-a', pk: 'APP#1' };
    expect(decodeCursor(encodeCursor(reordered), expected)).toEqual(reordered);
    // What is encoded is the key's JSON in UTF-8, base64url (no padding, no '+' or '/': safe in a query string).
    expect(encodeCursor({ k: 'é?>' })).toBe(base64('{"k":"é?>"}'));
    expect(encodeCursor({ k: 'é?>' })).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('takes key values up to 1024 bytes (a sort key\'s limit in DynamoDB), counted in UTF-8 bytes', () => {
    for (const sk of ['x'.repeat(1024), 'é'.repeat(512), 'a']) {
      expect(decodeCursor(encodeCursor({ ...genuine, sk }), expected)).toEqual({ ...genuine, sk });
    }
  });

  it.each([
    ['not base64 JSON', '%%%'],
    ['base64 of text that is not JSON', base64('{pk: APP#1}')],
    ['JSON null', base64('null')],
    ['a JSON number', base64('5')],
    ['a JSON string', base64('"APP#1"')],
    ['a JSON array', base64(JSON.stringify(Object.values(genuine)))],
    ['an empty object', encodeCursor({})],
    ['other attributes', encodeCursor({ foo: 1 })],
    ['other attributes, all strings', encodeCursor({ a: 'APP#1', b: 'APP', gsi1pk: 'PARTNER#p-a', c: 'x' })],
    ['one attribute renamed', encodeCursor({ pk: genuine.pk, sj: genuine.sk, gsi1pk: genuine.gsi1pk, gsi1sk: genuine.gsi1sk })],
    ['an attribute too many', encodeCursor({ ...genuine, gsi2pk: 'STATUS#x' })],
    ['an attribute too few', encodeCursor({ pk: genuine.pk, gsi1pk: genuine.gsi1pk, gsi1sk: genuine.gsi1sk })],
    ['two attribute names run together (they would join to the right list)', encodeCursor({ gsi1pk: 'PARTNER#p-a', 'gsi1sk,pk': 'x', sk: 'APP' })],
    ['a non-string key', encodeCursor({ ...genuine, sk: 5 })],
    ['a key that is an object', encodeCursor({ ...genuine, sk: { S: 'APP' } })],
    ['an empty key value (DynamoDB refuses those)', encodeCursor({ ...genuine, sk: '' })],
    ['a key value of 1025 characters', encodeCursor({ ...genuine, sk: 'x'.repeat(1025) })],
    ['a key value of 513 characters but 1026 UTF-8 bytes', encodeCursor({ ...genuine, gsi1sk: 'é'.repeat(513) })],
    ["another partner's partition", encodeCursor({ ...genuine, gsi1pk: 'PARTNER#p-b' })],
  ])('refuses %s with a 400 naming query.cursor and the rule', (_what, cursor) => {
    const err = thrown(() => decodeCursor(cursor, expected));
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).problems).toEqual(REFUSED);
  });
});

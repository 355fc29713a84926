import { describe, expect, it } from 'vitest';
import { jsonBody, MAX_BODY_DEPTH, nestingDepth, pathParameter, type HttpEvent } from '../../functions/http/middleware.ts';
import { decodeCursor, encodeCursor } from '../../functions/adapters/dynamo/cursor.ts';
import { NotFoundError, ValidationError } from '../../functions/core/errors.ts';

const event = (over: Partial<HttpEvent>): HttpEvent => ({ headers: {}, isBase64Encoded: false, ...over }) as HttpEvent;

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
    const err = thrown(() => jsonBody(event({ body: `{"Project":{"CustomerUseCase":${deep}}}` })));
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).problems).toEqual([{ field: '(body)', rule: `must not nest objects or arrays more than ${MAX_BODY_DEPTH} levels deep` }]);
  });

  it('measures nesting without recursion and accepts ordinary bodies', () => {
    expect(nestingDepth('x')).toBe(0);
    expect(nestingDepth({ a: { b: [1, { c: 2 }] } })).toBe(4);
    expect(jsonBody(event({ body: '{"a":{"b":[1,2]}}' }))).toEqual({ a: { b: [1, 2] } });
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

  it('round-trips a genuine cursor', () => {
    expect(decodeCursor(encodeCursor(genuine), expected)).toEqual(genuine);
  });

  it.each([
    ['not base64 JSON', '%%%'],
    ['other attributes', encodeCursor({ foo: 1 })],
    ['a non-string key', encodeCursor({ ...genuine, sk: 5 })],
    ["another partner's partition", encodeCursor({ ...genuine, gsi1pk: 'PARTNER#p-b' })],
  ])('refuses %s with a 400 naming query.cursor', (_what, cursor) => {
    const err = thrown(() => decodeCursor(cursor, expected));
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).problems[0]?.field).toBe('query.cursor');
  });
});

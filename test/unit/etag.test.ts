// The ETag of a stored brief (functions/core/application/etag.ts): its exact form, that it names the edit counter and
// the body's content whatever the body's key order, and the key-sorted JSON it hashes. Fixtures are built in each test.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bodyHash, etagOf, stableJson } from '../../functions/core/application/etag.ts';

/** What the ETag's content half must be: the first 16 base64url characters of the SHA-256 of the key-sorted JSON. */
const expectedHash = (json: string) => createHash('sha256').update(json).digest('base64url').slice(0, 16);

describe('stableJson', () => {
  it('writes objects with their keys sorted, at every depth, arrays in their order', () => {
    expect(stableJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
    expect(stableJson([2, 1, [], {}])).toBe('[2,1,[],{}]');
    expect(stableJson([])).toBe('[]');
    expect(stableJson({})).toBe('{}');
    expect(stableJson({ 'a"b': 'q"uote' })).toBe('{"a\\"b":"q\\"uote"}');
  });

  it('writes scalars, null and what JSON cannot hold as JSON.stringify writes them in an array', () => {
    expect(stableJson(null)).toBe('null');
    expect(stableJson('x')).toBe('"x"');
    expect(stableJson(0)).toBe('0');
    expect(stableJson(false)).toBe('false');
    expect(stableJson(undefined)).toBe('null');
    expect(stableJson([undefined, () => 1, null])).toBe(JSON.stringify([undefined, () => 1, null]));
  });

  it('is JSON.stringify of the value with its keys sorted, for any JSON value, and the same for any key order', () => {
    const sortKeys = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(sortKeys);
      if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
      return v;
    };
    const reversed = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(reversed);
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)]));
      return v;
    };
    // Keys that are not array indexes: an object lists those first whatever their insertion order, so a sorted copy
    // could not write them in sorted order (stableJson does).
    const { json } = fc.letrec((tie) => ({
      json: fc.oneof(
        { depthSize: 'small' },
        fc.constant(null), fc.boolean(), fc.double(), fc.string(),
        fc.array(tie('json'), { maxLength: 4 }),
        fc.dictionary(fc.string().map((k) => `k${k}`), tie('json'), { maxKeys: 4 }),
      ),
    }));
    fc.assert(fc.property(json, (value) => {
      expect(stableJson(value)).toBe(JSON.stringify(sortKeys(value)));
      expect(stableJson(reversed(value))).toBe(stableJson(value));
    }));
    expect(stableJson({ b: 1, 10: 2, 9: 3, a: 4 })).toBe('{"10":2,"9":3,"a":4,"b":1}');
  });
});

describe('etagOf', () => {
  it('is a strong ETag: the quoted edit counter and the 16-character base64url hash of the key-sorted body', () => {
    const brief = { programId: 'bedrock-poc', body: { Project: { Title: 'T', Stage: 'Prospect' }, ClientToken: 'c' }, problems: [], revision: 3 };
    const hash = expectedHash('{"ClientToken":"c","Project":{"Stage":"Prospect","Title":"T"}}');
    expect(bodyHash(brief.body)).toBe(hash);
    expect(hash).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(etagOf(brief)).toBe(`"3-${hash}"`);
  });

  it('a brief drafted before the counter existed is at revision 1', () => {
    const brief = { programId: 'p', body: { a: 1 }, problems: [] };
    expect(etagOf(brief)).toBe(`"1-${expectedHash('{"a":1}')}"`);
    expect(etagOf({ ...brief, revision: 1 })).toBe(etagOf(brief));
  });

  it('names the content: another value, another array order or another key changes it; the key order does not', () => {
    const brief = { programId: 'p', body: { list: [1, 2], name: 'a' }, problems: [], revision: 2 };
    expect(etagOf({ ...brief, body: { name: 'a', list: [1, 2] } })).toBe(etagOf(brief));
    for (const body of [{ list: [2, 1], name: 'a' }, { list: [1, 2], name: 'b' }, { list: [1, 2], name: 'a', x: null }, { list: [[1, 2]], name: 'a' }, { list: '[1,2]', name: 'a' }]) {
      expect(etagOf({ ...brief, body }), JSON.stringify(body)).not.toBe(etagOf(brief));
    }
  });
});

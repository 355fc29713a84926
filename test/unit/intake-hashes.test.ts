// The hashes of intake (functions/core/intake-hashes.ts). Their exact output is stored: an application's request
// hash (compared on each replay of the submission) and application ids derived from an idempotency key (their
// canonical JSON), so the text and the hashes are pinned here, not only compared with each other.
import { describe, expect, it } from 'vitest';
import { canonicalJson, founderTokenMatches, hashFounderToken, newFounderToken, sha256 } from '../../functions/core/intake-hashes.ts';

describe('canonicalJson', () => {
  it('sorts the keys of every object by code unit, whatever order they came in', () => {
    const expected = '{"":0,"B":2,"a":1,"b":true,"z":[3,{"x":"é","y":null}]}';
    const orders = [
      { z: [3, { y: null, x: 'é' }], b: true, a: 1, '': 0, B: 2 },
      { '': 0, B: 2, a: 1, b: true, z: [3, { x: 'é', y: null }] },
      { a: 1, z: [3, { x: 'é', y: null }], B: 2, b: true, '': 0 },
      { b: true, '': 0, z: [3, { y: null, x: 'é' }], B: 2, a: 1 },
    ];
    for (const value of orders) expect(canonicalJson(value)).toBe(expected);
  });

  it('drops undefined members, keeps null ones, and reads undefined items of a list as null, as JSON does', () => {
    expect(canonicalJson({ gone: undefined, kept: null })).toBe('{"kept":null}');
    expect(canonicalJson([1, undefined, 'two', null])).toBe('[1,null,"two",null]');
    expect(canonicalJson([1, undefined, 'two', null])).toBe(JSON.stringify([1, undefined, 'two', null]));
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson({})).toBe('{}');
    expect(canonicalJson('a "quoted" text')).toBe('"a \\"quoted\\" text"');
  });
});

describe('the hashes', () => {
  it('sha256 is the hex digest of the UTF-8 text', () => {
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256('café')).toBe('850f7dc43910ff890f8879c0ed26fe697c93a067ad93a7d50f466a7028a9bf4e');
  });

  it('a founder token is stored as the hash of its versioned text', () => {
    expect(hashFounderToken('aft_example')).toBe('ef7821b10b079d6ebd46f009112ff1011d60ea65e6891e1edbd3c6667ebbad9a');
    const { token, hash } = newFounderToken();
    expect(token).toMatch(/^aft_[A-Za-z0-9_-]{43}$/);
    expect(hash).toBe(hashFounderToken(token));
    expect(founderTokenMatches({ founderTokenHashes: [hash] }, token)).toBe(true);
    expect(founderTokenMatches({ founderTokenHashes: [] }, token)).toBe(false);
  });
});

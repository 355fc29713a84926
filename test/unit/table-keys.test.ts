/**
 * The key design's spelled-out list of key attributes (functions/adapters/dynamo/keys.ts KEY_ATTRIBUTES, what the
 * repository strips from an item it reads) names exactly the table's and the indexes' key attributes.
 */
import { describe, expect, it } from 'vitest';
import { INDEX_LIST, KEY_ATTRIBUTES, TABLE_KEYS } from '../../functions/adapters/dynamo/keys.ts';
import { storedFields } from '../../functions/adapters/dynamo/stored-guard.ts';

describe('KEY_ATTRIBUTES', () => {
  it('is the table key and every index key, each once', () => {
    const declared = [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, ...INDEX_LIST.flatMap((i) => [i.partitionKey, i.sortKey])];
    expect([...KEY_ATTRIBUTES].sort()).toEqual([...new Set(declared)].sort());
    expect(new Set(KEY_ATTRIBUTES).size).toBe(KEY_ATTRIBUTES.length);
  });

  it('is what a read item loses beside its entity', () => {
    const item = Object.fromEntries([...KEY_ATTRIBUTES, 'entity', 'id', 'status'].map((k) => [k, `v-${k}`]));
    expect(storedFields(item)).toEqual({ id: 'v-id', status: 'v-status' });
  });
});

/**
 * The repository's check of what it reads (functions/adapters/dynamo/stored-guard.ts): an item of another schema
 * version or another entity, or one missing a part the repository uses, is refused as a StoredItemError that names
 * what was read, where (its pk and sk) and why, in the words an operator reads in the logs; what an item stores is
 * the item without its placement attributes.
 */
import { describe, expect, it } from 'vitest';
import { checkStored, requireStored, StoredItemError, storedFields } from '../../functions/adapters/dynamo/stored-guard.ts';
import { APPLICATION_SCHEMA_VERSION } from '../../schemas/stored-version.ts';

function refusal(fn: () => void): StoredItemError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(StoredItemError);
    return error as StoredItemError;
  }
  throw new Error('not refused');
}

describe('checkStored', () => {
  it('takes an item of its entity at this schema version (versioned entities) or with none (notices)', () => {
    expect(APPLICATION_SCHEMA_VERSION).toBe(2);
    for (const entity of ['application', 'transition', 'document'] as const) {
      expect(() => checkStored({ pk: 'APP#a', sk: 'X', entity, schemaVersion: 2 }, entity, 'Item')).not.toThrow();
    }
    expect(() => checkStored({ pk: 'APP#a', sk: 'N#k', entity: 'notice' }, 'notice', 'Application notice')).not.toThrow();
    // A notice carries no schema version: whatever it says is not looked at.
    expect(() => checkStored({ pk: 'APP#a', sk: 'N#k', entity: 'notice', schemaVersion: 1 }, 'notice', 'Application notice')).not.toThrow();
  });

  it('refuses a versioned item stored before schema versions, naming it, where it is and what to run', () => {
    for (const entity of ['application', 'transition', 'document'] as const) {
      const error = refusal(() => checkStored({ pk: 'APP#a1', sk: 'T#0002', entity }, entity, 'Application transition'));
      expect(error.name).toBe('StoredItemError');
      expect(error.message).toBe('Application transition (APP#a1 T#0002) does not match schema version 2: it carries no schemaVersion (stored before version 2; `npm run migrate` rewrites it)');
    }
  });

  it('refuses an item of another schema version, older or newer, naming both versions', () => {
    expect(refusal(() => checkStored({ pk: 'APP#a1', sk: 'APP', entity: 'application', schemaVersion: 1 }, 'application', 'Application')).message)
      .toBe('Application (APP#a1 APP) is stored with schema version 1; this code reads version 2');
    expect(refusal(() => checkStored({ pk: 'APP#a1', sk: 'APP', entity: 'application', schemaVersion: 3 }, 'application', 'Application')).message)
      .toBe('Application (APP#a1 APP) is stored with schema version 3; this code reads version 2');
    // A version written as a string is not the number this code writes.
    expect(refusal(() => checkStored({ pk: 'APP#a1', sk: 'APP', entity: 'application', schemaVersion: '2' }, 'application', 'Application')).message)
      .toBe('Application (APP#a1 APP) is stored with schema version 2; this code reads version 2');
  });

  it('refuses an item of another entity (or none) under the key, whether or not the entity is versioned', () => {
    expect(refusal(() => checkStored({ pk: 'APP#a1', sk: 'D#e1', entity: 'transition', schemaVersion: 2 }, 'document', 'Application document')).message)
      .toBe("Application document (APP#a1 D#e1) is a 'transition' item where a 'document' item was expected");
    expect(refusal(() => checkStored({ pk: 'APP#a1', sk: 'N#k', entity: 'application', schemaVersion: 2 }, 'notice', 'Application notice')).message)
      .toBe("Application notice (APP#a1 N#k) is a 'application' item where a 'notice' item was expected");
    expect(refusal(() => checkStored({ pk: 'APP#a1', sk: 'N#k' }, 'notice', 'Application notice')).message)
      .toBe("Application notice (APP#a1 N#k) is a 'undefined' item where a 'notice' item was expected");
  });
});

describe('requireStored', () => {
  it('passes what the repository can use and refuses the rest with the rule, by name and place', () => {
    expect(() => requireStored(true, { pk: 'APP#a1', sk: 'APP' }, 'Application', 'lastTransition: missing')).not.toThrow();
    const error = refusal(() => requireStored(false, { pk: 'APP#a1', sk: 'APP' }, 'Application', 'lastTransition: missing'));
    expect(error.message).toBe('Application (APP#a1 APP) does not match schema version 2: lastTransition: missing');
  });
});

describe('storedFields', () => {
  it('keeps every field but the keys, index keys and entity, and drops only the fields asked for', () => {
    const item = { pk: 'APP#a1', sk: 'APP', gsi1pk: 'P', gsi3sk: 'S', entity: 'application', id: 'a1', status: 'sized', schemaVersion: 2 };
    expect(storedFields(item)).toEqual({ id: 'a1', status: 'sized', schemaVersion: 2 });
    expect(storedFields(item, ['schemaVersion', 'absent'])).toEqual({ id: 'a1', status: 'sized' });
  });
});

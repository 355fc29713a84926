/**
 * The repository's check of what it reads (decision: validated where written, trusted on read). Items are written by
 * typed code in the shapes of schemas/stored-application.ts, and the tests parse every item the journeys write against
 * those schemas (test/support/stored-items.ts); at run time a handler builds no schema. What is checked here is what
 * a deploy can actually get wrong: an item of another schema version (not migrated yet: `npm run migrate`) or of
 * another entity under the key, refused by name as a server fault, never misread.
 */
import { APPLICATION_SCHEMA_VERSION } from '../../../schemas/stored-version.ts';
import { KEY_ATTRIBUTES } from './keys.ts';

/** A stored item this code cannot read: an old schema version, another entity, or a shape it cannot use. A server fault. */
export class StoredItemError extends Error {
  override readonly name = 'StoredItemError';
}

/** The entities of an application's partition (keys.ts, access pattern 1) and whether their items carry a schema version. */
const VERSIONED = { application: true, transition: true, document: true, notice: false } as const;
export type StoredEntity = keyof typeof VERSIONED;

const where = (item: Record<string, unknown>): string => `${String(item.pk)} ${String(item.sk)}`;

/**
 * Refuse an item this code must not read as `entity`: another entity, or (for versioned entities) no or another
 * schema version. Cheap: no schema is built or run.
 */
export function checkStored(item: Record<string, unknown>, entity: StoredEntity, what: string): void {
  if (VERSIONED[entity]) {
    const version = item.schemaVersion;
    if (version === undefined) {
      throw new StoredItemError(`${what} (${where(item)}) does not match schema version ${APPLICATION_SCHEMA_VERSION}: it carries no schemaVersion (stored before version 2; \`npm run migrate\` rewrites it)`);
    }
    if (version !== APPLICATION_SCHEMA_VERSION) {
      throw new StoredItemError(`${what} (${where(item)}) is stored with schema version ${String(version)}; this code reads version ${APPLICATION_SCHEMA_VERSION}`);
    }
  }
  if (item.entity !== entity) {
    throw new StoredItemError(`${what} (${where(item)}) is a '${String(item.entity)}' item where a '${entity}' item was expected`);
  }
}

/** A shape check the repository needs before it uses a field (a missing part would otherwise be a TypeError far away). */
export function requireStored(ok: boolean, item: Record<string, unknown>, what: string, rule: string): void {
  if (!ok) throw new StoredItemError(`${what} (${where(item)}) does not match schema version ${APPLICATION_SCHEMA_VERSION}: ${rule}`);
}

/** Attributes that only place an item in the table and its indexes: not part of what it stores. */
const PLACEMENT = new Set<string>([...KEY_ATTRIBUTES, 'entity']);

/** The item without its keys, index keys and entity: what a parse against its schema returned before. */
export function storedFields(item: Record<string, unknown>, drop: readonly string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!PLACEMENT.has(k) && !drop.includes(k)) out[k] = v;
  return out;
}

/**
 * The constants of the stored form (schemas/stored-application.ts) that the repository needs at run time, apart from
 * the zod schemas: the repository trusts what it reads after a cheap version and entity check
 * (functions/adapters/dynamo/stored-guard.ts), so a handler loads these two numbers, not the schemas.
 */

/** Bumped whenever a stored shape changes incompatibly; items of another version are refused by name. */
export const APPLICATION_SCHEMA_VERSION = 2;

/**
 * How long a notice claim holds before anyone may claim it again: longer than one send takes (SES answers in well
 * under a second), short enough that the retry of a sender that died after claiming waits it out in one run.
 */
export const NOTICE_LEASE_MS = 10_000;

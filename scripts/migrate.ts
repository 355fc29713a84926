/**
 * Table maintenance (scripts/migrations.ts), with operator credentials:
 *   npm run migrate -- applications     version-1 application items → version 2 (idempotent, resumable)
 *   npm run migrate -- open-reviews     records filed through the API before the reconciliation followed only
 *                                       partners with records in review → their partner's `open` set
 *   npm run migrate -- purge-expired    delete items whose TTL has passed (dynalite has no TTL; on AWS TTL does it)
 * Options: --page-size N (Scan Limit, default 100), --max-pages N (stop after N pages), --restart (ignore the
 * checkpoint). After each page the key to resume from is written to .migrate/<table>.<task>.json; a later run
 * starts there (the work is idempotent, so a page done twice is harmless) and removes the file once the table is done.
 * The table comes from TABLE_NAME; endpoint and credentials from the standard AWS SDK settings (locally
 * AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:8000).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { backfillOpenReviews, migrateApplications, purgeExpired, type ScanOptions } from './migrations.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'; // versions pinned by the lockfile

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { 'page-size': { type: 'string' }, 'max-pages': { type: 'string' }, restart: { type: 'boolean' } },
});
const task = positionals[0] ?? 'applications';
const table = process.env.TABLE_NAME;
if (!table) {
  console.error("Set TABLE_NAME to the stack's DynamoDB table (locally npm start prints it).");
  process.exit(2);
}
if (!['applications', 'open-reviews', 'purge-expired'].includes(task)) {
  console.error(`Unknown task "${task}": applications | open-reviews | purge-expired`);
  process.exit(2);
}

const checkpoint = path.join(process.cwd(), '.migrate', `${table}.${task}.json`);
const startKey = !values.restart && existsSync(checkpoint) ? (JSON.parse(readFileSync(checkpoint, 'utf8')) as { nextKey: Record<string, unknown> }).nextKey : undefined;
if (startKey) console.log(`resuming ${task} from ${checkpoint}`);
const opts: ScanOptions = {
  ...(values['page-size'] ? { pageSize: Number(values['page-size']) } : {}),
  ...(values['max-pages'] ? { maxPages: Number(values['max-pages']) } : {}),
  ...(startKey ? { startKey } : {}),
  onPage: ({ nextKey }) => {
    if (nextKey) {
      mkdirSync(path.dirname(checkpoint), { recursive: true });
      writeFileSync(checkpoint, JSON.stringify({ nextKey }));
    } else {
      rmSync(checkpoint, { force: true });
    }
  },
};

if (task === 'applications') {
  const r = await migrateApplications(table, opts);
  console.log(`applications: ${r.scanned} version-1 item(s) found, ${r.migrated.length} migrated, ${r.alreadyMigrated.length} already migrated by another run, ${r.failed.length} left as they are`);
  for (const f of r.failed) console.log(`  ${f.id}: ${f.problems.join('; ')}`);
  if (r.nextKey) console.log(`stopped early; run again to resume (${checkpoint})`);
  if (r.failed.length > 0) process.exitCode = 1;
} else if (task === 'open-reviews') {
  const r = await backfillOpenReviews(table, opts);
  console.log(`open-reviews: ${r.scanned} opportunity mapping(s), ${r.tracked} record(s) in review tracked`);
  if (r.nextKey) console.log(`stopped early; run again to resume (${checkpoint})`);
} else {
  const r = await purgeExpired(table, new Date(), opts);
  console.log(`purge-expired: ${r.scanned} expired item(s) found, ${r.deleted} deleted`);
  if (r.nextKey) console.log(`stopped early; run again to resume (${checkpoint})`);
}

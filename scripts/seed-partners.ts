/**
 * Writes partner profiles into the table (`npm run seed:partners -- [FILE]`, default data/partners.json).
 * The table comes from TABLE_NAME, and the endpoint and credentials from the standard AWS SDK settings, so the same
 * command seeds a deployed stack (TABLE_NAME from the stack's resources) or a local one
 * (AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:8000). Live load counters are kept as they are.
 */
import { fileURLToPath } from 'node:url';
import { seedPartners } from '../functions/adapters/dynamo/partners-seed.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'; // versions pinned by the lockfile

const file = process.argv[2] ?? fileURLToPath(new URL('../data/partners.json', import.meta.url));
const table = process.env.TABLE_NAME;
if (!table) {
  console.error('Set TABLE_NAME to the table to seed (the stack\'s DynamoDB table; locally npm start prints it).');
  process.exit(2);
}
const count = await seedPartners(table, file);
console.log(`seeded ${count} partner profile(s) from ${file} into ${table}`);

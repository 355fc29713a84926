// `npm run token -- --role partner --partner p-123`: prints a JWT that the local HTTP API accepts, with the claims
// the Cognito user pool would issue (`sub`, `cognito:groups`, `custom:partnerId`, `token_use`, `iss`, `aud`, `exp`).
// It signs with the dev key in .local/dev-jwt-key.json, the key `npm start` verifies with (created if missing).
//
//   npm run token -- --role ops
//   npm run token -- --role partner --partner p-123 [--sub UUID] [--email x@y] [--ttl 3600] [--access]
//   curl -H "Authorization: Bearer $(npm run -s token -- --role ops)" http://127.0.0.1:3000/ops/executions
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { DevIssuer } from '../lib/local/jwt.ts';
import { PROJECT_DIR } from '../lib/local/paths.ts';

const { values } = parseArgs({
  options: {
    role: { type: 'string', multiple: true },
    partner: { type: 'string' },
    sub: { type: 'string' },
    email: { type: 'string' },
    ttl: { type: 'string' },
    access: { type: 'boolean' },
    key: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  console.log('Usage: npm run -s token -- --role ops|partner [--role ...] [--partner ID] [--sub ID] [--email E] [--ttl SECONDS] [--access] [--key FILE]');
  process.exit(0);
}
const groups = (values.role ?? []).flatMap((r) => r.split(','));
if (groups.includes('partner') && !values.partner) {
  console.error('a partner token needs --partner <partnerId>');
  process.exit(1);
}

const issuer = await DevIssuer.load(values.key ?? join(PROJECT_DIR, '.local', 'dev-jwt-key.json'));
const token = await issuer.mint({
  groups,
  ...(values.partner ? { partnerId: values.partner } : {}),
  ...(values.sub ? { sub: values.sub } : {}),
  ...(values.email ? { email: values.email } : {}),
  ...(values.ttl ? { ttlSeconds: Number(values.ttl) } : {}),
  tokenUse: values.access ? 'access' : 'id',
});
process.stdout.write(`${token}\n`);

// `npm start`: the whole backend on this machine, in the foreground (lib/local/start.ts). Ctrl-C stops everything.
//
//   npm start                      # in memory
//   npm start -- --data .local/data   # keep tables, executions, pending task tokens and the clock on disk
//   npm start -- --port 3001 --ses-port 8006 --sfn-port 8084 --dynamo-port 8001
import { parseArgs } from 'node:util';
import { startLocal } from '../lib/local/start.ts';

// The SDK's notice that releases after January 2027 need Node 22 (versions are pinned by the lockfile; see README).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    port: { type: 'string' },
    'ses-port': { type: 'string' },
    'sfn-port': { type: 'string' },
    'dynamo-port': { type: 'string' },
    'partner-central-port': { type: 'string' },
    partners: { type: 'string' },
    fresh: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  console.log(`Usage: npm start -- [--data DIR] [--port N] [--ses-port N] [--sfn-port N] [--dynamo-port N] [--partner-central-port N] [--partners FILE] [--fresh]
Environment: PORT, SES_PORT, SFN_PORT, DYNAMODB_PORT, PARTNER_CENTRAL_PORT. See lib/local/README.md.`);
  process.exit(0);
}

const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));

try {
  const runtime = await startLocal({
    ...(values.data ? { dataDir: values.data } : {}),
    ...(values.port ? { port: num(values.port) } : {}),
    ...(values['ses-port'] ? { sesPort: num(values['ses-port']) } : {}),
    ...(values['sfn-port'] ? { sfnPort: num(values['sfn-port']) } : {}),
    ...(values['dynamo-port'] ? { dynamoPort: num(values['dynamo-port']) } : {}),
    ...(values['partner-central-port'] ? { partnerCentralPort: num(values['partner-central-port']) } : {}),
    ...(values.partners ? { partnersFile: values.partners } : {}),
    ...(values.fresh ? { freshTemplate: true } : {}),
    log: (line) => console.log(line),
  });
  console.log('ace-filing local runtime');
  for (const line of runtime.describe()) console.log(`  ${line}`);
  console.log('  Ctrl-C to stop.');

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) {
      process.exit(1); // second Ctrl-C: do not wait
    }
    stopping = true;
    console.log(`\n${signal}: stopping...`);
    runtime.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
} catch (err) {
  console.error(`could not start the local runtime: ${(err as Error).message}`);
  process.exit(1);
}

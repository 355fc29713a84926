/**
 * Bundle size and cold init per Lambda handler, each beside a baseline bundle that holds only the AWS
 * SDK clients that handler uses, built with the same esbuild options and measured in the same run.
 * Cold init = median wall time of `await import(bundle)` in fresh Node processes.
 */
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LAMBDA_BUNDLE } from '../lib/bundling.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const OUT = path.join(ROOT, '.bench', 'bundles');

/** What each SDK package contributes to a baseline: the client a handler would construct. */
const SDK_BASELINES: Record<string, string> = {
  '@aws-sdk/client-dynamodb': "import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb'; globalThis.__b.push(new DynamoDBClient({}), GetItemCommand);",
  '@aws-sdk/lib-dynamodb': "import { DynamoDBClient } from '@aws-sdk/client-dynamodb'; import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb'; globalThis.__b.push(DynamoDBDocumentClient.from(new DynamoDBClient({})), GetCommand);",
  '@aws-sdk/client-sfn': "import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn'; globalThis.__b.push(new SFNClient({}), StartExecutionCommand);",
  '@aws-sdk/client-ses': "import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses'; globalThis.__b.push(new SESClient({}), SendEmailCommand);",
  '@aws-sdk/client-partnercentral-selling': "import { PartnerCentralSellingClient, GetOpportunityCommand } from '@aws-sdk/client-partnercentral-selling'; globalThis.__b.push(new PartnerCentralSellingClient({}), GetOpportunityCommand);",
};

const HANDLER_ENV = {
  TABLE_NAME: 'bench', STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:bench', SENDER_EMAIL: 'a@example.com',
  SES_CONFIGURATION_SET: 'bench', ACE_CATALOG: 'Sandbox', PUBLIC_BASE_URL: 'http://localhost', OPS_EMAIL: 'ops@example.com',
  AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', AWS_EC2_METADATA_DISABLED: 'true', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

async function bundle(entry: string, outfile: string): Promise<{ bytes: number; sdkPackages: string[] }> {
  const result = await build({
    entryPoints: [entry], outfile, bundle: true, metafile: true, logLevel: 'silent',
    format: LAMBDA_BUNDLE.format, platform: LAMBDA_BUNDLE.platform, target: LAMBDA_BUNDLE.target,
    mainFields: [...LAMBDA_BUNDLE.mainFields], minify: LAMBDA_BUNDLE.minify, banner: { js: LAMBDA_BUNDLE.banner },
  });
  const inputs = Object.keys(result.metafile.inputs);
  const sdkPackages = Object.keys(SDK_BASELINES).filter((pkg) => inputs.some((i) => i.includes(`node_modules/${pkg}/`)));
  return { bytes: statSync(outfile).size, sdkPackages };
}

function coldInitMs(file: string, runs: number): number {
  const samples: number[] = [];
  const script = `const t=performance.now(); await import(${JSON.stringify(`file://${file}`)}); process.stdout.write(String(performance.now()-t));`;
  for (let i = 0; i < runs; i += 1) {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, ...HANDLER_ENV }, encoding: 'utf8' });
    samples.push(Number(out));
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] ?? NaN;
}

export interface BundleRow {
  handler: string; sdk: string; kb: number; baselineKb: number; sizeRatio: number; initMs: number; baselineInitMs: number; initRatio: number;
}

export async function measureBundles(entries: string[], runs = 15): Promise<BundleRow[]> {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const rows: BundleRow[] = [];
  for (const entry of entries) {
    const name = entry.replace(/^functions\//, '').replace(/\.ts$/, '').replaceAll('/', '-');
    const handlerFile = path.join(OUT, `${name}.mjs`);
    const handler = await bundle(path.join(ROOT, entry), handlerFile);
    const baselineEntry = path.join(OUT, `${name}.baseline-entry.mjs`);
    // lib-dynamodb already brings the DynamoDB client: do not count it twice.
    const packages = handler.sdkPackages.includes('@aws-sdk/lib-dynamodb') ? handler.sdkPackages.filter((p) => p !== '@aws-sdk/client-dynamodb') : handler.sdkPackages;
    writeFileSync(baselineEntry, ['globalThis.__b = [];', ...packages.map((p) => SDK_BASELINES[p] ?? '')].join('\n'));
    const baselineFile = path.join(OUT, `${name}.baseline.mjs`);
    const baseline = await bundle(baselineEntry, baselineFile);
    const initMs = coldInitMs(handlerFile, runs);
    const baselineInitMs = coldInitMs(baselineFile, runs);
    rows.push({
      handler: entry,
      sdk: handler.sdkPackages.map((p) => p.replace('@aws-sdk/', '')).join('+') || '(none)',
      kb: Math.round(handler.bytes / 1024),
      baselineKb: Math.round(baseline.bytes / 1024),
      sizeRatio: handler.bytes / baseline.bytes,
      initMs,
      baselineInitMs,
      initRatio: initMs / baselineInitMs,
    });
  }
  return rows;
}

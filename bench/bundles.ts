/**
 * Bundle size and cold init per Lambda handler, each beside a baseline bundle that holds only the AWS SDK clients that
 * handler uses and sends one command, built with the same esbuild options (lib/bundling.ts) and measured in the same
 * run. Optionally beside:
 * - the same handler built from another commit (`BENCH_BEFORE=<git ref>`: the tree is exported with `git archive`
 *   into .bench/before/ and built with today's options and node_modules), so before and after share one run;
 * - the same handler with `@aws-sdk/*` and `@smithy/*` left external (`BENCH_EXTERNAL_SDK=1`), resolved at run time
 *   from node_modules as Lambda resolves them from the runtime's bundled SDK: the measurement behind bundling the SDK.
 *
 * Cold init = median over fresh Node processes of `await import(bundle)`: wall time, and the process's CPU time over
 * the import (user + system, all threads), which a machine shared with other work disturbs less than the wall time.
 * The variants of one handler are measured round-robin (baseline, after, before, external, baseline, ...), so a
 * change in the machine's load hits them alike.
 *
 * With `BENCH_INSTRUCTIONS=1`, also the instructions one cold import executes, counted by valgrind's callgrind in a
 * single-threaded, predictable Node (`--single-threaded --predictable`: no background compiler or GC threads, no
 * random seeds), less the same process importing an empty module: deterministic run to run (to about 0.0001 %) and
 * blind to the machine's load, so it tells a real change of init work from the CPU medians' noise. It counts user
 * space instructions only (not page faults, file reads or cache misses), so it complements the CPU time, not replaces it.
 */
import { build } from 'esbuild';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LAMBDA_BUNDLE } from '../lib/bundling.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const OUT = path.join(ROOT, '.bench', 'bundles');
const BEFORE_SRC = path.join(ROOT, '.bench', 'before');

/** What each SDK package contributes to a baseline: the client a handler would construct, and one command sent. */
const SDK_BASELINES: Record<string, { imports: string; client: string; command: string }> = {
  '@aws-sdk/client-dynamodb': {
    imports: "import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';",
    client: 'new DynamoDBClient({})', command: "new GetItemCommand({ TableName: 't', Key: { pk: { S: 'k' } } })",
  },
  '@aws-sdk/lib-dynamodb': {
    imports: "import { DynamoDBClient } from '@aws-sdk/client-dynamodb'; import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';",
    client: 'DynamoDBDocumentClient.from(new DynamoDBClient({}))', command: "new GetCommand({ TableName: 't', Key: { pk: 'k' } })",
  },
  '@aws-sdk/client-sfn': {
    imports: "import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';",
    client: 'new SFNClient({})', command: "new StartExecutionCommand({ stateMachineArn: 'arn', input: '{}' })",
  },
  '@aws-sdk/client-ses': {
    imports: "import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';",
    client: 'new SESClient({})', command: "new SendEmailCommand({ Source: 'a@example.com', Destination: {}, Message: { Subject: { Data: 's' }, Body: {} } })",
  },
  '@aws-sdk/client-partnercentral-selling': {
    imports: "import { PartnerCentralSellingClient, GetOpportunityCommand } from '@aws-sdk/client-partnercentral-selling';",
    client: 'new PartnerCentralSellingClient({})', command: "new GetOpportunityCommand({ Catalog: 'Sandbox', Identifier: 'O1' })",
  },
  '@aws-sdk/client-partnercentral-benefits': {
    imports: "import { PartnerCentralBenefitsClient, GetBenefitApplicationCommand } from '@aws-sdk/client-partnercentral-benefits';",
    client: 'new PartnerCentralBenefitsClient({})', command: "new GetBenefitApplicationCommand({ Catalog: 'Sandbox', Identifier: 'B1' })",
  },
  // Role-assuming credentials (STS AssumeRole through the SDK's provider): what a partner's client is built with.
  '@aws-sdk/credential-providers': {
    imports: "import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';",
    client: "fromTemporaryCredentials({ params: { RoleArn: 'arn:aws:iam::000000000000:role/r', RoleSessionName: 's' } })", command: '',
  },
};

/** A bare handler: the clients built once at module scope, one command sent per invocation. */
function baselineSource(packages: string[]): string {
  const specs = packages.map((p) => SDK_BASELINES[p]).filter((s) => s !== undefined);
  return [
    ...specs.map((s) => s.imports),
    ...specs.map((s, i) => `const client${i} = ${s.client};`),
    // A credentials provider has no command: the baseline calls it for credentials instead.
    `export const handler = async () => Promise.all([${specs.map((s, i) => (s.command ? `client${i}.send(${s.command})` : `client${i}()`)).join(', ')}]);`,
  ].join('\n');
}

const HANDLER_ENV = {
  TABLE_NAME: 'bench', STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:bench', SENDER_EMAIL: 'a@example.com',
  SES_CONFIGURATION_SET: 'bench', ACE_CATALOG: 'Sandbox', PUBLIC_BASE_URL: 'http://localhost', OPS_EMAIL: 'ops@example.com',
  AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', AWS_EC2_METADATA_DISABLED: 'true', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

async function bundle(entry: string, outfile: string, opts: { externalSdk?: boolean; nodePaths?: string[] } = {}): Promise<{ bytes: number; sdkPackages: string[] }> {
  const result = await build({
    entryPoints: [entry], outfile, bundle: true, metafile: true, logLevel: 'silent',
    format: LAMBDA_BUNDLE.format, platform: LAMBDA_BUNDLE.platform, target: LAMBDA_BUNDLE.target,
    mainFields: [...LAMBDA_BUNDLE.mainFields], minify: LAMBDA_BUNDLE.minify, banner: { js: LAMBDA_BUNDLE.banner },
    ...(opts.externalSdk ? { external: ['@aws-sdk/*', '@smithy/*'] } : {}),
    ...(opts.nodePaths ? { nodePaths: opts.nodePaths } : {}),
  });
  const inputs = Object.keys(result.metafile.inputs);
  const sdkPackages = Object.keys(SDK_BASELINES).filter((pkg) => inputs.some((i) => i.includes(`node_modules/${pkg}/`)));
  return { bytes: statSync(outfile).size, sdkPackages };
}

interface Sample { wall: number; cpu: number }

function coldInit(file: string): Sample {
  const script = `const c=process.cpuUsage(); const t=performance.now(); await import(${JSON.stringify(`file://${file}`)}); const w=performance.now()-t; const d=process.cpuUsage(c); process.stdout.write(JSON.stringify({ wall: w, cpu: (d.user + d.system) / 1000 }));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, ...HANDLER_ENV }, encoding: 'utf8' });
  return JSON.parse(out) as Sample;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? (s[(s.length - 1) / 2] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};

/** Medians of fresh-process imports, the files measured round-robin. */
function coldInits(files: string[], runs: number): { wallMs: number; cpuMs: number }[] {
  const samples = files.map(() => [] as Sample[]);
  for (let i = 0; i < runs; i += 1) files.forEach((f, j) => samples[j]?.push(coldInit(f)));
  return samples.map((s) => ({ wallMs: median(s.map((x) => x.wall)), cpuMs: median(s.map((x) => x.cpu)) }));
}

/** Instructions one process executes importing `file` (callgrind's total; valgrind writes its summary to stderr). */
function processInstructions(file: string): number {
  const script = `await import(${JSON.stringify(`file://${file}`)});`;
  const run = spawnSync('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, '--single-threaded', '--predictable', '--input-type=module', '-e', script], {
    env: { ...process.env, ...HANDLER_ENV }, encoding: 'utf8',
  });
  if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') throw new Error('BENCH_INSTRUCTIONS=1 needs valgrind on PATH (Debian: apt install valgrind)');
  const collected = /Collected : (\d+)/.exec(run.stderr)?.[1];
  if (run.status !== 0 || collected === undefined) throw new Error(`callgrind failed on ${file}: ${run.stderr.slice(-500)}`);
  return Number(collected);
}

let emptyImport: number | undefined;
/** Millions of instructions a cold import of `file` adds to a process that imports an empty module. */
function importInstructions(file: string): number {
  if (emptyImport === undefined) {
    const empty = path.join(OUT, 'empty.mjs');
    writeFileSync(empty, '');
    emptyImport = processInstructions(empty);
  }
  return (processInstructions(file) - emptyImport) / 1e6;
}

export interface Measured {
  kb: number; initMs: number; cpuMs: number;
  /** Millions of instructions of one cold import (BENCH_INSTRUCTIONS=1). */
  instructions?: number;
}

export interface BundleRow {
  handler: string; sdk: string;
  baseline: Measured; after: Measured; before?: Measured; externalSdk?: Measured;
  /** after ÷ baseline (size, wall init, CPU init); before ÷ baseline likewise. */
  sizeRatio: number; initRatio: number; cpuRatio: number; instructionRatio?: number;
  beforeSizeRatio?: number; beforeInitRatio?: number; beforeCpuRatio?: number; beforeInstructionRatio?: number;
}

/** Exports `ref`'s tree to .bench/before/ (with this checkout's node_modules) for the before columns. */
function exportBefore(ref: string): void {
  rmSync(BEFORE_SRC, { recursive: true, force: true });
  mkdirSync(BEFORE_SRC, { recursive: true });
  execFileSync('sh', ['-c', `git archive ${JSON.stringify(ref)} | tar -x -C ${JSON.stringify(BEFORE_SRC)}`], { cwd: ROOT });
  // A ref whose dependencies differ (a package since removed) needs its own: BENCH_BEFORE_MODULES=<a node_modules
  // installed from that ref's lockfile>, e.g. a worktree of the ref after `npm ci`.
  symlinkSync(process.env.BENCH_BEFORE_MODULES ?? path.join(ROOT, 'node_modules'), path.join(BEFORE_SRC, 'node_modules'));
}

export interface BundleOptions {
  runs?: number;
  /** A git ref to measure beside the working tree (the before columns). */
  before?: string;
  /** Also measure each handler with the SDK left external. */
  externalSdk?: boolean;
  /** Also count each variant's cold-import instructions with callgrind (needs valgrind). */
  instructions?: boolean;
}

export async function measureBundles(entries: string[], opts: BundleOptions = {}): Promise<BundleRow[]> {
  const runs = opts.runs ?? 15;
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  if (opts.before) exportBefore(opts.before);
  const rows: BundleRow[] = [];
  for (const entry of entries) {
    const name = entry.replace(/^functions\//, '').replace(/\.ts$/, '').replaceAll('/', '-');
    const handlerFile = path.join(OUT, `${name}.mjs`);
    const handler = await bundle(path.join(ROOT, entry), handlerFile);
    const baselineEntry = path.join(OUT, `${name}.baseline-entry.mjs`);
    // lib-dynamodb already brings the DynamoDB client: do not count it twice.
    const packages = handler.sdkPackages.includes('@aws-sdk/lib-dynamodb') ? handler.sdkPackages.filter((p) => p !== '@aws-sdk/client-dynamodb') : handler.sdkPackages;
    writeFileSync(baselineEntry, baselineSource(packages));
    const baselineFile = path.join(OUT, `${name}.baseline.mjs`);
    const baseline = await bundle(baselineEntry, baselineFile);
    const files = [baselineFile, handlerFile];
    const sizes = [baseline.bytes, handler.bytes];
    let beforeIndex = -1;
    let externalIndex = -1;
    const beforeEntry = path.join(BEFORE_SRC, entry);
    if (opts.before && existsSync(beforeEntry)) {
      const beforeFile = path.join(OUT, `${name}.before.mjs`);
      sizes.push((await bundle(beforeEntry, beforeFile)).bytes);
      beforeIndex = files.push(beforeFile) - 1;
    }
    if (opts.externalSdk) {
      const externalFile = path.join(OUT, `${name}.external-sdk.mjs`);
      sizes.push((await bundle(path.join(ROOT, entry), externalFile, { externalSdk: true })).bytes);
      externalIndex = files.push(externalFile) - 1;
    }
    const inits = coldInits(files, runs);
    const counts = opts.instructions ? files.map(importInstructions) : undefined;
    const measured = (i: number): Measured => ({
      kb: Math.round((sizes[i] as number) / 1024), initMs: inits[i]?.wallMs as number, cpuMs: inits[i]?.cpuMs as number,
      ...(counts ? { instructions: counts[i] as number } : {}),
    });
    const [b, a] = [measured(0), measured(1)];
    const row: BundleRow = {
      handler: entry,
      sdk: handler.sdkPackages.map((p) => p.replace('@aws-sdk/', '')).join('+') || '(none)',
      baseline: b, after: a,
      sizeRatio: (sizes[1] as number) / (sizes[0] as number), initRatio: a.initMs / b.initMs, cpuRatio: a.cpuMs / b.cpuMs,
      ...(counts ? { instructionRatio: (a.instructions as number) / (b.instructions as number) } : {}),
    };
    if (beforeIndex >= 0) {
      const before = measured(beforeIndex);
      Object.assign(row, {
        before, beforeSizeRatio: (sizes[beforeIndex] as number) / (sizes[0] as number),
        beforeInitRatio: before.initMs / b.initMs, beforeCpuRatio: before.cpuMs / b.cpuMs,
        ...(counts ? { beforeInstructionRatio: (before.instructions as number) / (b.instructions as number) } : {}),
      });
    }
    if (externalIndex >= 0) row.externalSdk = measured(externalIndex);
    rows.push(row);
    process.stderr.write(`  measured ${entry}\n`);
  }
  return rows;
}

const ratio = (r: number | undefined) => (r === undefined || !Number.isFinite(r) ? '' : `${r.toFixed(2)}×`);

/** The per-function table: size and init, before and after, beside the baseline, with the ratios. */
export function printBundles(rows: BundleRow[]): void {
  const noSdk = (r: BundleRow) => r.sdk === '(none)';
  console.table(rows.map((r) => ({
    handler: r.handler.replace(/^functions\//, '').replace(/\.ts$/, ''),
    sdk: r.sdk,
    ...(r.before ? { 'KB before': r.before.kb } : {}),
    KB: r.after.kb,
    'base KB': r.baseline.kb,
    ...(r.before ? { 'size× before': noSdk(r) ? 'n/a' : ratio(r.beforeSizeRatio) } : {}),
    'size×': noSdk(r) ? 'n/a' : ratio(r.sizeRatio),
    ...(r.before ? { 'init ms before': r.before.initMs.toFixed(0) } : {}),
    'init ms': r.after.initMs.toFixed(0),
    'base init ms': r.baseline.initMs.toFixed(0),
    ...(r.before ? { 'init× before': noSdk(r) ? 'n/a' : ratio(r.beforeInitRatio) } : {}),
    'init×': noSdk(r) ? 'n/a' : ratio(r.initRatio),
    ...(r.before ? { 'cpu× before': noSdk(r) ? 'n/a' : ratio(r.beforeCpuRatio) } : {}),
    'cpu ms': r.after.cpuMs.toFixed(0),
    'cpu×': noSdk(r) ? 'n/a' : ratio(r.cpuRatio),
    ...(r.instructionRatio !== undefined ? {
      'M instr': (r.after.instructions as number).toFixed(1),
      'base M instr': (r.baseline.instructions as number).toFixed(1),
      ...(r.before ? { 'instr× before': noSdk(r) ? 'n/a' : ratio(r.beforeInstructionRatio) } : {}),
      'instr×': noSdk(r) ? 'n/a' : ratio(r.instructionRatio),
    } : {}),
    ...(r.externalSdk ? { 'ext-SDK KB': r.externalSdk.kb, 'ext-SDK init ms': r.externalSdk.initMs.toFixed(0), 'ext-SDK cpu ms': r.externalSdk.cpuMs.toFixed(0) } : {}),
  })));
  const withSdk = rows.filter((r) => !noSdk(r));
  const within = (pick: (r: BundleRow) => number) => withSdk.filter((r) => pick(r) <= 1.15).length;
  const counted = withSdk.some((r) => r.instructionRatio !== undefined);
  console.log(`within 1.15× of the baseline: size ${within((r) => r.sizeRatio)}/${withSdk.length}, wall init ${within((r) => r.initRatio)}/${withSdk.length}, CPU init ${within((r) => r.cpuRatio)}/${withSdk.length}${counted ? `, init instructions ${within((r) => r.instructionRatio as number)}/${withSdk.length}` : ''}`);
  const ext = withSdk.filter((r) => r.externalSdk);
  if (ext.length > 0) {
    const faster = ext.filter((r) => (r.externalSdk as Measured).initMs < r.after.initMs).length;
    console.log(`SDK left external (resolved from node_modules at run time): faster wall init for ${faster}/${ext.length} handlers; median wall init ${median(ext.map((r) => (r.externalSdk as Measured).initMs)).toFixed(0)} ms vs ${median(ext.map((r) => r.after.initMs)).toFixed(0)} ms bundled`);
  }
}

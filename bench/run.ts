/**
 * `npm run bench`: measures and prints; never part of the test suite (shared, noisy machines).
 *   npm run bench                 all sections
 *   npm run bench -- bundles      only bundle size / cold init (BENCH_BEFORE=<git ref> adds before columns, with
 *                                 BENCH_BEFORE_MODULES=<node_modules of that ref> when its dependencies differ,
 *                                 BENCH_EXTERNAL_SDK=1 the same handlers with the SDK left external,
 *                                 BENCH_ONLY=<a,b> measures the handlers whose path contains a or b,
 *                                 BENCH_INSTRUCTIONS=1 also counts each cold import's instructions with callgrind)
 *   npm run bench -- intake       only local intake throughput
 *   npm run bench -- cost         what one application costs on AWS (happy, change-request and re-route paths)
 *   npm run bench -- sweep        the expiry sweep at 1,000 and 100,000 credited applications
 *   npm run bench -- reads        read units of a list page and a detail view
 *   npm run bench -- pipeline     the pipeline's counter items at ~100K applications a year, and what one request reads
 *   npm run bench -- validation   a worksheet checked per request: the checker compiled from the schema beside zod
 */
import { measureBundles, printBundles } from './bundles.ts';
import { listFunctions, synthTemplate } from '../lib/template.ts';
const sections = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const want = (s: string) => sections.length === 0 || sections.includes(s);

/** The handler modules the stack deploys, read from the synthesized template (not a list kept by hand). */
function handlerEntries(): string[] {
  const all = [...new Set(Object.values(listFunctions(synthTemplate({ nag: false }))).map((f) => f.entry))].sort();
  // BENCH_ONLY=workflow/mark-failed,http/intake measures a subset (substring match), for a quick look while working.
  const only = process.env.BENCH_ONLY?.split(',').filter(Boolean);
  return only ? all.filter((e) => only.some((o) => e.includes(o))) : all;
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'; // versions pinned by the lockfile

if (want('bundles')) {
  console.log('\n== Lambda bundles: size and cold init vs an SDK-only baseline (same esbuild options, same run) ==');
  const before = process.env.BENCH_BEFORE;
  const externalSdk = process.env.BENCH_EXTERNAL_SDK === '1';
  const instructions = process.env.BENCH_INSTRUCTIONS === '1';
  console.log(`median of ${process.env.BENCH_RUNS ?? 15} fresh processes per bundle; ${before ? `before = ${before}; ` : ''}${externalSdk ? 'with the SDK left external as well; ' : ''}load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const rows = await measureBundles(handlerEntries(), { runs: Number(process.env.BENCH_RUNS ?? 15), ...(before ? { before } : {}), externalSdk, instructions });
  printBundles(rows);
}

if (want('intake')) {
  const { measureIntake } = await import('./intake.ts');
  await measureIntake();
}

if (want('cost')) {
  const { measureCost, printCost } = await import('./cost.ts');
  printCost(await measureCost());
}

if (want('sweep')) {
  const { measureSweep, printSweep } = await import('./sweep.ts');
  printSweep(await measureSweep());
}

if (want('reads')) {
  const { measureReads, printReads } = await import('./reads.ts');
  printReads(await measureReads());
}

if (want('pipeline')) {
  const { measurePipelineItems, printPipelineItems } = await import('./pipeline-items.ts');
  printPipelineItems(measurePipelineItems());
}

if (want('validation')) {
  const { measureValidation, printValidation } = await import('./validation.ts');
  printValidation(measureValidation());
}

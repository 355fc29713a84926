// Handlers load only the data they read (issue 11 §1): built with the Lambda bundling options, each bundle's inputs
// show which data files and libraries it carries. The whole files in data/ (sources, notes, prose) are never bundled;
// a function carries the run-time projection it reads (data/runtime/) and nothing it does not, the bigger projections
// as their compressed modules (data/runtime/*.br.ts) and never as their JSON twins.
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { LAMBDA_BUNDLE } from '../../lib/bundling.ts';
import { COMPRESSED_PROJECTIONS } from '../../functions/core/runtime-data.ts';

async function inputsOf(handler: string): Promise<string[]> {
  const result = await build({ ...LAMBDA_BUNDLE, banner: { js: LAMBDA_BUNDLE.banner }, mainFields: [...LAMBDA_BUNDLE.mainFields], entryPoints: [`functions/${handler}.ts`], bundle: true, write: false, metafile: true, outfile: '/tmp/bundle-data-test.mjs', logLevel: 'silent' });
  const output = Object.values(result.metafile.outputs)[0];
  // Inputs that add bytes: a module tree-shaken to nothing is not loaded.
  return Object.entries(output?.inputs ?? {}).filter(([, v]) => v.bytesInOutput > 0).map(([path]) => path);
}

const WHOLE_FILES = [
  'data/rate-card.json', 'data/programs.json', 'data/data-policy.json', 'data/ace/postal-codes.json', 'data/ace/submission-rules.json', 'data/ace/create-opportunity.shapes.json',
  'data/benefits.json', 'data/ace/create-benefit-application.shapes.json', 'data/stuck-thresholds.json', 'data/mail-providers.json',
];
/** The projections every bundle loads compressed: their JSON twins are for people and the checks only. */
const COMPRESSED_TWINS = COMPRESSED_PROJECTIONS as readonly string[];

describe('bundled data', () => {
  it('the sizing engine (EstimateAsk) carries the priced card, the programs and the policy projections, not the whole files, the ACE data nor any AWS SDK', async () => {
    const inputs = await inputsOf('workflow/estimate');
    expect(inputs).toEqual(expect.arrayContaining(['data/runtime/rate-card.br.ts', 'data/runtime/programs.br.ts', 'data/runtime/data-policy.json']));
    for (const file of [...WHOLE_FILES, ...COMPRESSED_TWINS, 'data/runtime/model-catalog.br.ts']) expect(inputs).not.toContain(file);
    expect(inputs.filter((i) => /node_modules\/@(aws-sdk|smithy)\//.test(i))).toEqual([]);
  });

  it('SizeAsk, which reads and stores, carries none of the engine: no rate card, programs, estimate code nor big.js', async () => {
    const inputs = await inputsOf('workflow/size');
    for (const file of ['data/runtime/rate-card.br.ts', 'data/runtime/programs.br.ts', 'functions/core/estimate.ts', 'functions/core/programs.ts', 'functions/core/forecast.ts']) expect(inputs).not.toContain(file);
    expect(inputs.filter((i) => i.includes('big.js'))).toEqual([]);
    expect(inputs).toContain('functions/core/sizing-worksheet.ts');
  });

  it('the drafter carries the ACE rules, not the model catalog (its names come from the estimate), the priced card nor big.js', async () => {
    const inputs = await inputsOf('workflow/draft');
    expect(inputs).toEqual(expect.arrayContaining(['data/runtime/ace-validation.br.ts', 'data/runtime/ace-address.br.ts']));
    for (const file of [...WHOLE_FILES, ...COMPRESSED_TWINS, 'data/runtime/model-catalog.br.ts', 'data/runtime/rate-card.br.ts', 'data/runtime/programs.br.ts']) expect(inputs).not.toContain(file);
    expect(inputs.filter((i) => i.includes('big.js'))).toEqual([]);
  });

  it('intake carries the model catalog, the address rules and the mail providers only', async () => {
    const inputs = await inputsOf('http/intake');
    expect(inputs).toEqual(expect.arrayContaining(['data/runtime/model-catalog.br.ts', 'data/runtime/ace-address.br.ts', 'data/runtime/mail-providers.json']));
    for (const file of [...WHOLE_FILES, ...COMPRESSED_TWINS, 'data/runtime/rate-card.br.ts', 'data/runtime/ace-validation.br.ts']) expect(inputs).not.toContain(file);
    expect(inputs.filter((i) => i.includes('big.js'))).toEqual([]);
  });

  it('the stuck count and Notify carry the stuck limits, not the thresholds file with its prose', async () => {
    for (const handler of ['workflow/ops-sweep', 'workflow/notify']) {
      const inputs = await inputsOf(handler);
      expect(inputs, handler).toContain('data/runtime/stuck-limits.json');
      expect(inputs, handler).not.toContain('data/stuck-thresholds.json');
      expect(inputs, handler).not.toContain('data/runtime/stuck-thresholds.json');
    }
  });

  it('the operations read API carries the stuck thresholds\' projection, not the whole file', async () => {
    const inputs = await inputsOf('http/ops-insights');
    expect(inputs).toContain('data/runtime/stuck-thresholds.json');
    for (const file of [...WHOLE_FILES, ...COMPRESSED_TWINS]) expect(inputs).not.toContain(file);
  });

  it('what drafts a funding request (a record AWS approved, here synced from Partner Central) carries the benefits\' projection and the packed benefit shapes, not the whole files', async () => {
    const inputs = await inputsOf('events/reconcile');
    expect(inputs).toEqual(expect.arrayContaining(['data/runtime/benefits.json', 'data/runtime/benefit-shapes.json']));
    for (const file of [...WHOLE_FILES, ...COMPRESSED_TWINS]) expect(inputs).not.toContain(file);
  });

  it('the founder routes (the address confirmation) carry the mail providers\' projection, not the whole file', async () => {
    const inputs = await inputsOf('http/founder');
    expect(inputs).toContain('data/runtime/mail-providers.json');
    for (const file of WHOLE_FILES) expect(inputs).not.toContain(file);
  });

  it('a thin handler carries no model data', async () => {
    const inputs = await inputsOf('workflow/mark-failed');
    expect(inputs.filter((i) => i.startsWith('data/runtime/') || WHOLE_FILES.includes(i))).toEqual([]);
  });
});

// Handlers load only the data they read (issue 11 §1): built with the Lambda bundling options, each bundle's inputs
// show which data files and libraries it carries. The whole files in data/ (sources, notes, prose) are never bundled;
// a function carries the run-time projection it reads (data/runtime/) and nothing it does not.
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { LAMBDA_BUNDLE } from '../../lib/bundling.ts';

async function inputsOf(handler: string): Promise<string[]> {
  const result = await build({ ...LAMBDA_BUNDLE, banner: { js: LAMBDA_BUNDLE.banner }, mainFields: [...LAMBDA_BUNDLE.mainFields], entryPoints: [`functions/${handler}.ts`], bundle: true, write: false, metafile: true, outfile: '/tmp/bundle-data-test.mjs', logLevel: 'silent' });
  const output = Object.values(result.metafile.outputs)[0];
  // Inputs that add bytes: a module tree-shaken to nothing is not loaded.
  return Object.entries(output?.inputs ?? {}).filter(([, v]) => v.bytesInOutput > 0).map(([path]) => path);
}

const WHOLE_FILES = ['data/rate-card.json', 'data/programs.json', 'data/data-policy.json', 'data/ace/postal-codes.json', 'data/ace/submission-rules.json', 'data/ace/create-opportunity.shapes.json'];

describe('bundled data', () => {
  it('the sizing carries the priced card, the programs and the policy projections, not the whole files nor the ACE data', async () => {
    const inputs = await inputsOf('workflow/size');
    expect(inputs).toEqual(expect.arrayContaining(['data/runtime/rate-card.json', 'data/runtime/programs.json', 'data/runtime/data-policy.json']));
    for (const file of [...WHOLE_FILES, 'data/runtime/model-catalog.json']) expect(inputs).not.toContain(file);
  });

  it('the drafter carries the ACE rules, not the model catalog (its names come from the estimate), the priced card nor big.js', async () => {
    const inputs = await inputsOf('workflow/draft');
    expect(inputs).toEqual(expect.arrayContaining(['data/runtime/ace-rules.json', 'data/runtime/ace-address.json', 'data/runtime/ace-shapes.json']));
    for (const file of [...WHOLE_FILES, 'data/runtime/model-catalog.json', 'data/runtime/rate-card.json', 'data/runtime/programs.json']) expect(inputs).not.toContain(file);
    expect(inputs.filter((i) => i.includes('big.js'))).toEqual([]);
  });

  it('intake carries the model catalog and the address rules only', async () => {
    const inputs = await inputsOf('http/intake');
    expect(inputs).toEqual(expect.arrayContaining(['data/runtime/model-catalog.json', 'data/runtime/ace-address.json']));
    for (const file of [...WHOLE_FILES, 'data/runtime/rate-card.json', 'data/runtime/ace-rules.json', 'data/runtime/ace-shapes.json']) expect(inputs).not.toContain(file);
    expect(inputs.filter((i) => i.includes('big.js'))).toEqual([]);
  });

  it('the stuck count and Notify carry the stuck limits, not the thresholds file with its prose', async () => {
    for (const handler of ['workflow/ops-sweep', 'workflow/notify']) {
      const inputs = await inputsOf(handler);
      expect(inputs, handler).toContain('data/runtime/stuck-limits.json');
      expect(inputs, handler).not.toContain('data/stuck-thresholds.json');
    }
  });

  it('a thin handler carries no model data', async () => {
    const inputs = await inputsOf('workflow/mark-failed');
    expect(inputs.filter((i) => i.startsWith('data/runtime/') || WHOLE_FILES.includes(i))).toEqual([]);
  });
});

/**
 * Issue 11 §1: a function holds only the code its routes need. Each split handler is bundled as Lambda bundles it
 * (lib/bundling.ts) and its inputs are checked: the heavy code stays with the routes that use it. Nothing about size or
 * speed is asserted (the benchmark prints those): only which modules each bundle contains.
 */
import { build } from 'esbuild';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAMBDA_BUNDLE } from '../../lib/bundling.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

async function inputsOf(entry: string): Promise<string[]> {
  const result = await build({
    entryPoints: [path.join(ROOT, entry)], bundle: true, write: false, metafile: true, logLevel: 'silent', outfile: 'out.mjs',
    format: LAMBDA_BUNDLE.format, platform: LAMBDA_BUNDLE.platform, target: LAMBDA_BUNDLE.target, mainFields: [...LAMBDA_BUNDLE.mainFields], minify: true,
  });
  // Only what reaches the output (a module whose every export is dropped contributes nothing).
  const output = Object.values(result.metafile.outputs)[0]!;
  return Object.entries(output.inputs).filter(([, v]) => v.bytesInOutput > 0).map(([file]) => file);
}

const has = (inputs: string[], part: string) => inputs.some((f) => f.includes(part));

describe('routes that need very different code are separate functions', () => {
  it('founder: reading, withdrawing and confirming load neither the rate card nor ACE data; the revision does', async () => {
    const founder = await inputsOf('functions/http/founder.ts');
    for (const heavy of ['data/rate-card.json', 'data/runtime/', 'data/ace/', 'core/rates.ts']) expect(has(founder, heavy), heavy).toBe(false);
    const revise = await inputsOf('functions/http/founder-revise.ts');
    // The revision re-checks models and the address: from the run-time projections (data/runtime/, npm run gen:runtime-data).
    for (const needed of ['data/runtime/model-catalog.br.ts', 'data/runtime/ace-address.br.ts']) expect(has(revise, needed), needed).toBe(true);
  });

  it('partner: the queue, views, replies and records load no ACE model; the brief edit and the approval do', async () => {
    const partner = await inputsOf('functions/http/partner.ts');
    for (const heavy of ['data/ace/submission-rules.json', 'data/ace/create-opportunity.shapes.json', 'data/runtime/ace-shapes', 'core/ace/validate.ts']) expect(has(partner, heavy), heavy).toBe(false);
    const briefs = await inputsOf('functions/http/partner-briefs.ts');
    expect(has(briefs, 'core/ace/validate.ts')).toBe(true);
  });

  it('Partner Central: the opportunity routes load no Benefits client; the funding routes do', async () => {
    expect(has(await inputsOf('functions/http/partner-filing.ts'), 'client-partnercentral-benefits')).toBe(false);
    expect(has(await inputsOf('functions/http/partner-funding.ts'), 'client-partnercentral-benefits')).toBe(true);
  });

  it('views, notices and the notifier add up cents without big.js', async () => {
    // big.js may still arrive through other modules (brief drafting); these three must not be the reason.
    for (const file of ['functions/http/views.ts', 'functions/core/notifications.ts', 'functions/usecases/notifier.ts']) {
      expect(await inputsOf(file), file).not.toContainEqual(expect.stringContaining('core/money.ts'));
    }
  });
});

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
    for (const heavy of ['data/rate-card.json', 'data/ace/', 'core/rates.ts']) expect(has(founder, heavy), heavy).toBe(false);
    // Of the run-time data, only the mail providers' rules (the confirmation's per-domain limit, core/mailbox.ts).
    expect(founder.filter((i) => i.includes('data/runtime/'))).toEqual(['data/runtime/mail-providers.json']);
    const revise = await inputsOf('functions/http/founder-revise.ts');
    // The revision re-checks models and the address: from the run-time projections (data/runtime/, npm run gen:runtime-data).
    for (const needed of ['data/runtime/model-catalog.br.ts', 'data/runtime/ace-address.br.ts']) expect(has(revise, needed), needed).toBe(true);
  });

  it('partner: the queue, views, replies and records load no ACE model; the brief edit and the approval do', async () => {
    const partner = await inputsOf('functions/http/partner.ts');
    for (const heavy of ['data/ace/submission-rules.json', 'data/ace/create-opportunity.shapes.json', 'data/runtime/ace-validation', 'core/ace/validate.ts']) expect(has(partner, heavy), heavy).toBe(false);
    for (const entry of ['functions/http/partner-briefs.ts', 'functions/http/partner-approve.ts']) expect(has(await inputsOf(entry), 'core/ace/validate.ts'), entry).toBe(true);
  });

  it('partner: the brief edit loads no Step Functions client and no transition code; the approval loads no merge patch', async () => {
    const edit = await inputsOf('functions/http/partner-briefs.ts');
    for (const heavy of ['client-sfn', 'usecases/run-command.ts', 'core/application/lifecycle.ts', 'pipeline-projection.ts']) expect(has(edit, heavy), heavy).toBe(false);
    const approve = await inputsOf('functions/http/partner-approve.ts');
    for (const other of ['core/ace/edit.ts', 'applications-edits.ts', 'core/data-age.ts']) expect(has(approve, other), other).toBe(false);
  });

  it("partner: only the record routes (filed, AWS's outcome, credits) load the funding drafter an AWS approval runs", async () => {
    const partner = await inputsOf('functions/http/partner.ts');
    for (const heavy of ['core/ace/funding-draft.ts', 'core/ace/shape-check.ts', 'benefits.json']) expect(has(partner, heavy), heavy).toBe(false);
    const records = await inputsOf('functions/http/partner-records.ts');
    expect(has(records, 'core/ace/funding-draft.ts')).toBe(true);
    for (const other of ['applications-lists.ts', 'core/dedupe.ts', 'core/ace/validate.ts']) expect(has(records, other), other).toBe(false);
  });

  it('only the functions whose steps end a workflow (withdrawal, cancellation) carry the code that ends it', async () => {
    for (const entry of ['functions/http/founder.ts', 'functions/http/ops-actions.ts']) expect(has(await inputsOf(entry), 'usecases/end-workflow.ts'), entry).toBe(true);
    for (const entry of ['functions/http/partner.ts', 'functions/http/partner-briefs.ts', 'functions/http/partner-approve.ts', 'functions/http/partner-records.ts', 'functions/http/founder-revise.ts']) {
      expect(has(await inputsOf(entry), 'usecases/end-workflow.ts'), entry).toBe(false);
    }
  });

  it('Partner Central: the opportunity routes load no Benefits client; the funding routes do', async () => {
    const filing = await inputsOf('functions/http/partner-filing.ts');
    expect(has(filing, 'client-partnercentral-benefits')).toBe(false);
    // Filing and submitting never approve a record, so they never draft a funding request (only an approval does).
    for (const heavy of ['core/ace/funding-draft.ts', 'data/benefits.json', 'data/ace/create-benefit-application.shapes.json']) expect(has(filing, heavy), heavy).toBe(false);
    const funding = await inputsOf('functions/http/partner-funding.ts');
    expect(has(funding, 'client-partnercentral-benefits')).toBe(true);
    // The funding routes move a record only with its funding state (an allocation), never drafting one: no benefits.json.
    expect(has(funding, 'data/benefits.json')).toBe(false);
  });

  it('Partner Central: only the update under Action Required loads the opportunity model check; it loads no Step Functions client', async () => {
    const filing = await inputsOf('functions/http/partner-filing.ts');
    for (const heavy of ['core/ace/update-problems.ts', 'core/ace/shape-check.ts', 'usecases/partner-central-update.ts']) expect(has(filing, heavy), heavy).toBe(false);
    const update = await inputsOf('functions/http/partner-update.ts');
    for (const needed of ['core/ace/update-problems.ts', 'core/ace/shape-check.ts']) expect(has(update, needed), needed).toBe(true);
    for (const other of ['client-sfn', 'usecases/run-command.ts', 'usecases/partner-central-filing.ts', 'usecases/partner-central-submission.ts']) expect(has(update, other), other).toBe(false);
  });

  it('ops, its insights, partner, the brief edit, the approval and the operations actions check their small inputs without zod (core/request-shapes.ts)', async () => {
    for (const entry of ['functions/http/ops.ts', 'functions/http/ops-insights.ts', 'functions/http/partner.ts', 'functions/http/partner-briefs.ts', 'functions/http/partner-approve.ts', 'functions/http/partner-records.ts', 'functions/http/ops-actions.ts', 'functions/http/ops-nudge.ts', 'functions/http/founder.ts']) {
      expect(has(await inputsOf(entry), 'node_modules/zod/'), entry).toBe(false);
    }
  });

  it('intake, the revision and the estimate check worksheets with the checker compiled from the schema, without zod', async () => {
    for (const entry of ['functions/http/intake.ts', 'functions/http/founder-revise.ts', 'functions/http/estimates.ts']) {
      const inputs = await inputsOf(entry);
      expect(has(inputs, 'node_modules/zod/'), entry).toBe(false);
      expect(has(inputs, 'core/worksheet-shape.generated.ts'), entry).toBe(true);
    }
  });

  it('operations: the stuck, failed and pipeline reads load no Step Functions client, Ops not their code; the nudge alone composes reminders', async () => {
    expect(has(await inputsOf('functions/http/ops-insights.ts'), 'client-sfn')).toBe(false);
    const ops = await inputsOf('functions/http/ops.ts');
    for (const heavy of ['core/operations/stuck.ts', 'data/stuck-thresholds.json', 'adapters/dynamo/pipeline-stats.ts']) expect(has(ops, heavy), heavy).toBe(false);
    const nudge = await inputsOf('functions/http/ops-nudge.ts');
    expect(has(nudge, 'client-sfn')).toBe(false);
    expect(has(nudge, 'core/notices-reminder.ts')).toBe(true);
    const actions = await inputsOf('functions/http/ops-actions.ts');
    expect(has(actions, 'core/notices-reminder.ts')).toBe(false);
    expect(has(actions, 'core/notices-transition.ts')).toBe(true);
  });

  it('intake counts through its log line (metric filters), without the Metrics library; founder carries no confirmation page', async () => {
    expect(has(await inputsOf('functions/http/intake.ts'), '@aws-lambda-powertools/metrics')).toBe(false);
    expect(has(await inputsOf('functions/http/founder.ts'), 'http/confirmation-page.ts')).toBe(false);
  });

  it('views, notices and the notifier add up cents without big.js', async () => {
    // big.js may still arrive through other modules (brief drafting); these three must not be the reason.
    for (const file of ['functions/http/views.ts', 'functions/core/notifications.ts', 'functions/usecases/notifier.ts']) {
      expect(await inputsOf(file), file).not.toContainEqual(expect.stringContaining('core/money.ts'));
    }
  });
});

/**
 * The data under an estimate, where people read it: the founder's and the partner's views of a stored estimate
 * (aged to the moment of viewing), the brief's own unverified numbers, and `ace-filing data` (fixed clock).
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { founderView, partnerBriefView, partnerView } from '../../functions/http/views.ts';
import { estimate } from '../../functions/core/estimate.ts';
import { newApplication } from '../../functions/core/intake.ts';
import { rateCard } from '../../functions/core/rates.ts';
import type { Application } from '../../schemas/application.ts';
import { main } from '../../bin/cli.ts';
import { exampleWorksheet } from '../support/fixtures.ts';

const SIZED_AT = new Date('2026-12-01T12:00:00Z');

/** The example without a POC duration: the POC filing is sized on the default window, an unverified figure. */
function sizedApplication(): Application {
  const w = exampleWorksheet();
  const worksheet = { ...w, useCase: { ...w.useCase, poc: { defined: true, successMetric: w.useCase.poc.successMetric } } };
  const e = estimate(worksheet, { now: SIZED_AT, card: { ...rateCard, asOf: '2026-11-01' } });
  const base = newApplication({ id: 'app_data', worksheet, tokenHash: 'h', now: SIZED_AT });
  return { ...base, estimate: e, briefs: e.plan.filings.map((f) => ({ programId: f.programId, body: {}, problems: [], revision: 1 })) };
}

describe('views of a stored estimate', () => {
  const app = sizedApplication();

  it('the partner sees which numbers of each brief rest on unverified figures, and only that brief\'s', () => {
    const poc = partnerBriefView(app, app.briefs!.find((b) => b.programId === 'bedrock-poc')!, SIZED_AT);
    expect(poc.estimateData?.qualifiedFigures).toEqual([
      expect.objectContaining({ basis: 'assumed', programId: 'bedrock-poc', figure: expect.stringMatching(/^Bedrock \/ GenAI POC funding coverage of 2 months and its ask \$/), restsOn: expect.stringContaining('default 2-month POC window (unverified)') }),
    ]);
    const portfolio = partnerBriefView(app, app.briefs!.find((b) => b.programId === 'activate-portfolio')!, SIZED_AT);
    expect(portfolio.estimateData?.qualifiedFigures).toEqual([]);
    expect(partnerView(app, [], SIZED_AT).estimateData?.qualifiedFigures).toHaveLength(1);
  });

  it('ages the data to the moment of viewing: prices fresh when sized are stale 100 days later, for founder and partner', () => {
    expect(founderView(app, SIZED_AT).estimateData?.warnings).toEqual([]);
    const later = new Date('2027-03-11T12:00:00Z');
    const founder = founderView(app, later).estimateData;
    expect(founder?.dataAge.files[0]).toMatchObject({ file: 'data/rate-card.json', asOf: '2026-11-01', ageDays: 130, stale: true });
    expect(founder?.warnings.map((w) => w.code)).toEqual(['stale-data']);
    const brief = partnerBriefView(app, app.briefs![1]!, later).estimateData;
    expect(brief?.qualifiedFigures[0]).toMatchObject({ basis: 'stale', restsOn: expect.stringContaining('as of 2026-11-01 (130 days old)') });
  });

  it('an application not yet sized has no estimate data', () => {
    const fresh = newApplication({ id: 'app_new', worksheet: exampleWorksheet(), tokenHash: 'h', now: SIZED_AT });
    expect(founderView(fresh, SIZED_AT).estimateData).toBeNull();
  });
});

describe('ace-filing data', () => {
  async function run(args: string[], now: Date) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(args, { readStdin: async () => '', readFile: (p) => readFile(p, 'utf8'), out: (t) => out.push(t), err: (t) => err.push(t), now });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('lists every data file with its date, age, sources and dependents, and warns (exit 1) past the threshold', async () => {
    const { code, out, err } = await run(['data'], new Date('2026-12-01T12:00:00Z'));
    expect(out).toMatch(/data\/rate-card\.json\s+Bedrock prices\s+2026-07-24\s+130 days\s+STALE \(> 90 days\)/);
    expect(out).toMatch(/data\/programs\.json\s+Program ceilings, eligibility and sizing policy\s+2026-11-27\s+4 days\s+ok \(<= 180 days\)/);
    expect(out).toMatch(/data\/ace\/postal-codes\.json\s+ACE postal-code rules\s+-\s+undated\s+no limit/);
    expect(out).toContain('    - anthropic-caching: Anthropic prompt-caching documentation');
    expect(out).toContain("    - each filing's ask and its monthly spend by service (ACE ExpectedCustomerSpend)");
    expect(err).toContain('warning: data/rate-card.json (Bedrock prices) is 130 days old (as of 2026-07-24), past the 90-day data policy');
    expect(err).toContain('warning: data/ace/submission-rules.json (ACE submission rules) is 245 days old');
    expect(code).toBe(1);
  });

  it('exits 0 when every file is within its threshold; --json gives the same listing as data', async () => {
    const { code, out, err } = await run(['data', '--json'], new Date('2026-08-01T00:00:00Z'));
    // On 2026-08-01 the prices are 8 days old; the submission rules (2026-03-31) 123 days, within 180.
    expect(err).toBe('');
    expect(code).toBe(0);
    const listing = JSON.parse(out) as { files: { file: string; ageDays: number | null; stale: boolean }[] };
    expect(listing.files.find((f) => f.file === 'data/rate-card.json')).toMatchObject({ ageDays: 8, stale: false });
    expect(listing.files.every((f) => !f.stale)).toBe(true);
  });

  it('takes no FILE', async () => {
    const { code, err } = await run(['data', 'x.json'], new Date());
    expect(code).toBe(2);
    expect(err).toContain('data takes no FILE');
  });
});

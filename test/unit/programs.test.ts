/**
 * Program decisions, the stacking plan and its warnings. Forecast figures come from the Sonnet 4.6 RAG scenario:
 * $3,193.75 of Bedrock a month (see forecast.test.ts for the derivation).
 */
import rawPrograms from '../../data/programs.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import { estimate } from '../../functions/core/estimate.ts';
import { companyAgeYears, programsData, ProgramsDataError } from '../../functions/core/programs.ts';
import { loadPrograms } from '../../functions/core/data-checks.ts';
import { cents, NOW, ragWorksheet } from '../support/worksheets.ts';

const decision = (e: ReturnType<typeof estimate>, id: string) => e.programs.find((p) => p.programId === id)!;
const filing = (e: ReturnType<typeof estimate>, id: string) => e.plan.filings.find((f) => f.programId === id);

describe('programs data', () => {
  it('keeps older and current ceilings, and marks the POC range unverified', () => {
    const portfolio = programsData.programs.find((p) => p.id === 'activate-portfolio')!;
    expect(portfolio.ceiling.currentUsd).toBe(200_000);
    expect(portfolio.ceiling.history.map((h) => h.usd)).toEqual([100_000, 200_000]);
    const founders = programsData.programs.find((p) => p.id === 'activate-founders')!;
    expect(founders.ceiling.history.map((h) => h.usd)).toEqual([1_000, 5_000]);
    const poc = programsData.programs.find((p) => p.id === 'bedrock-poc')!;
    expect(poc.ceiling.verified).toBe(false);
    expect(poc.ceiling.note).toMatch(/UNVERIFIED/);
  });

  it('rejects a broken file with field paths', () => {
    const broken = structuredClone(rawPrograms) as { programs: { filingPath: string }[] };
    broken.programs[0]!.filingPath = 'fax';
    expect(() => loadPrograms(broken)).toThrow(ProgramsDataError);
    expect(() => loadPrograms(broken)).toThrow(/programs\[0\]\.filingPath/);
  });

  it('computes company age in whole years from now', () => {
    expect(companyAgeYears('2016-12-02', NOW)).toBe(9);
    expect(companyAgeYears('2016-12-01', NOW)).toBe(10);
  });
});

describe('scenario: seed-stage, VC-backed, with a defined 8-week POC', () => {
  const w = ragWorksheet({
    useCase: { poc: { defined: true, successMetric: '85% of answers rated correct by pilot accountants', durationWeeks: 8 } },
    otherServices: [{ service: 'Amazon OpenSearch Service', monthlyUsd: 500 }],
  });
  const e = estimate(w, { now: NOW });

  it('decides each program with reasons', () => {
    expect(decision(e, 'bedrock-poc')).toMatchObject({ eligible: true });
    expect(decision(e, 'bedrock-poc').reasons[0]).toMatch(/^yes: a defined proof of concept/);
    expect(decision(e, 'activate-portfolio').eligible).toBe(true);
    expect(decision(e, 'activate-portfolio').reasons).toEqual(expect.arrayContaining([
      'yes: institutionally funded by Northstar Ventures',
      'yes: Activate Provider Organization ID NSV-ACT-2291 from Northstar Ventures',
      'yes: founded 2024-03-12, 2 full years ago: within the last 10 years',
    ]));
    expect(decision(e, 'activate-founders').eligible).toBe(false);
    expect(decision(e, 'activate-founders').reasons[0]).toMatch(/^no: institutionally funded .* VC-backed startups use Activate Portfolio/);
    expect(decision(e, 'genai-accelerator').eligible).toBe(false);
    expect(decision(e, 'genai-accelerator').reasons[0]).toMatch(/^no: .* selects AI-first startups/);
  });

  it('stacks POC and Portfolio as separate ACE records, sized from the forecast', () => {
    expect(e.plan.filings.map((f) => [f.programId, f.filingPath])).toEqual([['bedrock-poc', 'ace'], ['activate-portfolio', 'ace']]);
    // POC: 8 weeks = 56 days → 2 months of Bedrock = 638,750 cents + 15% (95,812.5 → 95,813) = $7,345.63 → next $500.
    expect(filing(e, 'bedrock-poc')).toMatchObject({ askUsd: '7500.00', coverageMonths: 2, monthlySpendByService: [{ service: 'Amazon Bedrock', monthlyUsd: '3193.75' }] });
    // Portfolio: 12 × (3,693.75 + 15% = 4,247.81) = $50,973.72, minus the POC's $7,500 = $43,473.72 → next $1,000.
    expect(filing(e, 'activate-portfolio')).toMatchObject({ askUsd: '44000.00', coverageMonths: 12 });
    expect(filing(e, 'activate-portfolio')!.monthlySpendByService).toEqual([
      { service: 'Amazon Bedrock', monthlyUsd: '3193.75' },
      { service: 'Amazon OpenSearch Service', monthlyUsd: '500.00' },
    ]);
    expect(e.plan.totalAskUsd).toBe('51500.00');
    expect(e.plan.outOfPocketUsd).toBe('0.00');
    expect(e.warnings.find((x) => x.code === 'under-ask')).toBeUndefined();
  });

  it('without a provider org ID, Portfolio says what to ask for and the plan warns about the overflow', () => {
    const w = ragWorksheet();
    delete w.company.institutionalFunding.activateProviderOrgId;
    const noOrg = estimate(w, { now: NOW });
    expect(decision(noOrg, 'activate-portfolio').reasons[0]).toBe('no: no Activate Provider Organization ID: ask Northstar Ventures for theirs (or a provider email invite) to apply');
    expect(noOrg.plan.filings).toEqual([]);
    const under = noOrg.warnings.find((x) => x.code === 'under-ask')!;
    expect(under.amountUsd).toBe('38325.00');
    expect(under.message).toMatch(/\$38,325 .* out of pocket/);
  });
});

describe('scenario: bootstrapped', () => {
  const bootstrapped = { company: { stage: 'bootstrapped' as const, institutionalFunding: { funded: false }, priorCreditsUsd: 1_000 } };

  it('gets Founders only, capped at the ceiling minus prior credits, and warns about the overflow with the amount', () => {
    const e = estimate(ragWorksheet(bootstrapped), { now: NOW });
    expect(decision(e, 'activate-founders').eligible).toBe(true);
    expect(decision(e, 'activate-founders').reasons).toContain('yes: $1,000 of credits already received: Activate awards only the difference, at most $4,000 more');
    expect(decision(e, 'activate-portfolio').reasons[0]).toMatch(/^no: .* needs institutional funding/);
    expect(e.plan.filings.map((f) => [f.programId, f.filingPath, f.askUsd])).toEqual([['activate-founders', 'self-serve', '4000.00']]);
    // 12 × $3,193.75 = $38,325 of spend, $4,000 of credit → $34,325 out of pocket.
    expect(e.warnings.find((x) => x.code === 'under-ask')).toMatchObject({ amountUsd: '34325.00' });
  });

  it('warns about over-asking when credit would expire unspent', () => {
    // Nova Lite: $58.40 a month of Bedrock + $100 of S3 = $158.40; 12 months = $1,900.80.
    // Ask: 12 × ($158.40 + 15% = $182.16) = $2,185.92 → $2,500. Founders expire after ~12 months: $599.20 forfeited.
    const e = estimate(ragWorksheet({ ...bootstrapped, company: { ...bootstrapped.company, priorCreditsUsd: 0 }, workload: { models: [{ modelId: 'amazon.nova-lite-v1:0', share: 1 }] }, otherServices: [{ service: 'Amazon S3', monthlyUsd: 100 }] }), { now: NOW });
    expect(filing(e, 'activate-founders')?.askUsd).toBe('2500.00');
    expect(e.warnings.find((x) => x.code === 'over-ask')).toMatchObject({ amountUsd: '599.20' });
    expect(e.plan.forfeitedUsd).toBe('599.20');
  });
});

describe('scenario: AI-first company', () => {
  it('adds the Generative AI Accelerator as a parallel long shot, not filed via ACE and not counted', () => {
    const e = estimate(ragWorksheet({ company: { aiFirst: true } }), { now: NOW });
    expect(decision(e, 'genai-accelerator')).toMatchObject({ eligible: true });
    expect(decision(e, 'genai-accelerator').reasons).toContain('competitive cohort with no rolling application: a parallel long shot, not counted in the plan');
    const accelerator = filing(e, 'genai-accelerator')!;
    expect(accelerator.filingPath).toBe('cohort-application');
    expect(accelerator.askUsd).toBe('45000.00');
    expect(cents(e.plan.totalAskUsd)).toBe(cents(filing(e, 'activate-portfolio')!.askUsd));
  });
});

describe('rules', () => {
  it('Activate is closed to Series B+ and to companies founded 10+ years ago', () => {
    const late = estimate(ragWorksheet({ company: { stage: 'series-b-plus' } }), { now: NOW });
    expect(decision(late, 'activate-portfolio').reasons[0]).toMatch(/^no: stage series-b-plus is past the limit/);
    const old = estimate(ragWorksheet({ company: { foundedOn: '2010-05-01' } }), { now: NOW });
    expect(decision(old, 'activate-portfolio').reasons[0]).toBe('no: founded 2010-05-01, 16 full years ago: not within the last 10 years');
  });

  it('an Activate ask must exceed credits already received', () => {
    const e = estimate(ragWorksheet({ company: { priorCreditsUsd: 250_000 } }), { now: NOW });
    expect(decision(e, 'activate-portfolio').eligible).toBe(false);
    expect(decision(e, 'activate-portfolio').reasons[0]).toMatch(/\$250,000 of credits already received is not below the \$200,000 ceiling/);
  });

  it('POC funding needs a defined POC with a success metric', () => {
    const e = estimate(ragWorksheet(), { now: NOW });
    expect(decision(e, 'bedrock-poc')).toMatchObject({ eligible: false, reasons: expect.arrayContaining([expect.stringMatching(/^no: no defined proof of concept/)]) });
  });

  it('spend the credits do not cover is left out of the asks and reported with its amount', () => {
    const e = estimate(ragWorksheet({ otherServices: [{ service: 'AWS Marketplace', monthlyUsd: 1_000 }] }), { now: NOW });
    expect(e.warnings.find((x) => x.code === 'uncovered-spend')).toMatchObject({ amountUsd: '12000.00' });
    expect(e.plan.uncoveredSpendUsd).toBe('12000.00');
    // The Portfolio ask matches the Bedrock-only envelope ($44,073.72 → $45,000), as without the Marketplace line.
    expect(filing(e, 'activate-portfolio')?.askUsd).toBe('45000.00');
    expect(filing(e, 'activate-portfolio')?.monthlySpendByService.map((s) => s.service)).toEqual(['Amazon Bedrock']);
  });
});

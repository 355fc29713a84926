/**
 * Each program's eligibility decision, reason by reason: which checks a program runs (from data/programs.json's
 * rules), their exact wording and figures, failing reasons first, the limits on both sides, what is to confirm and the
 * unverified-ceiling note. The scenarios of a whole estimate are in programs.test.ts. Limits and figures are read from
 * the runtime data (data/runtime/programs.json, projected from data/programs.json), so a changed ceiling, stage or age
 * limit changes the expected text with it. Everything is built inside the tests (StrykerJS counts nothing built when
 * the file is collected).
 */
import { describe, expect, it } from 'vitest';
import { formatUsd, usdToCents } from '../../functions/core/money.ts';
import {
  companyAgeYears,
  decideEligibility,
  decideProgram,
  programById,
  ProgramsDataError,
  runtimePrograms,
  type Program,
} from '../../functions/core/programs.ts';
import { FUNDING_STAGES } from '../../schemas/funding-stages.ts';
import type { Worksheet } from '../../schemas/worksheet.ts';
import { NOW, ragWorksheet } from '../support/worksheets.ts';

const usd = (n: number) => formatUsd(usdToCents(n));
const toConfirm = (p: Program) => p.eligibility.toConfirm.map((t) => `to confirm: ${t}`);
/** The founding date `years` whole years before NOW, plus `days` days (NOW is the 1st of a month). */
const foundedYearsAgo = (years: number, days = 0) => {
  const d = new Date(Date.UTC(NOW.getUTCFullYear() - years, NOW.getUTCMonth(), NOW.getUTCDate() + days));
  return d.toISOString().slice(0, 10);
};
const bootstrapped = (patch: Parameters<typeof ragWorksheet>[0] = {}) =>
  ragWorksheet({ ...patch, company: { stage: 'bootstrapped', institutionalFunding: { funded: false }, ...patch.company } });

describe('programById and its error', () => {
  it('finds a program by id, not the first one', () => {
    expect(programById('activate-portfolio').id).toBe('activate-portfolio');
    expect(programById('genai-accelerator').name).toBe(runtimePrograms.programs.find((p) => p.id === 'genai-accelerator')!.name);
  });

  it('names the missing program', () => {
    const data = { ...runtimePrograms, programs: runtimePrograms.programs.filter((p) => p.id !== 'activate-founders') };
    let error: unknown;
    try {
      programById('activate-founders', data);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProgramsDataError);
    expect((error as ProgramsDataError).problems).toEqual([{ field: 'programs', rule: 'must include activate-founders' }]);
    expect((error as ProgramsDataError).message).toBe('programs data is invalid: programs must include activate-founders');
  });

  it('lists every problem in its message, and is named', () => {
    const error = new ProgramsDataError([
      { field: 'programs[0].id', rule: 'must be a program id' },
      { field: 'asOf', rule: 'must be a date' },
    ]);
    expect(error.message).toBe('programs data is invalid: programs[0].id must be a program id; asOf must be a date');
    expect(error.name).toBe('ProgramsDataError');
  });
});

describe('companyAgeYears', () => {
  it('counts whole years in UTC, the anniversary day included', () => {
    const now = new Date('2026-06-15T23:30:00Z');
    expect(companyAgeYears('2016-06-15', now)).toBe(10);
    expect(companyAgeYears('2016-06-16', now)).toBe(9);
    expect(companyAgeYears('2016-07-01', now)).toBe(9);
    expect(companyAgeYears('2016-05-31', now)).toBe(10);
    expect(companyAgeYears('2016-01-20', now)).toBe(10);
    expect(companyAgeYears('2015-12-31', now)).toBe(10);
  });

  it('counts a founding date later this year or in the future as 0', () => {
    const now = new Date('2026-06-15T00:00:00Z');
    expect(companyAgeYears('2026-06-16', now)).toBe(0);
    expect(companyAgeYears('2027-03-01', now)).toBe(0);
    expect(companyAgeYears('2026-01-01', now)).toBe(0);
  });
});

describe('decideEligibility', () => {
  it('decides every program of the data, in its order', () => {
    const decisions = decideEligibility(ragWorksheet(), NOW);
    expect(decisions.map((d) => d.programId)).toEqual(runtimePrograms.programs.map((p) => p.id));
    const only = { ...runtimePrograms, programs: [programById('genai-accelerator')] };
    expect(decideEligibility(ragWorksheet({ company: { aiFirst: true } }), NOW, only).map((d) => [d.programId, d.eligible])).toEqual([['genai-accelerator', true]]);
  });
});

describe('Activate Portfolio', () => {
  const portfolio = () => programById('activate-portfolio');

  it('a VC-backed seed startup: every check passes, with its reason, then what to confirm', () => {
    const p = portfolio();
    const { maxStage, maxCompanyAgeYears } = p.eligibility;
    expect(decideProgram(ragWorksheet(), p, NOW)).toEqual({
      programId: 'activate-portfolio',
      eligible: true,
      reasons: [
        'yes: institutionally funded by Northstar Ventures',
        'yes: Activate Provider Organization ID NSV-ACT-2291 from Northstar Ventures',
        `yes: stage seed is within the limit (up to and including ${maxStage})`,
        `yes: founded 2024-03-12, 2 full years ago: within the last ${maxCompanyAgeYears} years`,
        'yes: public website https://ledgerly.ai',
        'yes: no AWS credits received before: new to Activate',
        ...toConfirm(p),
      ],
    });
  });

  it('just inside every limit: the last stage allowed, a day short of the age limit, a dollar below the ceiling', () => {
    const p = portfolio();
    const maxStage = p.eligibility.maxStage!;
    const maxAge = p.eligibility.maxCompanyAgeYears!;
    const ceiling = p.ceiling.currentUsd;
    const foundedOn = foundedYearsAgo(maxAge, 1);
    const w = ragWorksheet({ company: { stage: maxStage, foundedOn, priorCreditsUsd: ceiling - 1 } });
    expect(decideProgram(w, p, NOW)).toEqual({
      programId: 'activate-portfolio',
      eligible: true,
      reasons: [
        'yes: institutionally funded by Northstar Ventures',
        'yes: Activate Provider Organization ID NSV-ACT-2291 from Northstar Ventures',
        `yes: stage ${maxStage} is within the limit (up to and including ${maxStage})`,
        `yes: founded ${foundedOn}, ${maxAge - 1} full years ago: within the last ${maxAge} years`,
        'yes: public website https://ledgerly.ai',
        `yes: ${usd(ceiling - 1)} of credits already received: Activate awards only the difference, at most ${usd(1)} more`,
        ...toConfirm(p),
      ],
    });
  });

  it('at or past every limit: failing reasons first, in check order, and nothing to confirm', () => {
    const p = portfolio();
    const maxStage = p.eligibility.maxStage!;
    const pastStage = FUNDING_STAGES[FUNDING_STAGES.indexOf(maxStage) + 1]!;
    const maxAge = p.eligibility.maxCompanyAgeYears!;
    const ceiling = p.ceiling.currentUsd;
    const region = `${p.eligibility.excludedRegionPrefixes[0]}north-1`;
    const foundedOn = foundedYearsAgo(maxAge);
    const w = ragWorksheet({ company: { stage: pastStage, foundedOn, priorCreditsUsd: ceiling }, aws: { region } });
    delete w.company.institutionalFunding.activateProviderOrgId;
    expect(decideProgram(w, p, NOW)).toEqual({
      programId: 'activate-portfolio',
      eligible: false,
      reasons: [
        'no: no Activate Provider Organization ID: ask Northstar Ventures for theirs (or a provider email invite) to apply',
        `no: stage ${pastStage} is past the limit: AWS Activate Portfolio is for startups up to and including ${maxStage}`,
        `no: founded ${foundedOn}, ${maxAge} full years ago: not within the last ${maxAge} years`,
        `no: ${usd(ceiling)} of credits already received is not below the ${usd(ceiling)} ceiling: an application must ask for more than was already received`,
        `no: Region ${region}: AWS Activate Portfolio does not apply to AWS China Regions`,
        'yes: institutionally funded by Northstar Ventures',
        'yes: public website https://ledgerly.ai',
      ],
    });
  });

  it('one failing check is enough to be ineligible', () => {
    const p = portfolio();
    const region = `${p.eligibility.excludedRegionPrefixes[0]}northwest-1`;
    const d = decideProgram(ragWorksheet({ aws: { region } }), p, NOW);
    expect(d.eligible).toBe(false);
    expect(d.reasons[0]).toBe(`no: Region ${region}: AWS Activate Portfolio does not apply to AWS China Regions`);
    expect(d.reasons.slice(1).every((r) => r.startsWith('yes: '))).toBe(true);
  });

  it('a self-funded startup is refused for funding only: no provider ID is asked of it', () => {
    const p = portfolio();
    const d = decideProgram(bootstrapped(), p, NOW);
    expect(d.eligible).toBe(false);
    expect(d.reasons.filter((r) => r.startsWith('no: '))).toEqual([
      'no: AWS Activate Portfolio needs institutional funding (a VC, accelerator or incubator that is an Activate provider); the company is not institutionally funded',
    ]);
    expect(d.reasons.some((r) => r.includes('Provider Organization ID'))).toBe(false);
  });

  it('names who to ask when the worksheet does not name the provider (a worksheet not checked by the schema)', () => {
    const p = portfolio();
    const w: Worksheet = ragWorksheet();
    delete w.company.institutionalFunding.provider;
    expect(decideProgram(w, p, NOW).reasons.slice(0, 2).sort()).toEqual([
      'yes: Activate Provider Organization ID NSV-ACT-2291 from the provider',
      'yes: institutionally funded by a named provider',
    ]);
    delete w.company.institutionalFunding.activateProviderOrgId;
    expect(decideProgram(w, p, NOW).reasons[0]).toBe('no: no Activate Provider Organization ID: ask the VC or accelerator for theirs (or a provider email invite) to apply');
  });
});

describe('Activate Founders', () => {
  const founders = () => programById('activate-founders');

  it('a self-funded startup with credits already received: the difference it can still get, from the ceiling', () => {
    const p = founders();
    const ceiling = p.ceiling.currentUsd;
    const w = bootstrapped({ company: { priorCreditsUsd: 1_000, foundedOn: foundedYearsAgo(1) } });
    expect(decideProgram(w, p, NOW)).toEqual({
      programId: 'activate-founders',
      eligible: true,
      reasons: [
        'yes: self-funded (no institutional funding), as this program requires',
        `yes: stage bootstrapped is within the limit (up to and including ${p.eligibility.maxStage})`,
        `yes: founded ${foundedYearsAgo(1)}, 1 full year ago: within the last ${p.eligibility.maxCompanyAgeYears} years`,
        'yes: public website https://ledgerly.ai',
        `yes: $1,000 of credits already received: Activate awards only the difference, at most ${usd(ceiling - 1_000)} more`,
        ...toConfirm(p),
      ],
    });
  });

  it('a startup founded this year is 0 full years old; no credits received before is new to Activate', () => {
    const p = founders();
    const foundedOn = foundedYearsAgo(0, -1);
    const d = decideProgram(bootstrapped({ company: { foundedOn } }), p, NOW);
    expect(d.reasons).toContain(`yes: founded ${foundedOn}, 0 full years ago: within the last ${p.eligibility.maxCompanyAgeYears} years`);
    expect(d.reasons).toContain('yes: no AWS credits received before: new to Activate');
  });

  it('a VC-backed startup is sent to Portfolio, naming the provider (or saying it is not named)', () => {
    const p = founders();
    expect(decideProgram(ragWorksheet(), p, NOW).reasons[0]).toBe(
      'no: institutionally funded (Northstar Ventures): AWS Activate Founders is for self-funded startups; VC-backed startups use Activate Portfolio',
    );
    const w = ragWorksheet();
    delete w.company.institutionalFunding.provider;
    const d = decideProgram(w, p, NOW);
    expect(d.eligible).toBe(false);
    expect(d.reasons[0]).toBe('no: institutionally funded (provider not named): AWS Activate Founders is for self-funded startups; VC-backed startups use Activate Portfolio');
    expect(d.reasons.filter((r) => r.startsWith('no: '))).toHaveLength(1);
  });

  it('refuses an AWS China Region', () => {
    const p = founders();
    const region = `${p.eligibility.excludedRegionPrefixes[0]}north-1`;
    const d = decideProgram(bootstrapped({ aws: { region } }), p, NOW);
    expect(d.eligible).toBe(false);
    expect(d.reasons[0]).toBe(`no: Region ${region}: AWS Activate Founders does not apply to AWS China Regions`);
  });
});

describe('Bedrock POC funding', () => {
  const poc = () => programById('bedrock-poc');
  const metric = '85% of answers rated correct by pilot accountants';

  it('without a defined POC: refused, with no stage, age, credit or region check, and the unverified ceiling noted', () => {
    const p = poc();
    expect(p.ceiling.verified).toBe(false);
    expect(decideProgram(ragWorksheet({ company: { stage: 'series-b-plus', foundedOn: '1990-01-01', priorCreditsUsd: 10_000_000 }, aws: { region: 'cn-north-1' } }), p, NOW)).toEqual({
      programId: 'bedrock-poc',
      eligible: false,
      reasons: [
        'no: no defined proof of concept with a success metric (useCase.poc): POC funding needs a use case, scope and success metric',
        'yes: public website https://ledgerly.ai',
        `note: ceiling unverified (${p.ceiling.note})`,
      ],
    });
  });

  it('a defined POC with its success metric: eligible, what to confirm, then the note', () => {
    const p = poc();
    expect(decideProgram(ragWorksheet({ useCase: { poc: { defined: true, successMetric: metric } } }), p, NOW)).toEqual({
      programId: 'bedrock-poc',
      eligible: true,
      reasons: [
        `yes: a defined proof of concept with a success metric ("${metric}")`,
        'yes: public website https://ledgerly.ai',
        ...toConfirm(p),
        `note: ceiling unverified (${p.ceiling.note})`,
      ],
    });
  });

  it('a metric without a defined POC, or a defined POC without a metric, is not enough', () => {
    const p = poc();
    expect(decideProgram(ragWorksheet({ useCase: { poc: { defined: false, successMetric: metric } } }), p, NOW).eligible).toBe(false);
    const w = ragWorksheet({ useCase: { poc: { defined: true, successMetric: metric } } });
    delete w.useCase.poc.successMetric; // the schema requires it; the check does not rely on that
    expect(decideProgram(w, p, NOW).eligible).toBe(false);
  });

  it('needs a website (a blank one, from a worksheet not checked by the schema, fails)', () => {
    const p = poc();
    const w = ragWorksheet({ useCase: { poc: { defined: true, successMetric: metric } } });
    w.company.website = '   ';
    const d = decideProgram(w, p, NOW);
    expect(d.eligible).toBe(false);
    expect(d.reasons.slice(0, 2)).toEqual([
      'no: a functioning website or public profile is required',
      `yes: a defined proof of concept with a success metric ("${metric}")`,
    ]);
  });

  it('a program whose data does not require a website does not check it', () => {
    const p = poc();
    const noWebsite: Program = { ...p, eligibility: { ...p.eligibility, requiresWebsite: false } };
    const w = ragWorksheet({ useCase: { poc: { defined: true, successMetric: metric } } });
    w.company.website = '';
    const d = decideProgram(w, noWebsite, NOW);
    expect(d.eligible).toBe(true);
    expect(d.reasons.slice(0, 2)).toEqual([`yes: a defined proof of concept with a success metric ("${metric}")`, `to confirm: ${p.eligibility.toConfirm[0]}`]);
  });
});

describe('Generative AI Accelerator', () => {
  const accelerator = () => programById('genai-accelerator');

  it('an AI-first startup: eligible as a parallel long shot, after what to confirm', () => {
    const p = accelerator();
    expect(decideProgram(ragWorksheet({ company: { aiFirst: true } }), p, NOW)).toEqual({
      programId: 'genai-accelerator',
      eligible: true,
      reasons: [
        'yes: the product itself is built on generative AI (AI-first)',
        'yes: public website https://ledgerly.ai',
        ...toConfirm(p),
        'competitive cohort with no rolling application: a parallel long shot, not counted in the plan',
      ],
    });
  });

  it('not AI-first: refused, and not called a long shot', () => {
    const p = accelerator();
    expect(decideProgram(ragWorksheet(), p, NOW)).toEqual({
      programId: 'genai-accelerator',
      eligible: false,
      reasons: ['no: AWS Generative AI Accelerator selects AI-first startups; the product is not marked AI-first', 'yes: public website https://ledgerly.ai'],
    });
  });

  it('an unverified ceiling is noted whether or not the startup is eligible', () => {
    const p = accelerator();
    const unverified: Program = { ...p, ceiling: { ...p.ceiling, verified: false, note: 'test note' } };
    expect(decideProgram(ragWorksheet(), unverified, NOW).reasons.at(-1)).toBe('note: ceiling unverified (test note)');
    expect(decideProgram(ragWorksheet({ company: { aiFirst: true } }), unverified, NOW).reasons.at(-1)).toBe('note: ceiling unverified (test note)');
  });
});

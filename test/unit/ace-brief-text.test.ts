// The prose of an ACE brief (functions/core/ace/brief-text.ts), word for word: the title, the customer business
// problem sentence by sentence, the comment and next-steps lines, and the clipping that keeps each within ACE's
// limits (ace-selling-api.md §2.3, §2.5: Title and the short texts 255, CustomerBusinessProblem 2000 characters).
// Expected texts are written out from the inputs each test builds, not read back from the code.
import { describe, expect, it } from 'vitest';
import {
  BUSINESS_PROBLEM_MAX, clip, draftAdditionalComments, draftBusinessProblem, draftNextSteps, draftTitle, fitWithin, SHORT_TEXT_MAX, TITLE_MAX,
} from '../../functions/core/ace/brief-text.ts';
import type { Filing } from '../../schemas/estimate.ts';
import type { Worksheet } from '../../schemas/worksheet.ts';
import { exampleFiling, exampleWorksheet } from '../support/fixtures.ts';

const filing = exampleFiling;

/** The example worksheet (examples/worksheet.json), changed by `change`. */
function worksheet(change: (ws: Worksheet) => void = () => {}): Worksheet {
  const ws = exampleWorksheet();
  change(ws);
  return ws;
}

// Names given by the caller, so these tests do not depend on the model catalog.
const NAMES: Record<string, string> = { 'anthropic.claude-sonnet-4-6': 'Sonnet', 'anthropic.claude-haiku-4-5-20251001-v1:0': 'Haiku' };
const modelName = (id: string) => NAMES[id] ?? id;
const problemOf = (ws: Worksheet, f: Filing = filing()) => draftBusinessProblem(ws, f, modelName);

// The example worksheet's sentences, as the brief should read them.
const WHO = 'Ledgerly Labs (Financial Services, seed-stage) is building a retrieval-augmented (RAG) assistant on Amazon Bedrock: ' +
  "A bookkeeping assistant for small accounting firms that answers questions about a client's ledger, invoices and tax notices, " +
  'citing the source documents it retrieved, so accountants close month-end in hours instead of days.';
const MODELS = 'Models: Sonnet (30% of requests), Haiku (70% of requests).';
const VOLUME = 'Expected volume: about 12,000 requests a day at 6,000 input and 500 output tokens each, 15% monthly growth; ' +
  '25% batchable, 3,500 cacheable context tokens at a 60% hit rate, 20,000 evaluation replays a month.';
const POC = 'Proof of concept over 8 weeks; success metric: 85% of answers rated correct with a cited source by pilot accountants across 3 firms within 8 weeks.';
const FUNDING = 'The Bedrock / GenAI POC funding credits requested, $25,000, fund 3 months of this workload ' +
  '(projected monthly AWS spend: Amazon Bedrock $6,150.40, Amazon OpenSearch Service $700).';

describe('ACE text limits', () => {
  it('are the service model\'s: Title and the short texts 255, the business problem 2000 characters', () => {
    expect([TITLE_MAX, SHORT_TEXT_MAX, BUSINESS_PROBLEM_MAX]).toEqual([255, 255, 2000]);
  });
});

describe('draftTitle', () => {
  it.each([
    ['rag-assistant', 'RAG assistant'],
    ['agent', 'AI agent'],
    ['summarization', 'summarization pipeline'],
    ['classification', 'classification pipeline'],
    ['extraction', 'document extraction pipeline'],
    ['content-generation', 'content generation'],
    ['code-generation', 'code generation assistant'],
    ['search', 'semantic search'],
    ['other', 'generative AI workload'],
  ] as const)('names a %s workload "%s"', (kind, label) => {
    const ws = worksheet((w) => (w.useCase.kind = kind));
    expect(draftTitle(ws, filing())).toBe(`Ledgerly Labs: ${label} on Amazon Bedrock (Bedrock / GenAI POC funding)`);
  });

  it('clips a title past 255 characters at the last word boundary', () => {
    const ws = worksheet((w) => (w.company.name = 'N'.repeat(120)));
    // 120 + ": RAG assistant on Amazon Bedrock (" + 300 + ")" = 456 characters; the last space within the first 254 is
    // the one before "(", at 153 (past 60 % of 254): the cut keeps the words before it and marks the cut.
    expect(draftTitle(ws, filing({ programName: 'P'.repeat(300) }))).toBe(`${'N'.repeat(120)}: RAG assistant on Amazon Bedrock…`);
  });
});

describe('draftBusinessProblem', () => {
  it('writes who, what, models, volume, POC and funding, one sentence each, in that order', () => {
    expect(problemOf(worksheet())).toBe([WHO, MODELS, VOLUME, POC, FUNDING].join(' '));
  });

  it.each([
    ['bootstrapped', 'bootstrapped'],
    ['pre-seed', 'pre-seed'],
    ['seed', 'seed-stage'],
    ['series-a', 'Series A'],
    ['series-b-plus', 'Series B+'],
  ] as const)('calls a %s company %s', (stage, label) => {
    expect(problemOf(worksheet((w) => (w.company.stage = stage)))).toMatch(new RegExp(`^Ledgerly Labs \\(Financial Services, ${label.replace('+', '\\+')}\\) is building `));
  });

  it.each([
    ['rag-assistant', 'a retrieval-augmented (RAG) assistant'],
    ['agent', 'an AI agent'],
    ['summarization', 'a summarization pipeline'],
    ['classification', 'a classification pipeline'],
    ['extraction', 'a document extraction pipeline'],
    ['content-generation', 'a content generation product'],
    ['code-generation', 'a code generation assistant'],
    ['search', 'a semantic search feature'],
    ['other', 'a generative AI workload'],
  ] as const)('says a %s workload is %s', (kind, phrase) => {
    const ws = worksheet((w) => ((w.useCase.kind = kind), (w.useCase.summary = 'Answers tax questions for accountants')));
    expect(problemOf(ws).startsWith(`Ledgerly Labs (Financial Services, seed-stage) is building ${phrase} on Amazon Bedrock: Answers tax questions for accountants. Models: `)).toBe(true);
  });

  it('names the industry the founder wrote when it is Other, and "Other" when they wrote none', () => {
    expect(problemOf(worksheet((w) => ((w.company.industry = 'Other'), (w.company.otherIndustry = 'Legal tech'))))).toMatch(/^Ledgerly Labs \(Legal tech, seed-stage\) /);
    expect(problemOf(worksheet((w) => (w.company.industry = 'Other')))).toMatch(/^Ledgerly Labs \(Other, seed-stage\) /);
    // otherIndustry only counts with Industry Other.
    expect(problemOf(worksheet((w) => (w.company.otherIndustry = 'Legal tech')))).toMatch(/^Ledgerly Labs \(Financial Services, seed-stage\) /);
  });

  it.each([
    ['Answers ledger questions!', 'Answers ledger questions!'],
    ['Answers ledger questions?', 'Answers ledger questions?'],
    ['Answers ledger questions…', 'Answers ledger questions…'],
    ['Answers ledger questions.', 'Answers ledger questions.'],
    ['Answers ledger questions', 'Answers ledger questions.'],
    ['Answers ledger questions.   ', 'Answers ledger questions.'],
    ['Answers ledger questions   ', 'Answers ledger questions.'],
    ['Answers questions. Then it files', 'Answers questions. Then it files.'],
  ])('ends the summary %j as one sentence: %j', (summary, sentence) => {
    const problem = problemOf(worksheet((w) => (w.useCase.summary = summary)));
    expect(problem).toContain(`on Amazon Bedrock: ${sentence} ${MODELS}`);
  });

  it('gives each model\'s share of requests, rounded to a whole percent, in worksheet order', () => {
    const ws = worksheet((w) => (w.workload.models = [
      { modelId: 'anthropic.claude-haiku-4-5-20251001-v1:0', share: 0.125 },
      { modelId: 'vendor.unknown-model', share: 0.875 },
    ]));
    expect(problemOf(ws)).toContain(' Models: Haiku (13% of requests), vendor.unknown-model (88% of requests). Expected volume:');
  });

  const volumeOf = (change: (w: Worksheet['workload']) => void) => {
    const problem = problemOf(worksheet((w) => change(w.workload)));
    return /Expected volume: [^.]*\./.exec(problem)?.[0];
  };
  const noLevers = (w: Worksheet['workload']) => {
    w.batchableShare = 0;
    w.cacheableContextTokens = 0;
    w.cacheHitRate = 0;
    w.evalReplaysPerMonth = 0;
    w.monthlyGrowth = 0;
  };

  it('states the volume with thousands separators and no lever or growth clause when there is none', () => {
    expect(volumeOf((w) => (noLevers(w), (w.requestsPerDay = 1_234_567.4), (w.avgInputTokens = 1_500), (w.avgOutputTokens = 0))))
      .toBe('Expected volume: about 1,234,567 requests a day at 1,500 input and 0 output tokens each.');
  });

  it('adds growth, negative too, and each lever only when it is on', () => {
    expect(volumeOf((w) => (noLevers(w), (w.monthlyGrowth = -0.05)))).toBe('Expected volume: about 12,000 requests a day at 6,000 input and 500 output tokens each, -5% monthly growth.');
    expect(volumeOf((w) => (noLevers(w), (w.batchableShare = 0.4)))).toBe('Expected volume: about 12,000 requests a day at 6,000 input and 500 output tokens each; 40% batchable.');
    expect(volumeOf((w) => (noLevers(w), (w.evalReplaysPerMonth = 1_000)))).toBe('Expected volume: about 12,000 requests a day at 6,000 input and 500 output tokens each; 1,000 evaluation replays a month.');
    expect(volumeOf((w) => (noLevers(w), (w.cacheableContextTokens = 2_000), (w.cacheHitRate = 0.5))))
      .toBe('Expected volume: about 12,000 requests a day at 6,000 input and 500 output tokens each; 2,000 cacheable context tokens at a 50% hit rate.');
  });

  it('leaves caching out unless both the cacheable tokens and the hit rate are above zero', () => {
    const plain = 'Expected volume: about 12,000 requests a day at 6,000 input and 500 output tokens each.';
    expect(volumeOf((w) => (noLevers(w), (w.cacheableContextTokens = 2_000)))).toBe(plain);
    expect(volumeOf((w) => (noLevers(w), (w.cacheHitRate = 0.5)))).toBe(plain);
  });

  it('describes the POC with its length and metric, without a length, with no metric yet, and not at all without one', () => {
    const metric = '85% of answers rated correct';
    expect(problemOf(worksheet((w) => (w.useCase.poc = { defined: true, successMetric: metric })))).toContain(` Proof of concept; success metric: ${metric}. The Bedrock`);
    expect(problemOf(worksheet((w) => (w.useCase.poc = { defined: true, durationWeeks: 4 })))).toContain(' Proof of concept over 4 weeks; success metric: to be agreed with the partner. The Bedrock');
    const without = problemOf(worksheet((w) => (w.useCase.poc = { defined: false, successMetric: metric, durationWeeks: 4 })));
    expect(without).toBe([WHO, MODELS, VOLUME, FUNDING].join(' '));
  });

  it('lists only the services with spend, and no spend clause when none has any', () => {
    const spendless = filing({ askUsd: '1234.56', coverageMonths: 12, monthlySpendByService: [{ service: 'Amazon Bedrock', monthlyUsd: '0.00' }] });
    expect(problemOf(worksheet(), spendless).endsWith(' The Bedrock / GenAI POC funding credits requested, $1,234.56, fund 12 months of this workload.')).toBe(true);
    const oneCent = filing({ monthlySpendByService: [{ service: 'Amazon S3', monthlyUsd: '0.00' }, { service: 'AWS Lambda', monthlyUsd: '0.01' }] });
    expect(problemOf(worksheet(), oneCent).endsWith('fund 3 months of this workload (projected monthly AWS spend: AWS Lambda $0.01).')).toBe(true);
  });

  it('shortens the longest sentence, here the summary, to fit 2000 characters and keeps the others whole', () => {
    const summary = 'word '.repeat(300).trim(); // 1499 characters
    const problem = problemOf(worksheet((w) => (w.useCase.summary = summary)));
    const rest = ` ${MODELS} ${VOLUME} ${POC} ${FUNDING}`;
    expect(problem.length).toBeLessThanOrEqual(2000);
    // Cut at a word boundary: at most a word and its space short of the limit.
    expect(problem.length).toBeGreaterThanOrEqual(2000 - 5);
    expect(problem.endsWith(`word…${rest}`)).toBe(true);
    expect(problem.startsWith('Ledgerly Labs (Financial Services, seed-stage) is building a retrieval-augmented (RAG) assistant on Amazon Bedrock: word word')).toBe(true);
  });
});

describe('draftAdditionalComments', () => {
  it('states the program, the ask and the months, then the rationale', () => {
    expect(draftAdditionalComments(filing())).toBe('Program: Bedrock / GenAI POC funding; credit ask $25,000 over 3 months. A defined GenAI proof of concept with a measurable success metric.');
  });

  it('leaves an empty rationale out rather than adding a trailing space', () => {
    expect(draftAdditionalComments(filing({ rationale: '', askUsd: '999.5', coverageMonths: 1 }))).toBe('Program: Bedrock / GenAI POC funding; credit ask $999.50 over 1 months.');
  });

  it('clips a long rationale to fit 255 characters, keeping the program line', () => {
    const comments = draftAdditionalComments(filing({ rationale: 'because '.repeat(60).trim() }));
    expect(comments.length).toBeLessThanOrEqual(255);
    expect(comments.length).toBeGreaterThanOrEqual(255 - 8);
    expect(comments).toMatch(/^Program: Bedrock \/ GenAI POC funding; credit ask \$25,000 over 3 months\. because( because)*…$/);
  });
});

describe('draftNextSteps', () => {
  it('asks the partner to confirm the POC, or the workload when there is no POC, by the close date', () => {
    expect(draftNextSteps(worksheet(), '2026-03-12')).toBe(
      'Partner to confirm the POC scope and success metric with the founder, associate the partner solution and submit for AWS co-sell review; target close 2026-03-12.',
    );
    expect(draftNextSteps(worksheet((w) => (w.useCase.poc = { defined: false })), '2026-02-14')).toBe(
      'Partner to confirm the workload scope with the founder, associate the partner solution and submit for AWS co-sell review; target close 2026-02-14.',
    );
  });
});

describe('clip', () => {
  it('keeps text at or under the limit as it is', () => {
    expect(clip('abcde', 5)).toBe('abcde');
    expect(clip('', 0)).toBe('');
  });

  it('cuts one character past the limit and marks the cut within the limit', () => {
    expect(clip('abcdef', 5)).toBe('abcd…');
  });

  it('cuts at the last space only when it lies past 60 % of the kept text', () => {
    // Kept: the first 10 characters. A space at 6 is not past 6 (60 % of 10): cut mid-word.
    expect(clip('abcdef ghijklmn', 11)).toBe('abcdef ghi…');
    // A space at 7 is: cut at the word boundary.
    expect(clip('abcdefg hijklmn', 11)).toBe('abcdefg…');
    // Spaces before the cut are dropped.
    expect(clip('abcdefg  hijklmn', 11)).toBe('abcdefg…');
  });

  it('has no room for the mark at a limit of 1 or less', () => {
    expect(clip('abc', 1)).toBe('a');
    expect(clip('abc', 0)).toBe('');
    expect(clip('abc', -3)).toBe('');
  });

  it('never splits a surrogate pair', () => {
    expect(clip('😀😀😀', 5)).toBe('😀😀…');
    expect(clip('a😀b', 3)).toBe('a…');
    expect(clip('😀', 1)).toBe('');
  });
});

describe('fitWithin', () => {
  it('joins sections that fit, exactly at the limit too, dropping empty ones', () => {
    expect(fitWithin(['ab', 'cd'], 5)).toBe('ab cd');
    expect(fitWithin(['a', '', 'b'], 10)).toBe('a b');
    expect(fitWithin(['a', 'b'], 10, '\n')).toBe('a\nb');
  });

  it('shortens the longest section, the first of equals', () => {
    expect(fitWithin(['aaaaaa', 'bbbbbb'], 10)).toBe('aa… bbbbbb');
    expect(fitWithin(['x', 'aaaaaa', 'bbbbbbbb'], 12)).toBe('x aaaaaa bb…');
  });

  it('drops a section clipped to nothing, with its separator', () => {
    expect(fitWithin(['ab', 'cccccccccc'], 3)).toBe('ab');
    expect(fitWithin(['ab', 'cccccccccc'], 1)).toBe('a');
  });

  it('counts the separator it is given', () => {
    expect(fitWithin(['aaaa', 'bbbb'], 10, ' -- ')).toBe('a… -- bbbb');
  });

  it('gives up with nothing when nothing fits, rather than looping', () => {
    expect(fitWithin(['abc'], -1)).toBe('');
  });
});

/**
 * The prose of an ACE brief, written from the founder's worksheet: a concise title, the customer business problem
 * (what they build, in their words, on which models, at what volume, the POC and its success metric, what the
 * credits fund), and the short comment and next-steps lines. AWS reviewers reject boilerplate, so every sentence
 * carries a fact from the worksheet or the sizing.
 */
import type { Filing } from '../../../schemas/estimate.ts';
import type { Worksheet } from '../../../schemas/worksheet.ts';
import { formatUsd, usdToCents } from '../cents.ts';

/**
 * A model's display name by the id the worksheet gives (profile prefix or not), or the id itself when unknown. The
 * caller says where names come from (the drafting step: the estimate it drafts from; elsewhere the model catalog,
 * functions/core/model-catalog.ts `modelName`), so this module loads no model data (issue 11 §1).
 */
export type ModelNames = (modelId: string) => string;

type UseCaseKind = Worksheet['useCase']['kind'];

// Lengths the service enforces (ace-selling-api.md §2.3, §2.5).
export const TITLE_MAX = 255;
export const BUSINESS_PROBLEM_MAX = 2000;
export const SHORT_TEXT_MAX = 255;

const USE_CASE_LABELS: Record<UseCaseKind, { short: string; phrase: string }> = {
  'rag-assistant': { short: 'RAG assistant', phrase: 'a retrieval-augmented (RAG) assistant' },
  agent: { short: 'AI agent', phrase: 'an AI agent' },
  summarization: { short: 'summarization pipeline', phrase: 'a summarization pipeline' },
  classification: { short: 'classification pipeline', phrase: 'a classification pipeline' },
  extraction: { short: 'document extraction pipeline', phrase: 'a document extraction pipeline' },
  'content-generation': { short: 'content generation', phrase: 'a content generation product' },
  'code-generation': { short: 'code generation assistant', phrase: 'a code generation assistant' },
  search: { short: 'semantic search', phrase: 'a semantic search feature' },
  other: { short: 'generative AI workload', phrase: 'a generative AI workload' },
};

const STAGE_LABELS: Record<Worksheet['company']['stage'], string> = {
  bootstrapped: 'bootstrapped',
  'pre-seed': 'pre-seed',
  seed: 'seed-stage',
  'series-a': 'Series A',
  'series-b-plus': 'Series B+',
};

/**
 * Length in UTF-16 units. The service counts code points (its limits are `.{0,255}` patterns); UTF-16 units are
 * never fewer, so text fitted by this count is within the limit either way, and the zod schema agrees.
 */
export const charCount = (text: string): number => text.length;

/** The longest prefix of whole code points (never half a surrogate pair) within `units` UTF-16 units. */
function prefixWithin(text: string, units: number): string {
  let out = '';
  for (const ch of text) {
    if (out.length + ch.length > units) break;
    out += ch;
  }
  return out;
}

/** Shortens to at most `max` characters, at a word boundary when one is near, marking the cut with "…". */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return prefixWithin(text, Math.max(max, 0));
  const head = prefixWithin(text, max - 1);
  const boundary = head.lastIndexOf(' ');
  const cut = boundary > head.length * 0.6 ? head.slice(0, boundary) : head;
  return `${cut.trimEnd()}…`;
}

/** Joins sections, shortening the longest one first until the whole fits in `max` characters. */
export function fitWithin(sections: readonly string[], max: number, separator = ' '): string {
  const parts = sections.filter((s) => s !== '');
  let excess = charCount(parts.join(separator)) - max;
  while (excess > 0 && parts.length > 0) {
    const longest = parts.reduce((best, part, i) => (charCount(part) > charCount(parts[best] ?? '') ? i : best), 0);
    const current = parts[longest] ?? '';
    parts[longest] = clip(current, Math.max(charCount(current) - excess, 0));
    if (parts[longest] === '') parts.splice(longest, 1);
    excess = charCount(parts.join(separator)) - max;
  }
  return parts.join(separator);
}

const withPeriod = (text: string) => (/[.!?…]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);
const percent = (share: number) => `${Math.round(share * 100)}%`;
const thousands = (n: number) => Math.round(n).toLocaleString('en-US');

function industryText(ws: Worksheet): string {
  return ws.company.industry === 'Other' ? (ws.company.otherIndustry ?? 'Other') : ws.company.industry;
}

export function draftTitle(ws: Worksheet, filing: Filing): string {
  const label = USE_CASE_LABELS[ws.useCase.kind].short;
  return clip(`${ws.company.name}: ${label} on Amazon Bedrock (${filing.programName})`, TITLE_MAX);
}

function whoAndWhat(ws: Worksheet): string {
  const who = `${ws.company.name} (${industryText(ws)}, ${STAGE_LABELS[ws.company.stage]})`;
  return `${who} is building ${USE_CASE_LABELS[ws.useCase.kind].phrase} on Amazon Bedrock: ${withPeriod(ws.useCase.summary)}`;
}

function modelsSentence(ws: Worksheet, modelName: ModelNames): string {
  const models = ws.workload.models.map((m) => `${modelName(m.modelId)} (${percent(m.share)} of requests)`);
  return `Models: ${models.join(', ')}.`;
}

function volumeSentence(ws: Worksheet): string {
  const w = ws.workload;
  const levers = [
    w.batchableShare > 0 ? `${percent(w.batchableShare)} batchable` : '',
    w.cacheHitRate > 0 && w.cacheableContextTokens > 0 ? `${thousands(w.cacheableContextTokens)} cacheable context tokens at a ${percent(w.cacheHitRate)} hit rate` : '',
    w.evalReplaysPerMonth > 0 ? `${thousands(w.evalReplaysPerMonth)} evaluation replays a month` : '',
  ].filter((s) => s !== '');
  const growth = w.monthlyGrowth !== 0 ? `, ${percent(w.monthlyGrowth)} monthly growth` : '';
  return (
    `Expected volume: about ${thousands(w.requestsPerDay)} requests a day at ${thousands(w.avgInputTokens)} input and ` +
    `${thousands(w.avgOutputTokens)} output tokens each${growth}${levers.length > 0 ? `; ${levers.join(', ')}` : ''}.`
  );
}

function pocSentence(ws: Worksheet): string {
  const poc = ws.useCase.poc;
  if (!poc.defined) return '';
  const weeks = poc.durationWeeks !== undefined ? ` over ${poc.durationWeeks} weeks` : '';
  return `Proof of concept${weeks}; success metric: ${withPeriod(poc.successMetric ?? 'to be agreed with the partner')}`;
}

function fundingSentence(filing: Filing): string {
  const lines = filing.monthlySpendByService.filter((s) => usdToCents(s.monthlyUsd) > 0n);
  const spend = lines.map((s) => `${s.service} ${formatUsd(usdToCents(s.monthlyUsd))}`).join(', ');
  const perMonth = spend !== '' ? ` (projected monthly AWS spend: ${spend})` : '';
  return (
    `The ${filing.programName} credits requested, ${formatUsd(usdToCents(filing.askUsd))}, fund ` +
    `${filing.coverageMonths} months of this workload${perMonth}.`
  );
}

export function draftBusinessProblem(ws: Worksheet, filing: Filing, modelName: ModelNames): string {
  return fitWithin([whoAndWhat(ws), modelsSentence(ws, modelName), volumeSentence(ws), pocSentence(ws), fundingSentence(filing)], BUSINESS_PROBLEM_MAX);
}

export function draftAdditionalComments(filing: Filing): string {
  return fitWithin(
    [`Program: ${filing.programName}; credit ask ${formatUsd(usdToCents(filing.askUsd))} over ${filing.coverageMonths} months.`, filing.rationale],
    SHORT_TEXT_MAX,
  );
}

export function draftNextSteps(ws: Worksheet, targetCloseDate: string): string {
  const poc = ws.useCase.poc.defined ? 'confirm the POC scope and success metric' : 'confirm the workload scope';
  return clip(
    `Partner to ${poc} with the founder, associate the partner solution and submit for AWS co-sell review; ` +
      `target close ${targetCloseDate}.`,
    SHORT_TEXT_MAX,
  );
}

/** `ace-filing estimate --table`: the estimate as readable plain-text tables, headline figures first. */
import type { DataFileAge, Estimate } from '../schemas/estimate.ts';

type Row = readonly string[];

const isFigure = (cell: string) => /^[$\d.,%-]+$/.test(cell);

/** Figures right-aligned, text left-aligned, a rule under the header. */
export function renderTable(title: string, header: Row, rows: readonly Row[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = header.map((_h, i) => rows.some((r) => isFigure(r[i] ?? '')) && rows.every((r) => (r[i] ?? '') === '' || isFigure(r[i] ?? '')));
  const line = (cells: Row) => cells.map((c, i) => (numeric[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [title, line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const usdAmount = (amount: string) => {
  const [whole = '0', cents = '00'] = amount.split('.');
  return `$${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents.padEnd(2, '0')}`;
};

function headline(e: Estimate): string {
  const f = e.forecast;
  const months = f.months.length;
  return renderTable(`Estimate (rates as of ${e.ratesAsOf}, programs as of ${e.programsAsOf})`, ['Figure', 'USD'], [
    ['Credit envelope (forecast of credit-eligible spend, rounded)', usdAmount(f.recommendedAskUsd)],
    [`Forecast total, ${months} months (with headroom)`, usdAmount(f.totalUsd)],
    ['Optimized spend (batch, caching)', usdAmount(f.optimizedUsd)],
    ['Naive on-demand spend', usdAmount(f.naiveUsd)],
    ['Headroom', usdAmount(f.headroomUsd)],
    ['Amazon Bedrock', usdAmount(f.bedrockUsd)],
    ['Evaluation harness', usdAmount(f.evalHarnessUsd)],
    ['Other AWS services', usdAmount(f.otherServicesUsd)],
  ]);
}

function coverage(e: Estimate): string {
  const c = e.poolCoverage;
  return renderTable(`How long ${usdAmount(c.poolUsd)} lasts`, ['Usage', 'Months'], [
    ['Naive on-demand', String(c.naiveMonths)],
    ['With the levers applied', String(c.optimizedMonths)],
  ]);
}

function spendByService(e: Estimate): string {
  return renderTable('Average monthly spend by service', ['Service', 'USD / month'], e.forecast.monthlySpendByService.map((s) => [s.service, usdAmount(s.monthlyUsd)]));
}

function models(e: Estimate): string {
  return renderTable('Models', ['Model', 'Share', 'Optimized', 'Naive'], e.models.map((m) => [m.name, `${Math.round(m.share * 100)}%`, usdAmount(m.windowUsd), usdAmount(m.naiveWindowUsd)]));
}

function programs(e: Estimate): string {
  return renderTable('Programs', ['Program', 'Eligible', 'Why'], e.programs.map((p) => [p.programId, p.eligible ? 'yes' : 'no', p.reasons[0] ?? '']));
}

function plan(e: Estimate): string {
  // Long shots (e.g. the Generative AI Accelerator cohort) are applied for separately and not counted in the total.
  const rows: Row[] = e.plan.filings.map((f) => [
    f.filingPath === 'cohort-application' ? `${f.programName} (long shot, not counted)` : f.programName,
    f.filingPath, usdAmount(f.askUsd), String(f.coverageMonths),
  ]);
  rows.push(['Total ask (sum of the counted filings, each rounded)', '', usdAmount(e.plan.totalAskUsd), ''], ['Out of pocket', '', usdAmount(e.plan.outOfPocketUsd), ''], ['Forfeited at expiry', '', usdAmount(e.plan.forfeitedUsd), '']);
  return renderTable('Filing plan', ['Program', 'Filing path', 'Ask', 'Months'], rows);
}

/**
 * Batch and caching appear in `levers` only where the worksheet already applies them (their saving is what they save
 * in this forecast): they are shown as counted, not suggested again. Only a cheaper model is a suggestion.
 */
function levers(e: Estimate): string[] {
  const isApplied = (l: Estimate['levers'][number]): boolean => l.applied ?? l.lever !== 'cheaper-model';
  const applied = e.levers.filter(isApplied);
  const suggested = e.levers.filter((l) => !isApplied(l));
  const what = { batch: 'batch inference for the batchable share', caching: 'prompt caching of the repeated context' } as const;
  return [
    ...(applied.length ? [renderTable('Levers the worksheet already applies (counted in the forecast)', ['Lever', 'Model', 'Saves'], applied.map((l) => [
      what[l.lever as keyof typeof what], l.modelId, usdAmount(l.savingUsd),
    ]))] : []),
    ...(suggested.length ? [renderTable('Suggestions', ['Lever', 'Saving', 'Suggestion'], suggested.map((l) => [l.lever, usdAmount(l.savingUsd), l.message]))] : []),
  ];
}

const ageText = (f: DataFileAge) => (f.ageDays === null ? 'undated' : `${f.ageDays} days`);
const statusText = (f: DataFileAge) => (f.maxAgeDays === null ? 'no limit' : f.stale ? `STALE (> ${f.maxAgeDays} days)` : `ok (<= ${f.maxAgeDays} days)`);

/** The data files under the figures, with their age against the policy. */
function dataAge(e: Estimate): string {
  return renderTable(`Data under these figures (${e.dataAge.policy})`, ['File', 'As of', 'Age', 'Status'], e.dataAge.files.map((f) => [f.file, f.asOf ?? '-', ageText(f), statusText(f)]));
}

function qualifiedFigures(e: Estimate): string {
  return ['Figures resting on stale, unverified or assumed data', ...e.qualifiedFigures.map((q) => `- [${q.basis}] ${q.figure}: rests on ${q.restsOn}`)].join('\n');
}

/** `ace-filing data`: one row per data file, then its sources and what depends on it. */
export function renderDataTable(files: readonly DataFileAge[], policyAsOf: string): string {
  const table = renderTable(`Data files (policy data/data-policy.json as of ${policyAsOf})`, ['File', 'Dataset', 'As of', 'Age', 'Status'], files.map((f) => [f.file, f.dataset, f.asOf ?? '-', ageText(f), statusText(f)]));
  const details = files.map((f) => [`${f.file}`, ...(f.sources.length ? ['  sources:', ...f.sources.map((s) => `    - ${s}`)] : ['  sources: (none recorded in the file)']), '  depends on it:', ...f.dependsOnIt.map((d) => `    - ${d}`)].join('\n'));
  return [table, ...details].join('\n\n');
}

function warnings(e: Estimate): string {
  return ['Warnings', ...e.warnings.map((w) => `- ${w.message}`)].join('\n');
}

export function renderEstimateTable(e: Estimate): string {
  const sections = [headline(e), coverage(e), spendByService(e), models(e), programs(e), plan(e)];
  sections.push(...levers(e));
  if (e.warnings.length > 0) sections.push(warnings(e));
  sections.push(dataAge(e));
  if (e.qualifiedFigures.length > 0) sections.push(qualifiedFigures(e));
  return sections.join('\n\n');
}

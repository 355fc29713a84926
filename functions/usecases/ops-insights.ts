/**
 * What operations read (issue 9): stuck and failed applications, the pipeline (an application's execution story is in
 * ./ops-story.ts: it alone reads Step Functions). None of it scans: lists come from the operations index (gsi2, by
 * status and age), the pipeline from the day counter items (one Query) and the partner directory (one Query).
 */
import type { ApplicationStatus } from '../../schemas/application.ts';
import { APPLICATION_STATUSES } from '../../schemas/statuses.ts';
import type { ApplicationRepository } from '../adapters/dynamo/applications.ts';
import { listByStatus } from '../adapters/dynamo/applications-lists.ts';
import { listPartners, type PartnerRepository } from '../adapters/dynamo/partners.ts';
import { type PipelineStats, readPipelineCounters } from '../adapters/dynamo/pipeline-stats.ts';
import { ValidationError } from '../core/errors.ts';
import { currentCounts, windowFigures } from '../core/operations/pipeline.ts';
import { failedItem, STUCK, stuckBefore, stuckItem, thresholdFor } from '../core/operations/stuck.ts';

export interface InsightDeps {
  readonly applications: ApplicationRepository;
  readonly partners: PartnerRepository;
  readonly stats: PipelineStats;
}

/** The statuses that have a threshold, in workflow order; a cursor is `<index of the status>.<index cursor>`. */
const STUCK_STATUSES = STUCK.thresholds.map((t) => t.status);

function decodeStuckCursor(cursor: string | undefined): { index: number; inner?: string } {
  if (!cursor) return { index: 0 };
  const m = /^(\d{1,2})\.(.*)$/.exec(cursor);
  if (!m || Number(m[1]) >= STUCK_STATUSES.length) {
    throw new ValidationError([{ field: 'query.cursor', rule: 'must be a nextCursor returned by the previous page of the same query' }]);
  }
  return { index: Number(m[1]), ...(m[2] ? { inner: m[2] } : {}) };
}

export async function stuckPage(deps: InsightDeps, opts: { status?: ApplicationStatus; limit: number; cursor?: string; now: Date }) {
  const statuses = opts.status ? [opts.status] : STUCK_STATUSES;
  if (opts.status && !thresholdFor(opts.status)) return { asOf: STUCK.asOf, items: [], nextCursor: null };
  let { index, inner } = opts.status ? { index: 0, inner: opts.cursor } : decodeStuckCursor(opts.cursor);
  const items = [];
  while (index < statuses.length && items.length < opts.limit) {
    const status = statuses[index]!;
    const threshold = thresholdFor(status)!;
    const page = await listByStatus(deps.applications, status, {
      limit: opts.limit - items.length, updatedBefore: stuckBefore(threshold, opts.now), ...(inner ? { cursor: inner } : {}),
    });
    // The row is what the index projects (status, update time, list summary with the latest reason and escalation).
    items.push(...page.items.map((row) => stuckItem(row, threshold, opts.now)));
    if (page.cursor) {
      inner = page.cursor;
      break;
    }
    index += 1;
    inner = undefined;
  }
  // Statuses left to read (the loop stopped on a full page): the next page carries on from this one.
  const more = index < statuses.length;
  const nextCursor = !more ? null : opts.status ? (inner ?? null) : `${index}.${inner ?? ''}`;
  return { asOf: STUCK.asOf, items, nextCursor };
}

export async function failedPage(deps: InsightDeps, opts: { limit: number; cursor?: string }) {
  const page = await listByStatus(deps.applications, 'failed', { limit: opts.limit, ...(opts.cursor ? { cursor: opts.cursor } : {}) });
  // One Query: the failure (state, error, cause, when, from which status) rides in the projected list summary.
  return {
    items: page.items.map(failedItem),
    nextCursor: page.cursor ?? null,
  };
}

/**
 * Two Queries over the counters (the rolled-up months, then the day items after them: current counts are every
 * status entered minus every status left, so all of it) and one over the partner directory. The window's figures
 * come from the same items: whole months where the window reaches into rolled-up ones (its `from` then moves back
 * to that month's first day, and the answer says so), days after them.
 */
export async function pipeline(deps: InsightDeps, opts: { days: number; now: Date }) {
  const to = opts.now.toISOString().slice(0, 10);
  const asked = new Date(opts.now.getTime() - (opts.days - 1) * 86_400_000).toISOString().slice(0, 10);
  const [counters, partners] = await Promise.all([readPipelineCounters(deps.stats), listPartners(deps.partners)]);
  // Only a window reaching into rolled days needs their months (whole); one after the last rolled day has its days.
  const reachesRolled = counters.lastRolledDay !== undefined && counters.lastRolledDay >= asked;
  const months = reachesRolled ? counters.months.filter((m) => m.month >= asked.slice(0, 7)) : [];
  const from = months[0] && `${months[0].month}-01` < asked ? `${months[0].month}-01` : asked;
  const inWindow = [...months.map((m) => m.counters), ...counters.days.filter((d) => d.day >= asked && d.day <= to).map((d) => d.counters)];
  const figures = windowFigures(inWindow, APPLICATION_STATUSES, partners.map((p) => ({
    id: p.id, name: p.name, load: Number(p.load ?? 0), capacity: Number(p.capacity ?? 0),
  })));
  const all = [...counters.months.map((m) => m.counters), ...counters.days.map((d) => d.counters)];
  return {
    asOf: opts.now.toISOString(),
    window: { days: opts.days, from, to },
    counts: currentCounts(all, APPLICATION_STATUSES),
    timeInStatus: figures.timeInStatus,
    conversion: figures.conversion,
    partners: figures.partners,
    redrives: figures.redrives,
    reads: { counterItems: counters.months.length + counters.days.length, monthItems: counters.months.length, dayItems: counters.days.length, partnerProfiles: partners.length },
  };
}

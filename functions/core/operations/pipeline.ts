/**
 * The pipeline's counters, as pure functions: what one transition adds to its day's counter item, and how day items
 * add up to counts, time in status (median, p90), conversion, dollars and per-partner figures.
 *
 * Exactly once under retries: a transition is counted by ONE conditional UpdateItem on its day's item that ADDs the
 * counters and the transition's key (`<applicationId>#v<version>`) to the item's `seen` set, on condition that the key
 * is not in it yet (functions/adapters/dynamo/pipeline-stats.ts). A retried or concurrent projection of the same
 * transition fails the condition and counts nothing; two different transitions on the same day both count (ADD is
 * atomic). The key is the transition's version, so it is the same however often it is projected.
 *
 * Time in a status is kept as a histogram (bucket upper bounds below), so median and p90 are "at most N hours":
 * exact enough to see what is slow, and an item stays small however many applications there are.
 */
import type { Application, ApplicationStatus, Transition } from '../../../schemas/application.ts';
import type { Estimate } from '../../../schemas/estimate.ts';
import { centsToUsd, usdAmountToCents } from '../cents.ts';
import { recordOf } from '../application/record-state.ts';

/** Upper bounds (hours) of the time-in-status histogram; the last bucket is open. */
export const DWELL_BUCKETS_HOURS = [1, 4, 12, 24, 48, 72, 120, 168, 336, 504, 720, 1440, 2160, 4320, 8760] as const;

export function bucketOf(hours: number): number {
  const i = DWELL_BUCKETS_HOURS.findIndex((b) => hours <= b);
  return i === -1 ? DWELL_BUCKETS_HOURS.length : i;
}

/** The counters one transition adds, and the day item they go to. */
export interface CounterDelta {
  /** UTC day of the transition, `yyyy-mm-dd`. */
  readonly day: string;
  /** Idempotency key: the same transition always yields the same key. */
  readonly key: string;
  readonly adds: Readonly<Record<string, number>>;
}

const STAGES_REACHED: Partial<Record<ApplicationStatus, string>> = {
  submitted: 'submitted',
  filed: 'filed',
  approved: 'approved',
  credits_applied: 'credits',
};

/** The partner whose review a transition out of `in_partner_review` ends. */
function reviewerOf(app: Application, t: Transition): string | undefined {
  if (t.actor.kind === 'partner') return t.actor.id;
  return app.passedOverBy?.at(-1) ?? app.partner?.partnerId;
}

export function counterDelta(app: Application, t: Transition): CounterDelta {
  const adds: Record<string, number> = {};
  const add = (k: string, n = 1): void => {
    adds[k] = (adds[k] ?? 0) + n;
  };
  const statusChanged = t.from !== t.to;
  if (statusChanged) {
    add(`in#${t.to}`);
    if (t.from) add(`out#${t.from}`);
  }
  const previous = app.transitions.filter((x) => x.version < t.version).sort((a, b) => b.version - a.version)[0];
  const dwellHours = previous && statusChanged ? Math.max(0, (Date.parse(t.at) - Date.parse(previous.at)) / 3_600_000) : undefined;
  if (t.from && dwellHours !== undefined) add(`h#${t.from}#${bucketOf(dwellHours)}`);

  // Conversion: the first time the application reaches each stage (its own earlier transitions tell).
  const stage = STAGES_REACHED[t.to];
  if (stage && statusChanged && !app.transitions.some((x) => x.version < t.version && x.to === t.to)) add(`conv#${stage}`);
  // Dollars asked: at the first sizing. Approved and applied: per record, when that record moves.
  if (t.to === 'sized' && !app.transitions.some((x) => x.version < t.version && x.to === 'sized')) {
    const total = (app.estimate as Estimate | undefined)?.plan?.totalAskUsd;
    if (total) add('usd#asked', Number(usdAmountToCents(total)));
  }
  if (t.record) {
    // Record moves by the status reached: the business metrics RecordsFiled, RecordsApproved, ... (businessMetricCounts).
    add(`rec#${t.record.to}`);
    const brief = (app.briefs ?? []).find((b) => b.programId === t.record!.programId);
    const record = brief ? recordOf(brief) : undefined;
    if (t.record.to === 'approved' && record?.award) add('usd#approved', Number(usdAmountToCents(record.award.amountUsd)));
    if (t.record.to === 'credits_applied' && record?.credits) add('usd#applied', Number(usdAmountToCents(record.credits.amountUsd)));
  }
  // A partner's review ends when the application leaves in_partner_review (approved, changes, declined, lapsed, reassigned).
  if (t.from === 'in_partner_review' && statusChanged) {
    const partnerId = reviewerOf(app, t);
    if (partnerId) {
      add(`p#${partnerId}#reviews`);
      if (t.to === 'approved_for_filing') add(`p#${partnerId}#approved`);
      if (dwellHours !== undefined) add(`p#${partnerId}#h#${bucketOf(dwellHours)}`);
    }
  }
  if (t.actor.kind === 'ops' && t.from === 'failed') add('ops#redrives');
  return { day: t.at.slice(0, 10), key: `${app.id}#v${t.version}`, adds };
}

// ---- reading ----

export type CounterItem = Readonly<Record<string, number>>;

export interface Quantiles {
  samples: number;
  medianHours: number | null;
  p90Hours: number | null;
}

/** Median and p90 from a histogram: the upper bound of the bucket the quantile falls in (null past the last bound). */
export function quantilesOf(histogram: readonly number[]): Quantiles {
  const samples = histogram.reduce((a, b) => a + b, 0);
  const at = (q: number): number | null => {
    if (samples === 0) return null;
    const rank = Math.ceil(q * samples);
    let seen = 0;
    for (let i = 0; i < histogram.length; i += 1) {
      seen += histogram[i] ?? 0;
      if (seen >= rank) return DWELL_BUCKETS_HOURS[i] ?? null;
    }
    return null;
  };
  return { samples, medianHours: at(0.5), p90Hours: at(0.9) };
}

function sumItems(items: readonly CounterItem[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const item of items) for (const [k, v] of Object.entries(item)) if (typeof v === 'number') total[k] = (total[k] ?? 0) + v;
  return total;
}

function histogram(total: Record<string, number>, prefix: string): number[] {
  return Array.from({ length: DWELL_BUCKETS_HOURS.length + 1 }, (_, i) => total[`${prefix}#${i}`] ?? 0);
}

/** Applications in each status now: every status entered minus every status left, over all days. */
export function currentCounts(allDays: readonly CounterItem[], statuses: readonly string[]): Record<string, number> {
  const total = sumItems(allDays);
  return Object.fromEntries(statuses.map((s) => [s, Math.max(0, (total[`in#${s}`] ?? 0) - (total[`out#${s}`] ?? 0))]));
}

export interface PartnerLoad {
  readonly id: string;
  readonly name: string;
  readonly load: number;
  readonly capacity: number;
}

/** Time in status, conversion, dollars and partner figures over the window's day items. */
export function windowFigures(windowDays: readonly CounterItem[], statuses: readonly string[], partners: readonly PartnerLoad[]) {
  const total = sumItems(windowDays);
  const timeInStatus = Object.fromEntries(statuses.map((s) => [s, quantilesOf(histogram(total, `h#${s}`))]).filter(([, q]) => (q as Quantiles).samples > 0));
  const cents = (k: string): string => centsToUsd(BigInt(Math.round(total[k] ?? 0)));
  return {
    timeInStatus: timeInStatus as Record<string, Quantiles>,
    conversion: {
      submitted: total['conv#submitted'] ?? 0,
      filed: total['conv#filed'] ?? 0,
      approved: total['conv#approved'] ?? 0,
      creditsApplied: total['conv#credits'] ?? 0,
      askedUsd: cents('usd#asked'),
      approvedUsd: cents('usd#approved'),
      appliedUsd: cents('usd#applied'),
    },
    partners: partners.map((p) => {
      const reviews = total[`p#${p.id}#reviews`] ?? 0;
      const approved = total[`p#${p.id}#approved`] ?? 0;
      return {
        partnerId: p.id, name: p.name, load: p.load, capacity: p.capacity, reviews, approved,
        approvalRate: reviews ? Math.round((approved / reviews) * 1000) / 1000 : null,
        reviewTime: quantilesOf(histogram(total, `p#${p.id}#h`)),
      };
    }),
    redrives: total['ops#redrives'] ?? 0,
  };
}

/**
 * The business metrics (CloudWatch, through Powertools Metrics; on the dashboard, lib/constructs/observability.ts),
 * read off the counters: each counted transition adds to them exactly once, like the counters themselves. The OpsSweep
 * emits what they grew by since it last emitted them (functions/adapters/dynamo/pipeline-stats.ts
 * `claimBusinessMetrics`), so the functions that make transitions do not carry the Metrics library.
 */
export const BUSINESS_METRICS = ['ApplicationsSubmitted', 'ApplicationsRouted', 'RecordsFiled', 'RecordsApproved', 'RecordsRejected', 'CreditsApplied', 'CreditsAppliedUsd', 'Redrives'] as const;
export type BusinessMetric = (typeof BUSINESS_METRICS)[number];

/** Which counter each metric is, and its unit (`CreditsAppliedUsd` is counted in cents and emitted in dollars). */
const METRIC_COUNTERS: Readonly<Record<BusinessMetric, { counter: string; unit: 'Count' | 'None'; scale: number }>> = {
  ApplicationsSubmitted: { counter: 'conv#submitted', unit: 'Count', scale: 1 },
  ApplicationsRouted: { counter: 'in#routed', unit: 'Count', scale: 1 },
  RecordsFiled: { counter: 'rec#filed', unit: 'Count', scale: 1 },
  RecordsApproved: { counter: 'rec#approved', unit: 'Count', scale: 1 },
  RecordsRejected: { counter: 'rec#rejected', unit: 'Count', scale: 1 },
  CreditsApplied: { counter: 'rec#credits_applied', unit: 'Count', scale: 1 },
  CreditsAppliedUsd: { counter: 'usd#applied', unit: 'None', scale: 100 },
  Redrives: { counter: 'ops#redrives', unit: 'Count', scale: 1 },
};

/** The business metrics' counts in one counter item, in counter units (cents for `CreditsAppliedUsd`). */
export function businessMetricCounts(counters: CounterItem): Record<BusinessMetric, number> {
  return Object.fromEntries(BUSINESS_METRICS.map((m) => [m, counters[METRIC_COUNTERS[m].counter] ?? 0])) as Record<BusinessMetric, number>;
}

/** What to emit for counts that grew from `emitted` to `now` (counter units in, metric values out; nothing for no growth). */
export function businessMetricsGrowth(now: Readonly<Partial<Record<BusinessMetric, number>>>, emitted: Readonly<Partial<Record<BusinessMetric, number>>>): { name: BusinessMetric; value: number; unit: 'Count' | 'None' }[] {
  const out: { name: BusinessMetric; value: number; unit: 'Count' | 'None' }[] = [];
  for (const name of BUSINESS_METRICS) {
    const grown = (now[name] ?? 0) - (emitted[name] ?? 0);
    if (grown > 0) out.push({ name, value: grown / METRIC_COUNTERS[name].scale, unit: METRIC_COUNTERS[name].unit });
  }
  return out;
}

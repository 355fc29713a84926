// The pipeline's counters (functions/core/operations/pipeline.ts) as pure functions: what one transition adds to its
// day's item (exact keys and amounts), and how day items add up to counts, time in status, conversion, dollars,
// partner figures and the business metrics. Expected values are worked out by hand from each test's own data.
import { describe, expect, it } from 'vitest';
import type { Application, Transition } from '../../schemas/application.ts';
import {
  BUSINESS_METRICS, DWELL_BUCKETS_HOURS, bucketOf, businessMetricCounts, businessMetricsGrowth, counterDelta, currentCounts, quantilesOf,
  windowFigures, type CounterItem,
} from '../../functions/core/operations/pipeline.ts';

const HOUR = 3_600_000;
const at = (base: string, hours: number): string => new Date(Date.parse(base) + hours * HOUR).toISOString();

function tr(version: number, when: string, from: Transition['from'], to: Transition['to'], extra: Partial<Transition> = {}): Transition {
  return { at: when, actor: { kind: 'system', id: 'workflow' }, from, to, reason: 'test', version, ...extra };
}

function appWith(transitions: Transition[], extra: Record<string, unknown> = {}): Application {
  return { id: 'app-7', transitions, ...extra } as unknown as Application;
}

describe('bucketOf', () => {
  it('puts hours in the first bucket whose upper bound they do not exceed, and past the last bound in the open bucket', () => {
    expect(DWELL_BUCKETS_HOURS).toHaveLength(15);
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(1)).toBe(0);
    expect(bucketOf(1.01)).toBe(1);
    expect(bucketOf(4)).toBe(1);
    expect(bucketOf(30)).toBe(4);
    expect(bucketOf(8760)).toBe(14);
    expect(bucketOf(8760.5)).toBe(15);
  });
});

describe('counterDelta', () => {
  it('counts a first transition as entering its status and reaching its stage, with the day and the idempotency key', () => {
    const t = tr(1, '2026-12-02T09:00:00.000Z', null, 'submitted');
    // The estimate's dollars are counted at sizing, not at any other first transition.
    expect(counterDelta(appWith([t], { estimate: { plan: { totalAskUsd: '50' } } }), t)).toEqual({ day: '2026-12-02', key: 'app-7#v1', adds: { 'in#submitted': 1, 'conv#submitted': 1 } });
  });

  it('counts a status change as in/out, the time spent in the status left, and the dollars asked at the first sizing', () => {
    const t0 = '2026-12-02T09:00:00.000Z';
    const t1 = tr(1, t0, null, 'submitted');
    const t2 = tr(2, at(t0, 5), 'submitted', 'sized');
    const app = appWith([t1, t2], { estimate: { plan: { totalAskUsd: '1234.5' } } });
    // 5 hours: above 4, at most 12 → bucket 2.
    expect(counterDelta(app, t2)).toEqual({
      day: '2026-12-02', key: 'app-7#v2', adds: { 'in#sized': 1, 'out#submitted': 1, 'h#submitted#2': 1, 'usd#asked': 123450 },
    });
  });

  it('measures the time in status from the latest earlier transition, not the first one nor a later one', () => {
    const t0 = '2026-12-01T00:00:00.000Z';
    const ts = [tr(1, t0, null, 'submitted'), tr(2, at(t0, 10), 'submitted', 'sized'), tr(3, at(t0, 11), 'sized', 'drafted'), tr(4, at(t0, 400), 'drafted', 'routed')];
    // From v2 (10 h) to v3 (11 h): 1 hour → bucket 0 (from v1 it would be 11 h → bucket 2; v4 comes after).
    expect(counterDelta(appWith([ts[2]!, ts[0]!, ts[3]!, ts[1]!]), ts[2]!).adds).toEqual({ 'in#drafted': 1, 'out#sized': 1, 'h#sized#0': 1 });
  });

  it('counts a stage and the dollars asked only the first time the application reaches them', () => {
    const t0 = '2026-12-01T00:00:00.000Z';
    const ts = [
      tr(1, t0, null, 'submitted'), tr(2, at(t0, 1), 'submitted', 'sized'), tr(3, at(t0, 2), 'sized', 'failed'),
      tr(4, at(t0, 3), 'failed', 'submitted'), tr(5, at(t0, 4), 'submitted', 'sized'),
    ];
    const app = appWith(ts, { estimate: { plan: { totalAskUsd: '900' } } });
    expect(counterDelta(app, ts[3]!).adds).toEqual({ 'in#submitted': 1, 'out#failed': 1, 'h#failed#0': 1 });
    expect(counterDelta(app, ts[4]!).adds).toEqual({ 'in#sized': 1, 'out#submitted': 1, 'h#submitted#0': 1 });
  });

  it('adds no dollars asked when the estimate has no total', () => {
    const t = tr(2, '2026-12-01T01:00:00.000Z', 'submitted', 'sized');
    expect(counterDelta(appWith([t]), t).adds).toEqual({ 'in#sized': 1, 'out#submitted': 1 });
  });

  it('counts a record move by the status it reaches, with the approved and applied dollars of that record', () => {
    const briefs = [
      { programId: 'other', body: {}, problems: [], record: { status: 'approved', award: { amountUsd: '1.00', expiresOn: '2027-12-01' } } },
      {
        programId: 'gen-ai', body: {}, problems: [],
        record: { status: 'credits_applied', award: { amountUsd: '5000.25', expiresOn: '2027-12-01' }, credits: { amountUsd: '4000.5', appliedOn: '2026-12-05', expiresOn: '2027-12-01' } },
      },
    ];
    const approved = tr(8, '2026-12-04T10:00:00.000Z', 'in_aws_review', 'in_aws_review', { record: { programId: 'gen-ai', from: 'in_aws_review', to: 'approved' } });
    const applied = tr(9, '2026-12-05T10:00:00.000Z', 'approved', 'credits_applied', { record: { programId: 'gen-ai', from: 'approved', to: 'credits_applied' } });
    const filed = tr(7, '2026-12-03T10:00:00.000Z', 'filed', 'filed', { record: { programId: 'gen-ai', from: 'approved_for_filing', to: 'filed' } });
    const app = appWith([filed, approved, applied], { briefs });
    expect(counterDelta(app, approved)).toEqual({ day: '2026-12-04', key: 'app-7#v8', adds: { 'rec#approved': 1, 'usd#approved': 500025 } });
    expect(counterDelta(app, filed).adds).toEqual({ 'rec#filed': 1 });
    // 24 hours after the previous transition (v8) → bucket 3.
    expect(counterDelta(app, applied).adds).toEqual({
      'in#credits_applied': 1, 'out#approved': 1, 'h#approved#3': 1, 'conv#credits': 1, 'rec#credits_applied': 1, 'usd#applied': 400050,
    });
  });

  it('adds no dollars for a record move whose brief is missing or has no award', () => {
    const t = tr(3, '2026-12-04T10:00:00.000Z', 'filed', 'filed', { record: { programId: 'gen-ai', from: 'in_aws_review', to: 'approved' } });
    expect(counterDelta(appWith([t]), t).adds).toEqual({ 'rec#approved': 1 });
    expect(counterDelta(appWith([t], { briefs: [{ programId: 'gen-ai', body: {}, problems: [] }] }), t).adds).toEqual({ 'rec#approved': 1 });
    const applied = tr(3, '2026-12-04T10:00:00.000Z', 'credits_applied', 'credits_applied', { record: { programId: 'gen-ai', from: 'approved', to: 'credits_applied' } });
    expect(counterDelta(appWith([applied]), applied).adds).toEqual({ 'rec#credits_applied': 1 });
    expect(counterDelta(appWith([applied], { briefs: [{ programId: 'gen-ai', body: {}, problems: [], record: { status: 'approved' } }] }), applied).adds).toEqual({ 'rec#credits_applied': 1 });
  });

  it("ends the reviewing partner's review when the application leaves in_partner_review: the partner who acted", () => {
    const t0 = '2026-12-02T00:00:00.000Z';
    const entered = tr(4, t0, 'routed', 'in_partner_review');
    const approved = tr(5, at(t0, 30), 'in_partner_review', 'approved_for_filing', { actor: { kind: 'partner', id: 'p-1' } });
    const app = appWith([entered, approved], { partner: { partnerId: 'p-other', partnerName: 'Other', assignedAt: t0, reasons: [] } });
    // 30 hours → bucket 4 (at most 48).
    expect(counterDelta(app, approved).adds).toEqual({
      'in#approved_for_filing': 1, 'out#in_partner_review': 1, 'h#in_partner_review#4': 1, 'p#p-1#reviews': 1, 'p#p-1#approved': 1, 'p#p-1#h#4': 1,
    });
  });

  it('credits a lapsed review to the partner last passed over, else to the assigned partner, and counts no approval', () => {
    const t0 = '2026-12-02T00:00:00.000Z';
    const entered = tr(4, t0, 'routed', 'in_partner_review');
    const lapsed = tr(5, at(t0, 100), 'in_partner_review', 'routed');
    const partner = { partnerId: 'p-2', partnerName: 'Two', assignedAt: t0, reasons: [] };
    // 100 hours → bucket 6 (at most 120).
    const common = { 'in#routed': 1, 'out#in_partner_review': 1, 'h#in_partner_review#6': 1 };
    expect(counterDelta(appWith([entered, lapsed], { partner, passedOverBy: ['p-0', 'p-5', 'p-9'] }), lapsed).adds).toEqual({ ...common, 'p#p-9#reviews': 1, 'p#p-9#h#6': 1 });
    expect(counterDelta(appWith([entered, lapsed], { partner }), lapsed).adds).toEqual({ ...common, 'p#p-2#reviews': 1, 'p#p-2#h#6': 1 });
    expect(counterDelta(appWith([entered, lapsed]), lapsed).adds).toEqual(common);
    // Entering the review (or any move not out of in_partner_review) ends no review.
    expect(counterDelta(appWith([entered, lapsed], { partner }), entered).adds).toEqual({ 'in#in_partner_review': 1, 'out#routed': 1 });
  });

  it('counts a review without a time when there is no earlier transition, and nothing for a partner when the status stays', () => {
    const first = tr(5, '2026-12-02T00:00:00.000Z', 'in_partner_review', 'changes_requested', { actor: { kind: 'partner', id: 'p-3' } });
    expect(counterDelta(appWith([first]), first).adds).toEqual({ 'in#changes_requested': 1, 'out#in_partner_review': 1, 'p#p-3#reviews': 1 });
    const same = tr(6, '2026-12-03T00:00:00.000Z', 'in_partner_review', 'in_partner_review', { actor: { kind: 'partner', id: 'p-3' } });
    expect(counterDelta(appWith([first, same]), same).adds).toEqual({});
  });

  it('counts a redrive only when operations move the application out of failed', () => {
    const t0 = '2026-12-02T00:00:00.000Z';
    const failed = tr(3, t0, 'sized', 'failed');
    const redrive = tr(4, at(t0, 0.5), 'failed', 'sized', { actor: { kind: 'ops', id: 'ops-user' } });
    expect(counterDelta(appWith([failed, redrive]), redrive).adds).toEqual({ 'in#sized': 1, 'out#failed': 1, 'h#failed#0': 1, 'ops#redrives': 1 });
    const bySystem = tr(4, at(t0, 0.5), 'failed', 'sized');
    expect(counterDelta(appWith([failed, bySystem]), bySystem).adds).not.toHaveProperty('ops#redrives');
    const opsElsewhere = tr(4, at(t0, 0.5), 'failed', 'withdrawn', { actor: { kind: 'ops', id: 'ops-user' } });
    const opsNotFailed = tr(5, at(t0, 1), 'withdrawn', 'sized', { actor: { kind: 'ops', id: 'ops-user' } });
    expect(counterDelta(appWith([failed, opsElsewhere, opsNotFailed]), opsNotFailed).adds).not.toHaveProperty('ops#redrives');
  });
});

describe('quantilesOf', () => {
  it('has no quantiles without samples', () => {
    expect(quantilesOf([])).toEqual({ samples: 0, medianHours: null, p90Hours: null });
    expect(quantilesOf([0, 0, 0])).toEqual({ samples: 0, medianHours: null, p90Hours: null });
  });

  it("gives the upper bound of the bucket each quantile's rank falls in", () => {
    // 3 samples, one in each of buckets 0, 1, 2: the median is the 2nd (ceil 1.5) → ≤ 4 h; p90 the 3rd (ceil 2.7) → ≤ 12 h.
    expect(quantilesOf([1, 1, 1])).toEqual({ samples: 3, medianHours: 4, p90Hours: 12 });
    // 10 samples: median is the 5th → bucket 0; p90 the 9th → bucket 3 (≤ 24 h).
    expect(quantilesOf([5, 0, 0, 5])).toEqual({ samples: 10, medianHours: 1, p90Hours: 24 });
  });

  it('gives null for a quantile in the open bucket past the last bound', () => {
    const histogram = Array.from({ length: 16 }, (_, i) => (i === 0 || i === 15 ? 1 : 0));
    expect(quantilesOf(histogram)).toEqual({ samples: 2, medianHours: 1, p90Hours: null });
  });
});

describe('currentCounts', () => {
  it('counts every status entered minus every status left over all days, never below zero, for each status asked', () => {
    const days: CounterItem[] = [{ 'in#routed': 2, 'out#routed': 1, 'in#sized': 1 }, { 'in#routed': 1, 'in#failed': 1, 'out#failed': 3, 'h#routed#0': 4 }];
    expect(currentCounts(days, ['routed', 'sized', 'failed', 'filed'])).toEqual({ routed: 2, sized: 1, failed: 0, filed: 0 });
  });

  it('ignores fields that are not numbers', () => {
    const days = [{ 'in#routed': 2 }, { 'in#routed': '5', 'out#routed': 1 } as unknown as CounterItem];
    expect(currentCounts(days, ['routed'])).toEqual({ routed: 1 });
  });
});

describe('windowFigures', () => {
  it('adds up time in status, conversion, dollars, partner figures and redrives over the window', () => {
    const days: CounterItem[] = [
      { 'h#routed#0': 1, 'h#routed#2': 1, 'conv#submitted': 3, 'conv#filed': 1, 'usd#asked': 123450, 'p#p-1#reviews': 2, 'p#p-1#approved': 1, 'p#p-1#h#1': 2 },
      { 'conv#submitted': 1, 'conv#approved': 2, 'conv#credits': 1, 'usd#approved': 99, 'usd#applied': 100000, 'p#p-1#reviews': 1, 'ops#redrives': 2, 'h#sized#15': 1 },
    ];
    const partners = [{ id: 'p-1', name: 'One', load: 3, capacity: 5 }, { id: 'p-2', name: 'Two', load: 0, capacity: 2 }];
    expect(windowFigures(days, ['routed', 'sized', 'filed'], partners)).toEqual({
      timeInStatus: { routed: { samples: 2, medianHours: 1, p90Hours: 12 }, sized: { samples: 1, medianHours: null, p90Hours: null } },
      conversion: { submitted: 4, filed: 1, approved: 2, creditsApplied: 1, askedUsd: '1234.50', approvedUsd: '0.99', appliedUsd: '1000.00' },
      partners: [
        { partnerId: 'p-1', name: 'One', load: 3, capacity: 5, reviews: 3, approved: 1, approvalRate: 0.333, reviewTime: { samples: 2, medianHours: 4, p90Hours: 4 } },
        { partnerId: 'p-2', name: 'Two', load: 0, capacity: 2, reviews: 0, approved: 0, approvalRate: null, reviewTime: { samples: 0, medianHours: null, p90Hours: null } },
      ],
      redrives: 2,
    });
  });

  it('is all zeros for an empty window', () => {
    expect(windowFigures([], ['routed'], [])).toEqual({
      timeInStatus: {},
      conversion: { submitted: 0, filed: 0, approved: 0, creditsApplied: 0, askedUsd: '0.00', approvedUsd: '0.00', appliedUsd: '0.00' },
      partners: [],
      redrives: 0,
    });
  });
});

describe('business metrics', () => {
  it('reads each metric off its counter, zero when absent', () => {
    const counters: CounterItem = {
      'conv#submitted': 1, 'in#routed': 2, 'rec#filed': 3, 'rec#approved': 4, 'rec#rejected': 5, 'rec#credits_applied': 6, 'usd#applied': 700, 'ops#redrives': 8, 'in#sized': 9,
    };
    expect(businessMetricCounts(counters)).toEqual({
      ApplicationsSubmitted: 1, ApplicationsRouted: 2, RecordsFiled: 3, RecordsApproved: 4, RecordsRejected: 5, CreditsApplied: 6, CreditsAppliedUsd: 700, Redrives: 8,
    });
    expect(businessMetricCounts({})).toEqual(Object.fromEntries(BUSINESS_METRICS.map((m) => [m, 0])));
  });

  it('emits what grew, in metric units (dollars for CreditsAppliedUsd), in the metrics order, and nothing for no growth', () => {
    const now = { Redrives: 1, CreditsAppliedUsd: 150050, RecordsFiled: 5, RecordsRejected: 2, ApplicationsSubmitted: 1 };
    const emitted = { Redrives: 1, CreditsAppliedUsd: 50, RecordsFiled: 3, RecordsRejected: 4 };
    expect(businessMetricsGrowth(now, emitted)).toEqual([
      { name: 'ApplicationsSubmitted', value: 1, unit: 'Count' },
      { name: 'RecordsFiled', value: 2, unit: 'Count' },
      { name: 'CreditsAppliedUsd', value: 1500, unit: 'None' },
    ]);
    expect(businessMetricsGrowth({}, {})).toEqual([]);
  });
});

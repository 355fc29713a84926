/**
 * What one GET /ops/pipeline reads at 100K applications (README "Operations"), computed from real counter items built
 * in memory with the production code (counterDelta): a day of ~2,700 transitions (~275 applications a day, 10
 * transitions each, spread over 20 partners and realistic time in status), the day item (counters + `seen` keys) and a
 * month item (30 such days rolled up: counters and the rolled days, no `seen`), sized as DynamoDB counts them. Then the
 * read over a year of history, before (every day item) and after the roll-up (12 months + the days not rolled yet: at
 * most 4, the day itself, two days' grace and the hour until the next sweep).
 */
import { counterDelta } from '../functions/core/operations/pipeline.ts';
import { newApplication, newFounderToken } from '../functions/core/intake.ts';
import type { Application, ApplicationStatus, Transition } from '../schemas/application.ts';
import { exampleWorksheet } from '../test/support/fixtures.ts';
import { itemSize } from '../test/support/item-size.ts';

const PATH: ApplicationStatus[] = ['sized', 'drafted', 'routed', 'in_partner_review', 'approved_for_filing', 'filed', 'in_aws_review', 'approved', 'credits_applied'];
const HOURS = [0.01, 0.02, 0.5, 0.1, 30, 60, 24, 300, 200];

export interface PipelineItemRow { what: string; items: number; kb: number; readUnits: number }

export function measurePipelineItems(perDay = Number(process.env.BENCH_PIPELINE_APPS_PER_DAY ?? 275), partners = 20): PipelineItemRow[] {
  const worksheet = exampleWorksheet();
  const day: Record<string, number> = {};
  const seen = new Set<string>();
  const start = Date.parse('2026-11-01T00:00:00Z');
  for (let i = 0; i < perDay; i += 1) {
    let app: Application = newApplication({ id: `app_${(0x10000000 + i).toString(16).padStart(24, '0')}`, worksheet, tokenHash: newFounderToken().hash, now: new Date(start) });
    app = { ...app, partner: { partnerId: `p-partner-${i % partners}`, partnerName: 'P', assignedAt: app.createdAt, reasons: [] } };
    let at = start;
    for (const [k, to] of PATH.entries()) {
      at += HOURS[k]! * 3_600_000 * (0.5 + (i % 7) / 6);
      const t: Transition = { at: new Date(at).toISOString(), actor: { kind: to === 'approved_for_filing' ? 'partner' : 'system', id: 'x' }, from: app.status, to, reason: to, version: app.version + 1 };
      app = { ...app, status: to, version: t.version, transitions: [...app.transitions, t] };
    }
    // Every transition counted as if on one day (the day item's worst case for this volume).
    for (const t of app.transitions) {
      const delta = counterDelta(app, t);
      for (const [k, v] of Object.entries(delta.adds)) day[k] = (day[k] ?? 0) + v;
      seen.add(delta.key);
    }
  }
  const dayItem = { pk: 'STATS', sk: 'DAY#2026-11-01', ...day, seen };
  const month: Record<string, number> = Object.fromEntries(Object.entries(day).map(([k, v]) => [k, v * 30]));
  const rolledDays = new Set(Array.from({ length: 30 }, (_, i) => `2026-11-${String(i + 1).padStart(2, '0')}`));
  const monthItem = { pk: 'STATS', sk: 'MONTH#2026-11', ...month, rolledDays, lateSeen: new Set(['app_00000000000000000000000#v1']) };
  const dayBytes = itemSize(dayItem);
  const monthBytes = itemSize(monthItem);
  // A Query rounds the sum of what it returns up to 4 KB; eventually consistent halves it.
  const ru = (bytes: number) => Math.ceil(bytes / 4096) / 2;
  const rows: PipelineItemRow[] = [
    { what: `one day item (${seen.size} transitions)`, items: 1, kb: dayBytes / 1024, readUnits: ru(dayBytes) },
    { what: 'one month item (30 such days rolled up, no seen set)', items: 1, kb: monthBytes / 1024, readUnits: ru(monthBytes) },
    { what: 'GET /ops/pipeline after a year, before the roll-up (365 days)', items: 365, kb: (365 * dayBytes) / 1024, readUnits: ru(365 * dayBytes) },
    { what: 'GET /ops/pipeline after a year, with the roll-up (12 months + 4 days at most)', items: 16, kb: (12 * monthBytes + 4 * dayBytes) / 1024, readUnits: ru(12 * monthBytes) + ru(4 * dayBytes) },
  ];
  return rows.map((r) => ({ ...r, kb: Math.round(r.kb * 10) / 10 }));
}

export function printPipelineItems(rows: PipelineItemRow[]): void {
  console.log('\n== Pipeline counter items at ~100K applications a year (item sizes as DynamoDB counts them) ==');
  console.table(rows.map((r) => ({ what: r.what, items: r.items, KB: r.kb, 'read units (eventually consistent)': r.readUnits })));
}

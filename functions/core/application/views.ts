/** What each audience may see of an application. Hashes, task tokens and internal bookkeeping never leave. */
import type { Application, RecordState, StoredBrief } from '../../../schemas/application.ts';
import type {
  DuplicateView, FounderApplicationView, OpsApplicationDetail, OpsApplicationItem, PartnerApplicationView, PartnerBriefView, PartnerQueueItem, RecordView,
} from '../../../schemas/api.ts';
import { centsToUsd, usdToCents } from '../money.ts';
import { recordOf } from './records.ts';
import { etagOf } from './etag.ts';
import { cleanFailureCause } from '../failure-cause.ts';

export function recordView(record: RecordState): RecordView {
  return {
    status: record.status,
    opportunityId: record.opportunityId ?? null,
    filedAt: record.filedAt ?? null,
    awsReview: record.awsReview ?? null,
    award: record.award ?? null,
    credits: record.credits ?? null,
  };
}

function timeline(app: Application) {
  return app.transitions.map((t) => ({
    at: t.at, from: t.from, to: t.to, by: t.actor.kind, reason: t.reason,
    ...(t.record ? { record: t.record } : {}),
  }));
}

/** Credits AWS granted (approved awards) and applied, summed over the records, in USD. */
export function creditsSummary(app: Application): { awardedUsd: string; appliedUsd: string } {
  let awarded = 0n;
  let applied = 0n;
  for (const b of app.briefs ?? []) {
    const r = recordOf(b);
    if (r.award && r.status !== 'rejected') awarded += usdToCents(r.award.amountUsd);
    if (r.credits) applied += usdToCents(r.credits.amountUsd);
  }
  return { awardedUsd: centsToUsd(awarded), appliedUsd: centsToUsd(applied) };
}

/** The latest change request, shown to the founder while it is open. */
function openChangeRequest(app: Application): { at: string; message: string } | null {
  if (app.status !== 'changes_requested') return null;
  const t = [...app.transitions].reverse().find((x) => x.to === 'changes_requested');
  return t ? { at: t.at, message: t.reason } : null;
}

export function founderView(app: Application): FounderApplicationView {
  const estimate = app.estimate as { programs?: unknown; plan?: unknown } | undefined;
  return {
    id: app.id,
    status: app.status,
    createdAt: app.createdAt,
    updatedAt: app.updatedAt,
    company: app.worksheet.company.name,
    estimate: app.estimate ?? null,
    programs: estimate?.programs ?? null,
    briefs: (app.briefs ?? []).map((b) => ({
      programId: b.programId,
      createOpportunity: b.body,
      validation: { valid: b.problems.length === 0, problems: b.problems },
      record: recordView(recordOf(b)),
    })),
    credits: creditsSummary(app),
    changeRequest: openChangeRequest(app),
    partner: app.partner ? { id: app.partner.partnerId, name: app.partner.partnerName, assignedAt: app.partner.assignedAt, reasons: app.partner.reasons } : null,
    failure: app.failure ? { at: app.failure.at, state: app.failure.state, error: app.failure.error } : null,
    timeline: timeline(app),
  };
}

export function partnerBriefView(app: Application, brief: StoredBrief): PartnerBriefView {
  const base = `/partner/applications/${app.id}/briefs/${encodeURIComponent(brief.programId)}`;
  return {
    programId: brief.programId,
    etag: etagOf(brief),
    revision: brief.revision ?? 1,
    createOpportunity: brief.body,
    validation: { valid: brief.problems.length === 0, problems: brief.problems },
    record: recordView(recordOf(brief)),
    editedAt: brief.editedAt ?? null,
    // The brief is read as part of its application; its own URL takes PATCH (with If-Match) only.
    links: { application: `/partner/applications/${app.id}`, edit: base, createOpportunity: `${base}/create-opportunity` },
  };
}

export function partnerView(app: Application, duplicates: DuplicateView[]): PartnerApplicationView {
  return {
    id: app.id,
    status: app.status,
    version: app.version,
    createdAt: app.createdAt,
    updatedAt: app.updatedAt,
    assignedAt: app.partner?.assignedAt ?? null,
    worksheet: app.worksheet,
    estimate: app.estimate ?? null,
    briefs: (app.briefs ?? []).map((b) => partnerBriefView(app, b)),
    credits: creditsSummary(app),
    duplicates,
    timeline: timeline(app),
  };
}

export function partnerQueueItem(app: Application): PartnerQueueItem {
  return {
    id: app.id,
    status: app.status,
    company: app.worksheet.company.name,
    createdAt: app.createdAt,
    updatedAt: app.updatedAt,
    records: (app.briefs ?? []).map((b) => ({ programId: b.programId, status: recordOf(b).status })),
    links: { application: `/partner/applications/${app.id}` },
  };
}

/** The operations view: where an application is, for how long, and why (including the cause of a failure). */
export function opsApplicationItem(app: Application, now: Date): OpsApplicationItem {
  return {
    id: app.id,
    status: app.status,
    company: app.worksheet.company.name,
    updatedAt: app.updatedAt,
    hoursInStatus: Math.max(0, Math.round(((now.getTime() - Date.parse(app.updatedAt)) / 3_600_000) * 10) / 10),
    lastReason: app.transitions.at(-1)?.reason ?? '',
    partnerId: app.partner?.partnerId ?? null,
    failure: app.failure ? { state: app.failure.state, error: app.failure.error, cause: cleanFailureCause(app.failure.cause) } : null,
    executionArn: app.executionArn ?? null,
  };
}

export function opsApplicationDetail(app: Application, now: Date): OpsApplicationDetail {
  return {
    ...opsApplicationItem(app, now),
    records: (app.briefs ?? []).map((b) => ({ programId: b.programId, status: recordOf(b).status, opportunityId: recordOf(b).opportunityId ?? null })),
    passedOverBy: app.passedOverBy ?? [],
    timeline: timeline(app),
  };
}

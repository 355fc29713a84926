/** What each audience may see of an application. Hashes, task tokens and internal bookkeeping never leave. */
import { addressConfirmed, awaitingAddressConfirmation } from '../core/address-confirmation.ts';
import type { Application, FundingStatus, RecordState, StoredBrief } from '../../schemas/application.ts';
import type { ApplicationListItem } from '../../schemas/stored-application.ts';
import type { CommandResult } from '../usecases/run-command.ts';
import { listSummaryOf } from '../core/application/list-summary.ts';
import type {
  DecisionResponse, DuplicateView, FounderApplicationView, OpsApplicationDetail, OpsApplicationItem, PartnerApplicationView, PartnerBriefView, PartnerQueueItem, RecordView,
} from '../../schemas/api.ts';
import { centsToUsd, usdAmountToCents } from '../core/cents.ts';
import { recordOf } from '../core/application/record-state.ts';
import { etagOf } from '../core/application/etag.ts';
import { estimateDataAt } from '../core/data-age.ts';
import { cleanFailureCause } from '../core/failure-cause.ts';

export function recordView(record: RecordState): RecordView {
  return {
    status: record.status,
    opportunityId: record.opportunityId ?? null,
    filedAt: record.filedAt ?? null,
    awsReview: record.awsReview ?? null,
    award: record.award ?? null,
    credits: record.credits ?? null,
    funding: record.funding ? {
      status: record.funding.status,
      says: FUNDING_SAYS[record.funding.status],
      benefitApplicationId: record.funding.benefitApplicationId ?? null,
      allocation: record.funding.allocation ? { amountUsd: record.funding.allocation.amountUsd, startsAt: record.funding.allocation.startsAt, expiresAt: record.funding.allocation.expiresAt } : null,
    } : null,
  };
}

/** The funding request's status in the founder's words. */
const FUNDING_SAYS: Record<FundingStatus, string> = {
  drafted: 'AWS approved the opportunity; your partner is preparing the credit request',
  created: 'your partner is sending the credit request to AWS',
  submitted: 'the credit request is with AWS',
  in_review: 'AWS is reviewing the credit request',
  action_required: 'AWS asked your partner for changes to the credit request',
  approved: 'AWS approved the credit request; the credits follow',
  allocated: 'credits allocated to your account',
  rejected: 'AWS declined the credit request',
};

function timeline(app: Application) {
  return app.transitions.map((t) => ({
    at: t.at, from: t.from, to: t.to, by: t.actor.kind, reason: t.reason,
    ...(t.record ? { record: t.record } : {}),
    ...(t.funding ? { funding: t.funding } : {}),
  }));
}

/** Credits AWS granted (approved awards) and applied, summed over the records, in USD. */
export function creditsSummary(app: Application): { awardedUsd: string; appliedUsd: string } {
  let awarded = 0n;
  let applied = 0n;
  for (const b of app.briefs ?? []) {
    const r = recordOf(b);
    if (r.award && r.status !== 'rejected') awarded += usdAmountToCents(r.award.amountUsd);
    if (r.credits) applied += usdAmountToCents(r.credits.amountUsd);
  }
  return { awardedUsd: centsToUsd(awarded), appliedUsd: centsToUsd(applied) };
}

/** The latest change request, shown to the founder while it is open. */
function openChangeRequest(app: Application): { at: string; message: string } | null {
  if (app.status !== 'changes_requested') return null;
  const t = [...app.transitions].reverse().find((x) => x.to === 'changes_requested');
  return t ? { at: t.at, message: t.reason } : null;
}

/** `now`: the moment of the request; the data under the stored estimate is aged to it. */
export function founderView(app: Application, now: Date): FounderApplicationView {
  const estimate = app.estimate as { programs?: unknown; plan?: unknown } | undefined;
  return {
    id: app.id,
    status: app.status,
    createdAt: app.createdAt,
    updatedAt: app.updatedAt,
    company: app.worksheet.company.name,
    estimate: app.estimate ?? null,
    estimateData: estimateDataAt(app.estimate, now),
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
    addressConfirmation: {
      confirmed: addressConfirmed(app),
      confirmedAt: app.addressConfirmation?.confirmedAt ?? null,
      linkExpiresAt: awaitingAddressConfirmation(app) ? app.addressConfirmation?.expiresAt ?? null : null,
      mailsSent: app.addressConfirmation?.sent ?? 0,
    },
    timeline: timeline(app),
  };
}

export function partnerBriefView(app: Application, brief: StoredBrief, now: Date): PartnerBriefView {
  const base = `/partner/applications/${app.id}/briefs/${encodeURIComponent(brief.programId)}`;
  return {
    programId: brief.programId,
    etag: etagOf(brief),
    revision: brief.revision ?? 1,
    createOpportunity: brief.body,
    validation: { valid: brief.problems.length === 0, problems: brief.problems },
    record: recordView(recordOf(brief)),
    editedAt: brief.editedAt ?? null,
    estimateData: estimateDataAt(app.estimate, now, brief.programId),
    // The brief is read as part of its application; its own URL takes PATCH (with If-Match) only.
    links: { application: `/partner/applications/${app.id}`, edit: base, createOpportunity: `${base}/create-opportunity` },
  };
}

export function partnerView(app: Application, duplicates: DuplicateView[], now: Date): PartnerApplicationView {
  return {
    id: app.id,
    status: app.status,
    version: app.version,
    createdAt: app.createdAt,
    updatedAt: app.updatedAt,
    assignedAt: app.partner?.assignedAt ?? null,
    worksheet: app.worksheet,
    estimate: app.estimate ?? null,
    estimateData: estimateDataAt(app.estimate, now),
    briefs: (app.briefs ?? []).map((b) => partnerBriefView(app, b, now)),
    credits: creditsSummary(app),
    duplicates,
    timeline: timeline(app),
  };
}

/** A row of the partner queue, from the list index (which carries only this). */
export function partnerQueueItem(row: ApplicationListItem): PartnerQueueItem {
  return {
    id: row.id,
    status: row.status,
    company: row.summary.company,
    createdAt: row.summary.createdAt,
    updatedAt: row.updatedAt,
    records: row.summary.records,
    links: { application: `/partner/applications/${row.id}` },
  };
}

/** The operations view: where an application is, for how long, and why (including the cause of a failure). */
export function opsApplicationItem(row: ApplicationListItem, now: Date): OpsApplicationItem {
  const { summary } = row;
  return {
    id: row.id,
    status: row.status,
    company: summary.company,
    updatedAt: row.updatedAt,
    hoursInStatus: Math.max(0, Math.round(((now.getTime() - Date.parse(row.updatedAt)) / 3_600_000) * 10) / 10),
    lastReason: summary.lastReason,
    partnerId: summary.partnerId ?? null,
    failure: summary.failure ? { ...summary.failure, cause: cleanFailureCause(summary.failure.cause) } : null,
    executionArn: summary.executionArn ?? null,
  };
}

export function opsApplicationDetail(app: Application, now: Date): OpsApplicationDetail {
  return {
    ...opsApplicationItem({ id: app.id, status: app.status, updatedAt: app.updatedAt, summary: listSummaryOf(app) }, now),
    records: (app.briefs ?? []).map((b) => ({ programId: b.programId, status: recordOf(b).status, opportunityId: recordOf(b).opportunityId ?? null, funding: recordOf(b).funding?.status ?? null })),
    passedOverBy: app.passedOverBy ?? [],
    timeline: timeline(app),
  };
}

/** What a partner's decision answers (approve, request changes, decline): the status it produced, or a replay found. */
export function decisionAnswer(applicationId: string, decision: DecisionResponse['decision'], result: CommandResult): DecisionResponse {
  const t = result.transition;
  return { applicationId, decision, status: t?.to ?? result.app.status, at: t?.at ?? result.app.updatedAt };
}

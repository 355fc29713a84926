/** What each audience may see of an application. Hashes, task tokens and internal bookkeeping never leave. */
import type { Application } from '../../../schemas/application.ts';
import type { FounderApplicationView } from '../../../schemas/api.ts';

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
    })),
    partner: app.partner ? { id: app.partner.partnerId, name: app.partner.partnerName, assignedAt: app.partner.assignedAt, reasons: app.partner.reasons } : null,
    failure: app.failure ? { at: app.failure.at, state: app.failure.state, error: app.failure.error } : null,
    timeline: app.transitions.map((t) => ({ at: t.at, from: t.from, to: t.to, by: t.actor.kind, reason: t.reason })),
  };
}

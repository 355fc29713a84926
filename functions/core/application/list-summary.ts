/** What the list views show of an application: computed with every write of its head, projected by the list indexes. */
import type { Application } from '../../../schemas/application.ts';
import type { ListSummary } from '../../../schemas/stored-application.ts';
import { recordOf } from './record-state.ts';
import { escalationOf } from '../operations/escalation.ts';

export function listSummaryOf(app: Application): ListSummary {
  const escalation = escalationOf(app);
  return {
    company: app.worksheet.company.name,
    createdAt: app.createdAt,
    records: (app.briefs ?? []).map((b) => ({ programId: b.programId, status: recordOf(b).status })),
    lastReason: app.transitions.at(-1)?.reason ?? '',
    ...(app.partner ? { partnerId: app.partner.partnerId } : {}),
    ...(app.failure ? { failure: { state: app.failure.state, error: app.failure.error, cause: app.failure.cause, at: app.failure.at, failedFrom: app.failure.failedFrom } } : {}),
    ...(escalation ? { escalation: { at: escalation.at, reason: escalation.reason } } : {}),
    ...(app.executionArn ? { executionArn: app.executionArn } : {}),
  };
}

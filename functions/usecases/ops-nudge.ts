/**
 * Operations' nudge (functions/http/ops-nudge.ts): a note in the timeline (same status, version + 1) and the pending
 * reminder mailed again, at most once a day (planNudge, functions/core/operations/actions.ts). Apart from the other
 * actions (./ops-actions.ts) so its function loads neither the workflow client nor the transition mails.
 */
import type { Actor } from '../../schemas/application.ts';
import type { ActionResponse } from '../../schemas/operations.ts';
import { appendNote } from '../adapters/dynamo/applications-edits.ts';
import { retryOnConflict } from '../core/conflict-retry.ts';
import { actionAnswer as answer, planNudge } from '../core/operations/actions.ts';
import type { ActionDeps } from './ops-actions.ts';

/** What a nudge uses: no workflow (its own function, functions/http/ops-nudge.ts, holds no state machine rights). */
export type NudgeDeps = Pick<ActionDeps, 'applications' | 'notifier' | 'clock'>;

export async function nudge(deps: NudgeDeps, id: string, actor: Actor, reason: string): Promise<ActionResponse> {
  return retryOnConflict(async (guarded) => {
    const app = await deps.applications.mustGet(id);
    const plan = planNudge(app, actor, reason, deps.clock.now());
    if (!plan.replay) await guarded(appendNote(deps.applications, app, plan.note));
    const latest = await deps.applications.mustGet(id);
    const partner = await deps.notifier.partnerOf(latest);
    const sent = await deps.notifier.deliver(latest, plan.notice, `nudge:v${plan.note.version}:${plan.notice}`, { detail: `Operations ask you to act: ${reason}` }, partner);
    return answer('nudge', latest, !plan.replay, sent ? `${plan.notice} sent to ${plan.who}` : `${plan.notice} already sent to ${plan.who} today`);
  });
}

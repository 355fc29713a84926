/**
 * Where an application stands, as the workflow needs to know it: which step is next. The workflow's CheckStanding
 * task reports this after every callback (and after a callback lost to a race), so the DynamoDB record, not the
 * callback's payload, decides where the workflow goes.
 */
import type { Application } from '../../../schemas/application.ts';
import { awaitingAwsDecision, awaitingCredits, recordOf } from './record-state.ts';
import { unnotifiedTransitions } from '../notice-markers.ts';
import { TASK_TOKEN_KINDS } from './commands.ts';
import { addressConfirmed } from '../address-confirmation.ts';

/** Stage names; the workflow's WhereNext choice matches on them (lib/workflow/definition.ts). */
export const STAGES = {
  size: 'size',
  draft: 'draft',
  route: 'route',
  unrouted: 'unrouted',
  // The human waits: each stage is its task token's kind.
  addressConfirmation: TASK_TOKEN_KINDS.addressConfirmation,
  partnerReview: TASK_TOKEN_KINDS.partnerReview,
  founderRevision: TASK_TOKEN_KINDS.founderRevision,
  awsDecision: TASK_TOKEN_KINDS.awsDecision,
  credits: TASK_TOKEN_KINDS.credits,
  creditsApplied: 'credits-applied',
  rejected: 'rejected',
  closed: 'closed',
  /** A change landed after the last notice was composed: mail it before going anywhere (or ending). */
  notify: 'notify',
} as const;
export type Stage = (typeof STAGES)[keyof typeof STAGES];

/**
 * After partner approval: AWS's decision while any record is not yet decided (a record still in draft counts as
 * not yet filed), then credits while any approved record has none, then credits applied when any record got them
 * (or has since expired), else rejected (every record rejected). Before that, the status names the step.
 */
export function standingOf(app: Application): Stage {
  switch (app.status) {
    case 'submitted':
      return STAGES.size;
    case 'sized':
      return STAGES.draft;
    case 'drafted':
      return addressConfirmed(app) ? STAGES.route : STAGES.addressConfirmation;
    case 'unrouted':
      return STAGES.unrouted;
    case 'routed':
    case 'in_partner_review':
      return STAGES.partnerReview;
    case 'changes_requested':
      return STAGES.founderRevision;
    case 'withdrawn':
    case 'failed':
      return STAGES.closed;
    default: {
      const records = (app.briefs ?? []).map(recordOf);
      if (records.length === 0) return STAGES.closed;
      if (awaitingAwsDecision(app) || records.some((r) => r.status === 'draft')) return STAGES.awsDecision;
      if (awaitingCredits(app)) return STAGES.credits;
      if (records.some((r) => r.status === 'credits_applied' || r.status === 'expired')) return STAGES.creditsApplied;
      return STAGES.rejected;
    }
  }
}

/**
 * The workflow's next step: first mail any transition no notice has covered yet (a second change can land while the
 * first one's notices go out, and a terminal state has no later wait to notice it), then wherever the status says.
 * Each NotifyChange pass marks what it mailed, so this cannot loop.
 */
export function nextStage(app: Application): Stage {
  return unnotifiedTransitions(app).length > 0 ? STAGES.notify : standingOf(app);
}

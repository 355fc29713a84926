/**
 * Following AWS's review of filed opportunities: the review status observed from an EventBridge event or the scheduled
 * reconciliation, applied to the record through the same "write, then call back" runner as the partner API
 * (functions/usecases/run-command.ts), with the rules of functions/core/ace/partner-central-rules.ts.
 */
import type { Application } from '../../schemas/application.ts';
import { PartnerCentralOpportunityEvent } from '../../schemas/api-requests.ts';
import type { PartnerWithLoad } from '../../schemas/partner.ts';
import { parseWith } from '../../schemas/issue-rules.ts';
import { advanceStoredWatermark, claimEvent, getOpportunityMapping, getWatermark, type OpportunityMapping, partnersWithOpenReviews, releaseEvent, untrackOpen } from '../adapters/dynamo/partner-central-store.ts';
import { logger } from '../adapters/observability.ts';
import { getOpportunity, listOpportunitiesModifiedAfter, type OpportunityReview } from '../adapters/partner-central-client.ts';
import { TASK_TOKEN_KINDS } from '../core/application/commands.ts';
import {
  advanceWatermark, inAwsReview, listAfter, needsCatchUpCallback, planSyncedReview, recordChangedEffects, reviewFromLifeCycle, type AceCatalog, type SyncPlan,
} from '../core/ace/partner-central-rules.ts';
import { NotFoundError } from '../core/errors.ts';
import { runCommand, runEffects } from './run-command.ts';
import { catalogOf, roleOf, type Filing, type PartnerCentralDeps } from './partner-central-access.ts';
import { isBenefitsWatermark } from '../adapters/dynamo/keys.ts';
import { getTaskToken } from '../adapters/dynamo/applications-tasks.ts';

// ---------------------------------------------------------------------------------------------------------------
// AWS's review, observed

export type SyncOutcome = 'applied' | 'unchanged' | 'caught-up' | 'not-applicable' | 'no-review-status';

/**
 * Apply what Partner Central shows for one mapped record: the one mapping (core) to a record transition by
 * `system/partner-central`, written and then called back exactly like the partner API. Repeats are skipped without a
 * callback unless the workflow's current wait predates the change (a callback lost to a crash: caught up once).
 */
export async function applyObservedReview(deps: PartnerCentralDeps, mapping: OpportunityMapping, observed: OpportunityReview): Promise<SyncOutcome> {
  const review = reviewFromLifeCycle(observed.lifeCycle);
  if (!review) return 'no-review-status';
  // The plan of the attempt that ran last (runCommand re-plans after losing a race).
  const last: { plan?: SyncPlan } = {};
  const result = await runCommand(deps, mapping.applicationId, (app, now) => {
    const plan = planSyncedReview({ app, programId: mapping.programId, review, now });
    last.plan = plan;
    return plan.kind === 'skip' ? { kind: 'replay', effects: {} } : plan.command;
  });
  await settleIfReviewed(deps, mapping, result.app);
  const skip = last.plan?.kind === 'skip' ? last.plan : undefined;
  const log = { applicationId: mapping.applicationId, programId: mapping.programId, opportunityId: mapping.opportunityId, reviewStatus: review.reviewStatus };
  if (!skip) {
    logger.info('Partner Central review applied', { ...log, to: review.to });
    return 'applied';
  }
  if (skip.why === 'not-applicable') {
    logger.info('Partner Central review not applicable', { ...log, detail: skip.detail });
    return 'not-applicable';
  }
  const now = deps.clock.now();
  const tokens = await Promise.all([TASK_TOKEN_KINDS.awsDecision, TASK_TOKEN_KINDS.credits].map((k) => getTaskToken(deps.applications, mapping.applicationId, k, now)));
  const latest = tokens.map((t) => t?.storedAt).filter((s): s is string => s !== undefined).sort().at(-1);
  if (needsCatchUpCallback(result.app, mapping.programId, review.to, latest)) {
    await runEffects(deps, result.app, recordChangedEffects(mapping.programId), now);
    logger.info('Partner Central review: callback caught up', log);
    return 'caught-up';
  }
  return 'unchanged';
}

/** A record past AWS's review no longer needs reconciling: its partner leaves the partition once none is left. */
async function settleIfReviewed(deps: PartnerCentralDeps, mapping: OpportunityMapping, app: Application): Promise<void> {
  const status = app.briefs?.find((b) => b.programId === mapping.programId)?.record?.status;
  if (status !== undefined && !inAwsReview(status)) await untrackOpen(deps.store, mapping.partnerId, mapping.catalog, mapping.opportunityId);
}

export type EventOutcome = SyncOutcome | 'ignored' | 'duplicate' | 'not-ours' | 'no-role';

/** One `Opportunity Created/Updated` event: dedupe by id, find the record, GetOpportunity as its partner, apply. */
export async function handleOpportunityEvent(deps: PartnerCentralDeps, event: unknown): Promise<EventOutcome> {
  const parsed = parseWith(PartnerCentralOpportunityEvent(), event);
  if (!parsed.ok) {
    logger.warn('Partner Central event ignored: not an opportunity event', { problems: parsed.problems });
    return 'ignored';
  }
  const { id, detail } = parsed.value;
  const now = deps.clock.now();
  if (!(await claimEvent(deps.store, id, now))) {
    logger.info('Partner Central event ignored: duplicate', { eventId: id });
    return 'duplicate';
  }
  try {
    const mapping = await getOpportunityMapping(deps.store, detail.catalog, detail.opportunity.identifier);
    if (!mapping) return 'not-ours';
    const filing = (await deps.partners.get(mapping.partnerId))?.filing;
    if (!filing) {
      logger.warn('Partner Central event for a partner without a registered role', { partnerId: mapping.partnerId });
      return 'no-role';
    }
    const observed = await getOpportunity(roleOf(filing), detail.catalog, detail.opportunity.identifier);
    return await applyObservedReview(deps, mapping, observed);
  } catch (error) {
    // Give the claim back so EventBridge's retry handles the event again.
    await releaseEvent(deps.store, id).catch((e: unknown) => logger.error('Could not release the event claim', { eventId: id, error: e as Error }));
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The reconciliation

export interface PartnerReconciliation {
  readonly partnerId: string;
  readonly catalog: AceCatalog;
  readonly seen: number;
  readonly outcomes: Partial<Record<SyncOutcome, number>>;
  readonly watermark?: string;
  readonly error?: string;
}

/**
 * One partner: ListOpportunities modified after the stored watermark (minus an overlap), every page, oldest first;
 * each opportunity this service filed gets the same mapping as an event. The watermark (AWS's LastModifiedDate, never
 * our clock) advances only after every page was handled; a partner that never filed through the API is skipped.
 */
export async function reconcilePartner(deps: PartnerCentralDeps, partner: PartnerWithLoad): Promise<PartnerReconciliation | undefined> {
  const filing = partner.filing;
  if (!filing) return undefined;
  const catalog = catalogOf(filing, deps);
  const watermark = await getWatermark(deps.store, partner.id, catalog);
  if (!watermark) return undefined;
  const role = roleOf(filing);
  const outcomes: Partial<Record<SyncOutcome, number>> = {};
  const modified: (string | undefined)[] = [];
  let nextToken: string | undefined;
  let seen = 0;
  do {
    const page = await listOpportunitiesModifiedAfter(role, catalog, listAfter(watermark), nextToken);
    for (const item of page.items) {
      seen += 1;
      modified.push(item.lastModifiedDate);
      const mapping = await getOpportunityMapping(deps.store, catalog, item.opportunityId);
      if (!mapping || mapping.partnerId !== partner.id) continue;
      try {
        const outcome = await applyObservedReview(deps, mapping, item);
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
        logger.warn('Reconciliation: mapped record not found', { applicationId: mapping.applicationId, programId: mapping.programId });
        // Nothing left to follow for it: its partner is not visited again on its account.
        await untrackOpen(deps.store, mapping.partnerId, mapping.catalog, mapping.opportunityId);
      }
    }
    nextToken = page.nextToken;
  } while (nextToken);
  const next = advanceWatermark(watermark, modified);
  if (next !== watermark) await advanceStoredWatermark(deps.store, partner.id, catalog, next);
  return { partnerId: partner.id, catalog, seen, outcomes, watermark: next };
}

/**
 * Every partner with records in AWS's review (the partition of access pattern 8b, one Query), not every partner with
 * a role: a run's reads and Partner Central calls grow with the partners that can still change. One partner's
 * failure neither stops the others nor moves its watermark.
 */
export async function reconcileAll(deps: PartnerCentralDeps): Promise<PartnerReconciliation[]> {
  // The partition also lists partners with funding requests open (catalog `BENEFITS#…`): those are the funding
  // reconciliation's (functions/usecases/partner-central-funding.ts).
  const open = (await partnersWithOpenReviews(deps.store)).filter((p) => !isBenefitsWatermark(p.catalog));
  const ids = [...new Set(open.map((p) => p.partnerId))];
  const partners = (await Promise.all(ids.map((id) => deps.partners.get(id)))).filter((p): p is PartnerWithLoad => Boolean(p?.filing));
  const results: PartnerReconciliation[] = [];
  for (const partner of partners) {
    try {
      const r = await reconcilePartner(deps, partner);
      if (r) results.push(r);
    } catch (error) {
      logger.error('Reconciliation failed for a partner', { partnerId: partner.id, error: error as Error });
      results.push({ partnerId: partner.id, catalog: catalogOf(partner.filing as Filing, deps), seen: 0, outcomes: {}, error: (error as Error).name });
    }
  }
  return results;
}

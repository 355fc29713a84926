/**
 * Partner Central use cases: filing a record through the API, and applying AWS's review status observed from an
 * EventBridge event or the reconciliation. Both record changes go through the same "write, then call back" runner
 * as the partner API (functions/usecases/run-command.ts: runCommand / runEffects), with the rules of
 * functions/core/ace/partner-central-rules.ts.
 *
 * Order when filing: write slot (one write per second per partner account) → CreateOpportunity (ClientToken from the
 * stored body: a repeat returns the same opportunity) → mapping item (opportunity → record) and first watermark →
 * the `filed` transition → the callback. A crash anywhere is repaired by repeating the request.
 */
import type { Application } from '../../schemas/application.ts';
import { PartnerCentralOpportunityEvent } from '../../schemas/partner-central-messages.ts';
import type { PartnerWithLoad } from '../../schemas/partner.ts';
import { parseWith } from '../../schemas/issues.ts';
import type { PartnerCentralStore, OpportunityMapping } from '../adapters/dynamo/partner-central-store.ts';
import type { PartnerRepository } from '../adapters/dynamo/partners.ts';
import { logger } from '../adapters/observability.ts';
import {
  accountOf, createOpportunity, getOpportunity, listOpportunitiesModifiedAfter, type FilingRole, type OpportunityReview,
} from '../adapters/partner-central-client.ts';
import { TASK_TOKEN_KINDS, isAssignedTo } from '../core/application/commands.ts';
import {
  advanceWatermark, afterWriteRefused, checkApiFiling, createOpportunityInput, inAwsReview, initialWatermark, listAfter,
  needsCatchUpCallback, nextWriteAt, planApiFiling, planSyncedReview, recordChangedEffects, reviewFromLifeCycle,
  type AceCatalog, type SyncPlan,
} from '../core/ace/partner-central-rules.ts';
import { NotFoundError, UnprocessableError } from '../core/errors.ts';
import { runCommand, runEffects, type CommandDeps } from './run-command.ts';

export interface PartnerCentralDeps extends CommandDeps {
  readonly partners: PartnerRepository;
  readonly store: PartnerCentralStore;
  /** ACE_CATALOG: the catalog of partners that did not configure one. */
  readonly defaultCatalog: AceCatalog;
}

type Filing = NonNullable<PartnerWithLoad['filing']>;

export function catalogOf(filing: Filing, deps: Pick<PartnerCentralDeps, 'defaultCatalog'>): AceCatalog {
  return filing.catalog ?? deps.defaultCatalog;
}

export function roleOf(filing: Filing): FilingRole {
  return { roleArn: filing.roleArn, ...(filing.externalId ? { externalId: filing.externalId } : {}) };
}

/**
 * The partner's registered Partner Central role, its catalog and filing settings; without one, 422 saying what to do
 * instead (`instead`: the console step that replaces the API call).
 */
export async function partnerRoleOrRefuse(deps: Pick<PartnerCentralDeps, 'partners' | 'defaultCatalog'>, partnerId: string, instead: string) {
  const filing = (await deps.partners.get(partnerId))?.filing;
  if (!filing) {
    throw new UnprocessableError(`No Partner Central role is registered for this partner: ${instead}, or register a role`, [
      { field: 'partner.filing.roleArn', rule: 'is required to act through the API (an IAM role named AceFilingPartnerCentral*)' },
    ]);
  }
  return { filing, role: roleOf(filing), catalog: catalogOf(filing, deps) };
}

/** The application, if it is assigned to this partner; another partner's is not found (404), never forbidden. */
export async function assignedApplication(deps: Pick<PartnerCentralDeps, 'applications'>, applicationId: string, partnerId: string): Promise<Application> {
  const app = await deps.applications.get(applicationId);
  if (!app || !isAssignedTo(app, partnerId)) throw new NotFoundError(`Application ${applicationId} not found`);
  return app;
}

// ---------------------------------------------------------------------------------------------------------------
// The write gate

/**
 * Take the partner account's Partner Central write slot (at most one write per second across all our Lambda
 * instances): granted, or wait once for a slot that frees within ~2 s, or TooManyRequestsError (429, Retry-After).
 */
export async function takeWriteSlot(deps: Pick<PartnerCentralDeps, 'store' | 'clock'>, accountId: string): Promise<void> {
  let alreadyWaited = false;
  for (;;) {
    const now = deps.clock.now();
    const result = await deps.store.tryTakeWriteSlot(accountId, now, nextWriteAt(now));
    if (result.granted) return;
    const next = afterWriteRefused({ now, nextAt: result.nextAt, alreadyWaited });
    if (next.kind === 'refuse') throw next.error;
    await deps.clock.sleep(next.ms);
    alreadyWaited = true;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Filing through the API

export interface ApiFilingResult {
  readonly app: Application;
  readonly opportunityId: string;
  /** The record was already filed through the API (a repeated request): nothing was sent to Partner Central. */
  readonly replayed: boolean;
}

export async function fileViaApi(deps: PartnerCentralDeps, args: { applicationId: string; programId: string; partnerId: string }): Promise<ApiFilingResult> {
  const { applicationId, programId, partnerId } = args;
  const app = await deps.applications.get(applicationId);
  if (!app || !isAssignedTo(app, partnerId)) throw new NotFoundError(`Application ${applicationId} not found`);
  const check = checkApiFiling({ app, programId, partnerId });

  let opportunityId: string;
  if (check.kind === 'already-filed') {
    opportunityId = check.opportunityId;
  } else {
    const partner = await deps.partners.get(partnerId);
    const filing = partner?.filing;
    if (!filing) {
      throw new UnprocessableError('No Partner Central role is registered for this partner: file by hand and record it with POST …/filed, or register a role', [
        { field: 'partner.filing.roleArn', rule: 'is required to file through the API (an IAM role named AceFilingPartnerCentral*)' },
      ]);
    }
    const catalog = catalogOf(filing, deps);
    const role = roleOf(filing);
    await takeWriteSlot(deps, accountOf(filing.roleArn));
    const created = await createOpportunity(role, createOpportunityInput(check.body, catalog));
    opportunityId = created.opportunityId;
    const now = deps.clock.now();
    // The mapping first: once the record says "filed", events and the reconciliation can find it.
    await deps.store.putMapping({ catalog, opportunityId, applicationId, programId, partnerId }, now);
    await deps.store.initWatermark(partnerId, catalog, initialWatermark(now));
    // In review from now on: the reconciliation follows this partner until the record leaves AWS's review.
    await deps.store.trackOpen(partnerId, catalog, opportunityId);
    logger.info('Filed through Partner Central', { programId, opportunityId, catalog });
  }
  const result = await runCommand(deps, applicationId, (current, now) => planApiFiling({
    app: current, programId, partnerId, opportunityId, filedAt: now.toISOString(), now,
  }));
  return { app: result.app, opportunityId, replayed: check.kind === 'already-filed' };
}

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
  const tokens = await Promise.all([TASK_TOKEN_KINDS.awsDecision, TASK_TOKEN_KINDS.credits].map((k) => deps.applications.getTaskToken(mapping.applicationId, k, now)));
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
  if (status !== undefined && !inAwsReview(status)) await deps.store.untrackOpen(mapping.partnerId, mapping.catalog, mapping.opportunityId);
}

export type EventOutcome = SyncOutcome | 'ignored' | 'duplicate' | 'not-ours' | 'no-role';

/** One `Opportunity Created/Updated` event: dedupe by id, find the record, GetOpportunity as its partner, apply. */
export async function handleOpportunityEvent(deps: PartnerCentralDeps, event: unknown): Promise<EventOutcome> {
  const parsed = parseWith(PartnerCentralOpportunityEvent, event);
  if (!parsed.ok) {
    logger.warn('Partner Central event ignored: not an opportunity event', { problems: parsed.problems });
    return 'ignored';
  }
  const { id, detail } = parsed.value;
  const now = deps.clock.now();
  if (!(await deps.store.claimEvent(id, now))) {
    logger.info('Partner Central event ignored: duplicate', { eventId: id });
    return 'duplicate';
  }
  try {
    const mapping = await deps.store.getMapping(detail.catalog, detail.opportunity.identifier);
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
    await deps.store.releaseEvent(id).catch((e: unknown) => logger.error('Could not release the event claim', { eventId: id, error: e as Error }));
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
  const watermark = await deps.store.getWatermark(partner.id, catalog);
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
      const mapping = await deps.store.getMapping(catalog, item.opportunityId);
      if (!mapping || mapping.partnerId !== partner.id) continue;
      try {
        const outcome = await applyObservedReview(deps, mapping, item);
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
        logger.warn('Reconciliation: mapped record not found', { applicationId: mapping.applicationId, programId: mapping.programId });
        // Nothing left to follow for it: its partner is not visited again on its account.
        await deps.store.untrackOpen(mapping.partnerId, mapping.catalog, mapping.opportunityId);
      }
    }
    nextToken = page.nextToken;
  } while (nextToken);
  const next = advanceWatermark(watermark, modified);
  if (next !== watermark) await deps.store.advanceWatermark(partner.id, catalog, next);
  return { partnerId: partner.id, catalog, seen, outcomes, watermark: next };
}

/**
 * Every partner with records in AWS's review (the partition of access pattern 8b, one Query), not every partner with
 * a role: a run's reads and Partner Central calls grow with the partners that can still change. One partner's
 * failure neither stops the others nor moves its watermark.
 */
/** The watermark (and open set) of a partner's benefit applications, beside the opportunities' per catalog. */
export const benefitsWatermarkKey = (catalog: string): string => `BENEFITS#${catalog}`;
export const isBenefitsWatermark = (key: string): boolean => key.startsWith('BENEFITS#');

export async function reconcileAll(deps: PartnerCentralDeps): Promise<PartnerReconciliation[]> {
  // The partition also lists partners with funding requests open (catalog `BENEFITS#…`): those are the funding
  // reconciliation's (functions/usecases/partner-central-funding.ts).
  const open = (await deps.store.partnersWithOpenReviews()).filter((p) => !isBenefitsWatermark(p.catalog));
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

/**
 * The funding request through the Partner Central Benefits API, with the partner's registered role: view and edit the
 * drafted benefit application, send it (CreateBenefitApplication → AssociateBenefitApplicationResource with the ACE
 * opportunity's ARN → SubmitBenefitApplication), and follow it (GetBenefitApplication, ListBenefitAllocations /
 * GetBenefitAllocation) from the scheduled reconciliation. Rules: functions/core/application/funding.ts and
 * functions/core/ace/funding-draft.ts.
 *
 * Each step is idempotent and re-runnable after a crash: CreateBenefitApplication carries the ClientToken of the body's
 * revision (a repeat returns the same application; nothing is recorded if Partner Central refuses the body), then the
 * mapping and the `created` transition (the partner's approval: the body is frozen from then on); Partner Central is
 * read before associating (an ARN already associated is not associated again) and before submitting (an application
 * already with AWS is not submitted again); then the `submitted` transition. Every write takes the partner account's
 * write slot. A crash between CreateBenefitApplication and the record, followed by an edit, leaves the first
 * application Pending Submission at AWS (never submitted); the edited body creates its own.
 */
import type { Application, FundingState } from '../../schemas/application.ts';
import type { PartnerWithLoad } from '../../schemas/partner.ts';
import { logger } from '../adapters/observability.ts';
import {
  accountOf, allocationOf, associateBenefitApplicationResource, createBenefitApplication, getBenefitApplication, listBenefitApplications,
  readOpportunity, submitBenefitApplication, updateBenefitApplication,
} from '../adapters/partner-central-client.ts';
import {
  checkFundingSubmit, fundingOf, planFundingCreated, planFundingEdit, planFundingSubmitted, planSyncedFunding,
  type FundingSyncPlan,
} from '../core/application/funding.ts';
import { benefitUpdateToken, FUNDING_UPDATABLE } from '../core/ace/funding-draft.ts';
import { advanceWatermark, initialWatermark, listAfter, type AceCatalog } from '../core/ace/partner-central-rules.ts';
import { ConflictError, NotFoundError } from '../core/errors.ts';
import { retryOnConflict } from '../core/conflict-retry.ts';
import { assignedApplication, catalogOf, partnerRoleOrRefuse, roleOf, takeWriteSlot, type PartnerCentralDeps } from './partner-central-access.ts';
import { benefitsWatermarkKey, isBenefitsWatermark } from '../adapters/dynamo/keys.ts';
import { runCommand } from './run-command.ts';
import { updateBriefs } from '../adapters/dynamo/applications-edits.ts';
import { advanceStoredWatermark, claimWork, getBenefitMapping, getSyncState, initWatermark, partnersWithOpenReviews, putBenefitMapping, releaseWork, trackOpen, untrackOpen } from '../adapters/dynamo/partner-central-store.ts';

export async function readFunding(deps: PartnerCentralDeps, args: { applicationId: string; programId: string; partnerId: string }): Promise<{ app: Application; funding: FundingState }> {
  const app = await assignedApplication(deps, args.applicationId, args.partnerId);
  return { app, funding: fundingOf(app, args.programId) };
}

/** A JSON Merge Patch on the drafted body with If-Match (not a transition; re-planned if something else changed). */
export async function editFunding(deps: PartnerCentralDeps, args: { applicationId: string; programId: string; partnerId: string; patch: Record<string, unknown>; ifMatch: string | undefined }): Promise<{ app: Application; funding: FundingState }> {
  return retryOnConflict(async (guarded) => {
    const app = await assignedApplication(deps, args.applicationId, args.partnerId);
    const now = deps.clock.now();
    const plan = planFundingEdit({ app, ...args, now });
    if (plan.kind === 'unchanged') return { app, funding: plan.funding };
    const saved = await guarded(updateBriefs(deps.applications, app, plan.briefs, now));
    return { app: saved, funding: fundingOf(saved, args.programId) };
  });
}

/** Benefit application statuses a SubmitBenefitApplication is for (undefined: Partner Central did not say). */
const SUBMITTABLE: readonly (string | undefined)[] = ['PENDING_SUBMISSION', 'ACTION_REQUIRED', undefined];

/** Run a write; if it fails, re-read: when Partner Central shows the write's effect anyway (a concurrent request), it is done. */
async function orAlreadyDone(write: () => Promise<void>, done: () => Promise<boolean>): Promise<'sent' | 'already'> {
  try {
    await write();
    return 'sent';
  } catch (error) {
    if (await done().catch(() => false)) return 'already';
    throw error;
  }
}

export interface FundingSubmitResult {
  readonly app: Application;
  readonly funding: FundingState;
  readonly benefitApplicationId: string;
  readonly replayed: boolean;
  readonly steps: string[];
}

/** Create (once), associate with the opportunity (once), submit (unless AWS has it): see the module comment. */
export async function submitFundingViaApi(deps: PartnerCentralDeps, args: { applicationId: string; programId: string; partnerId: string }): Promise<FundingSubmitResult> {
  const { applicationId, programId, partnerId } = args;
  const app = await assignedApplication(deps, applicationId, partnerId);
  const check = checkFundingSubmit({ app, programId, partnerId });
  if (check.kind === 'with-aws') {
    return { app, funding: check.funding, benefitApplicationId: check.funding.benefitApplicationId ?? '', replayed: true, steps: [] };
  }
  const { filing, role, catalog } = await partnerRoleOrRefuse(deps, partnerId, 'request the funding in the Partner Central console and record the credits with POST …/credits');
  // One sender at a time per funding request: a concurrent request would read before the other's write lands and
  // send it again. The lease outlives the function's timeout, so a crash frees it within a minute.
  const lease = `funding-send#${applicationId}#${programId}`;
  if (!(await claimWork(deps.store, lease, deps.clock.now(), SEND_LEASE_MS))) {
    throw new ConflictError(`The ${programId} funding request is being sent by another request: GET …/funding in a few seconds (or retry after ${SEND_LEASE_MS / 1000} s)`, check.funding.status);
  }
  try {
    // Read again under the lease: the request that held it before may have sent it.
    const fresh = await assignedApplication(deps, applicationId, partnerId);
    const now = checkFundingSubmit({ app: fresh, programId, partnerId });
    if (now.kind === 'with-aws') return { app: fresh, funding: now.funding, benefitApplicationId: now.funding.benefitApplicationId ?? '', replayed: true, steps: [] };
    return await send(deps, { applicationId, programId, partnerId, opportunityId: now.opportunityId, funding: now.funding, filing, role, catalog });
  } finally {
    await releaseWork(deps.store, lease).catch((error: unknown) => logger.warn('Could not release the funding send lease', { error: error as Error }));
  }
}

/** How long one funding send may hold its lease (PartnerFiling times out after 15 s). */
export const SEND_LEASE_MS = 60_000;

async function send(deps: PartnerCentralDeps, args: {
  applicationId: string; programId: string; partnerId: string; opportunityId: string; funding: FundingState;
  filing: { roleArn: string }; role: ReturnType<typeof roleOf>; catalog: string;
}): Promise<FundingSubmitResult> {
  const { applicationId, programId, partnerId, filing, role, catalog } = args;
  const check = { funding: args.funding, opportunityId: args.opportunityId };
  const account = accountOf(filing.roleArn);
  const steps: string[] = [];
  const resubmission = check.funding.sentRevision !== undefined;

  let funding = check.funding;

  // 1. CreateBenefitApplication (its ClientToken makes a repeat return the same application), then mapping + transition.
  let benefitApplicationId = funding.benefitApplicationId;
  if (!benefitApplicationId) {
    await takeWriteSlot(deps, account);
    const created = await createBenefitApplication(role, { ...funding.body, Catalog: catalog });
    benefitApplicationId = created.id;
    const now = deps.clock.now();
    await putBenefitMapping(deps.store, { catalog, benefitApplicationId, applicationId, programId, partnerId }, now);
    await initWatermark(deps.store, partnerId, benefitsWatermarkKey(catalog), initialWatermark(now));
    // Open from now on: the reconciliation follows this partner's funding until AWS allocates or refuses it.
    await trackOpen(deps.store, partnerId, benefitsWatermarkKey(catalog), benefitApplicationId);
    const id = benefitApplicationId;
    const sentRevision = funding.revision;
    const current = (await runCommand(deps, applicationId, (latest, t) => planFundingCreated({ app: latest, programId, partnerId, benefitApplicationId: id, catalog, sentRevision, now: t }))).app;
    funding = fundingOf(current, programId);
    steps.push(`CreateBenefitApplication → ${benefitApplicationId}`);
  }
  const fundingCatalog = funding.catalog ?? catalog;

  // 2. Read what Partner Central has (once: our update and association leave the status as it is, and this request
  // holds the send lease), then only what is missing.
  const read = await getBenefitApplication(role, fundingCatalog, benefitApplicationId);
  if (resubmission && (funding.sentRevision ?? 0) < funding.revision && read.status === 'ACTION_REQUIRED') {
    const members = Object.fromEntries(FUNDING_UPDATABLE.filter((k) => funding.body[k] !== undefined).map((k) => [k, funding.body[k]]));
    await takeWriteSlot(deps, account);
    await updateBenefitApplication(role, {
      ...members, Catalog: fundingCatalog, Identifier: benefitApplicationId, Revision: read.revision ?? '',
      ClientToken: benefitUpdateToken(applicationId, programId, funding.revision),
    });
    steps.push(`UpdateBenefitApplication (${Object.keys(members).join(', ')})`);
  }
  const opportunity = await readOpportunity(role, fundingCatalog as AceCatalog, check.opportunityId);
  const opportunityArn = typeof opportunity.opportunity.Arn === 'string' ? opportunity.opportunity.Arn : undefined;
  if (!opportunityArn) throw new ConflictError(`Partner Central shows no ARN for opportunity ${check.opportunityId}`, funding.status);
  const id = benefitApplicationId;
  if (!read.associatedResources.includes(opportunityArn)) {
    await takeWriteSlot(deps, account);
    // A concurrent request may have associated it between our read and this write: then its refusal is our success.
    const done = await orAlreadyDone(() => associateBenefitApplicationResource(role, fundingCatalog, id, opportunityArn),
      async () => (await getBenefitApplication(role, fundingCatalog, id)).associatedResources.includes(opportunityArn));
    if (done === 'sent') steps.push(`AssociateBenefitApplicationResource ${opportunityArn}`);
  }
  if (SUBMITTABLE.includes(read.status)) {
    await takeWriteSlot(deps, account);
    // Had the status moved since the read (someone in the console), the refused submit is re-read: already with AWS is done.
    const done = await orAlreadyDone(() => submitBenefitApplication(role, fundingCatalog, id),
      async () => !SUBMITTABLE.includes((await getBenefitApplication(role, fundingCatalog, id)).status));
    if (done === 'sent') steps.push('SubmitBenefitApplication');
  }
  logger.info('Funding request sent through the Benefits API', { programId, benefitApplicationId, steps, resubmission });

  // 3. The record says so.
  const result = await runCommand(deps, applicationId, (latest, now) => planFundingSubmitted({ app: latest, programId, partnerId, resubmission, now }));
  return { app: result.app, funding: fundingOf(result.app, programId), benefitApplicationId, replayed: false, steps };
}

// ---------------------------------------------------------------------------------------------------------------
// Following it (the reconciliation; also the events handler if Partner Central's Benefits events are forwarded)

export type FundingSyncOutcome = 'applied' | 'unchanged' | 'not-applicable' | 'no-status' | 'unusable-allocation';

/** GetBenefitApplication (and, once approved, its allocation) applied to the mapped record. */
export async function syncBenefitApplication(deps: PartnerCentralDeps, partner: PartnerWithLoad, mapping: { applicationId: string; programId: string }, catalog: string, benefitApplicationId: string): Promise<FundingSyncOutcome> {
  const filing = partner.filing;
  if (!filing) return 'not-applicable';
  const role = roleOf(filing);
  const read = await getBenefitApplication(role, catalog, benefitApplicationId);
  const allocation = read.status === 'APPROVED' ? await allocationOf(role, catalog, benefitApplicationId) : undefined;
  const last: { plan?: FundingSyncPlan } = {};
  const result = await runCommand(deps, mapping.applicationId, (app, now) => {
    const plan = planSyncedFunding({ app, programId: mapping.programId, observed: read, allocation, now });
    last.plan = plan;
    return plan.kind === 'skip' ? { kind: 'replay', effects: {} } : plan.command;
  });
  // Settled (allocated or refused): nothing more to follow; the partner leaves the partition with its last one.
  const settled = result.app.briefs?.find((b) => b.programId === mapping.programId)?.record?.funding?.status;
  if (settled === 'allocated' || settled === 'rejected') await untrackOpen(deps.store, partner.id, benefitsWatermarkKey(catalog), benefitApplicationId);
  const plan = last.plan;
  const log = { applicationId: mapping.applicationId, programId: mapping.programId, benefitApplicationId, status: read.status };
  if (plan?.kind === 'apply') {
    logger.info('Benefits: funding request updated', { ...log, to: plan.to });
    return 'applied';
  }
  if (plan?.why === 'already') return 'unchanged';
  logger.info('Benefits: nothing applied', { ...log, why: plan?.why, detail: plan?.detail });
  return plan?.why === 'not-applicable' ? 'not-applicable' : plan?.why === 'unusable-allocation' ? 'unusable-allocation' : 'no-status';
}

export interface FundingReconciliation {
  readonly seen: number;
  readonly outcomes: Partial<Record<FundingSyncOutcome, number>>;
  readonly watermark?: string;
}

/**
 * One partner's benefit applications: ListBenefitApplications has no modified-after filter, so every page is read and
 * those updated after the watermark (minus the overlap) are applied, plus every APPROVED one still open here (its
 * allocation may come later than its last update; one settled already left the open set, so it is not read again and
 * the runs do not grow with a partner's history). The watermark is AWS's UpdatedAt and advances only after every page
 * was handled. A partner that never sent a funding request is skipped.
 */
export async function reconcileFunding(deps: PartnerCentralDeps, partner: PartnerWithLoad): Promise<FundingReconciliation | undefined> {
  const filing = partner.filing;
  if (!filing) return undefined;
  const catalog = catalogOf(filing, deps);
  const key = benefitsWatermarkKey(catalog);
  const { watermark, open } = await getSyncState(deps.store, partner.id, key);
  if (!watermark) return undefined;
  const after = listAfter(watermark).getTime();
  const stillOpen = new Set(open);
  const role = roleOf(filing);
  const outcomes: Partial<Record<FundingSyncOutcome, number>> = {};
  const updated: (string | undefined)[] = [];
  let seen = 0;
  let nextToken: string | undefined;
  do {
    const page = await listBenefitApplications(role, catalog, nextToken);
    for (const item of page.items) {
      seen += 1;
      updated.push(item.updatedAt);
      const changed = item.updatedAt === undefined || Date.parse(item.updatedAt) > after;
      if (!changed && !(item.status === 'APPROVED' && stillOpen.has(item.id))) continue;
      const mapping = await getBenefitMapping(deps.store, catalog, item.id);
      if (!mapping || mapping.partnerId !== partner.id) continue;
      try {
        const outcome = await syncBenefitApplication(deps, partner, mapping, catalog, item.id);
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
        logger.warn('Reconciliation: mapped funding request not found', { applicationId: mapping.applicationId, programId: mapping.programId });
      }
    }
    nextToken = page.nextToken;
  } while (nextToken);
  const next = advanceWatermark(watermark, updated);
  if (next !== watermark) await advanceStoredWatermark(deps.store, partner.id, key, next);
  return { seen, outcomes, watermark: next };
}

/**
 * Every partner with funding requests open at AWS (created and neither allocated nor refused: the `BENEFITS#…` entries
 * of the partners-to-reconcile partition, one Query); one partner's failure neither stops the others nor moves its
 * watermark.
 */
export async function reconcileFundingAll(deps: PartnerCentralDeps): Promise<(FundingReconciliation & { partnerId: string; error?: string })[]> {
  const results: (FundingReconciliation & { partnerId: string; error?: string })[] = [];
  const ids = [...new Set((await partnersWithOpenReviews(deps.store)).filter((p) => isBenefitsWatermark(p.catalog)).map((p) => p.partnerId))];
  const partners = (await Promise.all(ids.map((id) => deps.partners.get(id)))).filter((p): p is NonNullable<typeof p> => Boolean(p?.filing));
  for (const partner of partners) {
    try {
      const r = await reconcileFunding(deps, partner);
      if (r) results.push({ partnerId: partner.id, ...r });
    } catch (error) {
      logger.error('Funding reconciliation failed for a partner', { partnerId: partner.id, error: error as Error });
      results.push({ partnerId: partner.id, seen: 0, outcomes: {}, error: (error as Error).name });
    }
  }
  return results;
}

/**
 * What the Partner Central use cases share (filing, submission, following AWS's review, the funding request): their
 * dependencies, the partner's registered role and catalog, the assigned-application read, and the write gate that
 * keeps every Partner Central write of a partner account to one per second across all our Lambda instances.
 */
import type { Application } from '../../schemas/application.ts';
import type { PartnerWithLoad } from '../../schemas/partner.ts';
import { type PartnerCentralStore, tryTakeWriteSlot } from '../adapters/dynamo/partner-central-store.ts';
import type { PartnerRepository } from '../adapters/dynamo/partners.ts';
import type { FilingRole } from '../adapters/partner-central-client.ts';
import { isAssignedTo } from '../core/application/commands.ts';
import { afterWriteRefused, nextWriteAt, type AceCatalog } from '../core/ace/partner-central-rules.ts';
import { NotFoundError, UnprocessableError } from '../core/errors.ts';
import type { CommandDeps } from './run-command.ts';

export interface PartnerCentralDeps extends CommandDeps {
  readonly partners: PartnerRepository;
  readonly store: PartnerCentralStore;
  /** ACE_CATALOG: the catalog of partners that did not configure one. */
  readonly defaultCatalog: AceCatalog;
}

export type Filing = NonNullable<PartnerWithLoad['filing']>;

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
    const result = await tryTakeWriteSlot(deps.store, accountId, now, nextWriteAt(now));
    if (result.granted) return;
    const next = afterWriteRefused({ now, nextAt: result.nextAt, alreadyWaited });
    if (next.kind === 'refuse') throw next.error;
    await deps.clock.sleep(next.ms);
    alreadyWaited = true;
  }
}


/**
 * Claiming one open-application slot of a scope (functions/adapters/dynamo/limits.ts): intake claims its mailbox's,
 * the address confirmation its mailbox's again, its mail domain's and its AWS account's. When every slot is held, the
 * holders are read and the slots of those that no longer hold one are taken back, then the claim is tried again: a
 * holder closed (and without a live confirmation link of a withdrawn one: core/address-confirmation.ts
 * holdsIntakeSlot), one whose worksheet no longer counts against the scope (a revision moved it to another address or
 * AWS account), or one never stored.
 */
import type { Worksheet } from '../../schemas/worksheet.ts';
import type { ApplicationRepository } from '../adapters/dynamo/applications.ts';
import { getHeads } from '../adapters/dynamo/applications-lists.ts';
import { accountScope, addressScope, claimSlot, type LimitTable, mailDomainScope, releaseSlot, slotHolders } from '../adapters/dynamo/limits.ts';
import { holdsIntakeSlot, retryAfterSeconds } from '../core/address-confirmation.ts';
import { mailboxOf } from '../core/mailbox.ts';

export interface OpenSlotDeps {
  readonly applications: Pick<ApplicationRepository, 'tableName'>;
  readonly limits: LimitTable;
}

/** A slot held by an application that was never stored is only reclaimed after this long (its intake may be running). */
export const ORPHAN_SLOT_GRACE_MS = 10 * 60_000;

/** Undefined once a slot of `scope` is held by `id` (a retry re-finds its own); else the Retry-After in seconds. */
export async function claimOpenSlot(deps: OpenSlotDeps, scope: string, limit: number, id: string, now: Date): Promise<number | undefined> {
  for (let round = 0; round < 3; round += 1) {
    for (let slot = 0; slot < limit; slot += 1) {
      if (await claimSlot(deps.limits, scope, slot, id, now)) return undefined;
    }
    const holders = (await slotHolders(deps.limits, scope)).filter((h) => h.slot < limit);
    const apps = new Map((await getHeads(deps.applications, holders.map((h) => h.applicationId))).map((a) => [a.id, a] as const));
    const stale = holders.filter((h) => {
      const app = apps.get(h.applicationId);
      if (!app) return now.getTime() - Date.parse(h.claimedAt) > ORPHAN_SLOT_GRACE_MS;
      return !holdsIntakeSlot(app, now) || !Object.values(openSlotScopes(app.worksheet)).includes(scope);
    });
    if (stale.length === 0) return retryAfterSeconds([...apps.values()], now);
    for (const h of stale) await releaseSlot(deps.limits, scope, h.slot, h.applicationId);
  }
  return 60; // raced three times by concurrent claims for the freed slots
}

/**
 * The scopes a worksheet counts against: its mailbox (mailbox.ts), its mail domain unless a public mail service, its
 * AWS account. Recomputed from the stored worksheet when a holder is checked, so a slot a revision left behind is
 * taken back (so is one claimed under mail-provider rules that have changed since: for that moment a limit is looser).
 */
export function openSlotScopes(worksheet: Pick<Worksheet, 'contact' | 'aws'>): { mailbox: string; mailDomain?: string; account: string } {
  const { mailbox, domain, publicDomain } = mailboxOf(worksheet.contact.email);
  return { mailbox: addressScope(mailbox), ...(publicDomain ? {} : { mailDomain: mailDomainScope(domain) }), account: accountScope(worksheet.aws.accountId) };
}

/**
 * Whose inbox an address reaches, for the intake limits (data/mail-providers.json, loaded as its run-time projection).
 *
 * - `Ann.Lee+acme@GoogleMail.com` and `annlee@gmail.com` are one inbox: they share the per-address open-application
 *   slots and the daily resend count, or one inbox could name itself without end (plus tags on any domain, dots on
 *   Gmail). Folding only ever joins addresses, so it can make a limit stricter, never looser; mail still goes to the
 *   address as typed.
 * - The domain: outside the public mail services, every confirmed open application of one domain shares a few slots,
 *   because a catch-all domain gives its owner unlimited confirmable addresses (issue 8's open-slot design, counted
 *   at confirmation: a stranger cannot hold a domain's slots without reading its mail).
 */
import rawRules from '../../data/runtime/mail-providers.json' with { type: 'json' };
import type { RuntimeMailProviders } from '../../schemas/mail-providers.ts';

// Checked at build (functions/core/data-checks.ts: the projection is compared with a fresh one of the checked file).
export const MAIL_PROVIDERS = rawRules as RuntimeMailProviders;

export interface Mailbox {
  /** The folded address: lower case, no plus tag, no dots where the provider ignores them, the provider's own domain. */
  readonly mailbox: string;
  readonly domain: string;
  /** A public mail service (each address an account of one person): no per-domain limit. */
  readonly publicDomain: boolean;
}

/** The mailbox of a worksheet address (already checked as an email address: it has an `@`). */
export function mailboxOf(email: string, rules: RuntimeMailProviders = MAIL_PROVIDERS): Mailbox {
  const address = email.trim().toLowerCase();
  const at = address.lastIndexOf('@');
  const typedDomain = address.slice(at + 1);
  // Own keys only: an address at "constructor.com" must not pick up Object.prototype's members.
  const domain = Object.hasOwn(rules.domainAliases, typedDomain) ? (rules.domainAliases[typedDomain] as string) : typedDomain;
  let local = address.slice(0, at);
  const tag = local.indexOf(rules.subaddressSeparator);
  if (tag > 0) local = local.slice(0, tag);
  if (rules.dotInsensitiveDomains.includes(domain)) local = local.replaceAll('.', '');
  return { mailbox: `${local}@${domain}`, domain, publicDomain: rules.publicMailDomains.includes(domain) };
}

/** The projection of the checked file (functions/core/runtime-data.ts). */
export function projectMailProviders(rules: RuntimeMailProviders): RuntimeMailProviders {
  const { subaddressSeparator, domainAliases, dotInsensitiveDomains, publicMailDomains } = rules;
  return { subaddressSeparator, domainAliases, dotInsensitiveDomains, publicMailDomains };
}

/** Mail provider rules (data/mail-providers.json): how addresses fold into one mailbox, and which domains are public. */
import * as z from 'zod/mini';

const Domain = z.string().check(z.regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'must be a lower-case domain name'));

export const MailProviders = z.strictObject({
  asOf: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date (YYYY-MM-DD)')),
  note: z.string(),
  sources: z.array(z.strictObject({ id: z.string(), title: z.string(), url: z.url(), says: z.string() })).check(z.minLength(1)),
  subaddressSeparator: z.string().check(z.length(1, 'must be one character')),
  subaddressNote: z.string(),
  domainAliases: z.record(Domain, Domain),
  dotInsensitiveDomains: z.array(Domain),
  publicMailDomains: z.array(Domain).check(z.minLength(1)),
  publicMailDomainsNote: z.string(),
});
export type MailProviders = z.infer<typeof MailProviders>;

/** What the intake functions load (data/runtime/mail-providers.json): the rules without sources and notes. */
export type RuntimeMailProviders = Pick<MailProviders, 'subaddressSeparator' | 'domainAliases' | 'dotInsensitiveDomains' | 'publicMailDomains'>;

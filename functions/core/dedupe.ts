/**
 * Likely duplicates: ACE closes a second record for the same customer as lost, so before a partner approves an
 * application for filing it is compared with every other application on three normalised keys: the AWS account id,
 * the website's domain and the company name. Pure: the repository stores one small index item per (key, application).
 */
import type { Worksheet } from '../../schemas/worksheet.ts';

export const DEDUPE_KINDS = ['account', 'domain', 'company'] as const;
export type DedupeKind = (typeof DEDUPE_KINDS)[number];

/** Legal-form words that do not tell two companies apart ("Ledgerly Labs, Inc." = "ledgerly labs"). */
const LEGAL_SUFFIXES = new Set([
  'inc', 'incorporated', 'llc', 'ltd', 'limited', 'corp', 'corporation', 'co', 'company', 'gmbh', 'ag', 'sa', 'sas', 'sarl',
  'bv', 'nv', 'plc', 'pty', 'oy', 'ab', 'as', 'srl', 'spa', 'kk', 'pte', 'lp', 'llp',
]);

/** `https://www.Ledgerly.ai/about` → `ledgerly.ai`; undefined when the text is not a usable URL. */
export function normaliseDomain(website: string): string | undefined {
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(website) ? website : `https://${website}`);
    const host = url.hostname.toLowerCase().replace(/^www\./, '').replace(/\.$/, '');
    return host.includes('.') ? host : undefined;
  } catch {
    return undefined;
  }
}

/** `Ledgerly Labs, Inc.` → `ledgerly labs`: accents, case, dots, apostrophes, punctuation and legal forms removed. */
export function normaliseCompany(name: string): string {
  const words = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[.'\u2019]/g, '') // "S.A." = "SA", "Jerry's" = "Jerrys"
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ');
  while (words.length > 1 && LEGAL_SUFFIXES.has(words[words.length - 1] ?? '')) words.pop();
  return words.join(' ');
}

export interface DedupeValue {
  readonly kind: DedupeKind;
  readonly value: string;
}

/** The index values of a worksheet (two to three: a website that is not a URL gives no domain). */
export function dedupeValues(worksheet: Worksheet): DedupeValue[] {
  const out: DedupeValue[] = [{ kind: 'account', value: worksheet.aws.accountId }];
  const domain = normaliseDomain(worksheet.company.website);
  if (domain) out.push({ kind: 'domain', value: domain });
  const company = normaliseCompany(worksheet.company.name);
  if (company) out.push({ kind: 'company', value: company });
  return out;
}

/** Which keys two worksheets share (re-checked on read: an index item may predate a revised worksheet). */
export function sharedKeys(a: Worksheet, b: Worksheet): DedupeKind[] {
  const bValues = new Set(dedupeValues(b).map((v) => `${v.kind}\u0000${v.value}`));
  return dedupeValues(a).filter((v) => bValues.has(`${v.kind}\u0000${v.value}`)).map((v) => v.kind);
}

/**
 * `ace-filing benefits --partner ID [--catalog AWS|Sandbox] [--partners FILE]`: what a partner can apply for through
 * the Partner Central Benefits API (ListBenefits, then GetBenefit for each, with the role the partner registered), and
 * which of our programs data/benefits.json funds with which of them. This is how a benefit id gets into the data.
 *
 * The partner's role comes from its profile: in the table when TABLE_NAME is set (a deployed or local stack), else
 * from the seed file (default data/partners.json). The endpoint is the SDK's (AWS_ENDPOINT_URL_PARTNERCENTRAL_BENEFITS
 * and AWS_ENDPOINT_URL_STS point it at the local stand-in of a running `npm start`).
 * Exit codes: 0 listed, 1 a benefit id of data/benefits.json is not among the partner's, 2 unusable input.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benefitsData } from '../functions/core/ace/funding-draft.ts';
import { listBenefits, type BenefitSummary, type FilingRole } from '../functions/adapters/partner-central-client.ts';
import { PartnerRepository } from '../functions/adapters/dynamo/partners.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

export interface BenefitsListing {
  readonly partnerId: string;
  readonly catalog: string;
  readonly benefits: (BenefitSummary & { fundsPrograms: string[] })[];
  /** Benefit ids of data/benefits.json this partner does not see in the catalog. */
  readonly missing: { programId: string; benefitId: string }[];
}

type Filing = { roleArn: string; externalId?: string; catalog?: string };

async function filingOf(partnerId: string, partnersFile: string | undefined): Promise<Filing | undefined> {
  const table = process.env.TABLE_NAME;
  if (table && !partnersFile) return (await new PartnerRepository(table).get(partnerId))?.filing;
  const file = resolve(ROOT, partnersFile ?? 'data/partners.json');
  const parsed = JSON.parse(await readFile(file, 'utf8')) as { partners?: { id: string; filing?: Filing }[] };
  return parsed.partners?.find((p) => p.id === partnerId)?.filing;
}

/** The listing (pure after the calls): each benefit with the programs our data funds with it, and what is missing. */
export function benefitsListing(partnerId: string, catalog: string, benefits: readonly BenefitSummary[]): BenefitsListing {
  const ids = new Set(benefits.map((b) => b.id));
  return {
    partnerId, catalog,
    benefits: benefits.map((b) => ({ ...b, fundsPrograms: benefitsData.programs.filter((p) => p.benefitId === b.id).map((p) => p.programId) })),
    missing: benefitsData.programs.filter((p) => !ids.has(p.benefitId)).map((p) => ({ programId: p.programId, benefitId: p.benefitId })),
  };
}

export async function runBenefits(opts: { partner?: string | undefined; catalog?: string | undefined; partners?: string | undefined }, io: { out: (t: string) => void; err: (t: string) => void }): Promise<number> {
  if (!opts.partner) {
    io.err('ace-filing: benefits needs --partner ID');
    return 2;
  }
  const filing = await filingOf(opts.partner, opts.partners);
  if (!filing) {
    io.err(`ace-filing: partner ${opts.partner} has no registered Partner Central role (filing.roleArn) in ${process.env.TABLE_NAME && !opts.partners ? `table ${process.env.TABLE_NAME}` : opts.partners ?? 'data/partners.json'}`);
    return 2;
  }
  const catalog = opts.catalog ?? filing.catalog ?? process.env.ACE_CATALOG ?? 'Sandbox';
  const role: FilingRole = { roleArn: filing.roleArn, ...(filing.externalId ? { externalId: filing.externalId } : {}) };
  process.env.AWS_REGION ??= 'us-east-1';
  const listing = benefitsListing(opts.partner, catalog, await listBenefits(role, catalog, { details: true }));
  io.out(JSON.stringify(listing, null, 2));
  for (const m of listing.missing) io.err(`warning: data/benefits.json funds ${m.programId} with ${m.benefitId}, which ${opts.partner} does not see in the ${catalog} catalog`);
  return listing.missing.length > 0 ? 1 : 0;
}

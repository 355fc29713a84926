/**
 * Partner matching: rank vetted partners for a worksheet on Region, stack, tier, free capacity and
 * track record, and explain each choice. The booking itself (never overbooking a partner) is an
 * atomic conditional write in the repository; this module only decides the order to try.
 */
import type { PartnerWithLoad } from '../../schemas/partner.ts';
import type { Worksheet } from '../../schemas/worksheet.ts';
import { modelProvider } from './model-ids.ts';

export { modelProvider };

export interface PartnerCandidate {
  readonly partner: PartnerWithLoad;
  readonly score: number;
  readonly reasons: string[];
}

export interface RankResult {
  readonly candidates: PartnerCandidate[];
  /** Why each partner that cannot take the application was left out. */
  readonly excluded: { partnerId: string; reason: string }[];
}

const WEIGHTS = {
  providerMatch: 3,
  useCaseMatch: 2,
  serviceMatch: 1,
  premierTier: 2,
  approvalRate: 4,
  freeCapacityShare: 2,
  speedBonusPerDayUnder21: 0.1,
} as const;

export function rankPartners(worksheet: Worksheet, partners: readonly PartnerWithLoad[], exclude: readonly string[] = []): RankResult {
  const excluded: RankResult['excluded'] = [];
  const candidates: PartnerCandidate[] = [];
  const providers = new Set(worksheet.workload.models.map((m) => modelProvider(m.modelId)));
  const services = new Set(worksheet.otherServices.map((s) => s.service.toLowerCase()));

  for (const partner of partners) {
    if (exclude.includes(partner.id)) { excluded.push({ partnerId: partner.id, reason: 'already declined or timed out on this application' }); continue; }
    if (!partner.active) { excluded.push({ partnerId: partner.id, reason: 'not active' }); continue; }
    if (!partner.regions.includes(worksheet.aws.region)) { excluded.push({ partnerId: partner.id, reason: `does not deliver in ${worksheet.aws.region}` }); continue; }
    const free = partner.capacity - partner.load;
    if (free <= 0) { excluded.push({ partnerId: partner.id, reason: `at capacity (${partner.load}/${partner.capacity})` }); continue; }

    const reasons = [`delivers in ${worksheet.aws.region}`];
    let score = 0;
    const providerHits = partner.strengths.modelProviders.filter((p) => providers.has(p));
    if (providerHits.length > 0) { score += WEIGHTS.providerMatch * providerHits.length; reasons.push(`works with ${providerHits.join(', ')} models`); }
    if (partner.strengths.useCases.includes(worksheet.useCase.kind)) { score += WEIGHTS.useCaseMatch; reasons.push(`strong at ${worksheet.useCase.kind}`); }
    const serviceHits = partner.strengths.services.filter((s) => services.has(s.toLowerCase()));
    if (serviceHits.length > 0) { score += WEIGHTS.serviceMatch * serviceHits.length; reasons.push(`knows ${serviceHits.join(', ')}`); }
    if (partner.tier === 'Premier') { score += WEIGHTS.premierTier; reasons.push('Premier tier'); }
    score += WEIGHTS.approvalRate * partner.record.approvalRate;
    reasons.push(`${Math.round(partner.record.approvalRate * 100)}% approval over ${partner.record.filings} filings, median ${partner.record.medianDaysToCredits} days to credits`);
    score += WEIGHTS.freeCapacityShare * (free / Math.max(partner.capacity, 1));
    reasons.push(`${free} of ${partner.capacity} review slots free`);
    score += WEIGHTS.speedBonusPerDayUnder21 * Math.max(0, 21 - partner.record.medianDaysToCredits);
    candidates.push({ partner, score: Math.round(score * 1000) / 1000, reasons });
  }
  // Highest score first; ties go to the partner with more free slots, then by id for a stable order.
  candidates.sort((a, b) => b.score - a.score || (b.partner.capacity - b.partner.load) - (a.partner.capacity - a.partner.load) || a.partner.id.localeCompare(b.partner.id));
  return { candidates, excluded };
}

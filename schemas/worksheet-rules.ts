/**
 * The worksheet's cross-field rules, as named predicates without zod: schemas/worksheet.ts refines with them, and the
 * checker compiled from that schema (functions/core/worksheet-shape.generated.ts, `npm run gen:worksheet-shape`) calls
 * the same functions, so a rule is written once. Each takes the already-checked (trimmed) values it reads.
 */

type ModelMix = { models: readonly { modelId: string; share: number }[] };

/** The shares of all models add up to 1 (within a rounding margin). */
export const sharesAddUpToOne = (w: ModelMix): boolean => Math.abs(w.models.reduce((sum, m) => sum + m.share, 0) - 1) < 0.001;

/** No model id is listed twice. */
export const eachModelOnce = (w: ModelMix): boolean => new Set(w.models.map((m) => m.modelId)).size === w.models.length;

/** The repeated (cacheable) part of a request's input is not longer than the input. */
export const cacheableWithinInput = (w: { cacheableContextTokens: number; avgInputTokens: number }): boolean => w.cacheableContextTokens <= w.avgInputTokens;

type Company = {
  industry: string;
  otherIndustry?: string;
  stage: string;
  address: { countryCode: string; stateOrRegion?: string; postalCode?: string };
  institutionalFunding: { funded: boolean; provider?: string };
};
type Sheet = { company: Company; useCase: { poc: { defined: boolean; successMetric?: string } }; otherServices: readonly { service: string }[] };

/** A defined proof of concept names its success metric. */
export const definedPocHasMetric = (w: Sheet): boolean => !w.useCase.poc.defined || w.useCase.poc.successMetric !== undefined;

/** A US address names its state. */
export const usAddressHasState = (w: Sheet): boolean => w.company.address.countryCode !== 'US' || w.company.address.stateOrRegion !== undefined;

/** A US address has a ZIP code. */
export const usAddressHasZip = (w: Sheet): boolean => w.company.address.countryCode !== 'US' || /^\d{5}(-\d{4})?$/.test(w.company.address.postalCode ?? '');

/** Industry "Other" is named. */
export const otherIndustryNamed = (w: Sheet): boolean => w.company.industry !== 'Other' || w.company.otherIndustry !== undefined;

/** Institutional funding names its provider. */
export const fundingHasProvider = (w: Sheet): boolean => !w.company.institutionalFunding.funded || w.company.institutionalFunding.provider !== undefined;

/** A bootstrapped company has no institutional funding. */
export const bootstrappedUnfunded = (w: Sheet): boolean => w.company.stage !== 'bootstrapped' || !w.company.institutionalFunding.funded;

/** No service is listed twice (case-insensitively). */
export const eachServiceOnce = (w: Sheet): boolean => new Set(w.otherServices.map((s) => s.service.toLowerCase())).size === w.otherServices.length;

/**
 * The worksheet's funding stages, in order (schemas/worksheet.ts re-exports them). Apart from the worksheet schema so
 * that code comparing stages (program eligibility) does not build the whole schema at a cold start (issue 11 §1).
 */
export const FUNDING_STAGES = ['bootstrapped', 'pre-seed', 'seed', 'series-a', 'series-b-plus'] as const;

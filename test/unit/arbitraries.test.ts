import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimate } from '../../functions/core/estimate.ts';
import { findModel, lifecycleAt } from '../../functions/core/rates.ts';
import { Estimate } from '../../schemas/estimate.ts';
import { Worksheet } from '../../schemas/worksheet.ts';
import { ARB_NOW, arbWorksheet } from '../support/arbitraries.ts';

describe('arbWorksheet (shared arbitrary)', () => {
  it('generates worksheets that parse and use only active rate-card models', () => {
    fc.assert(
      fc.property(arbWorksheet(), (w) => {
        expect(Worksheet.safeParse(w).success).toBe(true);
        for (const m of w.workload.models) expect(lifecycleAt(findModel(m.modelId)!, ARB_NOW).status).toBe('active');
      }),
      { numRuns: 200 },
    );
  });

  it('every estimate validates and every filing has a positive spend line', () => {
    fc.assert(
      fc.property(arbWorksheet(), (w) => {
        const e = estimate(w, { now: ARB_NOW });
        expect(Estimate.safeParse(e).success).toBe(true);
        for (const f of e.plan.filings) {
          expect(f.monthlySpendByService.length).toBeGreaterThan(0);
          for (const s of f.monthlySpendByService) expect(Number(s.monthlyUsd)).toBeGreaterThan(0);
        }
      }),
      { numRuns: 50 },
    );
  });
});

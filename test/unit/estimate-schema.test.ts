// estimate() is typed by schemas/estimate.ts and checked against the schema here rather than at run time (the sizing
// function does not build the schema at a cold start, issue 11 §1): every estimate parses, and parsing returns it
// unchanged, so the run-time parse the function used to do could change nothing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimate } from '../../functions/core/estimate.ts';
import { Estimate } from '../../schemas/estimate.ts';
import { ARB_NOW, arbWorksheet } from '../support/arbitraries.ts';
import { NOW, ragWorksheet } from '../support/worksheets.ts';

describe('estimate() against its schema', () => {
  it('the example worksheets: parses, and parsing returns it unchanged', () => {
    for (const ws of [ragWorksheet(), ragWorksheet({ otherServices: [{ service: 'AWS Marketplace', monthlyUsd: 1_000 }] })]) {
      const e = estimate(ws, { now: NOW });
      expect(Estimate.parse(e)).toStrictEqual(e);
    }
  });

  it('arbitrary worksheets: parses, and parsing returns it unchanged', () => {
    fc.assert(fc.property(arbWorksheet(), (w) => {
      const e = estimate(w, { now: ARB_NOW });
      expect(Estimate.parse(e)).toStrictEqual(e);
    }), { numRuns: 60 });
  });
});

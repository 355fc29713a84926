/**
 * What SizeAsk hands to EstimateAsk through the workflow's state (functions/core/sizing-worksheet.ts): the fields the
 * engine reads and nothing personal, and, with the engine's answer, small enough for Step Functions (256 KB per state).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { estimate } from '../../functions/core/estimate.ts';
import { sizingWorksheetOf } from '../../functions/core/sizing-worksheet.ts';
import type { Worksheet } from '../../schemas/worksheet.ts';
import { exampleWorksheet } from '../support/fixtures.ts';

const now = new Date('2026-12-07T00:00:00Z');
/** Step Functions' limit on a state's input or output, less room for the rest of the state. */
const STATE_BUDGET = 200 * 1024;

describe('sizingWorksheetOf', () => {
  it('keeps what the engine reads, so the estimate is the same as from the whole worksheet', () => {
    const w = exampleWorksheet();
    expect(estimate(sizingWorksheetOf(w), { now })).toEqual(estimate(w, { now }));
  });

  it('drops the contact, the address, the name, the account and the use case in words', () => {
    const w = exampleWorksheet();
    const fields = sizingWorksheetOf(w);
    expect(Object.keys(fields).sort()).toEqual(['aws', 'company', 'otherServices', 'useCase', 'workload']);
    expect(fields.aws).toEqual({ region: w.aws.region });
    expect(fields.useCase).toEqual({ poc: w.useCase.poc });
    expect(fields).not.toHaveProperty('contact');
    const text = JSON.stringify(fields);
    for (const personal of [w.contact.email, w.contact.firstName, w.contact.phone!, w.company.name, w.company.address.city!, w.aws.accountId, w.useCase.summary]) expect(text).not.toContain(personal);
  });

  it('with the estimate, fits a Step Functions state even for ten models and nine other services', () => {
    const catalog = (JSON.parse(readFileSync(new URL('../../data/rate-card.json', import.meta.url), 'utf8')) as { models: { modelId: string; status?: string }[] }).models;
    let largest = 0;
    // Runs of ten consecutive catalog models, every fifth start (the engine refuses some: retired, or short contexts).
    for (let start = 0; start + 10 <= catalog.length; start += 5) {
      const w: Worksheet = {
        ...exampleWorksheet(),
        workload: { ...exampleWorksheet().workload, models: catalog.slice(start, start + 10).map((m) => ({ modelId: m.modelId, share: 0.1 })), avgInputTokens: 1000, cacheableContextTokens: 500 },
        otherServices: ['Amazon OpenSearch Service', 'AWS Lambda', 'Amazon S3', 'Amazon DynamoDB', 'Amazon EC2', 'Amazon RDS', 'Amazon ECS', 'Amazon CloudFront', 'Amazon SQS'].map((service) => ({ service, monthlyUsd: 100 })),
      };
      let sized;
      try {
        sized = estimate(w, { now });
      } catch {
        continue;
      }
      largest = Math.max(largest, Buffer.byteLength(JSON.stringify({ worksheet: sizingWorksheetOf(w), estimated: { estimate: sized } })));
    }
    expect(largest).toBeGreaterThan(40 * 1024); // the loop did size some ten-model worksheets
    expect(largest).toBeLessThan(STATE_BUDGET);
  });
});

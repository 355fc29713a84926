/**
 * The key design's spellings that other code takes as they are (functions/adapters/dynamo/keys.ts): each index's
 * projection as DynamoDB's API spells it (the test tables are created with it, and the infra suite holds the stack's
 * indexes to it), and the watermark keys of benefit applications told apart from the opportunities' catalogs.
 */
import { describe, expect, it } from 'vitest';
import { benefitsWatermarkKey, INDEXES, isBenefitsWatermark, LIST_ATTRIBUTES, projectionOf } from '../../functions/adapters/dynamo/keys.ts';

describe('projectionOf', () => {
  it('the list indexes carry the list attributes only; the expiry index its keys only', () => {
    expect(projectionOf(INDEXES.partnerQueue)).toEqual({ ProjectionType: 'INCLUDE', NonKeyAttributes: [...LIST_ATTRIBUTES] });
    expect(projectionOf(INDEXES.operations)).toEqual({ ProjectionType: 'INCLUDE', NonKeyAttributes: ['entity', 'schemaVersion', 'id', 'status', 'updatedAt', 'summary'] });
    expect(projectionOf(INDEXES.expiryDue)).toStrictEqual({ ProjectionType: 'KEYS_ONLY' });
  });

  it('hands out a copy: the definition\'s attribute list cannot be changed through it', () => {
    const projection = projectionOf(INDEXES.operations);
    projection.NonKeyAttributes?.push('worksheet');
    expect(projectionOf(INDEXES.operations).NonKeyAttributes).not.toContain('worksheet');
  });
});

describe('benefit application watermarks', () => {
  it('are told apart from the opportunities\' catalogs by their prefix', () => {
    expect(benefitsWatermarkKey('AWS')).toBe('BENEFITS#AWS');
    expect(isBenefitsWatermark(benefitsWatermarkKey('AWS'))).toBe(true);
    expect(isBenefitsWatermark(benefitsWatermarkKey('Sandbox'))).toBe(true);
    for (const catalog of ['AWS', 'Sandbox', 'AWS#BENEFITS#']) expect(isBenefitsWatermark(catalog), catalog).toBe(false);
  });
});

// `npm run reviewer`: the command line → the reviewer desk's request, for the benefit application moves.
import { describe, expect, it } from 'vitest';
import { reviewerRequest } from '../../bin/reviewer.ts';

const ID = 'benappl-0a1b2c00000001';

describe('reviewer benefit-* commands', () => {
  it('approve with an allocation amount and dates', () => {
    expect(reviewerRequest(['benefit-approved', ID, '--amount', '25000', '--expires', '2027-12-31', '--api', 'http://x'])).toEqual({
      method: 'POST', path: `/__local/partner-central/benefit-applications/${ID}/review`, api: 'http://x',
      body: { status: 'APPROVED', amountUsd: '25000', expiresAt: '2027-12-31' },
    });
  });

  it('action required and rejected carry the reason; show reads', () => {
    expect(reviewerRequest(['benefit-action-required', ID, '--reason', 'Attach the plan'])).toMatchObject({ body: { status: 'ACTION_REQUIRED', reason: 'Attach the plan' } });
    expect(reviewerRequest(['benefit-rejected', ID, '--reason', 'No'])).toMatchObject({ body: { status: 'REJECTED', reason: 'No' } });
    expect(reviewerRequest(['benefit-show', ID])).toMatchObject({ method: 'GET', path: `/__local/partner-central/benefit-applications/${ID}` });
  });

  it('refuses an id that is not a benefit application id, and an unknown move', () => {
    expect(reviewerRequest(['benefit-approved', 'O5550001'])).toHaveProperty('error');
    expect(reviewerRequest(['benefit-frobnicate', ID])).toHaveProperty('error');
  });
});

import { describe, expect, it } from 'vitest';
import { nextStage, standingOf, STAGES } from '../../functions/core/application/standing.ts';
import { transitionMarker } from '../../functions/core/notifications.ts';
import { newApplication } from '../../functions/core/intake.ts';
import type { Application, ApplicationStatus, RecordStatus } from '../../schemas/application.ts';
import { exampleWorksheet } from '../support/fixtures.ts';

const now = new Date('2026-11-27T12:00:00Z');

function rejectedApplication(notifiedUpTo: number): Application {
  const app = newApplication({ id: 'app_s', worksheet: exampleWorksheet(), tokenHash: 'h', now });
  const transitions = Array.from({ length: 10 }, (_, i) => ({ at: now.toISOString(), actor: { kind: 'system' as const, id: 'x' }, from: null, to: 'rejected' as const, reason: 'r', version: i + 1 }));
  return {
    ...app, status: 'rejected', version: 10, transitions,
    briefs: [{ programId: 'bedrock-poc', body: {}, problems: [], record: { status: 'rejected' } }],
    notified: Array.from({ length: notifiedUpTo }, (_, i) => transitionMarker(i + 1)),
  };
}

describe('where the workflow goes next', () => {
  it('mails a change that landed after the last notices before ending (a terminal state has no later wait)', () => {
    expect(nextStage(rejectedApplication(9))).toBe(STAGES.notify);
    expect(nextStage(rejectedApplication(10))).toBe(STAGES.rejected);
  });
});

describe('where an application stands (the workflow\'s WhereNext)', () => {
  const at = (status: ApplicationStatus, records: RecordStatus[] = [], confirmed = true): Application => ({
    ...newApplication({ id: 'app_w', worksheet: exampleWorksheet(), tokenHash: 'h', now }),
    status,
    addressConfirmation: confirmed ? { requested: 1, sent: 1, confirmedAt: now.toISOString() } : { requested: 1, sent: 1 },
    briefs: records.map((r, i) => ({ programId: `p${i}`, body: {}, problems: [], record: { status: r } })),
  });

  it('names the step for each status before approval', () => {
    expect(standingOf(at('submitted'))).toBe(STAGES.size);
    expect(standingOf(at('sized'))).toBe(STAGES.draft);
    expect(standingOf(at('drafted'))).toBe(STAGES.route);
    expect(standingOf(at('drafted', [], false))).toBe(STAGES.addressConfirmation);
    expect(standingOf(at('unrouted'))).toBe(STAGES.unrouted);
    expect(standingOf(at('routed'))).toBe(STAGES.partnerReview);
    expect(standingOf(at('in_partner_review'))).toBe(STAGES.partnerReview);
    expect(standingOf(at('changes_requested'))).toBe(STAGES.founderRevision);
    expect(standingOf(at('withdrawn', ['draft']))).toBe(STAGES.closed);
    expect(standingOf(at('failed', ['approved']))).toBe(STAGES.closed);
  });

  it('after approval, follows the least advanced record: AWS decision, then credits, then applied or rejected', () => {
    expect(standingOf(at('approved_for_filing'))).toBe(STAGES.closed); // nothing to file
    expect(standingOf(at('approved_for_filing', ['draft', 'credits_applied']))).toBe(STAGES.awsDecision);
    expect(standingOf(at('filed', ['filed', 'approved']))).toBe(STAGES.awsDecision);
    expect(standingOf(at('approved', ['approved', 'rejected']))).toBe(STAGES.credits);
    expect(standingOf(at('credits_applied', ['credits_applied', 'rejected']))).toBe(STAGES.creditsApplied);
    expect(standingOf(at('expired', ['expired']))).toBe(STAGES.creditsApplied);
    expect(standingOf(at('rejected', ['rejected', 'rejected']))).toBe(STAGES.rejected);
  });
});

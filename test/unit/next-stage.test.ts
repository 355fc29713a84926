import { describe, expect, it } from 'vitest';
import { nextStage, STAGES } from '../../functions/core/application/standing.ts';
import { transitionMarker } from '../../functions/core/notifications.ts';
import { newApplication } from '../../functions/core/intake.ts';
import type { Application } from '../../schemas/application.ts';
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

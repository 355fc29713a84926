import { describe, expect, it } from 'vitest';
import { planRevision } from '../../functions/core/application/founder-steps.ts';
import { newApplication, requestHashOf } from '../../functions/core/intake.ts';
import type { Application } from '../../schemas/application.ts';
import { exampleWorksheet } from '../support/fixtures.ts';

const now = new Date('2026-11-27T12:00:00Z');

function awaitingRevision(): Application {
  const app = newApplication({ id: 'app_rev', worksheet: exampleWorksheet(), tokenHash: 'h', now });
  return {
    ...app, status: 'changes_requested', version: 6,
    transitions: [...app.transitions, { at: now.toISOString(), actor: { kind: 'partner', id: 'p-x' }, from: 'in_partner_review', to: 'changes_requested', reason: 'narrow it', version: 6 }],
  };
}

describe('a founder revision', () => {
  it('keeps the intake hash, so a replay of the original submission still matches it', () => {
    const app = awaitingRevision();
    const revised = exampleWorksheet();
    revised.workload.requestsPerDay = 9000;
    const command = planRevision({ app, worksheet: revised, requestHash: requestHashOf(revised), now });
    expect(command.kind).toBe('apply');
    if (command.kind !== 'apply') return;
    expect(command.changes).toMatchObject({ worksheet: revised, revisionHash: requestHashOf(revised) });
    expect(command.changes).not.toHaveProperty('requestHash');
    expect(command.plan.transition).toMatchObject({ from: 'changes_requested', to: 'submitted', actor: { kind: 'founder' } });
  });

  it('replays the same revision, and treats a different one after it as new only after another change request', () => {
    const app = awaitingRevision();
    const revised = exampleWorksheet();
    revised.workload.requestsPerDay = 9000;
    const hash = requestHashOf(revised);
    const done: Application = {
      ...app, status: 'submitted', version: 7, worksheet: revised, revisionHash: hash,
      transitions: [...app.transitions, { at: now.toISOString(), actor: { kind: 'founder', id: 'founder' }, from: 'changes_requested', to: 'submitted', reason: 'revised', version: 7 }],
    };
    expect(planRevision({ app: done, worksheet: revised, requestHash: hash, now }).kind).toBe('replay');
    const other = exampleWorksheet();
    other.workload.requestsPerDay = 100;
    expect(() => planRevision({ app: done, worksheet: other, requestHash: requestHashOf(other), now })).toThrow(/submitted/);
  });

  it('names the changed fields in its reason (the partner is told what changed)', () => {
    const revised = exampleWorksheet();
    revised.workload.requestsPerDay = 9000;
    revised.useCase.summary = `${revised.useCase.summary} Narrowed.`;
    const command = planRevision({ app: awaitingRevision(), worksheet: revised, requestHash: requestHashOf(revised), now });
    expect(command.kind === 'apply' && command.plan.transition.reason).toBe('worksheet revised in answer to the change request; changed: useCase.summary, workload.requestsPerDay');
  });

  it('is refused with a 409 saying why when no change request is open', () => {
    const app = { ...awaitingRevision(), status: 'in_partner_review' as const };
    expect(() => planRevision({ app, worksheet: exampleWorksheet(), requestHash: 'x', now })).toThrow(
      "You cannot revise application app_rev now: a revision answers a partner's change request, and none is open (the application is 'in partner review')",
    );
  });
});

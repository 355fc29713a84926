import { describe, expect, it } from 'vitest';
import { planRevision } from '../../functions/core/application/founder-steps.ts';
import { addressConfirmed, confirmsRevisedAddress, resendRefusal, DEFAULT_CONFIRMATION_SETTINGS } from '../../functions/core/address-confirmation.ts';
import { standingOf, STAGES } from '../../functions/core/application/standing.ts';
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

  describe('that changes the contact address', () => {
    const confirmed = (): Application => ({
      ...awaitingRevision(),
      addressConfirmation: { requested: 2, sent: 2, confirmedAt: now.toISOString(), confirmedHash: 'c'.repeat(64), lastSentAt: now.toISOString(), expiresAt: now.toISOString() },
    });

    it('asks for a confirmation of the new address, numbered on from the last mail, with its own resend allowance', () => {
      const revised = exampleWorksheet();
      revised.contact.email = 'new-founder@example.org';
      const command = planRevision({ app: confirmed(), worksheet: revised, requestHash: requestHashOf(revised), now });
      if (command.kind !== 'apply') throw new Error('expected apply');
      const c = command.changes.addressConfirmation!;
      expect(c).toEqual({ requested: 3, sent: 2, firstMail: 3 });
      expect(command.plan.transition.reason).toBe('worksheet revised in answer to the change request (the new contact address is confirmed before it returns to the partner); changed: contact.email');
      // Once drafted again it waits on the founder's confirmation, not on routing.
      const drafted: Application = { ...confirmed(), status: 'drafted', worksheet: revised, addressConfirmation: c };
      expect(addressConfirmed(drafted)).toBe(false);
      expect(standingOf(drafted)).toBe(STAGES.addressConfirmation);
      expect(confirmsRevisedAddress(c)).toBe(true);
      // 3 resends after the revision's own mail (the intake round's resend does not count against the new address).
      expect(resendRefusal(drafted, DEFAULT_CONFIRMATION_SETTINGS)).toBeUndefined();
      expect(resendRefusal({ ...drafted, addressConfirmation: { ...c, requested: 5, sent: 5 } }, DEFAULT_CONFIRMATION_SETTINGS)).toBeUndefined();
      expect(resendRefusal({ ...drafted, addressConfirmation: { ...c, requested: 6, sent: 6 } }, DEFAULT_CONFIRMATION_SETTINGS)).toMatch(/at most 3/);
    });

    it('an application stored before confirmation existed starts at the first mail', () => {
      const revised = exampleWorksheet();
      revised.contact.email = 'new-founder@example.org';
      const { addressConfirmation: _none, ...legacy } = awaitingRevision();
      const command = planRevision({ app: legacy, worksheet: revised, requestHash: requestHashOf(revised), now });
      expect(command.kind === 'apply' && command.changes.addressConfirmation).toEqual({ requested: 1, sent: 0, firstMail: 1 });
    });

    it('the same mailbox in other case or spacing is no change: the confirmation stands', () => {
      const app = confirmed();
      const revised = exampleWorksheet();
      revised.contact.email = `  ${app.worksheet.contact.email.toUpperCase()} `;
      revised.workload.requestsPerDay = 9000;
      const command = planRevision({ app, worksheet: revised, requestHash: requestHashOf(revised), now });
      if (command.kind !== 'apply') throw new Error('expected apply');
      expect(command.changes).not.toHaveProperty('addressConfirmation');
      expect(command.plan.transition.reason).not.toContain('confirmed');
      expect(confirmsRevisedAddress(app.addressConfirmation)).toBe(false);
    });
  });
});

import { describe, expect, it } from 'vitest';
import { planRevision, planWithdraw, revisionReason } from '../../functions/core/application/founder-steps.ts';
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

  describe('that changes the AWS account', () => {
    const confirmed = (): Application => ({
      ...awaitingRevision(),
      addressConfirmation: { requested: 1, sent: 1, confirmedAt: now.toISOString(), confirmedHash: 'c'.repeat(64), lastSentAt: now.toISOString(), expiresAt: now.toISOString() },
    });

    it('is confirmed again from the contact address (credits go to the account named; its slot is claimed then)', () => {
      const app = confirmed();
      const revised = exampleWorksheet();
      revised.aws.accountId = '999988887777';
      expect(revised.aws.accountId).not.toBe(app.worksheet.aws.accountId);
      const command = planRevision({ app, worksheet: revised, requestHash: requestHashOf(revised), now });
      if (command.kind !== 'apply') throw new Error('expected apply');
      expect(command.changes.addressConfirmation).toEqual({ requested: 2, sent: 1, firstMail: 2 });
      expect(command.plan.transition.reason).toBe('worksheet revised in answer to the change request (the new AWS account is confirmed from the contact address before it returns to the partner); changed: aws.accountId');
      expect(addressConfirmed({ ...app, addressConfirmation: command.changes.addressConfirmation })).toBe(false);
    });

    it('with the address changed too, one confirmation of the new address covers both, and the reason names the address', () => {
      const revised = exampleWorksheet();
      revised.aws.accountId = '999988887777';
      revised.contact.email = 'new-founder@example.org';
      const command = planRevision({ app: confirmed(), worksheet: revised, requestHash: requestHashOf(revised), now });
      if (command.kind !== 'apply') throw new Error('expected apply');
      expect(command.changes.addressConfirmation).toEqual({ requested: 2, sent: 1, firstMail: 2 });
      expect(command.plan.transition.reason).toBe('worksheet revised in answer to the change request (the new contact address is confirmed before it returns to the partner); changed: aws.accountId, contact.email');
    });
  });

  it('resumes the founder-revision wait, and replays with the revision itself even once sizing moved on', () => {
    const app = awaitingRevision();
    const revised = exampleWorksheet();
    revised.workload.requestsPerDay = 9000;
    const hash = requestHashOf(revised);
    const command = planRevision({ app, worksheet: revised, requestHash: hash, now });
    expect(command.effects).toEqual({ callback: { kinds: ['founder-revision'], output: { decision: 'revised' } } });
    const t = (version: number, from: Application['status'], to: Application['status'], kind: 'founder' | 'system') =>
      ({ at: now.toISOString(), actor: kind === 'founder' ? { kind, id: 'founder' } : { kind, id: 'SizeAsk' }, from, to, reason: 'r', version });
    const sized: Application = {
      ...app, status: 'sized', version: 8, worksheet: revised, revisionHash: hash,
      transitions: [...app.transitions, t(7, 'changes_requested', 'submitted', 'founder'), t(8, 'submitted', 'sized', 'system')],
    };
    const replay = planRevision({ app: sized, worksheet: revised, requestHash: hash, now });
    expect(replay.kind).toBe('replay');
    expect(replay.kind === 'replay' && replay.transition?.version).toBe(7);
    // A newer change request: the same worksheet again is a new revision, not a replay.
    const again: Application = { ...sized, status: 'changes_requested', version: 10, transitions: [...sized.transitions, t(9, 'sized', 'drafted', 'system'), { ...t(10, 'drafted', 'changes_requested', 'system'), actor: { kind: 'partner', id: 'p-x' } }] };
    expect(planRevision({ app: again, worksheet: revised, requestHash: hash, now }).kind).toBe('apply');
  });

  it('lists at most 12 changed fields, then how many more', () => {
    const before = exampleWorksheet();
    const after = exampleWorksheet();
    after.company.name = 'x';
    after.workload.requestsPerDay += 1;
    after.workload.avgInputTokens += 1;
    after.workload.avgOutputTokens += 1;
    after.useCase.summary = `${after.useCase.summary} more`;
    after.contact.firstName = 'y';
    after.contact.lastName = 'z';
    after.company.website = 'https://other.example.com';
    after.workload.monthsToCover += 1;
    after.workload.batchableShare = 0.33;
    after.workload.cacheHitRate = 0.33;
    after.workload.cacheableContextTokens += 7;
    after.contact.title = 'CTO of things';
    after.workload.monthlyGrowth = 0.077;
    const reason = revisionReason(before, after);
    expect(reason).toMatch(/^worksheet revised in answer to the change request; changed: ([\w.]+, ){11}[\w.]+ and \d+ more$/);
    expect(revisionReason(before, before)).toBe('worksheet revised in answer to the change request; no field changed');
  });
});

describe('withdrawing', () => {
  const base = () => awaitingRevision();
  it('stops the execution and releases the partner\'s slot, as the founder', () => {
    const app: Application = { ...base(), partner: { partnerId: 'p-x', partnerName: 'X', assignedAt: now.toISOString(), reasons: [] } };
    const command = planWithdraw({ app, now });
    expect(command.effects).toEqual({ releaseSlotOf: 'p-x', stopExecution: { error: 'Withdrawn', cause: 'The founder withdrew the application.' } });
    expect(command.kind === 'apply' && command.plan.transition).toMatchObject({ from: 'changes_requested', to: 'withdrawn', actor: { kind: 'founder' }, reason: 'withdrawn by the founder' });
    expect(planWithdraw({ app: base(), now }).effects).not.toHaveProperty('releaseSlotOf');
  });

  it('replays with the withdrawal itself once withdrawn', () => {
    const app = base();
    const withdrawn: Application = {
      ...app, status: 'withdrawn', version: 7,
      transitions: [...app.transitions, { at: now.toISOString(), actor: { kind: 'founder', id: 'founder' }, from: 'changes_requested', to: 'withdrawn', reason: 'withdrawn by the founder', version: 7 }],
    };
    const replay = planWithdraw({ app: withdrawn, now });
    expect(replay.kind === 'replay' && replay.transition?.version).toBe(7);
  });

  it('is refused once any stacked record is filed at ACE, naming it; a record only approved for filing does not stop it', () => {
    const app: Application = {
      ...base(), status: 'approved_for_filing',
      briefs: [
        { programId: 'bedrock-poc', body: {}, problems: [], record: { status: 'approved_for_filing' } },
        { programId: 'activate-portfolio', body: {}, problems: [], record: { status: 'filed', opportunityId: 'O1' } },
      ],
    };
    expect(() => planWithdraw({ app, now })).toThrow("The activate-portfolio record is already 'filed' at ACE: an application can be withdrawn only before filing");
    expect(planWithdraw({ app: { ...app, briefs: [app.briefs![0]!] }, now }).kind).toBe('apply');
    expect(planWithdraw({ app: { ...app, briefs: undefined }, now }).kind).toBe('apply');
    expect(planWithdraw({ app: { ...app, briefs: [{ programId: 'bedrock-poc', body: {}, problems: [], record: { status: 'draft' } }] }, now }).kind).toBe('apply');
  });
});

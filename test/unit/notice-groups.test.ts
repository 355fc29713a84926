/**
 * The mails are split by who sends them (functions/core/notice-mail.ts and the notices-*.ts modules): each function's
 * composer (functions/wiring/notice-composers.ts) must compose every kind that function can send, and composeNotice
 * (Notify) every kind, the same mail as its group.
 */
import { describe, expect, it } from 'vitest';
import { composeNotice, NOTICE_KINDS, type NoticeKind } from '../../functions/core/notifications.ts';
import { composeTransitionNotice, noticesForTransition } from '../../functions/core/notices-transition.ts';
import { composeReminderNotice } from '../../functions/core/notices-reminder.ts';
import { composeExpiryNotice } from '../../functions/core/notices-expiry.ts';
import { expirySweepNotices, operationsActionNotices, operationsNudgeNotices } from '../../functions/wiring/notice-composers.ts';
import { planNudge } from '../../functions/core/operations/actions.ts';
import { newApplication } from '../../functions/core/intake.ts';
import { APPLICATION_STATUSES, FUNDING_STATUSES, RECORD_STATUSES, type Actor, type Transition } from '../../schemas/application.ts';
import { exampleWorksheet } from '../support/fixtures.ts';

const app = newApplication({ id: 'app_groups', worksheet: exampleWorksheet(), tokenHash: 'h', now: new Date('2026-11-27T00:00:00Z') });
const ctx = { application: app, opsEmail: 'ops@example.com', baseUrl: 'https://x' };
const ACTORS: Actor[] = [{ kind: 'system', id: 't' }, { kind: 'ops', id: 'o' }, { kind: 'partner', id: 'p' }, { kind: 'founder', id: 'f' }];

/** Every kind a transition can call for, over a grid of application, record and funding moves by every actor. */
function transitionKinds(): Set<NoticeKind> {
  const kinds = new Set<NoticeKind>(['partner-status-update']); // the reassigned/lapsed partner's mail (usecases/notifier.ts)
  const base = { at: '2026-11-27T00:00:00Z', reason: 'r', version: 2 };
  for (const actor of ACTORS) {
    for (const from of APPLICATION_STATUSES) {
      for (const to of APPLICATION_STATUSES) {
        for (const firstRouting of [true, false]) {
          const t: Transition = { ...base, actor, from, to };
          for (const k of noticesForTransition(t, { firstRouting })) kinds.add(k);
          for (const r of RECORD_STATUSES) {
            for (const k of noticesForTransition({ ...t, record: { programId: 'p', from: 'draft', to: r } } as Transition, { firstRouting })) kinds.add(k);
          }
          for (const f of FUNDING_STATUSES) {
            for (const k of noticesForTransition({ ...t, funding: { programId: 'p', to: f } } as Transition, { firstRouting })) kinds.add(k);
          }
        }
      }
    }
  }
  return kinds;
}

describe('notice groups', () => {
  it('every kind a transition calls for is composed by the transition group, so the expiry sweep and operations can mail any transition', () => {
    const kinds = transitionKinds();
    expect(kinds.size).toBeGreaterThan(5);
    for (const kind of kinds) {
      expect(composeTransitionNotice(kind, ctx), kind).toBeDefined();
      expect(() => expirySweepNotices(kind, ctx), kind).not.toThrow();
      expect(() => operationsActionNotices(kind, ctx), kind).not.toThrow();
    }
  });

  it('the expiry sweep composes its reminder; the nudge (its own function) composes every reminder it sends', () => {
    expect(expirySweepNotices('founder-expiry-reminder', { ...ctx, expiry: { programId: 'p', daysLeft: 30, expiresOn: '2027-01-01' } }).subject).toContain('expire in 30 days');
    const nudged = new Set<NoticeKind>();
    for (const status of APPLICATION_STATUSES) {
      let notice: NoticeKind;
      try {
        notice = planNudge({ ...app, status }, ACTORS[1]!, 'please act', new Date('2026-11-28T00:00:00Z')).notice;
      } catch {
        continue; // nobody to nudge in this status
      }
      expect(operationsNudgeNotices(notice, ctx).to.length, notice).toBeGreaterThan(0);
      nudged.add(notice);
    }
    expect(nudged.size).toBe(4);
  });

  it('composeNotice composes every kind, each exactly as its group does; a function sending a kind outside its groups fails loudly', () => {
    const groups = [composeTransitionNotice, composeReminderNotice, composeExpiryNotice];
    for (const kind of NOTICE_KINDS) {
      const mail = composeNotice(kind, ctx);
      expect(mail.to.length, kind).toBeGreaterThan(0);
      const fromGroup = groups.map((g) => g(kind, ctx)).filter(Boolean);
      expect(fromGroup.length, kind).toBeLessThanOrEqual(1);
      if (fromGroup[0]) expect(fromGroup[0]).toEqual(mail);
    }
    expect(() => expirySweepNotices('ops-escalation', ctx)).toThrow(/ops-escalation is not composed by this function/);
  });
});

/**
 * functions/core/notices-transition.ts: who is mailed about a transition (noticesForTransition), the line that says
 * what changed (describeTransition) and each mail's recipient, subject, lines and link (composeTransitionNotice),
 * including the partner's "revised application" mail after a founder's revision. Inputs are built inside each test:
 * StrykerJS counts only what a test runs as covered by it.
 */
import { describe, expect, it } from 'vitest';
import { composeTransitionNotice, describeTransition, noticesForTransition } from '../../functions/core/notices-transition.ts';
import { newApplication } from '../../functions/core/intake.ts';
import type { Actor, Application, Transition } from '../../schemas/application.ts';
import type { PartnerProfile } from '../../schemas/partner.ts';
import { exampleWorksheet } from '../support/fixtures.ts';

const SYSTEM: Actor = { kind: 'system', id: 'wf' };
const OPS: Actor = { kind: 'ops', id: 'o' };
const PARTNER: Actor = { kind: 'partner', id: 'p-northwind' };
const FOUNDER: Actor = { kind: 'founder', id: 'f' };

function tr(over: Partial<Transition>): Transition {
  return { at: '2026-11-27T00:00:00Z', actor: SYSTEM, from: 'submitted', to: 'routed', reason: 'r', version: 2, ...over } as Transition;
}

function application(over: Partial<Application> = {}): Application {
  return { ...newApplication({ id: 'app_t', worksheet: exampleWorksheet(), tokenHash: 'h', now: new Date('2026-11-27T00:00:00Z') }), ...over };
}

function partner(): PartnerProfile {
  return { id: 'p-northwind', name: 'Northwind', tier: 'Premier', contactEmail: 'review@northwind.example' } as PartnerProfile;
}

function ctx(over: Record<string, unknown> = {}) {
  return { application: application(), opsEmail: 'ops@example.com', baseUrl: 'https://x', ...over } as Parameters<typeof composeTransitionNotice>[1];
}

const FOUNDER_LINK = 'Your application: https://x/applications/app_t\n';
const PARTNER_LINK = 'Open the application: https://x/partner/applications/app_t\n';
const OPS_LINK = 'Operations view: https://x/ops/applications/app_t\n';

describe('describeTransition', () => {
  it('names the application move, with and without a status before', () => {
    expect(describeTransition(tr({ from: 'in_aws_review', to: 'action_required', reason: 'AWS asks' }))).toBe('The application moved from in aws review to action required: AWS asks');
    expect(describeTransition(tr({ from: null, to: 'submitted', reason: 'in' }))).toBe('The application moved to submitted: in');
  });

  it('names a record move by its program', () => {
    expect(describeTransition(tr({ to: 'approved', record: { programId: 'p0', from: 'in_aws_review', to: 'action_required' }, reason: 'x' })))
      .toBe('The p0 record moved from in aws review to action required: x');
  });

  it('names a funding request move, with and without a status before', () => {
    expect(describeTransition(tr({ funding: { programId: 'p1', from: 'in_review', to: 'action_required' }, reason: 'y' })))
      .toBe('The p1 funding request (Partner Central Benefits) moved from in review to action required: y');
    expect(describeTransition(tr({ funding: { programId: 'p1', from: null, to: 'submitted' }, reason: 'y' })))
      .toBe('The p1 funding request (Partner Central Benefits) moved to submitted: y');
  });
});

describe('noticesForTransition', () => {
  const first = { firstRouting: true };
  const later = { firstRouting: false };

  it('sends nothing for a record approved for filing, whatever the application status', () => {
    expect(noticesForTransition(tr({ to: 'approved_for_filing', record: { programId: 'p', from: 'draft', to: 'approved_for_filing' } }), later)).toEqual([]);
    expect(noticesForTransition(tr({ actor: PARTNER, to: 'changes_requested', record: { programId: 'p', from: 'draft', to: 'approved_for_filing' } }), later)).toEqual([]);
  });

  it('mails a funding request change by the funding status, never to who made it', () => {
    const f = (to: string, actor: Actor) => tr({ actor, to: 'rejected', funding: { programId: 'p', from: null, to } as Transition['funding'] });
    expect(noticesForTransition(f('approved', SYSTEM), later)).toEqual(['founder-status-update', 'partner-status-update']);
    expect(noticesForTransition(f('approved', PARTNER), later)).toEqual(['founder-status-update']);
    expect(noticesForTransition(f('action_required', FOUNDER), later)).toEqual(['partner-status-update']);
    expect(noticesForTransition(f('drafted', SYSTEM), later)).toEqual([]);
  });

  it('mails a record change with a funding request by the record status', () => {
    const t = tr({ to: 'approved', record: { programId: 'p', from: 'in_aws_review', to: 'approved' }, funding: { programId: 'p', from: null, to: 'drafted' } });
    expect(noticesForTransition(t, later)).toEqual(['founder-status-update', 'partner-status-update']);
  });

  it('closes an unconfirmed address quietly only when the workflow withdraws it from drafted', () => {
    expect(noticesForTransition(tr({ from: 'drafted', to: 'withdrawn', actor: SYSTEM }), later)).toEqual([]);
    expect(noticesForTransition(tr({ from: 'in_partner_review', to: 'withdrawn', actor: SYSTEM }), later)).toEqual(['partner-status-update', 'ops-status-update']);
    expect(noticesForTransition(tr({ from: 'drafted', to: 'withdrawn', actor: PARTNER }), later)).toEqual(['ops-status-update']);
    expect(noticesForTransition(tr({ from: 'drafted', to: 'rejected', actor: SYSTEM }), later)).toEqual(['founder-status-update', 'partner-status-update', 'ops-status-update']);
  });

  it('keeps quiet on a never-shared application only when its founder withdraws it', () => {
    expect(noticesForTransition(tr({ from: 'drafted', to: 'withdrawn', actor: FOUNDER }), { ...later, neverShared: true })).toEqual([]);
    expect(noticesForTransition(tr({ from: 'drafted', to: 'withdrawn', actor: PARTNER }), { ...later, neverShared: true })).toEqual(['ops-status-update']);
    expect(noticesForTransition(tr({ from: 'in_aws_review', to: 'rejected', actor: FOUNDER }), { ...later, neverShared: true })).toEqual(['partner-status-update', 'ops-status-update']);
  });

  it('confirms and assigns on the first routing, updates and assigns on a later one', () => {
    expect(noticesForTransition(tr({ to: 'routed' }), first)).toEqual(['founder-confirmation', 'partner-assignment']);
    expect(noticesForTransition(tr({ to: 'routed' }), later)).toEqual(['founder-status-update', 'partner-assignment']);
    expect(noticesForTransition(tr({ to: 'unrouted' }), first)).toEqual(['founder-confirmation', 'ops-unrouted']);
    expect(noticesForTransition(tr({ to: 'unrouted' }), later)).toEqual(['founder-status-update', 'ops-unrouted']);
  });

  it('tells operations of a review taken back, and nobody of a draft from elsewhere', () => {
    expect(noticesForTransition(tr({ from: 'in_partner_review', to: 'drafted', actor: PARTNER }), later)).toEqual(['ops-status-update']);
    expect(noticesForTransition(tr({ from: 'sized', to: 'drafted' }), later)).toEqual([]);
    expect(noticesForTransition(tr({ from: 'in_partner_review', to: 'approved_for_filing', actor: PARTNER }), later)).toEqual(['founder-status-update']);
  });

  it('sends the change request to the founder, even when a partner asked', () => {
    expect(noticesForTransition(tr({ from: 'in_partner_review', to: 'changes_requested', actor: PARTNER }), later)).toEqual(['founder-changes-requested']);
  });

  it('tells the founder and the partner when operations withdraw, and nobody hears what they did themselves', () => {
    expect(noticesForTransition(tr({ from: 'in_partner_review', to: 'withdrawn', actor: OPS }), later)).toEqual(['founder-status-update', 'partner-status-update']);
    expect(noticesForTransition(tr({ from: 'in_partner_review', to: 'withdrawn', actor: FOUNDER }), later)).toEqual(['partner-status-update', 'ops-status-update']);
    expect(noticesForTransition(tr({ from: 'filed', to: 'rejected', actor: OPS }), later)).toEqual(['founder-status-update', 'partner-status-update']);
    // Any other move operations record goes by the status: the partner hears nothing of a filing under review.
    expect(noticesForTransition(tr({ from: 'filed', to: 'in_aws_review', actor: OPS }), later)).toEqual(['founder-status-update']);
    expect(noticesForTransition(tr({ from: 'sized', to: 'submitted', actor: OPS }), later)).toEqual([]);
  });

  it('chooses by the record status when the change concerns one record', () => {
    expect(noticesForTransition(tr({ to: 'routed', record: { programId: 'p', from: 'filed', to: 'in_aws_review' } }), first)).toEqual(['founder-status-update']);
    expect(noticesForTransition(tr({ to: 'withdrawn', actor: OPS, record: { programId: 'p', from: 'filed', to: 'rejected' } }), later)).toEqual(['founder-status-update', 'partner-status-update']);
  });
});

describe('composeTransitionNotice: the founder confirmation', () => {
  it('names the partner who will review, with the ask summary, to the founder only', () => {
    const m = composeTransitionNotice('founder-confirmation', ctx({ partner: partner(), askSummary: 'Ask: $5,000' }))!;
    expect(m.to).toEqual([exampleWorksheet().contact.email]);
    expect(m.subject).toBe('We received Ledgerly Labs\' Bedrock credit application');
    expect(m.text).toBe([
      'Hi Maya,', 'Your worksheet for Ledgerly Labs is in. Application id: app_t.', 'Ask: $5,000',
      'Northwind (AWS Premier Tier partner) will review the drafted ACE records and may contact you to confirm scope.',
      'Use the access token from your submission to follow progress.', FOUNDER_LINK,
    ].join('\n\n'));
  });

  it('says no program fits when unrouted without briefs, and that a partner is being matched otherwise', () => {
    const none = composeTransitionNotice('founder-confirmation', ctx({ application: application({ status: 'unrouted' }) }))!;
    expect(none.text).toContain('None of the partner-filed programs fits this worksheet yet');
    expect(none.text).not.toContain('We are matching you');
    const withBriefs = composeTransitionNotice('founder-confirmation', ctx({ application: application({ status: 'unrouted', briefs: [{}] } as unknown as Partial<Application>) }))!;
    expect(withBriefs.text).toContain('We are matching you with a vetted AWS partner and will write when one is assigned.');
    const notUnrouted = composeTransitionNotice('founder-confirmation', ctx({ application: application({ status: 'routed' }) }))!;
    expect(notUnrouted.text).toContain('We are matching you with a vetted AWS partner');
    expect(notUnrouted.text).not.toContain('None of the partner-filed programs');
    expect(notUnrouted.text.split('\n\n')).toHaveLength(5);
  });
});

describe('composeTransitionNotice: the partner assignment', () => {
  it('sends a new application to the assigned partner, with the ask summary and the partner link', () => {
    const m = composeTransitionNotice('partner-assignment', ctx({ partner: partner(), askSummary: 'Ask: $5,000' }))!;
    expect(m.to).toEqual(['review@northwind.example']);
    expect(m.subject).toBe('New application to review: Ledgerly Labs');
    expect(m.text).toBe([
      'Ledgerly Labs (seed, US) was routed to you for ACE filing.',
      `Use case: ${exampleWorksheet().useCase.summary}`, 'Ask: $5,000',
      'The drafted CreateOpportunity records and their validation reports are waiting in your review queue.', PARTNER_LINK,
    ].join('\n\n'));
  });

  it('falls back to operations when there is no partner, without an ask summary line', () => {
    const m = composeTransitionNotice('partner-assignment', ctx())!;
    expect(m.to).toEqual(['ops@example.com']);
    expect(m.text.split('\n\n')).toHaveLength(4);
  });

  /** submitted (v1), routed (v2), changes requested (v3), revised (v4), routed again (v5). */
  function revisedHistory(changedReason = 'founder revised; changed: useCase.summary, models'): Transition[] {
    return [
      tr({ actor: FOUNDER, from: null, to: 'submitted', reason: 'worksheet submitted', version: 1 }),
      tr({ from: 'drafted', to: 'routed', version: 2 }),
      tr({ actor: PARTNER, from: 'in_partner_review', to: 'changes_requested', reason: 'Name the models', version: 3 }),
      tr({ actor: FOUNDER, from: 'changes_requested', to: 'submitted', reason: changedReason, version: 4 }),
      tr({ from: 'drafted', to: 'routed', version: 5 }),
    ];
  }

  it('tells the partner a revised application is back, with their request and what changed', () => {
    const transitions = revisedHistory();
    const m = composeTransitionNotice('partner-assignment', ctx({ partner: partner(), application: application({ transitions }), transition: transitions[4], askSummary: 'Ask: $6,000' }))!;
    expect(m.to).toEqual(['review@northwind.example']);
    expect(m.subject).toBe('Revised application to review: Ledgerly Labs');
    expect(m.text).toBe([
      'Ledgerly Labs answered the change request on application app_t with a revised worksheet (you asked: "Name the models").',
      'What changed: useCase.summary, models', 'Ask: $6,000',
      'It was re-sized and the ACE records re-drafted: they are back in your review queue.', PARTNER_LINK,
    ].join('\n\n'));
  });

  it('reads the history up to the latest transition when no routing is given, and says when no field changed', () => {
    const transitions = revisedHistory('founder revised').slice(0, 4);
    const m = composeTransitionNotice('partner-assignment', ctx({ application: application({ transitions }) }))!;
    expect(m.to).toEqual(['ops@example.com']);
    expect(m.subject).toBe('Revised application to review: Ledgerly Labs');
    expect(m.text).toContain('What changed: the founder did not change any field\n');
    expect(m.text.split('\n\n')).toHaveLength(4);
  });

  it('leaves out "you asked" when the history holds no change request', () => {
    const transitions = revisedHistory().filter((t) => t.to !== 'changes_requested');
    const m = composeTransitionNotice('partner-assignment', ctx({ application: application({ transitions }), transition: transitions[3] }))!;
    expect(m.text).toContain('app_t with a revised worksheet.\n');
    expect(m.text).not.toContain('you asked');
  });

  it('quotes the latest change request, not an earlier one', () => {
    const transitions = [
      ...revisedHistory(),
      tr({ actor: PARTNER, from: 'in_partner_review', to: 'changes_requested', reason: 'Second ask', version: 6 }),
      tr({ actor: FOUNDER, from: 'changes_requested', to: 'submitted', reason: 'again; changed: team', version: 7 }),
      tr({ from: 'drafted', to: 'routed', version: 8 }),
    ];
    const m = composeTransitionNotice('partner-assignment', ctx({ application: application({ transitions }), transition: transitions[7] }))!;
    expect(m.text).toContain('(you asked: "Second ask")');
    expect(m.text).toContain('What changed: team\n');
  });

  it('is a new application on a first routing: the first submission is no revision', () => {
    const transitions = revisedHistory().slice(0, 2);
    const m = composeTransitionNotice('partner-assignment', ctx({ application: application({ transitions }), transition: transitions[1] }))!;
    expect(m.subject).toBe('New application to review: Ledgerly Labs');
  });

  it('is a new application for a re-routing after the revision was already routed once', () => {
    const transitions = [...revisedHistory(), tr({ from: 'drafted', to: 'routed', version: 6 })];
    expect(composeTransitionNotice('partner-assignment', ctx({ application: application({ transitions }), transition: transitions[5] }))!.subject)
      .toBe('New application to review: Ledgerly Labs');
    const viaUnrouted = [...revisedHistory().slice(0, 4), tr({ from: 'drafted', to: 'unrouted', version: 5 }), tr({ from: 'unrouted', to: 'routed', version: 6 })];
    expect(composeTransitionNotice('partner-assignment', ctx({ application: application({ transitions: viaUnrouted }), transition: viaUnrouted[5] }))!.subject)
      .toBe('New application to review: Ledgerly Labs');
  });

  it('ignores transitions after the routing and the routing itself, and record transitions', () => {
    const transitions = [...revisedHistory(), tr({ from: 'drafted', to: 'routed', version: 6 })];
    // The mail of the routing at v5 (sent late, after a re-routing at v6) still reads as the revision's.
    expect(composeTransitionNotice('partner-assignment', ctx({ application: application({ transitions }), transition: transitions[4] }))!.subject)
      .toBe('Revised application to review: Ledgerly Labs');
    const withRecord = [...revisedHistory().slice(0, 4), tr({ to: 'routed', record: { programId: 'p', from: 'draft', to: 'draft' }, version: 5 }), tr({ from: 'drafted', to: 'routed', version: 6 })];
    expect(composeTransitionNotice('partner-assignment', ctx({ application: application({ transitions: withRecord }), transition: withRecord[5] }))!.subject)
      .toBe('Revised application to review: Ledgerly Labs');
  });
});

describe('composeTransitionNotice: operations, status updates and the change request', () => {
  it('tells operations no partner matched, with the detail or the default reason', () => {
    const m = composeTransitionNotice('ops-unrouted', ctx())!;
    expect(m.to).toEqual(['ops@example.com']);
    expect(m.subject).toBe('No partner matched Ledgerly Labs (app_t)');
    expect(m.text).toBe(['Application app_t could not be routed automatically.', 'No partner with free capacity serves this Region and stack.', OPS_LINK].join('\n\n'));
    expect(composeTransitionNotice('ops-unrouted', ctx({ detail: 'No Premier partner in eu-west-3.' }))!.text).toContain('\n\nNo Premier partner in eu-west-3.\n\n');
  });

  it('updates the founder on a funding request', () => {
    const transition = tr({ funding: { programId: 'p1', from: 'in_review', to: 'action_required' }, reason: 'fix' });
    const m = composeTransitionNotice('founder-status-update', ctx({ transition }))!;
    expect(m.to).toEqual([exampleWorksheet().contact.email]);
    expect(m.subject).toBe('Ledgerly Labs: your p1 credit request is now action required');
    expect(m.text).toBe(['Hi Maya,', 'The p1 funding request (Partner Central Benefits) moved from in review to action required: fix', FOUNDER_LINK].join('\n\n'));
    expect(composeTransitionNotice('founder-status-update', ctx({ transition, detail: 'D' }))!.text).toBe(['Hi Maya,', 'D', FOUNDER_LINK].join('\n\n'));
  });

  it('updates the founder on a record, on the application, and without a transition', () => {
    const rec = tr({ to: 'approved', record: { programId: 'p0', from: 'in_aws_review', to: 'approved' }, funding: { programId: 'p0', from: null, to: 'drafted' }, reason: 'ok' });
    const m = composeTransitionNotice('founder-status-update', ctx({ transition: rec }))!;
    expect(m.subject).toBe('Ledgerly Labs: your p0 record is now approved');
    expect(m.text).toBe(['Hi Maya,', 'The p0 record moved from in aws review to approved: ok', FOUNDER_LINK].join('\n\n'));
    const appMove = composeTransitionNotice('founder-status-update', ctx({ transition: tr({ from: 'filed', to: 'in_aws_review', reason: 'sync' }) }))!;
    expect(appMove.subject).toBe('Ledgerly Labs: your application is now in aws review');
    expect(appMove.text).toContain('The application moved from filed to in aws review: sync');
    const none = composeTransitionNotice('founder-status-update', ctx({ application: application({ status: 'credits_applied' }) }))!;
    expect(none.subject).toBe('Ledgerly Labs: your application is now credits applied');
    expect(none.text).toBe(['Hi Maya,', 'Application app_t moved to credits applied.', FOUNDER_LINK].join('\n\n'));
    expect(composeTransitionNotice('founder-status-update', ctx({ detail: 'D' }))!.text).toBe(['Hi Maya,', 'D', FOUNDER_LINK].join('\n\n'));
  });

  it('updates the partner on a funding request, with what to do next for action required and rejected', () => {
    const f = (to: string) => tr({ funding: { programId: 'p1', from: 'in_review', to } as Transition['funding'], reason: 'r' });
    const ask = composeTransitionNotice('partner-status-update', ctx({ partner: partner(), transition: f('action_required') }))!;
    expect(ask.to).toEqual(['review@northwind.example']);
    expect(ask.subject).toBe('Ledgerly Labs (app_t): p1 funding request action required');
    expect(ask.text).toBe([
      'The p1 funding request (Partner Central Benefits) moved from in review to action required: r',
      'AWS asks for changes to the benefit application: PATCH …/funding, then POST …/funding/submit-via-api.', PARTNER_LINK,
    ].join('\n\n'));
    const rejected = composeTransitionNotice('partner-status-update', ctx({ transition: f('rejected'), detail: 'D' }))!;
    expect(rejected.to).toEqual(['ops@example.com']);
    expect(rejected.text).toBe(['D', 'Credits obtained another way can still be recorded with POST …/credits.', PARTNER_LINK].join('\n\n'));
    expect(composeTransitionNotice('partner-status-update', ctx({ transition: f('approved') }))!.text.split('\n\n')).toHaveLength(2);
  });

  it('updates the partner on a record or the application, with what to do when AWS asks for changes', () => {
    const rec = tr({ to: 'filed', record: { programId: 'p0', from: 'in_aws_review', to: 'action_required' }, reason: 'x' });
    const m = composeTransitionNotice('partner-status-update', ctx({ partner: partner(), transition: rec }))!;
    expect(m.to).toEqual(['review@northwind.example']);
    expect(m.subject).toBe('Ledgerly Labs (app_t): action required');
    expect(m.text).toBe(['The p0 record moved from in aws review to action required: x', 'AWS asks for changes: update the fields ACE lets you change and refile.', PARTNER_LINK].join('\n\n'));
    const appAsk = composeTransitionNotice('partner-status-update', ctx({ transition: tr({ from: 'in_aws_review', to: 'action_required', reason: 'y' }) }))!;
    expect(appAsk.to).toEqual(['ops@example.com']);
    expect(appAsk.text).toContain('AWS asks for changes: update the fields');
    const approved = composeTransitionNotice('partner-status-update', ctx({ transition: tr({ from: 'in_aws_review', to: 'approved', reason: 'y' }), detail: 'D' }))!;
    expect(approved.subject).toBe('Ledgerly Labs (app_t): approved');
    expect(approved.text).toBe(['D', PARTNER_LINK].join('\n\n'));
    const none = composeTransitionNotice('partner-status-update', ctx({ application: application({ status: 'in_aws_review' }) }))!;
    expect(none.subject).toBe('Ledgerly Labs (app_t): in aws review');
    expect(none.text).toBe(['Application app_t is now in aws review.', PARTNER_LINK].join('\n\n'));
  });

  it('updates operations on a record, the application or the status alone', () => {
    const rec = composeTransitionNotice('ops-status-update', ctx({ transition: tr({ to: 'filed', record: { programId: 'p0', from: 'filed', to: 'in_aws_review' }, reason: 'z' }) }))!;
    expect(rec.to).toEqual(['ops@example.com']);
    expect(rec.subject).toBe('app_t: in aws review');
    expect(rec.text).toBe(['The p0 record moved from filed to in aws review: z', OPS_LINK].join('\n\n'));
    const back = composeTransitionNotice('ops-status-update', ctx({ transition: tr({ from: 'in_partner_review', to: 'drafted', reason: 'declined' }) }))!;
    expect(back.subject).toBe('app_t: drafted');
    expect(back.text).toContain('The application moved from in partner review to drafted: declined');
    const none = composeTransitionNotice('ops-status-update', ctx({ application: application({ status: 'in_partner_review' }) }))!;
    expect(none.subject).toBe('app_t: in partner review');
    expect(none.text).toBe(['Application app_t is now in partner review.', OPS_LINK].join('\n\n'));
    expect(composeTransitionNotice('ops-status-update', ctx({ detail: 'D' }))!.text).toBe(['D', OPS_LINK].join('\n\n'));
  });

  it('tells the founder what the partner asked for', () => {
    const transition = tr({ actor: PARTNER, from: 'in_partner_review', to: 'changes_requested', reason: 'Name the models' });
    const m = composeTransitionNotice('founder-changes-requested', ctx({ partner: partner(), transition, detail: 'ignored' }))!;
    expect(m.to).toEqual([exampleWorksheet().contact.email]);
    expect(m.subject).toBe('Ledgerly Labs: your partner asks for changes');
    expect(m.text).toBe([
      'Hi Maya,', 'Northwind reviewed the drafted ACE records and asks for changes before filing:', 'Name the models',
      'Revise your worksheet from your application page; it will be re-sized and go back to the same partner.', FOUNDER_LINK,
    ].join('\n\n'));
    const bare = composeTransitionNotice('founder-changes-requested', ctx())!;
    expect(bare.text).toContain('Your partner reviewed the drafted ACE records');
    expect(bare.text).toContain('\n\nSee your application for the details.\n\n');
    expect(composeTransitionNotice('founder-changes-requested', ctx({ detail: 'D' }))!.text).toContain('\n\nD\n\n');
  });

  it('composes no other kind', () => {
    expect(composeTransitionNotice('ops-escalation', ctx())).toBeUndefined();
  });
});

/**
 * functions/core/notices-reminder.ts: the reminders of a lapsed wait (review, revision, AWS's decision, credits): who
 * gets each, its subject, its lines (where each record and funding request is) and its link. Inputs are built inside
 * each test: StrykerJS counts only what a test runs as covered by it.
 */
import { describe, expect, it } from 'vitest';
import { composeReminderNotice, fundingWhere, recordsWhere } from '../../functions/core/notices-reminder.ts';
import { newApplication } from '../../functions/core/intake.ts';
import type { Application } from '../../schemas/application.ts';
import type { PartnerProfile } from '../../schemas/partner.ts';
import { exampleWorksheet } from '../support/fixtures.ts';

type Briefs = Application['briefs'];
const briefs = (list: unknown[]): Briefs => list as Briefs;

function application(over: Partial<Application> = {}): Application {
  return { ...newApplication({ id: 'app_r', worksheet: exampleWorksheet(), tokenHash: 'h', now: new Date('2026-11-27T00:00:00Z') }), ...over };
}

function ctx(over: Record<string, unknown> = {}) {
  return { application: application(), opsEmail: 'ops@example.com', baseUrl: 'https://x', ...over } as Parameters<typeof composeReminderNotice>[1];
}

const partner = () => ({ id: 'p-northwind', name: 'Northwind', contactEmail: 'review@northwind.example' }) as PartnerProfile;
const PARTNER_LINK = 'Open the application: https://x/partner/applications/app_r\n';
const FOUNDER_LINK = 'Your application: https://x/applications/app_r\n';

describe('recordsWhere', () => {
  it('names each record, its opportunity id when filed, and what it waits on', () => {
    expect(recordsWhere({ briefs: briefs([
      { programId: 'p0' },
      { programId: 'p1', record: { status: 'filed', opportunityId: 'O123' } },
      { programId: 'p2', record: { status: 'action_required' } },
    ]) })).toBe("Where each record is: p0: not approved yet; p1 (O123): filed, waiting on AWS's decision; p2: AWS asks for changes.");
  });

  it('says when there is no record', () => {
    expect(recordsWhere({ briefs: briefs([]) })).toBe('This application has no ACE records.');
    expect(recordsWhere({})).toBe('This application has no ACE records.');
  });
});

describe('fundingWhere', () => {
  it('lists only approved records, with their funding request or the manual path', () => {
    expect(fundingWhere({ briefs: briefs([
      { programId: 'p0', record: { status: 'approved', funding: { status: 'action_required' } } },
      { programId: 'p1', record: { status: 'approved' } },
      { programId: 'p2', record: { status: 'rejected', funding: { status: 'rejected' } } },
      { programId: 'p3' },
    ]) })).toBe('The credits of each approved record: p0: funding request AWS asks for changes: PATCH …/funding, then POST …/funding/submit-via-api; '
      + 'p1: no funding request through the API; record the credits with POST …/credits.');
  });

  it('is undefined without an approved record', () => {
    expect(fundingWhere({ briefs: briefs([{ programId: 'p0', record: { status: 'filed' } }]) })).toBeUndefined();
    expect(fundingWhere({})).toBeUndefined();
  });
});

describe('composeReminderNotice', () => {
  it('reminds the partner of a review, or operations without a partner, with the detail or the default ask', () => {
    const m = composeReminderNotice('partner-review-reminder', ctx({ partner: partner() }))!;
    expect(m.to).toEqual(['review@northwind.example']);
    expect(m.subject).toBe('Reminder: Ledgerly Labs is waiting on your review');
    expect(m.text).toBe(['Application app_r has been waiting for your review past the agreed time.', 'Please approve, request changes or decline it.', PARTNER_LINK].join('\n\n'));
    const ops = composeReminderNotice('partner-review-reminder', ctx({ detail: 'Reassigned tomorrow.' }))!;
    expect(ops.to).toEqual(['ops@example.com']);
    expect(ops.text).toContain('\n\nReassigned tomorrow.\n\n');
  });

  it('reminds the founder of the revision, to the founder only', () => {
    const m = composeReminderNotice('founder-revision-reminder', ctx({ partner: partner() }))!;
    expect(m.to).toEqual([exampleWorksheet().contact.email]);
    expect(m.subject).toBe("Reminder: Ledgerly Labs' application is waiting on your revision");
    expect(m.text).toBe(['Hi Maya,', 'Your partner asked for changes to application app_r and is waiting on your revised worksheet.',
      'Without an answer the application will be closed.', FOUNDER_LINK].join('\n\n'));
  });

  it('reminds the partner of AWS decisions, saying where each record is', () => {
    const application_ = application({ briefs: briefs([{ programId: 'p0', record: { status: 'in_aws_review', opportunityId: 'O9' } }]) });
    const m = composeReminderNotice('partner-aws-decision-reminder', ctx({ application: application_, partner: partner() }))!;
    expect(m.to).toEqual(['review@northwind.example']);
    expect(m.subject).toBe("Reminder: AWS has not decided on Ledgerly Labs' records");
    expect(m.text).toBe(["Application app_r is past the expected time for AWS's decision on its ACE records.", "Where each record is: p0 (O9): in AWS's review.",
      'File any record not filed yet; for the filed ones, check their status in Partner Central and record the outcome (Action Required, Approved or Rejected).', PARTNER_LINK].join('\n\n'));
    expect(composeReminderNotice('partner-aws-decision-reminder', ctx())!.to).toEqual(['ops@example.com']);
  });

  it('reminds the partner of credits, with each funding request or the manual step', () => {
    const approved = application({ briefs: briefs([{ programId: 'p0', record: { status: 'approved', funding: { status: 'submitted' } } }]) });
    const m = composeReminderNotice('partner-credits-reminder', ctx({ application: approved, partner: partner() }))!;
    expect(m.to).toEqual(['review@northwind.example']);
    expect(m.subject).toBe('Reminder: credits for Ledgerly Labs not recorded yet');
    expect(m.text).toBe(['AWS approved records of application app_r, and the credits have not been recorded as applied.',
      'Where each record is: p0: approved by AWS, credits not recorded yet.',
      'The credits of each approved record: p0: funding request with AWS: the credits are recorded by themselves when AWS allocates them.', PARTNER_LINK].join('\n\n'));
    const none = composeReminderNotice('partner-credits-reminder', ctx())!;
    expect(none.to).toEqual(['ops@example.com']);
    expect(none.text).toContain("\n\nRecord the credits applied (amount, date, expiry) once they are on the founder's account.\n\n");
  });

  it('composes no other kind', () => {
    expect(composeReminderNotice('founder-confirmation', ctx())).toBeUndefined();
  });
});

// The notices only Notify sends (composeOtherNotice, functions/core/notifications.ts): the address confirmation, the
// abandoned revision, operations' overdue reminders, the escalation and the failure. Each test builds its application
// inside the test and checks who is mailed, the subject and the whole text part (every line, in order, and the link).
import { describe, expect, it } from 'vitest';
import { composeNotice, composeOtherNotice, type NoticeContext } from '../../functions/core/notifications.ts';
import { newApplication } from '../../functions/core/intake.ts';
import type { Application } from '../../schemas/application.ts';
import type { PartnerProfile } from '../../schemas/partner.ts';
import { exampleWorksheet } from '../support/fixtures.ts';

const BASE = 'https://api.example.com';
const OPS = 'ops@example.com';

function application(extra: Partial<Application> = {}): Application {
  return { ...newApplication({ id: 'app_n1', worksheet: exampleWorksheet(), tokenHash: 'h', now: new Date('2026-12-01T09:00:00Z') }), ...extra };
}

function partner(): PartnerProfile {
  return {
    id: 'p-north', name: 'Northwind', tier: 'Premier', regions: ['us-east-1'], contactEmail: 'desk@northwind.example',
    strengths: { modelProviders: [], useCases: [], services: [] }, capacity: 2, record: { filings: 1, approvalRate: 1, medianDaysToCredits: 10 }, active: true,
  };
}

function mail(kind: Parameters<typeof composeOtherNotice>[0], ctx: Partial<NoticeContext> = {}) {
  const composed = composeOtherNotice(kind, { application: application(), opsEmail: OPS, baseUrl: BASE, ...ctx });
  if (!composed) throw new Error(`${kind} is not composed here`);
  return { to: composed.to, subject: composed.subject, text: composed.text };
}

const paragraphs = (lines: string[], label: string, href: string) => `${lines.join('\n\n')}\n\n${label}: ${href}\n`;
const OPS_VIEW = ['Operations view', `${BASE}/ops/applications/app_n1`] as const;

describe('the address confirmation', () => {
  it('asks the founder to confirm a new submission: the summary, the link and until when it works', () => {
    expect(mail('founder-address-confirmation', {
      askSummary: 'Ask: $25,000.00 over 3 months.',
      confirmation: { link: `${BASE}/applications/app_n1/confirm-email#s3cret`, expiresAt: '2026-12-04T09:00:00.000Z' },
    })).toEqual({
      to: ['maya@ledgerly.ai'],
      // A name ending in s takes no second s, as in every other subject.
      subject: "Confirm your address for Ledgerly Labs' Bedrock credit application",
      text: paragraphs([
        'Hi Maya,',
        'Someone submitted a Bedrock credit worksheet for Ledgerly Labs with this address (application app_n1).',
        'Ask: $25,000.00 over 3 months.',
        'If it was you, confirm your address with the link below: only then do we pass the application to a partner.',
        'The link works once, until 2026-12-04 09:00 UTC; unconfirmed, the application is closed then and nothing is shared.',
        'If it was not you, ignore this mail.',
      ], 'Confirm my address', `${BASE}/applications/app_n1/confirm-email#s3cret`),
    });
  });

  it('says a revision gave the address when the revision changed it; without a link given, links the confirmation page', () => {
    const revised = application({ addressConfirmation: { requested: 2, sent: 1, firstMail: 2 } });
    expect(mail('founder-address-confirmation', { application: revised }).text).toBe(paragraphs([
      'Hi Maya,',
      'Someone revised the Bedrock credit worksheet of Ledgerly Labs (application app_n1) and gave this address as the contact.',
      'If it was you, confirm your address with the link below: only then do we pass the application to a partner.',
      'The link works once; unconfirmed, the application is closed and nothing is shared.',
      'If it was not you, ignore this mail.',
    ], 'Confirm my address', `${BASE}/applications/app_n1/confirm-email`));
  });
});

describe('the abandoned revision', () => {
  it('tells the founder the application was closed, linking their page', () => {
    expect(mail('founder-revision-abandoned')).toEqual({
      to: ['maya@ledgerly.ai'],
      subject: 'Ledgerly Labs: your application was closed without a revision',
      text: paragraphs([
        'Hi Maya,',
        'Application app_n1 waited on your revision past the reminder and is no longer with the partner. Submit a new worksheet to start again.',
      ], 'Your application', `${BASE}/applications/app_n1`),
    });
  });

  it('tells operations the partner slot was released', () => {
    expect(mail('ops-revision-abandoned')).toEqual({
      to: [OPS],
      subject: 'app_n1: change request abandoned by the founder',
      text: paragraphs(['The founder of application app_n1 did not answer the change request after a reminder; the partner slot was released.'], ...OPS_VIEW),
    });
  });
});

describe("operations' overdue reminders", () => {
  const filed = () => application({
    status: 'filed',
    briefs: [{ programId: 'bedrock-poc', body: {}, problems: [], record: { status: 'filed', opportunityId: 'O1234567' } }],
  });

  it("AWS's decision: the partner (when known) and where each record is", () => {
    const where = "Where each record is: bedrock-poc (O1234567): filed, waiting on AWS's decision.";
    expect(mail('ops-aws-decision-reminder', { application: filed(), partner: partner() })).toEqual({
      to: [OPS],
      subject: 'app_n1: AWS decision overdue',
      text: paragraphs(["Application app_n1 (partner Northwind) is past the expected time for AWS's decision on its ACE records.", where], ...OPS_VIEW),
    });
    expect(mail('ops-aws-decision-reminder', { application: filed() }).text)
      .toBe(paragraphs(["Application app_n1 is past the expected time for AWS's decision on its ACE records.", where], ...OPS_VIEW));
  });

  it('credits: the partner (when known), the records and, when a funding request moves them, where it is', () => {
    const approved = application({
      status: 'approved',
      briefs: [{ programId: 'bedrock-poc', body: {}, problems: [], record: { status: 'approved', opportunityId: 'O1234567' } }],
    });
    const where = 'Where each record is: bedrock-poc (O1234567): approved by AWS, credits not recorded yet.';
    const funding = 'The credits of each approved record: bedrock-poc: no funding request through the API; record the credits with POST …/credits.';
    expect(mail('ops-credits-reminder', { application: approved, partner: partner() })).toEqual({
      to: [OPS],
      subject: 'app_n1: credits overdue',
      text: paragraphs(['Approved records of application app_n1 (partner Northwind) still have no credits recorded as applied.', where, funding], ...OPS_VIEW),
    });
    const none = application({ status: 'approved', briefs: [] });
    expect(mail('ops-credits-reminder', { application: none }).text)
      .toBe(paragraphs(['Approved records of application app_n1 still have no credits recorded as applied.', 'This application has no ACE records.'], ...OPS_VIEW));
  });
});

describe('the escalation', () => {
  it('tells operations the status, that the workflow ended, the detail, the records and what to do', () => {
    const app = application({ status: 'filed', briefs: [] });
    const lines = (first: string, detail?: string) => paragraphs([
      first,
      ...(detail ? [detail] : []),
      'This application has no ACE records.',
      "It is on the stuck list, marked escalated. Nudge or call the partner, reassign or cancel it; a change recorded on it (AWS's decision, credits applied) resumes the workflow.",
    ], ...OPS_VIEW);
    expect(mail('ops-escalation', { application: app, partner: partner(), detail: "waited for AWS's decision through 3 reminders" })).toEqual({
      to: [OPS],
      subject: 'app_n1: escalated to operations, reminders exhausted',
      text: lines("Application app_n1 (partner Northwind) is 'filed' and nobody answered the reminders: the workflow stops reminding and has ended.", "waited for AWS's decision through 3 reminders"),
    });
    // Without a detail no empty paragraph is left.
    expect(mail('ops-escalation', { application: app }).text)
      .toBe(lines("Application app_n1 is 'filed' and nobody answered the reminders: the workflow stops reminding and has ended."));
  });
});

describe('the failure', () => {
  it('tells operations where the workflow failed and with what error, and that a redrive is possible', () => {
    const failed = application({ status: 'failed', failure: { at: '2026-12-03T00:00:00Z', state: 'NotifyRouted', error: 'MessageRejected', cause: 'x', failedFrom: 'routed' } });
    const keep = 'The application and all its data are kept; redrive it from the operations API once the cause is fixed.';
    expect(mail('ops-failure', { application: failed })).toEqual({
      to: [OPS],
      subject: 'Workflow failed for app_n1',
      text: paragraphs(['The workflow for application app_n1 failed in NotifyRouted: MessageRejected.', keep], ...OPS_VIEW),
    });
    expect(mail('ops-failure', { application: application({ status: 'failed' }) }).text).toBe(paragraphs(['The workflow for application app_n1 failed.', keep], ...OPS_VIEW));
  });
});

describe('the other kinds', () => {
  it('are not composed here; composeNotice composes them with the rest', () => {
    const ctx: NoticeContext = { application: application(), opsEmail: OPS, baseUrl: BASE };
    expect(composeOtherNotice('founder-confirmation', ctx)).toBeUndefined();
    expect(composeNotice('ops-revision-abandoned', ctx).subject).toBe('app_n1: change request abandoned by the founder');
    expect(composeNotice('founder-confirmation', ctx).subject).toBe("We received Ledgerly Labs' Bedrock credit application");
  });
});

import { describe, expect, it } from 'vitest';
import { composeNotice, escapeHtml, fundingWhere, possessive, recordsWhere } from '../../functions/core/notifications.ts';
import { planRevision } from '../../functions/core/application/founder-steps.ts';
import type { Application, Transition } from '../../schemas/application.ts';
import type { PartnerProfile } from '../../schemas/partner.ts';
import { newApplication } from '../../functions/core/intake.ts';
import { exampleWorksheet } from '../support/fixtures.ts';

describe('notifications', () => {
  const w = exampleWorksheet();
  w.company.name = '<script>alert("x")</script> & Co';
  const app = newApplication({ id: 'app_123', worksheet: w, tokenHash: 'h', now: new Date('2026-11-27T00:00:00Z') });
  const partner: PartnerProfile = { id: 'p-x', name: 'X', tier: 'Premier', regions: ['us-east-1'], contactEmail: 'x@example.com', strengths: { modelProviders: [], useCases: [], services: [] }, capacity: 1, record: { filings: 1, approvalRate: 1, medianDaysToCredits: 10 }, active: true };

  it('escapes everything a founder typed in HTML, keeps the text part readable', () => {
    const mail = composeNotice('founder-confirmation', { application: app, opsEmail: 'ops@example.com', baseUrl: 'https://api.example.com' });
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
    expect(mail.text).toContain('<script>alert("x")</script> & Co');
    expect(mail.to).toEqual(['maya@ledgerly.ai']);
  });

  it('links carry only the application id, never a token', () => {
    const mail = composeNotice('partner-assignment', {
      application: app, opsEmail: 'ops@example.com', baseUrl: 'https://api.example.com',
      partner,
    });
    expect(mail.to).toEqual(['x@example.com']);
    const links = [...mail.html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
    expect(links).toEqual(['https://api.example.com/partner/applications/app_123']);
    expect(mail.text).not.toMatch(/token/i);
  });

  // A mail subject is one header line: a company name typed with a line break (the worksheet trims only its ends)
  // would end the Subject header there: SES refuses such a mail (Notify fails, the application with it) or, on a path
  // that passed it on, the rest becomes headers of its own (Bcc: ...).
  it('keeps every subject on one line, whatever the founder typed', () => {
    const v = exampleWorksheet();
    v.company.name = 'Acme\r\nBcc: victim@example.com\u2028\u0085\tInc';
    const crafted = newApplication({ id: 'app_124', worksheet: v, tokenHash: 'h', now: new Date('2026-11-27T00:00:00Z') });
    const ctx = { application: crafted, opsEmail: 'ops@example.com', baseUrl: 'https://api.example.com', partner };
    for (const kind of ['founder-confirmation', 'partner-assignment', 'ops-unrouted', 'founder-changes-requested'] as const) {
      const mail = composeNotice(kind, ctx);
      expect(mail.subject, kind).not.toMatch(/[\p{Cc}\u2028\u2029]/u);
      expect(mail.subject, kind).toContain('Acme Bcc: victim@example.com Inc');
    }
  });

  it('escapes the five HTML-special characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('writes possessives of names ending in s without a second s', () => {
    expect(possessive('Northwind Partners')).toBe("Northwind Partners'");
    expect(possessive('Ledgerly Labs')).toBe("Ledgerly Labs'");
    expect(possessive('Acme')).toBe("Acme's");
    const labs = newApplication({ id: 'app_9', worksheet: exampleWorksheet(), tokenHash: 'h', now: new Date('2026-11-27T00:00:00Z') });
    expect(composeNotice('founder-confirmation', { application: labs, opsEmail: 'o@x', baseUrl: 'https://x' }).subject).toBe("We received Ledgerly Labs' Bedrock credit application");
    // Every notice that names the company's application uses the same possessive (the confirmation mail did not).
    expect(composeNotice('founder-address-confirmation', { application: labs, opsEmail: 'o@x', baseUrl: 'https://x' }).subject).toBe("Confirm your address for Ledgerly Labs' Bedrock credit application");
  });

  it('an overdue reminder names each record and where it is (not all of them filed)', () => {
    const records: Application = {
      ...app,
      status: 'approved_for_filing',
      briefs: [
        { programId: 'bedrock-poc', body: {}, problems: [], record: { status: 'filed', opportunityId: 'O1234567' } },
        { programId: 'activate-portfolio', body: {}, problems: [], record: { status: 'approved_for_filing' } },
      ],
    };
    const line = "Where each record is: bedrock-poc (O1234567): filed, waiting on AWS's decision; activate-portfolio: approved, not filed in ACE yet.";
    expect(recordsWhere(records)).toBe(line);
    for (const kind of ['partner-aws-decision-reminder', 'ops-aws-decision-reminder'] as const) {
      const mail = composeNotice(kind, { application: records, opsEmail: 'ops@example.com', baseUrl: 'https://x' });
      expect(mail.text).toContain(line);
      expect(mail.text).not.toMatch(/The filed ACE records/);
    }
  });

  it('a credits reminder says where each approved record\'s funding request is and what moves it; records without one are recorded by hand', () => {
    const funding = (status: 'drafted' | 'action_required' | 'in_review') => ({ status, body: {}, revision: 1 }) as unknown as NonNullable<NonNullable<Application['briefs']>[number]['record']>['funding'];
    const approved: Application = {
      ...app,
      status: 'approved',
      briefs: [
        { programId: 'bedrock-poc', body: {}, problems: [], record: { status: 'approved', opportunityId: 'O1234567', funding: funding('drafted') } },
        { programId: 'activate-portfolio', body: {}, problems: [], record: { status: 'approved', opportunityId: 'O7654321' } },
        { programId: 'genai-accelerator', body: {}, problems: [], record: { status: 'credits_applied', opportunityId: 'O1111111' } },
      ],
    };
    const line = fundingWhere(approved);
    expect(line).toBe('The credits of each approved record: bedrock-poc: funding request drafted, not sent: review it (GET …/funding) and send it (POST …/funding/submit-via-api); activate-portfolio: no funding request through the API; record the credits with POST …/credits.');
    const partnerMail = composeNotice('partner-credits-reminder', { application: approved, partner, opsEmail: 'ops@example.com', baseUrl: 'https://x' });
    expect(partnerMail.text).toContain(line);
    expect(partnerMail.text).not.toContain('once they are on the founder');
    expect(composeNotice('ops-credits-reminder', { application: approved, opsEmail: 'ops@example.com', baseUrl: 'https://x' }).text).toContain(line);
    const waiting = { ...approved, briefs: [{ programId: 'bedrock-poc', body: {}, problems: [], record: { status: 'approved' as const, funding: funding('in_review') } }] };
    expect(fundingWhere(waiting)).toContain('recorded by themselves when AWS allocates them');
    // Nothing approved: the reminder keeps its plain instruction.
    expect(fundingWhere({ briefs: [] })).toBeUndefined();
    expect(composeNotice('partner-credits-reminder', { application: { ...approved, briefs: [] }, partner, opsEmail: 'o@x', baseUrl: 'https://x' }).text).toContain('once they are on the founder');
  });

  it('a revised application reaches the partner as a revision: the change request it answers and what changed', () => {
    const first = newApplication({ id: 'app_rev', worksheet: exampleWorksheet(), tokenHash: 'h', now: new Date('2026-11-27T00:00:00Z') });
    const at = '2026-11-28T00:00:00Z';
    const step = (version: number, from: Transition['from'], to: Transition['to'], reason: string, kind: Transition['actor']['kind'] = 'system'): Transition => ({ at, actor: { kind, id: kind }, from, to, reason, version });
    const routed = step(4, 'drafted', 'routed', 'routed');
    const base: Application = { ...first, transitions: [...first.transitions, step(2, 'submitted', 'sized', 's'), step(3, 'sized', 'drafted', 'd'), routed] };
    const newMail = composeNotice('partner-assignment', { application: base, partner, transition: routed, opsEmail: 'o@x', baseUrl: 'https://x' });
    expect(newMail.subject).toBe(`New application to review: ${base.worksheet.company.name}`);

    const revisedWorksheet = { ...base.worksheet, workload: { ...base.worksheet.workload, requestsPerDay: 9000 } };
    const asked = { ...base, status: 'changes_requested' as const, version: 6, transitions: [...base.transitions, step(5, 'routed', 'in_partner_review', 'r'), step(6, 'in_partner_review', 'changes_requested', 'Please size for 9k requests a day', 'partner')] };
    const revision = planRevision({ app: asked, worksheet: revisedWorksheet, requestHash: 'x', now: new Date(at) });
    if (revision.kind !== 'apply') throw new Error('expected a revision to apply');
    const rerouted = step(10, 'drafted', 'routed', 'routed');
    const revised: Application = { ...asked, worksheet: revisedWorksheet, transitions: [...asked.transitions, revision.plan.transition, step(8, 'submitted', 'sized', 's'), step(9, 'sized', 'drafted', 'd'), rerouted] };
    const mail = composeNotice('partner-assignment', { application: revised, partner, transition: rerouted, opsEmail: 'o@x', baseUrl: 'https://x' });
    expect(mail.subject).toBe(`Revised application to review: ${base.worksheet.company.name}`);
    expect(mail.text).toContain('(you asked: "Please size for 9k requests a day")');
    expect(mail.text).toContain('What changed: workload.requestsPerDay');
  });
});

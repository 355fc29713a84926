/**
 * Mails, composed as pure data. Every value from a founder or partner is HTML-escaped; links carry
 * only the application id (never a task token or an access token).
 */
import type { Application } from '../../schemas/application.ts';
import type { PartnerProfile } from '../../schemas/partner.ts';

export interface Mail {
  readonly to: string[];
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

export const NOTICE_KINDS = [
  'founder-confirmation',
  'partner-assignment',
  'ops-unrouted',
  'partner-review-reminder',
  'founder-status-update',
  'ops-failure',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

interface NoticeContext {
  readonly application: Application;
  readonly partner?: PartnerProfile;
  readonly opsEmail: string;
  readonly baseUrl: string;
  /** Headline figures from the estimate, already formatted. */
  readonly askSummary?: string;
  readonly detail?: string;
}

function paragraphHtml(lines: readonly string[]): string {
  return lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('\n');
}

function build(to: string[], subject: string, lines: string[], link: { label: string; href: string }): Mail {
  const html = `<!doctype html><html><body>\n${paragraphHtml(lines)}\n<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>\n</body></html>`;
  const text = `${lines.join('\n\n')}\n\n${link.label}: ${link.href}\n`;
  return { to, subject, html, text };
}

export function composeNotice(kind: NoticeKind, ctx: NoticeContext): Mail {
  const app = ctx.application;
  const w = app.worksheet;
  const company = w.company.name;
  const founderLink = { label: 'Your application', href: `${ctx.baseUrl}/applications/${encodeURIComponent(app.id)}` };
  const partnerLink = { label: 'Open the application', href: `${ctx.baseUrl}/partner/applications/${encodeURIComponent(app.id)}` };
  const opsLink = { label: 'Operations view', href: `${ctx.baseUrl}/ops/applications/${encodeURIComponent(app.id)}` };
  switch (kind) {
    case 'founder-confirmation':
      return build([w.contact.email], `We received ${company}'s Bedrock credit application`, [
        `Hi ${w.contact.firstName},`,
        `Your worksheet for ${company} is in. Application id: ${app.id}.`,
        ...(ctx.askSummary ? [ctx.askSummary] : []),
        ctx.partner
          ? `${ctx.partner.name} (AWS ${ctx.partner.tier} Tier partner) will review the drafted ACE records and may contact you to confirm scope.`
          : 'We are matching you with a vetted AWS partner and will write when one is assigned.',
        'Use the access token from your submission to follow progress.',
      ], founderLink);
    case 'partner-assignment':
      return build([ctx.partner?.contactEmail ?? ctx.opsEmail], `New application to review: ${company}`, [
        `${company} (${w.company.stage}, ${w.company.address.countryCode}) was routed to you for ACE filing.`,
        `Use case: ${w.useCase.summary}`,
        ...(ctx.askSummary ? [ctx.askSummary] : []),
        'The drafted CreateOpportunity records and their validation reports are waiting in your review queue.',
      ], partnerLink);
    case 'ops-unrouted':
      return build([ctx.opsEmail], `No partner matched ${company} (${app.id})`, [
        `Application ${app.id} could not be routed automatically.`,
        ctx.detail ?? 'No partner with free capacity serves this Region and stack.',
      ], opsLink);
    case 'partner-review-reminder':
      return build([ctx.partner?.contactEmail ?? ctx.opsEmail], `Reminder: ${company} is waiting on your review`, [
        `Application ${app.id} has been waiting for your review past the agreed time.`,
        ctx.detail ?? 'Please approve, request changes or decline it.',
      ], partnerLink);
    case 'founder-status-update':
      return build([w.contact.email], `${company}: your application is now ${app.status.replaceAll('_', ' ')}`, [
        `Hi ${w.contact.firstName},`,
        ctx.detail ?? `Application ${app.id} moved to ${app.status.replaceAll('_', ' ')}.`,
      ], founderLink);
    case 'ops-failure':
      return build([ctx.opsEmail], `Workflow failed for ${app.id}`, [
        `The workflow for application ${app.id} failed${app.failure ? ` in ${app.failure.state}: ${app.failure.error}` : ''}.`,
        'The application and all its data are kept; redrive it from the operations API once the cause is fixed.',
      ], opsLink);
  }
}

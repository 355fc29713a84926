/**
 * Mails, composed as pure data: the shared parts (the kinds, the context, the page shape and links). Each group of
 * notices is composed in its own module, so a function loads only the mails it sends (issue 11 §1):
 * ./notices-transition.ts (what a transition calls for: Notify, the expiry sweep, operations' actions),
 * ./notices-reminder.ts (the reminders a partner or founder is nudged with), ./notices-expiry.ts (the credit expiry
 * reminder), ./notifications.ts (the rest, and `composeNotice` for every kind: Notify). Every value from a founder or
 * partner is HTML-escaped; links carry only the application id (never a task token or an access token).
 */
import type { Application, Transition } from '../../schemas/application.ts';
import type { PartnerProfile } from '../../schemas/partner.ts';
import { escapeHtml } from './html.ts';

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
  // issue 4: a notice per transition, reminders on every wait that lapses, credit expiry
  'partner-status-update',
  'ops-status-update',
  'founder-changes-requested',
  'founder-revision-reminder',
  'founder-revision-abandoned',
  'ops-revision-abandoned',
  'partner-aws-decision-reminder',
  'ops-aws-decision-reminder',
  'partner-credits-reminder',
  'ops-credits-reminder',
  'founder-expiry-reminder',
  // issue 8: the founder confirms the contact address before anything is routed
  'founder-address-confirmation',
  // issue 9: a wait's reminders ran out (functions/core/operations/escalation.ts)
  'ops-escalation',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export interface NoticeContext {
  readonly application: Application;
  readonly partner?: PartnerProfile;
  readonly opsEmail: string;
  readonly baseUrl: string;
  /** Headline figures from the estimate, already formatted. */
  readonly askSummary?: string;
  readonly detail?: string;
  /** The transition a status-update notice is about. */
  readonly transition?: Transition;
  /** Expiry reminders: the record and how many days its credits have left. */
  readonly expiry?: { readonly programId: string; readonly daysLeft: number; readonly expiresOn: string; readonly amountUsd?: string };
  /** The address confirmation: the link (its secret in the fragment) and when it stops working. */
  readonly confirmation?: { readonly link: string; readonly expiresAt: string };
}

export const words = (status: string): string => status.replaceAll('_', ' ');

function paragraphHtml(lines: readonly string[]): string {
  return lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('\n');
}

/**
 * A subject is one header line: every run of control characters and line or paragraph separators (a company name
 * typed with a line break: the worksheet trims only its ends) becomes one space, so no text from a founder or partner
 * can end the Subject header or start another (SES refuses such a mail, which would fail the Notify task). Each such
 * character becomes a space and the second replace collapses the run: no `+` needed on the first.
 */
export function oneLine(text: string): string {
  return text.replace(/[\p{Cc}\u2028\u2029]/gu, ' ').replace(/ {2,}/g, ' ').trim();
}

export function build(to: string[], rawSubject: string, lines: string[], link: { label: string; href: string }): Mail {
  const subject = oneLine(rawSubject);
  const html = `<!doctype html><html><body>\n${paragraphHtml(lines)}\n<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>\n</body></html>`;
  const text = `${lines.join('\n\n')}\n\n${link.label}: ${link.href}\n`;
  return { to, subject, html, text };
}

/** The three pages a mail links to, by audience. */
export function links(ctx: Pick<NoticeContext, 'application' | 'baseUrl'>) {
  const id = encodeURIComponent(ctx.application.id);
  return {
    founderLink: { label: 'Your application', href: `${ctx.baseUrl}/applications/${id}` },
    partnerLink: { label: 'Open the application', href: `${ctx.baseUrl}/partner/applications/${id}` },
    opsLink: { label: 'Operations view', href: `${ctx.baseUrl}/ops/applications/${id}` },
  };
}

/** Composes some kinds of notice; `undefined` for a kind it does not compose. */
export type PartialComposer = (kind: NoticeKind, ctx: NoticeContext) => Mail | undefined;
export type Composer = (kind: NoticeKind, ctx: NoticeContext) => Mail;

/** A composer of the kinds a function sends (the first group that composes a kind); other kinds throw. */
export function composerOf(...groups: readonly PartialComposer[]): Composer {
  return (kind, ctx) => {
    for (const group of groups) {
      const mail = group(kind, ctx);
      if (mail) return mail;
    }
    throw new Error(`Notice ${kind} is not composed by this function`);
  };
}

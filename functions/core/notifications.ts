/**
 * Mails, composed as pure data: `composeNotice` composes every kind (Notify sends them all). The notices in groups
 * other functions send too live in their own modules, each loaded only by the functions that send it (issue 11 §1):
 * ./notices-transition.ts, ./notices-reminder.ts, ./notices-expiry.ts, with the shared parts in ./notice-mail.ts.
 * Here: operations' reminders, the escalation, the failure, the abandoned revision, the address confirmation.
 * Every value from a founder or partner is HTML-escaped; links carry only the application id (never a task token or
 * an access token).
 */
import { confirmsRevisedAddress } from './address-confirmation.ts';
import { possessive } from './notice-markers.ts';
import { build, composerOf, links, type Composer, type Mail, type NoticeContext, type NoticeKind } from './notice-mail.ts';
import { composeExpiryNotice } from './notices-expiry.ts';
import { composeReminderNotice, fundingWhere, recordsWhere } from './notices-reminder.ts';
import { composeTransitionNotice } from './notices-transition.ts';

export { escapeHtml } from './html.ts';
export { NOTICE_KINDS, type Mail, type NoticeContext, type NoticeKind } from './notice-mail.ts';
export { describeTransition, noticesForTransition } from './notices-transition.ts';
export { fundingWhere, recordsWhere } from './notices-reminder.ts';
export { formatUsdAmount } from './notices-expiry.ts';

/** The notices only Notify sends; `undefined` for other kinds. */
export function composeOtherNotice(kind: NoticeKind, ctx: NoticeContext): Mail | undefined {
  const app = ctx.application;
  const w = app.worksheet;
  const company = w.company.name;
  const { founderLink, opsLink } = links(ctx);
  switch (kind) {
    case 'founder-address-confirmation': {
      const link = ctx.confirmation?.link ?? `${ctx.baseUrl}/applications/${encodeURIComponent(app.id)}/confirm-email`;
      return build([w.contact.email], `Confirm your address for ${possessive(company)} Bedrock credit application`, [
        `Hi ${w.contact.firstName},`,
        confirmsRevisedAddress(app.addressConfirmation)
          ? `Someone revised the Bedrock credit worksheet of ${company} (application ${app.id}) and gave this address as the contact.`
          : `Someone submitted a Bedrock credit worksheet for ${company} with this address (application ${app.id}).`,
        ...(ctx.askSummary ? [ctx.askSummary] : []),
        'If it was you, confirm your address with the link below: only then do we pass the application to a partner.',
        ctx.confirmation
          ? `The link works once, until ${ctx.confirmation.expiresAt.slice(0, 16).replace('T', ' ')} UTC; unconfirmed, the application is closed then and nothing is shared.`
          : 'The link works once; unconfirmed, the application is closed and nothing is shared.',
        'If it was not you, ignore this mail.',
      ], { label: 'Confirm my address', href: link });
    }
    case 'founder-revision-abandoned':
      return build([w.contact.email], `${company}: your application was closed without a revision`, [
        `Hi ${w.contact.firstName},`,
        `Application ${app.id} waited on your revision past the reminder and is no longer with the partner. Submit a new worksheet to start again.`,
      ], founderLink);
    case 'ops-revision-abandoned':
      return build([ctx.opsEmail], `${app.id}: change request abandoned by the founder`, [
        `The founder of application ${app.id} did not answer the change request after a reminder; the partner slot was released.`,
      ], opsLink);
    case 'ops-aws-decision-reminder':
      return build([ctx.opsEmail], `${app.id}: AWS decision overdue`, [
        `Application ${app.id}${ctx.partner ? ` (partner ${ctx.partner.name})` : ''} is past the expected time for AWS's decision on its ACE records.`,
        recordsWhere(app),
      ], opsLink);
    case 'ops-credits-reminder': {
      const funding = fundingWhere(app);
      return build([ctx.opsEmail], `${app.id}: credits overdue`, [
        `Approved records of application ${app.id}${ctx.partner ? ` (partner ${ctx.partner.name})` : ''} still have no credits recorded as applied.`,
        recordsWhere(app),
        ...(funding ? [funding] : []),
      ], opsLink);
    }
    case 'ops-escalation':
      return build([ctx.opsEmail], `${app.id}: escalated to operations, reminders exhausted`, [
        `Application ${app.id}${ctx.partner ? ` (partner ${ctx.partner.name})` : ''} is '${app.status}' and nobody answered the reminders: the workflow stops reminding and has ended.`,
        ctx.detail ?? '',
        recordsWhere(app),
        'It is on the stuck list, marked escalated. Nudge or call the partner, reassign or cancel it; a change recorded on it (AWS\'s decision, credits applied) resumes the workflow.',
      ].filter(Boolean), opsLink);
    case 'ops-failure':
      return build([ctx.opsEmail], `Workflow failed for ${app.id}`, [
        `The workflow for application ${app.id} failed${app.failure ? ` in ${app.failure.state}: ${app.failure.error}` : ''}.`,
        'The application and all its data are kept; redrive it from the operations API once the cause is fixed.',
      ], opsLink);
    default:
      return undefined;
  }
}

/** Every kind of notice. */
export const composeNotice: Composer = composerOf(composeTransitionNotice, composeReminderNotice, composeExpiryNotice, composeOtherNotice);

/** The key marking a transition as fully notified, and the transitions not yet notified (./notice-markers.ts). */
export { possessive, transitionMarker, unnotifiedTransitions } from './notice-markers.ts';

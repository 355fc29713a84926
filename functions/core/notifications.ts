/**
 * Mails, composed as pure data. Every value from a founder or partner is HTML-escaped; links carry
 * only the application id (never a task token or an access token).
 */
import type { Application, ApplicationStatus, FundingStatus, RecordStatus, Transition } from '../../schemas/application.ts';
import type { PartnerProfile } from '../../schemas/partner.ts';
import { confirmsRevisedAddress } from './address-confirmation.ts';
import { formatUsd, usdAmountToCents } from './cents.ts';
import { escapeHtml } from './html.ts';

export { escapeHtml } from './html.ts';
import { possessive } from './notice-markers.ts';

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

interface NoticeContext {
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

const words = (status: string): string => status.replaceAll('_', ' ');


/**
 * When a routing follows the founder's revision (not a first routing or a re-routing after a decline): the change
 * request it answered and the fields that changed (named in the revision's reason, founder-steps.ts).
 */
function revisionBefore(app: Application, routing: Transition | undefined): { request?: string; changed: string } | undefined {
  const before = app.transitions.filter((t) => !t.record && (routing === undefined || t.version < routing.version));
  const last = before.findLast((t) => (t.from === 'changes_requested' && t.to === 'submitted') || t.to === 'routed' || t.to === 'unrouted');
  if (!last || last.to !== 'submitted') return undefined;
  const request = before.findLast((t) => t.to === 'changes_requested' && t.version < last.version)?.reason;
  const changed = /; changed: (.*)$/.exec(last.reason)?.[1] ?? 'the founder did not change any field';
  return { ...(request ? { request } : {}), changed };
}

/** What a record in each status is waiting on, for reminders that must say which record is where. */
const RECORD_WAITS_ON: Record<RecordStatus, string> = {
  draft: 'not approved yet',
  approved_for_filing: 'approved, not filed in ACE yet',
  filed: "filed, waiting on AWS's decision",
  in_aws_review: "in AWS's review",
  action_required: 'AWS asks for changes',
  approved: 'approved by AWS, credits not recorded yet',
  rejected: 'rejected by AWS',
  credits_applied: 'credits applied',
  expired: 'credits expired',
};

/** One line naming each stacked record, its ACE opportunity id and where it is. */
export function recordsWhere(app: Pick<Application, 'briefs'>): string {
  const records = (app.briefs ?? []).map((b) => {
    const r = b.record ?? { status: 'draft' as const };
    return `${b.programId}${r.opportunityId ? ` (${r.opportunityId})` : ''}: ${RECORD_WAITS_ON[r.status]}`;
  });
  return records.length ? `Where each record is: ${records.join('; ')}.` : 'This application has no ACE records.';
}

/** What the partner does next about an approved record's funding request, by its status. */
const FUNDING_NEXT: Record<FundingStatus, string> = {
  drafted: 'drafted, not sent: review it (GET …/funding) and send it (POST …/funding/submit-via-api)',
  created: 'created in Partner Central, not submitted yet: POST …/funding/submit-via-api again finishes it',
  submitted: 'with AWS: the credits are recorded by themselves when AWS allocates them',
  in_review: 'in AWS\'s review: the credits are recorded by themselves when AWS allocates them',
  action_required: 'AWS asks for changes: PATCH …/funding, then POST …/funding/submit-via-api',
  approved: 'approved by AWS, allocation not seen yet: it is read every 30 minutes until it appears',
  allocated: 'allocated: credits recorded',
  rejected: 'refused by AWS: credits obtained another way are recorded with POST …/credits',
};

/**
 * For a credits reminder: each approved record whose credits come through a funding request (Partner Central
 * Benefits), where that request is and what would move it; records without one are recorded by hand.
 */
export function fundingWhere(app: Pick<Application, 'briefs'>): string | undefined {
  const lines = (app.briefs ?? []).flatMap((b) => {
    const r = b.record;
    if (r?.status !== 'approved') return [];
    return [r.funding ? `${b.programId}: funding request ${FUNDING_NEXT[r.funding.status]}` : `${b.programId}: no funding request through the API; record the credits with POST …/credits`];
  });
  return lines.length ? `The credits of each approved record: ${lines.join('; ')}.` : undefined;
}

/** One line saying what a transition changed: the record's move when it concerns one record, else the status. */
export function describeTransition(t: Transition): string {
  const what = t.record
    ? `The ${t.record.programId} record moved from ${words(t.record.from)} to ${words(t.record.to)}`
    : t.funding
      ? `The ${t.funding.programId} funding request (Partner Central Benefits) moved${t.funding.from ? ` from ${words(t.funding.from)}` : ''} to ${words(t.funding.to)}`
      : `The application moved${t.from ? ` from ${words(t.from)}` : ''} to ${words(t.to)}`;
  return `${what}: ${t.reason}`;
}

/** Who hears about a transition: the founder, the assigned partner, operations. */
type Audience = 'founder' | 'partner' | 'ops';

/** By the new status (a record's own status when the change concerns one record). */
const AUDIENCE_BY_STATUS: Partial<Record<ApplicationStatus | RecordStatus, readonly Audience[]>> = {
  // in_partner_review, sized, drafted by the workflow, submitted, expiring (its reminder says it) and failed (the
  // failure path has its own notice) mail nobody.
  changes_requested: ['founder'],
  approved_for_filing: ['founder'],
  filed: ['founder'],
  in_aws_review: ['founder'],
  action_required: ['founder', 'partner'],
  approved: ['founder', 'partner'],
  rejected: ['founder', 'partner', 'ops'],
  credits_applied: ['founder', 'partner'],
  expired: ['founder', 'partner'],
  withdrawn: ['partner', 'ops'],
};

/** By a funding request's new status (drafted comes with the record's approval, allocated with its credits applied). */
const FUNDING_AUDIENCE: Partial<Record<FundingStatus, readonly Audience[]>> = {
  submitted: ['founder'],
  action_required: ['founder', 'partner'],
  approved: ['founder', 'partner'],
  rejected: ['founder', 'partner'],
};

/**
 * The notices a transition calls for, chosen by the new status. Routing is special: the first routing confirms the
 * application to the founder and assigns the partner; a later one (a re-route, or back to the same partner after a
 * revision) assigns the partner and updates the founder. `firstRouting` says which.
 */
export function noticesForTransition(t: Transition, opts: { firstRouting: boolean }): NoticeKind[] {
  // A record approved for filing goes with the application's own approval, which carries the notice.
  if (t.record?.to === 'approved_for_filing') return [];
  // A change of a record's funding request alone (the application's status stays): by the funding request's status.
  if (t.funding && !t.record) return (FUNDING_AUDIENCE[t.funding.to] ?? []).filter((who) => who !== t.actor.kind).map((who) => `${who}-status-update` as const);
  if (!t.record) {
    // An address never confirmed: the workflow closes it quietly (the address may be a stranger's; nobody else knew).
    if (t.to === 'withdrawn' && t.from === 'drafted' && t.actor.kind === 'system') return [];
    if (t.to === 'routed') return opts.firstRouting ? ['founder-confirmation', 'partner-assignment'] : ['founder-status-update', 'partner-assignment'];
    if (t.to === 'unrouted') return opts.firstRouting ? ['founder-confirmation', 'ops-unrouted'] : ['founder-status-update', 'ops-unrouted'];
    // A review taken back (declined or lapsed): operations see it; routing then mails the next partner.
    if (t.to === 'drafted' && t.from === 'in_partner_review') return ['ops-status-update'];
    if (t.to === 'changes_requested') return ['founder-changes-requested'];
    // Operations cancelled it: the founder did not ask for this, so the founder is told (and the partner, if any).
    if (t.to === 'withdrawn' && t.actor.kind === 'ops') return ['founder-status-update', 'partner-status-update'];
  }
  const status = t.record?.to ?? t.to;
  // Nobody is told what they just did themselves.
  return (AUDIENCE_BY_STATUS[status] ?? []).filter((who) => who !== t.actor.kind).map((who) => `${who}-status-update` as const);
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
      return build([w.contact.email], `We received ${possessive(company)} Bedrock credit application`, [
        `Hi ${w.contact.firstName},`,
        `Your worksheet for ${company} is in. Application id: ${app.id}.`,
        ...(ctx.askSummary ? [ctx.askSummary] : []),
        ctx.partner
          ? `${ctx.partner.name} (AWS ${ctx.partner.tier} Tier partner) will review the drafted ACE records and may contact you to confirm scope.`
          : (app.briefs ?? []).length === 0 && app.status === 'unrouted'
            ? 'None of the partner-filed programs fits this worksheet yet, so there is no ACE record to file; your estimate lists each program and why. Our team will be in touch.'
            : 'We are matching you with a vetted AWS partner and will write when one is assigned.',
        'Use the access token from your submission to follow progress.',
      ], founderLink);
    case 'partner-assignment': {
      const revised = revisionBefore(app, ctx.transition);
      if (revised) {
        return build([ctx.partner?.contactEmail ?? ctx.opsEmail], `Revised application to review: ${company}`, [
          `${company} answered the change request on application ${app.id} with a revised worksheet${revised.request ? ` (you asked: "${revised.request}")` : ''}.`,
          `What changed: ${revised.changed}`,
          ...(ctx.askSummary ? [ctx.askSummary] : []),
          'It was re-sized and the ACE records re-drafted: they are back in your review queue.',
        ], partnerLink);
      }
      return build([ctx.partner?.contactEmail ?? ctx.opsEmail], `New application to review: ${company}`, [
        `${company} (${w.company.stage}, ${w.company.address.countryCode}) was routed to you for ACE filing.`,
        `Use case: ${w.useCase.summary}`,
        ...(ctx.askSummary ? [ctx.askSummary] : []),
        'The drafted CreateOpportunity records and their validation reports are waiting in your review queue.',
      ], partnerLink);
    }
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
    case 'founder-address-confirmation': {
      const link = ctx.confirmation?.link ?? `${ctx.baseUrl}/applications/${encodeURIComponent(app.id)}/confirm-email`;
      return build([w.contact.email], `Confirm your address for ${company}'s Bedrock credit application`, [
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
    case 'founder-status-update': {
      const t = ctx.transition;
      if (t?.funding && !t.record) {
        return build([w.contact.email], `${company}: your ${t.funding.programId} credit request is now ${words(t.funding.to)}`, [
          `Hi ${w.contact.firstName},`, ctx.detail ?? describeTransition(t),
        ], founderLink);
      }
      const now = ctx.transition?.record?.to ?? ctx.transition?.to ?? app.status;
      return build([w.contact.email], `${company}: ${ctx.transition?.record ? `your ${ctx.transition.record.programId} record is` : 'your application is'} now ${words(now)}`, [
        `Hi ${w.contact.firstName},`,
        ctx.detail ?? (ctx.transition ? describeTransition(ctx.transition) : `Application ${app.id} moved to ${words(app.status)}.`),
      ], founderLink);
    }
    case 'partner-status-update':
      if (ctx.transition?.funding && !ctx.transition.record) {
        const f = ctx.transition.funding;
        return build([ctx.partner?.contactEmail ?? ctx.opsEmail], `${company} (${app.id}): ${f.programId} funding request ${words(f.to)}`, [
          ctx.detail ?? describeTransition(ctx.transition),
          ...(f.to === 'action_required' ? ['AWS asks for changes to the benefit application: PATCH …/funding, then POST …/funding/submit-via-api.'] : []),
          ...(f.to === 'rejected' ? ['Credits obtained another way can still be recorded with POST …/credits.'] : []),
        ], partnerLink);
      }
      return build([ctx.partner?.contactEmail ?? ctx.opsEmail], `${company} (${app.id}): ${words(ctx.transition?.record?.to ?? ctx.transition?.to ?? app.status)}`, [
        ctx.detail ?? (ctx.transition ? describeTransition(ctx.transition) : `Application ${app.id} is now ${words(app.status)}.`),
        ...((ctx.transition?.record?.to ?? ctx.transition?.to) === 'action_required' ? ['AWS asks for changes: update the fields ACE lets you change and refile.'] : []),
      ], partnerLink);
    case 'ops-status-update':
      return build([ctx.opsEmail], `${app.id}: ${words(ctx.transition?.record?.to ?? ctx.transition?.to ?? app.status)}`, [
        ctx.detail ?? (ctx.transition ? describeTransition(ctx.transition) : `Application ${app.id} is now ${words(app.status)}.`),
      ], opsLink);
    case 'founder-changes-requested':
      return build([w.contact.email], `${company}: your partner asks for changes`, [
        `Hi ${w.contact.firstName},`,
        `${ctx.partner?.name ?? 'Your partner'} reviewed the drafted ACE records and asks for changes before filing:`,
        ctx.transition?.reason ?? ctx.detail ?? 'See your application for the details.',
        'Revise your worksheet from your application page; it will be re-sized and go back to the same partner.',
      ], founderLink);
    case 'founder-revision-reminder':
      return build([w.contact.email], `Reminder: ${possessive(company)} application is waiting on your revision`, [
        `Hi ${w.contact.firstName},`,
        `Your partner asked for changes to application ${app.id} and is waiting on your revised worksheet.`,
        'Without an answer the application will be closed.',
      ], founderLink);
    case 'founder-revision-abandoned':
      return build([w.contact.email], `${company}: your application was closed without a revision`, [
        `Hi ${w.contact.firstName},`,
        `Application ${app.id} waited on your revision past the reminder and is no longer with the partner. Submit a new worksheet to start again.`,
      ], founderLink);
    case 'ops-revision-abandoned':
      return build([ctx.opsEmail], `${app.id}: change request abandoned by the founder`, [
        `The founder of application ${app.id} did not answer the change request after a reminder; the partner slot was released.`,
      ], opsLink);
    case 'partner-aws-decision-reminder':
      return build([ctx.partner?.contactEmail ?? ctx.opsEmail], `Reminder: AWS has not decided on ${possessive(company)} records`, [
        `Application ${app.id} is past the expected time for AWS's decision on its ACE records.`,
        recordsWhere(app),
        'File any record not filed yet; for the filed ones, check their status in Partner Central and record the outcome (Action Required, Approved or Rejected).',
      ], partnerLink);
    case 'ops-aws-decision-reminder':
      return build([ctx.opsEmail], `${app.id}: AWS decision overdue`, [
        `Application ${app.id}${ctx.partner ? ` (partner ${ctx.partner.name})` : ''} is past the expected time for AWS's decision on its ACE records.`,
        recordsWhere(app),
      ], opsLink);
    case 'partner-credits-reminder':
      return build([ctx.partner?.contactEmail ?? ctx.opsEmail], `Reminder: credits for ${company} not recorded yet`, [
        `AWS approved records of application ${app.id}, and the credits have not been recorded as applied.`,
        recordsWhere(app),
        fundingWhere(app) ?? 'Record the credits applied (amount, date, expiry) once they are on the founder\'s account.',
      ], partnerLink);
    case 'ops-credits-reminder': {
      const funding = fundingWhere(app);
      return build([ctx.opsEmail], `${app.id}: credits overdue`, [
        `Approved records of application ${app.id}${ctx.partner ? ` (partner ${ctx.partner.name})` : ''} still have no credits recorded as applied.`,
        recordsWhere(app),
        ...(funding ? [funding] : []),
      ], opsLink);
    }
    case 'founder-expiry-reminder': {
      const e = ctx.expiry;
      return build([w.contact.email], `${company}: your credits expire in ${e?.daysLeft ?? '?'} days`, [
        `Hi ${w.contact.firstName},`,
        `The ${e?.programId ?? ''} credits${e?.amountUsd ? ` (${formatUsdAmount(e.amountUsd)})` : ''} on application ${app.id} expire on ${e?.expiresOn ?? 'their expiry date'} (${e?.daysLeft ?? '?'} days from now).`,
        'Plan the remaining usage before then; unused credits are not extended.',
      ], founderLink);
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
  }
}

/** "11000.5" → "$11,000.50": amounts in mails read like money. */
export function formatUsdAmount(amount: string): string {
  const cents = usdAmountToCents(amount);
  const text = formatUsd(cents);
  return amount.includes('.') && cents % 100n === 0n ? `${text}.00` : text;
}

/** The key marking a transition as fully notified, and the transitions not yet notified (./notice-markers.ts). */
export { possessive, transitionMarker, unnotifiedTransitions } from './notice-markers.ts';

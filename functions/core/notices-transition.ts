/**
 * The notices a transition calls for (`noticesForTransition`) and their mails: the confirmation and assignment of a
 * routing, the status updates, the change request. Loaded by every function that mails a transition (Notify, the
 * expiry sweep, operations' actions); ./notice-mail.ts has the shared parts.
 */
import type { Application, ApplicationStatus, FundingStatus, RecordStatus, Transition } from '../../schemas/application.ts';
import { build, links, words, type Mail, type NoticeContext, type NoticeKind } from './notice-mail.ts';
import { possessive } from './notice-markers.ts';


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
 * revision) assigns the partner and updates the founder. `firstRouting` says which. `neverShared`: the application
 * reached nobody but its address (never confirmed, no partner assigned).
 */
export function noticesForTransition(t: Transition, opts: { firstRouting: boolean; neverShared?: boolean }): NoticeKind[] {
  // A record approved for filing goes with the application's own approval, which carries the notice.
  if (t.record?.to === 'approved_for_filing') return [];
  // A change of a record's funding request alone (the application's status stays): by the funding request's status.
  if (t.funding && !t.record) return (FUNDING_AUDIENCE[t.funding.to] ?? []).filter((who) => who !== t.actor.kind).map((who) => `${who}-status-update` as const);
  if (!t.record) {
    // An address never confirmed: the workflow closes it quietly (the address may be a stranger's; nobody else knew).
    if (t.to === 'withdrawn' && t.from === 'drafted' && t.actor.kind === 'system') return [];
    // Nor is one withdrawn by whoever holds its founder token before it reached anybody (`neverShared`: the address
    // never confirmed, no partner): anyone can submit a worksheet naming any address and withdraw it at once, and each
    // time operations were mailed (twice: a partner's notice falls back to them).
    if (t.to === 'withdrawn' && t.actor.kind === 'founder' && opts.neverShared) return [];
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

/** The mails of the notices a transition calls for; `undefined` for other kinds. */
export function composeTransitionNotice(kind: NoticeKind, ctx: NoticeContext): Mail | undefined {
  const app = ctx.application;
  const w = app.worksheet;
  const company = w.company.name;
  const { founderLink, partnerLink, opsLink } = links(ctx);
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
    default:
      return undefined;
  }
}

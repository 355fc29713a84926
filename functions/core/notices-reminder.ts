/**
 * The reminders a partner or founder gets when a wait lapses or operations nudge them (functions/core/operations/
 * actions.ts NUDGE_BY_STATUS), and the lines saying where each record and funding request is. Loaded by Notify and
 * operations' actions; ./notice-mail.ts has the shared parts.
 */
import type { Application, FundingStatus, RecordStatus } from '../../schemas/application.ts';
import { build, links, type Mail, type NoticeContext, type NoticeKind } from './notice-mail.ts';
import { possessive } from './notice-markers.ts';

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

/** The reminders of a lapsed wait that a nudge also sends; `undefined` for other kinds. */
export function composeReminderNotice(kind: NoticeKind, ctx: NoticeContext): Mail | undefined {
  const app = ctx.application;
  const w = app.worksheet;
  const company = w.company.name;
  const { founderLink, partnerLink } = links(ctx);
  switch (kind) {
    case 'partner-review-reminder':
      return build([ctx.partner?.contactEmail ?? ctx.opsEmail], `Reminder: ${company} is waiting on your review`, [
        `Application ${app.id} has been waiting for your review past the agreed time.`,
        ctx.detail ?? 'Please approve, request changes or decline it.',
      ], partnerLink);
    case 'founder-revision-reminder':
      return build([w.contact.email], `Reminder: ${possessive(company)} application is waiting on your revision`, [
        `Hi ${w.contact.firstName},`,
        `Your partner asked for changes to application ${app.id} and is waiting on your revised worksheet.`,
        'Without an answer the application will be closed.',
      ], founderLink);
    case 'partner-aws-decision-reminder':
      return build([ctx.partner?.contactEmail ?? ctx.opsEmail], `Reminder: AWS has not decided on ${possessive(company)} records`, [
        `Application ${app.id} is past the expected time for AWS's decision on its ACE records.`,
        recordsWhere(app),
        'File any record not filed yet; for the filed ones, check their status in Partner Central and record the outcome (Action Required, Approved or Rejected).',
      ], partnerLink);
    case 'partner-credits-reminder':
      return build([ctx.partner?.contactEmail ?? ctx.opsEmail], `Reminder: credits for ${company} not recorded yet`, [
        `AWS approved records of application ${app.id}, and the credits have not been recorded as applied.`,
        recordsWhere(app),
        fundingWhere(app) ?? 'Record the credits applied (amount, date, expiry) once they are on the founder\'s account.',
      ], partnerLink);
    default:
      return undefined;
  }
}

/**
 * The founder's credit expiry reminder (functions/usecases/expiry-sweep.ts). Loaded by the expiry sweep and Notify;
 * ./notice-mail.ts has the shared parts.
 */
import { formatUsd, usdAmountToCents } from './cents.ts';
import { build, links, type Mail, type NoticeContext, type NoticeKind } from './notice-mail.ts';

/** The credit expiry reminder; `undefined` for other kinds. */
export function composeExpiryNotice(kind: NoticeKind, ctx: NoticeContext): Mail | undefined {
  if (kind !== 'founder-expiry-reminder') return undefined;
  const app = ctx.application;
  const w = app.worksheet;
  const e = ctx.expiry;
  return build([w.contact.email], `${w.company.name}: your credits expire in ${e?.daysLeft ?? '?'} days`, [
    `Hi ${w.contact.firstName},`,
    `The ${e?.programId ?? ''} credits${e?.amountUsd ? ` (${formatUsdAmount(e.amountUsd)})` : ''} on application ${app.id} expire on ${e?.expiresOn ?? 'their expiry date'} (${e?.daysLeft ?? '?'} days from now).`,
    'Plan the remaining usage before then; unused credits are not extended.',
  ], links(ctx).founderLink);
}

/** "11000.5" → "$11,000.50": amounts in mails read like money. */
export function formatUsdAmount(amount: string): string {
  const cents = usdAmountToCents(amount);
  const text = formatUsd(cents);
  return amount.includes('.') && cents % 100n === 0n ? `${text}.00` : text;
}

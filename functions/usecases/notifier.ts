/**
 * Sending notices, shared by the two functions allowed to mail (Notify and the expiry sweep).
 *
 * Every mail is claimed before it is sent (a notice item of the application, a conditional put holding a short lease),
 * marked sent after, and the claim is given back if SES fails: a retried task never mails twice in the ordinary
 * case, and a sender that dies between the claim and the send (a timeout) only delays the mail: its lease runs out
 * and the next attempt (the task's Retry, or the next sweep) claims it again and sends. At least once; twice only if
 * the sender dies after SES accepted the mail and before the sent mark.
 *
 * Transitions: `notifyTransitions` mails about every transition not yet notified, oldest first. Per transition
 * version it claims each notice (`v<version>:<kind>`) and then a marker (`t:v<version>`) once all of them went out.
 * Because it scans the whole timeline rather than the latest change, two changes racing for one task token (the
 * second callback finds the token spent) are both mailed by the run the first callback started, or by the next one;
 * AwaitHumanStep refuses to wait while a marker is missing (see await-human-step.ts), so nothing is left unmailed.
 */
import type { Application, Transition } from '../../schemas/application.ts';
import type { Estimate } from '../../schemas/estimate.ts';
import type { PartnerProfile } from '../../schemas/partner.ts';
import { isRetryableByTrait, isServerError, isThrottlingError, isTransientError } from '@smithy/service-error-classification';
import { type ApplicationRepository, countTransitions } from '../adapters/dynamo/applications.ts';
import { claimNotice, markNoticesSent, releaseNotice } from '../adapters/dynamo/applications-notices.ts';
import type { PartnerRepository } from '../adapters/dynamo/partners.ts';
import { sendMail } from '../adapters/mailer.ts';
import { systemClock } from '../adapters/clock.ts';
import type { Clock } from '../core/clock.ts';
import { formatUsd, sumCents, usdAmountToCents } from '../core/cents.ts';
import type { Composer, NoticeKind } from '../core/notice-mail.ts';
import { transitionMarker, unnotifiedTransitions } from '../core/notice-markers.ts';
import { noticesForTransition } from '../core/notices-transition.ts';
import { reachedNobody } from '../core/address-confirmation.ts';
import { isReassignment } from '../core/operations/reassignment.ts';

export { transitionMarker, unnotifiedTransitions } from '../core/notice-markers.ts';

export interface NotifierConfig {
  readonly SENDER_EMAIL: string;
  readonly SES_CONFIGURATION_SET: string;
  readonly PUBLIC_BASE_URL: string;
  readonly OPS_EMAIL: string;
}


/** Asks are whole dollars: "11000.00" reads as $11,000. */
const usd = (amount: string) => formatUsd(usdAmountToCents(amount));

/** The ask as a founder should read it: the counted filings add up; a long-shot cohort is mentioned apart. */
function askSummary(app: Application): string | undefined {
  const filings = (app.estimate as Estimate | undefined)?.plan?.filings;
  if (!filings?.length) return undefined;
  const counted = filings.filter((f) => f.filingPath !== 'cohort-application');
  const longShots = filings.filter((f) => f.filingPath === 'cohort-application');
  const parts: string[] = [];
  if (counted.length) {
    const total = sumCents(counted.map((f) => usdAmountToCents(f.askUsd)));
    parts.push(`Sized ask: ${counted.map((f) => `${f.programName} ${usd(f.askUsd)}`).join(' + ')} = ${formatUsd(total)}.`);
  }
  for (const f of longShots) parts.push(`Also worth a separate application: ${f.programName} (competitive cohort, up to ${usd(f.askUsd)}).`);
  return parts.join(' ');
}

export interface Extras {
  readonly transition?: Transition;
  readonly detail?: string;
  readonly expiry?: { programId: string; daysLeft: number; expiresOn: string; amountUsd?: string };
  readonly confirmation?: { link: string; expiresAt: string };
}

export class Notifier {
  constructor(
    private readonly applications: ApplicationRepository,
    private readonly partners: PartnerRepository,
    private readonly config: NotifierConfig,
    /**
     * The mails this function sends (functions/core/notice-mail.ts `composerOf`): Notify composes every kind
     * (notifications.ts `composeNotice`), the expiry sweep and operations' actions only theirs, so they load only
     * those mails.
     */
    private readonly compose: Composer,
    private readonly clock: Clock = systemClock,
  ) {}

  /**
   * Claim a notice; a live claim of another sender is waited out once (its lease is short), so the retry of a task
   * that died after claiming sends in the same run. `false`: it was already sent.
   */
  private async claim(app: Application, key: string): Promise<boolean> {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const claim = await claimNotice(this.applications, app.id, key, this.clock.now());
      if (claim.state !== 'busy') return claim.state === 'claimed';
      if (attempt === 0) await this.clock.sleep(Math.max(0, (claim.leaseUntil ?? 0) - this.clock.now().getTime()) + 50);
    }
    const busy = new Error(`Notice ${key} of ${app.id} is being sent by another run; retrying is safe`);
    busy.name = 'TransientError';
    throw busy;
  }

  async partnerOf(app: Application): Promise<PartnerProfile | undefined> {
    return app.partner ? this.partners.get(app.partner.partnerId) : undefined;
  }

  /** Claim `key`, compose and send one notice; false when it was already sent. */
  async deliver(app: Application, kind: NoticeKind, key: string, extras: Extras = {}, partner?: PartnerProfile): Promise<boolean> {
    if (!(await this.claim(app, key))) return false;
    const summary = askSummary(app);
    const mail = this.compose(kind, {
      application: app,
      ...(partner ? { partner } : {}),
      opsEmail: this.config.OPS_EMAIL,
      baseUrl: this.config.PUBLIC_BASE_URL,
      ...(summary ? { askSummary: summary } : {}),
      ...extras,
    });
    try {
      await sendMail(mail, { from: this.config.SENDER_EMAIL, configurationSet: this.config.SES_CONFIGURATION_SET });
    } catch (error) {
      await releaseNotice(this.applications, app.id, key);
      throw withoutAddresses(error);
    }
    await markNoticesSent(this.applications, app.id, [key]);
    return true;
  }

  /** Mails every transition not yet notified (oldest first); returns the notices sent. */
  async notifyTransitions(app: Application): Promise<string[]> {
    const unnotified = unnotifiedTransitions(app);
    const pending = new Set(unnotified.map((t) => t.version));
    if (pending.size === 0) return [];
    // Catch up the pipeline counters of a write that crashed before counting (a repeat counts nothing).
    await countTransitions(this.applications, app, unnotified, this.clock.now());
    const partner = await this.partnerOf(app);
    // Nobody but its address has heard of an application never confirmed and never assigned (its closing is quiet).
    const neverShared = reachedNobody(app);
    const sent: string[] = [];
    const done: string[] = [];
    let firstRouting = true;
    for (const t of [...app.transitions].sort((a, b) => a.version - b.version)) {
      const routing = !t.record && (t.to === 'routed' || t.to === 'unrouted');
      if (pending.has(t.version)) {
        // None for the workflow failing: the failure path sends its own notice to operations (event `failed`).
        for (const kind of noticesForTransition(t, { firstRouting, neverShared })) {
          const extras: Extras = kind === 'ops-unrouted' ? { transition: t, detail: t.reason } : { transition: t };
          if (await this.deliver(app, kind, `v${t.version}:${kind}`, extras, partner)) sent.push(`v${t.version}:${kind}`);
        }
        // Operations reassigned it: the partner who had it is told (the new one gets the assignment above). Only a
        // reassignment (a nudge's note, routed → routed by an operator too, is none) and only from a partner's hands:
        // from unrouted nobody had it (the last partner passed over gave it up long ago, as before a redrive).
        if (isReassignment(t) && (t.from === 'routed' || t.from === 'in_partner_review')) {
          const previous = app.passedOverBy?.at(-1);
          const profile = previous ? await this.partners.get(previous) : undefined;
          if (profile) {
            const detail = `Operations reassigned application ${app.id} to another partner (${t.reason}); your review slot is free again.`;
            if (await this.deliver(app, 'partner-status-update', `v${t.version}:partner-reassigned`, { transition: t, detail }, profile)) sent.push(`v${t.version}:partner-reassigned`);
          }
        }
        // A revision (new contact address or AWS account) never confirmed (ExpireUnconfirmed): the partner who asked
        // for the changes is told; the revision itself never reached them. (Closed before any partner: nobody else is told.)
        if (t.to === 'withdrawn' && t.from === 'drafted' && t.actor.kind === 'system' && partner) {
          const detail = `The founder answered your change request on application ${app.id} with a revised worksheet that changes the contact address or the AWS account, and the founder never confirmed it from the contact address; the application is closed without the revision reaching you, and your review slot is free again.`;
          if (await this.deliver(app, 'partner-status-update', `v${t.version}:partner-status-update`, { transition: t, detail }, partner)) sent.push(`v${t.version}:partner-status-update`);
        }
        // A review taken away after the SLA lapsed: the partner who had it is told (the assignment is already cleared).
        if (t.to === 'drafted' && t.from === 'in_partner_review' && t.actor.kind === 'system') {
          const lapsed = app.passedOverBy?.at(-1);
          const profile = lapsed ? await this.partners.get(lapsed) : undefined;
          if (profile) {
            const detail = `Application ${app.id} waited on your review past the agreed time and a reminder, so it has been passed to another partner and your review slot is free again.`;
            if (await this.deliver(app, 'partner-status-update', `v${t.version}:partner-lapsed`, { transition: t, detail }, profile)) sent.push(`v${t.version}:partner-lapsed`);
          }
        }
        done.push(transitionMarker(t.version));
      }
      if (routing) firstRouting = false;
    }
    // One write marks every transition whose mails are all out; a crash before it only means the next run finds
    // the mails already claimed and marks them then.
    await markNoticesSent(this.applications, app.id, done);
    return sent;
  }
}

/**
 * SES errors can quote the recipient ("Email address is not verified: x@y"). The error travels into Lambda's logs,
 * the execution history and the application's `failure.cause`, so only its name (what Retry and Catch match on) and
 * a generic message go on.
 */
export function withoutAddresses(error: unknown): Error {
  const name = (error as Error | undefined)?.name ?? 'Error';
  // A throttle or an SES-side failure is worth the workflow's Retry, which matches TransientError by name.
  const safe = new Error(`SES did not accept the message (${name}); details withheld because they may name recipients`);
  safe.name = isRetryable(error) ? 'TransientError' : name;
  return safe;
}

/** What the SDK itself would call retryable (its own classification), after its own retries ran out. */
export function isRetryable(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as Parameters<typeof isTransientError>[0];
  // TransientError: this service's own name for "worth the workflow's Retry".
  return isRetryableByTrait(e) || isThrottlingError(e) || isTransientError(e) || isServerError(e) || e.name === 'TransientError';
}

/**
 * Notify: the only function allowed to send mail. Each notice is claimed on the application before it
 * is sent (and the claim released if SES fails), so a retried task never mails anyone twice.
 */
import * as z from 'zod/mini';
import { readConfig } from '../adapters/config.ts';
import { ApplicationRepository } from '../adapters/dynamo/applications.ts';
import { PartnerRepository } from '../adapters/dynamo/partners.ts';
import { sendMail } from '../adapters/mailer.ts';
import { logger } from '../adapters/observability.ts';
import { composeNotice, type NoticeKind } from '../core/notifications.ts';
import type { Estimate } from '../../schemas/estimate.ts';
import type { Application } from '../../schemas/application.ts';
import { workflowTask } from './task.ts';

const config = readConfig(['TABLE_NAME', 'SENDER_EMAIL', 'SES_CONFIGURATION_SET', 'PUBLIC_BASE_URL', 'OPS_EMAIL']);
const applications = new ApplicationRepository(config.TABLE_NAME);
const partners = new PartnerRepository(config.TABLE_NAME);

/** Workflow events and the notices each one sends. */
export const NOTICES_BY_EVENT = {
  routed: ['founder-confirmation', 'partner-assignment'],
  unrouted: ['founder-confirmation', 'ops-unrouted'],
  'partner-review-overdue': ['partner-review-reminder'],
  failed: ['ops-failure'],
} as const satisfies Record<string, readonly NoticeKind[]>;

export const NotifyInput = z.object({
  applicationId: z.string().check(z.minLength(1)),
  event: z.enum(Object.keys(NOTICES_BY_EVENT) as [keyof typeof NOTICES_BY_EVENT, ...(keyof typeof NOTICES_BY_EVENT)[]]),
});

function askSummary(app: Application): string | undefined {
  const filings = (app.estimate as Estimate | undefined)?.plan?.filings;
  if (!filings?.length) return undefined;
  return `Sized ask: ${filings.map((f) => `${f.programName} $${Number(f.askUsd).toLocaleString('en-US')}`).join(' + ')}.`;
}

export const handler = workflowTask('Notify', NotifyInput, async ({ applicationId, event }) => {
  const app = await applications.mustGet(applicationId);
  const partner = app.partner ? await partners.get(app.partner.partnerId) : undefined;
  const sent: string[] = [];
  for (const kind of NOTICES_BY_EVENT[event]) {
    const key = `${kind}:v${app.version}${partner ? `:${partner.id}` : ''}`;
    if (!(await applications.claimNotice(applicationId, key))) continue;
    const mail = composeNotice(kind, {
      application: app,
      ...(partner ? { partner } : {}),
      opsEmail: config.OPS_EMAIL,
      baseUrl: config.PUBLIC_BASE_URL,
      ...(askSummary(app) ? { askSummary: askSummary(app) } : {}),
      ...(app.status === 'unrouted' ? { detail: app.transitions.at(-1)?.reason } : {}),
    });
    try {
      await sendMail(mail, { from: config.SENDER_EMAIL, configurationSet: config.SES_CONFIGURATION_SET });
    } catch (error) {
      await applications.releaseNotice(applicationId, key);
      throw error;
    }
    sent.push(kind);
  }
  logger.info('Notices sent', { event, sent });
  return { applicationId, sent };
});

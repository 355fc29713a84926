/** SES adapter: the Notify function is the only caller (and the only function granted ses:SendEmail). */
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import type { Mail } from '../core/notifications.ts';

const ses = new SESClient({});

export async function sendMail(mail: Mail, opts: { from: string; configurationSet: string }): Promise<string | undefined> {
  const out = await ses.send(new SendEmailCommand({
    Source: opts.from,
    Destination: { ToAddresses: mail.to },
    ConfigurationSetName: opts.configurationSet,
    Message: {
      Subject: { Data: mail.subject, Charset: 'UTF-8' },
      Body: {
        Html: { Data: mail.html, Charset: 'UTF-8' },
        Text: { Data: mail.text, Charset: 'UTF-8' },
      },
    },
  }));
  return out.MessageId;
}

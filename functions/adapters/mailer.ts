/** SES adapter: the Notify function is the only caller (and the only function granted ses:SendEmail). */
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import type { Mail } from '../core/notifications.ts';

/** Lone surrogates (legal in JSON, not Unicode) become U+FFFD, so stored text from any source can be mailed. */
export function mailableText(text: string): string {
  return text.replace(/\p{Cs}/gu, '\uFFFD');
}

/**
 * A client per mail. SES speaks the AWS query protocol, whose serializer keeps the form body it is writing on the
 * client: a value it cannot encode (a lone UTF-16 surrogate throws URIError half-way) leaves that half body behind,
 * and every mail serialized next on the same client, for any application, went out with it prepended and was
 * refused (issue 8: one application's bad text failed the others being mailed at that moment, in the local
 * runtime's one process and in a warm Lambda container alike). Nothing is shared between two mails, so nothing can
 * leak from one to another; a Notify run sends a handful of mails, so the lost connection reuse costs little.
 */
export async function sendMail(mail: Mail, opts: { from: string; configurationSet: string }): Promise<string | undefined> {
  const client = new SESClient({});
  try {
    const out = await client.send(new SendEmailCommand({
      Source: opts.from,
      Destination: { ToAddresses: mail.to.map(mailableText) },
      ConfigurationSetName: opts.configurationSet,
      Message: {
        Subject: { Data: mailableText(mail.subject), Charset: 'UTF-8' },
        Body: {
          Html: { Data: mailableText(mail.html), Charset: 'UTF-8' },
          Text: { Data: mailableText(mail.text), Charset: 'UTF-8' },
        },
      },
    }));
    return out.MessageId;
  } finally {
    client.destroy();
  }
}

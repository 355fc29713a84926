/**
 * The SES adapter against the SES stand-in (aws-ses-v2-local speaks SES's query protocol, like SES).
 * Issue 8: a lone UTF-16 surrogate made SendEmail throw URIError while the form body was being written, and the
 * half-written body stayed on the shared client, so the next mail (another application's) was refused too.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSes, type SesHandle } from '../../lib/local/ses.ts';
import type { Mail } from '../../functions/core/notifications.ts';
import type { sendMail as SendMail } from '../../functions/adapters/mailer.ts';

let ses: SesHandle;
let sendMail: typeof SendMail;
const opts = { from: 'credits@example.com', configurationSet: 'test' };

interface StoredMail { subject: string; destination: { to: string[] }; body: { text?: string; html?: string } }

async function inbox(): Promise<StoredMail[]> {
  const res = await fetch(`${ses.url}/store`);
  return ((await res.json()) as { emails: StoredMail[] }).emails;
}

/** A sender the serializer cannot turn into text: it fails half-way through the form body, as URIError did. */
const poisonedOpts = { ...opts, from: { toString: () => { throw new URIError('URI malformed'); } } } as unknown as typeof opts;

const mail = (subject: string, text = 'Hello'): Mail => ({ to: ['founder@example.com'], subject, html: `<p>${text}</p>`, text });

beforeAll(async () => {
  ses = await startSes({ host: '127.0.0.1', port: 0 });
  process.env.AWS_ENDPOINT_URL_SES = ses.url;
  ({ sendMail } = await import('../../functions/adapters/mailer.ts'));
});
afterAll(async () => ses?.close());
beforeEach(async () => {
  await fetch(`${ses.url}/clear-store`, { method: 'POST' });
});

describe('sending mail', () => {
  it('mails text holding a lone surrogate with U+FFFD in its place instead of failing', async () => {
    await sendMail(mail('Ledgerly \ud83d Labs', 'Use case \udc00 here'), opts);
    const [stored] = await inbox();
    expect(stored?.subject).toBe('Ledgerly \uFFFD Labs');
    expect(stored?.body.text).toBe('Use case \uFFFD here');
  });

  it('a mail that fails while its request is written does not break the next mail on the same client', async () => {
    await expect(sendMail(mail('x'), poisonedOpts)).rejects.toThrow(URIError);
    await sendMail(mail('Another application'), opts);
    const stored = await inbox();
    expect(stored.map((m) => m.subject)).toEqual(['Another application']);
    expect(stored[0]?.destination.to).toEqual(['founder@example.com']);
  });

  it('mails sent at the same moment as a failing one all arrive', async () => {
    const results = await Promise.allSettled([sendMail(mail('x'), poisonedOpts), ...[1, 2, 3, 4].map((n) => sendMail(mail(`Clean ${n}`), opts))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect((await inbox()).map((m) => m.subject).sort()).toEqual(['Clean 1', 'Clean 2', 'Clean 3', 'Clean 4']);
  });
});

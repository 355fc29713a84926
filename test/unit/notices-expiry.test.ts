// The founder's credit expiry reminder (functions/core/notices-expiry.ts): to whom, the exact subject and wording, the
// amount written as money, the wording when the sweep gives no details, and no mail for any other kind. Contexts are
// built in each test.
import { describe, expect, it } from 'vitest';
import { composeExpiryNotice, formatUsdAmount } from '../../functions/core/notices-expiry.ts';
import { NOTICE_KINDS, type NoticeContext } from '../../functions/core/notice-mail.ts';
import { newApplication } from '../../functions/core/intake.ts';
import { exampleWorksheet } from '../support/fixtures.ts';

function context(expiry?: NoticeContext['expiry']): NoticeContext {
  const application = newApplication({ id: 'app_expiry01', worksheet: exampleWorksheet(), tokenHash: 'h', now: new Date('2026-12-01T00:00:00Z') });
  return { application, opsEmail: 'ops@example.com', baseUrl: 'https://ace.example.com', ...(expiry ? { expiry } : {}) };
}

describe('composeExpiryNotice', () => {
  it('mails the founder the program, amount, date and days left, with the link to the application', () => {
    const ctx = context({ programId: 'bedrock-poc', daysLeft: 30, expiresOn: '2027-01-15', amountUsd: '11000.5' });
    const mail = composeExpiryNotice('founder-expiry-reminder', ctx);
    expect(mail).toStrictEqual({
      to: ['maya@ledgerly.ai'],
      subject: 'Ledgerly Labs: your credits expire in 30 days',
      text: [
        'Hi Maya,',
        'The bedrock-poc credits ($11,000.50) on application app_expiry01 expire on 2027-01-15 (30 days from now).',
        'Plan the remaining usage before then; unused credits are not extended.',
        'Your application: https://ace.example.com/applications/app_expiry01\n',
      ].join('\n\n'),
      html: [
        '<!doctype html><html><body>',
        '<p>Hi Maya,</p>',
        '<p>The bedrock-poc credits ($11,000.50) on application app_expiry01 expire on 2027-01-15 (30 days from now).</p>',
        '<p>Plan the remaining usage before then; unused credits are not extended.</p>',
        '<p><a href="https://ace.example.com/applications/app_expiry01">Your application</a></p>',
        '</body></html>',
      ].join('\n'),
    });
  });

  it('without an amount: no parentheses; without any details: placeholders, never "undefined"', () => {
    const noAmount = composeExpiryNotice('founder-expiry-reminder', context({ programId: 'activate', daysLeft: 60, expiresOn: '2027-02-14' }));
    expect(noAmount?.text.split('\n\n')[1]).toBe('The activate credits on application app_expiry01 expire on 2027-02-14 (60 days from now).');
    const bare = composeExpiryNotice('founder-expiry-reminder', context());
    expect(bare?.subject).toBe('Ledgerly Labs: your credits expire in ? days');
    expect(bare?.text.split('\n\n')[1]).toBe('The  credits on application app_expiry01 expire on their expiry date (? days from now).');
  });

  it('composes no other kind', () => {
    const ctx = context({ programId: 'bedrock-poc', daysLeft: 30, expiresOn: '2027-01-15' });
    for (const kind of NOTICE_KINDS) {
      if (kind === 'founder-expiry-reminder') continue;
      expect(composeExpiryNotice(kind, ctx), kind).toBeUndefined();
    }
  });
});

describe('formatUsdAmount', () => {
  it('writes an amount as money: thousands separated, cents as given, two decimals once a point is written', () => {
    expect(formatUsdAmount('11000.5')).toBe('$11,000.50');
    expect(formatUsdAmount('11000.05')).toBe('$11,000.05');
    expect(formatUsdAmount('11000')).toBe('$11,000');
    expect(formatUsdAmount('11000.00')).toBe('$11,000.00');
    expect(formatUsdAmount('11000.0')).toBe('$11,000.00');
    expect(formatUsdAmount('1234567.89')).toBe('$1,234,567.89');
    expect(formatUsdAmount('0.10')).toBe('$0.10');
    expect(formatUsdAmount('100')).toBe('$100');
  });

  it('refuses what is not a USD amount', () => {
    expect(() => formatUsdAmount('11,000')).toThrow(RangeError);
  });
});

/**
 * functions/core/notice-mail.ts: how every notice mail is built. The subject is one header line whatever a founder or
 * partner typed; the text and HTML parts carry every line in order and the link; the links carry only the
 * application id, each with its audience's label; a composer answers with the first group that composes a kind.
 */
import { describe, expect, it } from 'vitest';
import { build, composerOf, links, oneLine, type Mail, type PartialComposer } from '../../functions/core/notice-mail.ts';
import { composeTransitionNotice } from '../../functions/core/notices-transition.ts';
import { newApplication } from '../../functions/core/intake.ts';
import { exampleWorksheet } from '../support/fixtures.ts';

const link = { label: 'Your application', href: 'https://x/applications/app_1' };

describe('oneLine (the Subject header)', () => {
  it('turns each run of control characters and line or paragraph separators into one space', () => {
    expect(oneLine('Acme\r\nBcc: evil@example.com')).toBe('Acme Bcc: evil@example.com');
    expect(oneLine('A\n\n\nB')).toBe('A B');
    expect(oneLine('A\u2028\u2029B\u0085C\u0000D\tE')).toBe('A B C D E');
  });

  it('collapses the spaces around a replaced run and trims the ends', () => {
    expect(oneLine('Acme \n Labs')).toBe('Acme Labs');
    expect(oneLine('Acme    Labs')).toBe('Acme Labs');
    expect(oneLine('\n Acme Labs \r\n')).toBe('Acme Labs');
  });

  it('leaves a plain subject as it is', () => {
    expect(oneLine('We received Acme’s Bedrock credit application')).toBe('We received Acme’s Bedrock credit application');
  });
});

describe('build', () => {
  // Built in each test, not when the file is collected: StrykerJS counts only what a test runs as covered by it.
  const mail = () => build(['a@example.com', 'b@example.com'], 'New\r\napplication:  Acme', ['First <line>', 'Second & last'], link);

  it('sends to exactly the recipients given, in order', () => {
    expect(mail().to).toEqual(['a@example.com', 'b@example.com']);
  });

  it('puts the subject on one line', () => {
    expect(mail().subject).toBe('New application: Acme');
  });

  it('writes the text part as paragraphs separated by a blank line, then the link with its label', () => {
    expect(mail().text).toBe('First <line>\n\nSecond & last\n\nYour application: https://x/applications/app_1\n');
  });

  it('writes the HTML part as one escaped paragraph a line, then the link', () => {
    expect(mail().html).toBe(
      '<!doctype html><html><body>\n<p>First &lt;line&gt;</p>\n<p>Second &amp; last</p>\n' +
        '<p><a href="https://x/applications/app_1">Your application</a></p>\n</body></html>',
    );
  });
});

describe('links', () => {
  it('gives each audience its page and label, the application id encoded and nothing else in the address', () => {
    const app = { id: 'app/1 ?x' } as Parameters<typeof links>[0]['application'];
    expect(links({ application: app, baseUrl: 'https://ace.example.com' })).toEqual({
      founderLink: { label: 'Your application', href: 'https://ace.example.com/applications/app%2F1%20%3Fx' },
      partnerLink: { label: 'Open the application', href: 'https://ace.example.com/partner/applications/app%2F1%20%3Fx' },
      opsLink: { label: 'Operations view', href: 'https://ace.example.com/ops/applications/app%2F1%20%3Fx' },
    });
  });
});

describe('composerOf', () => {
  const mailFor = (subject: string): Mail => build(['x@example.com'], subject, ['l'], link);
  const first: PartialComposer = (kind) => (kind === 'ops-failure' ? mailFor('first') : undefined);
  const second: PartialComposer = (kind) => (kind === 'ops-failure' || kind === 'ops-unrouted' ? mailFor('second') : undefined);

  it('answers with the first group that composes the kind', () => {
    const compose = composerOf(first, second);
    const ctx = {} as Parameters<typeof compose>[1];
    expect(compose('ops-failure', ctx).subject).toBe('first');
    expect(compose('ops-unrouted', ctx).subject).toBe('second');
  });

  it('fails loudly, naming the kind, for a kind none of its groups composes', () => {
    expect(() => composerOf(first, second)('ops-escalation', {} as never)).toThrow('Notice ops-escalation is not composed by this function');
  });
});

describe('a notice with a company name typed across lines', () => {
  it('keeps the subject on one line and the founder as the only recipient', () => {
    const worksheet = exampleWorksheet();
    const typed = { ...worksheet, company: { ...worksheet.company, name: 'Acme\r\nLabs' } };
    const application = newApplication({ id: 'app_lines', worksheet: typed, tokenHash: 'h', now: new Date('2026-11-27T00:00:00Z') });
    const mail = composeTransitionNotice('founder-confirmation', { application, opsEmail: 'ops@example.com', baseUrl: 'https://x' });
    expect(mail?.to).toEqual([worksheet.contact.email]);
    expect(mail?.subject).not.toMatch(/[\r\n]/);
    expect(mail?.subject).toContain('Acme Labs');
    expect(mail?.text).toContain('Your application: https://x/applications/app_lines\n');
  });
});

import { describe, expect, it } from 'vitest';
import { composeNotice, escapeHtml } from '../../functions/core/notifications.ts';
import { newApplication } from '../../functions/core/intake.ts';
import { exampleWorksheet } from '../support/fixtures.ts';

describe('notifications', () => {
  const w = exampleWorksheet();
  w.company.name = '<script>alert("x")</script> & Co';
  const app = newApplication({ id: 'app_123', worksheet: w, tokenHash: 'h', now: new Date('2026-11-27T00:00:00Z') });

  it('escapes everything a founder typed in HTML, keeps the text part readable', () => {
    const mail = composeNotice('founder-confirmation', { application: app, opsEmail: 'ops@example.com', baseUrl: 'https://api.example.com' });
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
    expect(mail.text).toContain('<script>alert("x")</script> & Co');
    expect(mail.to).toEqual(['maya@ledgerly.ai']);
  });

  it('links carry only the application id, never a token', () => {
    const mail = composeNotice('partner-assignment', {
      application: app, opsEmail: 'ops@example.com', baseUrl: 'https://api.example.com',
      partner: { id: 'p-x', name: 'X', tier: 'Premier', regions: ['us-east-1'], contactEmail: 'x@example.com', strengths: { modelProviders: [], useCases: [], services: [] }, capacity: 1, record: { filings: 1, approvalRate: 1, medianDaysToCredits: 10 }, active: true },
    });
    expect(mail.to).toEqual(['x@example.com']);
    const links = [...mail.html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
    expect(links).toEqual(['https://api.example.com/partner/applications/app_123']);
    expect(mail.text).not.toMatch(/token/i);
  });

  it('escapes the five HTML-special characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});

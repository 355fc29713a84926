/**
 * The page a confirmation mail links to (`GET /applications/{id}/confirm-email#secret=…`).
 *
 * Why a page and not a GET that confirms: mail scanners and link previews fetch links in mails before (or instead of)
 * people; a GET that confirmed would let a scanner confirm an address nobody read. This GET changes nothing, and the
 * secret rides in the URL fragment, which browsers never send, so it is in no request, access log or Referer. The
 * page's script reads the fragment, removes it from the address bar, and POSTs it as JSON only when the founder
 * presses the button (a JSON POST from another site would need a CORS preflight this API does not grant).
 * Strict CSP: nothing loads but this page's own script, pinned by its hash.
 */
import { createHash } from 'node:crypto';
import { escapeHtml } from '../core/html.ts';
import type { HttpResult } from './middleware.ts';

const SCRIPT = `
const secret = new URLSearchParams(location.hash.slice(1)).get('secret');
history.replaceState(null, '', location.pathname);
const button = document.getElementById('confirm');
const status = document.getElementById('status');
if (!secret) { status.textContent = 'This link has no secret. Open the link from the mail again, or ask for a new mail.'; button.disabled = true; }
button.addEventListener('click', async () => {
  button.disabled = true;
  status.textContent = 'Confirming...';
  try {
    const res = await fetch(location.pathname, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ secret }) });
    const body = await res.json().catch(() => ({}));
    const wait = res.headers.get('retry-after');
    status.textContent = res.ok ? 'Thank you: your address is confirmed and the application goes to a partner now.'
      : res.status === 404 ? 'This link does not work: it is wrong, was already used, has expired, or the application no longer waits for a confirmation. Use the link in the newest confirmation mail, or ask for a new mail.'
      : res.status === 400 ? 'This link is damaged: open it from the mail again, or copy the whole link.'
      : res.status === 429 && body.error === 'TooManyRequests' ? body.message
      : res.status === 429 ? 'Too many attempts just now: try again' + (wait ? ' in ' + wait + ' seconds.' : ' in a little while.')
      : (body.message || 'That did not work (' + res.status + ').');
    if (!res.ok && (res.status >= 500 || res.status === 429)) button.disabled = false;
  } catch { status.textContent = 'The request failed; try again.'; button.disabled = false; }
});
`;
const SCRIPT_HASH = createHash('sha256').update(SCRIPT, 'utf8').digest('base64');

export function confirmationPage(applicationId: string): HttpResult {
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>Confirm your address</title></head>
<body>
<h1>Confirm your address</h1>
<p>Application <code>${escapeHtml(applicationId)}</code>: press the button to confirm that this address is yours. Only then is the application passed to a partner.</p>
<p><button id="confirm" type="button">Confirm my address</button></p>
<p id="status" role="status"></p>
<script>${SCRIPT}</script>
</body></html>`;
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'content-security-policy': `default-src 'none'; script-src 'sha256-${SCRIPT_HASH}'; connect-src 'self'; style-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`,
    },
    body,
  };
}

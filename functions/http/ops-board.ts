/**
 * GET /ops/board: the operations board, one static page (functions/http/ops-board-page.ts). It holds no data; its
 * script asks for the ops JWT and calls the ops API with it. Strict CSP: nothing loads from outside this origin.
 */
import { createHash } from 'node:crypto';
import { OPS_BOARD_HTML } from './ops-board-page.ts';
import { httpHandler } from './middleware.ts';

/** The page's one inline script and one inline style are allowed by their hashes, nothing else. */
const hashOf = (tag: string): string => {
  const body = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(OPS_BOARD_HTML)?.[1] ?? '';
  return `'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`;
};
export const OPS_BOARD_CSP = `default-src 'none'; script-src ${hashOf('script')}; style-src ${hashOf('style')}; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

export const handler = httpHandler({
  'GET /ops/board': async () => ({
    statusCode: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': OPS_BOARD_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    },
    body: OPS_BOARD_HTML,
  }),
});

/**
 * GET /ops/board: the operations board, one static page (functions/http/ops-board-page.ts). It holds no data; its
 * script asks for the ops JWT and calls the ops API with it. Strict CSP: nothing loads from outside this origin.
 */
import { OPS_BOARD_HTML } from './ops-board-page.ts';
import { httpHandler } from './middleware.ts';

const CSP = "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export const handler = httpHandler({
  'GET /ops/board': async () => ({
    statusCode: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    },
    body: OPS_BOARD_HTML,
  }),
});

/**
 * `GET /applications/{id}/confirm-email`: the page a confirmation mail links to (./confirmation-page.ts). Its own
 * function, like the operations board: the page is static (the secret stays in the URL fragment and is POSTed by the
 * page to the Founder function), so it needs no grants and no SDK client, and the founder's other routes do not carry
 * its HTML and script (issue 11 §1).
 */
import { applicationIdParameter, httpHandler } from './middleware.ts';
import { confirmationPage } from './confirmation-page.ts';

export const handler = httpHandler({
  'GET /applications/{id}/confirm-email': async (event) => confirmationPage(applicationIdParameter(event)),
});

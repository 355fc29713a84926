/**
 * The operations actions' request bodies (functions/http/ops-actions.ts), checked without zod so that function does
 * not carry zod's core (issue 11 §1): the same rules and wording as schemas/api-requests.ts `ActionRequest` and
 * `ReassignRequest`, which stay the OpenAPI source; test/unit/input-shape.test.ts holds the two to the same answers.
 */
import { object, text } from '../input-shape.ts';

const reason = text({ trim: true, min: 3, max: 500 });

export const ActionBody = object({ reason }, { strict: true });
export const ReassignBody = object({ reason, partnerId: text({ pattern: /^[a-z0-9-]{1,64}$/ }) }, { strict: true });

/**
 * The application's statuses as plain values (no zod): schemas/application.ts builds its enum from them and
 * re-exports them; request schemas and handlers that only need the list import it from here, so they do not build
 * the stored application's schemas at cold start (issue 11 §1).
 */
export const APPLICATION_STATUSES = [
  'submitted',
  'sized',
  'drafted',
  'routed',
  'unrouted',
  'in_partner_review',
  'changes_requested',
  'approved_for_filing',
  'filed',
  'in_aws_review',
  'action_required',
  'approved',
  'rejected',
  'credits_applied',
  'expiring',
  'expired',
  'withdrawn',
  'failed',
] as const;

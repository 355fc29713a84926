/**
 * What arrives from Partner Central through EventBridge (`aws.partnercentral-selling`): events carry ids only; the
 * handler reads the opportunity's state with GetOpportunity. Only the fields the sync needs are checked; anything
 * else in the event is passed over (the detail shape beyond `catalog` and `opportunity.identifier` is not a contract).
 */
import * as z from 'zod/mini';
import { PartnerBriefView } from './api.ts';
import { ApplicationStatus } from './application.ts';

export const PARTNER_CENTRAL_EVENT_SOURCE = 'aws.partnercentral-selling';
/** detail-types the sync follows. */
export const PARTNER_CENTRAL_DETAIL_TYPES = ['Opportunity Created', 'Opportunity Updated'] as const;

export const PartnerCentralOpportunityEvent = z.object({
  id: z.string().check(z.minLength(1)),
  source: z.literal(PARTNER_CENTRAL_EVENT_SOURCE),
  'detail-type': z.enum(PARTNER_CENTRAL_DETAIL_TYPES),
  detail: z.object({
    catalog: z.enum(['AWS', 'Sandbox']),
    opportunity: z.object({ identifier: z.string().check(z.regex(/^O[0-9]{1,19}$/, 'must be an opportunity id (O + digits)')) }),
  }),
});
export type PartnerCentralOpportunityEvent = z.infer<typeof PartnerCentralOpportunityEvent>;

/** The scheduled reconciliation's fixed input. */
export const ReconcileInput = z.object({ reconcile: z.literal('partner-central') });

/** The answer of `POST …/file-via-api`: the record filed through the API, and what the partner does next. */
export const FiledViaApiResponse = z.object({
  applicationId: z.string(),
  programId: z.string(),
  opportunityId: z.string().check(z.regex(/^O[0-9]{1,19}$/)),
  filedVia: z.literal('api'),
  status: ApplicationStatus,
  brief: PartnerBriefView,
  next: z.string(),
});
export type FiledViaApiResponse = z.infer<typeof FiledViaApiResponse>;

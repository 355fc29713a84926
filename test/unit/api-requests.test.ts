/**
 * The request schemas are built on first use (schemas/api-requests.ts): one schema per builder, and it is the very one
 * the OpenAPI document describes (schemas/api.ts, operations.ts, partner-central-messages.ts), so what the handlers
 * parse and what the document says cannot drift apart.
 */
import { describe, expect, it } from 'vitest';
import * as requests from '../../schemas/api-requests.ts';
import * as api from '../../schemas/api.ts';
import * as operations from '../../schemas/operations.ts';
import * as partnerCentral from '../../schemas/partner-central-messages.ts';
import { parseWith } from '../../schemas/issues.ts';
import { APPLICATION_STATUSES as STORED_STATUSES } from '../../schemas/application.ts';
import { APPLICATION_STATUSES } from '../../schemas/statuses.ts';

const DOCUMENTED = {
  ...{ ConfirmAddressRequest: api.ConfirmAddressRequest, ListExecutionsQuery: api.ListExecutionsQuery, OpsApplicationsQuery: api.OpsApplicationsQuery },
  ...{ PartnerQueueQuery: api.PartnerQueueQuery, BriefPatch: api.BriefPatch, RequestChangesRequest: api.RequestChangesRequest, DeclineRequest: api.DeclineRequest },
  ...{ FiledRequest: api.FiledRequest, AwsReviewRequest: api.AwsReviewRequest, CreditsRequest: api.CreditsRequest },
  ...{ StoryQuery: operations.StoryQuery, StuckQuery: operations.StuckQuery, FailedQuery: operations.FailedQuery, PipelineQuery: operations.PipelineQuery },
  ...{ ActionRequest: operations.ActionRequest, ReassignRequest: operations.ReassignRequest },
  ...{ SubmitViaApiRequest: partnerCentral.SubmitViaApiRequest, UpdateViaApiRequest: partnerCentral.UpdateViaApiRequest, FundingPatch: partnerCentral.FundingPatch },
  ...{ PartnerCentralOpportunityEvent: partnerCentral.PartnerCentralOpportunityEvent, ReconcileInput: partnerCentral.ReconcileInput },
} as const;

describe('request schemas built on first use', () => {
  it('each builder gives one schema, the same one the OpenAPI document is generated from', () => {
    for (const [name, documented] of Object.entries(DOCUMENTED)) {
      const build = requests[name as keyof typeof DOCUMENTED];
      expect(build(), name).toBe(build());
      expect(build(), name).toBe(documented);
    }
  });

  it('parse as before: a field and its rule on a bad request, the value on a good one', () => {
    expect(parseWith(requests.CreditsRequest(), { amountUsd: '12.345', appliedOn: '2026-12-01', expiresOn: '2027-12-01' })).toEqual({
      ok: false, problems: [{ field: 'amountUsd', rule: 'must be a USD amount like 1234.50' }],
    });
    expect(parseWith(requests.PartnerQueueQuery(), { status: 'in_partner_review', limit: '10' })).toEqual({ ok: true, value: { status: 'in_partner_review', limit: 10 } });
    expect(parseWith(requests.OpsApplicationsQuery(), { status: 'nope' }).ok).toBe(false);
  });

  it('the statuses the requests accept are the stored application\'s', () => {
    expect(STORED_STATUSES).toBe(APPLICATION_STATUSES);
  });
});

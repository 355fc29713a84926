// An application with a bedrock-poc record (funded through the Partner Central Benefits API, data/benefits.json) and
// an activate-portfolio one (not), for the funding request's tests. Build them inside each test: StrykerJS credits
// data built at collection time to no test.
import { estimate } from '../../functions/core/estimate.ts';
import { newApplication } from '../../functions/core/intake.ts';
import { planRecordTransition } from '../../functions/core/application/records.ts';
import type { Application, FundingState, RecordState } from '../../schemas/application.ts';
import { exampleWorksheet } from './fixtures.ts';

export const FUNDING_NOW = new Date('2026-11-27T12:00:00Z');
export const FUNDING_SYSTEM = { kind: 'system', id: 'partner-central' } as const;

export function fundingApp(record: RecordState, other: RecordState = { status: 'in_aws_review' }): Application {
  const worksheet = exampleWorksheet();
  const base = newApplication({ id: 'app_f', worksheet, tokenHash: 'h', now: FUNDING_NOW });
  return {
    ...base, status: 'in_aws_review', version: 9, estimate: estimate(worksheet, { now: FUNDING_NOW }),
    partner: { partnerId: 'p-northwind', partnerName: 'Northwind', assignedAt: FUNDING_NOW.toISOString(), reasons: [] },
    briefs: [
      { programId: 'bedrock-poc', body: { Catalog: 'Sandbox', PartnerContacts: [{ Email: 'ace@northwind.example', FirstName: 'Ana', LastName: 'Lee', BusinessTitle: 'PartnerAccountManager' }] }, problems: [], revision: 1, record },
      { programId: 'activate-portfolio', body: {}, problems: [], revision: 1, record: other },
    ],
  };
}

/** An application whose bedrock-poc record was approved by AWS (funding drafted with it). */
export function approvedFundingApp(): Application {
  const a = fundingApp({ status: 'in_aws_review', opportunityId: 'O5550001', filedVia: 'api' });
  const plan = planRecordTransition({ app: a, programId: 'bedrock-poc', to: 'approved', actor: FUNDING_SYSTEM, reason: 'Partner Central: Approved', now: FUNDING_NOW });
  return { ...a, briefs: plan.briefs, transitions: [...a.transitions, plan.transition], version: plan.transition.version, status: plan.transition.to };
}

/** The bedrock-poc record's funding request. */
export const bedrockFunding = (a: Application): FundingState => a.briefs!.find((b) => b.programId === 'bedrock-poc')!.record!.funding!;

/** The application with the bedrock-poc funding request (and, optionally, its record) changed. */
export function withFunding(a: Application, changes: Partial<FundingState>, record: Partial<RecordState> = {}): Application {
  return {
    ...a,
    briefs: a.briefs!.map((b) => (b.programId === 'bedrock-poc' ? { ...b, record: { ...b.record!, ...record, funding: { ...b.record!.funding!, ...changes } } } : b)),
  };
}

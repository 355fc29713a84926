import { describe, expect, it } from 'vitest';
import { deriveApplicationStatus, planRecordTransition } from '../../functions/core/application/records.ts';
import { planRecordMove } from '../../functions/core/application/record-state.ts';
import { newApplication } from '../../functions/core/intake.ts';
import { ConflictError, ForbiddenError } from '../../functions/core/errors.ts';
import type { Application, RecordStatus } from '../../schemas/application.ts';
import { exampleWorksheet } from '../support/fixtures.ts';

const partner = { kind: 'partner', id: 'p-northwind' } as const;
const now = new Date('2026-11-27T12:00:00Z');

function appWithRecords(statuses: RecordStatus[], status: Application['status'] = 'approved_for_filing'): Application {
  const app = newApplication({ id: 'app_r', worksheet: exampleWorksheet(), tokenHash: 'h', now });
  return {
    ...app, status, version: 7,
    briefs: statuses.map((s, i) => ({ programId: i === 0 ? 'bedrock-poc' : 'activate-portfolio', body: {}, problems: [], revision: 1, record: { status: s } })),
  };
}

describe('stacked records and the application status', () => {
  it.each([
    [['draft', 'draft'], 'in_partner_review'],
    [['approved_for_filing', 'approved_for_filing'], 'approved_for_filing'],
    [['filed', 'approved_for_filing'], 'approved_for_filing'],
    [['in_aws_review', 'action_required'], 'action_required'],
    [['in_aws_review', 'filed'], 'filed'],
    [['approved', 'in_aws_review'], 'in_aws_review'],
    [['approved', 'rejected'], 'approved'],
    [['credits_applied', 'approved'], 'approved'],
    [['credits_applied', 'rejected'], 'credits_applied'],
    [['rejected', 'rejected'], 'rejected'],
    [['expired', 'rejected'], 'expired'],
  ] as [RecordStatus[], Application['status']][])('records %j make the application %s', (records, expected) => {
    expect(deriveApplicationStatus(records.map((status) => ({ status })), 'in_partner_review')).toBe(expected);
  });

  it('records the record change and the derived application change in one transition', () => {
    const app = appWithRecords(['filed', 'filed'], 'filed');
    const plan = planRecordTransition({ app, programId: 'bedrock-poc', to: 'action_required', actor: partner, reason: 'AWS asked for a clearer problem', now, details: { awsReview: { at: now.toISOString(), comments: 'clarify' } } });
    expect(plan.transition).toMatchObject({ from: 'filed', to: 'action_required', record: { programId: 'bedrock-poc', from: 'filed', to: 'action_required' }, version: 8 });
    expect(plan.briefs[0]?.record).toMatchObject({ status: 'action_required', awsReview: { comments: 'clarify' } });
    expect(plan.briefs[1]?.record?.status).toBe('filed');
  });

  it('refuses an illegal record move with the record status named', () => {
    const app = appWithRecords(['approved_for_filing', 'approved_for_filing']);
    const err = (() => { try { planRecordTransition({ app, programId: 'bedrock-poc', to: 'approved', actor: partner, reason: 'x', now }); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).currentState).toBe('approved_for_filing');
  });

  it('plans a move without the funding draft only where none is drafted: the same plan as planRecordTransition; an approval is refused', () => {
    const app = appWithRecords(['credits_applied', 'rejected'], 'credits_applied');
    const system = { kind: 'system', id: 'ExpirySweep' } as const;
    const args = { app, programId: 'bedrock-poc', to: 'expired' as const, actor: system, reason: 'credits expired', now };
    expect(planRecordMove(args)).toEqual(planRecordTransition(args));
    const filed = appWithRecords(['filed', 'filed'], 'filed');
    expect(() => planRecordMove({ app: filed, programId: 'bedrock-poc', to: 'approved', actor: system, reason: 'AWS approved', now })).toThrow(/drafts its funding request/);
  });

  it('lets only the system expire credits', () => {
    const app = appWithRecords(['credits_applied', 'rejected'], 'credits_applied');
    expect(() => planRecordTransition({ app, programId: 'bedrock-poc', to: 'expired', actor: partner, reason: 'x', now })).toThrow(ForbiddenError);
  });

  it.each(['withdrawn', 'failed'] as const)('refuses every record change once the application is %s (409 naming it)', (status) => {
    const app = appWithRecords(['approved_for_filing', 'approved_for_filing'], status);
    const err = (() => { try { planRecordTransition({ app, programId: 'bedrock-poc', to: 'filed', actor: partner, reason: 'x', now, details: { opportunityId: 'O1' } }); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).currentState).toBe(status);
  });
});


import { describe, expect, it } from 'vitest';
import { deriveApplicationStatus, planRecordTransition } from '../../functions/core/application/records.ts';
import { awaitingAwsDecision, awaitingCredits, planRecordMove } from '../../functions/core/application/record-state.ts';
import { newApplication } from '../../functions/core/intake.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../../functions/core/errors.ts';
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


describe('what a record change tells the partner, and what the application waits on', () => {
  const system = { kind: 'system', id: 'ExpirySweep' } as const;
  const thrown = (f: () => unknown): unknown => { try { f(); } catch (e) { return e; } return undefined; };

  it('approving one record for filing while another is still a draft leaves the application in partner review', () => {
    const app = appWithRecords(['draft', 'draft'], 'in_partner_review');
    const plan = planRecordTransition({ app, programId: 'bedrock-poc', to: 'approved_for_filing', actor: partner, reason: 'first one ready', now });
    expect(plan.briefs.map((b) => b.record?.status)).toEqual(['approved_for_filing', 'draft']);
    expect(plan.transition).toMatchObject({ from: 'in_partner_review', to: 'in_partner_review', record: { from: 'draft', to: 'approved_for_filing' } });
    // Once the other is approved too, the application moves on.
    const both = planRecordTransition({ app: { ...app, briefs: plan.briefs, version: 8 }, programId: 'activate-portfolio', to: 'approved_for_filing', actor: partner, reason: 'second one ready', now });
    expect(both.transition.to).toBe('approved_for_filing');
  });

  it('an application in expiry stays expiring while any record still has credits, and is expired once the last one expires', () => {
    const app = appWithRecords(['credits_applied', 'credits_applied'], 'expiring');
    const first = planRecordMove({ app, programId: 'bedrock-poc', to: 'expired', actor: system, reason: 'credits expired', now });
    expect(first.transition).toMatchObject({ from: 'expiring', to: 'expiring' });
    const last = planRecordMove({ app: { ...app, briefs: first.briefs, version: 8 }, programId: 'activate-portfolio', to: 'expired', actor: system, reason: 'credits expired', now });
    expect(last.transition).toMatchObject({ from: 'expiring', to: 'expired' });
    // Not yet expiring: credits applied stays credits applied.
    expect(deriveApplicationStatus([{ status: 'credits_applied' }, { status: 'expired' }], 'credits_applied')).toBe('credits_applied');
  });

  it('a move no rule allows answers 409 naming the program, its status and the status asked for', () => {
    const app = appWithRecords(['approved_for_filing', 'approved_for_filing']);
    const err = thrown(() => planRecordTransition({ app, programId: 'activate-portfolio', to: 'credits_applied', actor: partner, reason: 'x', now }));
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as Error).message).toBe("The activate-portfolio record is 'approved_for_filing'; it cannot move to 'credits_applied'");
  });

  it('a move allowed to someone else answers 403 naming who tried, the program and both statuses', () => {
    const app = appWithRecords(['credits_applied', 'rejected'], 'credits_applied');
    const err = thrown(() => planRecordTransition({ app, programId: 'bedrock-poc', to: 'expired', actor: partner, reason: 'x', now }));
    expect(err).toBeInstanceOf(ForbiddenError);
    expect((err as Error).message).toBe("A partner cannot move the bedrock-poc record from 'credits_applied' to 'expired'");
  });

  it('a program the application has no record for answers 404 naming the application and the program', () => {
    const app = appWithRecords(['filed'], 'filed');
    const err = thrown(() => planRecordTransition({ app, programId: 'migration-acceleration', to: 'in_aws_review', actor: partner, reason: 'x', now }));
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as Error).message).toBe("Application app_r has no ACE record for program 'migration-acceleration'");
  });

  it('a closed application says so and why no record can change', () => {
    const app = appWithRecords(['filed'], 'failed');
    expect(() => planRecordTransition({ app, programId: 'bedrock-poc', to: 'in_aws_review', actor: partner, reason: 'x', now }))
      .toThrow("Application app_r is 'failed': its ACE records can no longer change");
  });

  it.each([
    ['draft', false, false], ['approved_for_filing', true, false], ['filed', true, false], ['in_aws_review', true, false],
    ['action_required', true, false], ['approved', false, true], ['rejected', false, false], ['credits_applied', false, false], ['expired', false, false],
  ] as [RecordStatus, boolean, boolean][])('a record %s: the workflow waits on AWS\'s decision: %s, on credits: %s (and on AWS first beside an approved record)', (status, aws, credits) => {
    // The workflow waits on AWS while any record is filed and undecided, before it waits on credits (standing.ts).
    const app = appWithRecords([status], 'in_aws_review');
    expect(awaitingAwsDecision(app)).toBe(aws);
    expect(awaitingCredits(app)).toBe(credits);
    const withApproved = appWithRecords([status, 'approved'], 'in_aws_review');
    expect(awaitingAwsDecision(withApproved)).toBe(aws);
    expect(awaitingCredits(withApproved)).toBe(true);
  });
});

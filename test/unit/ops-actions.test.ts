// Operations' actions as plans (functions/core/operations/actions.ts): redrive, reassign, cancel, nudge, the names of
// the executions an application had, and the answer an action gives. Each test builds the application it plans on
// (a timeline of transitions) inside the test; the expected transitions and messages are worked out by hand.
import { describe, expect, it } from 'vitest';
import {
  actionAnswer, executionNamesOf, planCancel, planNudge, planReassign, planRedrive, restartExecutionName, resumeExecutionName,
} from '../../functions/core/operations/actions.ts';
import { ConflictError } from '../../functions/core/errors.ts';
import { newApplication } from '../../functions/core/intake.ts';
import type { Actor, Application, ApplicationStatus, Transition } from '../../schemas/application.ts';
import { exampleWorksheet } from '../support/fixtures.ts';

const OPS: Actor = { kind: 'ops', id: 'op-1' };
const SYSTEM: Actor = { kind: 'system', id: 'Workflow' };
const PARTNER: Actor = { kind: 'partner', id: 'p-north' };

type Step = [from: ApplicationStatus, to: ApplicationStatus, actor: Actor, reason?: string, at?: string];

/** An application submitted on 1 Dec whose timeline continues with `steps` (versions 2, 3, ...); its status is the last step's. */
function appAfter(steps: Step[], extra: Partial<Application> = {}): Application {
  const first = newApplication({ id: 'app_ops', worksheet: exampleWorksheet(), tokenHash: 'h', now: new Date('2026-12-01T09:00:00Z') });
  const transitions: Transition[] = [...first.transitions];
  for (const [from, to, actor, reason = `${from} to ${to}`, at = '2026-12-02T10:00:00.000Z'] of steps) {
    transitions.push({ at, actor, from, to, reason, version: transitions.length + 1 });
  }
  return { ...first, status: transitions.at(-1)!.to, version: transitions.length, transitions, ...extra };
}

const TO_ROUTED: Step[] = [['submitted', 'sized', SYSTEM], ['sized', 'drafted', SYSTEM], ['drafted', 'routed', SYSTEM]];
const NORTH = { partnerId: 'p-north', partnerName: 'Northwind', assignedAt: '2026-12-02T10:00:00.000Z', reasons: ['best match'] };
const NOW = new Date('2026-12-07T15:30:00.000Z');

/** The ConflictError `run` throws (failing the test when it throws nothing or something else). */
function conflictOf(run: () => unknown): ConflictError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConflictError) return error;
    throw error;
  }
  throw new Error('expected a ConflictError');
}

describe('the executions an application had', () => {
  it('names a restart after the application and the transition that started it, a resume after the escalation', () => {
    expect(restartExecutionName('app_1', 7)).toBe('app_1--ops-v7');
    expect(resumeExecutionName('app_1', 9)).toBe('app_1--resume-v9');
  });

  it('lists the first execution, then every redrive, assignment of an unrouted application and escalation, oldest first', () => {
    const app = appAfter([
      ['submitted', 'sized', SYSTEM], ['sized', 'drafted', SYSTEM], ['drafted', 'unrouted', SYSTEM], // v2-v4
      ['unrouted', 'routed', OPS, 'reassigned to p-north by operations: x'], // v5: a new execution
      ['routed', 'routed', OPS, 'reassigned from p-north to p-south by operations: y'], // v6: the waiting execution is woken, no new one
      ['routed', 'failed', SYSTEM], // v7
      ['failed', 'routed', OPS, 'redriven from NotifyRouted by operations: z'], // v8: a new execution
      ['routed', 'in_partner_review', SYSTEM], ['in_partner_review', 'approved_for_filing', PARTNER], ['approved_for_filing', 'filed', PARTNER], // v9-v11
      ['filed', 'filed', SYSTEM, "escalated to operations: AWS's decision"], // v12: resumed by the next change
      ['filed', 'filed', OPS, 'nudged the partner (partner-aws-decision-reminder) by operations: w'], // v13: a note, no execution
      ['filed', 'failed', SYSTEM], // v14
      ['failed', 'filed', OPS, 'redriven from X by operations: again'], // v15
    ]);
    expect(executionNamesOf(app)).toEqual(['app_ops', 'app_ops--ops-v5', 'app_ops--ops-v8', 'app_ops--resume-v12', 'app_ops--ops-v15']);
  });

  it('an application never restarted had its first execution only', () => {
    expect(executionNamesOf(appAfter(TO_ROUTED))).toEqual(['app_ops']);
  });

  it('a cancellation (of a failed or an unrouted application) starts no execution', () => {
    const app = appAfter([...TO_ROUTED, ['routed', 'failed', SYSTEM], ['failed', 'withdrawn', OPS, 'cancelled by operations: duplicate']]);
    expect(executionNamesOf(app)).toEqual(['app_ops']);
    const unrouted = appAfter([['submitted', 'sized', SYSTEM], ['sized', 'drafted', SYSTEM], ['drafted', 'unrouted', SYSTEM], ['unrouted', 'withdrawn', OPS, 'cancelled by operations: x']]);
    expect(executionNamesOf(unrouted)).toEqual(['app_ops']);
  });

  it('a routing of an unrouted application by the workflow itself (the lifecycle allows it) is no restart by operations', () => {
    const app = appAfter([['submitted', 'sized', SYSTEM], ['sized', 'drafted', SYSTEM], ['drafted', 'unrouted', SYSTEM], ['unrouted', 'routed', SYSTEM, 'routed']]);
    expect(executionNamesOf(app)).toEqual(['app_ops']);
  });
});

describe('redrive', () => {
  const failure = { at: '2026-12-03T00:00:00Z', state: 'NotifyRouted', error: 'Error', cause: 'boom', failedFrom: 'routed' as const };

  it('puts a failed application back in the status it failed from, with the state and the reason, and clears the failure', () => {
    const app = appAfter([...TO_ROUTED, ['routed', 'failed', SYSTEM]], { failure });
    expect(planRedrive(app, OPS, 'SES is back', NOW)).toStrictEqual({
      kind: 'apply',
      plan: {
        expectedStatus: 'failed',
        expectedVersion: 5,
        transition: { at: '2026-12-07T15:30:00.000Z', actor: OPS, from: 'failed', to: 'routed', reason: 'redriven from NotifyRouted by operations: SES is back', version: 6 },
      },
      changes: { failure: undefined },
    });
  });

  it('refuses a failed application without a recorded failure (409 naming it)', () => {
    const error = conflictOf(() => planRedrive(appAfter([...TO_ROUTED, ['routed', 'failed', SYSTEM]]), OPS, 'r', NOW));
    expect(error.message).toBe('Application app_ops has no recorded failure to redrive from');
    expect(error.currentState).toBe('failed');
  });

  it('a repeated redrive replays the redrive that followed the latest failure', () => {
    const app = appAfter([...TO_ROUTED, ['routed', 'failed', SYSTEM], ['failed', 'routed', OPS, 'redriven'], ['routed', 'in_partner_review', SYSTEM]]);
    expect(planRedrive(app, OPS, 'again', NOW)).toEqual({ kind: 'replay', transition: app.transitions[5] });
  });

  it('refuses an application that is not failed, naming its status, when no redrive followed its latest failure', () => {
    const never = conflictOf(() => planRedrive(appAfter(TO_ROUTED), OPS, 'r', NOW));
    expect(never.message).toBe("Application app_ops is 'routed', not failed: there is nothing to redrive");
    expect(never.currentState).toBe('routed');
    // Redriven once, failed again and then cancelled: the earlier redrive is not this request's answer.
    const again = appAfter([
      ...TO_ROUTED, ['routed', 'failed', SYSTEM], ['failed', 'routed', OPS, 'redriven'], ['routed', 'failed', SYSTEM], ['failed', 'withdrawn', OPS, 'cancelled by operations: x'],
    ]);
    expect(conflictOf(() => planRedrive(again, OPS, 'r', NOW)).message).toBe("Application app_ops is 'withdrawn', not failed: there is nothing to redrive");
  });

  it('refuses to redrive a failed application operations cancelled (no replay, no new execution)', () => {
    const cancelled = appAfter([...TO_ROUTED, ['routed', 'failed', SYSTEM], ['failed', 'withdrawn', OPS, 'cancelled by operations: duplicate']]);
    const error = conflictOf(() => planRedrive(cancelled, OPS, 'r', NOW));
    expect(error.message).toBe("Application app_ops is 'withdrawn', not failed: there is nothing to redrive");
    expect(error.currentState).toBe('withdrawn');
  });
});

describe('reassign', () => {
  const SOUTH = { id: 'p-south', name: 'Southwind' };

  it('moves a routed application to another partner, naming both, and passes the previous one over once', () => {
    const app = appAfter(TO_ROUTED, { partner: NORTH, passedOverBy: ['p-east', 'p-north'] });
    expect(planReassign(app, OPS, SOUTH, 'faster', NOW)).toEqual({
      kind: 'apply',
      plan: {
        expectedStatus: 'routed',
        expectedVersion: 4,
        transition: { at: '2026-12-07T15:30:00.000Z', actor: OPS, from: 'routed', to: 'routed', reason: 'reassigned from p-north to p-south by operations: faster', version: 5 },
      },
      changes: {
        partner: { partnerId: 'p-south', partnerName: 'Southwind', assignedAt: '2026-12-07T15:30:00.000Z', reasons: ['assigned by operations: faster'] },
        passedOverBy: ['p-east', 'p-north'],
      },
    });
    const firstPass = planReassign({ ...app, status: 'in_partner_review', passedOverBy: undefined }, OPS, SOUTH, 'faster', NOW);
    expect(firstPass.kind === 'apply' && firstPass.changes.passedOverBy).toEqual(['p-north']);
  });

  it('assigns an unrouted application (no previous partner, nobody passed over)', () => {
    const app = appAfter([['submitted', 'sized', SYSTEM], ['sized', 'drafted', SYSTEM], ['drafted', 'unrouted', SYSTEM]]);
    const plan = planReassign(app, OPS, SOUTH, 'by hand', NOW);
    if (plan.kind !== 'apply') throw new Error('expected a plan');
    expect(plan.plan.transition).toMatchObject({ from: 'unrouted', to: 'routed', reason: 'reassigned to p-south by operations: by hand' });
    expect(plan.changes).toStrictEqual({ partner: { partnerId: 'p-south', partnerName: 'Southwind', assignedAt: '2026-12-07T15:30:00.000Z', reasons: ['assigned by operations: by hand'] } });
    // An unrouted application still naming the partner it had: assigning that partner again is allowed.
    expect(planReassign({ ...app, partner: { ...NORTH, partnerId: 'p-south' } }, OPS, SOUTH, 'back', NOW).kind).toBe('apply');
  });

  it('only an application waiting on a review (or unrouted) can be reassigned: a 409 naming the status', () => {
    for (const status of ['changes_requested', 'approved_for_filing', 'filed', 'failed', 'withdrawn'] as const) {
      const error = conflictOf(() => planReassign({ ...appAfter(TO_ROUTED, { partner: NORTH }), status }, OPS, SOUTH, 'r', NOW));
      expect(error.message).toBe(`Application app_ops is '${status}': only an application waiting on a partner's review (or unrouted) can be reassigned`);
      expect(error.currentState).toBe(status);
    }
  });

  it("a repeated reassignment replays the operator's; the partner the application is with already is a 409", () => {
    const moved = appAfter([...TO_ROUTED, ['routed', 'routed', OPS, 'reassigned from p-north to p-south by operations: faster']], { partner: { ...NORTH, partnerId: 'p-south' } });
    expect(planReassign(moved, OPS, SOUTH, 'faster', NOW)).toEqual({ kind: 'replay', transition: moved.transitions.at(-1) });

    const routedBySystem = appAfter(TO_ROUTED, { partner: { ...NORTH, partnerId: 'p-south' } });
    const error = conflictOf(() => planReassign(routedBySystem, OPS, SOUTH, 'r', NOW));
    expect(error.message).toBe("Application app_ops is already with p-south ('routed')");
    expect(error.currentState).toBe('routed');
    // Reassigned to p-south, then the partner opened it: another request for p-south is no replay of the routing.
    const opened = appAfter([...TO_ROUTED, ['routed', 'routed', OPS, 'reassigned'], ['routed', 'in_partner_review', SYSTEM]], { partner: { ...NORTH, partnerId: 'p-south' } });
    expect(conflictOf(() => planReassign(opened, OPS, SOUTH, 'r', NOW)).message).toBe("Application app_ops is already with p-south ('in_partner_review')");
  });

  it('a nudge of the routed partner is not a reassignment: reassigning to that partner is a 409, not a replay', () => {
    const nudged = appAfter([...TO_ROUTED, ['routed', 'routed', OPS, 'nudged the partner (partner-review-reminder) by operations: please']], { partner: NORTH });
    const error = conflictOf(() => planReassign(nudged, OPS, { id: 'p-north', name: 'Northwind' }, 'r', NOW));
    expect(error.message).toBe("Application app_ops is already with p-north ('routed')");
  });

  it("a partner's change request worded like a reassignment is not one", () => {
    const asked = appAfter([...TO_ROUTED, ['routed', 'in_partner_review', SYSTEM], ['in_partner_review', 'changes_requested', PARTNER, 'reassigned budget lines are missing']], { partner: NORTH });
    expect(conflictOf(() => planReassign(asked, OPS, { id: 'p-north', name: 'Northwind' }, 'r', NOW)).message).toBe("Application app_ops is already with p-north ('changes_requested')");
  });
});

describe('cancel', () => {
  it('withdraws the application with the operator as actor and the reason', () => {
    expect(planCancel(appAfter([...TO_ROUTED, ['routed', 'failed', SYSTEM]]), OPS, 'duplicate', NOW)).toEqual({
      kind: 'apply',
      plan: {
        expectedStatus: 'failed',
        expectedVersion: 5,
        transition: { at: '2026-12-07T15:30:00.000Z', actor: OPS, from: 'failed', to: 'withdrawn', reason: 'cancelled by operations: duplicate', version: 6 },
      },
      changes: {},
    });
  });

  it("cancels after an operator's other action (the latest step is no cancellation to replay)", () => {
    const reassigned = appAfter([...TO_ROUTED, ['routed', 'routed', OPS, 'reassigned from p-north to p-south by operations: x']]);
    expect(planCancel(reassigned, OPS, 'duplicate', NOW)).toMatchObject({ kind: 'apply', plan: { transition: { from: 'routed', to: 'withdrawn', version: 6 } } });
  });

  it("a repeated cancellation replays the operator's; one the founder withdrew is a 409", () => {
    const cancelled = appAfter([...TO_ROUTED, ['routed', 'withdrawn', OPS, 'cancelled by operations: duplicate']]);
    expect(planCancel(cancelled, OPS, 'again', NOW)).toEqual({ kind: 'replay', transition: cancelled.transitions.at(-1) });
    const withdrawn = appAfter([...TO_ROUTED, ['routed', 'withdrawn', { kind: 'founder', id: 'founder' }, 'withdrawn by the founder']]);
    const error = conflictOf(() => planCancel(withdrawn, OPS, 'r', NOW));
    expect(error.message).toBe("Cannot move the application from 'withdrawn' to 'withdrawn'");
    expect(error.currentState).toBe('withdrawn');
  });
});

describe('nudge', () => {
  it('reminds whoever must act, by status, with the reminder the workflow itself would send', () => {
    const expected: [ApplicationStatus, string, string][] = [
      ['routed', 'partner-review-reminder', 'the partner'],
      ['in_partner_review', 'partner-review-reminder', 'the partner'],
      ['changes_requested', 'founder-revision-reminder', 'the founder'],
      ['approved_for_filing', 'partner-aws-decision-reminder', 'the partner'],
      ['filed', 'partner-aws-decision-reminder', 'the partner'],
      ['in_aws_review', 'partner-aws-decision-reminder', 'the partner'],
      ['action_required', 'partner-aws-decision-reminder', 'the partner'],
      ['approved', 'partner-credits-reminder', 'the partner'],
    ];
    for (const [status, notice, who] of expected) {
      const plan = planNudge({ ...appAfter(TO_ROUTED), status }, OPS, 'please act', NOW);
      expect(plan, status).toEqual({
        notice, who, replay: false,
        note: { at: '2026-12-07T15:30:00.000Z', actor: OPS, from: status, to: status, reason: `nudged ${who} (${notice}) by operations: please act`, version: 5 },
      });
    }
  });

  it('refuses a status where nobody has a pending step (409 naming it)', () => {
    for (const status of ['submitted', 'unrouted', 'credits_applied', 'failed', 'withdrawn'] as const) {
      const error = conflictOf(() => planNudge({ ...appAfter(TO_ROUTED), status }, OPS, 'r', NOW));
      expect(error.message).toBe(`Application app_ops is '${status}': nobody has a pending step to be reminded of`);
      expect(error.currentState).toBe(status);
    }
  });

  it('at most one nudge a day: a repeat the same UTC day replays the first; yesterday\'s does not count', () => {
    const today = appAfter([...TO_ROUTED, ['routed', 'routed', OPS, 'nudged the partner (partner-review-reminder) by operations: first', '2026-12-07T08:00:00.000Z']]);
    expect(planNudge(today, OPS, 'second', NOW)).toEqual({ notice: 'partner-review-reminder', who: 'the partner', note: today.transitions.at(-1), replay: true });
    const yesterday = appAfter([...TO_ROUTED, ['routed', 'routed', OPS, 'nudged the partner (partner-review-reminder) by operations: first', '2026-12-06T23:59:59.000Z']]);
    expect(planNudge(yesterday, OPS, 'second', NOW)).toMatchObject({ replay: false, note: { version: 6 } });
  });

  it('only a nudge at the current status counts, and no other note or change of the same day', () => {
    const earlierStatus = appAfter([...TO_ROUTED, ['routed', 'routed', OPS, 'nudged the partner', '2026-12-07T08:00:00.000Z'], ['routed', 'in_partner_review', SYSTEM, 'opened', '2026-12-07T09:00:00.000Z']]);
    expect(planNudge(earlierStatus, OPS, 'again', NOW).replay).toBe(false);
    const reassigned = appAfter([...TO_ROUTED, ['routed', 'routed', OPS, 'reassigned from p-north to p-south by operations: x', '2026-12-07T08:00:00.000Z']]);
    expect(planNudge(reassigned, OPS, 'now', NOW).replay).toBe(false);
    const escalated = appAfter([...TO_ROUTED, ['routed', 'in_partner_review', SYSTEM], ['in_partner_review', 'approved_for_filing', PARTNER], ['approved_for_filing', 'filed', PARTNER],
      ['filed', 'filed', SYSTEM, "escalated to operations: AWS's decision", '2026-12-07T08:00:00.000Z']]);
    expect(planNudge(escalated, OPS, 'now', NOW).replay).toBe(false);
    // The partner's change request today, worded like a nudge: the founder is still reminded.
    const asked = appAfter([...TO_ROUTED, ['routed', 'in_partner_review', SYSTEM], ['in_partner_review', 'changes_requested', PARTNER, 'nudged you twice: add the workload', '2026-12-07T08:00:00.000Z']]);
    expect(planNudge(asked, OPS, 'now', NOW)).toMatchObject({ replay: false, notice: 'founder-revision-reminder', note: { version: 7 } });
  });
});

describe('the answer of an action', () => {
  it('gives the status after it, whether it changed anything, what happened and the execution', () => {
    const app = appAfter(TO_ROUTED, { executionArn: 'arn:exec:first' });
    expect(actionAnswer('redrive', app, true, 'back to routed', 'arn:exec:new')).toEqual({
      applicationId: 'app_ops', action: 'redrive', status: 'routed', applied: true, detail: 'back to routed', executionArn: 'arn:exec:new',
    });
    expect(actionAnswer('nudge', app, false, 'sent').executionArn).toBe('arn:exec:first');
    expect(actionAnswer('cancel', appAfter(TO_ROUTED), true, 'withdrawn').executionArn).toBeNull();
  });
});

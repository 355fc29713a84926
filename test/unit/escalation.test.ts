/**
 * Bounded reminders (functions/core/operations/escalation.ts): the reminders of the AWS-decision and credits waits are
 * counted from the sent reminder notices at the application's version; past the limit a lapse escalates once.
 */
import { describe, expect, it } from 'vitest';
import { escalationOf, isEscalationNote, latestEscalation, planReminder, remindersSent, REMINDED_WAITS } from '../../functions/core/operations/escalation.ts';
import { listSummaryOf } from '../../functions/core/application/list-summary.ts';
import { newApplication, newFounderToken } from '../../functions/core/intake.ts';
import wholeStuck from '../../data/stuck-thresholds.json' with { type: 'json' };
import { STUCK_LIMITS } from '../../functions/core/operations/stuck-limits.ts';
import { TASK_TOKEN_KINDS } from '../../functions/core/application/commands.ts';
import type { Application, Transition } from '../../schemas/application.ts';
import { exampleWorksheet } from '../support/fixtures.ts';

const NOW = new Date('2026-12-06T10:00:00Z');
const LIMITS = { awsDecisionReminders: 3, creditsReminders: 2 };

function appIn(status: Application['status'], version = 9): Application {
  const app = newApplication({ id: 'app_escalation01', worksheet: exampleWorksheet(), tokenHash: newFounderToken().hash, now: NOW });
  const t: Transition = { at: NOW.toISOString(), actor: { kind: 'partner', id: 'p-1' }, from: 'in_partner_review', to: status, reason: 'approved', version };
  return { ...app, status, version, transitions: [...app.transitions, t], notified: [] };
}

const reminded = (app: Application, kind: string, days: number[]): Application =>
  ({ ...app, notified: [...(app.notified ?? []), ...days.map((d) => `${kind}:v${app.version}:p-1:d${d}`)] });

describe('bounded reminders', () => {
  it('reminds while fewer than the limit were sent at this version, then escalates with a note that keeps the status', () => {
    let app = appIn('in_aws_review');
    for (let n = 0; n < 3; n += 1) {
      expect(planReminder(app, TASK_TOKEN_KINDS.awsDecision, LIMITS, NOW)).toEqual({ kind: 'remind', sent: n });
      app = reminded(app, 'partner-aws-decision-reminder', [100 + n]);
    }
    const plan = planReminder(app, TASK_TOKEN_KINDS.awsDecision, LIMITS, NOW);
    expect(plan.kind).toBe('escalate');
    if (plan.kind !== 'escalate') return;
    expect(plan.note).toMatchObject({ from: 'in_aws_review', to: 'in_aws_review', version: app.version + 1, actor: { kind: 'system' } });
    expect(plan.note.reason).toMatch(/^escalated to operations: .*AWS's decision through 3 reminders/);
    // Written: a retry replays it rather than reminding (the version moved, so no reminder counts any more).
    const escalated = { ...app, version: plan.note.version, transitions: [...app.transitions, plan.note] };
    expect(planReminder(escalated, TASK_TOKEN_KINDS.awsDecision, LIMITS, NOW)).toEqual({ kind: 'escalated', note: plan.note });
    expect(escalationOf(escalated)).toBe(plan.note);
    expect(listSummaryOf(escalated).escalation).toEqual({ at: plan.note.at, reason: plan.note.reason });
  });

  it('counts only its own wait, at the current version (a change or a nudge starts the count again)', () => {
    const app = reminded(reminded(appIn('approved'), 'partner-aws-decision-reminder', [1, 2, 3]), 'partner-credits-reminder', [4]);
    expect(remindersSent(app, REMINDED_WAITS.credits)).toBe(1);
    expect(planReminder(app, TASK_TOKEN_KINDS.credits, LIMITS, NOW)).toEqual({ kind: 'remind', sent: 1 });
    const twice = reminded(app, 'partner-credits-reminder', [5]);
    expect(planReminder(twice, TASK_TOKEN_KINDS.credits, LIMITS, NOW).kind).toBe('escalate');
    const nudged: Application = { ...twice, version: twice.version + 1, transitions: [...twice.transitions, { ...twice.transitions.at(-1)!, from: 'approved', to: 'approved', actor: { kind: 'ops', id: 'op' }, reason: 'nudged the partner', version: twice.version + 1 }] };
    expect(planReminder(nudged, TASK_TOKEN_KINDS.credits, LIMITS, NOW)).toEqual({ kind: 'remind', sent: 0 });
  });

  it('a later change clears the standing escalation (a record change too), a nudge does not; the latest one is still known', () => {
    const app = reminded(appIn('in_aws_review'), 'partner-aws-decision-reminder', [1, 2, 3]);
    const plan = planReminder(app, TASK_TOKEN_KINDS.awsDecision, LIMITS, NOW);
    if (plan.kind !== 'escalate') throw new Error('expected an escalation');
    const escalated: Application = { ...app, version: plan.note.version, transitions: [...app.transitions, plan.note] };
    const nudge: Transition = { ...plan.note, actor: { kind: 'ops', id: 'op' }, reason: 'nudged the partner', version: plan.note.version + 1 };
    const nudged = { ...escalated, version: nudge.version, transitions: [...escalated.transitions, nudge] };
    expect(escalationOf(nudged)).toBe(plan.note);
    const recordChange: Transition = { ...nudge, actor: { kind: 'partner', id: 'p-1' }, reason: 'approved', record: { programId: 'bedrock-poc', from: 'in_aws_review', to: 'approved' }, version: nudge.version + 1 };
    const changed = { ...nudged, version: recordChange.version, transitions: [...nudged.transitions, recordChange] };
    expect(escalationOf(changed)).toBeUndefined();
    expect(listSummaryOf(changed).escalation).toBeUndefined();
    expect(latestEscalation(changed)).toBe(plan.note);
  });

  it('the limits in data/stuck-thresholds.json are enforced (no longer marked as intended only)', () => {
    expect(STUCK_LIMITS.reminderEscalation.awsDecisionReminders).toBeGreaterThanOrEqual(1);
    expect(wholeStuck.reminderEscalation.note).not.toMatch(/NOT YET ENFORCED/);
    // The last escalation lands well within Step Functions' one-year execution limit.
    expect((STUCK_LIMITS.reminderEscalation.awsDecisionReminders + 1) * 21).toBeLessThan(365);
    expect((STUCK_LIMITS.reminderEscalation.creditsReminders + 1) * 30).toBeLessThan(365);
  });
});

describe('bounded reminders: the limit, the count and what clears an escalation', () => {
  it('at a limit of one: the first lapse reminds, the next escalates "through 1 reminder" (singular)', () => {
    const limits = { awsDecisionReminders: 1, creditsReminders: 1 };
    const app = appIn('approved');
    expect(planReminder(app, TASK_TOKEN_KINDS.credits, limits, NOW)).toEqual({ kind: 'remind', sent: 0 });
    const once = reminded(app, 'partner-credits-reminder', [7]);
    const plan = planReminder(once, TASK_TOKEN_KINDS.credits, limits, NOW);
    if (plan.kind !== 'escalate') throw new Error('expected an escalation');
    expect(plan.note.reason).toBe('escalated to operations: waited for the credits to be applied through 1 reminder without a change; no further reminders, the workflow has ended and operations take over (a recorded change resumes it)');
    expect(plan.note).toMatchObject({ at: NOW.toISOString(), actor: { kind: 'system', id: 'Notify' }, from: 'approved', to: 'approved', version: once.version + 1 });
  });

  it('a nudge after the escalation is not a replay: the next lapse reminds again from zero', () => {
    const app = reminded(appIn('in_aws_review'), 'partner-aws-decision-reminder', [1, 2, 3]);
    const plan = planReminder(app, TASK_TOKEN_KINDS.awsDecision, LIMITS, NOW);
    if (plan.kind !== 'escalate') throw new Error('expected an escalation');
    const escalated: Application = { ...app, version: plan.note.version, transitions: [...app.transitions, plan.note] };
    const nudge: Transition = { ...plan.note, actor: { kind: 'ops', id: 'op' }, reason: 'nudged the partner', version: plan.note.version + 1 };
    const nudged: Application = { ...escalated, version: nudge.version, transitions: [...escalated.transitions, nudge] };
    expect(escalationOf(nudged)).toBe(plan.note);
    expect(planReminder(nudged, TASK_TOKEN_KINDS.awsDecision, LIMITS, NOW)).toEqual({ kind: 'remind', sent: 0 });
  });

  it('a later status change clears the standing escalation', () => {
    const app = reminded(appIn('in_aws_review'), 'partner-aws-decision-reminder', [1, 2, 3]);
    const plan = planReminder(app, TASK_TOKEN_KINDS.awsDecision, LIMITS, NOW);
    if (plan.kind !== 'escalate') throw new Error('expected an escalation');
    const escalated: Application = { ...app, version: plan.note.version, transitions: [...app.transitions, plan.note] };
    const moved: Transition = { at: NOW.toISOString(), actor: { kind: 'partner', id: 'p-1' }, from: 'in_aws_review', to: 'action_required', reason: 'AWS asked for more', version: plan.note.version + 1 };
    const changed: Application = { ...escalated, status: 'action_required', version: moved.version, transitions: [...escalated.transitions, moved] };
    expect(escalationOf(changed)).toBeUndefined();
    expect(latestEscalation(changed)).toBe(plan.note);
  });

  it('only a note (status kept) is an escalation, whatever a status change or a record change says', () => {
    const app = appIn('in_aws_review');
    const moved: Transition = { at: NOW.toISOString(), actor: { kind: 'system', id: 'Notify' }, from: 'in_aws_review', to: 'action_required', reason: 'escalated to operations: not a note', version: app.version + 1 };
    expect(isEscalationNote(moved)).toBe(false);
    const changed: Application = { ...app, status: 'action_required', version: moved.version, transitions: [...app.transitions, moved] };
    expect(latestEscalation(changed)).toBeUndefined();
    expect(escalationOf(changed)).toBeUndefined();
    // A record change keeps the status but is a change: it never stands as an escalation.
    const record: Transition = { at: NOW.toISOString(), actor: { kind: 'partner', id: 'p-1' }, from: 'in_aws_review', to: 'in_aws_review', reason: 'escalated to operations: a record change', record: { programId: 'bedrock-poc', from: 'in_aws_review', to: 'approved' }, version: app.version + 1 };
    expect(escalationOf({ ...app, version: record.version, transitions: [...app.transitions, record] })).toBeUndefined();
  });
});

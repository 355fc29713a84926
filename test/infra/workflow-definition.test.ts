/**
 * Infra: the state machine definition as deployed (read back from the synthesized template and parsed, never compared
 * as a whole string). Every task retries transient errors, has a timeout and a catch into the failure path; waits
 * pass the task token and have a defined timeout branch; the flow matches issue 3.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/constructs/house-function.ts';
import { resolveDefinition, type AslDefinition, type AslState } from '../../lib/template.ts';
import { TASK_TOKEN_KINDS } from '../../functions/core/application/commands.ts';
import {
  caughtStateName, CHANGED_WHILE_WAITING, FAILURE_ERROR, NOTIFY_EVENTS, RESUME_FIELD, REROUTE_MODES, STAGES, STATES, TASK_KINDS, TRANSIENT_ERRORS,
} from '../../lib/workflow/definition.ts';
import { devTemplate } from './support.ts';

let def: AslDefinition;
let states: Record<string, AslState>;

beforeAll(() => {
  def = resolveDefinition(devTemplate()).definition;
  states = def.States;
});

const tasks = () => Object.entries(states).filter(([, s]) => s.Type === 'Task');

/** The function a Lambda task invokes (as resolved from the template). */
const resource = (name: string) => (states[name]!.Parameters as { FunctionName: unknown }).FunctionName;

/** Follows Next / Choice / Catch edges from `from`, returns every reachable state name. */
function reachable(from: string): Set<string> {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length) {
    const name = stack.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const s = states[name]!;
    const next = [
      s.Next,
      s.Default as string | undefined,
      ...((s.Choices as Array<{ Next: string }> | undefined) ?? []).map((c) => c.Next),
      ...(s.Catch ?? []).map((c) => c.Next),
    ].filter((n): n is string => typeof n === 'string');
    stack.push(...next);
  }
  return seen;
}

describe('every task', () => {
  it('retries the transient errors with backoff', () => {
    expect(tasks().length).toBeGreaterThanOrEqual(8);
    for (const [name, s] of tasks()) {
      const retry = s.Retry?.find((r) => (r.ErrorEquals as string[]).includes('TransientError'));
      expect(retry, name).toBeDefined();
      expect(retry!.ErrorEquals, name).toEqual([...TRANSIENT_ERRORS]);
      expect(retry!.MaxAttempts as number, name).toBeGreaterThanOrEqual(2);
      expect(retry!.BackoffRate as number, name).toBeGreaterThan(1);
    }
  });

  it('has TimeoutSeconds', () => {
    for (const [name, s] of tasks()) expect(s.TimeoutSeconds, name).toBeGreaterThan(0);
  });

  it('catches everything: through a Pass naming the task into MarkFailed, or (on the failure path itself) into the named Fail state', () => {
    for (const [name, s] of tasks()) {
      const all = s.Catch?.find((c) => c.ErrorEquals.includes('States.ALL'));
      expect(all, name).toBeDefined();
      expect(s.Catch!.at(-1), `${name}: States.ALL comes last`).toBe(all);
      const failurePath = name === STATES.markFailed || name === STATES.notifyFailed;
      expect(all!.Next, name).toBe(failurePath ? STATES.applicationFailed : caughtStateName(name));
      if (failurePath) continue;
      expect(all!.ResultPath, name).toBe('$.failure');
      // The Pass hands MarkFailed the failing state's own name, so nothing has to guess where it failed.
      expect(states[caughtStateName(name)], name).toMatchObject({ Type: 'Pass', Result: name, ResultPath: '$.failedState', Next: STATES.markFailed });
    }
  });

  it('sends a small payload built around the application id and keeps little of the result', () => {
    for (const [name, s] of tasks()) {
      const payload = s.Parameters?.Payload as Record<string, unknown>;
      expect(payload['applicationId.$'], name).toBe('$.applicationId');
      expect(Object.keys(payload).length, name).toBeLessThanOrEqual(3);
      const isWait = String(s.Resource).endsWith('.waitForTaskToken');
      expect(s.ResultPath === null || s.ResultSelector !== undefined || isWait, name).toBe(true);
    }
  });

  it('is a plain JSONPath Lambda invoke (no JSONata)', () => {
    expect(def.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
    for (const [name, s] of tasks()) {
      expect(s.QueryLanguage ?? 'JSONPath', name).toBe('JSONPath');
      expect(s.Resource, name).toMatch(/^arn:aws:states:::lambda:invoke(\.waitForTaskToken)?$/);
    }
  });
});

describe('the failure path', () => {
  it('MarkFailed gets the caught error, then operations are told, then the named Fail state', () => {
    const mark = states[STATES.markFailed]!;
    expect(mark.Parameters?.Payload).toEqual({ 'applicationId.$': '$.applicationId', 'error.$': '$.failure', 'failedState.$': '$.failedState' });
    expect(mark.Next).toBe(STATES.notifyFailed);
    expect((states[STATES.notifyFailed]!.Parameters?.Payload as Record<string, unknown>).event).toBe(NOTIFY_EVENTS.failed);
    expect(states[STATES.notifyFailed]!.Next).toBe(STATES.applicationFailed);
    expect(states[STATES.applicationFailed]).toMatchObject({ Type: 'Fail', Error: FAILURE_ERROR });
  });

  it('is reachable from every task and every task reaches an end', () => {
    for (const [name] of tasks()) expect(reachable(name).has(STATES.applicationFailed), name).toBe(true);
  });
});

describe('the flow (issues 3 and 4)', () => {
  it('starts at SizeAsk, or at CheckStanding when operations resume an application (redrive)', () => {
    expect(def.StartAt).toBe(STATES.start);
    expect(states[STATES.start]).toMatchObject({
      Type: 'Choice',
      Choices: [{ Variable: `$.${RESUME_FIELD}`, IsPresent: true, Next: STATES.checkStanding }],
      Default: STATES.sizeAsk,
    });
  });

  it('sizes in three tasks: SizeAsk reads, EstimateAsk (the engine) estimates, RecordEstimate stores or hands over again', () => {
    const sizing = { 'status.$': '$.Payload.status', 'forVersion.$': '$.Payload.forVersion', 'worksheet.$': '$.Payload.worksheet' };
    expect(states[STATES.sizeAsk]).toMatchObject({ Next: STATES.needsEstimate, ResultSelector: sizing, ResultPath: '$.sizing' });
    expect(states[STATES.needsEstimate]).toMatchObject({
      Type: 'Choice',
      Choices: [{ Variable: '$.sizing.status', StringEquals: 'submitted', Next: STATES.estimateAsk }],
      Default: STATES.draftBriefs,
    });
    expect(states[STATES.estimateAsk]).toMatchObject({
      Next: STATES.recordEstimate,
      Parameters: { Payload: { 'applicationId.$': '$.applicationId', 'worksheet.$': '$.sizing.worksheet' } },
      ResultSelector: { 'estimate.$': '$.Payload.estimate' },
      ResultPath: '$.sizing.estimated',
    });
    // RecordEstimate replaces $.sizing, the estimate with it, and goes back to the choice.
    expect(states[STATES.recordEstimate]).toMatchObject({
      Next: STATES.needsEstimate,
      Parameters: { Payload: { 'applicationId.$': '$.applicationId', 'estimate.$': '$.sizing.estimated.estimate', 'forVersion.$': '$.sizing.forVersion' } },
      ResultSelector: sizing,
      ResultPath: '$.sizing',
    });
    expect(resource(STATES.recordEstimate)).toEqual(resource(STATES.sizeAsk));
    expect(resource(STATES.estimateAsk)).not.toEqual(resource(STATES.sizeAsk));
  });

  it('sizes, drafts, routes, then branches on the routing result', () => {
    expect(states[STATES.draftBriefs]).toMatchObject({ Next: STATES.addressConfirmed, ResultSelector: { 'addressConfirmed.$': '$.Payload.addressConfirmed' }, ResultPath: '$.draft' });
    expect(states[STATES.routePartner]).toMatchObject({
      Next: STATES.isRouted,
      ResultSelector: { 'routed.$': '$.Payload.routed' },
      ResultPath: '$.route',
    });
    expect(states[STATES.isRouted]).toMatchObject({
      Type: 'Choice',
      Choices: [{ Variable: '$.route.routed', BooleanEquals: true, Next: STATES.notifyRouted }],
      Default: STATES.notifyUnrouted,
    });
  });

  it('an unconfirmed address waits (task token, 72 h) for the founder; confirmed → routing, resend → a new mail, timeout → ExpireUnconfirmed', () => {
    const confirmed = states[STATES.addressConfirmed] as unknown as { Type: string; Choices: Array<{ And: unknown[]; Next: string }>; Default: string };
    expect(confirmed.Type).toBe('Choice');
    expect(confirmed.Choices).toEqual([{ And: [{ Variable: '$.draft.addressConfirmed', IsPresent: true }, { Variable: '$.draft.addressConfirmed', BooleanEquals: true }], Next: STATES.routePartner }]);
    expect(confirmed.Default).toBe(STATES.sendAddressConfirmation);
    expect((states[STATES.sendAddressConfirmation]!.Parameters?.Payload as Record<string, unknown>).event).toBe(NOTIFY_EVENTS.addressConfirmation);
    expect(states[STATES.sendAddressConfirmation]!.Next).toBe(STATES.awaitAddressConfirmation);
    const wait = states[STATES.awaitAddressConfirmation]!;
    expect(wait.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    expect(wait.Parameters?.Payload).toEqual({ 'applicationId.$': '$.applicationId', 'taskToken.$': '$$.Task.Token', kind: 'address-confirmation' });
    expect(wait.TimeoutSeconds).toBe(72 * 3600);
    expect(wait.Next).toBe(STATES.addressConfirmationOutcome);
    const catches = (wait as unknown as { Catch: Array<{ ErrorEquals: string[]; Next: string }> }).Catch;
    expect(catches.find((c) => c.ErrorEquals.includes('States.Timeout'))?.Next).toBe(STATES.expireUnconfirmed);
    const next = (s: string) => (states[s] as unknown as { Choices: Array<{ Next: string }>; Default: string });
    expect(next(STATES.addressConfirmationOutcome).Choices.map((c) => c.Next)).toEqual([STATES.routePartner, STATES.sendAddressConfirmation]);
    expect(next(STATES.addressConfirmationOutcome).Default).toBe(STATES.checkStanding);
    expect(next(STATES.unconfirmedExpiryOutcome).Choices.map((c) => c.Next)).toEqual([STATES.unconfirmedExpired, STATES.routePartner]);
    expect(states[STATES.unconfirmedExpired]!.Type).toBe('Succeed');
  });

  it('routed: notify (every transition), then wait on the partner review with a task token and a timeout', () => {
    expect((states[STATES.notifyRouted]!.Parameters?.Payload as Record<string, unknown>).event).toBe(NOTIFY_EVENTS.transitions);
    expect(states[STATES.notifyRouted]!.Next).toBe(STATES.awaitPartnerReview);
    const wait = states[STATES.awaitPartnerReview]!;
    expect(wait.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    expect(wait.Parameters?.Payload).toEqual({ 'applicationId.$': '$.applicationId', 'taskToken.$': '$$.Task.Token', kind: 'partner-review' });
    expect(wait.TimeoutSeconds).toBe(120 * 3600);
    expect(wait.Next).toBe(STATES.notifyReviewed);
    expect(states[STATES.notifyReviewed]!.Next).toBe(STATES.reviewDecision);
  });

  it("the partner's decision: approved → AWS decision, changes requested → founder revision, declined → next partner", () => {
    const choice = states[STATES.reviewDecision]!;
    const next = Object.fromEntries((choice.Choices as Array<{ And: Array<{ StringEquals?: string }>; Next: string }>).map((c) => [c.And.find((x) => x.StringEquals)!.StringEquals, c.Next]));
    expect(next).toEqual({ approved: STATES.awaitAwsDecision, changes_requested: STATES.awaitFounderRevision, declined: STATES.routePartner });
    expect(choice.Default).toBe(STATES.checkStanding);
  });

  it('a missed review deadline: reminder, a grace wait on the same token kind, then Reroute → RoutePartner', () => {
    const wait = states[STATES.awaitPartnerReview]!;
    expect(wait.Catch![0]).toMatchObject({ ErrorEquals: ['States.Timeout'], Next: STATES.notifyReviewOverdue });
    expect((states[STATES.notifyReviewOverdue]!.Parameters?.Payload as Record<string, unknown>).event).toBe(NOTIFY_EVENTS.reviewOverdue);
    expect(states[STATES.notifyReviewOverdue]!.Next).toBe(STATES.awaitPartnerReviewGrace);
    const grace = states[STATES.awaitPartnerReviewGrace]!;
    expect((grace.Parameters?.Payload as Record<string, unknown>).kind).toBe(TASK_KINDS.partnerReview);
    expect(grace.TimeoutSeconds).toBe(48 * 3600);
    expect(grace.Catch![0]).toMatchObject({ ErrorEquals: ['States.Timeout'], Next: STATES.reroute });
    expect((states[STATES.reroute]!.Parameters?.Payload as Record<string, unknown>).mode).toBe(REROUTE_MODES.reviewTimeout);
    expect(states[STATES.reroute]!.Next).toBe(STATES.routePartner);
  });

  it('founder revision: back to SizeAsk when revised; reminder once, then RevisionAbandoned after a second timeout', () => {
    const first = states[STATES.awaitFounderRevision]!;
    expect(first.TimeoutSeconds).toBe(14 * 86400);
    expect(first.Next).toBe(STATES.sizeAsk);
    expect(first.Catch![0]).toMatchObject({ ErrorEquals: ['States.Timeout'], Next: STATES.notifyRevisionReminder });
    expect(states[STATES.notifyRevisionReminder]!.Next).toBe(STATES.awaitFounderRevisionGrace);
    const second = states[STATES.awaitFounderRevisionGrace]!;
    expect(second.Next).toBe(STATES.sizeAsk);
    expect(second.Catch![0]).toMatchObject({ ErrorEquals: ['States.Timeout'], Next: STATES.releasePartner });
    expect(states[STATES.releasePartner]!.Next).toBe(STATES.revisedAtTheLastMoment);
    // A revision that arrives as the wait times out goes back to sizing; otherwise the application is closed.
    expect(states[STATES.revisedAtTheLastMoment]).toMatchObject({
      Type: 'Choice',
      Choices: [{ Variable: '$.release.status', StringEquals: 'submitted', Next: STATES.sizeAsk }],
      Default: STATES.notifyRevisionAbandoned,
    });
    expect(states[STATES.notifyRevisionAbandoned]!.Next).toBe(STATES.revisionAbandoned);
    expect(states[STATES.revisionAbandoned]!.Type).toBe('Succeed');
  });

  it('AWS decision and credits: each callback notifies, then CheckStanding decides; overdue → reminder → wait again, until the reminders run out → escalated (Succeed)', () => {
    for (const [wait, overdue, event, days, left, escalated] of [
      [STATES.awaitAwsDecision, STATES.notifyAwsDecisionOverdue, NOTIFY_EVENTS.awsDecisionOverdue, 21, STATES.awsDecisionRemindersLeft, STATES.awsDecisionEscalated],
      [STATES.awaitCredits, STATES.notifyCreditsOverdue, NOTIFY_EVENTS.creditsOverdue, 30, STATES.creditsRemindersLeft, STATES.creditsEscalated],
    ] as const) {
      expect(states[wait]!.TimeoutSeconds, wait).toBe(days * 86400);
      expect(states[wait]!.Next, wait).toBe(STATES.notifyChange);
      expect(states[wait]!.Catch![0], wait).toMatchObject({ ErrorEquals: ['States.Timeout'], Next: overdue });
      expect((states[overdue]!.Parameters?.Payload as Record<string, unknown>).event, wait).toBe(event);
      expect(states[overdue], wait).toMatchObject({ Next: left, ResultSelector: { 'escalated.$': '$.Payload.escalated' }, ResultPath: '$.reminder' });
      const choice = states[left]!;
      expect(choice.Type, left).toBe('Choice');
      expect(JSON.stringify(choice.Choices), left).toContain('"BooleanEquals":true');
      expect((choice.Choices as Array<{ Next: string }>)[0]!.Next, left).toBe(escalated);
      expect(choice.Default, left).toBe(wait);
      expect(states[escalated]!.Type, escalated).toBe('Succeed');
    }
    expect(states[STATES.notifyChange]!.Next).toBe(STATES.checkStanding);
    expect(states[STATES.checkStanding]).toMatchObject({ Next: STATES.whereNext, ResultSelector: { 'stage.$': '$.Payload.stage' }, ResultPath: '$.standing' });
    const where = states[STATES.whereNext]!;
    const next = Object.fromEntries((where.Choices as Array<{ StringEquals: string; Next: string }>).map((c) => [c.StringEquals, c.Next]));
    expect(next).toMatchObject({
      [STAGES.awsDecision]: STATES.awaitAwsDecision,
      [STAGES.credits]: STATES.awaitCredits,
      [STAGES.creditsApplied]: STATES.creditsApplied,
      [STAGES.rejected]: STATES.rejected,
    });
    expect(where.Default).toBe(STATES.noFurtherAction);
    for (const end of [STATES.creditsApplied, STATES.rejected, STATES.noFurtherAction]) expect(states[end]!.Type, end).toBe('Succeed');
  });

  it('every wait catches ChangedWhileWaiting (the application moved on before the token was stored) into NotifyChange', () => {
    for (const [name, s] of tasks().filter(([, x]) => String(x.Resource).endsWith('.waitForTaskToken'))) {
      expect(s.Catch?.find((c) => c.ErrorEquals.includes(CHANGED_WHILE_WAITING))?.Next, name).toBe(STATES.notifyChange);
      expect(Object.values(TASK_KINDS), name).toContain((s.Parameters?.Payload as Record<string, unknown>).kind);
    }
  });

  it('unrouted: operations are told, the application ends queued for them', () => {
    expect((states[STATES.notifyUnrouted]!.Parameters?.Payload as Record<string, unknown>).event).toBe(NOTIFY_EVENTS.transitions);
    expect(states[STATES.notifyUnrouted]!.Next).toBe(STATES.queuedForOperations);
    expect(states[STATES.queuedForOperations]!.Type).toBe('Succeed');
  });

  it('has no unreachable states and only the states it names', () => {
    expect([...reachable(def.StartAt)].sort()).toEqual(Object.keys(states).sort());
    const caught = tasks().map(([name]) => caughtStateName(name)).filter((n) => n in states);
    expect(Object.keys(states).sort()).toEqual([...Object.values(STATES), ...caught].sort());
  });

  it('every task-token wait has a timeout (the partner-review timeout comes from context)', () => {
    for (const [name, s] of tasks().filter(([, x]) => String(x.Resource).endsWith('.waitForTaskToken'))) {
      expect(s.TimeoutSeconds, name).toBeGreaterThan(0);
      expect(s.Catch?.some((c) => c.ErrorEquals.includes('States.Timeout')), name).toBe(true);
    }
  });
});

describe('the payload contract with the task handlers', () => {
  const source = (entry: string) => readFileSync(path.join(PROJECT_ROOT, entry), 'utf8');

  it('every Notify event the definition sends is one functions/workflow/notify.ts knows', () => {
    const notify = source('functions/workflow/notify.ts');
    for (const event of Object.values(NOTIFY_EVENTS)) {
      expect(notify, event).toMatch(new RegExp(`['"]?${event}['"]?\\s*:`));
    }
  });

  it('RoutePartner returns the `routed` flag the Choice reads; AwaitReview and MarkFailed read the fields sent', () => {
    expect(source('functions/usecases/route-partner.ts')).toMatch(/routed:\s*(true|false)/);
    expect(source('functions/workflow/standing.ts')).toMatch(/stage:/);
    expect(source('functions/workflow/await-human-step.ts')).toContain(`'${CHANGED_WHILE_WAITING}'`);
    for (const mode of Object.values(REROUTE_MODES)) expect(source('functions/workflow/unassign-partner.ts'), mode).toContain(`'${mode}'`);
    // One definition of the kinds: the handler's input accepts exactly the ones the definition sends.
    expect(TASK_KINDS).toBe(TASK_TOKEN_KINDS);
    expect(source('functions/workflow/await-human-step.ts')).toMatch(/kind: optional\(oneOf\(Object\.values\(TASK_TOKEN_KINDS\)\)\)/);
    expect(source('functions/workflow/await-human-step.ts')).toMatch(/taskToken:/);
    expect(source('functions/workflow/mark-failed.ts')).toMatch(/error:\s*optional\(object\(\{ Error:/);
  });
});

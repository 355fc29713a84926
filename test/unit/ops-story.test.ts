// An execution's story for operations (functions/core/operations/story.ts): Step Functions' history events read into
// steps, sentences and a headline in the exact words operators read, and task tokens redacted from anything shown.
// Each test builds its own history; the expected words are worked out by hand from it.
import { describe, expect, it } from 'vitest';
import { applicationIdOf, day, redactText, redactTokens, tellStory, type HistoryEventInput } from '../../functions/core/operations/story.ts';

const entered = (id: number, at: string, name: string, kind = 'Task'): HistoryEventInput => ({ id, type: `${kind}StateEntered`, timestamp: at, stateEnteredEventDetails: { name } });
const exited = (id: number, at: string, name: string, kind = 'Task'): HistoryEventInput => ({ id, type: `${kind}StateExited`, timestamp: at, stateExitedEventDetails: { name } });
const scheduled = (id: number, at: string, timeoutInSeconds?: number, type = 'TaskScheduled'): HistoryEventInput => ({
  id, type, timestamp: at, taskScheduledEventDetails: timeoutInSeconds === undefined ? { resource: 'invoke' } : { timeoutInSeconds },
});
const failed = (id: number, at: string, error?: string, cause?: string, type = 'TaskFailed'): HistoryEventInput => ({
  id, type, timestamp: at, taskFailedEventDetails: { ...(error === undefined ? {} : { error }), ...(cause === undefined ? {} : { cause }) },
});
const plain = (id: number, at: string, type: string): HistoryEventInput => ({ id, type, timestamp: at });

const running = (startDate?: string) => ({ executionArn: 'arn:aws:states:eu-west-1:1:execution:Filing:app-1', name: 'app-1', status: 'RUNNING', ...(startDate ? { startDate } : {}) });

describe('tellStory: a running wait after a reminder', () => {
  it('tells each step, retries, the timed-out wait, the reminder and the open wait with its deadline', () => {
    const events = [
      plain(1, '2026-12-02T09:05:00Z', 'ExecutionStarted'),
      scheduled(2, '2026-12-02T09:05:01Z'),
      entered(3, '2026-12-02T09:05:10Z', 'SizeAsk'),
      scheduled(4, '2026-12-02T09:05:11Z'),
      failed(5, '2026-12-02T09:05:12Z', 'Lambda.ServiceException', 'boom'),
      scheduled(6, '2026-12-02T09:05:20Z'),
      plain(7, '2026-12-02T09:05:30Z', 'TaskSucceeded'),
      exited(8, '2026-12-02T09:06:00Z', 'SizeAsk'),
      entered(9, '2026-12-02T09:06:01Z', 'IsRouted', 'Choice'),
      exited(10, '2026-12-02T09:06:02Z', 'IsRouted', 'Choice'),
      entered(11, '2026-12-02T10:00:00Z', 'AwaitPartnerReview'),
      scheduled(12, '2026-12-02T10:00:00Z', 5 * 86400),
      failed(13, '2026-12-07T10:00:00Z', 'States.Timeout', undefined, 'TaskTimedOut'),
      exited(14, '2026-12-07T10:00:00Z', 'AwaitPartnerReview'),
      entered(15, '2026-12-07T10:00:01Z', 'AwaitPartnerReviewFailed', 'Pass'),
      exited(16, '2026-12-07T10:00:02Z', 'AwaitPartnerReviewFailed', 'Pass'),
      entered(17, '2026-12-07T10:01:00Z', 'NotifyReviewOverdue'),
      exited(18, '2026-12-07T10:01:30Z', 'NotifyReviewOverdue'),
      entered(19, '2026-12-07T10:02:00Z', 'AwaitPartnerReviewGrace'),
      scheduled(20, '2026-12-07T10:02:00Z', 2 * 86400),
    ];
    const story = tellStory({ ...running('2026-12-02T09:05:00Z'), name: 'app-1--restart-3' }, [...events].reverse(), new Date('2026-12-08T00:00:00Z'));
    expect(story.applicationId).toBe('app-1');
    expect(story.executionArn).toBe('arn:aws:states:eu-west-1:1:execution:Filing:app-1');
    expect(story.status).toBe('RUNNING');
    expect(story.startedAt).toBe('2026-12-02T09:05:00.000Z');
    expect(story.stoppedAt).toBeNull();
    expect(story.error).toBeNull();
    expect(story.headline).toBe('waiting on partner review since 2 Dec, reminder sent 7 Dec, re-route due 9 Dec');
    expect(story.sentences).toEqual([
      'Started 2 Dec 09:05 UTC.',
      'Read the worksheet to size 2 Dec 09:06 UTC after 1 retry.',
      'Waited on partner review from 2 Dec 10:00 UTC to 7 Dec 10:00 UTC: timed out.',
      'Reminder sent 7 Dec 10:01 UTC.',
      'Waiting on partner review since 7 Dec 10:02 UTC; re-route due 9 Dec 10:02 UTC.',
    ]);
    expect(story.steps).toEqual([
      {
        state: 'SizeAsk', what: 'read the worksheet to size', enteredAt: '2026-12-02T09:05:10.000Z', exitedAt: '2026-12-02T09:06:00.000Z', deadline: null, retries: 1,
        errors: [{ at: '2026-12-02T09:05:12.000Z', error: 'Lambda.ServiceException', cause: 'boom' }], outcome: 'done',
      },
      {
        state: 'AwaitPartnerReview', what: 'waiting on partner review', enteredAt: '2026-12-02T10:00:00.000Z', exitedAt: '2026-12-07T10:00:00.000Z',
        deadline: '2026-12-07T10:00:00.000Z', retries: 0, errors: [{ at: '2026-12-07T10:00:00.000Z', error: 'States.Timeout', cause: '' }], outcome: 'timed-out',
      },
      {
        state: 'NotifyReviewOverdue', what: 'reminder sent', enteredAt: '2026-12-07T10:01:00.000Z', exitedAt: '2026-12-07T10:01:30.000Z', deadline: null, retries: 0,
        errors: [], outcome: 'done',
      },
      {
        state: 'AwaitPartnerReviewGrace', what: 'waiting on partner review', enteredAt: '2026-12-07T10:02:00.000Z', exitedAt: null,
        deadline: '2026-12-09T10:02:00.000Z', retries: 0, errors: [], outcome: 'running',
      },
    ]);
  });

  it("starts the headline at the first wait of the same kind and stops at a wait on something else", () => {
    const events = [
      entered(1, '2026-12-01T08:00:00Z', 'AwaitPartnerReview'),
      failed(2, '2026-12-02T08:00:00Z', 'States.Timeout', undefined, 'TaskTimedOut'),
      exited(3, '2026-12-02T08:00:00Z', 'AwaitPartnerReview'),
      entered(4, '2026-12-03T08:00:00Z', 'AwaitFounderRevision'),
      failed(5, '2026-12-05T08:00:00Z', 'X', undefined, 'LambdaFunctionTimedOut'),
      exited(6, '2026-12-05T08:00:00Z', 'AwaitFounderRevision'),
      entered(7, '2026-12-05T08:01:00Z', 'NotifyRevisionReminder'),
      exited(8, '2026-12-05T08:02:00Z', 'NotifyRevisionReminder'),
      entered(9, '2026-12-05T08:03:00Z', 'AwaitFounderRevisionGrace'),
      scheduled(10, '2026-12-05T08:03:00Z', 3 * 86400),
    ];
    const story = tellStory(running(), events, new Date('2027-01-02T00:00:00Z'));
    expect(story.headline).toBe("waiting on the founder's revision since 3 Dec 2026, revision reminder sent 5 Dec 2026, closing due 8 Dec 2026");
    expect(story.sentences).toEqual([
      'Waited on partner review from 1 Dec 08:00 UTC to 2 Dec 08:00 UTC: timed out.',
      "Waited on the founder's revision from 3 Dec 08:00 UTC to 5 Dec 08:00 UTC: timed out.",
      'Revision reminder sent 5 Dec 08:02 UTC.',
      "Waiting on the founder's revision since 5 Dec 08:03 UTC; closing due 8 Dec 08:03 UTC.",
    ]);
    expect(story.startedAt).toBeNull();
  });

  it('stops the headline at a wait of the same kind that was answered rather than timed out', () => {
    const events = [
      entered(1, '2026-12-01T08:00:00Z', 'AwaitAwsDecision'),
      exited(2, '2026-12-02T08:00:00Z', 'AwaitAwsDecision'),
      entered(3, '2026-12-03T08:00:00Z', 'AwaitAwsDecision'),
    ];
    const story = tellStory(running(), events, new Date('2026-12-04T00:00:00Z'));
    expect(story.headline).toBe("waiting on AWS's decision since 3 Dec");
    expect(story.sentences).toEqual([
      "Waited on AWS's decision from 1 Dec 08:00 UTC to 2 Dec 08:00 UTC: answered.",
      "Waiting on AWS's decision since 3 Dec 08:00 UTC.",
    ]);
    expect(story.steps[1]!.deadline).toBeNull();
  });
});

describe('tellStory: how a wait ends', () => {
  it('tells a wait ended by a change, by another error, and by an error without a name', () => {
    const events = [
      entered(1, '2026-12-01T08:00:00Z', 'AwaitCredits'),
      failed(2, '2026-12-02T08:00:00Z', 'ChangedWhileWaiting', 'moved on'),
      exited(3, '2026-12-02T08:00:00Z', 'AwaitCredits'),
      entered(4, '2026-12-03T08:00:00Z', 'AwaitAddressConfirmation'),
      failed(5, '2026-12-03T09:00:00Z', 'Mail.Bounced', 'bounced'),
      exited(6, '2026-12-03T09:00:00Z', 'AwaitAddressConfirmation'),
      entered(7, '2026-12-04T08:00:00Z', 'AwaitCredits'),
      failed(8, '2026-12-04T09:00:00Z', undefined, undefined, 'LambdaFunctionFailed'),
      exited(9, '2026-12-04T09:00:00Z', 'AwaitCredits'),
    ];
    const story = tellStory(running(), events, new Date('2026-12-05T00:00:00Z'));
    expect(story.sentences).toEqual([
      'Waited on credits being applied from 1 Dec 08:00 UTC to 2 Dec 08:00 UTC: ended: the application had moved on.',
      "Waited on the founder's address confirmation from 3 Dec 08:00 UTC to 3 Dec 09:00 UTC: failed (Mail.Bounced).",
      'Waited on credits being applied from 4 Dec 08:00 UTC to 4 Dec 09:00 UTC: failed (Error).',
    ]);
    expect(story.steps.map((s) => s.outcome)).toEqual(['done', 'failed', 'failed']);
    expect(story.steps[2]!.errors).toEqual([{ at: '2026-12-04T09:00:00.000Z', error: 'Error', cause: '' }]);
    // The headline reads from the last step even when it has ended: no reminder before it, so it starts there.
    expect(story.headline).toBe('waiting on credits being applied since 4 Dec');
  });

  it('gives a wait no deadline when its task has no timeout, and counts a States.Timeout task failure as timed out', () => {
    const events = [
      entered(1, '2026-12-01T08:00:00Z', 'AwaitPartnerReview'),
      scheduled(2, '2026-12-01T08:00:00Z', 0),
      failed(3, '2026-12-02T08:00:00Z', 'States.Timeout'),
      exited(4, '2026-12-02T08:00:00Z', 'AwaitPartnerReview'),
      entered(5, '2026-12-03T08:00:00Z', 'AwaitAwsDecision'),
      scheduled(6, '2026-12-03T08:00:00Z'),
    ];
    const story = tellStory(running(), events, new Date('2026-12-04T00:00:00Z'));
    expect(story.steps.map((s) => [s.outcome, s.deadline])).toEqual([['timed-out', null], ['running', null]]);
    expect(story.sentences).toEqual([
      'Waited on partner review from 1 Dec 08:00 UTC to 2 Dec 08:00 UTC: timed out.',
      "Waiting on AWS's decision since 3 Dec 08:00 UTC.",
    ]);
  });

  it('skips only the catch Passes named <Task>Failed, not a state whose name merely contains "Failed"', () => {
    const events = [entered(1, '2026-12-01T08:00:00Z', 'FailedCheck'), exited(2, '2026-12-01T08:01:00Z', 'FailedCheck'), entered(3, '2026-12-01T08:02:00Z', 'RoutePartnerFailed', 'Pass')];
    const story = tellStory(running(), events, new Date('2026-12-04T00:00:00Z'));
    expect(story.steps.map((s) => s.state)).toEqual(['FailedCheck']);
    expect(story.sentences).toEqual(['FailedCheck 1 Dec 08:01 UTC.']);
  });
});

describe('tellStory: reading the events', () => {
  it('starts the headline at the very first step when that is the first wait of the run', () => {
    const events = [
      entered(1, '2026-12-01T08:00:00Z', 'AwaitPartnerReview'),
      failed(2, '2026-12-06T08:00:00Z', 'States.Timeout', undefined, 'TaskTimedOut'),
      exited(3, '2026-12-06T08:00:00Z', 'AwaitPartnerReview'),
      entered(4, '2026-12-06T08:01:00Z', 'NotifyReviewOverdue'),
      exited(5, '2026-12-06T08:02:00Z', 'NotifyReviewOverdue'),
      entered(6, '2026-12-06T08:03:00Z', 'AwaitPartnerReviewGrace'),
    ];
    expect(tellStory(running(), events, new Date('2026-12-07T00:00:00Z')).headline).toBe('waiting on partner review since 1 Dec, reminder sent 6 Dec');
    // A reminder as the very first step still belongs to the story.
    const fromReminder = [entered(1, '2026-12-05T08:01:00Z', 'NotifyCreditsOverdue'), exited(2, '2026-12-05T08:02:00Z', 'NotifyCreditsOverdue'), entered(3, '2026-12-05T08:03:00Z', 'AwaitCredits')];
    expect(tellStory(running(), fromReminder, new Date('2026-12-07T00:00:00Z')).headline)
      .toBe('waiting on credits being applied since 5 Dec, credits reminder sent (or escalated once the reminders ran out) 5 Dec');
  });

  it('ends a step only at its own exit event, not at another event naming it (a Map iteration)', () => {
    const events = [
      entered(1, '2026-12-01T08:00:00Z', 'DraftAll', 'Map'),
      { id: 2, type: 'MapIterationStarted', timestamp: '2026-12-01T08:00:01Z', mapIterationStartedEventDetails: { name: 'DraftAll', index: 0 } },
      { id: 3, type: 'MapIterationSucceeded', timestamp: '2026-12-01T08:00:05Z', mapIterationSucceededEventDetails: { name: 'DraftAll', index: 0 } },
      exited(4, '2026-12-01T08:00:09Z', 'DraftAll', 'Map'),
    ];
    const story = tellStory(running(), events, new Date('2026-12-02T00:00:00Z'));
    expect(story.steps.map((s) => [s.state, s.exitedAt, s.outcome])).toEqual([['DraftAll', '2026-12-01T08:00:09.000Z', 'done']]);
    expect(story.sentences).toEqual(['DraftAll 1 Dec 08:00 UTC.']);
  });

  it('reads an entered event without its details as a state with no name', () => {
    const story = tellStory(running(), [{ id: 1, type: 'TaskStateEntered', timestamp: Date.parse('2026-12-01T08:00:00Z') }], new Date('2026-12-02T00:00:00Z'));
    expect(story.steps.map((s) => [s.state, s.what, s.enteredAt])).toEqual([['', '', '2026-12-01T08:00:00.000Z']]);
  });
});

describe('tellStory: tasks', () => {
  it('tells a running task with its retries, counting Lambda invocations too, and gives a task no deadline', () => {
    const events = [
      entered(1, '2026-12-05T12:00:00Z', 'CheckStanding'),
      scheduled(2, '2026-12-05T12:00:01Z', 60),
      scheduled(3, '2026-12-05T12:00:05Z', 60, 'LambdaFunctionScheduled'),
      scheduled(4, '2026-12-05T12:00:09Z', 60),
      exited(5, '2026-12-05T12:00:10Z', 'SomethingNested'),
    ];
    const story = tellStory(running(), events, new Date('2026-12-06T00:00:00Z'));
    expect(story.steps).toEqual([{
      state: 'CheckStanding', what: 'checked where the application stands', enteredAt: '2026-12-05T12:00:00.000Z', exitedAt: null, deadline: null, retries: 2, errors: [], outcome: 'running',
    }]);
    expect(story.sentences).toEqual(['Checked where the application stands: running since 5 Dec 12:00 UTC after 2 retries.']);
    expect(story.headline).toBe('checked where the application stands (since 5 Dec)');
  });

  it('names a state it does not know as it is, and is "starting" before any step', () => {
    const unknown = tellStory(running(), [entered(1, '2026-12-05T12:00:00Z', 'brandNewState')], new Date('2026-12-06T00:00:00Z'));
    expect(unknown.sentences).toEqual(['BrandNewState: running since 5 Dec 12:00 UTC.']);
    expect(unknown.headline).toBe('brandNewState (since 5 Dec)');
    expect(tellStory(running(), [plain(1, '2026-12-05T12:00:00Z', 'ExecutionStarted')], new Date()).headline).toBe('starting');
  });

  it('tells a task that failed after its retries with the last error and its cause, cut at 160 characters', () => {
    const longCause = `still bad: ${'x '.repeat(100)}`;
    const events = [
      entered(1, '2026-12-03T07:00:00Z', 'DraftBriefs'),
      scheduled(2, '2026-12-03T07:00:01Z'),
      failed(3, '2026-12-03T07:01:00Z', 'BriefError', 'bad brief'),
      scheduled(4, '2026-12-03T07:02:00Z'),
      failed(5, '2026-12-03T07:03:00Z', 'BriefError', longCause),
      exited(6, '2026-12-03T07:05:00Z', 'DraftBriefs'),
      entered(7, '2026-12-03T07:05:01Z', 'DraftBriefsFailed', 'Pass'),
      entered(8, '2026-12-03T07:06:00Z', 'MarkFailed'),
      exited(9, '2026-12-03T07:06:30Z', 'MarkFailed'),
      entered(10, '2026-12-03T07:07:00Z', 'NotifyFailed'),
      scheduled(11, '2026-12-03T07:07:01Z'),
      failed(12, '2026-12-03T07:07:02Z', 'Mail.Error'),
      exited(13, '2026-12-03T07:07:30Z', 'NotifyFailed'),
      entered(14, '2026-12-03T07:08:00Z', 'ApplicationFailed', 'Fail'),
    ];
    const cause = 'Lambda died; token '.concat('A'.repeat(90));
    const story = tellStory(
      { executionArn: 'arn:x', name: 'app-9', status: 'FAILED', startDate: new Date('2026-12-03T07:00:00Z'), stopDate: '2026-12-03T08:00:00Z', error: 'States.TaskFailed', cause },
      events, new Date('2026-12-04T00:00:00Z'),
    );
    expect(story.steps.map((s) => [s.state, s.outcome, s.retries])).toEqual([['DraftBriefs', 'failed', 1], ['MarkFailed', 'done', 0], ['NotifyFailed', 'failed', 0]]);
    expect(story.steps[0]!.errors.map((e) => e.cause)).toEqual(['bad brief', longCause]);
    expect(story.sentences).toEqual([
      'Started 3 Dec 07:00 UTC.',
      `Drafted the ACE briefs failed 3 Dec 07:05 UTC after 1 retry: BriefError (${longCause.slice(0, 159)}…).`,
      'Marked the application failed 3 Dec 07:06 UTC.',
      'Operations told of the failure failed 3 Dec 07:07 UTC: Mail.Error.',
      'Failed 3 Dec 08:00 UTC: States.TaskFailed (Lambda died; token [redacted]).',
    ]);
    expect(story.headline).toBe('failed 3 Dec in NotifyFailed: States.TaskFailed');
    expect(story.stoppedAt).toBe('2026-12-03T08:00:00.000Z');
    expect(story.startedAt).toBe('2026-12-03T07:00:00.000Z');
    expect(story.error).toEqual({ error: 'States.TaskFailed', cause: 'Lambda died; token [redacted]' });
  });

  it('keeps at most 500 characters of an error cause and 2000 of the execution cause', () => {
    const long = 'a '.repeat(1500);
    const story = tellStory(
      { executionArn: 'arn:x', name: 'app-9', status: 'FAILED', error: 'E', cause: long },
      [entered(1, '2026-12-03T07:00:00Z', 'RoutePartner'), failed(2, '2026-12-03T07:00:01Z', 'E', long)],
      new Date('2026-12-04T00:00:00Z'),
    );
    expect(story.steps[0]!.errors[0]!.cause).toBe(long.slice(0, 500));
    expect(story.error).toEqual({ error: 'E', cause: `${long.slice(0, 1999)}…` });
    // No stop date: no closing sentence and no day in the headline; the failed step is still open.
    expect(story.sentences).toEqual(['Routed to a partner: running since 3 Dec 07:00 UTC.']);
    expect(story.headline).toBe('failed in RoutePartner: E');
    expect(story.steps[0]!.outcome).toBe('failed');
  });
});

describe('tellStory: how an execution ends', () => {
  const stop = { executionArn: 'arn:x', name: 'app-3', startDate: '2026-12-04T11:00:00Z', stopDate: '2026-12-04T11:30:00Z' };

  it('tells a failed execution without error or cause, and one whose failed step is not the last', () => {
    const events = [entered(1, '2026-12-04T11:00:00Z', 'SizeAsk'), failed(2, '2026-12-04T11:01:00Z', 'Boom'), exited(3, '2026-12-04T11:02:00Z', 'SizeAsk'), entered(4, '2026-12-04T11:03:00Z', 'MarkFailed'), exited(5, '2026-12-04T11:04:00Z', 'MarkFailed')];
    const story = tellStory({ ...stop, status: 'FAILED' }, events, new Date('2026-12-05T00:00:00Z'));
    expect(story.headline).toBe('failed 4 Dec in SizeAsk');
    expect(story.sentences.at(-1)).toBe('Failed 4 Dec 11:30 UTC.');
    expect(story.sentences[1]).toBe('Read the worksheet to size failed 4 Dec 11:02 UTC: Boom.');
    expect(story.error).toBeNull();
    expect(tellStory({ ...stop, status: 'FAILED' }, [], new Date('2026-12-05T00:00:00Z')).headline).toBe('failed 4 Dec');
  });

  it('tells a stopped execution with its cause cut at 200 characters, and without one', () => {
    const cause = `operator: ${'y '.repeat(150)}`;
    const story = tellStory({ ...stop, status: 'ABORTED', cause }, [], new Date('2026-12-05T00:00:00Z'));
    expect(story.sentences).toEqual(['Started 4 Dec 11:00 UTC.', `Stopped 4 Dec 11:30 UTC: ${cause.slice(0, 199)}….`]);
    expect(story.headline).toBe('aborted 4 Dec');
    expect(story.error).toBeNull();
    expect(tellStory({ ...stop, status: 'ABORTED' }, [], new Date()).sentences.at(-1)).toBe('Stopped 4 Dec 11:30 UTC.');
    const failedShort = tellStory({ ...stop, status: 'FAILED', cause: 'short' }, [], new Date('2026-12-05T00:00:00Z'));
    expect(failedShort.sentences.at(-1)).toBe('Failed 4 Dec 11:30 UTC (short).');
  });

  it('cuts a cause only when it is longer than the limit', () => {
    const c200 = 'w '.repeat(100);
    expect(tellStory({ ...stop, status: 'ABORTED', cause: c200 }, [], new Date()).sentences.at(-1)).toBe(`Stopped 4 Dec 11:30 UTC: ${c200}.`);
    const c2000 = 'v '.repeat(1000);
    expect(tellStory({ ...stop, status: 'FAILED', error: 'E', cause: c2000 }, [], new Date()).error).toEqual({ error: 'E', cause: c2000 });
    expect(tellStory({ ...stop, status: 'FAILED', error: 'E' }, [], new Date()).error).toEqual({ error: 'E', cause: '' });
    const c160 = 'u '.repeat(80);
    const events = [entered(1, '2026-12-04T11:00:00Z', 'SizeAsk'), failed(2, '2026-12-04T11:01:00Z', 'Boom', c160), exited(3, '2026-12-04T11:02:00Z', 'SizeAsk')];
    expect(tellStory({ ...stop, status: 'RUNNING' }, events, new Date()).sentences.at(-1)).toBe(`Read the worksheet to size failed 4 Dec 11:02 UTC: Boom (${c160}).`);
  });

  it('tells a timed-out execution', () => {
    const story = tellStory({ ...stop, status: 'TIMED_OUT' }, [], new Date('2027-03-01T00:00:00Z'));
    expect(story.sentences).toEqual(['Started 4 Dec 11:00 UTC.', 'Timed out 4 Dec 11:30 UTC.']);
    expect(story.headline).toBe('timed out 4 Dec 2026');
  });

  it('names an escalation it finished in, and only those', () => {
    const escalated = tellStory({ ...stop, status: 'SUCCEEDED' }, [entered(1, '2026-12-04T11:29:00Z', 'CreditsEscalated', 'Succeed')], new Date('2026-12-05T00:00:00Z'));
    expect(escalated.sentences).toEqual([
      'Started 4 Dec 11:00 UTC.',
      'Finished 4 Dec 11:30 UTC: escalated to operations, the credits reminders ran out (a change recorded on it resumes the workflow).',
    ]);
    expect(escalated.steps).toEqual([]);
    expect(escalated.headline).toBe('succeeded 4 Dec');
    const aws = tellStory({ ...stop, status: 'SUCCEEDED' }, [entered(1, '2026-12-04T11:29:00Z', 'AwsDecisionEscalated', 'Succeed')], new Date());
    expect(aws.sentences.at(-1)).toBe("Finished 4 Dec 11:30 UTC: escalated to operations, the reminders for AWS's decision ran out (a change recorded on it resumes the workflow).");
    const done = tellStory({ ...stop, status: 'SUCCEEDED' }, [entered(1, '2026-12-04T11:29:00Z', 'Done', 'Succeed')], new Date());
    expect(done.sentences.at(-1)).toBe('Finished 4 Dec 11:30 UTC.');
    // A state named like an escalation but not a Succeed state does not end the story.
    const notEnd = tellStory({ ...stop, status: 'SUCCEEDED' }, [entered(1, '2026-12-04T11:29:00Z', 'CreditsEscalated', 'Pass')], new Date());
    expect(notEnd.sentences.at(-1)).toBe('Finished 4 Dec 11:30 UTC.');
  });

  it('tells no closing sentence for a status it does not know or without a stop date', () => {
    expect(tellStory({ ...stop, status: 'PENDING_REDRIVE' }, [], new Date('2026-12-05T00:00:00Z')).sentences).toEqual(['Started 4 Dec 11:00 UTC.']);
    expect(tellStory({ ...stop, status: 'PENDING_REDRIVE' }, [], new Date('2026-12-05T00:00:00Z')).headline).toBe('pending redrive 4 Dec');
    for (const status of ['SUCCEEDED', 'ABORTED', 'TIMED_OUT']) {
      expect(tellStory({ executionArn: 'arn:x', name: 'a', status }, [], new Date()).sentences).toEqual([]);
    }
  });
});

describe('day, applicationIdOf', () => {
  it('writes a UTC day, with the year when it is not the reference year', () => {
    expect(day(new Date('2026-01-05T23:59:00Z'))).toBe('5 Jan');
    expect(day(new Date('2026-01-05T23:59:00Z'), new Date('2026-12-31T00:00:00Z'))).toBe('5 Jan');
    expect(day(new Date('2026-12-31T10:00:00Z'), new Date('2027-01-01T00:00:00Z'))).toBe('31 Dec 2026');
  });

  it('takes the application id from an execution name, with or without a restart suffix', () => {
    expect(applicationIdOf('app-1--ops-4')).toBe('app-1');
    expect(applicationIdOf('app-1')).toBe('app-1');
  });
});

describe('redaction', () => {
  it('redacts runs of 80 or more token characters and nothing shorter', () => {
    const t79 = 'A'.repeat(79);
    expect(redactText(`a ${t79} b`)).toBe(`a ${t79} b`);
    expect(redactText(`a ${'B+/=_-'.repeat(14)} b ${'c'.repeat(80)}`)).toBe('a [redacted] b [redacted]');
  });

  it('redacts token-named fields and token-like strings at any depth, in JSON text too', () => {
    const token = 'Z'.repeat(120);
    const at = new Date('2026-12-05T10:00:00Z');
    expect(redactTokens({
      id: 4, type: 'TaskScheduled', at, ok: true, none: null,
      details: { TaskToken: 'short', list: [token, 'fine', 3], parameters: `  {"taskToken":"abc","n":[1,"${token}"]}` },
    })).toEqual({
      id: 4, type: 'TaskScheduled', at: '2026-12-05T10:00:00.000Z', ok: true, none: null,
      details: { TaskToken: '[redacted]', list: ['[redacted]', 'fine', 3], parameters: '{"taskToken":"[redacted]","n":[1,"[redacted]"]}' },
    });
    expect(redactTokens(`[1, "${token}"]`)).toBe('[1,"[redacted]"]');
    expect(redactTokens(`{not json ${token}`)).toBe('{not json [redacted]');
    expect(redactTokens(`plain ${token}`)).toBe('plain [redacted]');
    // Text that is JSON but not an object or array is left as it is, spaces and all.
    expect(redactTokens(' 42 ')).toBe(' 42 ');
    expect(redactTokens(' "quoted" ')).toBe(' "quoted" ');
    expect(redactTokens(undefined)).toBeUndefined();
    expect(redactTokens(7)).toBe(7);
  });

  it('parses JSON text only below 200 000 characters', () => {
    const under = `[${' '.repeat(199_997)}]`;
    expect(under).toHaveLength(199_999);
    expect(redactTokens(under)).toBe('[]');
    const atLimit = `[${' '.repeat(199_998)}]`;
    expect(redactTokens(atLimit)).toBe(atLimit);
  });
});

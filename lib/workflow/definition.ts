/**
 * The application workflow definition (Amazon States Language, JSONPath), built from the task functions it is given.
 *
 * Every Lambda task is made by {@link WorkflowTasks}, which applies the house rules in one place: an explicit `Retry`
 * on transient errors, `TimeoutSeconds`, a small `{ applicationId, ... }` payload, results discarded or reduced by a
 * selector so the state stays small, and a `Catch` (States.ALL) into the failure path
 * MarkFailed → ApplicationFailed. Human steps are task-token waits (`lambda:invoke.waitForTaskToken`) that must
 * declare what happens when their timeout expires.
 *
 * DynamoDB is the source of truth; a callback is a nudge. The API writes the transition first, then calls
 * SendTaskSuccess with the stored token (docs/CONTRACTS.md). A callback lost to a race (the token was already used)
 * is caught up by AwaitHumanStep: after storing a new token it checks whether the application moved on without the
 * workflow noticing and, if so, fails the wait with `ChangedWhileWaiting`, which leads to NotifyChange → CheckStanding.
 *
 *   SizeAsk → DraftBriefs → AddressConfirmed? ── yes ──→ RoutePartner
 *     no → SendAddressConfirmation → AwaitAddressConfirmation ─(confirmed)→ RoutePartner
 *                                      │ (resend) → SendAddressConfirmation (a new secret) → AwaitAddressConfirmation
 *                                      └ (Timeout) ExpireUnconfirmed → expired → UnconfirmedExpired (Succeed)
 *                                                                     confirmed (callback lost) → RoutePartner, else CheckStanding
 *   RoutePartner → IsRouted?
 *     unrouted → NotifyUnrouted → QueuedForOperations (Succeed)
 *     routed   → NotifyRouted → AwaitPartnerReview ──(callback)──→ NotifyReviewed → ReviewDecision?
 *                                 │ (Timeout) NotifyReviewOverdue → AwaitPartnerReviewGrace ─(callback)─→ NotifyReviewed
 *                                 │                                  └ (Timeout) Reroute → RoutePartner (next partner)
 *       ReviewDecision? approved          → AwaitAwsDecision
 *                       changes_requested → AwaitFounderRevision ─(revised)→ SizeAsk … RoutePartner (same partner)
 *                                             └ (Timeout) NotifyRevisionReminder → AwaitFounderRevisionGrace ─(revised)→ SizeAsk
 *                                                 └ (Timeout) ReleasePartner → NotifyRevisionAbandoned → RevisionAbandoned (Succeed)
 *                       declined          → RoutePartner (next partner)
 *                       otherwise         → CheckStanding
 *     AwaitAwsDecision ─(record-changed)→ NotifyChange → CheckStanding → WhereNext?
 *       └ (Timeout) NotifyAwsDecisionOverdue (partner + operations) → AwsDecisionRemindersLeft? → AwaitAwsDecision
 *                   after the counted reminders: escalated (a note, operations mailed) → AwsDecisionEscalated (Succeed)
 *     AwaitCredits ─(record-changed)→ NotifyChange → CheckStanding → WhereNext?
 *       └ (Timeout) NotifyCreditsOverdue (partner + operations) → CreditsRemindersLeft? → AwaitCredits
 *                   after the counted reminders: escalated → CreditsEscalated (Succeed)
 *     WhereNext? (from the application in DynamoDB) aws-decision → AwaitAwsDecision, credits → AwaitCredits,
 *       credits-applied → CreditsApplied (Succeed), rejected → Rejected (Succeed), and back to the step the application
 *       is at for the rest (size, draft, route, partner-review, founder-revision, unrouted); closed → NoFurtherAction.
 *   any task failing for good → <Task>Failed (a Pass naming the task) → MarkFailed → NotifyFailed (operations) → ApplicationFailed (Fail)
 *   Start? an execution started with `resume` (operations: redrive; a change recorded after an escalation) enters at
 *     CheckStanding instead of SizeAsk
 *
 * Withdrawal stops the execution (StopExecution, error `Withdrawn`); every task copes with a withdrawn application.
 */
import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { TASK_TOKEN_KINDS } from '../../functions/core/application/commands.ts';
import { STAGES } from '../../functions/core/application/standing.ts';
import { RESUME_INPUT } from '../../functions/core/operations/actions.ts';

/** State names: the local runtime keys task handlers by them, tests and alarms refer to them. */
export const STATES = {
  sizeAsk: 'SizeAsk',
  needsEstimate: 'NeedsEstimate',
  estimateAsk: 'EstimateAsk',
  recordEstimate: 'RecordEstimate',
  draftBriefs: 'DraftBriefs',
  addressConfirmed: 'AddressConfirmed',
  sendAddressConfirmation: 'SendAddressConfirmation',
  awaitAddressConfirmation: 'AwaitAddressConfirmation',
  addressConfirmationOutcome: 'AddressConfirmationOutcome',
  expireUnconfirmed: 'ExpireUnconfirmed',
  unconfirmedExpiryOutcome: 'UnconfirmedExpiryOutcome',
  unconfirmedExpired: 'UnconfirmedExpired',
  routePartner: 'RoutePartner',
  isRouted: 'IsRouted',
  notifyRouted: 'NotifyRouted',
  awaitPartnerReview: 'AwaitPartnerReview',
  notifyReviewed: 'NotifyReviewed',
  reviewDecision: 'ReviewDecision',
  notifyReviewOverdue: 'NotifyReviewOverdue',
  awaitPartnerReviewGrace: 'AwaitPartnerReviewGrace',
  reroute: 'Reroute',
  notifyUnrouted: 'NotifyUnrouted',
  queuedForOperations: 'QueuedForOperations',
  awaitFounderRevision: 'AwaitFounderRevision',
  notifyRevisionReminder: 'NotifyRevisionReminder',
  awaitFounderRevisionGrace: 'AwaitFounderRevisionGrace',
  releasePartner: 'ReleasePartner',
  notifyRevisionAbandoned: 'NotifyRevisionAbandoned',
  revisionAbandoned: 'RevisionAbandoned',
  revisedAtTheLastMoment: 'RevisedAtTheLastMoment',
  awaitAwsDecision: 'AwaitAwsDecision',
  notifyAwsDecisionOverdue: 'NotifyAwsDecisionOverdue',
  awaitCredits: 'AwaitCredits',
  notifyCreditsOverdue: 'NotifyCreditsOverdue',
  awsDecisionRemindersLeft: 'AwsDecisionRemindersLeft',
  awsDecisionEscalated: 'AwsDecisionEscalated',
  creditsRemindersLeft: 'CreditsRemindersLeft',
  creditsEscalated: 'CreditsEscalated',
  notifyChange: 'NotifyChange',
  checkStanding: 'CheckStanding',
  whereNext: 'WhereNext',
  creditsApplied: 'CreditsApplied',
  rejected: 'Rejected',
  noFurtherAction: 'NoFurtherAction',
  markFailed: 'MarkFailed',
  notifyFailed: 'NotifyFailed',
  applicationFailed: 'ApplicationFailed',
  start: 'Start',
} as const;

/**
 * Execution input field that makes a new execution enter at CheckStanding instead of SizeAsk: operations continue an
 * application's workflow from where DynamoDB says it stands (a redrive, an unrouted application assigned by hand).
 */
export const RESUME_FIELD = RESUME_INPUT;

/** Name of the Pass state a task's catch-all goes through: it records the task's name for MarkFailed. */
export const caughtStateName = (task: string): string => `${task}Failed`;

/** Where that Pass state puts the failing task's name, read by MarkFailed. */
export const FAILED_STATE_PATH = '$.failedState';

/** Errors a task may retry: Lambda service hiccups plus the application's own `TransientError`. */
export const TRANSIENT_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'TransientError',
] as const;

/** What a Lambda task reports when the function ran out of time (Lambda's own error name). */
export const NOTIFY_TIMEOUT_ERROR = 'Sandbox.Timedout';

/** Error name of the Fail state that ends the failure path. */
export const FAILURE_ERROR = 'ApplicationFailed';

/** Where a caught error lands in the state (`{ Error, Cause }`), read by MarkFailed. */
export const FAILURE_PATH = '$.failure';

/** Kinds of stored task tokens, defined once in the core (AwaitHumanStep keys the token by it; the API completes them). */
export const TASK_KINDS = TASK_TOKEN_KINDS;

/** Error AwaitHumanStep raises when the application moved on before its token was stored (a callback lost to a race). */
export const CHANGED_WHILE_WAITING = 'ChangedWhileWaiting';

/** Events the Notify task is asked to mail about (functions/workflow/notify.ts NOTICES_BY_EVENT). */
export const NOTIFY_EVENTS = {
  /** Every transition not yet notified, recipients chosen by the new status. */
  transitions: 'transitions',
  reviewOverdue: 'partner-review-overdue',
  revisionReminder: 'founder-revision-reminder',
  revisionAbandoned: 'revision-abandoned',
  awsDecisionOverdue: 'aws-decision-overdue',
  creditsOverdue: 'credits-overdue',
  failed: 'failed',
  addressConfirmation: 'address-confirmation',
} as const;

/** Stages CheckStanding reports (functions/core/application/standing.ts), read by the WhereNext choice. */
export { STAGES };

/** UnassignPartner task modes (functions/workflow/unassign-partner.ts; states Reroute and ReleasePartner). */
export const REROUTE_MODES = { reviewTimeout: 'review-timeout', revisionAbandoned: 'revision-abandoned' } as const;

/** The task functions the definition invokes; one Lambda each, see docs/CONTRACTS.md. */
export interface WorkflowTaskFunctions {
  readonly sizeAsk: lambda.IFunction;
  /** The sizing engine alone: no AWS client, no rights. */
  readonly estimateAsk: lambda.IFunction;
  readonly draftBriefs: lambda.IFunction;
  readonly routePartner: lambda.IFunction;
  readonly notify: lambda.IFunction;
  readonly awaitHumanStep: lambda.IFunction;
  readonly markFailed: lambda.IFunction;
  readonly unassignPartner: lambda.IFunction;
  readonly standing: lambda.IFunction;
  readonly expireUnconfirmed: lambda.IFunction;
}

export interface WorkflowDefinitionProps {
  readonly functions: WorkflowTaskFunctions;
  /** How long a partner has to review before the reminder branch. */
  readonly partnerReviewTimeout: Duration;
  /** After the reminder: how long before the application is re-routed. @default 48 hours */
  readonly partnerReviewGrace?: Duration;
  /** How long a founder has to answer a change request (twice: reminder, then abandoned). @default 14 days */
  readonly founderRevisionTimeout?: Duration;
  /** How long before an overdue AWS decision is chased (repeats). @default 21 days */
  readonly awsDecisionTimeout?: Duration;
  /** How long before overdue credits are chased (repeats). @default 30 days */
  readonly creditsTimeout?: Duration;
  /** How long the founder has to confirm the address after each confirmation mail (the link's lifetime). @default 72 hours */
  readonly addressConfirmationTimeout?: Duration;
  /** TimeoutSeconds of every Lambda task (above the functions' own timeouts). @default 60 seconds */
  readonly lambdaTaskTimeout?: Duration;
}

export interface LambdaTaskOptions {
  /** Extra payload fields next to `applicationId`. */
  readonly payload?: Record<string, unknown>;
  /** Keep part of the function's result: selector over the integration result (`$.Payload...`) and where to put it. */
  readonly keep?: { readonly resultSelector: Record<string, unknown>; readonly resultPath: string };
  /** Catches tried before the catch-all into the failure path (e.g. States.Timeout on a wait). */
  readonly catches?: ReadonlyArray<{ readonly errors: string[]; readonly next: sfn.IChainable; readonly resultPath?: string }>;
}

export interface CallbackTaskOptions extends LambdaTaskOptions {
  /** Task token kind, passed as `kind` so the function stores the token under it. */
  readonly kind: string;
  readonly timeout: Duration;
  /** Where the callback's output goes. */
  readonly resultPath: string;
  /** Required: a wait must say where its timeout leads. */
  readonly onTimeout: sfn.IChainable;
}

/**
 * Builds task states that follow the house rules. Issue 4 grows the workflow with more of these.
 */
export class WorkflowTasks {
  /** First state of the failure path; every task's catch-all leads here. */
  readonly failurePath: sfn.TaskStateBase;
  private readonly scope: Construct;
  private readonly lambdaTaskTimeout: Duration;

  constructor(scope: Construct, props: { markFailed: lambda.IFunction; notify: lambda.IFunction; lambdaTaskTimeout: Duration }) {
    this.scope = scope;
    this.lambdaTaskTimeout = props.lambdaTaskTimeout;
    const applicationFailed = new sfn.Fail(scope, STATES.applicationFailed, {
      error: FAILURE_ERROR,
      cause: 'The application was marked failed; its data is kept (see the MarkFailed task input for the error).',
    });
    // The failure path retries harder (it is the last chance to record what happened), and a failure inside it
    // still ends in the named Fail state: never a loop back into MarkFailed.
    const endOnError = (task: tasks.LambdaInvoke): tasks.LambdaInvoke => {
      task.addRetry({ ...retryPolicy(), maxAttempts: 6 });
      task.addCatch(applicationFailed, { errors: [sfn.Errors.ALL], resultPath: '$.failurePathError' });
      return task;
    };
    const mark = endOnError(
      new tasks.LambdaInvoke(scope, STATES.markFailed, {
        lambdaFunction: props.markFailed,
        payload: sfn.TaskInput.fromObject({
          applicationId: sfn.JsonPath.stringAt('$.applicationId'),
          error: sfn.JsonPath.objectAt(FAILURE_PATH),
          failedState: sfn.JsonPath.stringAt(FAILED_STATE_PATH),
        }),
        retryOnServiceExceptions: false,
        resultPath: sfn.JsonPath.DISCARD,
        taskTimeout: sfn.Timeout.duration(props.lambdaTaskTimeout),
      }),
    );
    const notifyFailed = endOnError(
      new tasks.LambdaInvoke(scope, STATES.notifyFailed, {
        lambdaFunction: props.notify,
        payload: sfn.TaskInput.fromObject({
          applicationId: sfn.JsonPath.stringAt('$.applicationId'),
          event: NOTIFY_EVENTS.failed,
        }),
        retryOnServiceExceptions: false,
        resultPath: sfn.JsonPath.DISCARD,
        taskTimeout: sfn.Timeout.duration(props.lambdaTaskTimeout),
      }),
    );
    mark.next(notifyFailed).next(applicationFailed);
    this.failurePath = mark;
  }

  /** A Lambda task: `{ applicationId, ...payload }` in, result discarded unless `keep` says otherwise. */
  lambda(name: string, fn: lambda.IFunction, opts: LambdaTaskOptions = {}): tasks.LambdaInvoke {
    const task = new tasks.LambdaInvoke(this.scope, name, {
      lambdaFunction: fn,
      payload: sfn.TaskInput.fromObject({ applicationId: sfn.JsonPath.stringAt('$.applicationId'), ...opts.payload }),
      retryOnServiceExceptions: false,
      taskTimeout: sfn.Timeout.duration(this.lambdaTaskTimeout),
      ...(opts.keep
        ? { resultSelector: opts.keep.resultSelector, resultPath: opts.keep.resultPath }
        : { resultPath: sfn.JsonPath.DISCARD }),
    });
    return this.guard(task, opts.catches);
  }

  /**
   * A human step: invokes `fn` with `{ applicationId, kind, taskToken }` and waits for SendTaskSuccess/Failure
   * on that token, at most `timeout`; States.Timeout goes to `onTimeout`.
   */
  callback(name: string, fn: lambda.IFunction, opts: CallbackTaskOptions): tasks.LambdaInvoke {
    const task = new tasks.LambdaInvoke(this.scope, name, {
      lambdaFunction: fn,
      integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: sfn.TaskInput.fromObject({
        applicationId: sfn.JsonPath.stringAt('$.applicationId'),
        kind: opts.kind,
        taskToken: sfn.JsonPath.taskToken,
        ...opts.payload,
      }),
      retryOnServiceExceptions: false,
      taskTimeout: sfn.Timeout.duration(opts.timeout),
      resultPath: opts.resultPath,
    });
    return this.guard(task, [
      { errors: [sfn.Errors.TIMEOUT], next: opts.onTimeout, resultPath: '$.timedOut' },
      ...(opts.catches ?? []),
    ]);
  }

  private guard(task: tasks.LambdaInvoke, catches: LambdaTaskOptions['catches'] = []): tasks.LambdaInvoke {
    task.addRetry(retryPolicy());
    for (const c of catches) task.addCatch(c.next, { errors: c.errors, resultPath: c.resultPath ?? '$.caught' });
    // The failing task names itself (a Pass state per task), so MarkFailed records where it failed, not a guess.
    const caught = new sfn.Pass(this.scope, caughtStateName(task.id), {
      result: sfn.Result.fromString(task.id),
      resultPath: FAILED_STATE_PATH,
    }).next(this.failurePath);
    task.addCatch(caught, { errors: [sfn.Errors.ALL], resultPath: FAILURE_PATH });
    return task;
  }
}

function retryPolicy(): sfn.RetryProps {
  return {
    errors: [...TRANSIENT_ERRORS],
    interval: Duration.seconds(2),
    maxAttempts: 3,
    backoffRate: 2,
    maxDelay: Duration.seconds(30),
    jitterStrategy: sfn.JitterType.FULL,
  };
}

/** The whole workflow; returns its start state. */
export function buildDefinition(parent: Construct, props: WorkflowDefinitionProps): sfn.IChainable {
  const { functions: fns } = props;
  // States get their own scope: their ids are the state names, which may repeat the functions' construct ids.
  const scope = new Construct(parent, 'States');
  const t = new WorkflowTasks(scope, {
    markFailed: fns.markFailed,
    notify: fns.notify,
    lambdaTaskTimeout: props.lambdaTaskTimeout ?? Duration.seconds(60),
  });
  // A Notify that timed out may have died holding a notice claim: once its lease (10 s) has run out, a second run
  // claims and sends it (functions/usecases/notifier.ts), so mail is at least once.
  const notify = (name: string, event: string): tasks.LambdaInvoke => {
    const task = t.lambda(name, fns.notify, { payload: { event } });
    task.addRetry({ errors: [NOTIFY_TIMEOUT_ERROR, sfn.Errors.TIMEOUT], interval: Duration.seconds(15), maxAttempts: 2, backoffRate: 1 });
    return task;
  };
  const succeed = (name: string, comment: string): sfn.Succeed => new sfn.Succeed(scope, name, { comment });

  // ---- the machine part: size, draft, route ----
  // Sizing is three tasks: SizeAsk reads the application and hands the worksheet's sizing fields to EstimateAsk (the
  // engine, a function with no AWS client), and RecordEstimate (SizeAsk's function again) stores the estimate if the
  // application did not change meanwhile; if it did, it hands over the fresh fields and NeedsEstimate? loops.
  const sizingResult = {
    resultSelector: { 'status.$': '$.Payload.status', 'forVersion.$': '$.Payload.forVersion', 'worksheet.$': '$.Payload.worksheet' },
    resultPath: '$.sizing',
  };
  const sizeAsk = t.lambda(STATES.sizeAsk, fns.sizeAsk, { keep: sizingResult });
  const estimateAsk = t.lambda(STATES.estimateAsk, fns.estimateAsk, {
    payload: { 'worksheet.$': '$.sizing.worksheet' },
    keep: { resultSelector: { 'estimate.$': '$.Payload.estimate' }, resultPath: '$.sizing.estimated' },
  });
  // Its result replaces $.sizing, estimate included: the state carries it only between these two tasks (fields and
  // estimate stay under 100 KB with ten models, test/unit/sizing-worksheet.test.ts; a state may hold 256 KB).
  const recordEstimate = t.lambda(STATES.recordEstimate, fns.sizeAsk, {
    payload: { 'estimate.$': '$.sizing.estimated.estimate', 'forVersion.$': '$.sizing.forVersion' },
    keep: sizingResult,
  });
  const draftBriefs = t.lambda(STATES.draftBriefs, fns.draftBriefs, {
    keep: { resultSelector: { 'addressConfirmed.$': '$.Payload.addressConfirmed' }, resultPath: '$.draft' },
  });
  const routePartner = t.lambda(STATES.routePartner, fns.routePartner, {
    keep: { resultSelector: { 'routed.$': '$.Payload.routed' }, resultPath: '$.route' },
  });
  const needsEstimate = new sfn.Choice(scope, STATES.needsEstimate)
    .when(sfn.Condition.stringEquals('$.sizing.status', 'submitted'), estimateAsk.next(recordEstimate))
    .otherwise(draftBriefs);
  sizeAsk.next(needsEstimate);
  recordEstimate.next(needsEstimate);

  // ---- where the application stands (DynamoDB decides): the way back in after any callback or a lost one ----
  const notifyChange = notify(STATES.notifyChange, NOTIFY_EVENTS.transitions);
  const checkStanding = t.lambda(STATES.checkStanding, fns.standing, {
    keep: { resultSelector: { 'stage.$': '$.Payload.stage' }, resultPath: '$.standing' },
  });
  notifyChange.next(checkStanding);
  /** Catch for every wait: the application moved on before the token was stored. */
  const changed = [{ errors: [CHANGED_WHILE_WAITING], next: notifyChange }];

  // ---- after filing: AWS's decision, then credits ----
  /**
   * A wait whose timeout sends a reminder and waits again, a counted number of times (data/stuck-thresholds.json
   * `reminderEscalation`, counted by Notify from the reminders it sent: functions/core/operations/escalation.ts);
   * the lapse after the last reminder escalates to operations instead and the execution ends. Every callback goes to
   * NotifyChange.
   */
  const remindedWait = (wait: string, overdue: string, event: string, kind: string, timeout: Duration, resultPath: string, remindersLeft: string, escalated: string) => {
    const reminder = t.lambda(overdue, fns.notify, {
      payload: { event },
      keep: { resultSelector: { 'escalated.$': '$.Payload.escalated' }, resultPath: '$.reminder' },
    });
    reminder.addRetry({ errors: [NOTIFY_TIMEOUT_ERROR, sfn.Errors.TIMEOUT], interval: Duration.seconds(15), maxAttempts: 2, backoffRate: 1 });
    const task = t.callback(wait, fns.awaitHumanStep, { kind, timeout, resultPath, onTimeout: reminder, catches: changed });
    reminder.next(new sfn.Choice(scope, remindersLeft)
      .when(sfn.Condition.and(sfn.Condition.isPresent('$.reminder.escalated'), sfn.Condition.booleanEquals('$.reminder.escalated', true)),
        succeed(escalated, 'The reminders ran out: escalated to operations (a note in the timeline, a mail); a recorded change starts a new execution.'))
      .otherwise(task));
    task.next(notifyChange);
    return task;
  };
  const awaitAws = remindedWait(STATES.awaitAwsDecision, STATES.notifyAwsDecisionOverdue, NOTIFY_EVENTS.awsDecisionOverdue,
    TASK_KINDS.awsDecision, props.awsDecisionTimeout ?? Duration.days(21), '$.aws', STATES.awsDecisionRemindersLeft, STATES.awsDecisionEscalated);
  const awaitCredits = remindedWait(STATES.awaitCredits, STATES.notifyCreditsOverdue, NOTIFY_EVENTS.creditsOverdue,
    TASK_KINDS.credits, props.creditsTimeout ?? Duration.days(30), '$.credits', STATES.creditsRemindersLeft, STATES.creditsEscalated);

  // ---- the founder answers a change request: re-sized, re-drafted, back to the same partner ----
  const notifyRevisionReminder = notify(STATES.notifyRevisionReminder, NOTIFY_EVENTS.revisionReminder);
  const releasePartner = t.lambda(STATES.releasePartner, fns.unassignPartner, {
    payload: { mode: REROUTE_MODES.revisionAbandoned },
    keep: { resultSelector: { 'status.$': '$.Payload.status' }, resultPath: '$.release' },
  });
  const revisionAbandoned = notify(STATES.notifyRevisionAbandoned, NOTIFY_EVENTS.revisionAbandoned)
    .next(succeed(STATES.revisionAbandoned, 'The founder did not answer the change request after a reminder; the application is closed and the partner slot released.'));
  // A revision that lands in the instant the wait times out is not lost: the application is then `submitted` again.
  releasePartner.next(
    new sfn.Choice(scope, STATES.revisedAtTheLastMoment)
      .when(sfn.Condition.stringEquals('$.release.status', 'submitted'), sizeAsk)
      .otherwise(revisionAbandoned),
  );
  const founderRevisionTimeout = props.founderRevisionTimeout ?? Duration.days(14);
  const awaitRevision = t.callback(STATES.awaitFounderRevision, fns.awaitHumanStep, {
    kind: TASK_KINDS.founderRevision,
    timeout: founderRevisionTimeout,
    resultPath: '$.revision',
    onTimeout: notifyRevisionReminder,
    catches: changed,
  });
  const awaitRevisionGrace = t.callback(STATES.awaitFounderRevisionGrace, fns.awaitHumanStep, {
    kind: TASK_KINDS.founderRevision,
    timeout: founderRevisionTimeout,
    resultPath: '$.revision',
    onTimeout: releasePartner,
    catches: changed,
  });
  notifyRevisionReminder.next(awaitRevisionGrace);
  awaitRevision.next(sizeAsk);
  awaitRevisionGrace.next(sizeAsk);

  // ---- partner review ----
  const notifyReviewed = notify(STATES.notifyReviewed, NOTIFY_EVENTS.transitions);
  const notifyReviewOverdue = notify(STATES.notifyReviewOverdue, NOTIFY_EVENTS.reviewOverdue);
  const reroute = t.lambda(STATES.reroute, fns.unassignPartner, { payload: { mode: REROUTE_MODES.reviewTimeout } });
  reroute.next(routePartner);
  const awaitReview = t.callback(STATES.awaitPartnerReview, fns.awaitHumanStep, {
    kind: TASK_KINDS.partnerReview,
    timeout: props.partnerReviewTimeout,
    resultPath: '$.review',
    onTimeout: notifyReviewOverdue,
    catches: changed,
  });
  const awaitReviewGrace = t.callback(STATES.awaitPartnerReviewGrace, fns.awaitHumanStep, {
    kind: TASK_KINDS.partnerReview,
    timeout: props.partnerReviewGrace ?? Duration.hours(48),
    resultPath: '$.review',
    onTimeout: reroute,
    catches: changed,
  });
  notifyReviewOverdue.next(awaitReviewGrace);
  awaitReview.next(notifyReviewed);
  awaitReviewGrace.next(notifyReviewed);
  const decision = (value: string): sfn.Condition =>
    sfn.Condition.and(sfn.Condition.isPresent('$.review.decision'), sfn.Condition.stringEquals('$.review.decision', value));
  notifyReviewed.next(
    new sfn.Choice(scope, STATES.reviewDecision)
      .when(decision('approved'), awaitAws)
      .when(decision('changes_requested'), awaitRevision)
      .when(decision('declined'), routePartner)
      .otherwise(checkStanding),
  );

  // ---- routed or not ----
  const routed = notify(STATES.notifyRouted, NOTIFY_EVENTS.transitions).next(awaitReview);
  const queued = succeed(STATES.queuedForOperations, 'No partner matched; operations take over.');
  const unrouted = notify(STATES.notifyUnrouted, NOTIFY_EVENTS.transitions).next(queued);
  routePartner.next(
    new sfn.Choice(scope, STATES.isRouted)
      .when(sfn.Condition.booleanEquals('$.route.routed', true), routed)
      .otherwise(unrouted),
  );

  // ---- the founder confirms the address before anything is routed (functions/core/address-confirmation.ts) ----
  const sendConfirmation = notify(STATES.sendAddressConfirmation, NOTIFY_EVENTS.addressConfirmation);
  const expireUnconfirmed = t.lambda(STATES.expireUnconfirmed, fns.expireUnconfirmed, {
    keep: { resultSelector: { 'outcome.$': '$.Payload.outcome' }, resultPath: '$.confirmation' },
  });
  const awaitConfirmation = t.callback(STATES.awaitAddressConfirmation, fns.awaitHumanStep, {
    kind: TASK_KINDS.addressConfirmation,
    timeout: props.addressConfirmationTimeout ?? Duration.hours(72),
    resultPath: '$.confirmation',
    onTimeout: expireUnconfirmed,
    catches: changed,
  });
  sendConfirmation.next(awaitConfirmation);
  const confirmationOutcome = (value: string): sfn.Condition =>
    sfn.Condition.and(sfn.Condition.isPresent('$.confirmation.outcome'), sfn.Condition.stringEquals('$.confirmation.outcome', value));
  awaitConfirmation.next(
    new sfn.Choice(scope, STATES.addressConfirmationOutcome)
      .when(confirmationOutcome('confirmed'), routePartner)
      .when(confirmationOutcome('resend'), sendConfirmation)
      .otherwise(checkStanding),
  );
  expireUnconfirmed.next(
    new sfn.Choice(scope, STATES.unconfirmedExpiryOutcome)
      .when(confirmationOutcome('expired'), succeed(STATES.unconfirmedExpired, 'The founder never confirmed the address: closed, nothing booked or shared.'))
      .when(confirmationOutcome('confirmed'), routePartner)
      .otherwise(checkStanding),
  );
  draftBriefs.next(
    new sfn.Choice(scope, STATES.addressConfirmed)
      .when(sfn.Condition.and(sfn.Condition.isPresent('$.draft.addressConfirmed'), sfn.Condition.booleanEquals('$.draft.addressConfirmed', true)), routePartner)
      .otherwise(sendConfirmation),
  );

  const stage = (value: string): sfn.Condition => sfn.Condition.stringEquals('$.standing.stage', value);
  checkStanding.next(
    new sfn.Choice(scope, STATES.whereNext)
      .when(stage(STAGES.notify), notifyChange)
      .when(stage(STAGES.awsDecision), awaitAws)
      .when(stage(STAGES.credits), awaitCredits)
      .when(stage(STAGES.creditsApplied), succeed(STATES.creditsApplied, 'Every approved record has its credits applied; expiry reminders run on a schedule.'))
      .when(stage(STAGES.rejected), succeed(STATES.rejected, 'AWS rejected every record.'))
      .when(stage(STAGES.partnerReview), awaitReview)
      .when(stage(STAGES.founderRevision), awaitRevision)
      .when(stage(STAGES.size), sizeAsk)
      .when(stage(STAGES.draft), draftBriefs)
      .when(stage(STAGES.route), routePartner)
      .when(stage(STAGES.addressConfirmation), sendConfirmation)
      .when(stage(STAGES.unrouted), queued)
      .otherwise(succeed(STATES.noFurtherAction, 'Withdrawn, failed or otherwise out of the workflow\'s hands.')),
  );

  // A new execution normally starts at SizeAsk; one started by operations (redrive) enters where DynamoDB says the
  // application stands, through the same CheckStanding every callback goes through.
  return new sfn.Choice(scope, STATES.start)
    .when(sfn.Condition.isPresent(`$.${RESUME_FIELD}`), checkStanding)
    .otherwise(sizeAsk);
}

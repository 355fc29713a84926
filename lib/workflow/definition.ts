/**
 * The application workflow definition (Amazon States Language, JSONPath), built from the task functions it is given.
 *
 * Every Lambda task is made by {@link WorkflowTasks}, which applies the house rules in one place: an explicit `Retry`
 * on transient errors, `TimeoutSeconds`, a small `{ applicationId, ... }` payload, results discarded or reduced by a
 * selector so the state stays small, and a `Catch` (States.ALL) into the failure path
 * MarkFailed → ApplicationFailed. Human steps are task-token waits (`lambda:invoke.waitForTaskToken`) that must
 * declare what happens when their timeout expires.
 *
 * Issue 3 flow:
 *   SizeAsk → DraftBriefs → RoutePartner → IsRouted?
 *     routed   → NotifyRouted → AwaitPartnerReview → PartnerReviewed (placeholder; issue 4 continues from here)
 *                                                  ↘ (States.Timeout) NotifyReviewOverdue → PartnerReviewOverdue
 *     unrouted → NotifyUnrouted → QueuedForOperations
 *   any task failing for good → MarkFailed → NotifyFailed (operations) → ApplicationFailed (Fail)
 */
import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';

/** State names: the local runtime keys task handlers by them, tests and alarms refer to them. */
export const STATES = {
  sizeAsk: 'SizeAsk',
  draftBriefs: 'DraftBriefs',
  routePartner: 'RoutePartner',
  isRouted: 'IsRouted',
  notifyRouted: 'NotifyRouted',
  awaitPartnerReview: 'AwaitPartnerReview',
  partnerReviewed: 'PartnerReviewed',
  notifyReviewOverdue: 'NotifyReviewOverdue',
  partnerReviewOverdue: 'PartnerReviewOverdue',
  notifyUnrouted: 'NotifyUnrouted',
  queuedForOperations: 'QueuedForOperations',
  markFailed: 'MarkFailed',
  notifyFailed: 'NotifyFailed',
  applicationFailed: 'ApplicationFailed',
} as const;

/** Errors a task may retry: Lambda service hiccups plus the application's own `TransientError`. */
export const TRANSIENT_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'TransientError',
] as const;

/** Error name of the Fail state that ends the failure path. */
export const FAILURE_ERROR = 'ApplicationFailed';

/** Where a caught error lands in the state (`{ Error, Cause }`), read by MarkFailed. */
export const FAILURE_PATH = '$.failure';

/** Kinds of stored task tokens (AwaitReview keys the token by it, see keys.ts `taskTokenKey`). */
export const TASK_KINDS = { partnerReview: 'partner-review' } as const;

/** Events the Notify task is asked to mail about (functions/workflow/notify.ts NOTICES_BY_EVENT). */
export const NOTIFY_EVENTS = {
  routed: 'routed',
  unrouted: 'unrouted',
  reviewOverdue: 'partner-review-overdue',
  failed: 'failed',
} as const;

/** The task functions the definition invokes; one Lambda each, see docs/CONTRACTS.md. */
export interface WorkflowTaskFunctions {
  readonly sizeAsk: lambda.IFunction;
  readonly draftBriefs: lambda.IFunction;
  readonly routePartner: lambda.IFunction;
  readonly notify: lambda.IFunction;
  readonly awaitReview: lambda.IFunction;
  readonly markFailed: lambda.IFunction;
}

export interface WorkflowDefinitionProps {
  readonly functions: WorkflowTaskFunctions;
  /** How long a partner has to review before the reminder branch. */
  readonly partnerReviewTimeout: Duration;
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
    task.addCatch(this.failurePath, { errors: [sfn.Errors.ALL], resultPath: FAILURE_PATH });
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

/** The whole issue-3 workflow; returns its start state. */
export function buildDefinition(parent: Construct, props: WorkflowDefinitionProps): sfn.IChainable {
  const { functions: fns } = props;
  // States get their own scope: their ids are the state names, which may repeat the functions' construct ids.
  const scope = new Construct(parent, 'States');
  const t = new WorkflowTasks(scope, {
    markFailed: fns.markFailed,
    notify: fns.notify,
    lambdaTaskTimeout: props.lambdaTaskTimeout ?? Duration.seconds(60),
  });

  const sizeAsk = t.lambda(STATES.sizeAsk, fns.sizeAsk);
  const draftBriefs = t.lambda(STATES.draftBriefs, fns.draftBriefs);
  const routePartner = t.lambda(STATES.routePartner, fns.routePartner, {
    keep: { resultSelector: { 'routed.$': '$.Payload.routed' }, resultPath: '$.route' },
  });

  // Routed: confirm to the founder, assign to the partner, then wait on the partner's review.
  const partnerReviewed = new sfn.Succeed(scope, STATES.partnerReviewed, {
    comment: 'Placeholder: issue 4 continues with filing, AWS decision and credits.',
  });
  const reviewOverdue = t
    .lambda(STATES.notifyReviewOverdue, fns.notify, { payload: { event: NOTIFY_EVENTS.reviewOverdue } })
    .next(new sfn.Succeed(scope, STATES.partnerReviewOverdue, { comment: 'For now: reminder sent. Issue 4 re-routes.' }));
  const awaitReview = t.callback(STATES.awaitPartnerReview, fns.awaitReview, {
    kind: TASK_KINDS.partnerReview,
    timeout: props.partnerReviewTimeout,
    resultPath: '$.review',
    onTimeout: reviewOverdue,
  });
  const routed = t
    .lambda(STATES.notifyRouted, fns.notify, { payload: { event: NOTIFY_EVENTS.routed } })
    .next(awaitReview)
    .next(partnerReviewed);

  // Unrouted: operations are told; the application waits in their queue.
  const unrouted = t
    .lambda(STATES.notifyUnrouted, fns.notify, { payload: { event: NOTIFY_EVENTS.unrouted } })
    .next(new sfn.Succeed(scope, STATES.queuedForOperations, { comment: 'No partner matched; operations take over.' }));

  const isRouted = new sfn.Choice(scope, STATES.isRouted)
    .when(sfn.Condition.booleanEquals('$.route.routed', true), routed)
    .otherwise(unrouted);

  return sizeAsk.next(draftBriefs).next(routePartner).next(isRouted);
}

/**
 * Operations' actions (issue 9), each in the order that converges when repeated or cut by a crash:
 *   the DynamoDB write (one conditional UpdateItem: the transition with the operator as actor and the reason; skipped
 *   on a replay), then the effects, each idempotent, so repeating the request after a crash redoes only what is left:
 *
 * - redrive: failed → the status it failed from; the partner slot is booked again when that status holds one; a NEW
 *   execution named `<id>--ops-v<version>` enters at CheckStanding and carries on from there. Not RedriveExecution:
 *   every task's catch-all leads the execution into the failure path, which ENDS in the ApplicationFailed Fail state,
 *   so RedriveExecution would only re-run that Fail state; and the local Step Functions (aws-local-stepfunctions behind
 *   lib/local/sfn) has no RedriveExecution. A new execution from DynamoDB's standing works the same on both.
 * - reassign: book the new partner's slot first (a full partner is refused with 409 before anything changes), write,
 *   release the old slot, mail both partners and the founder, then wake the workflow: the waiting review is failed with
 *   ChangedWhileWaiting (→ NotifyChange → CheckStanding → a new review wait with the new partner); an unrouted
 *   application (its execution ended) gets a new execution. A crash after booking leaves a slot held for an
 *   application the partner does not have yet; repeating the request completes it (booking is per application).
 * - cancel: → withdrawn (before credits), release the slot, mail founder and partner, end the workflow (a waiting
 *   task is failed with ChangedWhileWaiting, else the execution is stopped).
 * - nudge (./ops-nudge.ts, its own function): a note in the timeline (status kept) and the pending reminder mailed
 *   again, at most once a day.
 * After the write the application's transitions are counted again in the pipeline counters (exactly once each).
 */
import type { Actor, Application } from '../../schemas/application.ts';
import type { ActionResponse } from '../../schemas/operations.ts';
import { type ApplicationRepository, applyTransition, countTransitions } from '../adapters/dynamo/applications.ts';
import { getTaskToken, setExecutionArn } from '../adapters/dynamo/applications-tasks.ts';
import { bookPartner, type PartnerRepository } from '../adapters/dynamo/partners.ts';
import { failTask } from '../adapters/workflow-engine.ts';
import { startNamedExecution } from '../adapters/workflow-restart.ts';
import type { Notifier } from './notifier.ts';
import type { Clock } from '../core/clock.ts';
import { endWorkflow } from './end-workflow.ts';
import { TASK_TOKEN_KINDS } from '../core/application/commands.ts';
import { ConflictError, NotFoundError } from '../core/errors.ts';
import { retryOnConflict } from '../core/conflict-retry.ts';
import { actionAnswer as answer, planCancel, planReassign, planRedrive, restartExecutionName, SLOT_HOLDING, type OpsPlan } from '../core/operations/actions.ts';

export interface ActionDeps {
  readonly tableName: string;
  readonly applications: ApplicationRepository;
  readonly partners: PartnerRepository;
  readonly notifier: Notifier;
  readonly stateMachineArn: string;
  readonly clock: Clock;
}


/** Apply (or find) the plan, re-reading and re-planning when a concurrent writer got there first. */
async function write(deps: ActionDeps, id: string, planOf: (app: Application, now: Date) => OpsPlan, before?: (app: Application, plan: OpsPlan) => Promise<void>) {
  return retryOnConflict(async (guarded) => {
    const current = await deps.applications.get(id);
    if (!current) throw new NotFoundError(`Application ${id} not found`);
    const plan = planOf(current, deps.clock.now());
    if (plan.kind === 'replay') return { app: current, before: current, version: plan.transition.version, applied: false };
    if (before) await before(current, plan);
    const app = await guarded(applyTransition(deps.applications, current, plan.plan, plan.changes));
    return { app, before: current, version: plan.plan.transition.version, applied: true };
  });
}

async function restart(deps: ActionDeps, app: Application, version: number, why: string): Promise<string> {
  const { executionArn } = await startNamedExecution(deps.stateMachineArn, restartExecutionName(app.id, version), { applicationId: app.id, resume: why });
  // Recorded every time: a repeat after a crash between the start and this write finds it unrecorded.
  await setExecutionArn(deps.applications, app.id, executionArn);
  return executionArn;
}


export async function redrive(deps: ActionDeps, id: string, actor: Actor, reason: string): Promise<ActionResponse> {
  const done = await write(deps, id, (app, now) => planRedrive(app, actor, reason, now));
  const { app } = done;
  if (done.applied && SLOT_HOLDING.includes(app.status) && app.partner) {
    // MarkFailed gave the slot back; the review resumes, so the partner holds it again (over capacity is allowed here:
    // the application was already theirs).
    await bookPartner(deps.partners, app.partner.partnerId, app.id, { overCapacity: true });
  }
  const executionArn = await restart(deps, app, done.version, 'redrive');
  await countTransitions(deps.applications, app, app.transitions, deps.clock.now());
  return answer('redrive', app, done.applied, `back to '${app.status}'; a new execution carries on from there`, executionArn);
}

export async function reassign(deps: ActionDeps, id: string, actor: Actor, partnerId: string, reason: string): Promise<ActionResponse> {
  const partner = await deps.partners.get(partnerId);
  if (!partner || partner.active === false) throw new NotFoundError(`No active partner '${partnerId}'`);
  let booked = false;
  const done = await write(deps, id, (app, now) => planReassign(app, actor, { id: partner.id, name: partner.name }, reason, now), async () => {
    if (!(await bookPartner(deps.partners, partner.id, id))) throw new ConflictError(`Partner ${partner.id} has no free review slot (capacity ${partner.capacity})`, 'partner-at-capacity');
    booked = true;
  }).catch(async (error: unknown) => {
    // Refused after booking (the application moved meanwhile): give the slot back.
    if (booked) await deps.partners.release(partner.id, id);
    throw error;
  });
  const { app, before } = done;
  // The partner it replaced (none when the application named the new partner already: that slot is the one booked).
  const replaced = done.applied ? before.partner?.partnerId : app.passedOverBy?.at(-1);
  const previous = replaced === partner.id ? undefined : replaced;
  if (previous) await deps.partners.release(previous, app.id);
  await deps.notifier.notifyTransitions(await deps.applications.mustGet(app.id));
  let executionArn: string | undefined;
  const routedFromUnrouted = app.transitions.find((t) => t.version === done.version)?.from === 'unrouted';
  if (routedFromUnrouted) {
    executionArn = await restart(deps, app, done.version, 'assigned');
  } else {
    const token = await getTaskToken(deps.applications, app.id, TASK_TOKEN_KINDS.partnerReview, deps.clock.now());
    // No stored token: the workflow is between tasks and reads the new assignment when it reaches the wait.
    if (token) await failTask(token.token, 'ChangedWhileWaiting', `reassigned to ${partner.id} by operations`);
  }
  await countTransitions(deps.applications, app, app.transitions, deps.clock.now());
  return answer('reassign', app, done.applied, `with ${partner.id} now${previous ? `; ${previous} released` : ''}; both partners and the founder are told`, executionArn);
}

export async function cancel(deps: ActionDeps, id: string, actor: Actor, reason: string): Promise<ActionResponse> {
  const done = await write(deps, id, (app, now) => planCancel(app, actor, reason, now));
  const { app } = done;
  if (app.partner) await deps.partners.release(app.partner.partnerId, app.id);
  await deps.notifier.notifyTransitions(await deps.applications.mustGet(app.id));
  await endWorkflow({ applications: deps.applications, partners: deps.partners, stateMachineArn: deps.stateMachineArn, clock: deps.clock }, app,
    { error: 'CancelledByOperations', cause: `cancelled by operations: ${reason}` }, deps.clock.now());
  await countTransitions(deps.applications, app, app.transitions, deps.clock.now());
  return answer('cancel', app, done.applied, 'withdrawn by operations; the workflow is ended, the partner slot released, the founder told');
}

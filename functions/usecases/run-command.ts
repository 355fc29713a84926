/**
 * Runs a planned human step (functions/core/application/review.ts) in the one order that converges:
 *   1. the DynamoDB write: one conditional UpdateItem with the transition appended (skipped on a replay),
 *   2. give back the partner's slot (idempotent per application),
 *   3. SendTaskSuccess with the stored task token (a spent or timed-out token counts as delivered),
 *   4. withdrawal ends the workflow (./end-workflow.ts, passed in the deps of the functions whose steps end one).
 * A crash or error after 1 leaves the database ahead of the workflow; repeating the request finds the outcome
 * recorded by the same actor (a replay) and redoes 2-4. A concurrent writer makes the write fail its condition: the
 * application is read again and the step re-planned (bounded), so identical concurrent requests converge on the
 * winner's outcome and different ones get 409 naming the current state.
 */
import type { Application, Transition } from '../../schemas/application.ts';
import { type ApplicationRepository, applyTransition } from '../adapters/dynamo/applications.ts';
import { getTaskToken, setExecutionArn } from '../adapters/dynamo/applications-tasks.ts';
import type { PartnerRepository } from '../adapters/dynamo/partners.ts';
import { logger } from '../adapters/observability.ts';
import type { Clock } from '../core/clock.ts';
import { completeTask, type TaskCallbackResult } from '../adapters/workflow-engine.ts';
import type { Command, Effects } from '../core/application/commands.ts';
import { NotFoundError } from '../core/errors.ts';
import { retryOnConflict } from '../core/conflict-retry.ts';
import { latestEscalation } from '../core/operations/escalation.ts';
import { RESUME_INPUT, resumeExecutionName } from '../core/operations/actions.ts';
import { startNamedExecution } from '../adapters/workflow-restart.ts';
import type { EndWorkflow } from './end-workflow.ts';

export interface CommandDeps {
  readonly applications: ApplicationRepository;
  readonly partners?: PartnerRepository;
  readonly stateMachineArn: string;
  readonly clock: Clock;
  /**
   * Ends the workflow for a step that plans `stopExecution` (the founder's withdrawal): ./end-workflow.ts endWorkflow.
   * Only the functions whose steps end a workflow pass it, so the others do not carry that code (issue 11 §1).
   */
  readonly endWorkflow?: EndWorkflow;
}

export interface CommandResult {
  readonly app: Application;
  /** The transition written now, or the one a replay found. */
  readonly transition: Transition | undefined;
  readonly replayed: boolean;
  /** What the callback to the workflow found (none planned: undefined). */
  readonly callback?: CallbackOutcome;
}

export type CallbackOutcome = TaskCallbackResult | 'no-token';

export async function runCommand(deps: CommandDeps, id: string, plan: (app: Application, now: Date) => Command): Promise<CommandResult> {
  const written = await writeCommand(deps, id, plan);
  const callback = await runEffects(deps, written.app, written.effects, written.now);
  return { app: written.app, transition: written.transition, replayed: written.replayed, ...(callback ? { callback } : {}) };
}

/** Step 1 alone: the write (or the replay it finds), re-planned after a lost race; the effects are left to the caller. */
export async function writeCommand(deps: CommandDeps, id: string, plan: (app: Application, now: Date) => Command): Promise<CommandResult & { effects: Effects; now: Date }> {
  // A lost race re-reads and re-plans: the winner's outcome may be ours (then it is a replay).
  return retryOnConflict(async (guarded) => {
    const current = await deps.applications.get(id);
    if (!current) throw new NotFoundError(`Application ${id} not found`);
    const now = deps.clock.now();
    const command = plan(current, now);
    let app = current;
    let transition: Transition | undefined;
    if (command.kind === 'apply') {
      app = await guarded(applyTransition(deps.applications, current, command.plan, command.changes));
      transition = command.plan.transition;
    } else {
      transition = command.transition;
    }
    return { app, transition, replayed: command.kind === 'replay', effects: command.effects, now };
  });
}

export async function runEffects(deps: CommandDeps, app: Application, effects: Effects, now: Date): Promise<CallbackOutcome | undefined> {
  if (effects.releaseSlotOf && deps.partners) await deps.partners.release(effects.releaseSlotOf, app.id);
  let callback: CallbackOutcome | undefined;
  if (effects.callback) {
    const latest = await latestToken(deps, app.id, effects.callback.kinds, now);
    if (latest) {
      callback = await completeTask(latest.token, effects.callback.output);
      logger.info('Workflow callback', { kinds: effects.callback.kinds, result: callback });
    } else {
      // Not waiting yet: the workflow reads the database when it reaches the wait, so nothing is lost.
      callback = 'no-token';
      logger.info('Workflow callback skipped: no stored task token', { kinds: effects.callback.kinds });
    }
    if (callback !== 'delivered') await resumeAfterEscalation(deps, app);
  }
  if (effects.stopExecution) {
    if (!deps.endWorkflow) throw new Error('runEffects: this step ends the workflow: pass endWorkflow (./end-workflow.ts) in its deps');
    await deps.endWorkflow(deps, app, effects.stopExecution, now);
  }
  return callback;
}

/**
 * An escalated application's execution ended when its reminders ran out (functions/core/operations/escalation.ts).
 * A change recorded on it afterwards (nobody waits for the callback) starts a new execution that enters at
 * CheckStanding, named after the escalation note: one per escalation, so a repeated or concurrent change starts
 * nothing more (ExecutionAlreadyExists), and a resumed execution that escalates again writes a new note.
 */
async function resumeAfterEscalation(deps: CommandDeps, app: Application): Promise<void> {
  const escalation = latestEscalation(app);
  if (!escalation || !OPEN_AFTER_ESCALATION.has(app.status)) return;
  const name = resumeExecutionName(app.id, escalation.version);
  const { executionArn, alreadyStarted } = await startNamedExecution(deps.stateMachineArn, name, { applicationId: app.id, [RESUME_INPUT]: 'a change recorded after an escalation' });
  if (!alreadyStarted) await setExecutionArn(deps.applications, app.id, executionArn);
  logger.info('Workflow resumed after an escalation', { alreadyStarted });
}

/** Statuses a resumed workflow has something to do in (a withdrawn or expired application stays ended). */
const OPEN_AFTER_ESCALATION: ReadonlySet<string> = new Set([
  'approved_for_filing', 'filed', 'in_aws_review', 'action_required', 'approved', 'rejected', 'credits_applied', 'expiring',
]);

/** The most recently stored task token among `kinds`, if any. */
export async function latestToken(deps: CommandDeps, id: string, kinds: readonly string[], now: Date): Promise<{ token: string; storedAt: string } | undefined> {
  const tokens = await Promise.all(kinds.map((kind) => getTaskToken(deps.applications, id, kind, now)));
  return tokens
    .filter((t): t is { token: string; storedAt: string } => t !== undefined)
    .sort((a, b) => b.storedAt.localeCompare(a.storedAt))[0];
}

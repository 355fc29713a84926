/**
 * The founder's steps after submission, as plans (commands.ts): answer a change request with a revised worksheet,
 * withdraw before filing. Kept apart from review.ts so the founder's Lambda does not bundle the ACE model.
 */
import type { Worksheet } from '../../../schemas/worksheet.ts';
import type { Application } from '../../../schemas/application.ts';
import { FOUNDER, sameActor, TASK_TOKEN_KINDS, type Command, type Effects } from './commands.ts';
import { ConflictError } from '../errors.ts';
import { planTransition } from './lifecycle.ts';
import { recordOf } from './record-state.ts';
import { changedPaths } from '../ace/edit.ts';
import { reconfirmation, revisionToConfirm } from '../address-confirmation.ts';

/**
 * Answer a change request with a full, validated worksheet (changes_requested → submitted). A revision that changes
 * the contact address or the AWS account asks for a confirmation from the (new) address (address-confirmation.ts
 * revisionToConfirm): the workflow re-sizes and re-drafts, then waits on that confirmation before the application
 * goes back to the partner, as at intake.
 */
export function planRevision(args: { app: Application; worksheet: Worksheet; requestHash: string; now: Date }): Command {
  const { app, worksheet, requestHash, now } = args;
  const effects: Effects = { callback: { kinds: [TASK_TOKEN_KINDS.founderRevision], output: { decision: 'revised' } } };
  for (let i = app.transitions.length - 1; i >= 0; i -= 1) {
    const t = app.transitions[i];
    if (!t || t.to === 'changes_requested') break; // a change request after the last revision: this one is new
    if (t.from === 'changes_requested' && t.to === 'submitted' && sameActor(t.actor, FOUNDER)) {
      if (app.revisionHash === requestHash) return { kind: 'replay', transition: t, effects };
      break;
    }
  }
  if (app.status !== 'changes_requested') {
    throw new ConflictError(`You cannot revise application ${app.id} now: a revision answers a partner's change request, and none is open (the application is '${app.status.replaceAll('_', ' ')}')`, app.status);
  }
  const toConfirm = revisionToConfirm(app.worksheet, worksheet);
  const plan = planTransition({
    current: app.status, version: app.version, to: 'submitted', actor: FOUNDER, now,
    reason: revisionReason(app.worksheet, worksheet, toConfirm),
  });
  const confirm = toConfirm.address || toConfirm.account;
  return {
    kind: 'apply', plan, effects,
    changes: { worksheet, revisionHash: requestHash, ...(confirm ? { addressConfirmation: reconfirmation(app.addressConfirmation) } : {}) },
  };
}

const MAX_CHANGED_FIELDS = 12;

/** The revision's reason names the worksheet fields that changed, so the partner sees what the answer was. */
export function revisionReason(before: Worksheet, after: Worksheet, toConfirm: { address?: boolean; account?: boolean } = {}): string {
  const changed = changedPaths(before, after);
  const listed = changed.slice(0, MAX_CHANGED_FIELDS).join(', ') + (changed.length > MAX_CHANGED_FIELDS ? ` and ${changed.length - MAX_CHANGED_FIELDS} more` : '');
  // The changed fields stay last: the partner's mail quotes what follows "; changed: ".
  const confirm = toConfirm.address
    ? ' (the new contact address is confirmed before it returns to the partner)'
    : toConfirm.account ? ' (the new AWS account is confirmed from the contact address before it returns to the partner)' : '';
  return `worksheet revised in answer to the change request${confirm}; ${changed.length ? `changed: ${listed}` : 'no field changed'}`;
}

/** Withdraw before filing; releases the partner's slot if one is held and stops the execution. */
export function planWithdraw(args: { app: Application; now: Date }): Command {
  const { app, now } = args;
  const effects: Effects = {
    ...(app.partner ? { releaseSlotOf: app.partner.partnerId } : {}),
    stopExecution: { error: 'Withdrawn', cause: 'The founder withdrew the application.' },
  };
  if (app.status === 'withdrawn') {
    return { kind: 'replay', transition: [...app.transitions].reverse().find((t) => t.to === 'withdrawn'), effects };
  }
  // The application's status follows its least advanced record, so it can read approved_for_filing while one of its
  // stacked records is already filed at ACE: that record exists at AWS, so withdrawal is over.
  const filed = (app.briefs ?? []).find((b) => !['draft', 'approved_for_filing'].includes(recordOf(b).status));
  if (filed) {
    throw new ConflictError(`The ${filed.programId} record is already '${recordOf(filed).status}' at ACE: an application can be withdrawn only before filing`, app.status);
  }
  const plan = planTransition({ current: app.status, version: app.version, to: 'withdrawn', actor: FOUNDER, now, reason: 'withdrawn by the founder' });
  return { kind: 'apply', plan, changes: {}, effects };
}

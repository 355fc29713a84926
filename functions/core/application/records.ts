/**
 * Planning a change of one stacked ACE record (`planRecordTransition`): the rules themselves are in
 * ./record-state.ts (re-exported here); an approval of a program funded through the Benefits API drafts its funding
 * request in the same transition (functions/core/ace/funding-draft.ts), which is why this module, and only this one
 * of the two, loads the ACE drafting code.
 */
import { draftFunding } from '../ace/funding-draft.ts';
import { planRecordMove, type RecordMove, type RecordTransitionPlan } from './record-state.ts';

export * from './record-state.ts';

/**
 * Plan a change of one record's status (with its new details) and the application status that follows.
 * Refused with 409 naming the record's current status when the rules do not allow it. An approved opportunity of a
 * program funded through the Benefits API gets its funding request drafted with the approval, in the same
 * transition (data/benefits.json; functions/core/ace/funding-draft.ts).
 */
export function planRecordTransition(args: RecordMove): RecordTransitionPlan {
  return planRecordMove(args, (brief, current) => draftFunding({ app: args.app, brief, opportunityId: args.details?.opportunityId ?? current.opportunityId }));
}

/**
 * EstimateAsk: the sizing engine on its own (estimate, eligibility and stacking, the priced rate card and programs).
 * No AWS client and no rights: SizeAsk reads the application and hands over the worksheet's sizing fields
 * (functions/core/sizing-worksheet.ts), this returns the estimate, and SizeAsk stores it. The engine is most of the
 * code that sizes an ask; kept apart, neither function carries what the other needs.
 */
import { systemClock } from '../adapters/clock.ts';
import { estimate } from '../core/estimate.ts';
import { object, record, text } from '../core/input-shape.ts';
import type { SizingWorksheet } from '../core/sizing-worksheet.ts';
import { workflowTask } from './task.ts';

// The state machine is the only caller, and SizeAsk built `worksheet` from a stored worksheet intake had checked.
const EstimateTaskInput = object({ applicationId: text({ min: 1 }), worksheet: record() });

export const handler = workflowTask('EstimateAsk', EstimateTaskInput, async ({ worksheet }) => ({
  estimate: estimate(worksheet as unknown as SizingWorksheet, { now: systemClock.now() }),
}));

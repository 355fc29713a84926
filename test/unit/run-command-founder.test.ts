/**
 * The founder's steps run without the escalation resume (functions/usecases/run-command.ts: runFounderCommand,
 * runFounderEffects), so the founder function loads no restart code. That is only right while each of them ends in a
 * status where a resumed workflow has nothing to do: the withdrawal ('withdrawn') and the address confirmation (taken
 * while the application is 'drafted', awaitingAddressConfirmation).
 */
import { describe, expect, it } from 'vitest';
import { OPEN_AFTER_ESCALATION } from '../../functions/usecases/run-command.ts';
import { awaitingAddressConfirmation } from '../../functions/core/address-confirmation.ts';

describe('founder steps and the escalation resume', () => {
  it('end in statuses no resumed workflow works on', () => {
    expect(OPEN_AFTER_ESCALATION.has('withdrawn')).toBe(false);
    expect(OPEN_AFTER_ESCALATION.has('drafted')).toBe(false);
    const awaiting = { requested: 1, sent: 1 };
    expect(awaitingAddressConfirmation({ status: 'drafted', addressConfirmation: awaiting } as never)).toBe(true);
    for (const status of OPEN_AFTER_ESCALATION) expect(awaitingAddressConfirmation({ status, addressConfirmation: awaiting } as never)).toBe(false);
  });

  it('the records stage is where a resume applies', () => {
    expect(OPEN_AFTER_ESCALATION.has('approved_for_filing')).toBe(true);
    expect(OPEN_AFTER_ESCALATION.has('credits_applied')).toBe(true);
  });
});

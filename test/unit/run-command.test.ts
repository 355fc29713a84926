/**
 * A step that ends the workflow (withdrawal) needs the code that ends it (functions/usecases/end-workflow.ts) in its
 * deps: only the functions whose steps end a workflow carry it. Without it the effects refuse loudly, before any call.
 */
import { describe, expect, it } from 'vitest';
import { ApplicationRepository } from '../../functions/adapters/dynamo/applications.ts';
import { runEffects } from '../../functions/usecases/run-command.ts';
import { systemClock } from '../../functions/adapters/clock.ts';
import { newApplication } from '../../functions/core/intake.ts';
import { exampleWorksheet } from '../support/fixtures.ts';

describe('runEffects', () => {
  const now = new Date('2026-12-01T12:00:00Z');
  const app = newApplication({ id: 'a1', worksheet: exampleWorksheet(), tokenHash: 'h', now });
  const base = { applications: new ApplicationRepository('t'), stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:x', clock: systemClock };
  const stop = { stopExecution: { error: 'Withdrawn', cause: 'The founder withdrew the application.' } };

  it('refuses to end the workflow without endWorkflow in its deps', async () => {
    await expect(runEffects(base, app, stop, now)).rejects.toThrow(/pass endWorkflow/);
  });

  it('ends it through endWorkflow when given, with the application and the stop planned', async () => {
    const calls: unknown[] = [];
    await runEffects({ ...base, endWorkflow: async (_deps, a, s) => void calls.push([a.id, s]) }, app, stop, now);
    expect(calls).toEqual([['a1', stop.stopExecution]]);
  });
});

import { newApplication, newFounderToken } from '../../functions/core/intake.ts';
import type { Application, ApplicationStatus, Transition } from '../../schemas/application.ts';
import { exampleWorksheet } from './fixtures.ts';

let made = 0;

/**
 * An application (in memory) whose timeline moves through the steps at the given times, each step by the system: for
 * the pipeline counters, which read only the transitions. Ids are `<prefix><n>`, a new one per call.
 */
export function applicationThrough(steps: ReadonlyArray<readonly [ApplicationStatus, string]>, idPrefix: string): Application {
  const [first, ...rest] = steps;
  if (!first) throw new Error('applicationThrough: at least the first step');
  let app = newApplication({ id: `${idPrefix}${(made += 1)}`, worksheet: exampleWorksheet(), tokenHash: newFounderToken().hash, now: new Date(first[1]) });
  for (const [to, at] of rest) {
    const t: Transition = { at, actor: { kind: 'system', id: 'test' }, from: app.status, to, reason: `to ${to}`, version: app.version + 1 };
    app = { ...app, status: to, version: t.version, updatedAt: at, transitions: [...app.transitions, t] };
  }
  return app;
}

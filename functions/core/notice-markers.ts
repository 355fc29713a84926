/**
 * Which transitions' notices have gone out: markers kept on the application (`notified`). Apart from
 * ./notifications.ts (the mails) so the repository, which every function loads, does not carry the mail
 * composition and the money code behind it (issue 11 §1, bundle size).
 */
import type { Application, Transition } from '../../schemas/application.ts';

export function transitionMarker(version: number): string {
  return `t:v${version}`;
}

/** Transitions whose notices have not all gone out yet. */
export function unnotifiedTransitions(app: Pick<Application, 'notified' | 'transitions'>): Transition[] {
  const notified = new Set(app.notified ?? []);
  return app.transitions.filter((t) => !notified.has(transitionMarker(t.version)));
}

/**
 * "Ledgerly Labs" → "Ledgerly Labs'", "Northwind" → "Northwind's" (no "Partners's"). Here, beside the markers, so the
 * workflow's wait (await-human-step.ts) words its reason without loading the notices and money formatting.
 */
export function possessive(name: string): string {
  return name.trim() + (/s\s*$/i.test(name) ? "'" : "'s");
}

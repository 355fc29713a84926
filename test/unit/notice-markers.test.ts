// Which transitions' notices have gone out (functions/core/notice-markers.ts), and the possessive the mails and the
// workflow's wait reason use. Applications are built in each test.
import { describe, expect, it } from 'vitest';
import { possessive, transitionMarker, unnotifiedTransitions } from '../../functions/core/notice-markers.ts';
import type { Transition } from '../../schemas/application.ts';

const transition = (version: number): Transition => ({
  at: '2026-12-01T00:00:00.000Z', actor: { kind: 'system', id: 't' }, from: 'submitted', to: 'routed', reason: 'r', version,
});

describe('notice markers', () => {
  it('a transition is marked by its version', () => {
    expect(transitionMarker(7)).toBe('t:v7');
  });

  it('the transitions without a marker, in order; none is notified on an application that has no markers', () => {
    const transitions = [transition(1), transition(2), transition(3)];
    expect(unnotifiedTransitions({ transitions })).toStrictEqual(transitions);
    expect(unnotifiedTransitions({ transitions, notified: [] })).toStrictEqual(transitions);
    expect(unnotifiedTransitions({ transitions, notified: ['t:v2', 'founder-confirmation:v1', 'v3', 't:v30'] })).toStrictEqual([transitions[0], transitions[2]]);
    expect(unnotifiedTransitions({ transitions, notified: ['t:v1', 't:v2', 't:v3'] })).toStrictEqual([]);
  });
});

describe('possessive', () => {
  it('adds an apostrophe after a final s (either case), apostrophe-s otherwise', () => {
    expect(possessive('Ledgerly Labs')).toBe("Ledgerly Labs'");
    expect(possessive('NORTHWIND PARTNERS')).toBe("NORTHWIND PARTNERS'");
    expect(possessive('Northwind')).toBe("Northwind's");
    expect(possessive('Stripe')).toBe("Stripe's");
    expect(possessive('Labs Inc')).toBe("Labs Inc's");
  });

  it('reads the name without surrounding spaces (a partner name in data/partners.json is not trimmed by its schema)', () => {
    expect(possessive('  Northwind Cloud Partners  ')).toBe("Northwind Cloud Partners'");
    expect(possessive('Northwind\t')).toBe("Northwind's");
    expect(possessive(' Bass \n')).toBe("Bass'");
  });
});

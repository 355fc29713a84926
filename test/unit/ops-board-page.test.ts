// The operations board's own script, read from the page it serves: the refresh period comes from the URL
// (`?refresh=N`), so anyone can send an operator a link with any N. Browsers run a setInterval whose delay exceeds
// 2^31 - 1 ms at once, again and again: `?refresh=9999999` made the board call every operations route without pause.
import { describe, expect, it } from 'vitest';
import { OPS_BOARD_HTML } from '../../functions/http/ops-board-page.ts';

const MAX_TIMER_MS = 2 ** 31 - 1;

/** The page's expression for the refresh period, evaluated on a query string. */
function refreshSecondsFor(search: string): number {
  const expr = /var refreshSeconds = ([^;]+);/.exec(OPS_BOARD_HTML)?.[1];
  if (!expr) throw new Error('the board no longer computes refreshSeconds as expected');
  return new Function('params', `return ${expr};`)(new URLSearchParams(search)) as number;
}

describe('the operations board refresh period (?refresh=N seconds)', () => {
  it('is 15 s by default and never below 2 s', () => {
    expect(refreshSecondsFor('')).toBe(15);
    expect(refreshSecondsFor('refresh=abc')).toBe(15);
    expect(refreshSecondsFor('refresh=0')).toBe(15);
    expect(refreshSecondsFor('refresh=1')).toBe(2);
    expect(refreshSecondsFor('refresh=-5')).toBe(2);
    expect(refreshSecondsFor('refresh=60')).toBe(60);
  });

  it('is at most an hour, so a crafted link can never give the timer a delay the browser runs at once', () => {
    for (const n of ['3601', '2147484', '9999999', '1e309', 'Infinity']) {
      const seconds = refreshSecondsFor(`refresh=${n}`);
      expect(seconds, n).toBe(3600);
      expect(seconds * 1000, n).toBeLessThanOrEqual(MAX_TIMER_MS);
    }
  });
});

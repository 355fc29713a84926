// A clock the local runtime can move. Everything in the local Step Functions stand-in that waits on time (task
// TimeoutSeconds, HeartbeatSeconds, Wait states, the execution's TimeoutSeconds) schedules on this clock rather than on
// bare setTimeout, so `POST /__local/clock` (or `clock.advance()` in tests) makes hours or months pass at once.
//
// Real time keeps flowing underneath: now() = real Date.now() + offset (process-clock.ts keeps the real Date reachable
// when the local runtime makes the whole process tell time by this clock). advance() raises the offset and fires every timer
// that became due, in due order. Timers are unref'd so they never keep a process alive on their own.

import { realNow } from './process-clock.ts';

export interface ClockTimer {
  readonly dueAt: number;
  cancel(): void;
}

export interface Clock {
  /** Epoch milliseconds on the (possibly moved) clock. */
  now(): number;
  /** Run `fn` once now() >= dueAt (immediately on a later advance() past it). */
  at(dueAt: number, fn: () => void): ClockTimer;
  /** Moves the clock forward by `ms` (>= 0) and fires due timers; returns the new now(). */
  advance(ms: number): number;
  /** Moves the clock to `epochMs` (never backwards). */
  set(epochMs: number): number;
  /** Milliseconds the clock is ahead of real time. */
  offsetMs(): number;
  /** Timers waiting. */
  pending(): number;
}

const MAX_TIMEOUT_MS = 2_147_483_647;

interface Entry {
  dueAt: number;
  fn: () => void;
  handle: NodeJS.Timeout | undefined;
  done: boolean;
}

export class MovableClock implements Clock {
  #offset: number;
  readonly #entries = new Set<Entry>();

  constructor(opts: { offsetMs?: number } = {}) {
    this.#offset = opts.offsetMs ?? 0;
  }

  now(): number {
    return realNow() + this.#offset;
  }

  offsetMs(): number {
    return this.#offset;
  }

  pending(): number {
    return this.#entries.size;
  }

  at(dueAt: number, fn: () => void): ClockTimer {
    const entry: Entry = { dueAt, fn, handle: undefined, done: false };
    this.#entries.add(entry);
    this.#arm(entry);
    return {
      dueAt,
      cancel: () => {
        entry.done = true;
        if (entry.handle) clearTimeout(entry.handle);
        this.#entries.delete(entry);
      },
    };
  }

  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the clock only moves forward');
    this.#offset += ms;
    this.#fireDue();
    return this.now();
  }

  set(epochMs: number): number {
    return this.advance(Math.max(0, epochMs - this.now()));
  }

  #arm(entry: Entry): void {
    if (entry.handle) clearTimeout(entry.handle);
    const delay = Math.min(Math.max(0, entry.dueAt - this.now()), MAX_TIMEOUT_MS);
    entry.handle = setTimeout(() => {
      if (entry.done) return;
      if (this.now() >= entry.dueAt) this.#fire(entry);
      else this.#arm(entry); // longer than setTimeout's range: re-arm
    }, delay);
    entry.handle.unref();
  }

  #fire(entry: Entry): void {
    entry.done = true;
    if (entry.handle) clearTimeout(entry.handle);
    this.#entries.delete(entry);
    entry.fn();
  }

  #fireDue(): void {
    const now = this.now();
    const due = [...this.#entries].filter((e) => e.dueAt <= now).sort((a, b) => a.dueAt - b.dueAt);
    for (const e of due) if (!e.done) this.#fire(e);
    for (const e of this.#entries) this.#arm(e);
  }
}

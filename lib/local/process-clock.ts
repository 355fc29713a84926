// Makes the whole local process tell the time by the movable clock: `Date.now()` and `new Date()` read the clock,
// so every handler's "now" (they call `new Date()` like in Lambda) moves with POST /__local/clock, without any code
// path in functions/ knowing it runs locally. Timers (setTimeout) keep real time; the local Step Functions
// schedules its waits on the clock itself (clock.ts).
//
// The real Date stays reachable (`RealDate`, `realNow()`): the clock measures real time with it, so installing this
// never feeds the offset back into itself.

const REAL_DATE = Symbol.for('ace-filing.local.realDate');
type Holder = typeof globalThis & { [REAL_DATE]?: DateConstructor };
const holder = globalThis as Holder;
holder[REAL_DATE] ??= Date;

/** The platform's Date, never offset. */
export const RealDate: DateConstructor = holder[REAL_DATE];

/** Real epoch milliseconds (not moved by the clock). */
export function realNow(): number {
  return RealDate.now();
}

export interface OffsetSource {
  offsetMs(): number;
}

let installed: OffsetSource | undefined;

/**
 * Installs a process-wide Date whose current time is real time + `source.offsetMs()`. Returns the uninstaller.
 * Installing again replaces the source (one clock per process).
 */
export function installProcessClock(source: OffsetSource): () => void {
  installed = source;
  const now = (): number => RealDate.now() + (installed?.offsetMs() ?? 0);
  function ClockDate(this: unknown, ...args: unknown[]): Date | string {
    // Called without `new`, Date returns the current time as a string.
    if (!new.target) return new RealDate(now()).toString();
    return args.length === 0 ? new RealDate(now()) : new (RealDate as unknown as new (...a: unknown[]) => Date)(...args);
  }
  Object.setPrototypeOf(ClockDate, RealDate);
  ClockDate.prototype = RealDate.prototype;
  Object.defineProperty(ClockDate, 'now', { value: now, writable: true, configurable: true });
  globalThis.Date = ClockDate as unknown as DateConstructor;
  return () => {
    if (installed === source) {
      installed = undefined;
      globalThis.Date = RealDate;
    }
  };
}

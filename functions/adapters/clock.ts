/**
 * The real clock. Locally it follows the movable clock too (lib/local/process-clock.ts moves the process's Date),
 * so no code path in functions/ knows it runs locally.
 */
import type { Clock } from '../core/clock.ts';

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

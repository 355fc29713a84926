/**
 * Time, for code outside the core: handlers and use cases read it from a Clock (functions/adapters/clock.ts in
 * Lambda and locally, a fake in tests), the core is handed `now`.
 */
export interface Clock {
  now(): Date;
  sleep(ms: number): Promise<void>;
}

/**
 * The one retry loop for a version-guarded write that lost a race (a ConflictError from the write itself). Each
 * attempt re-reads and re-plans; only a conflict from the write passed through `guarded` is retried, so a planner's
 * own 409 (the state does not allow the request) or any other error surfaces at once, as before.
 */
import { ConflictError } from './errors.ts';

/** How often a write is tried (the first time included) before its last ConflictError is thrown. */
export const CONFLICT_RETRY_ATTEMPTS = 5;

/**
 * Run `attempt` (read, plan, `await guarded(write)`) until it returns, at most `attempts` times.
 * Re-running is safe: a lost optimistic-lock write changed nothing, and the next attempt plans from the state as stored now.
 */
export async function retryOnConflict<T>(attempt: (guarded: <W>(write: Promise<W>) => Promise<W>) => Promise<T>, attempts = CONFLICT_RETRY_ATTEMPTS): Promise<T> {
  for (;;) {
    const again = {};
    try {
      return await attempt((write) => write.catch((error: unknown) => {
        throw error instanceof ConflictError && --attempts > 0 ? again : error;
      }));
    } catch (error) {
      if (error !== again) throw error;
    }
  }
}

/**
 * Retry delays for the sync loop: exponential with "equal jitter", so that
 * kiosks that lost the network together do not all come back in the same
 * second, and never longer than `maxMs`.
 */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export const SYNC_BACKOFF: BackoffPolicy = { baseMs: 1000, maxMs: 60_000 };

/** Delay before retry number `attempt` (0 = the first retry); `random` in [0, 1). */
export function retryDelay(attempt: number, random: number, policy: BackoffPolicy = SYNC_BACKOFF): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

import type { Clock } from "./clock.js";

/**
 * Token bucket per key: `limit` requests per minute with bursts up to
 * `limit`. In memory, per process: with several replicas each enforces its
 * own share, which is enough to stop a runaway kiosk.
 */
export function createRateLimiter(limitPerMinute: number, clock: Clock, maxKeys = 100_000) {
  const refillPerMs = limitPerMinute / 60_000;
  const buckets = new Map<string, { tokens: number; at: number }>();

  return {
    /** Takes one token; returns 0 when allowed, else the seconds to wait (for `Retry-After`). */
    take(key: string): number {
      const now = clock.now().getTime();
      const bucket = buckets.get(key) ?? { tokens: limitPerMinute, at: now };
      // A clock stepping backwards (NTP) must not drain the bucket.
      bucket.tokens = Math.min(limitPerMinute, bucket.tokens + Math.max(0, now - bucket.at) * refillPerMs);
      bucket.at = now;
      if (buckets.size >= maxKeys && !buckets.has(key)) buckets.delete(buckets.keys().next().value as string);
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerMs / 1000));
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;

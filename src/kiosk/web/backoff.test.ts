import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { retryDelay, SYNC_BACKOFF } from "./backoff.js";

describe("sync retry delays", () => {
  it("doubles the ceiling per attempt, keeps at least half of it, and never exceeds the maximum", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, random) => {
          const ceiling = Math.min(SYNC_BACKOFF.maxMs, SYNC_BACKOFF.baseMs * 2 ** attempt);
          const delay = retryDelay(attempt, random);
          expect(delay).toBeGreaterThanOrEqual(Math.floor(ceiling / 2));
          expect(delay).toBeLessThanOrEqual(ceiling);
        },
      ),
    );
  });

  it("spreads kiosks that failed together over half the window (jitter)", () => {
    expect(retryDelay(3, 0)).toBe(4000);
    expect(retryDelay(3, 0.999)).toBeGreaterThan(7990);
    expect(retryDelay(0, 0.5)).toBe(750);
    expect(retryDelay(40, 0.5)).toBe(45_000);
  });
});

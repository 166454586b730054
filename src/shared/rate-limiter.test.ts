import { describe, expect, it } from "vitest";
import { fixedClock } from "./clock.js";
import { createRateLimiter } from "./rate-limiter.js";

describe("createRateLimiter", () => {
  it("allows the limit per minute, then says how long to wait", () => {
    const clock = fixedClock(new Date("2026-01-01T00:00:00Z"));
    const limiter = createRateLimiter(60, clock);
    for (let i = 0; i < 60; i++) expect(limiter.take("k")).toBe(0);
    expect(limiter.take("k")).toBe(1);
    clock.advance(1000);
    expect(limiter.take("k")).toBe(0);
  });

  it("keeps kiosks apart", () => {
    const limiter = createRateLimiter(1, fixedClock(new Date(0)));
    expect(limiter.take("a")).toBe(0);
    expect(limiter.take("a")).toBe(60);
    expect(limiter.take("b")).toBe(0);
  });

  it("does not drain when the clock steps backwards", () => {
    const clock = fixedClock(new Date("2026-01-01T00:10:00Z"));
    const limiter = createRateLimiter(2, clock);
    expect(limiter.take("k")).toBe(0);
    clock.advance(-600_000);
    expect(limiter.take("k")).toBe(0);
  });
});

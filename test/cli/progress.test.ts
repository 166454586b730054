import { describe, expect, it } from "vitest";
import { createProgress } from "../../src/cli/progress.js";

function stream(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, write: (chunk: string) => chunks.push(chunk), isTTY };
}

describe("progress on stderr", () => {
  it("prints one line per 10 % when stderr is not a terminal", () => {
    const target = stream(false);
    const progress = createProgress(target, { total: 1000, label: "Seeding votes" });
    for (let done = 50; done <= 1000; done += 50) progress.update(done);
    progress.finish();
    expect(target.chunks).toHaveLength(10);
    expect(target.chunks[0]).toBe("Seeding votes: 10% (100/1,000)\n");
    expect(target.chunks[9]).toBe("Seeding votes: 100% (1,000/1,000)\n");
  });

  it("redraws a terminal bar at most ten times a second, with the rate", () => {
    const target = stream(true);
    let now = 0;
    const progress = createProgress(target, { total: 100_000, label: "Seeding votes", now: () => now });
    for (let done = 1000; done <= 100_000; done += 1000) {
      now += 20;
      progress.update(done);
    }
    progress.finish();
    // 100 updates over 2 s: about 20 redraws plus the final one, never one per update.
    expect(target.chunks.length).toBeGreaterThan(15);
    expect(target.chunks.length).toBeLessThan(30);
    const last = target.chunks.at(-2) ?? "";
    expect(last).toContain("100% 100,000/100,000");
    expect(last).toContain("50,000/s");
    expect(target.chunks.at(-1)).toBe("\n");
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { percentOf, pointsChange } from "./percent.js";

describe("percentOf", () => {
  it.each([
    [1, 3, 33.3],
    [2, 3, 66.7],
    [1, 8, 12.5],
    [1, 16, 6.3],
    [3, 16, 18.8],
    [1, 2000, 0.1],
    [1, 2001, 0],
    [0, 7, 0],
    [7, 7, 100],
    [150, 100, 150],
    [1, 0, null],
  ])("%i of %i is %s", (part, whole, expected) => {
    expect(percentOf(part, whole)).toBe(expected);
  });

  it("rounds half away from zero exactly, like decimal arithmetic", () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.integer({ min: 1, max: 1_000_000 }), (part, whole) => {
        const tenths = (BigInt(part) * 2000n + BigInt(whole)) / (2n * BigInt(whole));
        expect(percentOf(part, whole)).toBe(Number(tenths) / 10);
      }),
    );
  });

  it("refuses negative or fractional counts", () => {
    expect(() => percentOf(-1, 3)).toThrow(RangeError);
    expect(() => percentOf(1.5, 3)).toThrow(RangeError);
  });
});

describe("pointsChange", () => {
  it.each([
    [81.3, 79.9, 1.4],
    [79.9, 81.3, -1.4],
    [50, 50, 0],
    [0.1, 0.3, -0.2],
    [null, 50, null],
    [50, null, null],
  ])("%s minus %s is %s", (current, earlier, expected) => {
    expect(pointsChange(current, earlier)).toBe(expected);
  });
});

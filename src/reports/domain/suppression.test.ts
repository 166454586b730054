import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createCellSheet, isSmallCount, publishCell, suppressCells } from "./suppression.js";

const hiddenIn = (group: readonly number[], suppressed: readonly boolean[]) =>
  group.filter((i) => suppressed[i]).length;

describe("isSmallCount", () => {
  it.each([
    [0, 5, false],
    [1, 5, true],
    [4, 5, true],
    [5, 5, false],
    [2, 3, true],
    [3, 3, false],
    [1, 1, false],
  ])("count %i with minimum %i: %s", (count, minimum, small) => {
    expect(isSmallCount(count, minimum)).toBe(small);
  });
});

describe("suppressCells on one row", () => {
  it.each<[string, number[], boolean[]]>([
    ["hides nothing when every cell is 0 or at least 5", [0, 5, 40], [false, false, false]],
    ["hides a small cell and the smallest other one", [3, 30, 12], [true, false, true]],
    ["hides a zero as the second cell", [0, 2, 40], [true, true, false]],
    ["leaves two small cells as they are", [1, 4, 40], [true, true, false]],
    ["hides all three when all are small", [1, 2, 3], [true, true, true]],
    ["breaks ties towards the earlier cell", [2, 7, 7], [true, true, false]],
  ])("%s", (_name, counts, expected) => {
    expect(suppressCells(counts, [[0, 1, 2]], 5)).toEqual(expected);
  });

  it("never leaves a small count visible nor a hidden one computable from the exact total (every row up to 12)", () => {
    for (let a = 0; a <= 12; a += 1) {
      for (let b = 0; b <= 12; b += 1) {
        for (let c = 0; c <= 12; c += 1) {
          const counts = [a, b, c];
          const suppressed = suppressCells(counts, [[0, 1, 2]], 5);
          counts.forEach((count, i) => {
            if (isSmallCount(count, 5)) expect(suppressed[i]).toBe(true);
          });
          expect(hiddenIn([0, 1, 2], suppressed)).not.toBe(1);
          if (!counts.some((count) => isSmallCount(count, 5))) expect(suppressed).toEqual([false, false, false]);
        }
      }
    }
  });
});

describe("suppressCells across relations", () => {
  it("carries suppression from a service up to its desk when a sibling would give it away", () => {
    // Cells: service A (0..2), service B (3..5), desk (6..8); desk = A + B judgment by judgment.
    const counts = [3, 20, 10, 30, 20, 10, 33, 40, 20];
    const groups = [
      [0, 1, 2],
      [3, 4, 5],
      [6, 7, 8],
      [0, 3, 6],
      [1, 4, 7],
      [2, 5, 8],
    ];
    const suppressed = suppressCells(counts, groups, 5);
    for (const group of groups) expect(hiddenIn(group, suppressed)).not.toBe(1);
    expect(suppressed[0]).toBe(true);
  });

  it("treats hidden cells as unknown from the start", () => {
    expect(suppressCells([3, 9], [[0, 1]], 5, { hidden: [false, false] })).toEqual([true, true]);
    expect(suppressCells([30, 9, 39], [[0, 1, 2]], 5, { hidden: [true, true, false] })).toEqual([true, true, false]);
  });

  it("leaves no relation with exactly one hidden cell, for any counts and relations", () => {
    const problem = fc
      .array(fc.oneof(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 200 })), {
        minLength: 2,
        maxLength: 30,
      })
      .chain((counts) =>
        fc.record({
          counts: fc.constant(counts),
          groups: fc.array(fc.uniqueArray(fc.nat(counts.length - 1), { minLength: 2, maxLength: 6 }), {
            maxLength: 20,
          }),
          minimum: fc.integer({ min: 1, max: 10 }),
        }),
      );
    fc.assert(
      fc.property(problem, ({ counts, groups, minimum }) => {
        const suppressed = suppressCells(counts, groups, minimum);
        for (const group of groups) expect(hiddenIn(group, suppressed)).not.toBe(1);
        counts.forEach((count, i) => {
          if (isSmallCount(count, minimum)) expect(suppressed[i]).toBe(true);
        });
        expect(suppressCells(counts, groups, minimum)).toEqual(suppressed);
      }),
    );
  });
});

describe("createCellSheet", () => {
  it("solves the cells and relations it collected", () => {
    const sheet = createCellSheet();
    const small = sheet.add(2);
    const large = sheet.add(50);
    const never = sheet.add(80, { hidden: true });
    sheet.row([small, large], 52);
    const isSuppressed = sheet.solve(5);
    expect([isSuppressed(small), isSuppressed(large), isSuppressed(never)]).toEqual([true, true, true]);
    expect(sheet.count(large)).toBe(50);
  });
});

describe("createCellSheet zero leaks", () => {
  it("hides a published zero parent whose child was hidden as cover, since its children would read as zeros", () => {
    // One service (1, 0, 0) under an entity row (1, 0, 0): hiding the service's zero is no cover if the entity shows 0.
    const sheet = createCellSheet();
    const service = [sheet.add(1), sheet.add(0), sheet.add(0)];
    const entity = [sheet.add(1), sheet.add(0), sheet.add(0)];
    sheet.row(service, 1);
    sheet.row(entity, 1);
    service.forEach((cell, i) => {
      sheet.sum(entity[i] ?? -1, [cell]);
    });
    const isSuppressed = sheet.solve(5);
    expect(service.map(isSuppressed)).toEqual([true, true, false]);
    expect(entity.map(isSuppressed)).toEqual([true, true, false]);
  });

  it("never uses the cells of a row whose exact total is zero as cover", () => {
    const sheet = createCellSheet();
    const empty = [sheet.add(0), sheet.add(0), sheet.add(0)];
    const small = [sheet.add(2), sheet.add(0), sheet.add(0)];
    const parent = [sheet.add(2), sheet.add(0), sheet.add(0)];
    sheet.row(empty, 0);
    sheet.row(small, 2);
    sheet.row(parent, 2);
    parent.forEach((cell, i) => {
      sheet.sum(cell, [empty[i] ?? -1, small[i] ?? -1]);
    });
    const isSuppressed = sheet.solve(5);
    expect(empty.map(isSuppressed)).toEqual([false, false, false]);
    expect(isSuppressed(parent[0] ?? -1)).toBe(true);
  });
});

describe("publishCell", () => {
  it.each([
    [3, true, 10, { count: null, suppressed: true, percent: null }],
    [3, false, 10, { count: 3, suppressed: false, percent: 30 }],
    [0, false, 0, { count: 0, suppressed: false, percent: null }],
    [5, false, null, { count: 5, suppressed: false, percent: null }],
  ])("count %i, suppressed %s, of %s", (count, suppressed, total, cell) => {
    expect(publishCell(count, suppressed, total)).toEqual(cell);
  });
});

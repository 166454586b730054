import { describe, expect, it } from "vitest";
import { dueMonths, localTime } from "./schedule.js";

const rome = (since = "2026-01-15T10:00:00Z") => ({
  timezone: "Europe/Rome",
  dayOfMonth: 1,
  hour: 3,
  since: new Date(since),
});

describe("monthly report schedule", () => {
  it("makes October's draft from 1 November 03:00 Rome time, not a minute before", () => {
    // 1 Nov 2026 03:00 in Rome is 02:00Z (CET, after the DST change of 25 Oct).
    expect(dueMonths(rome("2026-10-10T00:00:00Z"), new Date("2026-11-01T01:59:59Z"))).toEqual([]);
    expect(dueMonths(rome("2026-10-10T00:00:00Z"), new Date("2026-11-01T02:00:00Z"))).toEqual(["2026-10"]);
  });

  it("uses summer time when the run falls in it (1 April 03:00 CEST is 01:00Z)", () => {
    expect(dueMonths(rome("2026-03-10T00:00:00Z"), new Date("2026-04-01T00:59:00Z"))).toEqual([]);
    expect(dueMonths(rome("2026-03-10T00:00:00Z"), new Date("2026-04-01T01:00:00Z"))).toEqual(["2026-03"]);
  });

  it("catches up every month missed while the gateway was down, back to the entity's creation", () => {
    expect(dueMonths(rome("2026-06-20T00:00:00Z"), new Date("2026-11-26T12:00:00Z"))).toEqual([
      "2026-06",
      "2026-07",
      "2026-08",
      "2026-09",
      "2026-10",
    ]);
  });

  it("looks back at most twelve months", () => {
    const due = dueMonths(rome("2020-01-01T00:00:00Z"), new Date("2026-11-26T12:00:00Z"));
    expect(due).toHaveLength(12);
    expect(due[0]).toBe("2025-11");
    expect(due.at(-1)).toBe("2026-10");
  });

  it("honours a configured day and hour", () => {
    const schedule = { ...rome("2026-01-01T00:00:00Z"), dayOfMonth: 5, hour: 8 };
    expect(dueMonths(schedule, new Date("2026-11-05T06:59:00Z")).at(-1)).toBe("2026-09");
    expect(dueMonths(schedule, new Date("2026-11-05T07:00:00Z")).at(-1)).toBe("2026-10");
  });

  it("reads the wall clock in the entity's timezone", () => {
    expect(localTime(new Date("2026-10-31T23:30:00Z"), "Europe/Rome")).toEqual({
      year: 2026,
      month: 11,
      day: 1,
      hour: 0,
    });
    expect(localTime(new Date("2026-10-31T23:30:00Z"), "UTC")).toEqual({ year: 2026, month: 10, day: 31, hour: 23 });
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  customPeriod,
  lastPeriods,
  monthPeriod,
  parsePeriod,
  periodContaining,
  periodDays,
  periodIncludes,
  previousPeriod,
  quarterPeriod,
  samePeriodYearAgo,
  yearPeriod,
} from "./period.js";
import type { ReportPeriod } from "./report-document.js";

/** Zones with awkward rules: DST at 02:00 (Rome), at midnight (Santiago), half-hour DST (Lord Howe), none (Kolkata). */
const zones = ["Europe/Rome", "America/Santiago", "Australia/Lord_Howe", "Asia/Kolkata", "America/New_York", "UTC"];
const zone = fc.constantFrom(...zones);
const year = fc.integer({ min: 1990, max: 2060 });
const month = fc.integer({ min: 1, max: 12 });
const instant = fc.date({
  min: new Date("1990-06-01T00:00:00Z"),
  max: new Date("2060-06-01T00:00:00Z"),
  noInvalidDate: true,
});

function localDay(at: number, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

describe("period boundaries", () => {
  it.each<[string, ReportPeriod, string, string]>([
    ["October 2026 in Rome (DST ends 25 Oct)", monthPeriod(2026, 10), "2026-09-30T22:00:00Z", "2026-10-31T23:00:00Z"],
    ["March 2026 in Rome (DST starts 29 Mar)", monthPeriod(2026, 3), "2026-02-28T23:00:00Z", "2026-03-31T22:00:00Z"],
    ["Q4 2026 in Rome", quarterPeriod(2026, 4), "2026-09-30T22:00:00Z", "2026-12-31T23:00:00Z"],
    ["2026 in Rome", yearPeriod(2026), "2025-12-31T23:00:00Z", "2026-12-31T23:00:00Z"],
    [
      "a custom fortnight in Rome",
      customPeriod("2026-10-01", "2026-10-15"),
      "2026-09-30T22:00:00Z",
      "2026-10-15T22:00:00Z",
    ],
    ["February 2028 (leap year) in UTC", monthPeriod(2028, 2, "UTC"), "2028-02-01T00:00:00Z", "2028-03-01T00:00:00Z"],
  ])("%s", (_name, period, start, end) => {
    expect(period.start).toBe(start);
    expect(period.end).toBe(end);
  });

  it("describes October 2026 completely", () => {
    expect(monthPeriod(2026, 10, "Europe/Rome")).toEqual({
      kind: "month",
      label: "2026-10",
      firstDay: "2026-10-01",
      lastDay: "2026-10-31",
      timezone: "Europe/Rome",
      start: "2026-09-30T22:00:00Z",
      end: "2026-10-31T23:00:00Z",
    });
  });

  it("starts a day whose midnight does not exist at the clock jump (Santiago, 6 Sep 2026)", () => {
    const day = customPeriod("2026-09-06", "2026-09-06", "America/Santiago");
    const start = Date.parse(day.start);
    expect(localDay(start, "America/Santiago")).toBe("2026-09-06");
    expect(localDay(start - 1000, "America/Santiago")).toBe("2026-09-05");
    expect(Date.parse(day.end) - start).toBe(23 * 3_600_000);
  });

  it("rejects impossible arguments", () => {
    expect(() => monthPeriod(2026, 13)).toThrow(RangeError);
    expect(() => quarterPeriod(2026, 0)).toThrow(RangeError);
    expect(() => monthPeriod(2026, 1, "Mars/Olympus")).toThrow(/time zone/);
    expect(() => customPeriod("2026-10-15", "2026-10-01")).toThrow(/before/);
    expect(() => customPeriod("2026-02-30", "2026-03-01")).toThrow(/calendar date/);
  });

  it("starts each period at local midnight of its first day and ends at local midnight after its last", () => {
    fc.assert(
      fc.property(year, month, zone, (y, m, z) => {
        const period = monthPeriod(y, m, z);
        const start = Date.parse(period.start);
        const end = Date.parse(period.end);
        expect(localDay(start, z)).toBe(period.firstDay);
        expect(localDay(start - 1000, z)).not.toBe(period.firstDay);
        expect(localDay(end - 1000, z)).toBe(period.lastDay);
        expect(localDay(end, z)).not.toBe(period.lastDay);
      }),
    );
  });
});

describe("consecutive periods", () => {
  it.each(["month", "quarter", "year"] as const)("tile time with no gap or overlap (%s)", (kind) => {
    fc.assert(
      fc.property(instant, zone, (at, z) => {
        const period = periodContaining(at, kind, z);
        const previous = previousPeriod(period);
        expect(previous.kind).toBe(kind);
        expect(previous.end).toBe(period.start);
        expect(Date.parse(previous.start)).toBeLessThan(Date.parse(previous.end));
        expect(Date.parse(period.start)).toBeLessThan(Date.parse(period.end));
      }),
    );
  });

  it("puts every instant in exactly one month", () => {
    fc.assert(
      fc.property(instant, zone, (at, z) => {
        const month = periodContaining(at, "month", z);
        expect(periodIncludes(month, at)).toBe(true);
        expect(periodIncludes(previousPeriod(month), at)).toBe(false);
        expect(periodIncludes(monthPeriod(...nextMonthOf(month), z), at)).toBe(false);
      }),
    );
  });

  it("makes quarters and years out of whole months", () => {
    fc.assert(
      fc.property(year, fc.integer({ min: 1, max: 4 }), zone, (y, q, z) => {
        const quarter = quarterPeriod(y, q, z);
        expect(quarter.start).toBe(monthPeriod(y, q * 3 - 2, z).start);
        expect(quarter.end).toBe(monthPeriod(y, q * 3, z).end);
        const wholeYear = yearPeriod(y, z);
        expect(wholeYear.start).toBe(monthPeriod(y, 1, z).start);
        expect(wholeYear.end).toBe(monthPeriod(y, 12, z).end);
      }),
    );
  });

  it("moves a custom range back by its own length", () => {
    fc.assert(
      fc.property(fc.integer({ min: 7300, max: 32000 }), fc.integer({ min: 0, max: 400 }), zone, (first, extra, z) => {
        const period = customPeriod(isoDay(first), isoDay(first + extra), z);
        const previous = previousPeriod(period);
        expect(previous.kind).toBe("custom");
        expect(periodDays(previous)).toBe(extra + 1);
        expect(previous.lastDay).toBe(isoDay(first - 1));
        expect(previous.end).toBe(period.start);
      }),
    );
  });

  it("lists the last twelve months oldest first, ending with the period itself", () => {
    const months = lastPeriods(monthPeriod(2026, 3), 12);
    expect(months.map((p) => p.label)).toEqual([
      "2025-04",
      "2025-05",
      "2025-06",
      "2025-07",
      "2025-08",
      "2025-09",
      "2025-10",
      "2025-11",
      "2025-12",
      "2026-01",
      "2026-02",
      "2026-03",
    ]);
    for (const [index, period] of months.entries()) {
      const next = months[index + 1];
      if (next) expect(period.end).toBe(next.start);
    }
  });
});

describe("samePeriodYearAgo", () => {
  it.each([
    [monthPeriod(2026, 10), "2025-10"],
    [monthPeriod(2026, 1), "2025-01"],
    [quarterPeriod(2026, 1), "2025-Q1"],
    [yearPeriod(2026), "2025"],
    [customPeriod("2026-10-01", "2026-10-15"), "2025-10-01..2025-10-15"],
    [customPeriod("2028-02-29", "2028-03-01"), "2027-02-28..2027-03-01"],
  ])("maps %o to %s", (period, label) => {
    const ago = samePeriodYearAgo(period);
    expect(ago.label).toBe(label);
    expect(ago.kind).toBe(period.kind);
  });
});

describe("parsePeriod", () => {
  it.each([
    ["2026-10", "month", "2026-10-01", "2026-10-31"],
    ["2026-Q4", "quarter", "2026-10-01", "2026-12-31"],
    ["2026-q1", "quarter", "2026-01-01", "2026-03-31"],
    ["2026", "year", "2026-01-01", "2026-12-31"],
    [" 2026-10-01..2026-10-15 ", "custom", "2026-10-01", "2026-10-15"],
  ])("reads %s", (text, kind, firstDay, lastDay) => {
    expect(parsePeriod(text, "Europe/Rome")).toMatchObject({ kind, firstDay, lastDay, timezone: "Europe/Rome" });
  });

  it.each([
    "2026-13",
    "2026-00",
    "2026-Q5",
    "26-10",
    "2026/10",
    "2026-10-01..2026-09-30",
    "2026-02-30..2026-03-01",
    "",
  ])("refuses %o", (text) => {
    expect(() => parsePeriod(text)).toThrow(RangeError);
  });

  it("reads back every label it makes", () => {
    const anyPeriod = fc.oneof(
      fc.tuple(year, month, zone).map(([y, m, z]) => monthPeriod(y, m, z)),
      fc.tuple(year, fc.integer({ min: 1, max: 4 }), zone).map(([y, q, z]) => quarterPeriod(y, q, z)),
      fc.tuple(year, zone).map(([y, z]) => yearPeriod(y, z)),
      fc
        .tuple(fc.integer({ min: 7300, max: 32000 }), fc.nat(800), zone)
        .map(([first, extra, z]) => customPeriod(isoDay(first), isoDay(first + extra), z)),
    );
    fc.assert(
      fc.property(anyPeriod, (period) => {
        expect(parsePeriod(period.label, period.timezone)).toEqual(period);
      }),
    );
  });
});

function isoDay(epochDay: number): string {
  return new Date(epochDay * 86_400_000).toISOString().slice(0, 10);
}

function nextMonthOf(period: ReportPeriod): [number, number] {
  const [y, m] = period.label.split("-").map(Number) as [number, number];
  return m === 12 ? [y + 1, 1] : [y, m + 1];
}

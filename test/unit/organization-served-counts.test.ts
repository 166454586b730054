import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readServedCountCsv } from "../../src/organization/domain/served-count-csv.js";
import {
  checkServedCountItems,
  isoCalendarDate,
  parseCalendarDate,
  type ServiceRef,
} from "../../src/organization/domain/served-counts.js";

const services: ServiceRef[] = [
  { id: "11111111-1111-4111-8111-111111111111", code: "anagrafe" },
  { id: "22222222-2222-4222-8222-222222222222", code: "tributi" },
  { id: "33333333-3333-4333-8333-333333333333", code: "suap" },
  { id: "44444444-4444-4444-8444-444444444444", code: "suap" },
];
const [anagrafe, tributi] = services.map((s) => s.id);
const HEADER = "service;channel;period_start;period_end;count";

describe("parseCalendarDate", () => {
  it.each([
    ["2025-01-31", "2025-01-31"],
    ["31/01/2025", "2025-01-31"],
    ["1/2/2024", "2024-02-01"],
    ["29/02/2024", "2024-02-29"],
    ["2025-02-29", null],
    ["31/04/2025", null],
    ["2025-1-5", null],
    ["01/31/2025", null],
    ["", null],
  ])("reads %j as %j", (text, expected) => {
    expect(parseCalendarDate(text)).toBe(expected);
  });

  it("reads every real day in both spellings", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("1900-01-01"), max: new Date("9999-12-31"), noInvalidDate: true }),
        (date) => {
          const iso = date.toISOString().slice(0, 10);
          const [year, month, day] = iso.split("-");
          expect(parseCalendarDate(iso)).toBe(iso);
          expect(parseCalendarDate(`${day}/${month}/${year}`)).toBe(iso);
          expect(isoCalendarDate(Number(year), Number(month), Number(day))).toBe(iso);
        },
      ),
    );
  });
});

describe("readServedCountCsv", () => {
  it("reads rows by service code or id, in any column order, with channel defaulting to desk", () => {
    const text = `count;period_end;period_start;service;notes\r\n120;2025-01-31;2025-01-01;anagrafe;x\r\n7;31/01/2025;01/01/2025;${tributi};\r\n`;
    expect(readServedCountCsv(text, services)).toEqual({
      errors: [],
      drafts: [
        { serviceId: anagrafe, channel: "desk", periodStart: "2025-01-01", periodEnd: "2025-01-31", count: 120 },
        { serviceId: tributi, channel: "desk", periodStart: "2025-01-01", periodEnd: "2025-01-31", count: 7 },
      ],
    });
  });

  it("skips blank rows, including rows of bare separators, but keeps spreadsheet row numbers", () => {
    const text = `${HEADER}\n;;;;\n\nanagrafe;web;2025-01-01;2025-01-31;x\n`;
    expect(readServedCountCsv(text, services).errors).toEqual([{ path: "/rows/4/count", message: expect.any(String) }]);
  });

  it("reports every bad cell of every bad row", () => {
    const text = [
      HEADER,
      "anagrafe;desk;2025-01-01;2025-01-31;10",
      "parcheggi;fax;2025-13-01;2025-01-31;-3",
      "suap;desk;2025-02-01;2025-01-31;1.234",
      "tributi;phone;2025-01-01;2025-01-31;5;extra",
      "anagrafe;DESK;2025-01-01;2025-01-31;11",
      ";desk;2025-01-01;2025-01-31;",
    ].join("\r\n");
    const { errors } = readServedCountCsv(text, services);
    expect(errors.map((e) => e.path)).toEqual([
      "/rows/3/service",
      "/rows/3/channel",
      "/rows/3/period_start",
      "/rows/3/count",
      "/rows/4/service",
      "/rows/4/period_end",
      "/rows/4/count",
      "/rows/5",
      "/rows/6/service",
      "/rows/7/service",
      "/rows/7/count",
    ]);
    expect(errors.find((e) => e.path === "/rows/4/service")?.message).toContain("several desks");
    expect(errors.find((e) => e.path === "/rows/6/service")?.message).toContain("row 2");
  });

  it("names missing and repeated columns against the header row", () => {
    expect(readServedCountCsv("Service,Period Start,period-start,total\r\n", services).errors).toEqual([
      { path: "/rows/1/period_start", message: "column period_start appears twice" },
      { path: "/rows/1/period_end", message: "missing column period_end" },
      { path: "/rows/1/count", message: "missing column count" },
    ]);
  });

  it("refuses a file without data rows and reports a syntax error with its row and line", () => {
    expect(readServedCountCsv(`${HEADER}\r\n\r\n`, services).errors).toEqual([
      { path: "/rows", message: "the file has no data rows" },
    ]);
    expect(readServedCountCsv(`${HEADER}\r\n"anagrafe;desk\r\n`, services).errors).toEqual([
      { path: "/rows/2", message: "a quoted field is never closed (line 2)" },
    ]);
  });

  it("either stores every row or reports at least one error, for any mix of good and bad rows", () => {
    const cell = fc.constantFrom(
      "anagrafe",
      "tributi",
      "nope",
      "desk",
      "web",
      "",
      "2025-01-01",
      "2025-02-01",
      "5",
      "x",
    );
    const row = fc.array(cell, { minLength: 5, maxLength: 5 });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 20 }), (rows) => {
        const text = [HEADER, ...rows.map((r) => r.join(";"))].join("\n");
        const { drafts, errors } = readServedCountCsv(text, services);
        const dataRows = rows.filter((r) => r.some((c) => c !== "")).length;
        if (errors.length === 0) expect(drafts).toHaveLength(dataRows);
        else expect(drafts.length).toBeLessThan(dataRows);
      }),
    );
  });
});

describe("checkServedCountItems", () => {
  const item = { channel: "desk" as const, periodStart: "2025-01-01", periodEnd: "2025-01-31", count: 3 };

  it("refuses unknown services and repeated keys, and does not resolve codes", () => {
    const { drafts, errors } = checkServedCountItems(
      [
        { ...item, serviceId: anagrafe ?? "" },
        { ...item, serviceId: "55555555-5555-4555-8555-555555555555" },
        { ...item, serviceId: (anagrafe ?? "").toUpperCase(), count: 4 },
        { ...item, serviceId: "anagrafe" },
      ],
      services,
    );
    expect(drafts).toHaveLength(1);
    expect(errors).toEqual([
      { path: "/items/1/serviceId", message: expect.stringContaining("no service") },
      { path: "/items/2/serviceId", message: "same service, channel and period as item 0" },
      { path: "/items/3/serviceId", message: expect.stringContaining("no service") },
    ]);
  });
});

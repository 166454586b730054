import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../organization/index.js";
import { buildReport } from "../domain/build-report.js";
import type { Cell, JudgmentCounts, ReportDocument, ReportInputs } from "../domain/report-document.js";
import { sampleReportInputs } from "../domain/sample-report-inputs.js";
import { CSV_COLUMNS, renderCsv } from "./csv.js";

const artifacts = { csv: { sha256: "c".repeat(64) }, pdf: { sha256: "d".repeat(64) } };
const build = (inputs: ReportInputs = sampleReportInputs()) => buildReport(inputs, artifacts);

/** Parses the CSV back (an independent RFC 4180 reader) into objects keyed by header. */
function readBack(bytes: Uint8Array): Array<Record<string, string>> {
  const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  const parsed = parseCsv(text);
  if (!parsed.ok) throw new Error(parsed.message);
  expect(parsed.separator).toBe(";");
  const [header, ...records] = parsed.records;
  expect(header).toEqual([...CSV_COLUMNS]);
  return records.map((record) => Object.fromEntries(CSV_COLUMNS.map((column, i) => [column, record[i] ?? ""])));
}

/** What the CSV should say for a cell of the JSON. */
const expected = (cell: Cell, minCellSize: number) => ({
  votes: cell.suppressed ? `<${minCellSize}` : String(cell.count),
  percent: cell.percent === null ? "" : cell.percent.toFixed(1).replace(".", ","),
  suppressed: cell.suppressed ? "1" : "0",
});

/** The JSON's cells in the CSV's record order, with the same scope columns. */
function jsonCells(doc: ReportDocument): Array<{ key: string; cell: Cell; total: string }> {
  const out: Array<{ key: string; cell: Cell; total: string }> = [];
  const judgments = (key: string, c: JudgmentCounts) => {
    for (const j of ["positive", "sufficient", "negative"] as const)
      out.push({ key: `${key}|${j}|`, cell: c[j], total: String(c.total) });
  };
  const reasons = (key: string, list: ReportDocument["reasons"], negative: Cell) => {
    for (const r of list)
      out.push({
        key: `${key}|negative|${r.code ?? ""}`,
        cell: r.cell,
        total: negative.count === null ? "" : String(negative.count),
      });
  };
  judgments("entity||||", doc.totals);
  for (const c of doc.channels) judgments(`entity_channel||||${c.channel}`, c.counts);
  reasons("entity_reason||||", doc.reasons, doc.totals.negative);
  for (const o of doc.offices) {
    judgments(`office|${o.name}|||`, o.counts);
    for (const d of o.desks) {
      judgments(`desk|${o.name}|${d.name}||`, d.counts);
      for (const s of d.services) {
        judgments(`service|${o.name}|${d.name}|${s.code}|`, s.counts);
        for (const c of s.channels) judgments(`service_channel|${o.name}|${d.name}|${s.code}|${c.channel}`, c.counts);
        reasons(`service_reason|${o.name}|${d.name}|${s.code}|`, s.reasons, s.counts.negative);
      }
    }
  }
  return out;
}

/** The name as configured, from the CSV's defused form (see `defuseFormula`). */
const undefuse = (value: string | undefined) => (value && /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value);

function expectSameNumbers(doc: ReportDocument): void {
  const records = readBack(renderCsv(doc));
  const cells = jsonCells(doc);
  expect(records).toHaveLength(cells.length);
  records.forEach((record, i) => {
    const { key, cell, total } = cells[i] as (typeof cells)[number];
    const scope = [
      record.level,
      undefuse(record.office),
      undefuse(record.desk),
      record.service_code,
      record.channel,
      record.judgment,
      record.reason_code,
    ];
    expect(scope.join("|")).toBe(key);
    expect(record).toMatchObject({
      ...expected(cell, doc.minCellSize),
      total,
      ipa_code: "c_demo",
      period: doc.period.label,
    });
  });
}

describe("renderCsv", () => {
  it("parses back to the same numbers as the JSON, cell by cell", () => {
    expectSameNumbers(build());
  });

  it("starts with a UTF-8 BOM and ends every record with CRLF", () => {
    const bytes = renderCsv(build());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    expect(text.startsWith(`${CSV_COLUMNS.join(";")}\r\n`)).toBe(true);
    expect(text.endsWith("\r\n")).toBe(true);
    expect(text.replaceAll("\r\n", "")).not.toMatch(/[\r\n]/);
  });

  it("writes suppressed cells as <N, percentages with a decimal comma, and quotes names that need it", () => {
    const records = readBack(renderCsv(build()));
    const urp = records.find((r) => r.level === "service" && r.service_code === "urp" && r.judgment === "positive");
    expect(urp).toMatchObject({ votes: "<5", percent: "", suppressed: "1", total: "3", office: 'Delegazione "Borgo"' });
    const entity = records.find((r) => r.level === "entity" && r.judgment === "positive");
    expect(entity).toMatchObject({ votes: "251", total: "374", percent: "67,1" });
    const text = new TextDecoder().decode(renderCsv(build()));
    expect(text).toContain(';"Municipio; sede centrale";');
    expect(text).toContain(';"Delegazione ""Borgo""";');
    const channel = records.find(
      (r) => r.level === "service_channel" && r.service_code === "anagrafe" && r.channel === "desk",
    );
    expect(channel).toMatchObject({ served: "1640", participation_rate: "10,0" });
  });

  it("uses the entity's minimum cell size in the marker", () => {
    const inputs = sampleReportInputs();
    inputs.entity.minCellSize = 10;
    const records = readBack(renderCsv(build(inputs)));
    expect(records.some((r) => r.votes === "<10")).toBe(true);
    expect(records.some((r) => r.votes === "<5")).toBe(false);
  });

  it("is byte-identical for the same data", () => {
    expect(renderCsv(build())).toEqual(renderCsv(build()));
  });

  it("round-trips any office, desk and service names", () => {
    const nasty = fc.string({ unit: fc.constantFrom("a", " ", ";", ",", '"', "\r", "\n", "è", "€", "=", "1") });
    fc.assert(
      fc.property(fc.array(nasty, { minLength: 5, maxLength: 5 }), (names) => {
        const inputs = sampleReportInputs();
        const [office = "", desk = "", service = "", reason = "", other = ""] = names;
        inputs.catalogue.offices[0] = {
          ...(inputs.catalogue.offices[0] as { id: string; name: string }),
          name: office,
        };
        inputs.catalogue.offices[1] = { ...(inputs.catalogue.offices[1] as { id: string; name: string }), name: other };
        for (const d of inputs.catalogue.desks) d.name = `${desk}${d.id.slice(-1)}`;
        for (const s of inputs.catalogue.services) s.name = `${service}${s.code}`;
        for (const r of inputs.catalogue.reasons) r.label = `${reason}${r.code}`;
        const doc = build(inputs);
        expectSameNumbers(doc);
        const records = readBack(renderCsv(doc));
        const asWritten = (name: string) => (/^[=+\-@\t\r]/.test(name) ? `'${name}` : name);
        expect(records.filter((r) => r.level === "office").map((r) => r.office)).toEqual(
          doc.offices.flatMap((o) => [o.name, o.name, o.name].map(asWritten)),
        );
      }),
      { numRuns: 60 },
    );
  });

  it("defuses names a spreadsheet would run as formulas, and only those (CSV injection)", () => {
    const inputs = sampleReportInputs();
    const [first, second] = inputs.catalogue.services;
    if (first) first.name = '=HYPERLINK("http://x.example","clic")';
    if (second) second.name = "-Ufficio tecnico";
    const records = readBack(renderCsv(build(inputs)));
    const names = new Set(records.filter((r) => r.level === "service").map((r) => r.service));
    expect(names).toContain(`'=HYPERLINK("http://x.example","clic")`);
    expect(names).toContain("'-Ufficio tecnico");
    expect([...names].filter((n) => /^[=+\-@]/.test(n ?? ""))).toEqual([]);
    expect(records.find((r) => r.level === "entity")?.votes).toMatch(/^\d+$/);
  });
});

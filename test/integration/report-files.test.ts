import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Application } from "../../src/main.js";
import type { ReportDocument } from "../../src/reports/index.js";
import { fixedClock } from "../../src/shared/clock.js";
import { testApplication } from "../support/app.js";
import { backends, openTestDatabase, type TestDatabase } from "../support/databases.js";
import { seedOrganization } from "../support/fixtures.js";
import { OCTOBER, seedReportVotes } from "../support/report-fixtures.js";

const PDFTOTEXT = "/usr/bin/pdftotext";
const havePoppler = existsSync(PDFTOTEXT);
if (!havePoppler && !process.env.CI) process.emitWarning("report PDF text checks skipped: install poppler-utils");

/** Splits `;`-separated CSV (RFC 4180 quoting) into records of named fields. */
function parseCsv(text: string): Array<Record<string, string>> {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') field += text[++i];
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ";") {
      row.push(field);
      field = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += ch;
  }
  const [header, ...records] = rows;
  return records.map((r) => Object.fromEntries((header ?? []).map((name, k) => [name, r[k] ?? ""])));
}

/**
 * Issue 4 "Done when": the three files of a report made from the database,
 * checked against each other: JSON against the shipped schema, the CSV
 * parsed back, the PDF's text compared with the JSON numbers.
 */
describe.each(backends)("report files from the database (%s)", (backend) => {
  let database: TestDatabase;
  let application: Application;
  let files: Record<"json" | "csv" | "pdf", Uint8Array>;
  let doc: ReportDocument;
  let reportId: string;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    application = await testApplication(database, { clock: fixedClock(new Date("2026-11-01T02:00:00Z")) });
    await seedReportVotes(database.db, await seedOrganization(database.db));
    const { record } = await application.services.reports.generate({
      ipaCode: "c_test",
      period: "2026-10",
      by: "test",
    });
    reportId = record.id;
    const read = (format: "json" | "csv" | "pdf") =>
      application.services.reports.artifact("c_test", record.id, format).then((a) => a.content);
    files = { json: await read("json"), csv: await read("csv"), pdf: await read("pdf") };
    doc = JSON.parse(new TextDecoder().decode(files.json)) as ReportDocument;
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("writes JSON that the shipped JSON Schema accepts, with the seeded counts", () => {
    const ajv = new Ajv2020.default({ allErrors: true, strict: true });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync("schemas/report-v1.schema.json", "utf8")));
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc).toMatchObject({
      schemaVersion: 1,
      entity: { ipaCode: "c_test" },
      period: { label: "2026-10", start: "2026-09-30T22:00:00Z", end: "2026-10-31T23:00:00Z" },
      generatedAt: "2026-11-01T02:00:00.000Z",
    });
    expect(doc.totals.total).toBe(OCTOBER.total);
    expect(doc.totals.positive.count).toBe(OCTOBER.positive);
  });

  it("writes a CSV that parses back to the JSON's numbers, with small cells suppressed", () => {
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(files.csv);
    expect(text.startsWith("\uFEFFipa_code;period;level;")).toBe(true);
    const records = parseCsv(text.slice(1));
    const entity = records.filter((r) => r.level === "entity");
    expect(entity.map((r) => [r.judgment, r.votes, r.total])).toEqual([
      ["positive", String(doc.totals.positive.count), String(OCTOBER.total)],
      ["sufficient", String(doc.totals.sufficient.count), String(OCTOBER.total)],
      ["negative", String(doc.totals.negative.count), String(OCTOBER.total)],
    ]);
    const tributi = records.filter((r) => r.level === "service" && r.service_code === "tributi");
    expect(tributi.find((r) => r.judgment === "positive")).toMatchObject({ votes: "<5", suppressed: "1", total: "4" });
  });

  it.skipIf(!havePoppler && !process.env.CI)(
    "writes a PDF whose text carries the comune, the period and the JSON's numbers",
    () => {
      const dir = mkdtempSync(join(tmpdir(), "faccia-pdf-"));
      try {
        writeFileSync(join(dir, "r.pdf"), files.pdf);
        const text = execFileSync(PDFTOTEXT, ["-layout", join(dir, "r.pdf"), "-"], { encoding: "utf8" });
        for (const expected of ["Comune di c_test", "c_test", "Anagrafe", "Tributi", "150/2009"])
          expect(text).toContain(expected);
        expect(text).toContain(String(doc.totals.total));
        expect(text).toContain(String(doc.totals.satisfactionIndex).replace(".", ","));
        expect(text).toContain("<5");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it("gives the same bytes when the stored report is rendered again (determinism)", async () => {
    expect(await application.services.reports.reproduce("c_test", reportId)).toEqual({
      identical: true,
      formats: { json: true, csv: true, pdf: true },
    });
  });
});

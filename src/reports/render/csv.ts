import type { Cell, JudgmentCounts, ReasonCount, ReportDocument } from "../domain/report-document.js";

/**
 * The report as CSV (issue 4 "Formats"; columns in docs/report-csv.md): one
 * record per published cell, i.e. per judgment of each row of the entity,
 * channel, office, desk, service and service-channel tables, plus one per
 * reason of the negative votes (entity and service). Made to open as is in a
 * spreadsheet set to Italian:
 * - UTF-8 with a byte order mark, so Excel does not read it as Windows-1252;
 * - `;` between fields: Italian locales use `,` as the decimal mark, so `;`
 *   is the list separator Excel and LibreOffice expect there;
 * - a decimal comma in percentages (`33,3`); integers without grouping;
 * - records end with CRLF (RFC 4180 §2.1), fields with `;` `,` `"` or a line
 *   break are quoted and quotes doubled (§2.5–2.7); a header record (§2.3).
 *
 * Columns:
 * `ipa_code;period;level;office;desk;service_code;service;channel;judgment;reason_code;reason;votes;total;percent;suppressed;served;participation_rate`
 * - `level`: entity, entity_channel, entity_reason, office, desk, service,
 *   service_channel or service_reason; the columns it does not use are empty.
 * - `votes`: the count, or `<N` (N = the report's minimum cell size) when suppressed.
 * - `total`: the row's exact total; for reason records, the negative votes
 *   they divide (empty when that count is itself suppressed).
 * - `percent`: share of `total`, one decimal; empty when suppressed or undefined.
 * - `suppressed`: 1 or 0. `served`, `participation_rate`: service_channel records only.
 *
 * Depends on nothing but the document's cells (never on `artifacts`), so
 * the CSV can be hashed into the JSON made with it.
 */

export const CSV_COLUMNS = [
  "ipa_code",
  "period",
  "level",
  "office",
  "desk",
  "service_code",
  "service",
  "channel",
  "judgment",
  "reason_code",
  "reason",
  "votes",
  "total",
  "percent",
  "suppressed",
  "served",
  "participation_rate",
] as const;

type Column = (typeof CSV_COLUMNS)[number];
type CsvRecord = Partial<Record<Column, string>>;

const JUDGMENTS = ["positive", "sufficient", "negative"] as const;

/** Renders the report as CSV bytes. @example renderCsv(doc) // BOM + "ipa_code;period;level;..." */
export function renderCsv(doc: Omit<ReportDocument, "artifacts">): Uint8Array {
  const lines = [CSV_COLUMNS.join(";"), ...recordsOf(doc).map(formatRecord)];
  return new TextEncoder().encode(`\uFEFF${lines.map((line) => `${line}\r\n`).join("")}`);
}

function recordsOf(doc: Omit<ReportDocument, "artifacts">): CsvRecord[] {
  const marker = `<${doc.minCellSize}`;
  const base: CsvRecord = { ipa_code: doc.entity.ipaCode, period: doc.period.label };
  const records: CsvRecord[] = [
    ...judgmentRecords({ ...base, level: "entity" }, doc.totals, marker),
    ...doc.channels.flatMap((row) =>
      judgmentRecords({ ...base, level: "entity_channel", channel: row.channel }, row.counts, marker),
    ),
    ...reasonRecords({ ...base, level: "entity_reason" }, doc.reasons, doc.totals.negative, marker),
  ];
  for (const office of doc.offices) {
    const atOffice = { ...base, office: office.name };
    records.push(...judgmentRecords({ ...atOffice, level: "office" }, office.counts, marker));
    for (const desk of office.desks) {
      const atDesk = { ...atOffice, desk: desk.name };
      records.push(...judgmentRecords({ ...atDesk, level: "desk" }, desk.counts, marker));
      for (const service of desk.services) {
        const atService = { ...atDesk, service_code: service.code, service: service.name };
        records.push(...judgmentRecords({ ...atService, level: "service" }, service.counts, marker));
        for (const row of service.channels) {
          const extra = { served: integer(row.served), participation_rate: decimal(row.participationRate) };
          const at = { ...atService, level: "service_channel", channel: row.channel, ...extra };
          records.push(...judgmentRecords(at, row.counts, marker));
        }
        records.push(
          ...reasonRecords({ ...atService, level: "service_reason" }, service.reasons, service.counts.negative, marker),
        );
      }
    }
  }
  return records;
}

function judgmentRecords(at: CsvRecord, counts: JudgmentCounts, marker: string): CsvRecord[] {
  return JUDGMENTS.map((judgment) => ({
    ...at,
    judgment,
    ...cellFields(counts[judgment], marker),
    total: String(counts.total),
  }));
}

function reasonRecords(at: CsvRecord, reasons: readonly ReasonCount[], negative: Cell, marker: string): CsvRecord[] {
  return reasons.map((reason) => ({
    ...at,
    judgment: "negative",
    reason_code: reason.code ?? "",
    reason: reason.label,
    ...cellFields(reason.cell, marker),
    total: integer(negative.count),
  }));
}

function cellFields(cell: Cell, marker: string): CsvRecord {
  return {
    votes: cell.suppressed ? marker : integer(cell.count),
    percent: decimal(cell.percent),
    suppressed: cell.suppressed ? "1" : "0",
  };
}

function integer(value: number | null): string {
  return value === null ? "" : String(value);
}

/** One decimal with a decimal comma, as an Italian-locale spreadsheet reads it: `33,3`, `100,0`. */
function decimal(value: number | null): string {
  return value === null ? "" : value.toFixed(1).replace(".", ",");
}

/** Columns holding names typed by staff: the only ones a spreadsheet could read as a formula. */
const TEXT_COLUMNS: ReadonlySet<Column> = new Set(["office", "desk", "service", "reason"]);

function formatRecord(record: CsvRecord): string {
  return CSV_COLUMNS.map((column) => {
    const value = record[column] ?? "";
    return quote(TEXT_COLUMNS.has(column) ? defuseFormula(value) : value);
  }).join(";");
}

/**
 * A name starting with `=`, `+`, `-`, `@`, tab or CR would run as a formula
 * when the CSV is opened in a spreadsheet (OWASP "CSV injection"); a leading
 * apostrophe makes Excel and LibreOffice show it as text. The JSON keeps the
 * name exactly as configured.
 */
function defuseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** RFC 4180 §2.6–2.7: enclose in quotes when the field holds a separator, a quote or a line break. */
function quote(field: string): string {
  return /[;,"\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}

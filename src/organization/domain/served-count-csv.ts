import { Channel } from "../../shared/domain.js";
import type { FieldError } from "../../shared/errors.js";
import { parseCsv } from "./csv.js";
import {
  createServedCountChecker,
  MAX_SERVED_COUNT,
  parseCalendarDate,
  type ServedCountCheck,
  type ServedCountDraft,
  type ServiceRef,
} from "./served-counts.js";

/**
 * The users-served CSV import: a header row naming the columns below (in any
 * order, extra columns ignored), then one row per service, channel and
 * period. Error paths are `/rows/N/column`, N being the spreadsheet row
 * number (the header is row 1), so staff can find the cell to fix.
 */

export const SERVED_COUNT_COLUMNS = ["service", "channel", "period_start", "period_end", "count"] as const;
export type ServedCountColumn = (typeof SERVED_COUNT_COLUMNS)[number];
/** `channel` may be left out: every row is then a desk count. */
const REQUIRED_COLUMNS: readonly ServedCountColumn[] = ["service", "period_start", "period_end", "count"];
/** A year of monthly counts for 500 services on three channels fits. */
export const MAX_SERVED_COUNT_ROWS = 20_000;

type Positions = Map<ServedCountColumn, number>;
type Checker = ReturnType<typeof createServedCountChecker>;

/** `Period start` and `PERIOD-START` both name `period_start`. */
function columnName(cell: string): string {
  return cell
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
}

function readHeader(header: readonly string[]): { positions: Positions; errors: FieldError[] } {
  const positions: Positions = new Map();
  const errors: FieldError[] = [];
  header.forEach((cell, index) => {
    const name = columnName(cell);
    const column = SERVED_COUNT_COLUMNS.find((known) => known === name);
    if (!column) return;
    if (positions.has(column)) errors.push({ path: `/rows/1/${column}`, message: `column ${column} appears twice` });
    else positions.set(column, index);
  });
  for (const column of REQUIRED_COLUMNS) {
    if (!positions.has(column)) errors.push({ path: `/rows/1/${column}`, message: `missing column ${column}` });
  }
  return { positions, errors };
}

type Cells = Omit<ServedCountDraft, "serviceId"> & { service: { id: string } | { error: string } };

/** Checks each cell of one row on its own, so every bad cell is reported at once. */
function readCells(
  record: readonly string[],
  positions: Positions,
  row: number,
  checker: Checker,
): { cells?: Cells; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const fail = (column: ServedCountColumn, message: string) => errors.push({ path: `/rows/${row}/${column}`, message });
  const cell = (column: ServedCountColumn) => (record[positions.get(column) ?? -1] ?? "").trim();

  const service = cell("service") === "" ? { error: "required" } : checker.resolve(cell("service"));
  if ("error" in service) fail("service", service.error);
  const channel = Channel.safeParse(cell("channel").toLowerCase() || "desk");
  if (!channel.success) fail("channel", "expected desk, web or phone (empty means desk)");
  const periodStart = parseCalendarDate(cell("period_start"));
  if (!periodStart) fail("period_start", "expected a date as YYYY-MM-DD (or DD/MM/YYYY)");
  const periodEnd = parseCalendarDate(cell("period_end"));
  if (!periodEnd) fail("period_end", "expected a date as YYYY-MM-DD (or DD/MM/YYYY)");
  if (periodStart && periodEnd && periodEnd < periodStart) fail("period_end", "the period ends before it starts");
  const count = /^\d{1,10}$/.test(cell("count")) ? Number(cell("count")) : Number.NaN;
  if (!(count <= MAX_SERVED_COUNT)) fail("count", "expected a whole number of people, 0 or more, without separators");

  if (errors.length > 0 || !periodStart || !periodEnd || !channel.success) return { errors };
  const cells: Cells = { service, channel: channel.data, periodStart, periodEnd, count };
  return { cells, errors };
}

function readRow(
  record: readonly string[],
  width: number,
  positions: Positions,
  row: number,
  checker: Checker,
): { draft?: ServedCountDraft; errors: FieldError[] } {
  if (record.slice(width).some((cell) => cell.trim() !== "")) {
    const message = `${record.length} values but the header has ${width}: does a value hold the separator without quotes?`;
    return { errors: [{ path: `/rows/${row}`, message }] };
  }
  const { cells, errors } = readCells(record, positions, row, checker);
  if (!cells || !("id" in cells.service)) return { errors };
  const { service, ...rest } = cells;
  const draft: ServedCountDraft = { ...rest, serviceId: service.id };
  const first = checker.duplicateOf(draft, `row ${row}`);
  if (first)
    return { errors: [{ path: `/rows/${row}/service`, message: `same service, channel and period as ${first}` }] };
  return { draft, errors };
}

/**
 * Reads a users-served CSV against the entity's services. Every bad row is
 * reported (the import is all-or-nothing, so staff fix the file in one go);
 * rows whose every cell is empty are skipped, as spreadsheets leave them.
 */
export function readServedCountCsv(text: string, services: readonly ServiceRef[]): ServedCountCheck {
  const parsed = parseCsv(text);
  if (!parsed.ok) {
    return {
      drafts: [],
      errors: [{ path: `/rows/${parsed.record}`, message: `${parsed.message} (line ${parsed.line})` }],
    };
  }
  const [header = [], ...rows] = parsed.records;
  const { positions, errors } = readHeader(header);
  if (errors.length > 0) return { drafts: [], errors };
  const data = rows.map((record, index) => ({ record, row: index + 2 })).filter(({ record }) => !isBlank(record));
  if (data.length === 0) return { drafts: [], errors: [{ path: "/rows", message: "the file has no data rows" }] };
  if (data.length > MAX_SERVED_COUNT_ROWS) {
    return { drafts: [], errors: [{ path: "/rows", message: `at most ${MAX_SERVED_COUNT_ROWS} rows per import` }] };
  }
  const checker = createServedCountChecker(services);
  const result: ServedCountCheck = { drafts: [], errors: [] };
  for (const { record, row } of data) {
    const read = readRow(record, header.length, positions, row, checker);
    result.errors.push(...read.errors);
    if (read.draft) result.drafts.push(read.draft);
  }
  return result;
}

function isBlank(record: readonly string[]): boolean {
  return record.every((cell) => cell.trim() === "");
}

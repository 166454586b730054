/**
 * A small CSV reader after RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180),
 * widened the way real spreadsheet exports need it:
 * - the separator may be `;` as well as `,` (Italian-locale spreadsheets write `;`
 *   because `,` is the decimal mark); it is detected from the header record;
 * - a leading UTF-8 byte order mark is dropped (Excel writes one);
 * - records may end with CRLF (§2.1), LF or a lone CR (old Mac exports).
 *
 * Quoting is strict RFC 4180 §2.5–2.7: a field that contains a separator, a
 * quote or a line break is enclosed in double quotes, and a quote inside it is
 * doubled. A bare quote inside an unquoted field is refused rather than
 * guessed at, so a malformed file never imports shifted columns.
 */

export type CsvSeparator = "," | ";";

export type CsvParseResult =
  | { ok: true; separator: CsvSeparator; records: string[][] }
  | {
      ok: false;
      /** 1-based number of the record where reading failed, as a spreadsheet numbers rows. */
      record: number;
      /** 1-based physical line where the faulty field starts. */
      line: number;
      message: string;
    };

const QUOTE = '"';

interface Field {
  value: string;
  /** Index just past the field and its terminator. */
  next: number;
  /** Lines consumed, including a terminating line break. */
  lines: number;
  ends: "field" | "record" | "input";
}

interface FieldError {
  error: string;
}

/** Reads the line break or separator at `at`, if any. */
function terminator(input: string, at: number, separator: CsvSeparator): Omit<Field, "value" | "lines"> | null {
  const char = input[at];
  if (char === undefined) return { next: at, ends: "input" };
  if (char === separator) return { next: at + 1, ends: "field" };
  if (char === "\r") return { next: input[at + 1] === "\n" ? at + 2 : at + 1, ends: "record" };
  if (char === "\n") return { next: at + 1, ends: "record" };
  return null;
}

function readQuoted(input: string, start: number, separator: CsvSeparator): Field | FieldError {
  let value = "";
  let lines = 0;
  let at = start + 1;
  for (;;) {
    const close = input.indexOf(QUOTE, at);
    if (close === -1) return { error: "a quoted field is never closed" };
    const chunk = input.slice(at, close);
    value += chunk;
    lines += countLineBreaks(chunk);
    if (input[close + 1] === QUOTE) {
      value += QUOTE;
      at = close + 2;
      continue;
    }
    const end = terminator(input, close + 1, separator);
    if (!end) return { error: "unexpected text after a closing quote" };
    return { value, lines: lines + (end.ends === "record" ? 1 : 0), ...end };
  }
}

function readPlain(input: string, start: number, separator: CsvSeparator): Field | FieldError {
  let at = start;
  for (;;) {
    const end = terminator(input, at, separator);
    if (end) return { value: input.slice(start, at), lines: end.ends === "record" ? 1 : 0, ...end };
    if (input[at] === QUOTE) {
      return { error: 'a field containing a quote (") must be enclosed in quotes, with the quote doubled' };
    }
    at++;
  }
}

function countLineBreaks(text: string): number {
  return (text.match(/\r\n|\r|\n/g) ?? []).length;
}

/** `;` when the header record has more semicolons than commas outside quotes, else `,`. */
export function detectSeparator(text: string): CsvSeparator {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const char of text) {
    if (char === QUOTE) quoted = !quoted;
    else if (!quoted && (char === "\n" || char === "\r")) break;
    else if (!quoted && char === ",") commas++;
    else if (!quoted && char === ";") semicolons++;
  }
  return semicolons > commas ? ";" : ",";
}

/**
 * Splits CSV text into records of fields. An empty line is a record with one
 * empty field (so record numbers match spreadsheet rows); a final line break
 * does not start another record.
 *
 * @example
 * parseCsv('service;count\r\nanagrafe;"1;2"\r\n')
 * // → { ok: true, separator: ";", records: [["service", "count"], ["anagrafe", "1;2"]] }
 */
export function parseCsv(text: string, separator?: CsvSeparator): CsvParseResult {
  const input = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const sep = separator ?? detectSeparator(input);
  const records: string[][] = [];
  let fields: string[] = [];
  let line = 1;
  let at = 0;
  while (at < input.length) {
    const field = input[at] === QUOTE ? readQuoted(input, at, sep) : readPlain(input, at, sep);
    if ("error" in field) return { ok: false, record: records.length + 1, line, message: field.error };
    fields.push(field.value);
    line += field.lines;
    at = field.next;
    if (field.ends === "field" && at === input.length) fields.push("");
    if (field.ends !== "field" || at === input.length) {
      records.push(fields);
      fields = [];
    }
  }
  return { ok: true, separator: sep, records };
}

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CsvSeparator, detectSeparator, parseCsv } from "../../src/organization/domain/csv.js";

/** RFC 4180 writer used as the oracle: quote when needed (§2.6), double inner quotes (§2.7), CRLF (§2.1). */
function formatCsv(records: string[][], separator: CsvSeparator, quoteAll = false): string {
  const quote = (field: string) =>
    quoteAll || /[",;\r\n]/.test(field) || field === "" ? `"${field.replaceAll('"', '""')}"` : field;
  return records.map((record) => `${record.map(quote).join(separator)}\r\n`).join("");
}

const field = fc.string({ unit: fc.constantFrom("a", "b", " ", ",", ";", '"', "\r", "\n", "\r\n", "è", "€", "1") });
const records = fc.array(fc.array(field, { minLength: 1, maxLength: 5 }), { maxLength: 8 });
const separator = fc.constantFrom<CsvSeparator>(",", ";");

describe("parseCsv", () => {
  it.each([
    [
      "comma separated, CRLF",
      "a,b\r\n1,2\r\n",
      [
        ["a", "b"],
        ["1", "2"],
      ],
    ],
    [
      "semicolon separated, LF, no final line break",
      "a;b\n1;2",
      [
        ["a", "b"],
        ["1", "2"],
      ],
    ],
    [
      "lone CR line breaks",
      "a;b\r1;2\r",
      [
        ["a", "b"],
        ["1", "2"],
      ],
    ],
    [
      "a UTF-8 byte order mark",
      "\uFEFFservice;count\r\nx;1",
      [
        ["service", "count"],
        ["x", "1"],
      ],
    ],
    [
      "quoted separators, quotes and line breaks",
      'a;b\r\n"x;y";"say ""hi""\r\nbye"',
      [
        ["a", "b"],
        ["x;y", 'say "hi"\r\nbye'],
      ],
    ],
    ["empty fields and a trailing separator", "a,,c,\r\n", [["a", "", "c", ""]]],
    ["an empty line as a record of one empty field", "a\r\n\r\nb\r\n", [["a"], [""], ["b"]]],
    ["nothing at all", "", []],
  ])("reads %s", (_name, text, expected) => {
    expect(parseCsv(text)).toMatchObject({ ok: true, records: expected });
  });

  it.each([
    ["an unclosed quote", 'a,b\r\n1,"2\r\n', 2, 2],
    ["text after a closing quote", 'a,b\r\n"1"x,2\r\n', 2, 2],
    ["a bare quote inside a field", 'a,b\r\nc,d\r\n5" screen,2\r\n', 3, 3],
    ["an error after a multi-line quoted field", 'a,b\r\n"x\r\ny",1\r\n"z"!,2', 3, 4],
  ])("refuses %s, naming the record and the line", (_name, text, record, line) => {
    expect(parseCsv(text)).toMatchObject({ ok: false, record, line });
  });

  it("reads back whatever an RFC 4180 writer wrote, with either separator", () => {
    fc.assert(
      fc.property(records, separator, fc.boolean(), (rows, sep, quoteAll) => {
        expect(parseCsv(formatCsv(rows, sep, quoteAll), sep)).toEqual({ ok: true, separator: sep, records: rows });
      }),
    );
  });

  it("detects the separator of a written header and reads the whole file back", () => {
    const header = fc.array(fc.stringMatching(/^[a-z_]{1,12}$/), { minLength: 2, maxLength: 6 });
    fc.assert(
      fc.property(header, records, separator, (names, rows, sep) => {
        const text = formatCsv([names, ...rows], sep);
        expect(detectSeparator(text)).toBe(sep);
        expect(parseCsv(`\uFEFF${text}`)).toEqual({ ok: true, separator: sep, records: [names, ...rows] });
      }),
    );
  });

  it("never throws, whatever the input", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("a", ",", ";", '"', "\r", "\n", "\uFEFF") }), (text) => {
        const result = parseCsv(text);
        if (!result.ok) expect(result.record).toBeGreaterThanOrEqual(1);
      }),
    );
  });
});

import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { makeTestPdf } from "../../../test/support/pdf-fixtures.js";
import { PadesError, type PadesErrorCode } from "./errors.js";
import { parsePdfSignatures } from "./parse-signatures.js";
import { signPades } from "./sign-pades.js";

const ENCODER = new TextEncoder();
const RANGE_WIDTH = 10;

/**
 * A one-object PDF whose signature dictionary has a consistent ByteRange, which `tweak` may
 * then bend. Numbers are zero-padded to a fixed width so the offsets do not move.
 */
function handmade(
  options: { contents?: string; contentsFirst?: boolean; extra?: string; tweak?: (r: number[]) => number[] } = {},
) {
  const contents = `/Contents ${options.contents ?? "<3003020100000000>"}`;
  const range = (r: number[]) => `/ByteRange [${r.map((n) => String(n).padStart(RANGE_WIDTH, "0")).join(" ")}]`;
  const placeholder = range([0, 0, 0, 0]);
  const body = options.contentsFirst ? `${contents} ${placeholder}` : `${placeholder} ${contents}`;
  const text = `%PDF-1.7\n1 0 obj\n<< /Type /Sig /SubFilter /ETSI.CAdES.detached ${body} /M (D:20260101000000Z)${options.extra ?? ""} >>\nendobj\n%%EOF\n`;
  const gapStart = text.indexOf("<", text.indexOf("/Contents"));
  const gapEnd = text.indexOf(">", gapStart) + 1;
  const actual = [0, gapStart, gapEnd, text.length - gapEnd];
  return ENCODER.encode(text.replace(placeholder, range(options.tweak?.(actual) ?? actual)));
}

function codeOf(action: () => unknown): PadesErrorCode | "no error" {
  try {
    action();
    return "no error";
  } catch (error) {
    if (error instanceof PadesError) return error.code;
    throw error;
  }
}

describe("parsePdfSignatures: what it reads", () => {
  it("reads a dictionary whose /Contents comes before /ByteRange, and cuts the zero padding", () => {
    const [signature] = parsePdfSignatures(handmade({ contentsFirst: true }));
    expect(Buffer.from(signature?.contents ?? []).toString("hex")).toBe("3003020100");
    expect(signature).toMatchObject({ subFilter: "ETSI.CAdES.detached", coversWholeFile: true });
    expect(signature?.signingTime?.toISOString()).toBe("2026-01-01T00:00:00.000Z");
  });

  it("keeps a BER indefinite-length CMS whole", () => {
    const [signature] = parsePdfSignatures(handmade({ contents: "<308004010000000000>" }));
    expect(Buffer.from(signature?.contents ?? []).toString("hex")).toBe("30800401000000");
  });

  it("ignores /ByteRange outside a dictionary key: in strings, in other names, in streams", () => {
    const decoy = ENCODER.encode(
      "%PDF-1.7\n1 0 obj\n<< /Title (/ByteRange [0 1 2 3]) /ByteRangeX [0 1 2 3] >>\nendobj\nstream\n/ByteRange [0 1 2 3]\nendstream\n%%EOF\n",
    );
    expect(parsePdfSignatures(decoy)).toEqual([]);
  });

  it("reports a signature followed by more bytes as not covering the whole file", () => {
    const appended = Buffer.concat([handmade(), Buffer.from("1 0 obj\n<< >>\nendobj\n%%EOF\n")]);
    expect(parsePdfSignatures(appended)[0]?.coversWholeFile).toBe(false);
  });
});

describe("parsePdfSignatures: named failures", () => {
  it.each<[string, Parameters<typeof handmade>[0], PadesErrorCode]>([
    [
      "a ByteRange not starting at 0",
      { tweak: ([, b, c, d]) => [1, b ?? 0, c ?? 0, d ?? 0] },
      "PDF_BYTE_RANGE_INVALID",
    ],
    [
      "a gap one byte off /Contents",
      { tweak: ([a, b, c, d]) => [a ?? 0, (b ?? 0) + 1, c ?? 0, d ?? 0] },
      "PDF_BYTE_RANGE_INVALID",
    ],
    [
      "a gap that includes more than /Contents",
      { tweak: ([a, b, c, d]) => [a ?? 0, b ?? 0, (c ?? 0) + 1, (d ?? 0) - 1] },
      "PDF_BYTE_RANGE_INVALID",
    ],
    [
      "a range past the end of the file",
      { tweak: ([a, b, c, d]) => [a ?? 0, b ?? 0, c ?? 0, (d ?? 0) + 1] },
      "PDF_BYTE_RANGE_INVALID",
    ],
    ["overlapping ranges", { tweak: ([a, b, , d]) => [a ?? 0, b ?? 0, 5, d ?? 0] }, "PDF_BYTE_RANGE_INVALID"],
    ["/Contents holding a truncated DER element", { contents: "<30050000>" }, "PDF_SIGNATURE_CONTENTS_INVALID"],
    ["/Contents with data after the CMS", { contents: "<30000000ff>" }, "PDF_SIGNATURE_CONTENTS_INVALID"],
    ["/Contents as a literal string", { contents: "(0)" }, "PDF_SIGNATURE_DICTIONARY_INVALID"],
    ["a repeated /Contents", { extra: " /Contents <00>" }, "PDF_SIGNATURE_DICTIONARY_INVALID"],
  ])("refuses %s", (_, options, code) => {
    expect(codeOf(() => parsePdfSignatures(handmade(options)))).toBe(code);
  });

  it("refuses a ByteRange that is not four integers", () => {
    const three = Buffer.from(handmade())
      .toString("latin1")
      .replace(/\/ByteRange \[0+ /, "/ByteRange [");
    expect(codeOf(() => parsePdfSignatures(ENCODER.encode(three)))).toBe("PDF_BYTE_RANGE_INVALID");
    const names = Buffer.from(handmade())
      .toString("latin1")
      .replace(/\/ByteRange \[0+ /, "/ByteRange [/x ");
    expect(codeOf(() => parsePdfSignatures(ENCODER.encode(names)))).toBe("PDF_BYTE_RANGE_INVALID");
  });

  it("refuses input without a %PDF- header", () => {
    expect(codeOf(() => parsePdfSignatures(ENCODER.encode("<< /ByteRange [0 1 2 3] >>")))).toBe("PDF_MALFORMED");
  });
});

describe("parsePdfSignatures: hostile input never crashes it", () => {
  let signed: Uint8Array;

  beforeAll(async () => {
    const cms = new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]);
    signed = await signPades(await makeTestPdf(), async () => cms, { signingTime: new Date(0) });
  });

  const total = (bytes: Uint8Array) => {
    const outcome = codeOf(() => parsePdfSignatures(bytes));
    expect(typeof outcome).toBe("string");
  };

  it("answers token soup with signatures or a named error", () => {
    const token = fc.constantFrom(
      "<<",
      ">>",
      "/ByteRange",
      "/Contents",
      "[",
      "]",
      "0 ",
      "12 ",
      "-3 ",
      "1e9 ",
      "<3003020100>",
      "<30800000",
      "(",
      ")",
      "\\",
      "%",
      "\n",
      "/M",
      "(D:2026)",
      "<<<",
      "#",
      "/",
      "<FEFF00",
      " R ",
      "99999999999999999999 ",
    );
    const soup = fc.array(token, { maxLength: 60 }).map((parts) => ENCODER.encode(`%PDF-1.7\n${parts.join("")}`));
    fc.assert(fc.property(soup, total), { numRuns: 500 });
  });

  it("gives up quickly on a file made of thousands of stray /ByteRange keys", () => {
    const stray = ENCODER.encode(`%PDF-1.7\n${"/ByteRange [0 1 2 3] ".repeat(50_000)}`);
    expect(codeOf(() => parsePdfSignatures(stray))).toBe("PDF_MALFORMED");
  });

  it("answers random bytes and splices into a signed PDF with signatures or a named error", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), total), { numRuns: 200 });
    const splice = fc.tuple(fc.nat(signed.length), fc.nat(20), fc.uint8Array({ maxLength: 20 }));
    fc.assert(
      fc.property(splice, ([at, remove, insert]) => {
        total(Buffer.concat([signed.subarray(0, at), insert, signed.subarray(at + remove)]));
      }),
      { numRuns: 300 },
    );
  });
});

import { berElementLength } from "./ber-length.js";
import type { ByteRange } from "./byte-range.js";
import { PadesError } from "./errors.js";
import { parsePdfDate } from "./pdf-date.js";
import { isDelimiter, isWhiteSpace, type LexBudget, PdfSyntaxError, type PdfValue, parseValueAt } from "./pdf-lexer.js";

/** One signature (or document timestamp) dictionary found in a PDF, ISO 32000-1 §12.8.1 Table 252. */
export interface PdfSignature {
  /** Offset of the dictionary's `<<`. */
  readonly offset: number;
  readonly byteRange: ByteRange;
  /** The CMS (DER or BER) from /Contents, without the zero padding. */
  readonly contents: Uint8Array;
  /** /Type: Sig, or DocTimeStamp for an RFC 3161 document timestamp (ETSI EN 319 142-1 §5.4). */
  readonly type: string | undefined;
  readonly filter: string | undefined;
  /** ETSI.CAdES.detached for PAdES baseline; adbe.pkcs7.detached for legacy signatures. */
  readonly subFilter: string | undefined;
  /** /M, the claimed signing time (PAdES baseline), when present and a valid PDF date (§7.9.4). */
  readonly signingTime: Date | undefined;
  readonly name: string | undefined;
  readonly reason: string | undefined;
  readonly location: string | undefined;
  readonly contactInfo: string | undefined;
  /**
   * "Total document signed": the ByteRange starts at 0 and its second range ends at the end of
   * the file. False for an earlier signature followed by incremental updates (a second signature).
   */
  readonly coversWholeFile: boolean;
}

const BYTE_RANGE_KEY = Buffer.from("/ByteRange");
const MAX_SIGNATURES = 64;
const MAX_CANDIDATES = 8;

/**
 * Step 4: finds every signature dictionary (a dictionary with a /ByteRange key), checks that its
 * ByteRange is well-formed and that its only gap is exactly the /Contents hex string, and returns
 * what a verifier needs. Pure and total: anything wrong is a {@link PadesError}, never a crash.
 */
export function parsePdfSignatures(pdf: Uint8Array): PdfSignature[] {
  const bytes = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  const header = bytes.indexOf("%PDF-");
  if (header < 0 || header > 1024) throw new PadesError("PDF_MALFORMED", "no %PDF- header");
  // A fixed budget, not one growing with the file: only the few dictionaries around a /ByteRange are
  // parsed, and a 20 MB array of zeros must not cost seconds and a gigabyte of parsed values.
  const budget: LexBudget = { remaining: 2 * 1024 * 1024 };
  const signatures: PdfSignature[] = [];
  for (let at = bytes.indexOf(BYTE_RANGE_KEY); at >= 0; at = bytes.indexOf(BYTE_RANGE_KEY, at + 1)) {
    const following = bytes[at + BYTE_RANGE_KEY.length];
    if (!isWhiteSpace(following) && !isDelimiter(following)) continue;
    const dictionary = enclosingDictionary(bytes, at, budget);
    if (dictionary === undefined) continue;
    if (signatures.length === MAX_SIGNATURES) throw new PadesError("PDF_MALFORMED", "too many signature dictionaries");
    signatures.push(readSignature(bytes, dictionary));
  }
  return signatures;
}

type Dictionary = Extract<PdfValue, { kind: "dict" }>;

/** The nearest dictionary that parses and has this very /ByteRange as one of its own keys. */
function enclosingDictionary(bytes: Buffer, keyAt: number, budget: LexBudget): Dictionary | undefined {
  let cursor = keyAt;
  for (let tries = 0; tries < MAX_CANDIDATES; tries++) {
    const start = cursor > 0 ? bytes.lastIndexOf("<<", cursor - 1) : -1;
    // The backward scan is work too: thousands of stray /ByteRange keys must not be quadratic.
    budget.remaining -= cursor - Math.max(start, 0);
    if (budget.remaining < 0) throw new PadesError("PDF_MALFORMED", "the PDF is too complex to scan");
    if (start < 0) return undefined;
    cursor = start;
    let value: PdfValue;
    try {
      value = parseValueAt(bytes, start, budget);
    } catch (error) {
      if (!(error instanceof PdfSyntaxError)) throw error;
      if (budget.remaining < 0)
        throw new PadesError("PDF_MALFORMED", "the PDF is too complex to scan", { cause: error });
      continue;
    }
    if (value.kind === "dict" && value.end > keyAt && value.entries.some((entry) => entry.keyStart === keyAt)) {
      return value;
    }
  }
  return undefined;
}

function invalid(code: "PDF_SIGNATURE_DICTIONARY_INVALID" | "PDF_BYTE_RANGE_INVALID", message: string): PadesError {
  return new PadesError(code, message);
}

function entry(dictionary: Dictionary, key: string): PdfValue | undefined {
  const found = dictionary.entries.filter((candidate) => candidate.key === key);
  if (found.length > 1) throw invalid("PDF_SIGNATURE_DICTIONARY_INVALID", `/${key} appears twice`);
  return found[0]?.value;
}

function readSignature(bytes: Buffer, dictionary: Dictionary): PdfSignature {
  const contents = entry(dictionary, "Contents");
  if (contents?.kind !== "string" || !contents.hex) {
    throw invalid("PDF_SIGNATURE_DICTIONARY_INVALID", "/Contents is missing or not a hex string");
  }
  const byteRange = readByteRange(entry(dictionary, "ByteRange"), bytes.length);
  if (contents.start !== byteRange[1] || contents.end !== byteRange[2]) {
    throw invalid("PDF_BYTE_RANGE_INVALID", "the ByteRange gap is not exactly the /Contents string");
  }
  const name = (key: string) => {
    const value = entry(dictionary, key);
    return value?.kind === "name" ? value.value : undefined;
  };
  const signingTimeText = text(entry(dictionary, "M"));
  return {
    offset: dictionary.start,
    byteRange,
    contents: cms(contents.bytes),
    type: name("Type"),
    filter: name("Filter"),
    subFilter: name("SubFilter"),
    signingTime: signingTimeText === undefined ? undefined : parsePdfDate(signingTimeText),
    name: text(entry(dictionary, "Name")),
    reason: text(entry(dictionary, "Reason")),
    location: text(entry(dictionary, "Location")),
    contactInfo: text(entry(dictionary, "ContactInfo")),
    coversWholeFile: byteRange[2] + byteRange[3] === bytes.length,
  };
}

/** Four non-negative integers, the first 0, the two ranges in order inside the file. */
function readByteRange(value: PdfValue | undefined, fileLength: number): ByteRange {
  if (value?.kind !== "array" || value.items.length !== 4) {
    throw invalid("PDF_BYTE_RANGE_INVALID", "/ByteRange is not an array of four numbers");
  }
  const numbers = value.items.map((item) => (item.kind === "number" ? item.value : Number.NaN));
  if (!numbers.every((n) => Number.isSafeInteger(n) && n >= 0)) {
    throw invalid("PDF_BYTE_RANGE_INVALID", "/ByteRange holds something other than non-negative integers");
  }
  const [offset1, length1, offset2, length2] = numbers as [number, number, number, number];
  if (offset1 !== 0 || offset2 < length1 || offset2 + length2 > fileLength) {
    throw invalid("PDF_BYTE_RANGE_INVALID", "/ByteRange does not start at 0 or runs out of the file");
  }
  return [offset1, length1, offset2, length2];
}

/** /Contents without its zero padding, cut at the end of the first BER element. */
function cms(bytes: Uint8Array): Uint8Array {
  const length = berElementLength(bytes);
  if (length === undefined) {
    throw new PadesError("PDF_SIGNATURE_CONTENTS_INVALID", "/Contents does not hold a DER (or BER) CMS");
  }
  if (bytes.subarray(length).some((byte) => byte !== 0)) {
    throw new PadesError("PDF_SIGNATURE_CONTENTS_INVALID", "/Contents has data after the CMS");
  }
  return bytes.slice(0, length);
}

/** §7.9.2.2 text strings: UTF-16BE with a BOM, UTF-8 with a BOM (PDF 2.0), else PDFDocEncoding (≈ Latin-1). */
function text(value: PdfValue | undefined): string | undefined {
  if (value?.kind !== "string") return undefined;
  const raw = Buffer.from(value.bytes);
  if (raw[0] === 0xfe && raw[1] === 0xff) return utf16be(raw.subarray(2));
  if (raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf) return raw.subarray(3).toString("utf8");
  return raw.toString("latin1");
}

function utf16be(bytes: Buffer): string {
  const even = Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2)));
  return even.swap16().toString("utf16le");
}

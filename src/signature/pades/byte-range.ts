import { berElementLength } from "./ber-length.js";
import { PadesError } from "./errors.js";
import { isWhiteSpace } from "./pdf-lexer.js";

/** ISO 32000-1 §12.8.1: [offset1 length1 offset2 length2], the signed bytes around /Contents. */
export type ByteRange = readonly [number, number, number, number];

/** A PDF whose ByteRange is final and whose /Contents still holds zeros. */
export interface PreparedPdf {
  readonly pdf: Uint8Array;
  readonly byteRange: ByteRange;
  /** Exactly the bytes the detached CMS signs: both ranges, concatenated. */
  readonly bytesToSign: Uint8Array;
  /** Largest DER CMS, in bytes, that /Contents can take. */
  readonly contentsCapacity: number;
}

/** What @signpdf writes: fixed width, wide enough for four 10-digit numbers. */
const PLACEHOLDER = Buffer.from("/ByteRange [0 /********** /********** /**********]");

/**
 * Step 2: computes the ByteRange of the one unfilled placeholder, writes it in place (padded
 * with spaces, so no offset moves) and returns the bytes to sign. The gap is the whole /Contents
 * hex string, angle brackets included (§12.8.1).
 */
export function prepareByteRange(pdfWithPlaceholder: Uint8Array): PreparedPdf {
  const pdf = Buffer.from(pdfWithPlaceholder);
  const at = pdf.indexOf(PLACEHOLDER);
  if (at < 0 || pdf.indexOf(PLACEHOLDER, at + 1) >= 0) {
    throw new PadesError("PDF_PLACEHOLDER_NOT_FOUND", "expected exactly one unfilled ByteRange placeholder");
  }
  const gapStart = contentsAfter(pdf, at + PLACEHOLDER.length);
  const gapEnd = hexStringEnd(pdf, gapStart);
  const byteRange: ByteRange = [0, gapStart, gapEnd, pdf.length - gapEnd];
  const text = `/ByteRange [${byteRange.join(" ")}]`.padEnd(PLACEHOLDER.length, " ");
  pdf.write(text, at, "latin1");
  return {
    pdf: new Uint8Array(pdf),
    byteRange,
    bytesToSign: signedBytes(pdf, byteRange),
    contentsCapacity: Math.floor((gapEnd - gapStart - 2) / 2),
  };
}

/** The bytes a ByteRange covers, concatenated. The caller has checked the range against the file. */
export function signedBytes(pdf: Uint8Array, [offset1, length1, offset2, length2]: ByteRange): Uint8Array {
  return new Uint8Array(
    Buffer.concat([pdf.subarray(offset1, offset1 + length1), pdf.subarray(offset2, offset2 + length2)]),
  );
}

function notFound(message: string): PadesError {
  return new PadesError("PDF_PLACEHOLDER_NOT_FOUND", message);
}

/** Offset of the `<` of the /Contents that follows the placeholder in the same dictionary. */
function contentsAfter(pdf: Buffer, from: number): number {
  let position = from;
  while (isWhiteSpace(pdf[position])) position += 1;
  if (pdf.toString("latin1", position, position + 9) !== "/Contents")
    throw notFound("/Contents must follow /ByteRange");
  position += 9;
  while (isWhiteSpace(pdf[position])) position += 1;
  if (pdf[position] !== 0x3c) throw notFound("/Contents is not a hex string");
  return position;
}

/** Offset after the `>` closing the zero-filled hex string that starts at `start`. */
function hexStringEnd(pdf: Buffer, start: number): number {
  let position = start + 1;
  while (pdf[position] === 0x30) position += 1;
  if (pdf[position] !== 0x3e || position === start + 1) throw notFound("/Contents placeholder is not zero-filled hex");
  return position + 1;
}

/**
 * Step 3: writes the DER CMS into /Contents as hex, zero-padded to the reserved size. Refuses a
 * CMS that is not one BER element (a PEM or base64 string by mistake) or that does not fit.
 */
export function embedCms(prepared: PreparedPdf, cms: Uint8Array): Uint8Array {
  if (cms.length === 0 || berElementLength(cms) !== cms.length) {
    throw new PadesError("PDF_SIGNATURE_CONTENTS_INVALID", "the CMS is not a single DER element");
  }
  if (cms.length > prepared.contentsCapacity) {
    throw new PadesError(
      "PDF_SIGNATURE_TOO_LARGE",
      `the CMS is ${cms.length} bytes, /Contents holds ${prepared.contentsCapacity}: raise signatureLength`,
    );
  }
  const pdf = Buffer.from(prepared.pdf);
  pdf.write(Buffer.from(cms).toString("hex").toUpperCase(), prepared.byteRange[1] + 1, "latin1");
  return new Uint8Array(pdf);
}

import { plainAddPlaceholder } from "@signpdf/placeholder-plain";
import { SUBFILTER_ETSI_CADES_DETACHED } from "@signpdf/utils";
import { PadesError } from "./errors.js";
import { isWhiteSpace } from "./pdf-lexer.js";

/**
 * Step 1 of PAdES signing: append, as an incremental update (ISO 32000-1 §7.5.6), a signature
 * field whose signature dictionary (§12.8.1, Table 252) has `/SubFilter /ETSI.CAdES.detached`,
 * `/M` = the claimed signing time (ETSI EN 319 142-1 §6.3 Table 1: PAdES-B-B carries the time in
 * /M, the CMS has no signing-time attribute), the optional reason/location/name/contact fields,
 * a ByteRange placeholder and a zero-filled /Contents of `signatureLength` bytes.
 */
export interface PlaceholderOptions {
  readonly signingTime: Date;
  readonly reason?: string;
  readonly location?: string;
  /** The signer's name as shown by viewers (not the certificate subject, which viewers read from the CMS). */
  readonly name?: string;
  readonly contactInfo?: string;
  /** Bytes reserved for the DER CMS: chain plus an RFC 3161 timestamp token fit in 16 KiB; default 32 KiB. */
  readonly signatureLength?: number;
  readonly appName?: string;
}

export const DEFAULT_SIGNATURE_LENGTH = 32 * 1024;
export const MIN_SIGNATURE_LENGTH = 16 * 1024;
export const MAX_SIGNATURE_LENGTH = 1024 * 1024;

export function addSignaturePlaceholder(pdf: Uint8Array, options: PlaceholderOptions): Uint8Array {
  const signatureLength = checkOptions(options);
  const fields = new TextFields(options);
  const input = Buffer.from(endWithEofLine(pdf));
  checkClassicCrossReference(pdf);
  let output: Buffer;
  try {
    output = plainAddPlaceholder({
      pdfBuffer: input,
      ...fields.placeholders,
      signingTime: options.signingTime,
      signatureLength,
      subFilter: SUBFILTER_ETSI_CADES_DETACHED,
      ...(options.appName === undefined ? {} : { appName: options.appName }),
    });
  } catch (cause) {
    throw new PadesError("PDF_MALFORMED", "the PDF cannot be read to add a signature field", { cause });
  }
  const result = fields.restore(output, pdf.length);
  if (!Buffer.from(pdf).equals(result.subarray(0, pdf.length))) {
    throw new PadesError("PDF_INCREMENTAL_UPDATE_FAILED", "the original bytes are not a prefix of the signed PDF");
  }
  return new Uint8Array(result);
}

function checkOptions(options: PlaceholderOptions): number {
  if (!(options.signingTime instanceof Date) || Number.isNaN(options.signingTime.getTime())) {
    throw new PadesError("PDF_SIGNATURE_OPTIONS_INVALID", "signingTime is not a valid date");
  }
  const length = options.signatureLength ?? DEFAULT_SIGNATURE_LENGTH;
  if (!Number.isInteger(length) || length < MIN_SIGNATURE_LENGTH || length > MAX_SIGNATURE_LENGTH) {
    throw new PadesError(
      "PDF_SIGNATURE_OPTIONS_INVALID",
      `signatureLength must be an integer from ${MIN_SIGNATURE_LENGTH} to ${MAX_SIGNATURE_LENGTH} bytes`,
    );
  }
  return length;
}

const EOF_MARKER = Buffer.from("%%EOF");

/**
 * The placeholder library drops one trailing LF (and CR) before appending, and insists that the
 * file ends with an "%%EOF" line. For any other ending (CRLF, trailing blanks) a second "%%EOF"
 * comment line is added, so that every original byte stays in place (§7.5.5: a comment is white space).
 */
function endWithEofLine(pdf: Uint8Array): Uint8Array {
  const bytes = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  const eof = bytes.lastIndexOf(EOF_MARKER);
  if (eof < 0) throw new PadesError("PDF_MALFORMED", "no %%EOF marker: not a complete PDF");
  const tail = bytes.subarray(eof + EOF_MARKER.length).toString("latin1");
  const eofLine = eof > 0 && (bytes[eof - 1] === 0x0a || bytes[eof - 1] === 0x0d);
  if (eofLine && (tail === "" || tail === "\n")) return pdf;
  const last = bytes[bytes.length - 1];
  const separator = last === 0x0a || last === 0x0d ? "" : "\n";
  return Buffer.concat([bytes, Buffer.from(`${separator}%%EOF`)]);
}

/** §7.5.4 vs §7.5.8: the placeholder library writes classic xref tables only. */
function checkClassicCrossReference(pdf: Uint8Array): void {
  const bytes = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  const startxref = bytes.lastIndexOf("startxref");
  const offset = Number.parseInt(
    bytes
      .subarray(startxref + 9, startxref + 40)
      .toString("latin1")
      .trim(),
    10,
  );
  if (startxref < 0 || !Number.isSafeInteger(offset) || offset < 0 || offset >= bytes.length) {
    throw new PadesError("PDF_MALFORMED", "no usable startxref");
  }
  // @signpdf's own updates point startxref at the line break before "xref": tolerate white space.
  let at = offset;
  while (isWhiteSpace(bytes[at])) at += 1;
  if (bytes.subarray(at, at + 4).toString("latin1") !== "xref") {
    throw new PadesError(
      "PDF_STRUCTURE_UNSUPPORTED",
      "cross-reference streams are not supported; use a classic xref table",
    );
  }
}

/**
 * The placeholder library writes text fields as UTF-8 bytes inside a PDF string, which corrupts
 * any non-ASCII character ("Forlì"). Non-ASCII fields are therefore passed as ASCII tokens of the
 * same length as their UTF-16BE hex string (§7.9.2.2, with BOM) and swapped afterwards, so no
 * cross-reference offset moves.
 */
class TextFields {
  readonly placeholders: { reason: string; location: string; name: string; contactInfo: string };
  private readonly swaps: Array<{ token: string; hex: string }> = [];

  constructor(options: PlaceholderOptions) {
    this.placeholders = {
      reason: this.field(options.reason, 0),
      location: this.field(options.location, 1),
      name: this.field(options.name, 2),
      contactInfo: this.field(options.contactInfo, 3),
    };
  }

  private field(value: string | undefined, index: number): string {
    if (value === undefined || /^[\x20-\x7e]*$/.test(value)) return value ?? "";
    const hex = `<FEFF${Buffer.from(value, "utf16le").swap16().toString("hex").toUpperCase()}>`;
    const token = `~${index}~`.padEnd(hex.length - 2, "~");
    this.swaps.push({ token: `(${token})`, hex });
    return token;
  }

  restore(output: Buffer, from: number): Buffer {
    for (const { token, hex } of this.swaps) {
      const at = output.indexOf(token, from, "latin1");
      if (at < 0 || output.indexOf(token, at + 1, "latin1") >= 0) {
        throw new PadesError("PDF_SIGNATURE_OPTIONS_INVALID", "a text field clashes with another one");
      }
      output.write(hex, at, "latin1");
    }
    return output;
  }
}

/**
 * Errors of the PAdES plumbing, each with a stable `code`. Verification turns them into reasons
 * (verify-signature.ts); signing turns them into the AppError `PDF_NOT_SIGNABLE` with this code in
 * its detail (signature-service.ts).
 */

export type PadesErrorCode =
  /** Not a PDF we can read: no header, no end-of-file marker, a broken cross-reference table. */
  | "PDF_MALFORMED"
  /** A valid PDF this plumbing cannot update incrementally (cross-reference streams, PDF 1.5+). */
  | "PDF_STRUCTURE_UNSUPPORTED"
  | "PDF_SIGNATURE_OPTIONS_INVALID"
  /** No (or more than one) unfilled signature placeholder to compute the ByteRange for. */
  | "PDF_PLACEHOLDER_NOT_FOUND"
  /** The CMS does not fit the space reserved for /Contents. */
  | "PDF_SIGNATURE_TOO_LARGE"
  /** The original bytes are not a prefix of the output: the update would not be incremental. */
  | "PDF_INCREMENTAL_UPDATE_FAILED"
  /** A signature dictionary with a missing or repeated key, or a key of the wrong type. */
  | "PDF_SIGNATURE_DICTIONARY_INVALID"
  /** ByteRange not four integers, out of the file, not starting at 0, or whose gap is not /Contents. */
  | "PDF_BYTE_RANGE_INVALID"
  /** /Contents is not a hex string holding one DER (or BER) element. */
  | "PDF_SIGNATURE_CONTENTS_INVALID";

export class PadesError extends Error {
  readonly code: PadesErrorCode;

  constructor(code: PadesErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "PadesError";
    this.code = code;
  }
}

export function isPadesError(value: unknown): value is PadesError {
  return value instanceof PadesError;
}

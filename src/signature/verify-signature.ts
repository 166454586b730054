import { type CadesSigner, verifyCades } from "./cades/index.js";
import { isPadesError, type PdfSignature, parsePdfSignatures, signedBytes } from "./pades/index.js";

/**
 * One entry point for every signed file the gateway meets (issue 5 "Verification"): a `.p7m`
 * in DER, BER or base64, nested `.p7m.p7m`, parallel signatures, or a PAdES PDF. Never throws:
 * every failure is a named reason.
 */

export interface VerifyOptions {
  /** Trust anchors, DER. */
  readonly trust: readonly Uint8Array[];
  /** Validation time when a signature claims none. Default: now. */
  readonly at?: Date;
}

/** CAdES reason codes, plus the PDF-level ones below. */
export interface VerificationReason {
  readonly code: string;
  readonly message: string;
  readonly signerIndex?: number;
}

export interface Verification {
  readonly valid: boolean;
  readonly format: "cades" | "pades";
  /** CAdES: the innermost signed content. PAdES: the PDF itself. Null when unreadable. */
  readonly content: Uint8Array | null;
  readonly signers: readonly CadesSigner[];
  readonly reasons: readonly VerificationReason[];
  /** PAdES only: each signature dictionary, in file order. */
  readonly pdfSignatures?: readonly PdfSignature[];
}

/** PDF-level reasons (ISO 32000-1 §12.8, ETSI EN 319 142-1 §5.x). */
export const PDF_REASON_CODES = {
  malformed: "PDF_MALFORMED",
  unsigned: "PDF_NOT_SIGNED",
  notWhole: "PDF_CHANGED_AFTER_SIGNING",
  subFilter: "PDF_SUBFILTER_UNSUPPORTED",
} as const;

/** ETSI.CAdES.detached is PAdES baseline; adbe.pkcs7.detached is the older profile many tools still make. */
const SUPPORTED_SUBFILTERS = new Set(["ETSI.CAdES.detached", "adbe.pkcs7.detached"]);

/**
 * Whether the bytes are a PDF: `%PDF-` within the first 1024 bytes (readers accept leading bytes,
 * ISO 32000-1 Annex H.3). A DER `.p7m` (a SEQUENCE, 0x30) enveloping a PDF also has `%PDF-` early
 * on, inside its content, so it is ruled out first.
 */
export function looksLikePdf(bytes: Uint8Array): boolean {
  if (bytes[0] === 0x30) return false;
  const head = Buffer.from(bytes.subarray(0, 1024)).toString("latin1");
  return head.includes("%PDF-") && !head.trimStart().startsWith("-----BEGIN");
}

export function verifySignature(bytes: Uint8Array, options: VerifyOptions): Verification {
  if (!looksLikePdf(bytes)) {
    const result = verifyCades(bytes, options);
    return { ...result, format: "cades" };
  }
  return verifyPades(bytes, options);
}

function verifyPades(pdf: Uint8Array, options: VerifyOptions): Verification {
  let signatures: PdfSignature[];
  try {
    signatures = parsePdfSignatures(pdf);
  } catch (error) {
    const message = isPadesError(error) ? error.message : "the PDF could not be read";
    return invalidPdf(pdf, { code: PDF_REASON_CODES.malformed, message });
  }
  if (signatures.length === 0) {
    return invalidPdf(pdf, { code: PDF_REASON_CODES.unsigned, message: "the PDF has no signature" });
  }
  const signers: CadesSigner[] = [];
  const reasons: VerificationReason[] = [];
  signatures.forEach((signature, index) => {
    if (!SUPPORTED_SUBFILTERS.has(signature.subFilter ?? "")) {
      reasons.push({
        code: PDF_REASON_CODES.subFilter,
        message: `signature ${index + 1} uses /SubFilter ${signature.subFilter ?? "(none)"}`,
        signerIndex: signers.length,
      });
      return;
    }
    // /M is the signer's own claim, like signing-time: validity is checked at `at` (now) unless a
    // time-stamp proves an earlier time.
    const result = verifyCades(signature.contents, {
      trust: options.trust,
      detachedContent: signedBytes(pdf, signature.byteRange),
      ...(options.at ? { at: options.at } : {}),
    });
    const offset = signers.length;
    signers.push(...result.signers.map((s) => ({ ...s, layer: index })));
    reasons.push(...result.reasons.map((r) => ({ ...r, signerIndex: (r.signerIndex ?? 0) + offset })));
  });
  // Only the last signature can cover the whole file; anything appended after it is unsigned.
  if (!signatures[signatures.length - 1]?.coversWholeFile) {
    reasons.push({
      code: PDF_REASON_CODES.notWhole,
      message: "the file was changed after its last signature (bytes outside every signed range)",
    });
  }
  const valid = signers.length > 0 && reasons.length === 0;
  return { valid, format: "pades", content: pdf, signers, reasons, pdfSignatures: signatures };
}

function invalidPdf(pdf: Uint8Array, reason: VerificationReason): Verification {
  return { valid: false, format: "pades", content: pdf, signers: [], reasons: [reason], pdfSignatures: [] };
}

/**
 * Whether a PAdES file is `original` plus one signature: exactly one signature dictionary, the
 * file starts with `original` (an incremental update, ISO 32000-1 §7.5.6), and the signature's
 * ranges start at 0, run past `original` and cover the whole file. A second signature or any
 * update after the first could change what a reader shows, so neither is accepted here.
 */
export function padesSignsPrefix(verification: Verification, original: Uint8Array): boolean {
  const pdf = verification.content;
  const signatures = verification.pdfSignatures ?? [];
  const only = signatures[0];
  if (verification.format !== "pades" || !pdf || !only || signatures.length !== 1) return false;
  if (pdf.length < original.length || Buffer.compare(pdf.subarray(0, original.length), original) !== 0) return false;
  return only.coversWholeFile && only.byteRange[0] === 0 && only.byteRange[1] >= original.length;
}

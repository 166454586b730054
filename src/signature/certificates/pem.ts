/**
 * PEM ⇄ DER (RFC 7468): the textual encoding of certificates and PKCS#8 keys on disk.
 * Strict on labels, lenient on whitespace, as RFC 7468 §3 asks of parsers.
 */
import { X509Certificate } from "node:crypto";
import { signatureInputError } from "../cades/errors.js";

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** RFC 7468 §5.1 "CERTIFICATE", the older "X509 CERTIFICATE", and OpenSSL's "TRUSTED CERTIFICATE". */
const CERTIFICATE_LABELS: ReadonlySet<string> = new Set(["CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE"]);

export interface PemBlock {
  label: string;
  der: Uint8Array;
}

/** Every PEM block in `text`, in order (a chain file holds several CERTIFICATE blocks). */
export function pemBlocks(text: string): PemBlock[] {
  return [...text.matchAll(PEM_BLOCK)].map((match) => ({
    label: match[1] ?? "",
    der: new Uint8Array(Buffer.from((match[2] ?? "").replace(/\s+/g, ""), "base64")),
  }));
}

/** The DER of every block labelled `label` (e.g. all the certificates of a chain file). */
export function pemToDerList(text: string, label = "CERTIFICATE"): Uint8Array[] {
  return pemBlocks(text)
    .filter((block) => block.label === label)
    .map((block) => block.der);
}

/**
 * Trust anchors from a PEM bundle (RFC 7468 §5: certificate blocks; text between blocks, as in
 * OpenSSL's `-text` output or ca-certificates bundles, is ignored). Returns the DER of each
 * certificate; throws an AppError naming the block when one is not a certificate, so a broken
 * trust configuration fails at start.
 *
 * @example
 * const trust = parsePemBundle(readFileSync("ca.pem", "utf8"));
 */
export function parsePemBundle(text: string): Uint8Array[] {
  const certificates = pemBlocks(text).filter((block) => CERTIFICATE_LABELS.has(block.label));
  return certificates.map(({ der }, index) => {
    try {
      new X509Certificate(der);
    } catch (error) {
      throw signatureInputError(`PEM bundle: block ${index + 1} is not an X.509 certificate`, error);
    }
    return der;
  });
}

/** DER → PEM with 64-character lines (RFC 7468 §2). */
export function derToPem(der: Uint8Array, label: string): string {
  const base64 = Buffer.from(der).toString("base64");
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/**
 * Trust anchors from a PEM bundle (RFC 7468 §5: "CERTIFICATE" blocks; text between blocks,
 * as in OpenSSL's `-text` output or ca-certificates bundles, is ignored).
 */
import { X509Certificate } from "node:crypto";
import { signatureInputError } from "./errors.js";

const CERTIFICATE_BLOCK =
  /-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----([\s\S]*?)-----END (?:X509 |TRUSTED )?CERTIFICATE-----/g;

/**
 * Returns the DER of each certificate in the bundle. Throws an AppError naming the block
 * when one is not a certificate, so a broken trust configuration fails at start.
 *
 * @example
 * const trust = parsePemBundle(readFileSync("ca.pem", "utf8"));
 */
export function parsePemBundle(text: string): Uint8Array[] {
  return [...text.matchAll(CERTIFICATE_BLOCK)].map((match, index) => {
    const der = new Uint8Array(Buffer.from((match[1] ?? "").replace(/\s+/g, ""), "base64"));
    try {
      new X509Certificate(der);
    } catch (error) {
      throw signatureInputError(`PEM bundle: block ${index + 1} is not an X.509 certificate`, error);
    }
    return der;
  });
}

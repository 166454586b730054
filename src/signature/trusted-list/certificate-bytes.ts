import { createHash, X509Certificate } from "node:crypto";
import { pemToDerList } from "../certificates/pem.js";
import { TrustedListError } from "./errors.js";
import type { TrustedListSignerPin } from "./model.js";

/** SHA-256 of DER bytes, lower-case hex without separators. */
export function sha256Hex(der: Uint8Array): string {
  return createHash("sha256").update(der).digest("hex");
}

/**
 * The DER of an XMLDSig `X509Certificate` / TS 119 612 `X509Certificate` value (base64Binary,
 * whitespace allowed), or undefined when it is not base64 of a certificate.
 */
export function certificateFromBase64(text: string): Uint8Array | undefined {
  const compact = text.replace(/\s+/g, "");
  if (compact === "" || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
  const der = new Uint8Array(Buffer.from(compact, "base64"));
  return parseCertificate(der) === undefined ? undefined : der;
}

export function parseCertificate(der: Uint8Array): X509Certificate | undefined {
  try {
    return new X509Certificate(der);
  } catch {
    return undefined;
  }
}

/** Whether `at` falls inside the certificate's validity window (RFC 5280 §4.1.2.5). */
export function isValidAt(certificate: X509Certificate, at: Date): boolean {
  const notBefore = Date.parse(certificate.validFrom);
  const notAfter = Date.parse(certificate.validTo);
  return at.getTime() >= notBefore && at.getTime() <= notAfter;
}

export interface NormalizedPin {
  readonly sha256: string;
  readonly certificate: Uint8Array | undefined;
}

/** Validates the configured pins; a configuration error is TRUSTED_LIST_SIGNER_NOT_CONFIGURED. */
export function normalizePins(pins: readonly TrustedListSignerPin[]): NormalizedPin[] {
  if (pins.length === 0) {
    throw new TrustedListError(
      "TRUSTED_LIST_SIGNER_NOT_CONFIGURED",
      "no expected trusted-list signer configured: a list verified only against the certificate it carries proves nothing",
    );
  }
  return pins.map((pin) => (pin.kind === "sha256" ? fingerprintPin(pin.fingerprint) : certificatePin(pin.certificate)));
}

function fingerprintPin(fingerprint: string): NormalizedPin {
  const sha256 = fingerprint.replace(/[\s:]/g, "").toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(sha256)) {
    throw new TrustedListError("TRUSTED_LIST_SIGNER_NOT_CONFIGURED", "expected signer fingerprint is not SHA-256 hex");
  }
  return { sha256, certificate: undefined };
}

function certificatePin(certificate: Uint8Array | string): NormalizedPin {
  const der = typeof certificate === "string" ? pemToDerList(certificate)[0] : certificate;
  if (der === undefined || parseCertificate(der) === undefined) {
    throw new TrustedListError("TRUSTED_LIST_SIGNER_NOT_CONFIGURED", "expected signer certificate cannot be read");
  }
  return { sha256: sha256Hex(der), certificate: der };
}

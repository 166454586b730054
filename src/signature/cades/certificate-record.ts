/**
 * A certificate as the verifier handles it: the shared field parser's view
 * (certificates/certificate-info.ts), node:crypto's X509Certificate for the cryptography, the
 * byte-exact fields CMS matches on, and the subject key identifier (RFC 5280 §4.2.1.2).
 * Decoded once per buffer: trust anchors are reused across verifications.
 */
import { createHash, type KeyObject, X509Certificate } from "node:crypto";
import { OctetString } from "asn1js";
import {
  type CertificateInfo,
  describeCertificate,
  extensionOf,
  parseCertificate,
} from "../certificates/certificate-info.js";
import { formatDistinguishedName, nameAttributes } from "../certificates/distinguished-name.js";
import { OID } from "../oids.js";
import { type CertificateFields, readCertificateFields } from "./certificate-fields.js";

export interface CertificateRecord {
  readonly der: Uint8Array;
  readonly fields: CertificateFields;
  readonly x509: X509Certificate;
  /** null when the certificate's key cannot be decoded (then nothing verifies with it). */
  readonly publicKey: KeyObject | null;
  readonly info: CertificateInfo;
  /** Distinguished names in certificate order, as verification results report them: "C=IT, O=Comune di Roma, CN=…". */
  readonly subject: string;
  readonly issuer: string;
  readonly subjectKeyIdentifier: Uint8Array | null;
}

/** Decoded trust anchors are reused across verifications (a trusted list holds hundreds). */
const loaded = new WeakMap<Uint8Array, CertificateRecord | null>();

/**
 * The same certificates arrive again and again inside signatures (a PEC provider embeds its
 * certificate and CA in every receipt): decoding them is most of a verification's cost, so the
 * most recently used ones are also kept by content. Records are immutable, so sharing is safe.
 */
const recentByContent = new Map<string, CertificateRecord | null>();
const RECENT_LIMIT = 256;

/** Decodes a certificate; null when it is not one. Memoised per buffer object and by content. */
export function loadCertificate(der: Uint8Array): CertificateRecord | null {
  const known = loaded.get(der);
  if (known !== undefined) return known;
  const key = createHash("sha256").update(der).digest("base64");
  let record = recentByContent.get(key);
  if (record === undefined) {
    record = decodeCertificate(der);
    if (recentByContent.size >= RECENT_LIMIT) recentByContent.delete(recentByContent.keys().next().value as string);
  } else {
    recentByContent.delete(key);
  }
  recentByContent.set(key, record);
  loaded.set(der, record);
  return record;
}

function decodeCertificate(der: Uint8Array): CertificateRecord | null {
  try {
    const certificate = parseCertificate(der);
    const x509 = new X509Certificate(der);
    const info = describeCertificate(certificate, der);
    const subjectKeyIdentifier = extensionOf(certificate, OID.subjectKeyIdentifier)?.parsedValue;
    return {
      der,
      fields: readCertificateFields(der),
      x509,
      publicKey: publicKeyOf(x509),
      info,
      subject: formatDistinguishedName(info.subjectAttributes, "certificate"),
      issuer: formatDistinguishedName(nameAttributes(certificate.issuer), "certificate"),
      subjectKeyIdentifier:
        subjectKeyIdentifier instanceof OctetString ? subjectKeyIdentifier.valueBlock.valueHexView : null,
    };
  } catch {
    return null;
  }
}

function publicKeyOf(x509: X509Certificate): KeyObject | null {
  try {
    return x509.publicKey;
  } catch {
    return null;
  }
}

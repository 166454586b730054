/**
 * What a verifier reports and checks about a certificate (RFC 5280 §4.1, §4.2.1.2/3/9/12):
 * names, identifiers of the Italian profiles, validity, key usage. pkijs decodes the
 * certificate; node:crypto's X509Certificate does the cryptography.
 */
import { type KeyObject, X509Certificate } from "node:crypto";
import { BitString, OctetString } from "asn1js";
import { Certificate, ExtKeyUsage, type RelativeDistinguishedNames } from "pkijs";
import { type CertificateFields, readCertificateFields } from "./certificate-fields.js";
import { OID } from "./oids.js";

export interface CertificateRecord {
  readonly der: Uint8Array;
  readonly fields: CertificateFields;
  readonly x509: X509Certificate;
  /** null when the certificate's key cannot be decoded (then nothing verifies with it). */
  readonly publicKey: KeyObject | null;
  /** Distinguished names in certificate order, e.g. "C=IT, O=Comune di Roma, CN=…". */
  readonly subject: string;
  readonly issuer: string;
  /** Serial number, upper-case hex. */
  readonly serial: string;
  /** organizationIdentifier (2.5.4.97), e.g. "PA:IT-c_h501" or "VATIT-…" (ETSI EN 319 412-1 §5.1.4). */
  readonly organizationIdentifier: string | null;
  /** From a subject serialNumber "TINIT-<codice fiscale>" (ETSI EN 319 412-1 §5.1.3). */
  readonly fiscalCode: string | null;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** keyUsage bits that are set (RFC 5280 §4.2.1.3: 0 digitalSignature, 1 nonRepudiation, 5 keyCertSign), or null if absent. */
  readonly keyUsage: readonly number[] | null;
  readonly extendedKeyUsage: readonly string[] | null;
  readonly subjectKeyIdentifier: Uint8Array | null;
}

const SHORT_NAMES: Readonly<Record<string, string>> = {
  "2.5.4.3": "CN",
  "2.5.4.4": "SN",
  "2.5.4.5": "serialNumber",
  "2.5.4.6": "C",
  "2.5.4.7": "L",
  "2.5.4.8": "ST",
  "2.5.4.10": "O",
  "2.5.4.11": "OU",
  "2.5.4.12": "title",
  "2.5.4.42": "GN",
  "2.5.4.46": "dnQualifier",
  "2.5.4.97": "organizationIdentifier",
  "1.2.840.113549.1.9.1": "emailAddress",
};

/** Decoded trust anchors are reused across verifications (a trusted list holds hundreds). */
const loaded = new WeakMap<Uint8Array, CertificateRecord | null>();

/** Decodes a certificate; null when it is not one. Memoised per buffer object. */
export function loadCertificate(der: Uint8Array): CertificateRecord | null {
  const known = loaded.get(der);
  if (known !== undefined) return known;
  const record = decodeCertificate(der);
  loaded.set(der, record);
  return record;
}

function decodeCertificate(der: Uint8Array): CertificateRecord | null {
  try {
    const certificate = Certificate.fromBER(der);
    const x509 = new X509Certificate(der);
    const subjectValues = attributeValues(certificate.subject);
    const serialNumber = subjectValues.find(([type]) => type === OID.serialNumber)?.[1] ?? "";
    return {
      der,
      fields: readCertificateFields(der),
      x509,
      publicKey: publicKeyOf(x509),
      subject: formatName(certificate.subject),
      issuer: formatName(certificate.issuer),
      serial: x509.serialNumber.toUpperCase(),
      organizationIdentifier: subjectValues.find(([type]) => type === OID.organizationIdentifier)?.[1] ?? null,
      fiscalCode: serialNumber.toUpperCase().startsWith("TINIT-") ? serialNumber.slice(6).toUpperCase() : null,
      notBefore: certificate.notBefore.value,
      notAfter: certificate.notAfter.value,
      ...readExtensions(certificate),
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

function attributeValues(name: RelativeDistinguishedNames): [string, string][] {
  return name.typesAndValues.map((entry) => {
    const value = (entry.value.valueBlock as { value?: unknown }).value;
    return [entry.type, typeof value === "string" ? value : Buffer.from(entry.value.toBER()).toString("hex")];
  });
}

function formatName(name: RelativeDistinguishedNames): string {
  return attributeValues(name)
    .map(([type, value]) => `${SHORT_NAMES[type] ?? type}=${value.replace(/([,+"\\<>;])/g, "\\$1")}`)
    .join(", ");
}

function readExtensions(
  certificate: Certificate,
): Pick<CertificateRecord, "keyUsage" | "extendedKeyUsage" | "subjectKeyIdentifier"> {
  const parsed = (oid: string): unknown => certificate.extensions?.find((e) => e.extnID === oid)?.parsedValue;
  const keyUsage = parsed(OID.keyUsage);
  const extendedKeyUsage = parsed(OID.extKeyUsage);
  const subjectKeyIdentifier = parsed("2.5.29.14");
  return {
    keyUsage: keyUsage instanceof BitString ? setBits(keyUsage.valueBlock.valueHexView) : null,
    extendedKeyUsage: extendedKeyUsage instanceof ExtKeyUsage ? extendedKeyUsage.keyPurposes : null,
    subjectKeyIdentifier:
      subjectKeyIdentifier instanceof OctetString ? subjectKeyIdentifier.valueBlock.valueHexView : null,
  };
}

function setBits(bytes: Uint8Array): number[] {
  const bits: number[] = [];
  bytes.forEach((byte, i) => {
    for (let bit = 0; bit < 8; bit++) if (byte & (0x80 >> bit)) bits.push(i * 8 + bit);
  });
  return bits;
}

import { createHash } from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { AppError } from "../../shared/errors.js";
import { OID } from "../oids.js";
import { KEY_USAGE_FLAGS, type KeyUsageFlag } from "./certificate-builder.js";
import { formatDistinguishedName, type NameAttribute, nameAttributes } from "./distinguished-name.js";

/** What the verifier, the staff pages and the load-time checks need to know about a certificate. */
export interface CertificateInfo {
  /** RFC 4514 string, e.g. `CN=Comune di Demo, organizationIdentifier=PA:IT-c_demo, O=Comune di Demo, C=IT`. */
  subject: string;
  issuer: string;
  commonName: string | undefined;
  organizationName: string | undefined;
  /** ETSI EN 319 412-1 §5.1.4 semantics identifier of a legal person, e.g. `PA:IT-c_demo`, `VATIT-01234567890`. */
  organizationIdentifier: string | undefined;
  /** Italian codice fiscale of a natural person, from the subject serialNumber (ETSI EN 319 412-1 §5.1.3). */
  fiscalCode: string | undefined;
  /** Serial number, lowercase hex without leading zero octets. */
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  /** undefined when the certificate has no keyUsage extension (RFC 5280 §4.2.1.3: no restriction). */
  keyUsage: KeyUsageFlag[] | undefined;
  /** Key purpose OIDs; undefined when there is no extKeyUsage extension. */
  extendedKeyUsage: string[] | undefined;
  extendedKeyUsageCritical: boolean;
  isCa: boolean;
  /** SHA-256 of the DER, lowercase hex: how staff pages and logs name a certificate. */
  sha256: string;
  subjectAttributes: NameAttribute[];
}

/**
 * Natural-person identifiers: `TINIT-<codice fiscale>` (ETSI EN 319 412-1 §5.1.3) and the older
 * `IT:<codice fiscale>` of DPCM 30 March 2009 certificates. The fiscal code itself is 16
 * characters; letters may stand for digits (omocodia), so the digit positions accept both.
 */
const FISCAL_CODE_IN_SERIAL =
  /^(?:TINIT-|IT:)([A-Z]{6}[0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z])$/;

/** Parses a DER certificate; AppError CERTIFICATE_MALFORMED when it is not one. */
export function parseCertificateInfo(der: Uint8Array): CertificateInfo {
  return describeCertificate(parseCertificate(der), der);
}

/** The fields of an already decoded certificate; `der` is its encoding (for the fingerprint). */
export function describeCertificate(certificate: pkijs.Certificate, der: Uint8Array): CertificateInfo {
  const subjectAttributes = nameAttributes(certificate.subject);
  const subjectValue = (type: string) => subjectAttributes.find((attribute) => attribute.type === type)?.value;
  const serialAttribute = subjectValue(OID.serialNumber)?.trim().toUpperCase();
  const extendedKeyUsage = extensionOf(certificate, OID.extKeyUsage);
  return {
    subject: formatDistinguishedName(subjectAttributes),
    issuer: formatDistinguishedName(nameAttributes(certificate.issuer)),
    commonName: subjectValue(OID.commonName),
    organizationName: subjectValue(OID.organizationName),
    organizationIdentifier: subjectValue(OID.organizationIdentifier),
    fiscalCode: serialAttribute ? FISCAL_CODE_IN_SERIAL.exec(serialAttribute)?.[1] : undefined,
    serialNumber: serialHex(certificate.serialNumber),
    notBefore: certificate.notBefore.value,
    notAfter: certificate.notAfter.value,
    keyUsage: keyUsageOf(certificate),
    extendedKeyUsage:
      extendedKeyUsage?.parsedValue instanceof pkijs.ExtKeyUsage ? extendedKeyUsage.parsedValue.keyPurposes : undefined,
    extendedKeyUsageCritical: extendedKeyUsage?.critical ?? false,
    isCa: basicConstraintsCa(certificate),
    sha256: createHash("sha256").update(der).digest("hex"),
    subjectAttributes,
  };
}

/** pkijs Certificate from DER, with the module's error on garbage. */
export function parseCertificate(der: Uint8Array): pkijs.Certificate {
  try {
    const parsed = asn1js.fromBER(der, { maxDepth: 64, maxNodes: 20_000 });
    if (parsed.offset === -1 || parsed.offset !== der.byteLength) throw new Error("not a single DER element");
    return new pkijs.Certificate({ schema: parsed.result });
  } catch (error) {
    throw new AppError("CERTIFICATE_MALFORMED", "not an X.509 certificate", { cause: error });
  }
}

export function extensionOf(certificate: pkijs.Certificate, oid: string): pkijs.Extension | undefined {
  return certificate.extensions?.find((extension) => extension.extnID === oid);
}

function keyUsageOf(certificate: pkijs.Certificate): KeyUsageFlag[] | undefined {
  const extension = extensionOf(certificate, OID.keyUsage);
  if (!extension) return undefined;
  const bits = extension.parsedValue instanceof asn1js.BitString ? extension.parsedValue.valueBlock.valueHexView : [];
  return KEY_USAGE_FLAGS.filter((_, bit) => ((bits[bit >> 3] ?? 0) & (0x80 >> (bit & 7))) !== 0);
}

function basicConstraintsCa(certificate: pkijs.Certificate): boolean {
  const value = extensionOf(certificate, OID.basicConstraints)?.parsedValue;
  return value instanceof pkijs.BasicConstraints && value.cA === true;
}

function serialHex(serial: asn1js.Integer): string {
  const hex = Buffer.from(serial.valueBlock.valueHexView)
    .toString("hex")
    .replace(/^(00)+(?=.)/, "");
  return hex === "" ? "0" : hex;
}

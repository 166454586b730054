/**
 * The byte-exact fields of a certificate that CMS copies into other structures:
 * IssuerAndSerialNumber (RFC 5652 §10.2.4) and ESS IssuerSerial (RFC 5035 §4) must carry
 * the issuer Name exactly as the certificate encodes it (reference/signature.md §2.1), so
 * it is sliced out of the TBSCertificate (RFC 5280 §4.1), never re-encoded. Certificates
 * are DER (RFC 5280 §4.1), so a definite-length TLV walk is enough, and it is fast.
 */
import { malformed } from "./ber.js";

export interface CertificateFields {
  readonly der: Uint8Array;
  /** The issuer Name, tag and length included. */
  readonly issuer: Uint8Array;
  /** The serialNumber INTEGER, tag and length included. */
  readonly serialNumber: Uint8Array;
  readonly subject: Uint8Array;
}

interface Tlv {
  readonly tag: number;
  readonly start: number;
  readonly contentStart: number;
  readonly end: number;
}

/** Throws CmsFormatError when `der` is not a certificate. */
export function readCertificateFields(der: Uint8Array): CertificateFields {
  const certificate = readTlv(der, 0, der.length);
  if (certificate.tag !== 0x30 || certificate.end !== der.length) throw malformed("Certificate: not a DER SEQUENCE");
  const [tbs] = childrenOf(der, certificate);
  if (tbs?.tag !== 0x30) throw malformed("Certificate: no TBSCertificate");
  const fields = childrenOf(der, tbs);
  const first = fields[0]?.tag === 0xa0 ? 1 : 0; // version [0] EXPLICIT, absent for v1
  const [serialNumber, , issuer, , subject] = fields.slice(first);
  if (serialNumber?.tag !== 0x02 || issuer?.tag !== 0x30 || subject?.tag !== 0x30) {
    throw malformed("TBSCertificate: unexpected layout");
  }
  const slice = (tlv: Tlv) => der.subarray(tlv.start, tlv.end);
  return { der, issuer: slice(issuer), serialNumber: slice(serialNumber), subject: slice(subject) };
}

/** X.690 §8.1.2–§8.1.3, low tag numbers and definite lengths only (DER certificates). */
function readTlv(bytes: Uint8Array, offset: number, limit: number): Tlv {
  const tag = bytes[offset];
  const first = bytes[offset + 1];
  if (tag === undefined || first === undefined || (tag & 0x1f) === 0x1f) throw malformed("certificate: bad tag");
  let length = first;
  let contentStart = offset + 2;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 4) throw malformed("certificate: indefinite or oversized length");
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (bytes[contentStart + i] ?? Number.NaN);
    contentStart += count;
  }
  const end = contentStart + length;
  if (!Number.isFinite(end) || end > limit) throw malformed("certificate: length beyond the end");
  return { tag, start: offset, contentStart, end };
}

function childrenOf(bytes: Uint8Array, parent: Tlv): Tlv[] {
  const children: Tlv[] = [];
  for (let offset = parent.contentStart; offset < parent.end; ) {
    const child = readTlv(bytes, offset, parent.end);
    children.push(child);
    offset = child.end;
  }
  return children;
}

/** INTEGER value octets without the tag, the length and redundant leading zero octets. */
export function integerMagnitude(encodedInteger: Uint8Array): Uint8Array {
  const lengthOctets = (encodedInteger[1] ?? 0) & 0x80 ? 1 + ((encodedInteger[1] ?? 0) & 0x7f) : 1;
  let value = encodedInteger.subarray(1 + lengthOctets);
  while (value.length > 1 && value[0] === 0) value = value.subarray(1);
  return value;
}

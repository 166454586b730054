/**
 * ESS signing-certificate-v2 (RFC 5035 §3; ETSI EN 319 122-1 §5.2.2.3): binds the signature
 * to the signer's certificate.
 *
 * ```asn
 * SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, policies SEQUENCE OF PolicyInformation OPTIONAL }
 * ESSCertIDv2 ::= SEQUENCE {
 *   hashAlgorithm AlgorithmIdentifier DEFAULT {algorithm id-sha256},
 *   certHash OCTET STRING, issuerSerial IssuerSerial OPTIONAL }
 * IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber CertificateSerialNumber }
 * ```
 * We write certHash = SHA-256 with hashAlgorithm omitted (DER: a DEFAULT value is not
 * encoded, X.690 §11.5) and include issuerSerial, as Italian tools and OpenSSL do
 * (reference/signature.md §1.3), although EN 319 122-1 requirement g) says "should not".
 */

import { createHash } from "node:crypto";
import type { BaseBlock } from "asn1js";
import { hashOfDigestOid, OID } from "../oids.js";
import { childrenOf, isContext, isUniversal, itemsOf, octetsOf, oidOf, rawOf } from "./ber.js";
import { type CertificateFields, integerMagnitude } from "./certificate-fields.js";
import { compareBytes, derOctetString, derOid, derSequence, derTlv, TAG } from "./der.js";

/** The complete Attribute (type and SET of one value), DER. */
export function encodeSigningCertificateV2(certificate: CertificateFields): Uint8Array {
  const certHash = createHash("sha256").update(certificate.der).digest();
  const generalNames = derSequence(derTlv(TAG.context4, certificate.issuer));
  const issuerSerial = derSequence(generalNames, certificate.serialNumber);
  const essCertIdV2 = derSequence(derOctetString(certHash), issuerSerial);
  const signingCertificateV2 = derSequence(derSequence(essCertIdV2));
  return derSequence(derOid(OID.signingCertificateV2), derTlv(TAG.set, signingCertificateV2));
}

/**
 * Checks the first ESSCertIDv2, which "MUST be the certificate used to verify the signature"
 * (RFC 5035 §3). Returns null when it matches, else why not. Throws CmsFormatError.
 */
export function mismatchOfSigningCertificateV2(value: BaseBlock, certificate: CertificateFields): string | null {
  const [certs] = itemsOf(value, 16, "SigningCertificateV2");
  const [first] = itemsOf(certs, 16, "SigningCertificateV2.certs");
  const fields = itemsOf(first, 16, "ESSCertIDv2");
  const hashAlgorithm = isUniversal(fields[0], 16) ? fields.shift() : undefined;
  const hash = hashAlgorithm
    ? hashOfDigestOid(oidOf(itemsOf(hashAlgorithm, 16, "hashAlgorithm")[0], "hash"))
    : "sha256";
  if (hash === null) return "ESSCertIDv2 uses an unknown hash algorithm";
  const certHash = octetsOf(fields[0], "ESSCertIDv2.certHash");
  if (compareBytes(certHash, createHash(hash).update(certificate.der).digest()) !== 0) {
    return "ESSCertIDv2 certHash is not the hash of the signer certificate";
  }
  return fields[1] === undefined ? null : mismatchOfIssuerSerial(fields[1], certificate);
}

function mismatchOfIssuerSerial(block: BaseBlock, certificate: CertificateFields): string | null {
  const [generalNames, serialNumber] = itemsOf(block, 16, "IssuerSerial");
  const directoryNames = itemsOf(generalNames, 16, "IssuerSerial.issuer")
    .filter((name) => isContext(name, 4))
    .map((name) => rawOf(childrenOf(name, "directoryName")[0] ?? name));
  if (!directoryNames.some((name) => compareBytes(name, certificate.issuer) === 0)) {
    return "ESSCertIDv2 issuerSerial names another issuer";
  }
  if (!isUniversal(serialNumber, 2)) return "ESSCertIDv2 issuerSerial has no serial number";
  const expected = integerMagnitude(certificate.serialNumber);
  return compareBytes(integerMagnitude(rawOf(serialNumber)), expected) === 0
    ? null
    : "ESSCertIDv2 issuerSerial names another serial number";
}

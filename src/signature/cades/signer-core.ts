/**
 * The checks every SignerInfo gets, whether it signs a document or a TSTInfo (RFC 5652
 * §5.4, §5.6, §11; RFC 5035 §3; ETSI EN 319 122-1 §5.2): algorithms, signer certificate,
 * signed attributes and the signature over the received signed-attributes encoding.
 */

import { verify } from "node:crypto";
import { type BaseBlock, GeneralizedTime, UTCTime } from "asn1js";
import { describeSignatureOid, type HashName, hashOfDigestOid, OID } from "../oids.js";
import { CmsFormatError, octetsOf, oidOf } from "./ber.js";
import { integerMagnitude } from "./certificate-fields.js";
import type { CertificateRecord } from "./certificate-record.js";
import { compareBytes } from "./der.js";
import type { SignerProblem } from "./reasons.js";
import { type ReceivedSignedAttributes, readSignedAttributes, singleValue } from "./signed-attributes.js";
import { type ParsedSignerInfo, parseSignerInfo, type SignerIdentifier } from "./signer-info.js";
import { mismatchOfSigningCertificateV2 } from "./signing-certificate-v2.js";

export interface SignedContent {
  /** eContentType of the SignedData. */
  readonly contentType: string;
  /** Digest of the content with `hash`, or null when the content is not available. */
  readonly digest: (hash: HashName) => Uint8Array | null;
  readonly content: Uint8Array | null;
  readonly certificates: readonly CertificateRecord[];
}

export interface CoreChecks {
  signature: boolean;
  messageDigest: boolean;
  signingCertificateV2: boolean;
  attributeOrder: boolean;
}

export interface CoreInspection {
  readonly signerInfo: ParsedSignerInfo;
  readonly certificate: CertificateRecord | null;
  readonly digestHash: HashName | null;
  readonly signingTime: Date | null;
  readonly checks: CoreChecks;
  readonly problems: SignerProblem[];
}

/** Throws CmsFormatError when the SignerInfo itself cannot be decoded. */
export function inspectSignerInfo(raw: Uint8Array, signed: SignedContent): CoreInspection {
  const signerInfo = parseSignerInfo(raw);
  const problems: SignerProblem[] = [];
  const digestHash = checkAlgorithms(signerInfo, problems);
  const certificate = findSignerCertificate(signerInfo.sid, signed.certificates);
  if (certificate === null)
    problems.push({ code: "SIGNER_CERTIFICATE_MISSING", message: "signer certificate not in the SignedData" });
  const checks: CoreChecks = {
    signature: false,
    messageDigest: false,
    signingCertificateV2: false,
    attributeOrder: false,
  };
  let signedBytes = signed.content;
  let signingTime: Date | null = null;
  if (signerInfo.signedAttributes === null) {
    problems.push({ code: "SIGNED_ATTRIBUTES_MISSING", message: "no signed attributes (not CAdES)" });
    checks.attributeOrder = true;
  } else {
    const attributes = readSignedAttributes(signerInfo.signedAttributes);
    signedBytes = attributes.signedBytes;
    signingTime = checkAttributes(attributes, { signed, digestHash, certificate, checks, problems });
  }
  const knownSignature = describeSignatureOid(signerInfo.signatureAlgorithm) !== null;
  if (certificate !== null && digestHash !== null && knownSignature && signedBytes !== null) {
    checks.signature = verifySignature(signerInfo, certificate, digestHash, signedBytes);
    if (!checks.signature) problems.push({ code: "SIGNATURE_INVALID", message: "the signature does not verify" });
  }
  return { signerInfo, certificate, digestHash, signingTime, checks, problems };
}

function checkAlgorithms(signerInfo: ParsedSignerInfo, problems: SignerProblem[]): HashName | null {
  const digestHash = hashOfDigestOid(signerInfo.digestAlgorithm);
  const signature = describeSignatureOid(signerInfo.signatureAlgorithm);
  if (digestHash === null)
    problems.push({ code: "UNKNOWN_ALGORITHM", message: `digest algorithm ${signerInfo.digestAlgorithm}` });
  if (signature === null) {
    problems.push({ code: "UNKNOWN_ALGORITHM", message: `signature algorithm ${signerInfo.signatureAlgorithm}` });
  } else if (signature.hash !== null && digestHash !== null && signature.hash !== digestHash) {
    problems.push({ code: "ALGORITHM_MISMATCH", message: `${signature.hash} signature over a ${digestHash} digest` });
  }
  if (digestHash === "sha1" || signature?.hash === "sha1") {
    problems.push({ code: "WEAK_DIGEST_SHA1", message: "SHA-1 is not accepted for signatures" });
  }
  return digestHash;
}

function findSignerCertificate(sid: SignerIdentifier, pool: readonly CertificateRecord[]): CertificateRecord | null {
  const found = pool.find((certificate) =>
    "subjectKeyIdentifier" in sid
      ? certificate.subjectKeyIdentifier !== null &&
        compareBytes(certificate.subjectKeyIdentifier, sid.subjectKeyIdentifier) === 0
      : compareBytes(certificate.fields.issuer, sid.issuer) === 0 &&
        compareBytes(integerMagnitude(certificate.fields.serialNumber), integerMagnitude(sid.serialNumber)) === 0,
  );
  return found ?? null;
}

interface AttributeCheck {
  readonly signed: SignedContent;
  readonly digestHash: HashName | null;
  readonly certificate: CertificateRecord | null;
  readonly checks: CoreChecks;
  readonly problems: SignerProblem[];
}

/** Checks the signed attributes and returns the signing time they claim. */
function checkAttributes(attributes: ReceivedSignedAttributes, check: AttributeCheck): Date | null {
  const { checks, problems } = check;
  checks.attributeOrder = attributes.derSorted;
  if (!attributes.derSorted)
    problems.push({ code: "ATTRIBUTES_NOT_DER_SORTED", message: "signed attributes not in DER order" });
  for (const oid of attributes.repeated)
    problems.push({ code: "MALFORMED", message: `signed attribute ${oid} repeated` });
  checkContentType(singleValue(attributes, OID.contentType), check);
  checks.messageDigest = checkMessageDigest(singleValue(attributes, OID.messageDigest), check);
  checks.signingCertificateV2 = checkSigningCertificate(singleValue(attributes, OID.signingCertificateV2), check);
  const time = singleValue(attributes, OID.signingTime);
  if (time === null) return null;
  if (time instanceof UTCTime || time instanceof GeneralizedTime) return time.toDate();
  problems.push({ code: "MALFORMED", message: "signing-time is not a time" });
  return null;
}

function checkContentType(value: BaseBlock | null, { signed, problems }: AttributeCheck): void {
  if (value === null) {
    problems.push({ code: "SIGNED_ATTRIBUTES_MISSING", message: "no content-type attribute" });
  } else if (oidOf(value, "content-type") !== signed.contentType) {
    problems.push({ code: "CONTENT_TYPE_MISMATCH", message: "content-type differs from eContentType" });
  }
}

function checkMessageDigest(value: BaseBlock | null, { signed, digestHash, problems }: AttributeCheck): boolean {
  if (value === null) {
    problems.push({ code: "SIGNED_ATTRIBUTES_MISSING", message: "no message-digest attribute" });
    return false;
  }
  const expected = digestHash === null ? null : signed.digest(digestHash);
  if (expected === null) return false;
  const matches = compareBytes(octetsOf(value, "message-digest"), expected) === 0;
  if (!matches) problems.push({ code: "CONTENT_ALTERED", message: "the content does not match the signed digest" });
  return matches;
}

function checkSigningCertificate(value: BaseBlock | null, { certificate, problems }: AttributeCheck): boolean {
  if (value === null) {
    problems.push({ code: "SIGNING_CERTIFICATE_V2_MISSING", message: "no signing-certificate-v2 attribute" });
    return false;
  }
  if (certificate === null) return false;
  let mismatch: string | null;
  try {
    mismatch = mismatchOfSigningCertificateV2(value, certificate.fields);
  } catch (error) {
    if (!(error instanceof CmsFormatError)) throw error;
    mismatch = `signing-certificate-v2 not decodable: ${error.message}`;
  }
  if (mismatch !== null) problems.push({ code: "SIGNING_CERTIFICATE_MISMATCH", message: mismatch });
  return mismatch === null;
}

/** RSA PKCS#1 v1.5 or ECDSA (DER r,s) with the SignerInfo's digest algorithm, as OpenSSL does. */
function verifySignature(
  signerInfo: ParsedSignerInfo,
  certificate: CertificateRecord,
  hash: HashName,
  signedBytes: Uint8Array,
): boolean {
  const family = describeSignatureOid(signerInfo.signatureAlgorithm)?.family;
  const publicKey = certificate.publicKey;
  if (publicKey === null || publicKey.asymmetricKeyType !== family) return false;
  try {
    return verify(hash, signedBytes, publicKey, signerInfo.signature);
  } catch {
    return false;
  }
}

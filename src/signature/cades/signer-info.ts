/**
 * SignerInfo (RFC 5652 §5.3), made and read.
 *
 * ```asn
 * SignerInfo ::= SEQUENCE {
 *   version CMSVersion, sid SignerIdentifier, digestAlgorithm DigestAlgorithmIdentifier,
 *   signedAttrs [0] IMPLICIT SignedAttributes OPTIONAL,
 *   signatureAlgorithm SignatureAlgorithmIdentifier, signature SignatureValue,
 *   unsignedAttrs [1] IMPLICIT UnsignedAttributes OPTIONAL }
 * SignerIdentifier ::= CHOICE { issuerAndSerialNumber IssuerAndSerialNumber, subjectKeyIdentifier [0] SubjectKeyIdentifier }
 * ```
 * We write version 1 with issuerAndSerialNumber; we read both choices.
 */

import { createHash, type KeyObject, verify, X509Certificate } from "node:crypto";
import type { BaseBlock } from "asn1js";
import { digestOid, signatureOid } from "../oids.js";
import type { DigestAlgorithm, Signer } from "../signer.js";
import { isContext, isUniversal, itemsOf, malformed, octetsOf, oidOf, parseBer, rawOf, smallIntegerOf } from "./ber.js";
import { type CertificateFields, readCertificateFields } from "./certificate-fields.js";
import { DER_NULL, derAlgorithmIdentifier, derOctetString, derSequence, derSmallInteger } from "./der.js";
import { signatureInputError, signerFailure } from "./errors.js";
import { encodeSignedAttributes } from "./signed-attributes.js";
import { encodeSigningCertificateV2 } from "./signing-certificate-v2.js";

export type SignerIdentifier =
  | { readonly issuer: Uint8Array; readonly serialNumber: Uint8Array }
  | { readonly subjectKeyIdentifier: Uint8Array };

export interface ParsedSignerInfo {
  readonly version: number;
  readonly sid: SignerIdentifier;
  readonly digestAlgorithm: string;
  readonly signedAttributes: BaseBlock | null;
  readonly signatureAlgorithm: string;
  readonly signature: Uint8Array;
  readonly unsignedAttributes: BaseBlock | null;
  /** Every field, byte-exact, in order: for rewriting the unsigned attributes only. */
  readonly fieldEncodings: readonly Uint8Array[];
}

/** Throws CmsFormatError. */
export function parseSignerInfo(raw: Uint8Array): ParsedSignerInfo {
  const fields = itemsOf(parseBer(raw), 16, "SignerInfo");
  const [version, sid, digestAlgorithm] = fields;
  let index = 3;
  const signedAttributes = isContext(fields[index], 0) ? (fields[index++] as BaseBlock) : null;
  const signatureAlgorithm = fields[index++];
  const signature = fields[index++];
  const unsignedAttributes = isContext(fields[index], 1) ? (fields[index++] as BaseBlock) : null;
  if (index !== fields.length || !isUniversal(signature, 4)) throw malformed("SignerInfo: unexpected layout");
  return {
    version: smallIntegerOf(version, "SignerInfo.version"),
    sid: readSignerIdentifier(sid),
    digestAlgorithm: algorithmOf(digestAlgorithm, "SignerInfo.digestAlgorithm"),
    signedAttributes,
    signatureAlgorithm: algorithmOf(signatureAlgorithm, "SignerInfo.signatureAlgorithm"),
    signature: octetsOf(signature, "SignerInfo.signature"),
    unsignedAttributes,
    fieldEncodings: fields.map(rawOf),
  };
}

function readSignerIdentifier(block: BaseBlock | undefined): SignerIdentifier {
  if (isContext(block, 0)) return { subjectKeyIdentifier: octetsOf(block, "subjectKeyIdentifier") };
  const [issuer, serialNumber, ...extra] = itemsOf(block, 16, "IssuerAndSerialNumber");
  if (!isUniversal(issuer, 16) || !isUniversal(serialNumber, 2) || extra.length > 0) {
    throw malformed("IssuerAndSerialNumber: unexpected layout");
  }
  return { issuer: rawOf(issuer), serialNumber: rawOf(serialNumber) };
}

function algorithmOf(block: BaseBlock | undefined, what: string): string {
  return oidOf(itemsOf(block, 16, what)[0], what);
}

export interface SignerInfoInput {
  readonly contentType: string;
  /** The content's digest, computed once by the caller with `digestAlgorithm`. */
  readonly contentDigest: Uint8Array;
  readonly signingTime: Date | null;
  readonly digestAlgorithm: DigestAlgorithm;
}

/**
 * Builds signed attributes, has the signer sign their digest and assembles a version 1
 * SignerInfo. The signature is checked against the certificate before it is used, so a
 * signer whose key does not match its certificate fails here, not at the verifier.
 */
export async function createSignerInfo(signer: Signer, input: SignerInfoInput): Promise<Uint8Array> {
  const { certificate, signingCertificateV2, publicKey } = prepareCertificate(signer);
  const attributes = encodeSignedAttributes({ ...input, signingCertificateV2 });
  const signature = signer.signMessage
    ? await signer.signMessage(attributes.set, input.digestAlgorithm)
    : await signer.sign(createHash(input.digestAlgorithm).update(attributes.set).digest(), input.digestAlgorithm);
  assertSignatureMatches(publicKey, signer, attributes.set, signature, input.digestAlgorithm);
  // RFC 4055 §5: NULL parameters for sha*WithRSAEncryption; RFC 5758 §3.2: absent for ECDSA.
  const parameters = signer.keyAlgorithm.kind === "rsa" ? DER_NULL : undefined;
  return derSequence(
    derSmallInteger(1),
    derSequence(certificate.issuer, certificate.serialNumber),
    derAlgorithmIdentifier(digestOid(input.digestAlgorithm)),
    attributes.implicit,
    derAlgorithmIdentifier(signatureOid(signer.keyAlgorithm, input.digestAlgorithm), parameters),
    derOctetString(signature),
  );
}

interface PreparedCertificate {
  readonly certificate: CertificateFields;
  readonly signingCertificateV2: Uint8Array;
  readonly publicKey: KeyObject;
}

/** What signing needs from the signer certificate, derived once per certificate object. */
const prepared = new WeakMap<Uint8Array, PreparedCertificate>();

function prepareCertificate(signer: Signer): PreparedCertificate {
  const der = signer.certificateChain[0];
  if (!der) throw signatureInputError("the signer has no certificate");
  const known = prepared.get(der);
  if (known) return known;
  try {
    const certificate = readCertificateFields(der);
    const fresh = {
      certificate,
      signingCertificateV2: encodeSigningCertificateV2(certificate),
      publicKey: new X509Certificate(der).publicKey,
    };
    prepared.set(der, fresh);
    return fresh;
  } catch (error) {
    throw signatureInputError("the signer certificate is not a valid X.509 certificate", error);
  }
}

/** Also catches a signer whose declared key algorithm (which fixes the OID we write) is not its certificate's. */
function assertSignatureMatches(
  publicKey: KeyObject,
  signer: Signer,
  signed: Uint8Array,
  signature: Uint8Array,
  algorithm: DigestAlgorithm,
): void {
  let matches = false;
  try {
    matches =
      publicKey.asymmetricKeyType === signer.keyAlgorithm.kind && verify(algorithm, signed, publicKey, signature);
  } catch {
    matches = false;
  }
  if (!matches) throw signerFailure("the signer returned a signature that its certificate's key does not verify");
}

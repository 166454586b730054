/**
 * ContentInfo / SignedData (RFC 5652 §3, §5.1, §5.2), read and written at the level of
 * byte-exact parts: existing certificates and SignerInfos are carried over untouched when a
 * signature or a time-stamp is added, and the content is copied once, not through asn1js.
 *
 * ```asn
 * ContentInfo ::= SEQUENCE { contentType OBJECT IDENTIFIER, content [0] EXPLICIT ANY }
 * SignedData ::= SEQUENCE {
 *   version CMSVersion, digestAlgorithms SET OF DigestAlgorithmIdentifier,
 *   encapContentInfo EncapsulatedContentInfo,
 *   certificates [0] IMPLICIT CertificateSet OPTIONAL,
 *   crls [1] IMPLICIT RevocationInfoChoices OPTIONAL,
 *   signerInfos SET OF SignerInfo }
 * EncapsulatedContentInfo ::= SEQUENCE { eContentType OBJECT IDENTIFIER, eContent [0] EXPLICIT OCTET STRING OPTIONAL }
 * ```
 */
import type { BaseBlock } from "asn1js";
import { OID } from "../oids.js";
import {
  CmsFormatError,
  childrenOf,
  isContext,
  itemsOf,
  malformed,
  octetsOf,
  oidOf,
  parseBer,
  rawOf,
  smallIntegerOf,
} from "./ber.js";
import { concatBytes, derHeader, derOid, derSetOf, derSmallInteger, TAG } from "./der.js";

export interface SignedDataParts {
  readonly version: number;
  /** Raw DigestAlgorithmIdentifier encodings. */
  readonly digestAlgorithms: readonly Uint8Array[];
  readonly contentType: string;
  /** The encapsulated content; null when the signature is detached. */
  readonly content: Uint8Array | null;
  /** Raw CertificateChoices encodings. */
  readonly certificates: readonly Uint8Array[];
  /** Raw RevocationInfoChoice encodings. */
  readonly crls: readonly Uint8Array[];
  /** Raw SignerInfo encodings. */
  readonly signerInfos: readonly Uint8Array[];
}

/** Parses a ContentInfo holding SignedData, DER or BER. Throws CmsFormatError. */
export function parseSignedData(bytes: Uint8Array): SignedDataParts {
  const [contentType, wrapper, ...extra] = itemsOf(parseBer(bytes, { large: true }), 16, "ContentInfo");
  const type = oidOf(contentType, "ContentInfo.contentType");
  if (type !== OID.signedData) throw new CmsFormatError("NOT_SIGNED_DATA", `ContentInfo holds ${type}, not SignedData`);
  if (!isContext(wrapper, 0) || extra.length > 0) throw malformed("ContentInfo: expected [0] EXPLICIT content");
  const [signedData, ...rest] = childrenOf(wrapper, "ContentInfo.content");
  if (rest.length > 0) throw malformed("ContentInfo: more than one content");
  return readSignedData(itemsOf(signedData, 16, "SignedData"));
}

function readSignedData(fields: BaseBlock[]): SignedDataParts {
  const [version, digestAlgorithms, encapContentInfo] = fields;
  let index = 3;
  const certificates = isContext(fields[index], 0) ? rawChildren(fields[index++], "certificates") : [];
  const crls = isContext(fields[index], 1) ? rawChildren(fields[index++], "crls") : [];
  if (index !== fields.length - 1) throw malformed("SignedData: unexpected fields");
  return {
    version: smallIntegerOf(version, "SignedData.version"),
    digestAlgorithms: itemsOf(digestAlgorithms, 17, "SignedData.digestAlgorithms").map(rawOf),
    ...readEncapsulatedContent(encapContentInfo),
    certificates,
    crls,
    signerInfos: itemsOf(fields[index], 17, "SignedData.signerInfos").map(rawOf),
  };
}

function readEncapsulatedContent(block: BaseBlock | undefined): { contentType: string; content: Uint8Array | null } {
  const [eContentType, eContent, ...extra] = itemsOf(block, 16, "EncapsulatedContentInfo");
  const contentType = oidOf(eContentType, "eContentType");
  if (extra.length > 0) throw malformed("EncapsulatedContentInfo: unexpected fields");
  if (eContent === undefined) return { contentType, content: null };
  if (!isContext(eContent, 0)) throw malformed("EncapsulatedContentInfo: expected [0] EXPLICIT eContent");
  const [octets, ...more] = childrenOf(eContent, "eContent");
  if (more.length > 0) throw malformed("eContent: more than one OCTET STRING");
  return { contentType, content: octetsOf(octets, "eContent") };
}

function rawChildren(block: BaseBlock | undefined, what: string): Uint8Array[] {
  return childrenOf(block, what).map(rawOf);
}

/**
 * Writes DER: the SET OFs sorted (X.690 §11.6), definite lengths. Parts taken from a BER
 * input stay byte-exact inside (BER allows that; verifiers hash only the signed attributes
 * and the content).
 */
export function encodeSignedData(parts: SignedDataParts): Uint8Array {
  return concatBytes(encodeSignedDataChunks(parts));
}

/**
 * The same encoding as chunks whose concatenation is the ContentInfo: [prefix, content,
 * suffix] (or [whole] when detached). The content chunk is the caller's buffer, not a copy,
 * so a large `.p7m` can be written with writev or a stream without ever being joined.
 */
export function encodeSignedDataChunks(parts: SignedDataParts): Uint8Array[] {
  const head = concatBytes([derSmallInteger(parts.version), derSetOf(parts.digestAlgorithms)]);
  const encapsulated = encapsulatedContentPieces(parts.contentType, parts.content);
  const tail = concatBytes([
    parts.certificates.length > 0 ? derSetOf(parts.certificates, TAG.context0) : new Uint8Array(0),
    parts.crls.length > 0 ? derSetOf(parts.crls, TAG.context1) : new Uint8Array(0),
    derSetOf(parts.signerInfos),
  ]);
  const encapsulatedLength = encapsulated.reduce((sum, piece) => sum + piece.length, 0) + (parts.content?.length ?? 0);
  const signedDataHeader = derHeader(TAG.sequence, head.length + encapsulatedLength + tail.length);
  const signedDataLength = signedDataHeader.length + head.length + encapsulatedLength + tail.length;
  const contentTypeOid = derOid(OID.signedData);
  const explicitHeader = derHeader(TAG.context0, signedDataLength);
  const contentInfoHeader = derHeader(TAG.sequence, contentTypeOid.length + explicitHeader.length + signedDataLength);
  const prefix = [contentInfoHeader, contentTypeOid, explicitHeader, signedDataHeader, head, ...encapsulated];
  if (parts.content === null) return [concatBytes([...prefix, tail])];
  return [concatBytes(prefix), parts.content, tail];
}

/** EncapsulatedContentInfo without the content octets themselves, which follow it. */
function encapsulatedContentPieces(contentType: string, content: Uint8Array | null): Uint8Array[] {
  const typeOid = derOid(contentType);
  if (content === null) return [derHeader(TAG.sequence, typeOid.length), typeOid];
  const octetHeader = derHeader(TAG.octetString, content.length);
  const explicitHeader = derHeader(TAG.context0, octetHeader.length + content.length);
  const length = typeOid.length + explicitHeader.length + octetHeader.length + content.length;
  return [derHeader(TAG.sequence, length), typeOid, explicitHeader, octetHeader];
}

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
  isIgnorableTrailer,
  itemsOf,
  malformed,
  octetsOf,
  oidOf,
  parseBer,
  rawOf,
  smallIntegerOf,
} from "./ber.js";
import { concatBytes, derHeader, derOid, derSetOf, derSmallInteger, TAG } from "./der.js";
import { readTlv, splitChildren, type Tlv } from "./der-split.js";

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
  return parseDerSignedData(bytes) ?? parseBerSignedData(bytes);
}

const DER_TAG = { sequence: 0x30, set: 0x31, context0: 0xa0, context1: 0xa1 } as const;

/**
 * The fast path for DER with definite lengths (what every signer in practice writes): the outer
 * structure is split by lengths and the certificates and CRLs are kept as bytes, never walked;
 * only the small fields go through the general parser. Null when the input needs the BER path
 * (indefinite lengths, anything unexpected), which then also reports the precise error.
 */
function parseDerSignedData(bytes: Uint8Array): SignedDataParts | null {
  const contentInfo = readTlv(bytes, 0);
  if (contentInfo?.tag !== DER_TAG.sequence || !isIgnorableTrailer(bytes.subarray(contentInfo.raw.length))) return null;
  const [contentType, wrapper, ...extra] = splitChildren(contentInfo.contents) ?? [];
  if (!contentType || wrapper?.tag !== DER_TAG.context0 || extra.length > 0) return null;
  if (oidOf(parseBer(contentType.raw), "ContentInfo.contentType") !== OID.signedData) return null;
  const [signedData, ...rest] = splitChildren(wrapper.contents) ?? [];
  if (signedData?.tag !== DER_TAG.sequence || rest.length > 0) return null;
  const fields = splitChildren(signedData.contents);
  if (fields === null || fields.length < 4) return null;
  const [version, digestAlgorithms, encapContentInfo] = fields;
  let index = 3;
  const certificates =
    fields[index]?.tag === DER_TAG.context0 ? splitChildren(fields[index++]?.contents ?? new Uint8Array()) : [];
  const crls =
    fields[index]?.tag === DER_TAG.context1 ? splitChildren(fields[index++]?.contents ?? new Uint8Array()) : [];
  const signerInfos = fields[index];
  if (digestAlgorithms?.tag !== DER_TAG.set || !version || !encapContentInfo) return null;
  if (certificates === null || crls === null) return null;
  if (signerInfos?.tag !== DER_TAG.set || index !== fields.length - 1) return null;
  return {
    version: smallIntegerOf(parseBer(version.raw), "SignedData.version"),
    digestAlgorithms: setItems(digestAlgorithms, "SignedData.digestAlgorithms"),
    ...readEncapsulatedContent(parseBer(encapContentInfo.raw, { large: true })),
    certificates: certificates.map((certificate) => certificate.raw),
    crls: crls.map((crl) => crl.raw),
    // Split, not parsed: each SignerInfo is parsed once, where it is verified.
    signerInfos: setItems(signerInfos, "SignedData.signerInfos"),
  };
}

/** The raw items of a DER SET OF, each checked to be a SEQUENCE. */
function setItems(set: Tlv, what: string): Uint8Array[] {
  if (set.tag !== DER_TAG.set) throw malformed(`${what}: expected a SET`);
  const items = splitChildren(set.contents);
  if (items === null || items.some((item) => item.tag !== DER_TAG.sequence))
    throw malformed(`${what}: expected a SET OF SEQUENCE`);
  return items.map((item) => item.raw);
}

/** The general path: BER or DER, every element walked. Exported for the equivalence test. */
export function parseBerSignedData(bytes: Uint8Array): SignedDataParts {
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

/**
 * CAdES-T / B-T: the signature-time-stamp unsigned attribute (ETSI EN 319 122-1 §5.3;
 * RFC 3161 Appendix A; id-aa-signatureTimeStampToken 1.2.840.113549.1.9.16.2.14). The
 * time-stamp's message imprint is the hash of the value octets of SignerInfo.signature.
 */
import { createHash } from "node:crypto";
import { OID } from "../oids.js";
import { CmsFormatError, childrenOf, rawOf } from "./ber.js";
import { compareBytes, derSequence, derSetOf, TAG } from "./der.js";
import { signatureInputError, signerFailure } from "./errors.js";
import { readExisting } from "./sign.js";
import { encodeAttribute } from "./signed-attributes.js";
import { encodeSignedData } from "./signed-data.js";
import { type ParsedSignerInfo, parseSignerInfo } from "./signer-info.js";
import { readTimestampToken } from "./timestamp-token.js";

/** Asks a TSA for a token over a SHA-256 digest; returns the TimeStampToken (ContentInfo) DER. */
export type TimestampTokenRequester = (digest: Uint8Array) => Promise<Uint8Array>;

export interface SignatureTimestampOptions {
  /** Time-stamp only this SignerInfo (its position in the SignedData). Default: all. */
  readonly signerIndex?: number;
}

/**
 * Adds a signature-time-stamp to each SignerInfo (or the chosen one) of a `.p7m`. The other
 * SignerInfos stay byte-exact; in a time-stamped one only the unsigned attributes change.
 */
export async function addSignatureTimestamp(
  p7m: Uint8Array,
  requestToken: TimestampTokenRequester,
  options: SignatureTimestampOptions = {},
): Promise<Uint8Array> {
  const parts = readExisting(p7m);
  const chosen = options.signerIndex;
  if (chosen !== undefined && (chosen < 0 || chosen >= parts.signerInfos.length)) {
    throw signatureInputError(`no SignerInfo at index ${chosen}`);
  }
  const signerInfos: Uint8Array[] = [];
  for (const [index, raw] of parts.signerInfos.entries()) {
    signerInfos.push(chosen === undefined || chosen === index ? await timestampSignerInfo(raw, requestToken) : raw);
  }
  return encodeSignedData({ ...parts, signerInfos });
}

async function timestampSignerInfo(raw: Uint8Array, requestToken: TimestampTokenRequester): Promise<Uint8Array> {
  const signerInfo = parseExistingSignerInfo(raw);
  const digest = createHash("sha256").update(signerInfo.signature).digest();
  const token = await requestToken(digest);
  assertTokenCovers(token, digest);
  return withUnsignedAttribute(signerInfo, encodeAttribute(OID.signatureTimeStampToken, token));
}

function parseExistingSignerInfo(raw: Uint8Array): ParsedSignerInfo {
  try {
    return parseSignerInfo(raw);
  } catch (error) {
    if (error instanceof CmsFormatError) throw signatureInputError(`SignerInfo: ${error.message}`, error);
    throw error;
  }
}

function assertTokenCovers(token: Uint8Array, digest: Uint8Array): void {
  let covers = false;
  try {
    const info = readTimestampToken(token);
    covers = info.imprintAlgorithm === "sha256" && compareBytes(info.imprint, digest) === 0;
  } catch (error) {
    throw signerFailure("the TSA returned something that is not a time-stamp token", error);
  }
  if (!covers) throw signerFailure("the TSA returned a time-stamp token for another message imprint");
}

/** Rewrites [1] IMPLICIT unsignedAttrs (a DER SET OF) with one more attribute; other fields byte-exact. */
function withUnsignedAttribute(signerInfo: ParsedSignerInfo, attribute: Uint8Array): Uint8Array {
  const existing = signerInfo.unsignedAttributes;
  const fields = existing === null ? signerInfo.fieldEncodings : signerInfo.fieldEncodings.slice(0, -1);
  const attributes = existing === null ? [] : childrenOf(existing, "unsignedAttrs").map(rawOf);
  return derSequence(...fields, derSetOf([...attributes, attribute], TAG.context1));
}

/**
 * A TimeStampToken (RFC 3161 §2.4.2): a ContentInfo with SignedData whose eContent is a
 * TSTInfo. Read here to check its message imprint and take its genTime; its CMS signature
 * is checked like any other SignerInfo by the verifier.
 */
import { TSTInfo } from "pkijs";
import { type HashName, hashOfDigestOid, OID } from "../oids.js";
import { malformed } from "./ber.js";
import { parseSignedData, type SignedDataParts } from "./signed-data.js";

export interface TimestampToken {
  readonly signedData: SignedDataParts;
  /** The DER TSTInfo, the content the TSA signed. */
  readonly tstInfo: Uint8Array;
  readonly genTime: Date;
  /** The imprint's hash algorithm, or null when we do not know it. */
  readonly imprintAlgorithm: HashName | null;
  readonly imprint: Uint8Array;
}

/** Throws CmsFormatError. */
export function readTimestampToken(token: Uint8Array): TimestampToken {
  const signedData = parseSignedData(token);
  if (signedData.contentType !== OID.tstInfo || signedData.content === null) {
    throw malformed("time-stamp token without a TSTInfo");
  }
  let info: TSTInfo;
  try {
    // A copy on its own ArrayBuffer: pkijs wants a BufferSource, which a view of a shared buffer is not.
    info = TSTInfo.fromBER(new Uint8Array(signedData.content));
  } catch (error) {
    throw malformed(`TSTInfo: ${error instanceof Error ? error.message : "not decodable"}`);
  }
  return {
    signedData,
    tstInfo: signedData.content,
    genTime: info.genTime,
    imprintAlgorithm: hashOfDigestOid(info.messageImprint.hashAlgorithm.algorithmId),
    imprint: info.messageImprint.hashedMessage.valueBlock.valueHexView,
  };
}

import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { AppError } from "../../shared/errors.js";
import { digestOid, OID } from "../oids.js";
import type { DigestAlgorithm } from "../signer.js";

/**
 * The RFC 3161 messages: TimeStampReq (§2.4.1) out, TimeStampResp (§2.4.2) in. No I/O here;
 * the nonce comes from the caller. The token is returned as the exact bytes the TSA sent, since
 * its signature covers them and CAdES-T embeds them unchanged (EN 319 122-1 §5.3).
 */

export interface TimestampToken {
  /** TimeStampToken: a ContentInfo holding SignedData over a TSTInfo (RFC 3161 §2.4.2), DER as received. */
  token: Uint8Array;
  /** TSTInfo.genTime: when the TSA made the token. */
  genTime: Date;
  /** TSTInfo.serialNumber, lowercase hex. */
  serialNumber: string;
  /** TSTInfo.policy: the TSA policy OID under which it was issued. */
  policy: string;
}

export interface TimestampExpectation {
  digest: Uint8Array;
  algorithm: DigestAlgorithm;
  nonce: Uint8Array;
}

/** RFC 3161 §2.4.2 PKIFailureInfo bits, for messages. */
const FAILURE_NAMES: Record<number, string> = {
  0: "badAlg",
  2: "badRequest",
  5: "badDataFormat",
  14: "timeNotAvailable",
  15: "unacceptedPolicy",
  16: "unacceptedExtension",
  17: "addInfoNotAvailable",
  25: "systemFailure",
};

/** A positive nonce from random bytes: top bit clear, second bit set so the INTEGER is minimal DER. */
export function nonceFromRandom(random: Uint8Array): Uint8Array {
  const nonce = Uint8Array.from(random);
  nonce[0] = ((nonce[0] ?? 0) & 0x7f) | 0x40;
  return nonce;
}

/**
 * TimeStampReq (RFC 3161 §2.4.1): version 1, the messageImprint, our nonce, certReq TRUE so the
 * token carries the TSA certificate a verifier needs. Digest parameters absent (RFC 5754 §2).
 */
export function createTimeStampRequest(request: TimestampExpectation & { policy?: string }): Uint8Array {
  const timeStampRequest = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: digestOid(request.algorithm) }),
      hashedMessage: new asn1js.OctetString({ valueHex: Uint8Array.from(request.digest).buffer }),
    }),
    nonce: new asn1js.Integer({ valueHex: Uint8Array.from(request.nonce).buffer }),
    certReq: true,
    ...(request.policy ? { reqPolicy: request.policy } : {}),
  });
  return new Uint8Array(timeStampRequest.toSchema().toBER(false));
}

/** Parses a TimeStampResp and checks it answers our request; AppError TIMESTAMP_* otherwise. */
export function parseTimeStampResponse(bytes: Uint8Array, expected: TimestampExpectation): TimestampToken {
  const { response, tokenBytes } = decodeResponse(bytes);
  const status = response.status.status;
  if (status !== pkijs.PKIStatus.granted && status !== pkijs.PKIStatus.grantedWithMods) {
    throw rejection(response.status);
  }
  if (!tokenBytes) throw malformed("status granted but no timeStampToken");
  const info = decodeTstInfo(tokenBytes);
  const imprint = info.tstInfo.messageImprint;
  if (
    imprint.hashAlgorithm.algorithmId !== digestOid(expected.algorithm) ||
    !Buffer.from(imprint.hashedMessage.valueBlock.valueHexView).equals(Buffer.from(expected.digest))
  ) {
    throw new AppError("TIMESTAMP_MISMATCH", "the token's messageImprint is not the digest we sent (RFC 3161 §2.4.2)");
  }
  // RFC 3161 §2.4.2: the nonce MUST be present and equal when the request had one.
  if (!info.tstInfo.nonce || integerHex(info.tstInfo.nonce) !== hexOf(expected.nonce)) {
    throw new AppError("TIMESTAMP_MISMATCH", "the token's nonce is not the one we sent (RFC 3161 §2.4.2)");
  }
  if (!info.hasCertificate)
    throw malformed("no TSA certificate in the token although certReq was set (RFC 3161 §2.4.1)");
  return {
    token: tokenBytes,
    genTime: info.tstInfo.genTime,
    serialNumber: integerHex(info.tstInfo.serialNumber),
    policy: info.tstInfo.policy,
  };
}

function decodeResponse(bytes: Uint8Array): { response: pkijs.TimeStampResp; tokenBytes: Uint8Array | undefined } {
  try {
    const parsed = asn1js.fromBER(bytes, { maxDepth: 64, maxNodes: 20_000 });
    if (parsed.offset === -1 || parsed.offset !== bytes.byteLength || !(parsed.result instanceof asn1js.Sequence)) {
      throw new Error("not a single DER SEQUENCE");
    }
    const response = new pkijs.TimeStampResp({ schema: parsed.result });
    const token = parsed.result.valueBlock.value[1];
    return { response, tokenBytes: token ? new Uint8Array(token.valueBeforeDecodeView) : undefined };
  } catch (error) {
    throw malformed("not an RFC 3161 TimeStampResp", error);
  }
}

function decodeTstInfo(token: Uint8Array): { tstInfo: pkijs.TSTInfo; hasCertificate: boolean } {
  try {
    const contentInfo = pkijs.ContentInfo.fromBER(new Uint8Array(token));
    if (contentInfo.contentType !== OID.signedData) throw new Error("token is not SignedData");
    const signedData = new pkijs.SignedData({ schema: contentInfo.content });
    const encapsulated = signedData.encapContentInfo;
    if (encapsulated.eContentType !== OID.tstInfo || !encapsulated.eContent) throw new Error("content is not TSTInfo");
    const tstInfo = pkijs.TSTInfo.fromBER(encapsulated.eContent.getValue());
    return { tstInfo, hasCertificate: (signedData.certificates ?? []).length > 0 };
  } catch (error) {
    throw malformed("the timeStampToken is not SignedData over a TSTInfo", error);
  }
}

function rejection(info: pkijs.PKIStatusInfo): AppError {
  const texts = (info.statusStrings ?? []).map((text) => text.valueBlock.value);
  const failures = failureBits(info.failInfo);
  const names = failures.map((bit) => FAILURE_NAMES[bit] ?? `bit ${bit}`);
  const detail = [...names, ...texts].join("; ");
  // waiting (3), or a TSA that cannot reach its time source / is failing, may succeed later.
  const retryable = info.status === pkijs.PKIStatus.waiting || failures.includes(14) || failures.includes(25);
  return new AppError(
    "TIMESTAMP_REJECTED",
    `the TSA refused the request (status ${pkijs.PKIStatus[info.status] ?? info.status}${detail ? `: ${detail}` : ""})`,
    { retryable },
  );
}

function failureBits(bits: asn1js.BitString | undefined): number[] {
  if (!bits) return [];
  const bytes = bits.valueBlock.valueHexView;
  const set: number[] = [];
  for (let bit = 0; bit < bytes.length * 8; bit++) if ((bytes[bit >> 3] ?? 0) & (0x80 >> (bit & 7))) set.push(bit);
  return set;
}

function integerHex(value: asn1js.Integer): string {
  return hexOf(value.valueBlock.valueHexView);
}

/** Hex without leading zero octets, so INTEGER encodings compare by value. */
function hexOf(bytes: Uint8Array): string {
  return Buffer.from(bytes)
    .toString("hex")
    .replace(/^(00)+(?=.)/, "");
}

function malformed(message: string, cause?: unknown): AppError {
  return new AppError("TIMESTAMP_MALFORMED_RESPONSE", message, { cause });
}

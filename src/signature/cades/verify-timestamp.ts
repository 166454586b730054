/**
 * Verifies a signature-time-stamp (ETSI EN 319 122-1 §5.3, RFC 3161 §2.4.2 and Appendix A):
 * the imprint is the hash of the SignerInfo's signature value, the TSA's CMS signature
 * verifies, its certificate is for time-stamping (RFC 3161 §2.3) and chains to a trust
 * anchor, valid at genTime.
 */
import { createHash } from "node:crypto";
import { OID } from "../oids.js";
import { CmsFormatError, childrenOf, itemsOf, oidOf, rawOf } from "./ber.js";
import { type CertificateRecord, loadCertificate } from "./certificate-record.js";
import { buildChain, validityProblem } from "./chain.js";
import { compareBytes } from "./der.js";
import { inspectSignerInfo } from "./signer-core.js";
import type { ParsedSignerInfo } from "./signer-info.js";
import { readTimestampToken, type TimestampToken } from "./timestamp-token.js";

export interface CadesTimestamp {
  readonly genTime: Date;
  readonly valid: boolean;
  /** The TSA certificate's subject, when the token carries it. */
  readonly tsa: string | null;
}

export interface TimestampOutcome {
  readonly timestamp: CadesTimestamp | null;
  /** Why the time-stamp is not valid; null when it is, or when it could not be read (see `timestamp`). */
  readonly problem: string | null;
}

/** The first signature-time-stamp of a SignerInfo, or null when it has none. */
export function verifySignatureTimestamp(
  signerInfo: ParsedSignerInfo,
  trust: readonly CertificateRecord[],
): TimestampOutcome | null {
  try {
    const encoded = findTimestampToken(signerInfo);
    if (encoded === null) return null;
    const token = readTimestampToken(encoded);
    const tsa = inspectTsa(token, trust);
    const problem = imprintProblem(token, signerInfo.signature) ?? tsa.problem;
    return { timestamp: { genTime: token.genTime, valid: problem === null, tsa: tsa.subject }, problem };
  } catch (error) {
    if (!(error instanceof CmsFormatError)) throw error;
    return { timestamp: null, problem: `signature-time-stamp not decodable: ${error.message}` };
  }
}

function findTimestampToken(signerInfo: ParsedSignerInfo): Uint8Array | null {
  if (signerInfo.unsignedAttributes === null) return null;
  for (const attribute of childrenOf(signerInfo.unsignedAttributes, "unsignedAttrs")) {
    const [type, values] = itemsOf(attribute, 16, "Attribute");
    if (oidOf(type, "Attribute.attrType") !== OID.signatureTimeStampToken) continue;
    const [token] = itemsOf(values, 17, "Attribute.attrValues");
    if (token) return rawOf(token);
  }
  return null;
}

function imprintProblem(token: TimestampToken, signature: Uint8Array): string | null {
  if (token.imprintAlgorithm === null || token.imprintAlgorithm === "sha1")
    return "time-stamp imprint algorithm not accepted";
  const expected = createHash(token.imprintAlgorithm).update(signature).digest();
  return compareBytes(expected, token.imprint) === 0 ? null : "time-stamp covers another signature value";
}

function inspectTsa(
  token: TimestampToken,
  trust: readonly CertificateRecord[],
): { subject: string | null; problem: string | null } {
  const [raw, ...others] = token.signedData.signerInfos;
  if (raw === undefined || others.length > 0)
    return { subject: null, problem: "time-stamp token must have one signer" };
  const certificates = token.signedData.certificates.map(loadCertificate).filter((c) => c !== null);
  const core = inspectSignerInfo(raw, {
    contentType: token.signedData.contentType,
    content: token.tstInfo,
    digest: (hash) => createHash(hash).update(token.tstInfo).digest(),
    certificates: [...certificates, ...trust],
  });
  const tsa = core.certificate;
  if (tsa === null) return { subject: null, problem: "TSA certificate not found" };
  const subject = tsa.subject;
  if (!core.checks.signature || !core.checks.messageDigest)
    return { subject, problem: "TSA signature does not verify" };
  if (!tsa.info.extendedKeyUsage?.includes(OID.timeStamping))
    return { subject, problem: "TSA certificate not for time-stamping" };
  const chain = buildChain(tsa, certificates, trust);
  if (!chain.trusted) return { subject, problem: `TSA not trusted: ${chain.problem}` };
  return { subject, problem: validityProblem(chain.path, token.genTime)?.message ?? null };
}

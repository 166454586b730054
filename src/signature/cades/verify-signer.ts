/**
 * One signer of a CAdES signature, checked the way Italian and EU validators do
 * (reference/signature.md §1.8): the core CMS checks, then the signature-time-stamp, the
 * chain to a trust anchor, validity at the signing time and the key usage.
 */

import type { CertificateRecord } from "./certificate-record.js";
import { buildChain, validityProblem } from "./chain.js";
import type { SignerProblem } from "./reasons.js";
import { type CoreChecks, inspectSignerInfo, type SignedContent } from "./signer-core.js";
import { type CadesTimestamp, verifySignatureTimestamp } from "./verify-timestamp.js";

export interface CadesSignerChecks extends CoreChecks {
  chain: boolean;
  validityAtSigningTime: boolean;
  keyUsage: boolean;
}

export interface CadesSigner {
  /** 0 for the outer envelope, 1 for a .p7m inside it, … */
  readonly layer: number;
  readonly subject: string | null;
  readonly organizationIdentifier: string | null;
  /** Codice fiscale from the subject serialNumber "TINIT-…" (ETSI EN 319 412-1 §5.1.3) or the older "IT:…". */
  readonly fiscalCode: string | null;
  /** Certificate serial number, upper-case hex. */
  readonly serial: string | null;
  readonly issuer: string | null;
  /** The signing-time attribute; null when absent (PAdES) or unreadable. */
  readonly signingTime: Date | null;
  /** "sha256", …, or the OID when unknown. */
  readonly digestAlgorithm: string;
  readonly timestamp?: CadesTimestamp;
  readonly checks: CadesSignerChecks;
}

export interface SignerVerificationContext {
  readonly trust: readonly CertificateRecord[];
  /** Validation time when the signature claims none (no signing-time, no valid time-stamp). */
  readonly fallbackTime: Date;
}

/** Throws CmsFormatError when the SignerInfo cannot be decoded at all. */
export function verifySigner(
  raw: Uint8Array,
  layer: number,
  signed: SignedContent,
  context: SignerVerificationContext,
): { signer: CadesSigner; problems: SignerProblem[] } {
  const core = inspectSignerInfo(raw, signed);
  const problems = [...core.problems];
  const stamped = verifySignatureTimestamp(core.signerInfo, context.trust);
  if (stamped?.problem) problems.push({ code: "TIMESTAMP_INVALID", message: stamped.problem });
  const stampTime = stamped?.timestamp?.valid ? stamped.timestamp.genTime : null;
  // The signing-time attribute is the signer's own claim: an expired key could back-date it. Only a
  // verified time-stamp proves when the signature existed; otherwise the certificate must be valid
  // at the validation time (reference/signature.md §1.8).
  const at = stampTime ?? context.fallbackTime;
  const certificate = core.certificate;
  const checks: CadesSignerChecks = { ...core.checks, chain: false, validityAtSigningTime: false, keyUsage: false };
  if (certificate !== null) checkCertificate(certificate, signed.certificates, context, at, checks, problems);
  const signer: CadesSigner = {
    layer,
    subject: certificate?.subject ?? null,
    organizationIdentifier: certificate?.info.organizationIdentifier ?? null,
    fiscalCode: certificate?.info.fiscalCode ?? null,
    serial: certificate?.info.serialNumber.toUpperCase() ?? null,
    issuer: certificate?.issuer ?? null,
    signingTime: core.signingTime,
    digestAlgorithm: core.digestHash ?? core.signerInfo.digestAlgorithm,
    ...(stamped?.timestamp ? { timestamp: stamped.timestamp } : {}),
    checks,
  };
  return { signer, problems };
}

function checkCertificate(
  certificate: CertificateRecord,
  carried: readonly CertificateRecord[],
  context: SignerVerificationContext,
  at: Date,
  checks: CadesSignerChecks,
  problems: SignerProblem[],
): void {
  const chain = buildChain(certificate, carried, context.trust);
  checks.chain = chain.trusted;
  if (!chain.trusted) problems.push({ code: "CHAIN_UNTRUSTED", message: chain.problem ?? "no trusted chain" });
  const validity = validityProblem(chain.path, at);
  checks.validityAtSigningTime = validity === null;
  if (validity !== null) problems.push(validity);
  // RFC 5280 §4.2.1.3: a signing key needs digitalSignature or nonRepudiation; no keyUsage, no restriction.
  const usage = certificate.info.keyUsage;
  checks.keyUsage = usage === undefined || usage.includes("digitalSignature") || usage.includes("nonRepudiation");
  if (!checks.keyUsage)
    problems.push({ code: "KEY_USAGE_UNFIT", message: "keyUsage allows neither digitalSignature nor nonRepudiation" });
}

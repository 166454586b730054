/**
 * The provider's S/MIME signature of a PEC message (RFC 8551 §3.5.3 multipart/signed; DM 2
 * novembre 2005 art. 6 c.1: every message the system creates is signed): a detached CMS
 * SignedData over the first part, checked with the signature module's CAdES verifier.
 *
 * PEC is S/MIME, not CAdES: no signing-certificate-v2, and providers still sign with SHA-1 (Namirial
 * in 2024). Those reasons are recorded, not refused. The chain is validated at the signing time
 * (the signers' certificates expired years ago; reference/pec.md §3, §6).
 */
import { type CadesVerification, verifyCades } from "../signature/index.js";
import type { PecSignature } from "./domain/pec-message.js";

/** Reasons that mean the signature is not intact: the content or the signature bytes do not hold. */
const NOT_INTACT: ReadonlySet<string> = new Set([
  "MALFORMED",
  "NOT_SIGNED_DATA",
  "DETACHED_CONTENT_MISSING",
  "NO_SIGNERS",
  "SIGNER_CERTIFICATE_MISSING",
  "SIGNATURE_INVALID",
  "CONTENT_ALTERED",
  "CONTENT_TYPE_MISMATCH",
  "SIGNED_ATTRIBUTES_MISSING",
  "UNKNOWN_ALGORITHM",
  "ALGORITHM_MISMATCH",
  "SIGNING_CERTIFICATE_MISMATCH",
  "CONTENT_NOT_DETACHED",
]);

/** Reasons a PEC signature may carry and still be trusted; they stay in `reasons`. */
const ACCEPTED_FOR_PEC: ReadonlySet<string> = new Set([
  "WEAK_DIGEST_SHA1",
  "SIGNING_CERTIFICATE_V2_MISSING",
  "ATTRIBUTES_NOT_DER_SORTED",
]);

export interface PecSignatureOptions {
  /** Trust anchors, DER. None: nothing is trusted, the signature can still be valid (intact). */
  readonly trust?: readonly Uint8Array[];
  /** When the signature has no signing-time attribute: the daticert time, else the Date header. */
  readonly fallbackTime?: Date | null;
}

/** `signedContent` is the first part of the multipart/signed with CRLF line endings. Never throws. */
export function verifyPecSignature(
  p7s: Uint8Array,
  signedContent: Uint8Array,
  options: PecSignatureOptions = {},
): PecSignature {
  const trust = options.trust ?? [];
  const fallback = options.fallbackTime ?? undefined;
  const verify = (at: Date | undefined) =>
    verifyCades(p7s, { trust, detachedContent: signedContent, ...(at ? { at } : {}) });
  let result = verify(fallback);
  const signingTime = result.signers[0]?.signingTime ?? null;
  if (signingTime !== null && signingTime.getTime() !== fallback?.getTime()) result = verify(signingTime);
  return summarise(result);
}

function summarise(result: CadesVerification): PecSignature {
  const signer = result.signers[0];
  const intact =
    result.signers.length > 0 &&
    result.signers.every((one) => one.checks.signature && one.checks.messageDigest) &&
    result.reasons.every((reason) => !NOT_INTACT.has(reason.code));
  const trusted = intact && result.reasons.every((reason) => ACCEPTED_FOR_PEC.has(reason.code));
  return {
    present: true,
    valid: intact,
    trusted,
    signer: signer?.subject ?? null,
    signingTime: signer?.signingTime ?? null,
    digestAlgorithm: signer?.digestAlgorithm ?? null,
    reasons: result.reasons.map(({ code, message }) => ({ code, message })),
  };
}

/** The signature of a message that carries none, or that is not multipart/signed at all. */
export function absentSignature(code: "SIGNATURE_PART_MISSING" | "NOT_MULTIPART_SIGNED", message: string) {
  const signature: PecSignature = {
    present: false,
    valid: false,
    trusted: false,
    signer: null,
    signingTime: null,
    digestAlgorithm: null,
    reasons: [{ code, message }],
  };
  return signature;
}

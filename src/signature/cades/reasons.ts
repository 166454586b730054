/**
 * Why a CAdES signature is not valid: stable codes, part of the public API (CLI JSON,
 * problem documents). Never rename one; add new ones at the end.
 */
export const CADES_REASON_CODES = [
  /** Not decodable as BER/DER or base64, or a structure does not match RFC 5652. */
  "MALFORMED",
  /** A ContentInfo that holds something other than SignedData. */
  "NOT_SIGNED_DATA",
  /** Detached SignedData and no content given to check it against. */
  "DETACHED_CONTENT_MISSING",
  /** SignedData without any SignerInfo. */
  "NO_SIGNERS",
  /** The SignerInfo names a certificate that the SignedData does not carry. */
  "SIGNER_CERTIFICATE_MISSING",
  /** The signature value does not verify with the signer certificate's key. */
  "SIGNATURE_INVALID",
  /** message-digest differs from the digest of the content (RFC 5652 §11.2). */
  "CONTENT_ALTERED",
  /** content-type differs from eContentType (RFC 5652 §11.1). */
  "CONTENT_TYPE_MISMATCH",
  /** No signed attributes, or content-type / message-digest missing or repeated (RFC 5652 §5.3). */
  "SIGNED_ATTRIBUTES_MISSING",
  /** ESSCertIDv2 hash or issuerSerial does not match the signer certificate (RFC 5035 §3). */
  "SIGNING_CERTIFICATE_MISMATCH",
  /** No signing-certificate-v2 attribute (ETSI EN 319 122-1 §5.2.2.3). */
  "SIGNING_CERTIFICATE_V2_MISSING",
  /** Signed attributes not in DER order (X.690 §11.6): strict verifiers (DSS, BouncyCastle) reject them. */
  "ATTRIBUTES_NOT_DER_SORTED",
  /** No chain from the signer certificate to a trust anchor. */
  "CHAIN_UNTRUSTED",
  /**
   * A certificate of the chain had expired at the validation time: a verified time-stamp's genTime,
   * else the caller's `at`, else now. The signing-time attribute is the signer's claim and is not used.
   */
  "CERTIFICATE_EXPIRED_AT_SIGNING_TIME",
  /** A certificate of the chain was not yet valid at the signing time. */
  "CERTIFICATE_NOT_YET_VALID",
  /** SHA-1 digest or signature (ETSI TS 119 312; not accepted in Italy since 2011). */
  "WEAK_DIGEST_SHA1",
  /** A digest or signature algorithm we do not implement (MD5, RSASSA-PSS, …). */
  "UNKNOWN_ALGORITHM",
  /** The signature algorithm names another hash than digestAlgorithm. */
  "ALGORITHM_MISMATCH",
  /** The signer certificate's keyUsage allows neither digitalSignature nor nonRepudiation. */
  "KEY_USAGE_UNFIT",
  /** A signature-time-stamp that does not verify, covers another signature or is untrusted. */
  "TIMESTAMP_INVALID",
  /** A detached signature was expected (PAdES) and the envelope carries content of its own. */
  "CONTENT_NOT_DETACHED",
] as const;

export type CadesReasonCode = (typeof CADES_REASON_CODES)[number];

export interface CadesReason {
  readonly code: CadesReasonCode;
  /** Index into `signers` of the result, when the reason is about one signer. */
  readonly signerIndex?: number;
  readonly message: string;
}

/** A reason about a signer before it has its index in the result. */
export interface SignerProblem {
  readonly code: CadesReasonCode;
  readonly message: string;
}

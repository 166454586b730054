/**
 * The signer port: who holds the key. CMS assembly stays in the gateway; the signer only
 * turns a digest into a signature, so the key can live in a PKCS#12 file (seals, tests) or
 * in a trust service provider's HSM behind a "sign hash" API (qualified signatures,
 * reference/signature.md §0.6 and §2.4). Async on purpose: remote signing is a network call.
 */

/** Digest algorithms we sign with. SHA-1 is refused (ETSI TS 119 312). */
export type DigestAlgorithm = "sha256" | "sha384" | "sha512";

/** The key's algorithm family, which fixes the CMS signatureAlgorithm OID. */
export type KeyAlgorithm = { kind: "rsa"; modulusBits: number } | { kind: "ec"; namedCurve: "P-256" | "P-384" };

export interface Signer {
  /** The signer's certificate first, then its chain up to (and optionally including) the root, DER. */
  readonly certificateChain: readonly Uint8Array[];
  readonly keyAlgorithm: KeyAlgorithm;
  /**
   * Signs a precomputed digest. RSA: PKCS#1 v1.5 over DigestInfo(algorithm, digest).
   * ECDSA: the DER-encoded ECDSA-Sig-Value (r, s), as CMS carries it (RFC 5753 §2.1.1).
   */
  sign(digest: Uint8Array, algorithm: DigestAlgorithm): Promise<Uint8Array>;
  /**
   * Optional, for keys in this process: signs the message itself, hashing it with `algorithm`.
   * CAdES signs the DER of the signed attributes, a few hundred bytes, so the CMS builder can hand
   * them over whole: OpenSSL then hashes and signs natively and in constant time, where ECDSA over
   * a precomputed digest has no native path in node:crypto.
   */
  signMessage?(message: Uint8Array, algorithm: DigestAlgorithm): Promise<Uint8Array>;
}

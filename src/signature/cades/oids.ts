/**
 * Object identifiers and algorithm tables for CMS / CAdES.
 * RFC 5652 (CMS), RFC 5754 (SHA-2 in CMS), RFC 5753 / RFC 5758 (ECDSA), RFC 5035 (ESS),
 * RFC 3161 (time-stamps), ETSI EN 319 412-1 (organizationIdentifier).
 */
import type { DigestAlgorithm, KeyAlgorithm } from "../signer.js";

export const OID = {
  data: "1.2.840.113549.1.7.1",
  signedData: "1.2.840.113549.1.7.2",
  tstInfo: "1.2.840.113549.1.9.16.1.4",
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  signingTime: "1.2.840.113549.1.9.5",
  signingCertificate: "1.2.840.113549.1.9.16.2.12",
  signingCertificateV2: "1.2.840.113549.1.9.16.2.47",
  signatureTimeStampToken: "1.2.840.113549.1.9.16.2.14",
  organizationIdentifier: "2.5.4.97",
  serialNumber: "2.5.4.5",
  keyUsage: "2.5.29.15",
  extKeyUsage: "2.5.29.37",
  timeStamping: "1.3.6.1.5.5.7.3.8",
} as const;

/** Hash names as node:crypto spells them; sha1 is recognised only to be reported as weak. */
export type HashName = "sha1" | "sha224" | "sha256" | "sha384" | "sha512";

const HASH_BY_OID: Readonly<Record<string, HashName>> = {
  "1.3.14.3.2.26": "sha1",
  "2.16.840.1.101.3.4.2.4": "sha224",
  "2.16.840.1.101.3.4.2.1": "sha256",
  "2.16.840.1.101.3.4.2.2": "sha384",
  "2.16.840.1.101.3.4.2.3": "sha512",
};

const OID_BY_DIGEST: Readonly<Record<DigestAlgorithm, string>> = {
  sha256: "2.16.840.1.101.3.4.2.1",
  sha384: "2.16.840.1.101.3.4.2.2",
  sha512: "2.16.840.1.101.3.4.2.3",
};

/** sha*WithRSAEncryption (RFC 4055 §5) and ecdsa-with-SHA* (RFC 5758 §3.2). */
const SIGNATURE_OIDS: Readonly<Record<"rsa" | "ec", Readonly<Record<DigestAlgorithm, string>>>> = {
  rsa: { sha256: "1.2.840.113549.1.1.11", sha384: "1.2.840.113549.1.1.12", sha512: "1.2.840.113549.1.1.13" },
  ec: { sha256: "1.2.840.10045.4.3.2", sha384: "1.2.840.10045.4.3.3", sha512: "1.2.840.10045.4.3.4" },
};

export interface SignatureAlgorithmInfo {
  readonly family: "rsa" | "ec";
  /** The hash the OID names, or null when the OID is a bare key algorithm (rsaEncryption, id-ecPublicKey). */
  readonly hash: HashName | null;
}

const SIGNATURE_BY_OID: Readonly<Record<string, SignatureAlgorithmInfo>> = {
  "1.2.840.113549.1.1.1": { family: "rsa", hash: null },
  "1.2.840.113549.1.1.5": { family: "rsa", hash: "sha1" },
  "1.2.840.113549.1.1.14": { family: "rsa", hash: "sha224" },
  "1.2.840.113549.1.1.11": { family: "rsa", hash: "sha256" },
  "1.2.840.113549.1.1.12": { family: "rsa", hash: "sha384" },
  "1.2.840.113549.1.1.13": { family: "rsa", hash: "sha512" },
  "1.2.840.10045.2.1": { family: "ec", hash: null },
  "1.2.840.10045.4.1": { family: "ec", hash: "sha1" },
  "1.2.840.10045.4.3.1": { family: "ec", hash: "sha224" },
  "1.2.840.10045.4.3.2": { family: "ec", hash: "sha256" },
  "1.2.840.10045.4.3.3": { family: "ec", hash: "sha384" },
  "1.2.840.10045.4.3.4": { family: "ec", hash: "sha512" },
};

export function hashOfDigestOid(oid: string): HashName | null {
  return HASH_BY_OID[oid] ?? null;
}

export function digestOid(algorithm: DigestAlgorithm): string {
  return OID_BY_DIGEST[algorithm];
}

export function signatureOid(key: KeyAlgorithm, algorithm: DigestAlgorithm): string {
  return SIGNATURE_OIDS[key.kind][algorithm];
}

export function describeSignatureOid(oid: string): SignatureAlgorithmInfo | null {
  return SIGNATURE_BY_OID[oid] ?? null;
}

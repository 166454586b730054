/**
 * Object identifiers of the signature module, named after their specs, and the algorithm tables
 * built from them: RFC 5280 (certificates), RFC 5652 (CMS), RFC 5754 (SHA-2 in CMS), RFC 5753 /
 * RFC 5758 (ECDSA), RFC 5035 (ESS), RFC 3161 (time-stamps), RFC 7292 (PKCS#12), ETSI EN 319 412-1.
 */
import type { DigestAlgorithm, KeyAlgorithm } from "./signer.js";

export const OID = {
  // X.520 / RFC 5280 §4.1.2.4 attribute types
  commonName: "2.5.4.3",
  surname: "2.5.4.4",
  serialNumber: "2.5.4.5",
  countryName: "2.5.4.6",
  localityName: "2.5.4.7",
  stateOrProvinceName: "2.5.4.8",
  organizationName: "2.5.4.10",
  organizationalUnitName: "2.5.4.11",
  title: "2.5.4.12",
  givenName: "2.5.4.42",
  dnQualifier: "2.5.4.46",
  /** ETSI EN 319 412-1 §5.1.4 */
  organizationIdentifier: "2.5.4.97",
  emailAddress: "1.2.840.113549.1.9.1",
  // RFC 5280 §4.2.1 extensions
  subjectKeyIdentifier: "2.5.29.14",
  keyUsage: "2.5.29.15",
  basicConstraints: "2.5.29.19",
  authorityKeyIdentifier: "2.5.29.35",
  extKeyUsage: "2.5.29.37",
  // RFC 5280 §4.2.1.12 key purposes
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
  emailProtection: "1.3.6.1.5.5.7.3.4",
  timeStamping: "1.3.6.1.5.5.7.3.8",
  // Keys and signatures (RFC 8017 App. C, RFC 4055 §5, RFC 5480 §2.1.1, RFC 5758 §3.2, RFC 3279 §2.2.3)
  rsaEncryption: "1.2.840.113549.1.1.1",
  sha1WithRSAEncryption: "1.2.840.113549.1.1.5",
  sha224WithRSAEncryption: "1.2.840.113549.1.1.14",
  sha256WithRSAEncryption: "1.2.840.113549.1.1.11",
  sha384WithRSAEncryption: "1.2.840.113549.1.1.12",
  sha512WithRSAEncryption: "1.2.840.113549.1.1.13",
  ecPublicKey: "1.2.840.10045.2.1",
  ecdsaWithSha1: "1.2.840.10045.4.1",
  ecdsaWithSha224: "1.2.840.10045.4.3.1",
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  ecdsaWithSha384: "1.2.840.10045.4.3.3",
  ecdsaWithSha512: "1.2.840.10045.4.3.4",
  // Digests (RFC 3279 §2.2.1, RFC 5754 §2)
  sha1: "1.3.14.3.2.26",
  sha224: "2.16.840.1.101.3.4.2.4",
  sha256: "2.16.840.1.101.3.4.2.1",
  sha384: "2.16.840.1.101.3.4.2.2",
  sha512: "2.16.840.1.101.3.4.2.3",
  // Password-based encryption (RFC 8018 App. C)
  pbkdf2: "1.2.840.113549.1.5.12",
  pbes2: "1.2.840.113549.1.5.13",
  hmacWithSha1: "1.2.840.113549.2.7",
  hmacWithSha256: "1.2.840.113549.2.9",
  hmacWithSha384: "1.2.840.113549.2.10",
  hmacWithSha512: "1.2.840.113549.2.11",
  aes128Cbc: "2.16.840.1.101.3.4.1.2",
  aes192Cbc: "2.16.840.1.101.3.4.1.22",
  aes256Cbc: "2.16.840.1.101.3.4.1.42",
  desEde3Cbc: "1.2.840.113549.3.7",
  // RFC 7292 App. C (PKCS#12 PBE) and App. D (bag types)
  pbeWithSha1And3KeyTripleDesCbc: "1.2.840.113549.1.12.1.3",
  pbeWithSha1And40BitRc2Cbc: "1.2.840.113549.1.12.1.6",
  keyBag: "1.2.840.113549.1.12.10.1.1",
  pkcs8ShroudedKeyBag: "1.2.840.113549.1.12.10.1.2",
  certBag: "1.2.840.113549.1.12.10.1.3",
  x509Certificate: "1.2.840.113549.1.9.22.1",
  friendlyName: "1.2.840.113549.1.9.20",
  localKeyId: "1.2.840.113549.1.9.21",
  // CMS content types (RFC 5652 §4, §5, §8) and RFC 3161 §2.4.2
  data: "1.2.840.113549.1.7.1",
  signedData: "1.2.840.113549.1.7.2",
  encryptedData: "1.2.840.113549.1.7.6",
  tstInfo: "1.2.840.113549.1.9.16.1.4",
  // CMS attributes (RFC 5652 §11), ESS (RFC 2634 §5.4, RFC 5035 §3) and RFC 3161 App. A
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  signingTime: "1.2.840.113549.1.9.5",
  signingCertificate: "1.2.840.113549.1.9.16.2.12",
  signingCertificateV2: "1.2.840.113549.1.9.16.2.47",
  signatureTimeStampToken: "1.2.840.113549.1.9.16.2.14",
} as const;

/** Hash names as node:crypto spells them; sha1 is recognised only to be reported as weak. */
export type HashName = "sha1" | "sha224" | "sha256" | "sha384" | "sha512";

const HASH_BY_OID: Readonly<Record<string, HashName>> = {
  [OID.sha1]: "sha1",
  [OID.sha224]: "sha224",
  [OID.sha256]: "sha256",
  [OID.sha384]: "sha384",
  [OID.sha512]: "sha512",
};

/** sha*WithRSAEncryption (RFC 4055 §5) and ecdsa-with-SHA* (RFC 5758 §3.2). */
const SIGNATURE_OIDS: Readonly<Record<"rsa" | "ec", Readonly<Record<DigestAlgorithm, string>>>> = {
  rsa: {
    sha256: OID.sha256WithRSAEncryption,
    sha384: OID.sha384WithRSAEncryption,
    sha512: OID.sha512WithRSAEncryption,
  },
  ec: { sha256: OID.ecdsaWithSha256, sha384: OID.ecdsaWithSha384, sha512: OID.ecdsaWithSha512 },
};

export interface SignatureAlgorithmInfo {
  readonly family: "rsa" | "ec";
  /** The hash the OID names, or null when the OID is a bare key algorithm (rsaEncryption, id-ecPublicKey). */
  readonly hash: HashName | null;
}

const SIGNATURE_BY_OID: Readonly<Record<string, SignatureAlgorithmInfo>> = {
  [OID.rsaEncryption]: { family: "rsa", hash: null },
  [OID.sha1WithRSAEncryption]: { family: "rsa", hash: "sha1" },
  [OID.sha224WithRSAEncryption]: { family: "rsa", hash: "sha224" },
  [OID.sha256WithRSAEncryption]: { family: "rsa", hash: "sha256" },
  [OID.sha384WithRSAEncryption]: { family: "rsa", hash: "sha384" },
  [OID.sha512WithRSAEncryption]: { family: "rsa", hash: "sha512" },
  [OID.ecPublicKey]: { family: "ec", hash: null },
  [OID.ecdsaWithSha1]: { family: "ec", hash: "sha1" },
  [OID.ecdsaWithSha224]: { family: "ec", hash: "sha224" },
  [OID.ecdsaWithSha256]: { family: "ec", hash: "sha256" },
  [OID.ecdsaWithSha384]: { family: "ec", hash: "sha384" },
  [OID.ecdsaWithSha512]: { family: "ec", hash: "sha512" },
};

export function hashOfDigestOid(oid: string): HashName | null {
  return HASH_BY_OID[oid] ?? null;
}

/** The digest AlgorithmIdentifier OID we sign with (RFC 5754 §2). */
export function digestOid(algorithm: DigestAlgorithm): string {
  return OID[algorithm];
}

export function signatureOid(key: KeyAlgorithm, algorithm: DigestAlgorithm): string {
  return SIGNATURE_OIDS[key.kind][algorithm];
}

export function describeSignatureOid(oid: string): SignatureAlgorithmInfo | null {
  return SIGNATURE_BY_OID[oid] ?? null;
}

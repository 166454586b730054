/**
 * Keys and self-signed certificates made in process by our certificate builder, for unit tests
 * that need "a key and its certificate" and nothing from a real PKI (for that, openssl-pki.ts).
 */
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { type CertificateTemplate, issueCertificate } from "../../src/signature/certificates/certificate-builder.js";
import { OID } from "../../src/signature/oids.js";

export interface KeyObjectPair {
  readonly publicKey: KeyObject;
  readonly privateKey: KeyObject;
}

export interface TestIdentity extends KeyObjectPair {
  /** Self-signed, DER. */
  readonly certificate: Uint8Array;
}

/**
 * A certificate for `pair`, signed by its own key: CN=Test, valid through 2026, nonRepudiation.
 * `overrides` replace any field (an `issuer` name other than the subject's is kept as given).
 */
export function selfSignedCertificate(pair: KeyObjectPair, overrides: Partial<CertificateTemplate> = {}): Uint8Array {
  const name = [{ type: OID.commonName, value: "Test" }];
  return issueCertificate({
    serialNumber: Uint8Array.of(0x01),
    subject: name,
    issuer: name,
    notBefore: new Date("2026-01-01T00:00:00Z"),
    notAfter: new Date("2027-01-01T00:00:00Z"),
    publicKey: pair.publicKey,
    issuerKey: pair.privateKey,
    issuerPublicKey: pair.publicKey,
    ca: false,
    keyUsage: ["nonRepudiation"],
    ...overrides,
  });
}

/** A fresh RSA 2048 or P-256 key pair and its self-signed certificate, subject and issuer CN=`commonName`. */
export function makeTestIdentity(key: "rsa" | "P-256", commonName = "Test"): TestIdentity {
  const pair =
    key === "rsa"
      ? generateKeyPairSync("rsa", { modulusLength: 2048 })
      : generateKeyPairSync("ec", { namedCurve: "P-256" });
  const name = [{ type: OID.commonName, value: commonName }];
  return { ...pair, certificate: selfSignedCertificate(pair, { subject: name, issuer: name }) };
}

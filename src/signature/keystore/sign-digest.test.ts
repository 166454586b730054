import { createHash, generateKeyPairSync, type KeyObject, verify } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DigestAlgorithm } from "../signer.js";
import { keyAlgorithmOf, signDigestWithKey } from "./sign-digest.js";

const ALGORITHMS: DigestAlgorithm[] = ["sha256", "sha384", "sha512"];

const keys = {
  "RSA 2048": generateKeyPairSync("rsa", { modulusLength: 2048 }),
  "RSA 4096": generateKeyPairSync("rsa", { modulusLength: 4096 }),
  "EC P-256": generateKeyPairSync("ec", { namedCurve: "P-256" }),
  "EC P-384": generateKeyPairSync("ec", { namedCurve: "P-384" }),
};

function digestOf(data: Uint8Array, algorithm: DigestAlgorithm): Uint8Array {
  return createHash(algorithm).update(data).digest();
}

describe("signDigestWithKey", () => {
  const cases = Object.entries(keys).flatMap(([name, pair]) => ALGORITHMS.map((alg) => [name, alg, pair] as const));

  it.each(cases)("a %s signature over a %s digest verifies with node:crypto over the original data", (_, alg, pair) => {
    const data = new TextEncoder().encode("Relazione di customer satisfaction, ottobre 2026");
    const signature = signDigestWithKey(pair.privateKey, digestOf(data, alg), alg);
    expect(verify(alg, data, pair.publicKey, signature)).toBe(true);
    expect(verify(alg, new TextEncoder().encode("altered"), pair.publicKey, signature)).toBe(false);
  });

  it("returns ECDSA signatures as a DER SEQUENCE of two INTEGERs (RFC 5753 §2.1.1)", () => {
    const signature = signDigestWithKey(keys["EC P-384"].privateKey, digestOf(Uint8Array.of(1), "sha384"), "sha384");
    expect(signature[0]).toBe(0x30);
    expect(signature[1]).toBe(signature.length - 2);
    expect(signature[2]).toBe(0x02);
  });

  it("signs any message so that it verifies (property, both curves and RSA)", () => {
    const pairs = Object.values(keys).filter((pair) => pair.privateKey.asymmetricKeyDetails?.modulusLength !== 4096);
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 256 }),
        fc.constantFrom(...pairs),
        fc.constantFrom(...ALGORITHMS),
        (data, pair, alg) =>
          verify(alg, data, pair.publicKey, signDigestWithKey(pair.privateKey, digestOf(data, alg), alg)),
      ),
      { numRuns: 60 },
    );
  });

  it("refuses a digest whose length does not fit the algorithm", () => {
    expect(() => signDigestWithKey(keys["EC P-256"].privateKey, new Uint8Array(20), "sha256")).toThrow(
      expect.objectContaining({ code: "SIGNATURE_DIGEST_INVALID" }),
    );
  });
});

describe("keyAlgorithmOf", () => {
  it("describes the supported keys as the signer port does", () => {
    expect(keyAlgorithmOf(keys["RSA 2048"].privateKey)).toEqual({ kind: "rsa", modulusBits: 2048 });
    expect(keyAlgorithmOf(keys["EC P-256"].privateKey)).toEqual({ kind: "ec", namedCurve: "P-256" });
    expect(keyAlgorithmOf(keys["EC P-384"].publicKey)).toEqual({ kind: "ec", namedCurve: "P-384" });
  });

  it.each<[string, KeyObject]>([
    ["RSA 1024", generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey],
    ["EC secp256k1", generateKeyPairSync("ec", { namedCurve: "secp256k1" }).privateKey],
    ["Ed25519", generateKeyPairSync("ed25519").privateKey],
  ])("refuses %s with SIGNATURE_KEY_UNSUPPORTED", (_, key) => {
    expect(() => keyAlgorithmOf(key)).toThrow(expect.objectContaining({ code: "SIGNATURE_KEY_UNSUPPORTED" }));
  });
});

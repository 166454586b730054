import { createHash, type KeyObject } from "node:crypto";
import fc from "fast-check";
import forge from "node-forge";
import { describe, expect, it } from "vitest";
import { makeTestIdentity } from "../../../test/support/test-identities.js";
import { readPkcs12, writePkcs12 } from "./pkcs12.js";

const pkcs8 = (key: KeyObject) => new Uint8Array(key.export({ type: "pkcs8", format: "der" }));

const rsa = makeTestIdentity("rsa", "RSA test");
const ec = makeTestIdentity("P-256", "EC test");
const caCertificate = makeTestIdentity("P-256", "Some CA").certificate;
const PASSWORD = "correct horse battery staple";

describe("writePkcs12 → readPkcs12", () => {
  it.each([
    ["RSA", rsa.privateKey, rsa.certificate],
    ["EC P-256", ec.privateKey, ec.certificate],
  ] as const)("round-trips a %s key, its certificate and the chain", (_, key, certificate) => {
    const p12 = writePkcs12({
      privateKey: pkcs8(key),
      certificateChain: [certificate, caCertificate],
      password: PASSWORD,
    });
    const contents = readPkcs12(p12, PASSWORD);
    expect(contents.privateKeys.map((item) => item.der)).toEqual([pkcs8(key)]);
    expect(contents.certificates.map((item) => item.der)).toEqual([certificate, caCertificate]);
    // RFC 7292 §4.2: the key and its certificate share a localKeyId (OpenSSL: SHA-1 of the certificate).
    const keyId = createHash("sha1").update(certificate).digest();
    expect(contents.privateKeys[0]?.localKeyId).toEqual(new Uint8Array(keyId));
    expect(contents.certificates[0]?.localKeyId).toEqual(new Uint8Array(keyId));
    expect(contents.certificates[1]?.localKeyId).toBeUndefined();
  });

  it("keeps non-ASCII passwords working (PBKDF2 over UTF-8, MAC over BMPString)", () => {
    const password = "perché-città-€";
    const p12 = writePkcs12({ privateKey: pkcs8(ec.privateKey), certificateChain: [ec.certificate], password });
    expect(readPkcs12(p12, password).privateKeys).toHaveLength(1);
  });

  it("is readable by node-forge, an independent PKCS#12 implementation", () => {
    const p12 = writePkcs12({
      privateKey: pkcs8(rsa.privateKey),
      certificateChain: [rsa.certificate],
      password: PASSWORD,
      iterations: 2048,
    });
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(p12).toString("binary")));
    const parsed = forge.pkcs12.pkcs12FromAsn1(asn1, true, PASSWORD);
    const bagType = forge.pki.oids.pkcs8ShroudedKeyBag ?? "";
    const keyBags = parsed.getBags({ bagType })[bagType];
    const forgeKey = keyBags?.[0]?.key as forge.pki.rsa.PrivateKey | undefined;
    expect(forgeKey?.n.toString(16)).toBe(
      Buffer.from(rsa.publicKey.export({ format: "jwk" }).n ?? "", "base64url").toString("hex"),
    );
  });
});

describe("readPkcs12 errors", () => {
  const p12 = writePkcs12({
    privateKey: pkcs8(ec.privateKey),
    certificateChain: [ec.certificate],
    password: PASSWORD,
    iterations: 100,
  });

  it("answers P12_INVALID_PASSWORD for a wrong password, without echoing it", () => {
    const attempt = () => readPkcs12(p12, "wrong-password-xyz");
    expect(attempt).toThrow(expect.objectContaining({ code: "P12_INVALID_PASSWORD" }));
    try {
      attempt();
    } catch (error) {
      expect(JSON.stringify(error)).not.toContain("wrong-password-xyz");
      expect(String(error)).not.toContain("wrong-password-xyz");
    }
  });

  it("answers P12_MALFORMED for something that is not a PKCS#12 file", () => {
    expect(() => readPkcs12(new TextEncoder().encode("hello"), PASSWORD)).toThrow(
      expect.objectContaining({ code: "P12_MALFORMED" }),
    );
    expect(() => readPkcs12(ec.certificate, PASSWORD)).toThrow(expect.objectContaining({ code: "P12_MALFORMED" }));
  });

  it("fails only with P12_* AppErrors on truncated or bit-flipped files (property)", () => {
    fc.assert(
      fc.property(fc.nat({ max: p12.length - 1 }), fc.integer({ min: 1, max: 255 }), fc.boolean(), (at, xor, cut) => {
        const damaged = cut ? p12.slice(0, at) : Uint8Array.from(p12, (byte, i) => (i === at ? byte ^ xor : byte));
        try {
          readPkcs12(damaged, PASSWORD);
          return true; // a flip inside an ignored field may leave the file readable
        } catch (error) {
          return /^P12_/.test((error as { code?: string }).code ?? "");
        }
      }),
      { numRuns: 150 },
    );
  });
});

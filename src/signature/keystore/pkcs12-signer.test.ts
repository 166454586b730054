import { createHash, verify, X509Certificate } from "node:crypto";
import { inspect } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { type DevCertificateSet, generateDevCertificates } from "../certificates/dev-certificates.js";
import { writePkcs12 } from "../certificates/pkcs12.js";
import { Pkcs12Signer } from "./pkcs12-signer.js";

const P256 = { kind: "ec", namedCurve: "P-256" } as const;
let set: DevCertificateSet;
let rsa: DevCertificateSet;

beforeAll(async () => {
  set = await generateDevCertificates({
    ipa: "c_demo",
    entityName: "Comune di Demo",
    now: new Date("2026-10-01T00:00:00Z"),
    password: "dev-password",
    keys: { ca: P256, seal: { kind: "ec", namedCurve: "P-384" }, pecProvider: P256, samlSp: P256, tsa: P256 },
  });
  rsa = await generateDevCertificates({
    ipa: "c_demo",
    entityName: "Comune di Demo",
    now: new Date("2026-10-01T00:00:00Z"),
    keys: { ca: P256, seal: P256, pecProvider: { kind: "rsa", modulusBits: 2048 }, samlSp: P256, tsa: P256 },
  });
});

const data = new TextEncoder().encode("contenuto firmato");

describe("Pkcs12Signer", () => {
  it("opens a PKCS#12 and signs a digest that verifies with the certificate's key", async () => {
    const signer = Pkcs12Signer.fromPkcs12(set.seal.p12, set.password);
    expect(signer.keyAlgorithm).toEqual({ kind: "ec", namedCurve: "P-384" });
    const signature = await signer.sign(createHash("sha384").update(data).digest(), "sha384");
    const certificate = new X509Certificate(signer.certificateChain[0] ?? new Uint8Array());
    expect(verify("sha384", data, certificate.publicKey, signature)).toBe(true);
  });

  it.each([
    ["EC P-384 (DER ECDSA-Sig-Value)", "seal"],
    ["RSA (PKCS#1 v1.5)", "pecProvider"],
  ] as const)("signs a whole message natively with %s", async (_, role) => {
    const signer =
      role === "seal"
        ? Pkcs12Signer.fromPkcs12(set.seal.p12, set.password)
        : Pkcs12Signer.fromPkcs8(rsa.pecProvider.privateKey, [rsa.pecProvider.certificate]);
    const signature = await signer.signMessage(data, "sha256");
    const certificate = new X509Certificate(signer.certificateChain[0] ?? new Uint8Array());
    expect(verify("sha256", data, certificate.publicKey, signature)).toBe(true);
    expect(verify("sha256", new TextEncoder().encode("altro"), certificate.publicKey, signature)).toBe(false);
  });

  it("orders the chain leaf first, whatever the order in the file", () => {
    const p12 = writePkcs12({
      privateKey: set.seal.privateKey,
      certificateChain: [set.seal.certificate, set.pecProvider.certificate, set.ca.certificate],
      password: "x",
    });
    // The file lists an unrelated certificate between leaf and CA: it is left out.
    expect(Pkcs12Signer.fromPkcs12(p12, "x").certificateChain).toEqual([set.seal.certificate, set.ca.certificate]);
  });

  it("answers P12_INVALID_PASSWORD for a wrong password", () => {
    expect(() => Pkcs12Signer.fromPkcs12(set.seal.p12, "nope")).toThrow(
      expect.objectContaining({ code: "P12_INVALID_PASSWORD" }),
    );
  });

  it("answers P12_NO_KEY when the key has no certificate in the file", () => {
    const p12 = writePkcs12({ privateKey: set.seal.privateKey, certificateChain: [set.ca.certificate], password: "x" });
    expect(() => Pkcs12Signer.fromPkcs12(p12, "x")).toThrow(expect.objectContaining({ code: "P12_NO_KEY" }));
    expect(() => Pkcs12Signer.fromPkcs8(set.seal.privateKey, [set.tsa.certificate])).toThrow(
      expect.objectContaining({ code: "P12_NO_KEY" }),
    );
  });

  it("keeps the private key out of JSON and util.inspect", () => {
    const signer = Pkcs12Signer.fromPkcs8(set.seal.privateKey, [set.seal.certificate]);
    const shown = `${JSON.stringify(signer)} ${inspect(signer, { depth: 5 })}`;
    expect(shown).not.toMatch(/privateKey|PRIVATE KEY|"d":/);
  });
});

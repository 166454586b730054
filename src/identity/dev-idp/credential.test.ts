import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createDevIdpCredential } from "./credential.js";

describe("createDevIdpCredential", () => {
  it("makes an RSA 2048 key with a self-signed certificate, CN Faccia IdP di sviluppo, valid 10 years", async () => {
    const now = new Date("2026-11-04T09:00:00.000Z");
    const credential = await createDevIdpCredential(now);
    const certificate = new X509Certificate(credential.certificate);
    expect(credential.privateKey.asymmetricKeyType).toBe("rsa");
    expect(credential.privateKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(certificate.subject).toContain("CN=Faccia IdP di sviluppo");
    expect(certificate.issuer).toBe(certificate.subject);
    expect(certificate.verify(certificate.publicKey)).toBe(true);
    expect(certificate.checkPrivateKey(credential.privateKey)).toBe(true);
    expect(new Date(certificate.validFrom).toISOString()).toBe(now.toISOString());
    expect(new Date(certificate.validTo).toISOString()).toBe("2036-11-04T09:00:00.000Z");
    expect(certificate.ca).toBe(false);
  });

  it("makes a new key every time", async () => {
    const [a, b] = await Promise.all([createDevIdpCredential(new Date()), createDevIdpCredential(new Date())]);
    expect(Buffer.from(a.certificate).equals(Buffer.from(b?.certificate ?? []))).toBe(false);
  });
});

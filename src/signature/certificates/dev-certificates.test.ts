import { createPrivateKey, X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Pkcs12Signer } from "../keystore/pkcs12-signer.js";
import { OID } from "../oids.js";
import { checkCertificate } from "./certificate-checks.js";
import { parseCertificateInfo } from "./certificate-info.js";
import { ensureDevCertificates } from "./dev-certificate-files.js";
import { DEV_CERTIFICATE_ROLES, type DevCertificateSet, generateDevCertificates } from "./dev-certificates.js";

const NOW = new Date("2026-11-02T09:00:00Z");
const P256 = { kind: "ec", namedCurve: "P-256" } as const;

describe("generateDevCertificates", () => {
  let set: DevCertificateSet;
  beforeAll(async () => {
    set = await generateDevCertificates({ ipa: "c_h501", entityName: "Roma Capitale", now: NOW, validityDays: 90 });
  });

  it("makes a self-signed CA that issued every other certificate", () => {
    const ca = new X509Certificate(set.ca.certificate);
    expect(ca.checkIssued(ca) && ca.verify(ca.publicKey)).toBe(true);
    expect(parseCertificateInfo(set.ca.certificate)).toMatchObject({
      isCa: true,
      keyUsage: ["keyCertSign", "cRLSign"],
    });
    for (const role of DEV_CERTIFICATE_ROLES.filter((r) => r !== "ca")) {
      expect(new X509Certificate(set[role].certificate).verify(ca.publicKey), role).toBe(true);
    }
  });

  it("gives the seal the comune's name and organizationIdentifier PA:IT-<IPA> (ETSI EN 319 412-1 §5.1.4)", () => {
    const seal = parseCertificateInfo(set.seal.certificate);
    expect(seal).toMatchObject({
      subject: "CN=Roma Capitale, organizationIdentifier=PA:IT-c_h501, O=Roma Capitale, C=IT",
      organizationIdentifier: "PA:IT-c_h501",
      keyUsage: ["digitalSignature", "nonRepudiation"],
      isCa: false,
    });
    expect(
      createPrivateKey({ key: Buffer.from(set.seal.privateKey), format: "der", type: "pkcs8" }).asymmetricKeyDetails,
    ).toMatchObject({ modulusLength: 3072 });
  });

  it("passes the load-time checks of each role, valid from an hour before now for validityDays", () => {
    const roles = { ca: "ca", seal: "seal", pecProvider: "pecProvider", samlSp: "samlSp", tsa: "tsa" } as const;
    for (const role of DEV_CERTIFICATE_ROLES) {
      const info = parseCertificateInfo(set[role].certificate);
      expect(checkCertificate(info, { role: roles[role], now: NOW }), role).toEqual([]);
      expect(info.notBefore).toEqual(new Date("2026-11-02T08:00:00Z"));
      expect(info.notAfter).toEqual(new Date("2027-01-31T09:00:00Z"));
    }
    expect(parseCertificateInfo(set.tsa.certificate)).toMatchObject({
      extendedKeyUsage: [OID.timeStamping],
      extendedKeyUsageCritical: true,
    });
    expect(parseCertificateInfo(set.samlSp.certificate).keyUsage).toEqual(["digitalSignature", "nonRepudiation"]);
    expect(parseCertificateInfo(set.pecProvider.certificate).keyUsage).toEqual(["digitalSignature"]);
  });

  it("gives the SAML SP certificate the AgID Avviso 29 v3 subject, key usage and policies", async () => {
    const own = await generateDevCertificates({
      ipa: "c_h501",
      entityName: "Comune di Roma",
      now: NOW,
      samlEntityId: "https://spid.comune.roma.example",
      keys: { ca: P256, seal: P256, pecProvider: P256, tsa: P256 },
    });
    const certificate = new X509Certificate(own.samlSp.certificate);
    expect(certificate.subject.split("\n")).toEqual([
      "C=IT",
      "L=Roma",
      "O=Comune di Roma",
      "organizationIdentifier=PA:IT-c_h501",
      "2.5.4.83=https://spid.comune.roma.example",
      "CN=Comune di Roma SAML SP",
    ]);
    const info = parseCertificateInfo(own.samlSp.certificate);
    expect(info.keyUsage).toEqual(["digitalSignature", "nonRepudiation"]);
    expect(certificate.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    // certificatePolicies: 1.3.76.16.6 "agIDcert" and 1.3.76.16.4.2.1 "cert_SP_Pub", as DER in the certificate.
    const der = Buffer.from(own.samlSp.certificate);
    expect(der.includes(Buffer.from("06042b4c1006", "hex")), "agIDcert OID").toBe(true);
    expect(der.includes(Buffer.from("06062b4c10040201", "hex")), "cert_SP_Pub OID").toBe(true);
    expect(der.includes(Buffer.from("agIDcert")) && der.includes(Buffer.from("cert_SP_Pub"))).toBe(true);
  });

  it("packs each key in a PKCS#12 under the one password, with its chain up to the CA", async () => {
    const signer = Pkcs12Signer.fromPkcs12(set.seal.p12, set.password);
    expect(signer.certificateChain).toEqual([set.seal.certificate, set.ca.certificate]);
    expect(signer.keyAlgorithm).toEqual({ kind: "rsa", modulusBits: 3072 });
    expect(Pkcs12Signer.fromPkcs12(set.ca.p12, set.password).certificateChain).toEqual([set.ca.certificate]);
  });

  it("uses a different serial number for every certificate", () => {
    const serials = DEV_CERTIFICATE_ROLES.map((role) => parseCertificateInfo(set[role].certificate).serialNumber);
    expect(new Set(serials).size).toBe(serials.length);
  });
});

describe("ensureDevCertificates", () => {
  const dir = mkdtempSync(join(tmpdir(), "faccia-dev-certs-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("writes a set on first boot and reuses it afterwards", async () => {
    const options = {
      ipa: "c_demo",
      entityName: "Comune di Demo",
      now: NOW,
      keys: { ca: { kind: "ec", namedCurve: "P-256" }, seal: { kind: "ec", namedCurve: "P-384" } },
    } as const;
    const first = await ensureDevCertificates(dir, options);
    expect(first.created).toBe(true);
    expect(first.paths.seal).toEqual({
      cert: join(dir, "seal.pem"),
      key: join(dir, "seal.key"),
      p12: join(dir, "seal.p12"),
    });
    expect(statSync(first.paths.seal.key).mode & 0o777).toBe(0o600);
    const sealPem = readFileSync(first.paths.seal.cert, "utf8");
    const again = await ensureDevCertificates(dir, options);
    expect(again).toEqual({ created: false, paths: first.paths });
    expect(readFileSync(again.paths.seal.cert, "utf8")).toBe(sealPem);
    const signer = Pkcs12Signer.fromPkcs12(readFileSync(again.paths.seal.p12), again.paths.password);
    expect(signer.keyAlgorithm).toEqual({ kind: "ec", namedCurve: "P-384" });
  });
});

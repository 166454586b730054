import { createHash, createPrivateKey, verify, X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevCertificateSet, generateDevCertificates } from "../../src/signature/certificates/dev-certificates.js";
import { derToPem } from "../../src/signature/certificates/pem.js";
import { readPkcs12, writePkcs12 } from "../../src/signature/certificates/pkcs12.js";
import { Pkcs12Signer } from "../../src/signature/keystore/pkcs12-signer.js";
import { runOpenssl, skipWithoutOpenssl } from "../support/local-tsa.js";

/** PKCS#12 interoperability with the openssl CLI, both ways (RFC 7292; OpenSSL 3 defaults and legacy). */
describe.skipIf(skipWithoutOpenssl)("PKCS#12 with openssl", () => {
  const dir = mkdtempSync(join(tmpdir(), "faccia-p12-"));
  const path = (name: string) => join(dir, name);
  let set: DevCertificateSet;

  beforeAll(async () => {
    set = await generateDevCertificates({
      ipa: "c_demo",
      entityName: "Comune di Demo",
      now: new Date(),
      password: "pw-demo",
      keys: { seal: { kind: "ec", namedCurve: "P-256" } },
    });
    writeFileSync(path("ca.pem"), derToPem(set.ca.certificate, "CERTIFICATE"));
    for (const role of ["seal", "tsa"] as const) {
      writeFileSync(path(`${role}.pem`), derToPem(set[role].certificate, "CERTIFICATE"));
      writeFileSync(path(`${role}.key`), derToPem(set[role].privateKey, "PRIVATE KEY"));
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** `openssl pkcs12 -export` of a key, its certificate and the CA, with extra options. */
  function opensslExport(role: "seal" | "tsa", name: string, extra: string[] = []): Uint8Array {
    const inputs = ["-inkey", path(`${role}.key`), "-in", path(`${role}.pem`), "-certfile", path("ca.pem")];
    const result = runOpenssl([
      "pkcs12",
      "-export",
      ...inputs,
      "-out",
      path(name),
      "-passout",
      "pass:openssl-pw",
      ...extra,
    ]);
    expect(result.stderr).toBe("");
    return readFileSync(path(name));
  }

  const data = Buffer.from("payload");

  it.each([
    ["RSA key, OpenSSL 3 defaults (PBES2 AES-256-CBC, PBKDF2-HMAC-SHA256, SHA-256 MAC)", "tsa", []],
    ["EC P-256 key, OpenSSL 3 defaults", "seal", []],
    [
      "RSA key, legacy 3DES and SHA-1 MAC",
      "tsa",
      ["-certpbe", "PBE-SHA1-3DES", "-keypbe", "PBE-SHA1-3DES", "-macalg", "sha1"],
    ],
  ] as const)("reads a file made by openssl: %s", async (_, role, extra) => {
    const p12 = opensslExport(role, `${role}-${extra.length}.p12`, [...extra]);
    const signer = Pkcs12Signer.fromPkcs12(p12, "openssl-pw");
    expect(signer.certificateChain).toEqual([set[role].certificate, set.ca.certificate]);
    const algorithm = "sha256";
    const signature = await signer.sign(createHash(algorithm).update(data).digest(), algorithm);
    expect(verify(algorithm, data, new X509Certificate(set[role].certificate).publicKey, signature)).toBe(true);
  });

  it("refuses RC2-40 (openssl -legacy) with P12_UNSUPPORTED, and a wrong password with P12_INVALID_PASSWORD", () => {
    const inputs = ["-inkey", path("tsa.key"), "-in", path("tsa.pem"), "-out", path("legacy.p12")];
    const legacy = runOpenssl(["pkcs12", "-export", "-legacy", ...inputs, "-passout", "pass:openssl-pw"]);
    if (legacy.status === 0) {
      expect(() => readPkcs12(readFileSync(path("legacy.p12")), "openssl-pw")).toThrow(
        expect.objectContaining({ code: "P12_UNSUPPORTED" }),
      );
    }
    const p12 = opensslExport("tsa", "wrong.p12");
    expect(() => readPkcs12(p12, "not-the-password")).toThrow(
      expect.objectContaining({ code: "P12_INVALID_PASSWORD" }),
    );
  });

  it("writes files openssl reads: MAC and PBES2 as OpenSSL 3 makes them, the key matching the certificate", () => {
    const p12 = writePkcs12({
      privateKey: set.seal.privateKey,
      certificateChain: [set.seal.certificate, set.ca.certificate],
      password: "ours",
      friendlyName: "Comune di Demo seal",
    });
    writeFileSync(path("ours.p12"), p12);
    const info = runOpenssl(["pkcs12", "-info", "-noout", "-in", path("ours.p12"), "-passin", "pass:ours"]);
    expect(info.status).toBe(0);
    expect(info.stderr).toContain("MAC: sha256");
    expect(info.stderr).toContain("Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC");
    const extracted = runOpenssl(["pkcs12", "-in", path("ours.p12"), "-passin", "pass:ours", "-nodes", "-nocerts"]);
    const key = createPrivateKey(extracted.stdout);
    expect(key.export({ type: "pkcs8", format: "der" })).toEqual(Buffer.from(set.seal.privateKey));
    expect(extracted.stdout).toContain("friendlyName: Comune di Demo seal");
    const wrong = runOpenssl(["pkcs12", "-info", "-noout", "-in", path("ours.p12"), "-passin", "pass:nope"]);
    expect(wrong.status).not.toBe(0);
  });

  it("makes dev certificates openssl verifies against the dev CA, the TSA one for timestamping only", () => {
    const ok = runOpenssl(["verify", "-CAfile", path("ca.pem"), path("seal.pem"), path("tsa.pem")]);
    expect(ok.stdout).toContain(`${path("seal.pem")}: OK`);
    expect(ok.status).toBe(0);
    // RFC 3161 §2.3 as OpenSSL enforces it: EKU timeStamping, critical, alone.
    expect(runOpenssl(["verify", "-purpose", "timestampsign", "-CAfile", path("ca.pem"), path("tsa.pem")]).status).toBe(
      0,
    );
    expect(
      runOpenssl(["verify", "-purpose", "timestampsign", "-CAfile", path("ca.pem"), path("seal.pem")]).status,
    ).not.toBe(0);
  });
});

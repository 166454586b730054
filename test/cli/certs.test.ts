import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Pkcs12Signer, parseCertificateInfo } from "../../src/signature/index.js";
import { runOpenssl, skipWithoutOpenssl } from "../support/local-tsa.js";
import { type CliRun, faccia, jsonOf, temporaryDirectory } from "./helpers.js";

type Files = { cert: string; key: string; p12: string };
type DevCertsJson = Record<"ca" | "seal" | "pecProvider" | "samlSp" | "tsa", Files> & { password: string };

const pemDer = (path: string) =>
  new Uint8Array(Buffer.from(readFileSync(path, "utf8").replace(/-----[^-]+-----|\s/g, ""), "base64"));

describe("faccia certs dev", () => {
  const out = temporaryDirectory("faccia-certs-");
  let run: CliRun;
  let files: DevCertsJson;

  beforeAll(async () => {
    const argv = ["--ipa", "C_H501", "--name", "Roma Capitale", "--saml-entity-id", "https://faccia.comune.roma.it"];
    run = await faccia(["certs", "dev", "--out", out.path, ...argv, "--json"], {
      env: { FACCIA_P12_PASSWORD: "from-the-environment" },
    });
    files = jsonOf<DevCertsJson>(run);
  });
  afterAll(() => out.remove());

  it("prints every file's path by role and the PKCS#12 password as one JSON document", () => {
    expect(run.code).toBe(0);
    expect(Object.keys(files)).toEqual(["ca", "seal", "pecProvider", "samlSp", "tsa", "password"]);
    expect(files.password).toBe("from-the-environment");
    expect(files.seal).toEqual({
      cert: join(out.path, "seal.pem"),
      key: join(out.path, "seal.key"),
      p12: join(out.path, "seal.p12"),
    });
    expect(files.pecProvider.p12).toBe(join(out.path, "pec-provider.p12"));
    expect(statSync(files.seal.key).mode & 0o777).toBe(0o600);
    expect(run.stderr).toContain("Generating keys");
  });

  it("makes a seal for the comune: organizationIdentifier PA:IT-<IPA>, nonRepudiation, usable from its .p12", () => {
    const seal = parseCertificateInfo(pemDer(files.seal.cert));
    expect(seal).toMatchObject({
      organizationIdentifier: "PA:IT-c_h501",
      commonName: "Roma Capitale",
      keyUsage: expect.arrayContaining(["nonRepudiation"]),
    });
    const signer = Pkcs12Signer.fromPkcs12(readFileSync(files.seal.p12), files.password);
    expect(signer.certificateChain).toEqual([pemDer(files.seal.cert), pemDer(files.ca.cert)]);
  });

  it.skipIf(skipWithoutOpenssl)("writes certificates and .p12 files openssl accepts", () => {
    const verified = runOpenssl([
      "verify",
      "-CAfile",
      files.ca.cert,
      files.seal.cert,
      files.pecProvider.cert,
      files.samlSp.cert,
    ]);
    expect(verified.stdout).toContain(`${files.seal.cert}: OK`);
    expect(verified.status).toBe(0);
    const tsa = runOpenssl(["verify", "-purpose", "timestampsign", "-CAfile", files.ca.cert, files.tsa.cert]);
    expect(tsa.status).toBe(0);
    for (const role of ["ca", "seal", "pecProvider", "samlSp", "tsa"] as const) {
      const info = runOpenssl([
        "pkcs12",
        "-info",
        "-noout",
        "-in",
        files[role].p12,
        "-passin",
        `pass:${files.password}`,
      ]);
      expect(info.status, `${role}: ${info.stderr}`).toBe(0);
      expect(info.stderr).toContain("MAC: sha256");
    }
    const wrong = runOpenssl(["pkcs12", "-info", "-noout", "-in", files.seal.p12, "-passin", "pass:wrong"]);
    expect(wrong.status).not.toBe(0);
  });

  it("writes the SAML SP entityID as the uri of the SAML SP certificate (AgID Avviso 29 v3)", async () => {
    const { X509Certificate } = await import("node:crypto");
    const subject = new X509Certificate(readFileSync(files.samlSp.cert)).subject;
    expect(subject).toContain("https://faccia.comune.roma.it");
    const bad = await faccia(["certs", "dev", "--out", out.path, "--force", "--saml-entity-id", "https://x/?q=1"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("without query or fragment");
  });

  it("refuses to replace existing certificates without --force", async () => {
    const again = await faccia(["certs", "dev", "--out", out.path]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("--force");
    expect(again.stdout).toBe("");
  });

  it("prints a short human summary without the password, which stays in p12-password.txt", async () => {
    const human = await faccia(["certs", "dev", "--out", out.path, "--force"]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain("entity seal (sigillo)");
    expect(human.stdout).toContain("seal.pem  seal.key  seal.p12");
    const password = readFileSync(join(out.path, "p12-password.txt"), "utf8").trim();
    expect(password.length).toBeGreaterThanOrEqual(20);
    expect(human.stdout + human.stderr).not.toContain(password);
    expect(Pkcs12Signer.fromPkcs12(readFileSync(join(out.path, "seal.p12")), password).keyAlgorithm).toEqual({
      kind: "rsa",
      modulusBits: 3072,
    });
  });

  it("documents itself with --help and refuses a malformed IPA code", async () => {
    const help = await faccia(["certs", "dev", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: faccia certs dev");
    expect(help.stdout).toContain("$ faccia certs dev --out");
    expect(help.stdout).toContain("organizationIdentifier=PA:IT-<ipa>");
    const bad = await faccia(["certs", "dev", "--out", out.path, "--ipa", "Roma!"]);
    expect(bad.code).toBe(2);
  });
});

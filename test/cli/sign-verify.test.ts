import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DevCertificatePaths,
  type DevCertificateSet,
  generateDevCertificates,
  writeDevCertificates,
} from "../../src/signature/index.js";
import { type LocalTsa, startLocalTsa } from "../support/local-tsa.js";
import { makeTestPdf } from "../support/pdf-fixtures.js";
import { runTool, skipWithout } from "../support/signature-cli-tools.js";
import { type CliRun, faccia, jsonOf, temporaryDirectory } from "./helpers.js";

/**
 * `faccia sign` and `faccia verify` end to end, cross-checked with openssl (CAdES, the TSA) and
 * poppler's pdfsig (PAdES). Without those tools the cross-checks are skipped on a developer
 * machine; with CI=true they run and fail (test/support/signature-cli-tools.ts).
 */

interface VerifyJson {
  valid: boolean;
  format: "cades" | "pades";
  signers: Array<{
    subject: string | null;
    organizationIdentifier: string | null;
    signingTime: string | null;
    timestamp: { genTime: string; valid: boolean; tsa: string | null } | null;
    checks: Record<string, boolean>;
    pdfSignature?: { subFilter: string; signingTime: string; coversWholeFile: boolean };
  }>;
  reasons: Array<{ code: string; message: string; signerIndex?: number }>;
}

const EC = { kind: "ec", namedCurve: "P-256" } as const;
const CONTENT = Buffer.from("Relazione mensile Mettiamoci la faccia — Comune di Test, ottobre 2026\n".repeat(40));

const dir = temporaryDirectory("faccia-sign-");
const file = (name: string) => join(dir.path, name);
let set: DevCertificateSet;
let certs: DevCertificatePaths;
let env: Record<string, string>;
/** The runs every test below looks at: report.txt signed by the seal, then co-signed by a second key. */
let signed: CliRun;
let cosigned: CliRun;

/** `faccia sign --in … --p12 <seal> --out …` plus `extra`, with the password in the environment. */
const sign = (input: string, out: string, ...extra: string[]) =>
  faccia(["sign", "--in", file(input), "--p12", certs.seal.p12, "--out", file(out), ...extra], { env });
const verifyJson = async (name: string, ...extra: string[]) => {
  const run = await faccia(["verify", file(name), "--trust", certs.ca.cert, "--json", ...extra]);
  return { run, body: jsonOf<VerifyJson>(run) };
};
const expectSigned = (run: CliRun) => expect([run.code, run.stderr]).toEqual([0, ""]);

beforeAll(async () => {
  // EC keys: ten times faster to make than RSA, and PAdES, openssl and NSS all take them.
  set = await generateDevCertificates({
    ipa: "c_test",
    entityName: "Comune di Test",
    now: new Date(),
    keys: { ca: EC, seal: EC, pecProvider: EC, samlSp: EC, tsa: EC },
  });
  certs = await writeDevCertificates(file("certs"), set);
  env = { FACCIA_P12_PASSWORD: set.password };
  writeFileSync(file("report.txt"), CONTENT);
  signed = await sign("report.txt", "report.txt.p7m");
  // No FACCIA_P12_PASSWORD here: the password comes from the file.
  cosigned = await faccia([
    ...["sign", "--in", file("report.txt.p7m"), "--cosign", "--out", file("cosigned.p7m")],
    ...["--p12", certs.pecProvider.p12, "--password-file", certs.passwordFile],
  ]);
});
afterAll(() => dir.remove());

describe("faccia sign: CAdES .p7m", () => {
  it("signs a file that faccia verify finds valid, naming the seal and passing every check", async () => {
    expectSigned(signed);
    expect(signed.stdout).toMatch(/Signed .*report\.txt → .*report\.txt\.p7m \(CAdES-BES enveloping/);
    const { run, body } = await verifyJson("report.txt.p7m");
    expect(run.code).toBe(0);
    expect(body).toMatchObject({ valid: true, format: "cades", reasons: [] });
    expect(body.signers).toHaveLength(1);
    expect(body.signers[0]).toMatchObject({ organizationIdentifier: "PA:IT-c_test", timestamp: null });
    expect(body.signers[0]?.signingTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(body.signers[0]?.checks).toEqual({
      signature: true,
      messageDigest: true,
      signingCertificateV2: true,
      attributeOrder: true,
      chain: true,
      validityAtSigningTime: true,
      keyUsage: true,
    });
  });

  it("reports a tampered copy as not valid: exit 1 and CONTENT_ALTERED, in JSON and in words", async () => {
    const tampered = readFileSync(file("report.txt.p7m"));
    const at = tampered.indexOf(CONTENT.subarray(0, 40));
    expect(at).toBeGreaterThan(0);
    tampered.writeUInt8(tampered.readUInt8(at + 10) ^ 0x01, at + 10);
    writeFileSync(file("tampered.p7m"), tampered);
    const { run, body } = await verifyJson("tampered.p7m");
    expect(run.code).toBe(1);
    expect(body.valid).toBe(false);
    expect(body.reasons.map((reason) => reason.code)).toContain("CONTENT_ALTERED");
    const human = await faccia(["verify", file("tampered.p7m"), "--trust", certs.ca.cert]);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain("NOT VALID");
    expect(human.stdout).toMatch(/signer 1: .*Comune di Test.*PA:IT-c_test.*failed: messageDigest/);
    expect(human.stdout).toMatch(/reason CONTENT_ALTERED \(signer 1\)/);
  });

  it("extracts the signed content with --extract", async () => {
    const run = await faccia(["verify", file("report.txt.p7m"), "--trust", certs.ca.cert, "--extract", file("x.txt")]);
    expect(run.code).toBe(0);
    expect(readFileSync(file("x.txt")).equals(CONTENT)).toBe(true);
  });

  it("adds a parallel signature with --cosign: one .p7m, two valid signers", async () => {
    expectSigned(cosigned);
    const { run, body } = await verifyJson("cosigned.p7m");
    expect(run.code).toBe(0);
    expect(body.signers.map((signer) => signer.subject?.replace(/.*CN=/, "")).sort()).toEqual([
      "Comune di Test",
      "PEC sandbox provider",
    ]);
    expect(body.valid).toBe(true);
  });

  it.skipIf(skipWithout("openssl"))(
    "writes DER .p7m files that openssl cms -verify -cades accepts, signed and co-signed, content intact",
    async () => {
      for (const name of ["report.txt.p7m", "cosigned.p7m"]) {
        const run = await runTool("openssl", [
          ...["cms", "-verify", "-cades", "-binary", "-inform", "DER", "-in", file(name)],
          ...["-CAfile", certs.ca.cert, "-out", file(`${name}.openssl.txt`)],
        ]);
        expect([name, run.exitCode, run.output]).toEqual([name, 0, expect.stringContaining("Verification successful")]);
        expect(readFileSync(file(`${name}.openssl.txt`)).equals(CONTENT)).toBe(true);
      }
    },
  );
});

describe.skipIf(skipWithout("openssl"))("faccia sign --tsa: CAdES-T", () => {
  let tsa: LocalTsa;
  beforeAll(async () => {
    tsa = await startLocalTsa({ certificates: set });
  });
  afterAll(() => tsa?.close());

  it("adds a signature time-stamp that the verifier checks and reports valid", async () => {
    const run = await sign("report.txt", "stamped.p7m", "--tsa", tsa.url);
    expectSigned(run);
    expect(tsa.requests()).toBe(1);
    expect(run.stdout).toMatch(/timestamp\s+\d{4}-.*127\.0\.0\.1/);
    const { run: verified, body } = await verifyJson("stamped.p7m");
    expect(verified.code).toBe(0);
    expect(body.signers[0]?.timestamp).toMatchObject({ valid: true, tsa: expect.stringContaining("TSA") });
  });

  it("time-stamps only the new signer of a co-signed .p7m, wherever DER order puts it", async () => {
    // Two co-signatures in a row: the second new SignerInfo sorts before the first one, which
    // its time-stamp made longer (a SET OF is sorted by encoding, X.690 §11.6).
    const cosignWith = (p12: string, input: string, out: string) =>
      faccia(["sign", "--in", file(input), "--cosign", "--tsa", tsa.url, "--p12", p12, "--out", file(out)], { env });
    const before = tsa.requests();
    expectSigned(await cosignWith(certs.pecProvider.p12, "report.txt.p7m", "cosigned-t1.p7m"));
    expectSigned(await cosignWith(certs.samlSp.p12, "cosigned-t1.p7m", "cosigned-t2.p7m"));
    expect(tsa.requests() - before).toBe(2);
    const { run, body } = await verifyJson("cosigned-t2.p7m");
    expect(run.code).toBe(0);
    const stamped = Object.fromEntries(
      body.signers.map((signer) => [/CN=([^,]+)$/.exec(signer.subject ?? "")?.[1], signer.timestamp?.valid ?? null]),
    );
    expect(stamped).toEqual({ "Comune di Test": null, "PEC sandbox provider": true, "Comune di Test SAML SP": true });
  });
});

describe.skipIf(skipWithout("pdfsig", "certutil"))("faccia sign --pades", () => {
  let nssdb: string;
  let padesRun: CliRun;
  beforeAll(async () => {
    writeFileSync(file("report.pdf"), await makeTestPdf());
    padesRun = await sign("report.pdf", "signed.pdf", "--pades");
    nssdb = `sql:${file("nssdb")}`;
    mkdirSync(file("nssdb"));
    await runTool("certutil", ["-N", "--empty-password", "-d", nssdb]);
    // Trusted for document signing ("C" in the second field), not only for TLS.
    await runTool("certutil", ["-A", "-n", "faccia-dev-ca", "-t", "CT,C,C", "-i", certs.ca.cert, "-d", nssdb]);
  });

  it("signs a PDF that pdfsig finds valid and totally signed, and faccia verify too", async () => {
    expectSigned(padesRun);
    const checked = await runTool("pdfsig", ["-nssdir", nssdb, file("signed.pdf")]);
    expect(checked.exitCode).toBe(0);
    expect(checked.output).toContain("Signature Type: ETSI.CAdES.detached");
    expect(checked.output).toContain("Signature Validation: Signature is Valid.");
    expect(checked.output).toContain("Total document signed");
    const { run, body } = await verifyJson("signed.pdf");
    expect(run.code).toBe(0);
    expect(body).toMatchObject({ valid: true, format: "pades" });
    expect(body.signers[0]).toMatchObject({
      signingTime: null,
      pdfSignature: { subFilter: "ETSI.CAdES.detached", coversWholeFile: true },
    });
  });

  it("says there is nothing to extract from a PAdES PDF", async () => {
    const run = await faccia(["verify", file("signed.pdf"), "--trust", certs.ca.cert, "--extract", file("none")]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("nothing to extract");
    expect(existsSync(file("none"))).toBe(false);
  });
});

describe("faccia sign and verify: errors exit 2", () => {
  it("refuses a missing input, an existing --out without --force, --pades on a non-PDF, --pades with --cosign", async () => {
    const missing = await sign("no-such-file.txt", "missing.p7m");
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining("no such file")]);
    writeFileSync(file("taken.p7m"), "keep me");
    const taken = await sign("report.txt", "taken.p7m");
    expect([taken.code, taken.stderr]).toEqual([2, expect.stringContaining("--force")]);
    expect(readFileSync(file("taken.p7m"), "utf8")).toBe("keep me");
    const notPdf = await sign("report.txt", "not.pdf", "--pades");
    expect([notPdf.code, notPdf.stderr]).toEqual([2, expect.stringContaining("not a PDF")]);
    const both = await sign("report.txt", "both.pdf", "--pades", "--cosign");
    expect([both.code, both.stderr]).toEqual([2, expect.stringContaining("do not go together")]);
    expect([file("missing.p7m"), file("not.pdf"), file("both.pdf")].filter((path) => existsSync(path))).toEqual([]);
  });

  it("replaces an existing --out with --force", async () => {
    writeFileSync(file("replaced.p7m"), "old");
    expectSigned(await sign("report.txt", "replaced.p7m", "--force"));
    expect((await verifyJson("replaced.p7m")).body.valid).toBe(true);
  });

  it("refuses a wrong password without printing it, and takes the right one from --password-file", async () => {
    const wrongPassword = "Wr0ng-pa55word-xyz";
    const wrong = await faccia(
      ["sign", "--in", file("report.txt"), "--p12", certs.seal.p12, "--out", file("wrong.p7m")],
      { env: { FACCIA_P12_PASSWORD: wrongPassword } },
    );
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("password is wrong");
    expect(wrong.stdout + wrong.stderr).not.toContain(wrongPassword);
    expect(existsSync(file("wrong.p7m"))).toBe(false);
    const noPassword = await faccia(["sign", "--in", file("report.txt"), "--p12", certs.seal.p12, "--out", "x"]);
    expect([noPassword.code, noPassword.stderr]).toEqual([2, expect.stringContaining("FACCIA_P12_PASSWORD")]);
    const fromFile = await faccia([
      ...["sign", "--in", file("report.txt"), "--p12", certs.seal.p12, "--out", file("from-file.p7m")],
      ...["--password-file", certs.passwordFile],
    ]);
    expectSigned(fromFile);
    expect(fromFile.stdout).not.toContain(set.password);
  });

  it("exits 2 on an unreadable signed file or a trust bundle without certificates", async () => {
    const missing = await faccia(["verify", file("nope.p7m"), "--trust", certs.ca.cert]);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining("no such file")]);
    copyFileSync(file("report.txt"), file("not-a-bundle.pem"));
    const badTrust = await faccia(["verify", file("report.txt.p7m"), "--trust", file("not-a-bundle.pem"), "--json"]);
    expect(badTrust.code).toBe(2);
    expect(jsonOf<{ error: { code: string } }>(badTrust).error.code).toBe("TRUST_BUNDLE_INVALID");
  });

  it("reports an untrusted chain as not valid (exit 1) when no --trust is given", async () => {
    const run = await faccia(["verify", file("report.txt.p7m"), "--json"]);
    expect(run.code).toBe(1);
    expect(jsonOf<VerifyJson>(run).reasons.map((reason) => reason.code)).toEqual(["CHAIN_UNTRUSTED"]);
  });

  it.each([["sign"], ["verify"]])("documents '%s' with examples", async (command) => {
    const run = await faccia([command, "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Usage: faccia ${command}`);
    expect(run.stdout).toContain(`$ faccia ${command}`);
    expect(run.stdout).toContain("Exit status:");
  });
});

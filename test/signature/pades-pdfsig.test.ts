import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsePdfSignatures, signedBytes, signPades } from "../../src/signature/pades/index.js";
import { makeTestPki, opensslDetachedCms, type TestPki } from "../support/openssl-detached-cms.js";
import { cadesVerifyArgs } from "../support/openssl-pki.js";
import { makeTestPdf } from "../support/pdf-fixtures.js";
import { runTool, skipWithout } from "../support/signature-cli-tools.js";

/**
 * Cross-check of the PAdES plumbing against poppler (pdfsig, with an NSS database that trusts the
 * test CA; pdftoppm) and OpenSSL (the CMS we extract verifies over the ByteRange bytes). The CMS
 * comes from `openssl cms -sign -cades` until the gateway's own CAdES builder plugs in.
 */
describe.skipIf(skipWithout("openssl", "pdfsig", "pdftoppm", "certutil"))("PAdES: pdfsig accepts our PDFs", () => {
  let dir: string;
  let pki: TestPki;
  let nssdb: string;
  let original: Uint8Array;
  let signed: Uint8Array;
  const signingTime = new Date("2026-05-06T07:08:09Z");

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "faccia-pades-"));
    pki = await makeTestPki(dir);
    nssdb = `sql:${join(dir, "nssdb")}`;
    await mkdir(join(dir, "nssdb"));
    await runTool("certutil", ["-N", "--empty-password", "-d", nssdb]);
    // Trusted for e-mail/document signing too ("C" in the second field), not only for TLS.
    await runTool("certutil", ["-A", "-n", "faccia-test-ca", "-t", "CT,C,C", "-i", pki.caCert, "-d", nssdb]);
    original = await makeTestPdf();
    signed = await signPades(original, opensslDetachedCms(pki), {
      signingTime,
      reason: "Approvazione relazione",
      location: "Forlì",
      name: "Comune di Prova",
    });
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function pdfsig(pdf: Uint8Array, name: string) {
    const file = join(dir, name);
    await writeFile(file, pdf);
    // No -no-ocsp: poppler 22.12 then reports "Unknown issue with Certificate". The test
    // certificates carry no OCSP or CRL URL, so nothing is fetched either way.
    return runTool("pdfsig", ["-nssdir", nssdb, file]);
  }

  it("signs a pdfkit PDF that pdfsig finds valid, trusted and totally signed, as ETSI.CAdES.detached", async () => {
    const { exitCode, output } = await pdfsig(signed, "signed.pdf");
    expect(exitCode).toBe(0);
    expect(output).toContain("Signature Type: ETSI.CAdES.detached");
    expect(output).toContain("Signing Hash Algorithm: SHA-256");
    expect(output).toContain("Total document signed");
    expect(output).toContain("Signature Validation: Signature is Valid.");
    expect(output).toContain("Certificate Validation: Certificate is Trusted.");
    expect(Buffer.from(signed.subarray(0, original.length)).equals(Buffer.from(original))).toBe(true);
  });

  it("still renders the signed PDF (pdftoppm)", async () => {
    const file = join(dir, "render.pdf");
    await writeFile(file, signed);
    const run = await runTool("pdftoppm", ["-png", "-r", "30", "-f", "1", "-l", "1", file, join(dir, "page")]);
    expect(run.exitCode).toBe(0);
    const png = await readFile(join(dir, "page-1.png"));
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
  });

  it("extracts a CMS that OpenSSL verifies over exactly the ByteRange bytes", async () => {
    const [signature] = parsePdfSignatures(signed);
    if (signature === undefined) throw new Error("no signature found");
    expect(signature).toMatchObject({ subFilter: "ETSI.CAdES.detached", location: "Forlì", coversWholeFile: true });
    expect(signature.signingTime?.toISOString()).toBe(signingTime.toISOString());
    await writeFile(join(dir, "sig.der"), signature.contents);
    await writeFile(join(dir, "content.bin"), signedBytes(signed, signature.byteRange));
    const detached = ["-content", join(dir, "content.bin"), "-purpose", "any", "-out", "/dev/null"];
    const run = await runTool("openssl", cadesVerifyArgs(join(dir, "sig.der"), pki.caCert, ...detached));
    expect([run.exitCode, run.output]).toEqual([0, expect.stringContaining("Verification successful")]);
  });

  it("adds a second signature as an incremental update that leaves the first one valid", async () => {
    const twice = await signPades(signed, opensslDetachedCms(pki), { signingTime, name: "Sindaco" });
    const { output } = await pdfsig(twice, "twice.pdf");
    const [first, second] = output.split("Signature #2:");
    expect(first).toContain("Signature Validation: Signature is Valid.");
    expect(first).toContain("Not total document signed");
    expect(second).toContain("Signature Validation: Signature is Valid.");
    expect(second).toContain("Total document signed");
    expect(parsePdfSignatures(twice).map((s) => s.coversWholeFile)).toEqual([false, true]);
  });

  it("is caught by pdfsig when a signed byte changes", async () => {
    const tampered = Buffer.from(signed);
    const at = tampered.indexOf("/Title");
    tampered.write("/Titel", at, "latin1");
    const { output } = await pdfsig(tampered, "tampered.pdf");
    expect(output).not.toContain("Signature is Valid.");
    expect(output).toMatch(/Signature Validation: (Digest Mismatch|Signature is Invalid)/);
  });
});

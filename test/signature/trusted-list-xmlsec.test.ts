import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseTrustedList } from "../../src/signature/trusted-list/index.js";
import { runTool, skipWithout } from "../support/signature-cli-tools.js";
import {
  ECDSA_SHA256,
  emptyListSignedById,
  errorCodeOf,
  GRANTED,
  makeTestCertificate,
  sampleTslXml,
  signTslXml,
  type TestKeyPair,
  WITHDRAWN,
  wrapSignedById,
} from "../support/trusted-list-fixtures.js";

/**
 * Cross-check of the trusted-list loader against xmlsec1 (XMLDSig core validation, libxmlsec1
 * on OpenSSL), with the expected signer's certificate as the only key:
 * `xmlsec1 --verify --pubkey-cert-pem <cert> --enabled-reference-uris empty,same-doc file.xml`.
 */
describe.skipIf(skipWithout("xmlsec1", "openssl"))("trusted list: our loader and xmlsec1 agree", () => {
  let dir: string;
  let signer: TestKeyPair;
  let intruder: TestKeyPair;
  let ca: TestKeyPair;
  let signerPem: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "faccia-xmlsec-"));
    [signer, intruder, ca] = await Promise.all([
      makeTestCertificate("TSL signer"),
      makeTestCertificate("Intruder"),
      makeTestCertificate("CA", "ec"),
    ]);
    signerPem = join(dir, "signer.pem");
    await writeFile(signerPem, signer.certPem);
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function xmlsec(xml: string, name: string, ...idAttrs: string[]) {
    const file = join(dir, name);
    await writeFile(file, xml);
    const ids = idAttrs.flatMap((id) => [`--id-attr:Id`, id]);
    return runTool("xmlsec1", [
      "--verify",
      "--pubkey-cert-pem",
      signerPem,
      "--enabled-reference-uris",
      "empty,same-doc",
      ...ids,
      file,
    ]);
  }

  const ours = (xml: string, pem = signer) =>
    errorCodeOf(() =>
      parseTrustedList(xml, { expectedSigners: [{ kind: "certificate", certificate: pem.certDer }], now: pem.validAt }),
    );

  const list = () => sampleTslXml(ca.certDer, intruder.certDer, signer.validAt);

  it('both accept an RSA-SHA256 list with an enveloped URI="" signature', async () => {
    const xml = signTslXml(list(), signer);
    const run = await xmlsec(xml, "rsa.xml");
    expect([run.exitCode, run.output]).toEqual([0, expect.stringMatching(/^OK$[\s\S]*References \(ok\/all\): 1\/1/m)]);
    expect(ours(xml)).toBe("no error");
  });

  it("both accept an ECDSA-P256 list with a XAdES SignedProperties reference", async () => {
    const ecSigner = await makeTestCertificate("EC TSL signer", "ec");
    const xml = signTslXml(list(), ecSigner, { signatureAlgorithm: ECDSA_SHA256, xades: true });
    const pem = join(dir, "ec-signer.pem");
    await writeFile(pem, ecSigner.certPem);
    const file = join(dir, "ec.xml");
    await writeFile(file, xml);
    const run = await runTool("xmlsec1", [
      "--verify",
      "--pubkey-cert-pem",
      pem,
      "--enabled-reference-uris",
      "empty,same-doc",
      "--id-attr:Id",
      "http://uri.etsi.org/01903/v1.3.2#:SignedProperties",
      file,
    ]);
    expect([run.exitCode, run.output]).toEqual([0, expect.stringMatching(/^OK$[\s\S]*References \(ok\/all\): 2\/2/m)]);
    expect(ours(xml, ecSigner)).toBe("no error");
  });

  it("both refuse a list altered after signing", async () => {
    const tampered = signTslXml(list(), signer).replace(WITHDRAWN, GRANTED);
    const run = await xmlsec(tampered, "tampered.xml");
    expect([run.exitCode, run.output]).toEqual([1, expect.stringMatching(/^FAIL$/m)]);
    expect(ours(tampered)).toBe("TRUSTED_LIST_SIGNATURE_INVALID");
  });

  it("both refuse a list signed by a key other than the expected signer's", async () => {
    const forged = signTslXml(list(), intruder);
    const run = await xmlsec(forged, "forged.xml");
    expect([run.exitCode, run.output]).toEqual([1, expect.stringMatching(/^FAIL$/m)]);
    expect(ours(forged)).toBe("TRUSTED_LIST_SIGNER_UNTRUSTED");
  });

  it("xmlsec1 core validation accepts a wrapped list signed by Id; our loader refuses it", async () => {
    const wrapped = wrapSignedById(emptyListSignedById(signer), list());
    const run = await xmlsec(wrapped, "wrapped.xml", "http://uri.etsi.org/02231/v2#:TrustServiceStatusList");
    expect([run.exitCode, run.output]).toEqual([0, expect.stringMatching(/^OK$/m)]);
    expect(ours(wrapped)).toBe("TRUSTED_LIST_SIGNATURE_NOT_ENVELOPED");
  });
});

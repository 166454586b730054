import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SignedXml } from "xml-crypto";
import { samlSpKeys } from "../../../test/support/saml-sp-keys.js";
import { runTool, skipWithout } from "../../../test/support/signature-cli-tools.js";
import { type SamlSigningCredential, signEnveloped } from "../saml/index.js";
import { interpretMetadata } from "./interpret-metadata.js";
import { signerCertificates } from "./metadata-signature.js";

const FIXTURES = new URL("../../../test/fixtures/saml/idp-registry/", import.meta.url);
/** The fixture without its leading comment: `signEnveloped` expects the root right after the declaration. */
const SPID = readFileSync(new URL("spid-entities-idps.xml", FIXTURES), "utf8").replace(/<!--[\s\S]*?-->\s*/, "");
const ROOT_ID = "_registry-spid-idp-20261204";
const NOW = new Date("2027-03-01T10:00:00Z");

let signer: SamlSigningCredential;
let other: SamlSigningCredential;
const pemOf = (credential: SamlSigningCredential) => new X509Certificate(credential.certificate).toString();
const expectation = (credential: SamlSigningCredential) =>
  ({ federation: "spid", signers: signerCertificates(pemOf(credential)) }) as const;

beforeAll(async () => {
  [signer, other] = await Promise.all([samlSpKeys().then((k) => k.credential), samlSpKeys().then((k) => k.credential)]);
});

describe("metadata root signature: accepted", () => {
  it("reads the IdPs of a document signed by the configured signer", () => {
    const parsed = interpretMetadata(signEnveloped(SPID, signer, "first-child"), expectation(signer), NOW);
    expect(parsed.idps.map((idp) => idp.entityId)).toEqual([
      "https://id.alfa.test",
      "https://spid.zeta.test",
      "https://login.elite.test/idp",
    ]);
    expect(parsed.idps[0]?.displayName).toBe("Alfa ID");
  });

  it("accepts the signature of any certificate in a multi-certificate signerPem (signer rotation)", () => {
    const both = signerCertificates(`${pemOf(other)}\n${pemOf(signer)}`);
    const parsed = interpretMetadata(
      signEnveloped(SPID, signer, "first-child"),
      { federation: "spid", signers: both },
      NOW,
    );
    expect(parsed.idps).toHaveLength(3);
  });
});

describe("metadata root signature: refused", () => {
  it("refuses an unsigned document", () => {
    expect(() => interpretMetadata(SPID, expectation(signer), NOW)).toThrow(/not signed/);
  });

  it("refuses a document signed by another key, whatever its KeyInfo says", () => {
    const signed = signEnveloped(SPID, other, "first-child");
    expect(() => interpretMetadata(signed, expectation(signer), NOW)).toThrow(/does not verify/);
  });

  it("refuses a document changed after signing", () => {
    const signed = signEnveloped(SPID, signer, "first-child");
    const tampered = signed.replace("https://id.alfa.test/spid/samlsso/post", "https://evil.test/sso");
    expect(tampered).not.toBe(signed);
    expect(() => interpretMetadata(tampered, expectation(signer), NOW)).toThrow(/does not verify/);
  });

  it("refuses a signed document wrapped in an unsigned root (signature wrapping)", () => {
    const signed = signEnveloped(SPID, signer, "first-child").replace(/^<\?xml[^>]*\?>\s*/, "");
    const evil =
      '<md:EntityDescriptor entityID="https://evil.test"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>';
    const wrapped = `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" ID="_evil">${evil}${signed}</md:EntitiesDescriptor>`;
    expect(() => interpretMetadata(wrapped, expectation(signer), NOW)).toThrow(/not signed/);
  });

  it("refuses RSA-SHA1", () => {
    const sha1 = new SignedXml({
      privateKey: signer.privateKey,
      signatureAlgorithm: "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
      canonicalizationAlgorithm: "http://www.w3.org/2001/10/xml-exc-c14n#",
    });
    sha1.addReference({
      xpath: "/*",
      transforms: ["http://www.w3.org/2000/09/xmldsig#enveloped-signature", "http://www.w3.org/2001/10/xml-exc-c14n#"],
      digestAlgorithm: "http://www.w3.org/2000/09/xmldsig#sha1",
    });
    sha1.computeSignature(SPID, { prefix: "ds", location: { reference: "/*", action: "prepend" } });
    expect(() => interpretMetadata(sha1.getSignedXml(), expectation(signer), NOW)).toThrow(/rsa-sha1 refused/);
  });

  it("refuses a signature whose Reference points at an inner entity", () => {
    const signed = signEnveloped(SPID, signer, "first-child").replace(`URI="#${ROOT_ID}"`, 'URI="#_alfa"');
    expect(() => interpretMetadata(signed, expectation(signer), NOW)).toThrow(/one Reference to the document element/);
  });

  it("refuses a signerPem without a certificate", () => {
    expect(() => signerCertificates("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")).toThrow(/no PEM/);
  });
});

describe.skipIf(skipWithout("xmlsec1"))("metadata root signature: interoperability", () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), "idp-registry-xmlsec-"));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it("accepts metadata signed by xmlsec1 (the tool federation operators sign with)", async () => {
    const template = `<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference URI="#${ROOT_ID}"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo></ds:Signature>`;
    const unsigned = SPID.replace(/(<md:EntitiesDescriptor[^>]*>)/, `$1${template}`);
    const key = signer.privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    await writeFile(join(directory, "key.pem"), key);
    await writeFile(join(directory, "cert.pem"), pemOf(signer));
    await writeFile(join(directory, "unsigned.xml"), unsigned);
    const run = await runTool("xmlsec1", [
      "--sign",
      "--privkey-pem",
      `${join(directory, "key.pem")},${join(directory, "cert.pem")}`,
      "--id-attr:ID",
      "urn:oasis:names:tc:SAML:2.0:metadata:EntitiesDescriptor",
      "--output",
      join(directory, "signed.xml"),
      join(directory, "unsigned.xml"),
    ]);
    expect(run.output).toBe("");
    expect(run.exitCode).toBe(0);
    const signed = await readFile(join(directory, "signed.xml"), "utf8");
    expect(interpretMetadata(signed, expectation(signer), NOW).idps).toHaveLength(3);
    expect(() => interpretMetadata(signed, expectation(other), NOW)).toThrow(/does not verify/);
  });
});

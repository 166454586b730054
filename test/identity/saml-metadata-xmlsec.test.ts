/**
 * Cross-checks of the SAML SP layer with tools independent of our code (reference/spid-cie.md §4.4):
 * xmlsec1 verifies the metadata and the HTTP-POST AuthnRequest signatures exactly as the SPID
 * validator does (`--id-attr:ID` on the signed element), xmllint validates them against the OASIS
 * SAML 2.0 XSDs of Debian's opensaml-schemas (imports resolved offline through a catalog to
 * xmltooling-schemas), and openssl checks the HTTP-Redirect query signature.
 *
 * Without the tools the suite is skipped locally; with CI=true it runs and fails.
 */
import { X509Certificate } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildAuthnRequest,
  buildSpMetadata,
  newRelayState,
  postBindingForm,
  redirectBindingUrl,
  type SamlSigningCredential,
  type SpMetadataConfig,
  samlSigningCredential,
  spEndpoints,
} from "../../src/identity/index.js";
import { generateDevCertificates } from "../../src/signature/index.js";
import {
  createSamlToolbox,
  SAML_ELEMENTS,
  SAML_TOOLS,
  type SamlToolbox,
  skipWithoutSamlTools,
  XSD_IMPORTS,
} from "../support/saml-tools.js";

const SKIP = skipWithoutSamlTools("SAML cross-checks", [
  "xmlsec1",
  "openssl",
  "metadataXsd",
  "protocolXsd",
  ...XSD_IMPORTS,
]);
const METADATA_XSD = SAML_TOOLS.metadataXsd;
const PROTOCOL_XSD = SAML_TOOLS.protocolXsd;
const EC = { kind: "ec", namedCurve: "P-256" } as const;
const ENTITY_DESCRIPTOR = SAML_ELEMENTS.entityDescriptor;
const AUTHN_REQUEST = SAML_ELEMENTS.authnRequest;
const SP = "https://gateway.comune.example.it";

let tools: SamlToolbox;
let credential: SamlSigningCredential;

const write = (name: string, content: string | Uint8Array) => tools.write(name, content);

function metadataConfig(federation: "spid" | "cie"): SpMetadataConfig {
  const endpoints = spEndpoints(SP, federation);
  return {
    federation,
    entityId: SP,
    signingCertificates: [credential.certificate],
    assertionConsumerServices: [endpoints.assertionConsumerService],
    singleLogoutServices: [{ binding: "HTTP-Redirect", location: endpoints.singleLogoutService }],
    attributeConsumingServices: [
      {
        serviceName: { it: "Accesso operatori", en: "Staff login" },
        attributes: federation === "spid" ? ["fiscalNumber", "name", "familyName", "email"] : ["fiscalNumber", "name"],
      },
    ],
    organization: {
      name: { it: "Comune di Esempio" },
      displayName: { it: "Comune di Esempio", en: "Municipality of Esempio" },
      url: { it: "https://www.comune.example.it" },
    },
    contact: { ipaCode: "c_x000", email: "protocollo@comune.example.it", phone: "+390600000000", municipality: "X000" },
  };
}

const xmlsecVerify = (file: string, idAttribute: string, certificate = "cert.pem") =>
  tools.xmlsecVerify(file, certificate, [idAttribute]);
const xmllint = (schema: string, file: string) => tools.xmllint(schema, file);

describe.skipIf(SKIP)("SAML SP messages checked by xmlsec1, xmllint and openssl", () => {
  beforeAll(async () => {
    tools = createSamlToolbox("faccia-saml-");
    const set = await generateDevCertificates({
      ipa: "c_x000",
      entityName: "Comune di Esempio",
      now: new Date(),
      samlEntityId: SP,
      keys: { ca: EC, seal: EC, pecProvider: EC, tsa: EC },
    });
    credential = samlSigningCredential(set.samlSp.privateKey, set.samlSp.certificate);
    const certificate = new X509Certificate(credential.certificate);
    write("cert.pem", certificate.toString());
    write("pub.pem", certificate.publicKey.export({ type: "spki", format: "pem" }).toString());
    // Another key (the seal's), for the wrong-key case.
    write("other.pem", new X509Certificate(set.seal.certificate).toString());
  });
  afterAll(() => tools.remove());

  it.each(["spid", "cie"] as const)(
    "%s metadata: xmlsec1 verifies the EntityDescriptor signature",
    async (federation) => {
      write(`${federation}.xml`, buildSpMetadata(metadataConfig(federation), credential));
      const result = await xmlsecVerify(`${federation}.xml`, ENTITY_DESCRIPTOR);
      expect(result.output).toContain("OK");
      expect(result.exitCode).toBe(0);
    },
  );

  it("metadata: xmlsec1 rejects a tampered document and a key that did not sign it", async () => {
    const xml = buildSpMetadata(metadataConfig("spid"), credential);
    write("tampered.xml", xml.replace("Accesso operatori", "Accesso operatorI"));
    expect((await xmlsecVerify("tampered.xml", ENTITY_DESCRIPTOR)).exitCode).not.toBe(0);
    write("good.xml", xml);
    expect((await xmlsecVerify("good.xml", ENTITY_DESCRIPTOR, "other.pem")).exitCode).not.toBe(0);
  });

  it.each(["spid", "cie"] as const)("%s metadata: valid against saml-schema-metadata-2.0.xsd", async (federation) => {
    write(`${federation}-schema.xml`, buildSpMetadata(metadataConfig(federation), credential));
    const result = await xmllint(METADATA_XSD, `${federation}-schema.xml`);
    expect(result.output).toContain(`${federation}-schema.xml validates`);
    expect(result.exitCode).toBe(0);
  });

  it("metadata: xmllint rejects children out of the XSD order", async () => {
    const xml = buildSpMetadata(metadataConfig("spid"), credential);
    const organization = /<md:Organization>.*<\/md:Organization>/.exec(xml)?.[0] ?? "";
    const reordered = xml
      .replace(organization, "")
      .replace("<md:SPSSODescriptor", `${organization}<md:SPSSODescriptor`);
    write("reordered.xml", reordered);
    const result = await xmllint(METADATA_XSD, "reordered.xml");
    expect(result.output).toContain("fails to validate");
    expect(result.exitCode).not.toBe(0);
  });

  it("HTTP-POST AuthnRequest: xmlsec1 verifies it, xmllint validates it, tampering breaks it", async () => {
    const request = buildAuthnRequest({
      spEntityId: SP,
      destination: "https://idp.example/sso",
      level: 2,
      issueInstant: new Date(),
    });
    const { signedXml } = postBindingForm(request, newRelayState(), credential);
    write("request.xml", signedXml);
    const verified = await xmlsecVerify("request.xml", AUTHN_REQUEST);
    expect(verified.exitCode, verified.output).toBe(0);
    const schema = await xmllint(PROTOCOL_XSD, "request.xml");
    expect(schema.output).toContain("request.xml validates");
    expect(schema.exitCode).toBe(0);
    write("request-tampered.xml", signedXml.replace("SpidL2", "SpidL1"));
    expect((await xmlsecVerify("request-tampered.xml", AUTHN_REQUEST)).exitCode).not.toBe(0);
  });

  it("HTTP-Redirect: openssl verifies the signature over the exact signed query, not a tampered one", async () => {
    const request = buildAuthnRequest({
      spEntityId: SP,
      destination: "https://idp.example/sso",
      level: 1,
      issueInstant: new Date(),
    });
    const url = redirectBindingUrl(request, newRelayState(), credential);
    const signedPart = url.slice(url.indexOf("SAMLRequest="), url.indexOf("&Signature="));
    const signature = new URL(url).searchParams.get("Signature") ?? "";
    write("sig.bin", Buffer.from(signature, "base64"));
    write("signed.txt", signedPart);
    write("tampered.txt", signedPart.replace("RelayState=", "RelayState=x"));
    const openssl = (file: string) => tools.opensslVerify("pub.pem", "sig.bin", file);
    const good = await openssl("signed.txt");
    expect(good.output).toContain("Verified OK");
    expect(good.exitCode).toBe(0);
    expect((await openssl("tampered.txt")).exitCode).not.toBe(0);
  });
});

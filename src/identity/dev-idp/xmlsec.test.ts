/**
 * Cross-checks of the development IdP's signed XML with tools independent of our code (reference
 * §4.4): xmlsec1 verifies the metadata and the Response/Assertion signatures with `--id-attr:ID`
 * on the signed element, as the SPID validators do; xmllint validates them against Debian's OASIS
 * SAML 2.0 XSDs. Without the tools the suite is skipped locally; with CI=true it runs and fails.
 */
import { X509Certificate } from "node:crypto";
import { DOMParser } from "@xmldom/xmldom";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createSamlToolbox,
  SAML_ELEMENTS,
  SAML_TOOLS,
  type SamlToolbox,
  skipWithoutSamlTools,
} from "../../../test/support/saml-tools.js";
import type { SamlSigningCredential } from "../saml/index.js";
import { buildSuccessResponse } from "./build-response.js";
import { createDevIdp, createDevIdpCredential, DEV_IDP_USERS, type DevIdp } from "./index.js";

const SKIP = skipWithoutSamlTools("dev IdP cross-checks", [
  "xmlsec1",
  "xmllint",
  "metadataXsd",
  "protocolXsd",
  "xmlXsd",
]);
const BASE = "http://127.0.0.1:8080";

let tools: SamlToolbox;
let credential: SamlSigningCredential;
let idp: DevIdp;

const write = (name: string, content: string) => tools.write(name, content);
const xmlsecVerify = (file: string, idElements: readonly string[], extra: readonly string[] = []) =>
  tools.xmlsecVerify(file, "idp.pem", idElements, extra);
const xmllint = (schema: string, file: string) => tools.xmllint(schema, file);

describe.skipIf(SKIP)("dev IdP XML checked by xmlsec1 and xmllint", () => {
  beforeAll(async () => {
    tools = createSamlToolbox("faccia-dev-idp-");
    credential = await createDevIdpCredential(new Date());
    idp = createDevIdp({ baseUrl: () => BASE, credential, serviceProvider: () => undefined });
    write("idp.pem", new X509Certificate(credential.certificate).toString());
  });
  afterAll(() => tools.remove());

  it("GET /dev-idp/metadata serves signed metadata that xmlsec1 verifies and the metadata XSD accepts", async () => {
    const response = await idp.routes.request(`${BASE}/dev-idp/metadata`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/samlmetadata+xml");
    const xml = await response.text();
    const root = new DOMParser().parseFromString(xml, "application/xml").documentElement;
    expect(root?.getAttribute("entityID")).toBe(`${BASE}/dev-idp`);
    expect(xml).toContain('WantAuthnRequestsSigned="true"');
    expect(xml).toContain(
      `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${BASE}/dev-idp/sso"/>`,
    );
    expect(xml).toContain(
      `<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${BASE}/dev-idp/slo"/>`,
    );
    write("metadata.xml", xml);
    const verified = await xmlsecVerify("metadata.xml", [SAML_ELEMENTS.entityDescriptor]);
    expect(verified.output).toContain("OK");
    expect(verified.exitCode).toBe(0);
    const schema = await xmllint(SAML_TOOLS.metadataXsd, "metadata.xml");
    expect(schema.output).toContain("metadata.xml validates");
    expect(schema.exitCode).toBe(0);
  });

  it("xmlsec1 rejects tampered metadata", async () => {
    write("tampered.xml", idp.metadataXml().replace("Faccia IdP di sviluppo", "Faccia IdP di produzione"));
    expect((await xmlsecVerify("tampered.xml", [SAML_ELEMENTS.entityDescriptor])).exitCode).not.toBe(0);
  });

  it("a Response: xmlsec1 verifies the Response and the Assertion signatures, the protocol XSD accepts it", async () => {
    const admin = DEV_IDP_USERS.find((user) => user.key === "admin");
    if (admin === undefined) throw new Error("no admin test user");
    const xml = buildSuccessResponse(
      {
        idpEntityId: idp.entityId(),
        spEntityId: "https://gateway.comune.example.it/spid",
        acsUrl: "https://gateway.comune.example.it/auth/spid/acs",
        inResponseTo: "_request-1",
        now: new Date(),
        credential,
      },
      { user: admin, level: 2, nameId: "_name-1", sessionIndex: undefined },
    );
    write("response.xml", xml);
    const ids = [SAML_ELEMENTS.response, SAML_ELEMENTS.assertion];
    const response = await xmlsecVerify("response.xml", ids);
    expect(response.exitCode, response.output).toBe(0);
    const assertionSignature = "//*[local-name()='Assertion']/*[local-name()='Signature']";
    const assertion = await xmlsecVerify("response.xml", ids, ["--node-xpath", assertionSignature]);
    expect(assertion.exitCode, assertion.output).toBe(0);
    write("response-tampered.xml", xml.replace("TINIT-BNCGLI80A41H501C", "TINIT-VRDMRC75C15F205Q"));
    const tampered = await xmlsecVerify("response-tampered.xml", ids, ["--node-xpath", assertionSignature]);
    expect(tampered.exitCode).not.toBe(0);
    // A change outside the Assertion breaks only the Response signature: the xpath picks the Assertion's.
    write("envelope-tampered.xml", xml.replace(/Destination="[^"]+"/, 'Destination="https://altrove.example/acs"'));
    expect((await xmlsecVerify("envelope-tampered.xml", ids)).exitCode).not.toBe(0);
    expect((await xmlsecVerify("envelope-tampered.xml", ids, ["--node-xpath", assertionSignature])).exitCode).toBe(0);
    const schema = await xmllint(SAML_TOOLS.protocolXsd, "response.xml");
    expect(schema.output).toContain("response.xml validates");
    expect(schema.exitCode).toBe(0);
  });
});

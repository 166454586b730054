import { DOMParser, type Element } from "@xmldom/xmldom";
import { beforeAll, describe, expect, it } from "vitest";
import { samlSpKeys } from "../../../test/support/saml-sp-keys.js";
import { CIE_NAMESPACE, SAML_METADATA_NAMESPACE as MD, SPID_NAMESPACE } from "./saml-names.js";
import { buildSpMetadata, checkMetadataConfig, type SpMetadataConfig, spEndpoints } from "./sp-metadata.js";
import type { SamlSigningCredential } from "./xml-signature.js";

let credential: SamlSigningCredential;

beforeAll(async () => {
  ({ credential } = await samlSpKeys({ ipa: "c_h501", entityName: "Comune di Roma" }));
});

function config(federation: "spid" | "cie"): SpMetadataConfig {
  const endpoints = spEndpoints("https://gateway.comune.example.it/", federation);
  return {
    federation,
    entityId: "https://gateway.comune.example.it",
    id: "_meta1",
    signingCertificates: [credential.certificate],
    assertionConsumerServices: [endpoints.assertionConsumerService, "https://gateway.comune.example.it/acs2"],
    singleLogoutServices: [{ binding: "HTTP-Redirect", location: endpoints.singleLogoutService }],
    attributeConsumingServices: [
      {
        serviceName: { it: "Accesso operatori", en: "Staff login" },
        attributes: federation === "spid" ? ["fiscalNumber", "name", "familyName", "email"] : ["fiscalNumber", "name"],
      },
    ],
    organization: {
      name: { it: "Comune di Roma & Co" },
      displayName: { it: "Roma Capitale", en: "Rome" },
      url: { it: "https://www.comune.example.it" },
    },
    contact: { ipaCode: "c_h501", email: "protocollo@comune.example.it", phone: "+390600000000", municipality: "H501" },
  };
}

function parse(xml: string): Element {
  const root = new DOMParser().parseFromString(xml, "application/xml").documentElement;
  if (root === null) throw new Error("no root");
  return root;
}

const children = (element: Element | undefined): Element[] =>
  Array.from(element?.childNodes ?? []).filter((node): node is Element => node.nodeType === 1);
const names = (element: Element | undefined) => children(element).map((child) => child.localName);

describe("buildSpMetadata (SPID)", () => {
  it("orders EntityDescriptor and SPSSODescriptor children as the metadata XSD does", () => {
    const root = parse(buildSpMetadata(config("spid"), credential));
    expect(root.getAttribute("entityID")).toBe("https://gateway.comune.example.it");
    expect(root.getAttribute("ID")).toBe("_meta1");
    expect(names(root)).toEqual(["Signature", "SPSSODescriptor", "Organization", "ContactPerson"]);
    const sso = children(root)[1];
    expect(names(sso)).toEqual([
      "KeyDescriptor",
      "SingleLogoutService",
      "NameIDFormat",
      "AssertionConsumerService",
      "AssertionConsumerService",
      "AttributeConsumingService",
    ]);
    expect(sso?.getAttribute("AuthnRequestsSigned")).toBe("true");
    expect(sso?.getAttribute("WantAssertionsSigned")).toBe("true");
  });

  it("marks only ACS index 0 as default, HTTP-POST, and lists the requested attributes", () => {
    const root = parse(buildSpMetadata(config("spid"), credential));
    const acs = Array.from(root.getElementsByTagNameNS(MD, "AssertionConsumerService"));
    expect(acs.map((a) => [a.getAttribute("index"), a.getAttribute("isDefault"), a.getAttribute("Location")])).toEqual([
      ["0", "true", "https://gateway.comune.example.it/auth/spid/acs"],
      ["1", null, "https://gateway.comune.example.it/acs2"],
    ]);
    expect(acs.every((a) => a.getAttribute("Binding")?.endsWith("HTTP-POST"))).toBe(true);
    const requested = Array.from(root.getElementsByTagNameNS(MD, "RequestedAttribute"));
    expect(requested.map((r) => r.getAttribute("Name"))).toEqual(["fiscalNumber", "name", "familyName", "email"]);
  });

  it("writes the public-SP contact: one 'other' ContactPerson with spid:IPACode and spid:Public, Company = OrganizationName", () => {
    const root = parse(buildSpMetadata(config("spid"), credential));
    const contacts = Array.from(root.getElementsByTagNameNS(MD, "ContactPerson"));
    expect(contacts.map((c) => c.getAttribute("contactType"))).toEqual(["other"]);
    expect(root.getElementsByTagNameNS(SPID_NAMESPACE, "IPACode")[0]?.textContent).toBe("c_h501");
    expect(root.getElementsByTagNameNS(SPID_NAMESPACE, "Public")).toHaveLength(1);
    expect(root.getElementsByTagNameNS(SPID_NAMESPACE, "Private")).toHaveLength(0);
    expect(root.getElementsByTagNameNS(MD, "Company")[0]?.textContent).toBe("Comune di Roma & Co");
    expect(root.getElementsByTagNameNS(MD, "OrganizationName")[0]?.textContent).toBe("Comune di Roma & Co");
    expect(names(contacts[0])).toEqual(["Extensions", "Company", "EmailAddress", "TelephoneNumber"]);
  });
});

describe("buildSpMetadata (CIE)", () => {
  it("uses the cie namespace and an administrative contact with Public, IPACode and Municipality", () => {
    const xml = buildSpMetadata(config("cie"), credential);
    const root = parse(xml);
    expect(xml).not.toContain(SPID_NAMESPACE);
    const contact = root.getElementsByTagNameNS(MD, "ContactPerson")[0];
    expect(contact?.getAttribute("contactType")).toBe("administrative");
    const extensions = contact?.getElementsByTagNameNS(MD, "Extensions")[0];
    expect(children(extensions).map((e) => [e.namespaceURI, e.localName, e.textContent])).toEqual([
      [CIE_NAMESPACE, "Public", ""],
      [CIE_NAMESPACE, "IPACode", "c_h501"],
      [CIE_NAMESPACE, "Municipality", "H501"],
    ]);
  });
});

describe("checkMetadataConfig", () => {
  it("lists every problem of a bad configuration at once", () => {
    const bad: SpMetadataConfig = {
      ...config("spid"),
      entityId: "https://x.example/?q=1",
      assertionConsumerServices: [],
      contact: { ipaCode: "", email: "nobody", phone: "+39 06 1234" },
    };
    expect(() => checkMetadataConfig(bad)).toThrow(
      /entityId.*; at least one AssertionConsumerService; contact.ipaCode.*; contact.email.*; contact.phone/,
    );
  });

  it("refuses CIE attributes outside the eIDAS minimum set and a missing Belfiore code", () => {
    const good = config("cie");
    const bad: SpMetadataConfig = {
      ...good,
      attributeConsumingServices: [{ serviceName: { it: "x" }, attributes: ["fiscalNumber", "email"] }],
      contact: { ...good.contact, municipality: undefined },
    };
    expect(() => checkMetadataConfig(bad)).toThrow(/not email.*Belfiore/);
    expect(() => checkMetadataConfig(good)).not.toThrow();
  });
});

import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { escapeText } from "../saml/xml-text.js";
import { parseIdpMetadata } from "./index.js";

const FIXTURES = new URL("../../../test/fixtures/saml/idp-registry/", import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES), "utf8");
const der = (name: string) => new Uint8Array(new X509Certificate(fixture(name)).raw);
const base64 = (name: string) => Buffer.from(der(name)).toString("base64");
const NOW = { now: new Date("2027-03-01T10:00:00Z") };

const MD = 'xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#"';
const REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
const POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";

function keyDescriptor(certificate: string, use?: string): string {
  const attribute = use === undefined ? "" : ` use="${use}"`;
  return `<md:KeyDescriptor${attribute}><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${certificate}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`;
}

/** One IdP EntityDescriptor; every part can be replaced. */
function idpEntity(parts: {
  entityId?: string;
  attributes?: string;
  protocols?: string;
  keys?: string;
  endpoints?: string;
  extensions?: string;
  organization?: string;
}): string {
  const entityId = parts.entityId ?? "https://idp.example.test";
  const keys = parts.keys ?? keyDescriptor(base64("spid-alfa-2026.cert.pem"), "signing");
  const endpoints = parts.endpoints ?? `<md:SingleSignOnService Binding="${REDIRECT}" Location="${entityId}/sso"/>`;
  const organization =
    parts.organization ??
    '<md:Organization><md:OrganizationName xml:lang="it">Esempio</md:OrganizationName><md:OrganizationDisplayName xml:lang="it">Esempio ID</md:OrganizationDisplayName><md:OrganizationURL xml:lang="it">https://example.test</md:OrganizationURL></md:Organization>';
  return `<md:EntityDescriptor entityID="${entityId}"${parts.attributes ?? ""}><md:IDPSSODescriptor protocolSupportEnumeration="${parts.protocols ?? "urn:oasis:names:tc:SAML:2.0:protocol"}">${parts.extensions ?? ""}${keys}${endpoints}</md:IDPSSODescriptor>${organization}</md:EntityDescriptor>`;
}

function aggregate(entities: string, attributes = ""): string {
  return `<?xml version="1.0" encoding="UTF-8"?><md:EntitiesDescriptor ${MD} xmlns:mdui="urn:oasis:names:tc:SAML:metadata:ui"${attributes}>${entities}</md:EntitiesDescriptor>`;
}

function single(entity: string): string {
  return entity.replace(
    "<md:EntityDescriptor ",
    `<md:EntityDescriptor ${MD} xmlns:mdui="urn:oasis:names:tc:SAML:metadata:ui" `,
  );
}

describe("parseIdpMetadata: the SPID registry aggregate", () => {
  const parsed = parseIdpMetadata(fixture("spid-entities-idps.xml"), "spid", NOW);

  it("returns the usable IdPs in document order, without the SP entity", () => {
    expect(parsed.idps.map((idp) => idp.entityId)).toEqual([
      "https://id.alfa.test",
      "https://spid.zeta.test",
      "https://login.elite.test/idp",
    ]);
    expect(parsed.idps.every((idp) => idp.federation === "spid")).toBe(true);
  });

  it("keeps every signing certificate of an IdP (rotation) and no encryption key", () => {
    const alfa = parsed.idps[0];
    expect(alfa?.signingCertificates).toEqual([der("spid-alfa-2026.cert.pem"), der("spid-alfa-2019-expired.cert.pem")]);
    expect(alfa?.signingCertificates).not.toContainEqual(der("spid-elite.cert.pem"));
  });

  it("reads a line-wrapped certificate in a KeyDescriptor without use", () => {
    expect(parsed.idps[1]?.signingCertificates).toEqual([der("spid-zeta.cert.pem")]);
  });

  it("picks the SSO and SLO Locations per binding, with ResponseLocation", () => {
    expect(parsed.idps[0]).toMatchObject({
      singleSignOn: { redirect: "https://id.alfa.test/spid/samlsso", post: "https://id.alfa.test/spid/samlsso/post" },
      singleLogout: {
        redirect: {
          location: "https://id.alfa.test/spid/samlslo",
          responseLocation: "https://id.alfa.test/spid/samlslo/response",
        },
        post: { location: "https://id.alfa.test/spid/samlslo" },
      },
      logoUrl: "https://id.alfa.test/static/spid-idp-alfaid.svg",
    });
    expect(parsed.idps[1]?.singleSignOn).toEqual({ redirect: "https://spid.zeta.test/idp/login" });
    expect(parsed.idps[2]?.singleLogout).toEqual({
      post: {
        location: "https://login.elite.test/idp/SLO/POST",
        responseLocation: "https://login.elite.test/idp/SLO/POST/response",
      },
    });
  });

  it("prefers the Italian OrganizationDisplayName and folds its whitespace", () => {
    expect(parsed.idps.map((idp) => idp.displayName)).toEqual(["Alfa ID", "Zeta Trust SPID", "Èlite ID"]);
  });

  it("skips the IdP without a certificate, with the reason", () => {
    expect(parsed.skipped).toEqual([{ entityId: "https://spid.delta.test", reason: "no signing certificate" }]);
  });

  it("keeps the expired certificate but notes it", () => {
    expect(parsed.notes).toEqual([
      { entityId: "https://id.alfa.test", note: expect.stringMatching(/expired on 2022-01-01/) },
    ]);
  });
});

describe("parseIdpMetadata: the CIE Shibboleth metadata", () => {
  it("reads the single EntityDescriptor in the default namespace, POST and Redirect SSO", () => {
    const { idps, skipped } = parseIdpMetadata(fixture("cie-idp-metadata.xml"), "cie", NOW);
    expect(skipped).toEqual([]);
    expect(idps).toEqual([
      {
        federation: "cie",
        entityId: "https://idserver.cie.test/idp/profile/SAML2/POST/SSO",
        displayName: "CieID (test)",
        signingCertificates: [der("cie.cert.pem")],
        singleSignOn: {
          redirect: "https://idserver.cie.test/idp/profile/SAML2/Redirect/SSO",
          post: "https://idserver.cie.test/idp/profile/SAML2/POST/SSO",
        },
        singleLogout: {},
        logoUrl: "https://idserver.cie.test/idp/images/logo-cie.png",
      },
    ]);
  });
});

describe("parseIdpMetadata: documents that are not metadata", () => {
  it.each([
    ["a DOCTYPE", `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "x">]>${aggregate(idpEntity({}))}`, /DTD/],
    ["an ENTITY without DOCTYPE keyword casing", aggregate(idpEntity({})).replace("<md:", "<!entity x><md:"), /DTD/],
    [
      "a SAML Response",
      '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_1"/>',
      /not SAML metadata/,
    ],
    ["an EntitiesDescriptor in no namespace", "<EntitiesDescriptor/>", /not SAML metadata/],
    ["broken XML", aggregate(idpEntity({})).slice(0, -5), /not well-formed/],
    ["a processing instruction", aggregate(`<?evil x?>${idpEntity({})}`), /processing instruction/],
    ["an empty string", "", /not well-formed|no document element/],
  ])("throws on %s", (_name, xml, message) => {
    expect(() => parseIdpMetadata(xml, "spid", NOW)).toThrow(message);
  });
});

describe("parseIdpMetadata: unusable entities are skipped with a reason", () => {
  const cases: [string, string, RegExp][] = [
    [
      "a certificate that is not X.509",
      idpEntity({ keys: keyDescriptor("TUlJQ2Zha2U=", "signing") }),
      /no valid signing certificate.*not a valid X\.509/,
    ],
    [
      "a certificate that is not base64",
      idpEntity({ keys: keyDescriptor("not*base64", "signing") }),
      /no valid signing certificate.*not base64/,
    ],
    [
      "only an encryption key",
      idpEntity({ keys: keyDescriptor(base64("spid-zeta.cert.pem"), "encryption") }),
      /^no signing certificate$/,
    ],
    [
      "only SOAP and Artifact endpoints",
      idpEntity({
        endpoints:
          '<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:SOAP" Location="https://idp.example.test/soap"/>',
      }),
      /no SingleSignOnService/,
    ],
    [
      "a javascript: SSO Location",
      idpEntity({ endpoints: `<md:SingleSignOnService Binding="${POST}" Location="javascript:alert(1)"/>` }),
      /no SingleSignOnService/,
    ],
    ["SAML 1 only", idpEntity({ protocols: "urn:oasis:names:tc:SAML:1.1:protocol" }), /SAML 2\.0/],
    ["an expired validUntil", idpEntity({ attributes: ' validUntil="2027-01-01T00:00:00Z"' }), /expired/],
    ["an unreadable validUntil", idpEntity({ attributes: ' validUntil="domani"' }), /validUntil/],
    ["no entityID", idpEntity({}).replace(' entityID="https://idp.example.test"', ""), /without entityID/],
  ];
  it.each(cases)("%s", (_name, entity, reason) => {
    const { idps, skipped } = parseIdpMetadata(aggregate(entity), "spid", NOW);
    expect(idps).toEqual([]);
    expect(skipped).toEqual([{ entityId: expect.any(String), reason: expect.stringMatching(reason) }]);
  });

  it("applies an EntitiesDescriptor validUntil to every entity it encloses", () => {
    const xml = aggregate(idpEntity({}), ' validUntil="2027-02-28T23:59:59Z"');
    expect(parseIdpMetadata(xml, "spid", NOW).skipped[0]?.reason).toMatch(/expired/);
    expect(parseIdpMetadata(xml, "spid", { now: new Date("2027-02-01T00:00:00Z") }).idps).toHaveLength(1);
  });

  it("uses the first of two entities with the same entityID", () => {
    const first = idpEntity({});
    const second = idpEntity({
      endpoints: `<md:SingleSignOnService Binding="${POST}" Location="https://other.test/sso"/>`,
    });
    const { idps, skipped } = parseIdpMetadata(aggregate(first + second), "spid", NOW);
    expect(idps.map((idp) => idp.singleSignOn)).toEqual([{ redirect: "https://idp.example.test/sso" }]);
    expect(skipped).toEqual([{ entityId: "https://idp.example.test", reason: expect.stringMatching(/duplicate/) }]);
  });

  it("keeps an IdP whose one bad certificate sits next to a good one, with a note", () => {
    const keys = keyDescriptor("TUlJQ2Zha2U=", "signing") + keyDescriptor(base64("spid-zeta.cert.pem"));
    const { idps, notes } = parseIdpMetadata(aggregate(idpEntity({ keys })), "spid", NOW);
    expect(idps[0]?.signingCertificates).toEqual([der("spid-zeta.cert.pem")]);
    expect(notes).toEqual([
      { entityId: "https://idp.example.test", note: expect.stringMatching(/not a valid X\.509/) },
    ]);
  });
});

describe("parseIdpMetadata: names, logos and nesting", () => {
  const one = (entity: string) => parseIdpMetadata(single(entity), "spid", NOW).idps[0];

  it("falls back to OrganizationName, then to the entityID", () => {
    const nameOnly =
      '<md:Organization><md:OrganizationName xml:lang="en">Example</md:OrganizationName><md:OrganizationName xml:lang="it">Esempio S.p.A.</md:OrganizationName></md:Organization>';
    expect(one(idpEntity({ organization: nameOnly }))?.displayName).toBe("Esempio S.p.A.");
    expect(one(idpEntity({ organization: "" }))?.displayName).toBe("https://idp.example.test");
  });

  it("takes the first OrganizationDisplayName when none is Italian", () => {
    const organization =
      '<md:Organization><md:OrganizationDisplayName xml:lang="en">Example ID</md:OrganizationDisplayName><md:OrganizationDisplayName xml:lang="de">Beispiel</md:OrganizationDisplayName></md:Organization>';
    expect(one(idpEntity({ organization }))?.displayName).toBe("Example ID");
  });

  it("reads the text around a comment (no comment truncation)", () => {
    const organization =
      '<md:Organization><md:OrganizationDisplayName xml:lang="it">Al<!-- x -->fa ID</md:OrganizationDisplayName></md:Organization>';
    expect(one(idpEntity({ organization }))?.displayName).toBe("Alfa ID");
  });

  it.each([
    [
      "an https mdui:Logo",
      "<mdui:UIInfo><mdui:Logo>https://idp.example.test/logo.svg</mdui:Logo></mdui:UIInfo>",
      "https://idp.example.test/logo.svg",
    ],
    [
      "a data:image mdui:Logo",
      "<mdui:UIInfo><mdui:Logo>data:image/png;base64,iVBORw0KGgo=</mdui:Logo></mdui:UIInfo>",
      "data:image/png;base64,iVBORw0KGgo=",
    ],
    ["a javascript: logo", "<mdui:UIInfo><mdui:Logo>javascript:alert(1)</mdui:Logo></mdui:UIInfo>", undefined],
    ["an http logo", "<mdui:UIInfo><mdui:Logo>http://idp.example.test/logo.png</mdui:Logo></mdui:UIInfo>", undefined],
    [
      "a logo in another extension",
      '<x:Logo xmlns:x="urn:example:ext">https://idp.example.test/x.png</x:Logo>',
      "https://idp.example.test/x.png",
    ],
  ])("logoUrl from %s", (_name, content, expected) => {
    expect(one(idpEntity({ extensions: `<md:Extensions>${content}</md:Extensions>` }))?.logoUrl).toBe(expected);
  });

  it("reads EntityDescriptors nested in an inner EntitiesDescriptor", () => {
    const inner = `<md:EntitiesDescriptor>${idpEntity({ entityId: "https://inner.test" })}</md:EntitiesDescriptor>`;
    const { idps } = parseIdpMetadata(aggregate(idpEntity({}) + inner), "cie", NOW);
    expect(idps.map((idp) => [idp.entityId, idp.federation])).toEqual([
      ["https://idp.example.test", "cie"],
      ["https://inner.test", "cie"],
    ]);
  });

  it("returns any display name as written (property)", () => {
    const name = fc.string({ minLength: 1, maxLength: 40 }).filter((text) => /\S/.test(text));
    fc.assert(
      fc.property(name, (text) => {
        let escaped: string;
        try {
          escaped = escapeText(text);
        } catch {
          return; // characters XML 1.0 cannot carry at all
        }
        const organization = `<md:Organization><md:OrganizationDisplayName xml:lang="it">${escaped}</md:OrganizationDisplayName></md:Organization>`;
        const expected = text.replace(/\s+/g, " ").trim();
        expect(one(idpEntity({ organization }))?.displayName).toBe(expected);
      }),
    );
  });
});

import { DOMParser } from "@xmldom/xmldom";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { SignedXml } from "xml-crypto";
import { samlSpKeys } from "../../../test/support/saml-sp-keys.js";
import {
  buildLogoutRequest,
  buildLogoutResponse,
  type LogoutRequestOptions,
  parseLogoutRequest,
  parseLogoutResponse,
} from "./logout.js";
import { readPostMessage } from "./post-binding-verify.js";
import { LOGOUT_FAILURE_CODES } from "./saml-message.js";
import { type SamlSigningCredential, signEnveloped } from "./xml-signature.js";

const SP = "https://faccia.comune.demo.it/spid";
const SLO = "https://faccia.comune.demo.it/spid/slo";
const IDP = "https://idp.spid.example.it";
const IDP_SLO = "https://idp.spid.example.it/slo";
const NOW = new Date("2026-11-04T09:00:30Z");
const SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol";
const SAML = "urn:oasis:names:tc:SAML:2.0:assertion";

let idp: SamlSigningCredential;
let other: SamlSigningCredential;

beforeAll(async () => {
  const [first, second] = await Promise.all([samlSpKeys(), samlSpKeys()]);
  idp = first.credential;
  other = second.credential;
});

const rootOf = (xml: string) => {
  const root = new DOMParser().parseFromString(xml, "application/xml").documentElement;
  if (root === null) throw new Error("no root");
  return root;
};

/** What an IdP sends us: our builder with the roles swapped. */
function idpRequest(changes: Partial<LogoutRequestOptions> = {}) {
  return buildLogoutRequest({
    spEntityId: IDP,
    destination: SLO,
    nameId: "_transient-1",
    nameQualifier: IDP,
    sessionIndex: "_session-1",
    issueInstant: new Date("2026-11-04T09:00:00Z"),
    id: "_idp-request-1",
    ...changes,
  }).xml;
}

function idpResponse(status: "success" | "partial" | "requester-error" = "success") {
  return buildLogoutResponse({
    spEntityId: IDP,
    destination: SLO,
    inResponseTo: "_our-request",
    issueInstant: new Date("2026-11-04T09:00:00Z"),
    status,
    id: "_idp-response-1",
  }).xml;
}

const expectedRequest = { idpEntityId: IDP, sloUrl: SLO, now: NOW };
const expectedResponse = { ...expectedRequest, requestId: "_our-request" };

describe("buildLogoutRequest", () => {
  it("writes the single-logout.rst fields: ID, Version, IssueInstant, Destination, Issuer, NameID, SessionIndex", () => {
    const request = buildLogoutRequest({
      spEntityId: SP,
      destination: IDP_SLO,
      nameId: "_t<1>",
      nameQualifier: IDP,
      sessionIndex: "_s1",
      issueInstant: NOW,
    });
    const root = rootOf(request.xml);
    expect([root.namespaceURI, root.localName]).toEqual([SAMLP, "LogoutRequest"]);
    expect(request.id).toMatch(/^_[0-9a-f]{40}$/);
    expect(root.getAttribute("ID")).toBe(request.id);
    expect(root.getAttribute("Version")).toBe("2.0");
    expect(root.getAttribute("IssueInstant")).toBe("2026-11-04T09:00:30.000Z");
    expect(request.issueInstant).toBe("2026-11-04T09:00:30.000Z");
    expect(root.getAttribute("Destination")).toBe(IDP_SLO);
    const [issuer, nameId, sessionIndex, extra] = Array.from(root.childNodes).filter((node) => node.nodeType === 1);
    expect(extra).toBeUndefined();
    expect(request.xml).toContain(
      `<saml:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity" NameQualifier="${SP}">${SP}</saml:Issuer>`,
    );
    expect([issuer?.namespaceURI, nameId?.namespaceURI, sessionIndex?.namespaceURI]).toEqual([SAML, SAML, SAMLP]);
    expect(request.xml).toContain(
      `<saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:transient" NameQualifier="${IDP}">_t&lt;1&gt;</saml:NameID>`,
    );
    expect(sessionIndex?.textContent).toBe("_s1");
  });

  it("leaves SessionIndex out when the assertion had none, and refuses an ID starting with a digit", () => {
    const base = { spEntityId: SP, destination: IDP_SLO, nameId: "n", nameQualifier: IDP, issueInstant: NOW };
    expect(buildLogoutRequest(base).xml).not.toContain("SessionIndex");
    expect(buildLogoutRequest({ ...base, id: "_given" }).id).toBe("_given");
    expect(() => buildLogoutRequest({ ...base, id: "1abc" })).toThrow(/xs:ID/);
  });
});

describe("buildLogoutResponse", () => {
  it.each([
    ["success", ["urn:oasis:names:tc:SAML:2.0:status:Success"]],
    ["partial", ["urn:oasis:names:tc:SAML:2.0:status:Requester", "urn:oasis:names:tc:SAML:2.0:status:PartialLogout"]],
    ["requester-error", ["urn:oasis:names:tc:SAML:2.0:status:Requester"]],
  ] as const)("writes status %s as %j", (status, codes) => {
    const response = buildLogoutResponse({
      spEntityId: SP,
      destination: IDP_SLO,
      inResponseTo: "_idp-request",
      issueInstant: NOW,
      status,
    });
    const root = rootOf(response.xml);
    expect(root.localName).toBe("LogoutResponse");
    expect(root.getAttribute("ID")).toBe(response.id);
    expect(root.getAttribute("InResponseTo")).toBe("_idp-request");
    expect(root.getAttribute("Destination")).toBe(IDP_SLO);
    expect(root.getAttribute("Version")).toBe("2.0");
    expect(response.xml).toContain(`NameQualifier="${SP}">${SP}</saml:Issuer><samlp:Status>`);
    const values = Array.from(root.getElementsByTagNameNS(SAMLP, "StatusCode")).map((c) => c.getAttribute("Value"));
    expect(values).toEqual(codes);
  });
});

describe("parseLogoutRequest", () => {
  it("reads an IdP-initiated request", () => {
    expect(parseLogoutRequest(idpRequest(), expectedRequest)).toEqual({
      ok: true,
      id: "_idp-request-1",
      nameId: "_transient-1",
      nameQualifier: IDP,
      sessionIndexes: ["_session-1"],
    });
  });

  it("accepts a request without SessionIndex, and reads NameID past a comment", () => {
    const xml = idpRequest({ sessionIndex: undefined }).replace("_transient-1", "_transient<!-- cut -->-1");
    expect(parseLogoutRequest(xml, expectedRequest)).toMatchObject({
      ok: true,
      nameId: "_transient-1",
      sessionIndexes: [],
    });
  });

  const refusals: [string, () => string, string][] = [
    ["an AuthnRequest", () => idpRequest().replace(/LogoutRequest/g, "AuthnRequest"), "SAML_NOT_LOGOUT_REQUEST"],
    ["a LogoutResponse", () => idpResponse(), "SAML_NOT_LOGOUT_REQUEST"],
    [
      "the wrong namespace",
      () => idpRequest().replace(`xmlns:samlp="${SAMLP}"`, 'xmlns:samlp="urn:x"'),
      "SAML_NOT_LOGOUT_REQUEST",
    ],
    ["Version 1.1", () => idpRequest().replace('Version="2.0"', 'Version="1.1"'), "SAML_VERSION_INVALID"],
    ["an ID starting with a digit", () => idpRequest({ id: "_x" }).replace('ID="_x"', 'ID="1x"'), "SAML_ID_INVALID"],
    ["no ID", () => idpRequest().replace('ID="_idp-request-1"', ""), "SAML_ID_INVALID"],
    [
      "a local-time IssueInstant",
      () => idpRequest().replace("09:00:00.000Z", "09:00:00"),
      "SAML_ISSUE_INSTANT_INVALID",
    ],
    [
      "a future IssueInstant",
      () => idpRequest({ issueInstant: new Date("2026-11-04T09:04:00Z") }),
      "SAML_ISSUE_INSTANT_INVALID",
    ],
    ["an old IssueInstant", () => idpRequest({ issueInstant: new Date("2026-11-04T08:56:00Z") }), "SAML_EXPIRED"],
    [
      "a passed NotOnOrAfter",
      () => idpRequest().replace('Version="2.0"', 'Version="2.0" NotOnOrAfter="2026-11-04T08:57:30Z"'),
      "SAML_EXPIRED",
    ],
    [
      "a malformed NotOnOrAfter",
      () => idpRequest().replace('Version="2.0"', 'Version="2.0" NotOnOrAfter="soon"'),
      "SAML_MALFORMED",
    ],
    ["another Destination", () => idpRequest({ destination: "https://other.example/slo" }), "SAML_WRONG_DESTINATION"],
    // Bindings §3.4.5.2: a signed message must name its Destination.
    ["no Destination", () => idpRequest().replace(` Destination="${SLO}"`, ""), "SAML_WRONG_DESTINATION"],
    ["another Issuer", () => idpRequest({ spEntityId: "https://evil.example" }), "SAML_WRONG_ISSUER"],
    [
      "a transient Issuer",
      () => idpRequest().replace(":nameid-format:entity", ":nameid-format:transient"),
      "SAML_WRONG_ISSUER",
    ],
    ["no Issuer", () => idpRequest().replace(/<saml:Issuer.*<\/saml:Issuer>/, ""), "SAML_WRONG_ISSUER"],
    ["no NameID", () => idpRequest().replace(/<saml:NameID.*<\/saml:NameID>/, ""), "SAML_NAME_ID_MISSING"],
    ["an empty NameID", () => idpRequest().replace("_transient-1", " "), "SAML_NAME_ID_MISSING"],
    ["a DOCTYPE", () => `<!DOCTYPE x>${idpRequest()}`, "SAML_DOCTYPE"],
    [
      "a processing instruction",
      () => idpRequest().replace("<saml:NameID", "<?evil x?><saml:NameID"),
      "SAML_MALFORMED",
    ],
    ["broken XML", () => idpRequest().replace("</samlp:LogoutRequest>", ""), "SAML_MALFORMED"],
  ];
  it.each(refusals)("refuses %s", (_case, xml, code) => {
    expect(parseLogoutRequest(xml(), expectedRequest)).toMatchObject({ ok: false, code });
  });

  it("widens the time window with skewMs", () => {
    const old = idpRequest({ issueInstant: new Date("2026-11-04T08:56:00Z") });
    expect(parseLogoutRequest(old, { ...expectedRequest, skewMs: 10 * 60_000 }).ok).toBe(true);
  });
});

describe("parseLogoutResponse", () => {
  it.each([
    ["success", false],
    ["partial", true],
  ] as const)("accepts status %s (partial: %s)", (status, partial) => {
    expect(parseLogoutResponse(idpResponse(status), expectedResponse)).toEqual({ ok: true, partial });
  });

  it("reads Success with a PartialLogout sub-status as partial (SAML Core §3.7.3.2)", () => {
    const xml = idpResponse("partial").replace(":status:Requester", ":status:Success");
    expect(parseLogoutResponse(xml, expectedResponse)).toEqual({ ok: true, partial: true });
  });

  it.each<[string, () => string, string]>([
    ["a Requester status", () => idpResponse("requester-error"), "SAML_LOGOUT_FAILED"],
    ["a Responder status", () => idpResponse().replace(":status:Success", ":status:Responder"), "SAML_LOGOUT_FAILED"],
    ["no Status", () => idpResponse().replace(/<samlp:Status>.*<\/samlp:Status>/, ""), "SAML_MALFORMED"],
    ["another InResponseTo", () => idpResponse().replace("_our-request", "_other"), "SAML_WRONG_IN_RESPONSE_TO"],
    ["no InResponseTo", () => idpResponse().replace(' InResponseTo="_our-request"', ""), "SAML_WRONG_IN_RESPONSE_TO"],
    [
      "another Issuer",
      () => idpResponse().replace(/>https:\/\/idp\.spid\.example\.it</, ">https://evil.example<"),
      "SAML_WRONG_ISSUER",
    ],
    ["another Destination", () => idpResponse().replace(SLO, `${SLO}/x`), "SAML_WRONG_DESTINATION"],
    ["no Destination", () => idpResponse().replace(` Destination="${SLO}"`, ""), "SAML_WRONG_DESTINATION"],
    ["a LogoutRequest", () => idpRequest(), "SAML_NOT_LOGOUT_RESPONSE"],
  ])("refuses %s", (_case, xml, code) => {
    expect(parseLogoutResponse(xml(), expectedResponse)).toMatchObject({ ok: false, code });
  });

  it("keeps the StatusMessage in the failure detail", () => {
    const xml = idpResponse("requester-error").replace(
      "</samlp:StatusCode></samlp:Status>",
      "</samlp:StatusCode><samlp:StatusMessage>sessione ignota</samlp:StatusMessage></samlp:Status>",
    );
    expect(parseLogoutResponse(xml, expectedResponse)).toMatchObject({
      message: expect.stringContaining("sessione ignota"),
    });
  });
});

describe("readPostMessage", () => {
  const post = (xml: string) => Buffer.from(xml, "utf8").toString("base64");
  const signed = (credential = idp) => signEnveloped(idpRequest(), credential, "after-issuer");

  it("returns the signed root, read from the verified bytes, for the logout parser", () => {
    const read = readPostMessage(post(signed()), [other.certificate, idp.certificate]);
    if (!read.ok) throw new Error(read.message);
    expect(read.xml).not.toContain("Signature");
    expect(read.xml).toMatch(/^<samlp:LogoutRequest /);
    expect(parseLogoutRequest(read.xml, expectedRequest)).toMatchObject({ ok: true, nameId: "_transient-1" });
  });

  it("accepts base64 split over lines", () => {
    const wrapped = post(signed()).replace(/(.{76})/g, "$1\r\n");
    expect(readPostMessage(wrapped, [idp.certificate]).ok).toBe(true);
  });

  it("checks the key against the given certificates only, never the KeyInfo the message carries", () => {
    const bySomeoneElse = signed(other);
    expect(bySomeoneElse).toContain(Buffer.from(other.certificate).toString("base64"));
    expect(readPostMessage(post(bySomeoneElse), [idp.certificate])).toMatchObject({ code: "SAML_BAD_SIGNATURE" });
    expect(readPostMessage(post(signed()), [])).toMatchObject({ code: "SAML_BAD_SIGNATURE" });
  });

  const sha1Signed = () => {
    const signer = new SignedXml({
      privateKey: idp.privateKey,
      signatureAlgorithm: "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
      canonicalizationAlgorithm: "http://www.w3.org/2001/10/xml-exc-c14n#",
    });
    signer.addReference({
      xpath: "/*",
      transforms: ["http://www.w3.org/2000/09/xmldsig#enveloped-signature", "http://www.w3.org/2001/10/xml-exc-c14n#"],
      digestAlgorithm: "http://www.w3.org/2000/09/xmldsig#sha1",
    });
    signer.computeSignature(idpRequest(), { prefix: "ds" });
    return signer.getSignedXml();
  };

  it.each<[string, () => string, string]>([
    ["a tampered message", () => signed().replace("_transient-1", "_transient-2"), "SAML_BAD_SIGNATURE"],
    ["an unsigned message", () => idpRequest(), "SAML_UNSIGNED"],
    ["RSA-SHA1", sha1Signed, "SAML_SIGNATURE_ALGORITHM_FORBIDDEN"],
    [
      "inclusive c14n",
      () =>
        signed().replace(
          '<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"',
          '<ds:CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"',
        ),
      "SAML_SIGNATURE_ALGORITHM_FORBIDDEN",
    ],
    [
      "an XPath transform",
      () =>
        signed().replace(
          '<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>',
          '<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116"/>',
        ),
      "SAML_SIGNATURE_REFERENCE_INVALID",
    ],
    [
      "a reference to another ID",
      () => signed().replace('URI="#_idp-request-1"', 'URI="#_elsewhere"'),
      "SAML_SIGNATURE_REFERENCE_INVALID",
    ],
    [
      "a wrapped signed message",
      () =>
        idpRequest({ id: "_wrapper" }).replace(
          "<samlp:SessionIndex>",
          `<samlp:Extensions>${signed()}</samlp:Extensions><samlp:SessionIndex>`,
        ),
      "SAML_SIGNATURE_MISPLACED",
    ],
    [
      "a duplicated ID",
      () =>
        signed().replace(
          "<samlp:SessionIndex>",
          '<samlp:Extensions><x ID="_idp-request-1"/></samlp:Extensions><samlp:SessionIndex>',
        ),
      "SAML_DUPLICATE_ID",
    ],
    ["a DOCTYPE", () => `<!DOCTYPE x [<!ENTITY e "e">]>${signed()}`, "SAML_DOCTYPE"],
  ])("refuses %s", (_case, xml, code) => {
    expect(readPostMessage(post(xml()), [idp.certificate])).toMatchObject({ ok: false, code });
  });

  it.each([
    ["not base64", "%%%%", {}, "SAML_BAD_ENCODING"],
    ["not UTF-8", Buffer.from([0xc3, 0x28, 0x41, 0x42]).toString("base64"), {}, "SAML_BAD_ENCODING"],
    ["over maxBytes", Buffer.alloc(600).toString("base64"), { maxBytes: 512 }, "SAML_TOO_LARGE"],
    ["not XML", Buffer.from("hello").toString("base64"), {}, "SAML_MALFORMED"],
  ])("refuses a field that is %s", (_case, field, options, code) => {
    expect(readPostMessage(field, [idp.certificate], options)).toMatchObject({ ok: false, code });
  });

  it("never throws, and answers only with listed codes, whatever the field", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string().map((s) => Buffer.from(s).toString("base64")),
        ),
        (field) => {
          const read = readPostMessage(field, [idp.certificate]);
          if (!read.ok) expect(LOGOUT_FAILURE_CODES).toContain(read.code);
        },
      ),
    );
  });
});

import { verify, X509Certificate } from "node:crypto";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { DOMParser, type Element } from "@xmldom/xmldom";
import { Hono } from "hono";
import { beforeAll, describe, expect, it } from "vitest";
import { DEV_IDP_TEST_BASE, devIdpErrorCode, devIdpTestParties } from "../../../test/support/saml-dev-idp.js";
import { newSamlId, type SamlSigningCredential, signEnveloped, signRedirectQuery } from "../saml/index.js";
import { createDevIdp, type DevIdpServiceProvider } from "./index.js";

const BASE = DEV_IDP_TEST_BASE;
const SLO = `${BASE}/dev-idp/slo`;
let spCredential: SamlSigningCredential;
let idpCredential: SamlSigningCredential;
let sp: DevIdpServiceProvider;

beforeAll(async () => {
  ({ spCredential, idpCredential, sp } = await devIdpTestParties());
});

function gateway(serviceProvider: () => DevIdpServiceProvider = () => sp): Hono {
  const idp = createDevIdp({
    baseUrl: () => BASE,
    credential: idpCredential,
    serviceProvider: (entityId) => (entityId === sp.entityId ? serviceProvider() : undefined),
  });
  return new Hono().route("/", idp.routes);
}

/** SAML Core §3.7.1, as reference §1.6 describes the SPID SP's LogoutRequest. */
function logoutRequest(id = newSamlId()): { id: string; xml: string } {
  const xml =
    '<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"' +
    ` ID="${id}" Version="2.0" IssueInstant="${new Date().toISOString()}" Destination="${SLO}">` +
    `<saml:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity" NameQualifier="${sp.entityId}">${sp.entityId}</saml:Issuer>` +
    `<saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:transient" NameQualifier="${BASE}/dev-idp">_n1</saml:NameID>` +
    "<samlp:SessionIndex>_s1</samlp:SessionIndex></samlp:LogoutRequest>";
  return { id, xml };
}

function redirectQuery(xml: string, relayState: string | undefined, credential = spCredential): string {
  const encoded = deflateRawSync(Buffer.from(xml)).toString("base64");
  return signRedirectQuery({ parameter: "SAMLRequest", encoded, relayState }, credential.privateKey);
}

/** Checks the IdP's query signature (SAML Bindings §3.4.4.1) and returns the LogoutResponse and RelayState. */
function readLogoutResponse(location: string): { response: Element; relayState: string | null } {
  const query = location.slice(location.indexOf("?") + 1);
  const signedPart = query.slice(0, query.indexOf("&Signature="));
  const parameters = new URLSearchParams(query);
  const publicKey = new X509Certificate(idpCredential.certificate).publicKey;
  const signature = Buffer.from(parameters.get("Signature") ?? "", "base64");
  expect(verify("sha256", Buffer.from(signedPart), publicKey, signature)).toBe(true);
  const xml = inflateRawSync(Buffer.from(parameters.get("SAMLResponse") ?? "", "base64")).toString("utf8");
  const response = new DOMParser().parseFromString(xml, "application/xml").documentElement;
  if (response === null) throw new Error("no LogoutResponse");
  return { response, relayState: parameters.get("RelayState") };
}

const codeOf = devIdpErrorCode;

describe("dev IdP single logout", () => {
  it("HTTP-Redirect: answers a signed LogoutResponse Success to the SP's SLO, RelayState kept", async () => {
    const request = logoutRequest();
    const response = await gateway().request(`${SLO}?${redirectQuery(request.xml, "rs-42")}`);
    expect(response.status).toBe(302);
    const location = response.headers.get("location") ?? "";
    expect(location.startsWith(`${sp.sloUrl}?SAMLResponse=`)).toBe(true);
    const { response: logout, relayState } = readLogoutResponse(location);
    expect(relayState).toBe("rs-42");
    expect(logout.localName).toBe("LogoutResponse");
    expect(logout.getAttribute("InResponseTo")).toBe(request.id);
    expect(logout.getAttribute("Destination")).toBe(sp.sloUrl);
    expect(logout.getElementsByTagName("saml:Issuer")[0]?.textContent).toBe(`${BASE}/dev-idp`);
    expect(logout.getElementsByTagName("samlp:StatusCode")[0]?.getAttribute("Value")).toBe(
      "urn:oasis:names:tc:SAML:2.0:status:Success",
    );
  });

  it("HTTP-POST: accepts a LogoutRequest with an enveloped signature", async () => {
    const request = logoutRequest();
    const signed = signEnveloped(request.xml, spCredential, "after-issuer");
    const response = await gateway().request(SLO, {
      method: "POST",
      body: new URLSearchParams({ SAMLRequest: Buffer.from(signed).toString("base64"), RelayState: "rs" }),
    });
    expect(response.status).toBe(302);
    const { response: logout, relayState } = readLogoutResponse(response.headers.get("location") ?? "");
    expect(logout.getAttribute("InResponseTo")).toBe(request.id);
    expect(relayState).toBe("rs");
  });

  it("refuses an unsigned, a foreign-signed and a misaddressed LogoutRequest", async () => {
    const app = gateway();
    const encoded = deflateRawSync(Buffer.from(logoutRequest().xml)).toString("base64");
    const unsigned = await app.request(`${SLO}?SAMLRequest=${encodeURIComponent(encoded)}`);
    expect(unsigned.status).toBe(400);
    expect(await codeOf(unsigned)).toBe("UNSIGNED_REQUEST");
    const foreign = await app.request(`${SLO}?${redirectQuery(logoutRequest().xml, "r", idpCredential)}`);
    expect(foreign.status).toBe(400);
    expect(await codeOf(foreign)).toBe("BAD_SIGNATURE");
    const elsewhere = logoutRequest().xml.replace(`Destination="${SLO}"`, 'Destination="https://altrove.example/slo"');
    expect(await codeOf(await app.request(`${SLO}?${redirectQuery(elsewhere, "r")}`))).toBe("WRONG_DESTINATION");
  });

  it("refuses a LogoutRequest from an SP without a SingleLogoutService", async () => {
    const app = gateway(() => ({ ...sp, sloUrl: undefined }));
    const response = await app.request(`${SLO}?${redirectQuery(logoutRequest().xml, "r")}`);
    expect(response.status).toBe(400);
    expect(await codeOf(response)).toBe("NO_LOGOUT_SERVICE");
  });

  it("refuses a LogoutRequest without NameID", async () => {
    const xml = logoutRequest().xml.replace(/<saml:NameID[^>]*>_n1<\/saml:NameID>/, "");
    const response = await gateway().request(`${SLO}?${redirectQuery(xml, "r")}`);
    expect(response.status).toBe(400);
    expect(await codeOf(response)).toBe("MALFORMED_REQUEST");
  });
});

import { deflateRawSync } from "node:zlib";
import { Hono } from "hono";
import { beforeAll, describe, expect, it } from "vitest";
import { DEV_IDP_TEST_BASE, devIdpErrorCode, devIdpTestParties } from "../../../test/support/saml-dev-idp.js";
import {
  buildAuthnRequest,
  newRelayState,
  postBindingForm,
  redirectBindingUrl,
  type SamlSigningCredential,
  type SpidLevel,
  signEnveloped,
} from "../saml/index.js";
import { type ExpectedResponse, validateResponse } from "../saml/response/index.js";
import { createDevIdp, DEV_IDP_USERS, type DevIdp, type DevIdpServiceProvider } from "./index.js";

const BASE = DEV_IDP_TEST_BASE;
const SSO = `${BASE}/dev-idp/sso`;
let spCredential: SamlSigningCredential;
let idpCredential: SamlSigningCredential;
let sp: DevIdpServiceProvider;

beforeAll(async () => {
  ({ spCredential, idpCredential, sp } = await devIdpTestParties());
});

/** The gateway mounts the IdP's routes on its own app; the tests do the same. */
function gateway(clock: { now: Date } = { now: new Date() }): { app: Hono; idp: DevIdp } {
  const idp = createDevIdp({
    baseUrl: () => BASE,
    credential: idpCredential,
    serviceProvider: (entityId) => (entityId === sp.entityId ? sp : undefined),
    now: () => clock.now,
  });
  const app = new Hono();
  app.route("/", idp.routes);
  return { app, idp };
}

function authnRequest(level: SpidLevel = 2, changes: { spEntityId?: string; destination?: string } = {}) {
  return buildAuthnRequest({
    spEntityId: changes.spEntityId ?? sp.entityId,
    destination: changes.destination ?? SSO,
    level,
    issueInstant: new Date(),
  });
}

function field(html: string, name: string): string | undefined {
  return new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
}

/** Posts the chooser form with this button pressed. */
function choose(app: Hono, key: string, button: Record<string, string>) {
  return app.request(`${BASE}/dev-idp/sso/continue`, {
    method: "POST",
    body: new URLSearchParams({ key, ...button }),
  });
}

function expectation(idp: DevIdp, requestId: string, issueInstant: string, level: SpidLevel): ExpectedResponse {
  return {
    spEntityId: sp.entityId,
    acsUrl: sp.acsUrl,
    requestId,
    requestIssueInstant: new Date(issueInstant),
    requestedLevel: level,
    idpEntityId: idp.entityId(),
    idpCertificates: [idpCredential.certificate],
  };
}

const accept = { rememberAssertion: async () => true };

const errorCode = devIdpErrorCode;

describe("dev IdP single sign-on: happy paths", () => {
  it("HTTP-Redirect: the secretary logs in and our ACS validator accepts the Response", async () => {
    const { app, idp } = gateway();
    const request = authnRequest(2);
    const relayState = newRelayState();
    const chooser = await app.request(redirectBindingUrl(request, relayState, spCredential));
    expect(chooser.status).toBe(200);
    const page = await chooser.text();
    expect(page).toContain("IdP di sviluppo — scegli un utente di prova");
    expect(page).toContain("NON è un vero gestore di identità");
    for (const user of DEV_IDP_USERS) expect(page).toContain(user.fiscalNumber);
    expect(chooser.headers.get("content-security-policy")).toContain("form-action http://localhost:8080");

    const answer = await choose(app, field(page, "key") ?? "", { user: "secretary" });
    expect(answer.status).toBe(200);
    const html = await answer.text();
    expect(html).toContain(`<form method="post" action="${sp.acsUrl}">`);
    expect(field(html, "RelayState")).toBe(relayState);
    const csp = answer.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/]+={0,2}'/);
    expect(csp).toContain("form-action https://gateway.comune.example.it");
    expect(html).toContain("<script>document.forms[0].submit();</script>");

    const result = await validateResponse(
      field(html, "SAMLResponse") ?? "",
      expectation(idp, request.id, request.issueInstant, 2),
      { now: new Date(), ...accept },
    );
    expect(result).toMatchObject({
      ok: true,
      level: 2,
      sessionIndex: undefined,
      attributes: { fiscalNumber: "VRDMRC75C15F205Q", name: "Marco", familyName: "Verdi" },
    });
  });

  it("HTTP-POST: a request signed with an enveloped signature works too, at SpidL1 with a SessionIndex", async () => {
    const { app, idp } = gateway();
    const request = authnRequest(1);
    const form = postBindingForm(request, "rs_1", spCredential);
    const chooser = await app.request(SSO, {
      method: "POST",
      body: new URLSearchParams({ SAMLRequest: field(form.html, "SAMLRequest") ?? "", RelayState: "rs_1" }),
    });
    expect(chooser.status).toBe(200);
    const answer = await choose(app, field(await chooser.text(), "key") ?? "", { user: "admin" });
    const html = await answer.text();
    expect(field(html, "RelayState")).toBe("rs_1");
    const result = await validateResponse(
      field(html, "SAMLResponse") ?? "",
      expectation(idp, request.id, request.issueInstant, 1),
      { now: new Date(), ...accept },
    );
    expect(result.ok && result.attributes.fiscalNumber).toBe("BNCGLI80A41H501C");
    expect(result.ok && result.level).toBe(1);
    expect(result.ok && result.sessionIndex).toMatch(/^_[0-9a-f]{40}$/);
  });

  it("answers SpidL3 when SpidL3 is requested", async () => {
    const { app, idp } = gateway();
    const request = authnRequest(3);
    const chooser = await app.request(redirectBindingUrl(request, newRelayState(), spCredential));
    const html = await (await choose(app, field(await chooser.text(), "key") ?? "", { user: "operator" })).text();
    const result = await validateResponse(
      field(html, "SAMLResponse") ?? "",
      expectation(idp, request.id, request.issueInstant, 3),
      { now: new Date(), ...accept },
    );
    expect(result.ok && result.level).toBe(3);
  });

  it("cancel: a Responder/AuthnFailed Response with ErrorCode nr25, which the validator reports as code 25", async () => {
    const { app, idp } = gateway();
    const request = authnRequest(2);
    const chooser = await app.request(redirectBindingUrl(request, newRelayState(), spCredential));
    const html = await (await choose(app, field(await chooser.text(), "key") ?? "", { cancel: "1" })).text();
    const samlResponse = field(html, "SAMLResponse") ?? "";
    const xml = Buffer.from(samlResponse, "base64").toString("utf8");
    expect(xml).toContain("<samlp:StatusMessage>ErrorCode nr25</samlp:StatusMessage>");
    expect(xml).not.toContain("Assertion");
    const result = await validateResponse(samlResponse, expectation(idp, request.id, request.issueInstant, 2), {
      now: new Date(),
      ...accept,
    });
    expect(result).toMatchObject({ ok: false, code: "SAML_STATUS_NOT_SUCCESS", spidErrorCode: 25 });
  });
});

describe("dev IdP single sign-on: refusals", () => {
  it("refuses an unsigned Redirect request", async () => {
    const { app } = gateway();
    const encoded = deflateRawSync(Buffer.from(authnRequest().xml)).toString("base64");
    const response = await app.request(`${SSO}?SAMLRequest=${encodeURIComponent(encoded)}&RelayState=abc`);
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(await errorCode(response)).toBe("UNSIGNED_REQUEST");
  });

  it("refuses a Redirect request signed by another key, or tampered after signing", async () => {
    const { app } = gateway();
    const foreign = await app.request(redirectBindingUrl(authnRequest(), newRelayState(), idpCredential));
    expect(foreign.status).toBe(400);
    expect(await errorCode(foreign)).toBe("BAD_SIGNATURE");
    const url = redirectBindingUrl(authnRequest(), "original", spCredential);
    const tampered = await app.request(url.replace("RelayState=original", "RelayState=changed"));
    expect(tampered.status).toBe(400);
    expect(await errorCode(tampered)).toBe("BAD_SIGNATURE");
  });

  it("refuses an unsigned or tampered POST request", async () => {
    const { app } = gateway();
    const post = (xml: string) =>
      app.request(SSO, {
        method: "POST",
        body: new URLSearchParams({ SAMLRequest: Buffer.from(xml).toString("base64"), RelayState: "r" }),
      });
    const unsigned = await post(authnRequest(2).xml);
    expect(unsigned.status).toBe(400);
    expect(await errorCode(unsigned)).toBe("UNSIGNED_REQUEST");
    const signed = signEnveloped(authnRequest(2).xml, spCredential, "after-issuer");
    const tampered = await post(signed.replace("SpidL2", "SpidL1"));
    expect(tampered.status).toBe(400);
    expect(await errorCode(tampered)).toBe("BAD_SIGNATURE");
  });

  it("refuses a request from an unknown SP", async () => {
    const { app } = gateway();
    const request = authnRequest(2, { spEntityId: "https://intruso.example.it" });
    const response = await app.request(redirectBindingUrl(request, newRelayState(), spCredential));
    expect(response.status).toBe(400);
    expect(await errorCode(response)).toBe("UNKNOWN_SERVICE_PROVIDER");
  });

  it("refuses a request addressed to another Destination", async () => {
    const { app } = gateway();
    const request = authnRequest(2, { destination: "http://localhost:8080/altro/sso" });
    const url = redirectBindingUrl(request, newRelayState(), spCredential).replace("/altro/sso", "/dev-idp/sso");
    const response = await app.request(url);
    expect(response.status).toBe(400);
    expect(await errorCode(response)).toBe("WRONG_DESTINATION");
  });

  it("refuses a request with a DOCTYPE before reading it", async () => {
    const { app } = gateway();
    const signed = signEnveloped(authnRequest().xml, spCredential, "after-issuer");
    const xml = `<!DOCTYPE x [<!ENTITY e "boom">]>${signed}`;
    const response = await app.request(SSO, {
      method: "POST",
      body: new URLSearchParams({ SAMLRequest: Buffer.from(xml).toString("base64") }),
    });
    expect(response.status).toBe(400);
    expect(await errorCode(response)).toBe("MALFORMED_REQUEST");
  });

  it("a pending login is single use, expires after 10 minutes, and rejects unknown users", async () => {
    const clock = { now: new Date() };
    const { app } = gateway(clock);
    const start = async () => {
      const chooser = await app.request(redirectBindingUrl(authnRequest(), newRelayState(), spCredential));
      return field(await chooser.text(), "key") ?? "";
    };
    const key = await start();
    expect((await choose(app, key, { user: "secretary" })).status).toBe(200);
    const replay = await choose(app, key, { user: "secretary" });
    expect(replay.status).toBe(400);
    expect(await errorCode(replay)).toBe("LOGIN_EXPIRED");

    const late = await start();
    clock.now = new Date(clock.now.getTime() + 10 * 60_000 + 1);
    expect(await errorCode(await choose(app, late, { user: "secretary" }))).toBe("LOGIN_EXPIRED");

    clock.now = new Date();
    const unknown = await choose(app, await start(), { user: "nobody" });
    expect(unknown.status).toBe(400);
    expect(await errorCode(unknown)).toBe("UNKNOWN_USER");
  });

  it("refuses a wrapped POST request whose signature covers another element (XSW)", async () => {
    const { app } = gateway();
    const signed = signEnveloped(authnRequest(2).xml, spCredential, "after-issuer");
    const id = /ID="([^"]+)"/.exec(signed)?.[1] ?? "";
    const original = signed.replace(/<ds:Signature.*<\/ds:Signature>/, "");
    const wrapped = signed
      .replace(`ID="${id}"`, 'ID="_evil"')
      .replace("</samlp:AuthnRequest>", `<samlp:Extensions>${original}</samlp:Extensions></samlp:AuthnRequest>`);
    const response = await app.request(SSO, {
      method: "POST",
      body: new URLSearchParams({ SAMLRequest: Buffer.from(wrapped).toString("base64") }),
    });
    expect(response.status).toBe(400);
    expect(await errorCode(response)).toBe("BAD_SIGNATURE");
  });

  it("refuses a body over 128 KiB", async () => {
    const { app } = gateway();
    const response = await app.request(SSO, {
      method: "POST",
      body: new URLSearchParams({ SAMLRequest: "A".repeat(200 * 1024) }),
    });
    expect(response.status).toBe(400);
    expect(await errorCode(response)).toBe("MALFORMED_REQUEST");
  });

  it("answers a malformed query with the error page, never a stack trace", async () => {
    const { app } = gateway();
    const response = await app.request(`${SSO}?SAMLRequest=%E0%A4%A&SigAlg=x&Signature=y`);
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain("Richiesta non valida");
    expect(page).not.toMatch(/at .+\.ts:\d+/);
  });
});

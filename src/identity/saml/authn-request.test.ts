import { createHash, verify, X509Certificate } from "node:crypto";
import { inflateRawSync } from "node:zlib";
import { DOMParser, type Element } from "@xmldom/xmldom";
import { beforeAll, describe, expect, it } from "vitest";
import { SignedXml } from "xml-crypto";
import { samlSpKeys } from "../../../test/support/saml-sp-keys.js";
import {
  buildAuthnRequest,
  newRelayState,
  POST_FORM_SCRIPT_SOURCE,
  postBindingForm,
  redirectBindingUrl,
} from "./authn-request.js";
import { RSA_SHA256, type SamlSigningCredential } from "./xml-signature.js";

const SP = "https://gateway.comune.example.it";
const SSO = "https://idp.example/sso";
const NOW = new Date("2026-03-05T18:03:10.531Z");
let credential: SamlSigningCredential;

beforeAll(async () => {
  ({ credential } = await samlSpKeys());
});

function root(xml: string): Element {
  const element = new DOMParser().parseFromString(xml, "application/xml").documentElement;
  if (element === null) throw new Error("no root");
  return element;
}
const children = (element: Element) =>
  Array.from(element.childNodes).filter((node): node is Element => node.nodeType === 1);

describe("buildAuthnRequest", () => {
  it("writes the SPID attributes and children for SpidL2 (single-sign-on.rst)", () => {
    const request = buildAuthnRequest({ spEntityId: SP, destination: SSO, level: 2, issueInstant: NOW });
    const element = root(request.xml);
    expect(request.id).toMatch(/^_[0-9a-f]{40}$/);
    expect(Object.fromEntries(Array.from(element.attributes).map((a) => [a.name, a.value]))).toMatchObject({
      ID: request.id,
      Version: "2.0",
      IssueInstant: "2026-03-05T18:03:10.531Z",
      Destination: SSO,
      ForceAuthn: "true",
      AssertionConsumerServiceIndex: "0",
      AttributeConsumingServiceIndex: "0",
    });
    expect(element.hasAttribute("IsPassive")).toBe(false);
    expect(element.hasAttribute("AssertionConsumerServiceURL")).toBe(false);
    const [issuer, policy, context] = children(element);
    expect(issuer?.textContent).toBe(SP);
    expect(issuer?.getAttribute("Format")).toBe("urn:oasis:names:tc:SAML:2.0:nameid-format:entity");
    expect(issuer?.getAttribute("NameQualifier")).toBe(SP);
    expect(policy?.getAttribute("Format")).toBe("urn:oasis:names:tc:SAML:2.0:nameid-format:transient");
    expect(policy?.hasAttribute("AllowCreate")).toBe(false);
    expect(context?.getAttribute("Comparison")).toBe("minimum");
    expect(context?.textContent).toBe("https://www.spid.gov.it/SpidL2");
  });

  it("asks ForceAuthn only for L2 and L3", () => {
    const force = ([1, 2, 3] as const).map((level) =>
      root(buildAuthnRequest({ spEntityId: SP, destination: SSO, level, issueInstant: NOW }).xml).getAttribute(
        "ForceAuthn",
      ),
    );
    expect(force).toEqual([null, "true", "true"]);
  });

  it("refuses an ID that starts with a digit", () => {
    expect(() =>
      buildAuthnRequest({ spEntityId: SP, destination: SSO, level: 1, issueInstant: NOW, id: "1abc" }),
    ).toThrow(/xs:ID/);
  });
});

describe("redirectBindingUrl", () => {
  it("deflates the unsigned request and signs the query with the SP key (Bindings §3.4.4.1)", () => {
    const request = buildAuthnRequest({ spEntityId: SP, destination: `${SSO}?tenant=a`, level: 2, issueInstant: NOW });
    const relayState = newRelayState();
    const url = redirectBindingUrl(request, relayState, credential);
    expect(url.startsWith(`${SSO}?tenant=a&SAMLRequest=`)).toBe(true);
    const params = new URL(url).searchParams;
    expect([...params.keys()]).toEqual(["tenant", "SAMLRequest", "RelayState", "SigAlg", "Signature"]);
    const xml = inflateRawSync(Buffer.from(params.get("SAMLRequest") ?? "", "base64")).toString("utf8");
    expect(xml).toBe(request.xml);
    expect(xml).not.toContain("Signature");
    expect(params.get("RelayState")).toBe(relayState);
    expect(params.get("SigAlg")).toBe(RSA_SHA256);
    const signedPart = url.slice(url.indexOf("SAMLRequest="), url.indexOf("&Signature="));
    const signature = Buffer.from(params.get("Signature") ?? "", "base64");
    const key = new X509Certificate(credential.certificate).publicKey;
    expect(verify("sha256", Buffer.from(signedPart), key, signature)).toBe(true);
  });

  it.each(["https://sp.example/back", "a b"])("refuses an intelligible RelayState %j (single-sign-on.rst)", (relay) => {
    const request = buildAuthnRequest({ spEntityId: SP, destination: SSO, level: 2, issueInstant: NOW });
    expect(() => redirectBindingUrl(request, relay, credential)).toThrow(/RelayState/);
  });
});

describe("postBindingForm", () => {
  it("posts the enveloped-signed request and RelayState, with a script the CSP hash allows", () => {
    const request = buildAuthnRequest({ spEntityId: SP, destination: SSO, level: 3, issueInstant: NOW });
    const { html, signedXml } = postBindingForm(request, "state_1", credential);
    expect(html).toContain(`<form method="post" action="${SSO}">`);
    expect(html).toContain('<input type="hidden" name="RelayState" value="state_1">');
    const samlRequest = /name="SAMLRequest" value="([^"]+)"/.exec(html)?.[1] ?? "";
    expect(Buffer.from(samlRequest, "base64").toString("utf8")).toBe(signedXml);
    expect(children(root(signedXml)).map((e) => e.localName)).toEqual([
      "Issuer",
      "Signature",
      "NameIDPolicy",
      "RequestedAuthnContext",
    ]);
    const doc = new DOMParser().parseFromString(signedXml, "application/xml");
    const verifier = new SignedXml({
      publicCert: new X509Certificate(credential.certificate).publicKey,
      getCertFromKeyInfo: () => null,
    });
    const signature = doc.getElementsByTagNameNS("http://www.w3.org/2000/09/xmldsig#", "Signature")[0];
    verifier.loadSignature(signature as unknown as Parameters<SignedXml["loadSignature"]>[0]);
    expect(verifier.checkSignature(signedXml)).toBe(true);
    const script = /<script>(.*)<\/script>/.exec(html)?.[1] ?? "";
    expect(`'sha256-${createHash("sha256").update(script).digest("base64")}'`).toBe(POST_FORM_SCRIPT_SOURCE);
  });

  it("refuses an intelligible RelayState", () => {
    const request = buildAuthnRequest({ spEntityId: SP, destination: SSO, level: 1, issueInstant: NOW });
    expect(() => postBindingForm(request, "https://sp.example/after", credential)).toThrow(/RelayState/);
  });
});

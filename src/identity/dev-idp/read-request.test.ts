import { DOMParser, type Element } from "@xmldom/xmldom";
import { describe, expect, it } from "vitest";
import { buildAuthnRequest } from "../saml/index.js";
import { DevIdpError } from "./errors.js";
import type { DevIdpServiceProvider } from "./model.js";
import { readAuthnRequest } from "./read-request.js";

const SSO = "http://localhost:8080/dev-idp/sso";
const NOW = new Date("2026-11-04T09:00:00.000Z");
const SP: DevIdpServiceProvider = {
  entityId: "https://sp.example.it",
  acsUrl: "https://sp.example.it/acs",
  certificates: [],
};

function element(xml: string): Element {
  const root = new DOMParser().parseFromString(xml, "application/xml").documentElement;
  if (root === null) throw new Error("no root");
  return root;
}

function request(level: 1 | 2 | 3, edit: (xml: string) => string = (xml) => xml): Element {
  const { xml } = buildAuthnRequest({ spEntityId: SP.entityId, destination: SSO, level, issueInstant: NOW });
  return element(edit(xml));
}

function refusal(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof DevIdpError) return error.code;
    throw error;
  }
  return undefined;
}

const read = (root: Element, now = NOW) => readAuthnRequest(root, SP, { destination: SSO, now });

describe("readAuthnRequest", () => {
  it("reads ID, level and ForceAuthn", () => {
    const facts = read(request(2));
    expect(facts.id).toMatch(/^_/);
    expect(facts).toMatchObject({ level: 2, forceAuthn: true });
    expect(read(request(1))).toMatchObject({ level: 1, forceAuthn: false });
  });

  it.each([
    ["minimum", 2, 2],
    ["exact", 2, 2],
    ["maximum", 3, 3],
    ["better", 1, 2],
    ["better", 2, 3],
  ] as const)("Comparison %s with SpidL%d is answered with SpidL%d", (comparison, requested, asserted) => {
    const root = request(requested, (xml) => xml.replace('Comparison="minimum"', `Comparison="${comparison}"`));
    expect(read(root).level).toBe(asserted);
  });

  it("defaults to SpidL1 without RequestedAuthnContext", () => {
    const root = request(2, (xml) => xml.replace(/<samlp:RequestedAuthnContext.*<\/samlp:RequestedAuthnContext>/, ""));
    expect(read(root).level).toBe(1);
  });

  it.each([
    [
      "an unknown AuthnContextClassRef",
      (xml: string) => xml.replace("https://www.spid.gov.it/SpidL2", "urn:x"),
      "UNSUPPORTED_REQUEST",
    ],
    [
      "better than SpidL3",
      (xml: string) => xml.replace("SpidL2", "SpidL3").replace("minimum", "better"),
      "UNSUPPORTED_REQUEST",
    ],
    [
      "an ACS index other than 0",
      (xml: string) => xml.replace('AssertionConsumerServiceIndex="0"', 'AssertionConsumerServiceIndex="1"'),
      "UNSUPPORTED_REQUEST",
    ],
    [
      "IsPassive",
      (xml: string) => xml.replace('Version="2.0"', 'Version="2.0" IsPassive="true"'),
      "UNSUPPORTED_REQUEST",
    ],
    ["an ID starting with a digit", (xml: string) => xml.replace(/ID="_/, 'ID="1'), "MALFORMED_REQUEST"],
    ["Version 1.1", (xml: string) => xml.replace('Version="2.0"', 'Version="1.1"'), "MALFORMED_REQUEST"],
    [
      "a local-time IssueInstant",
      (xml: string) => xml.replace(/IssueInstant="([^"]+)Z"/, 'IssueInstant="$1+01:00"'),
      "MALFORMED_REQUEST",
    ],
    ["another Destination", (xml: string) => xml.replace(SSO, "https://idp.example/sso"), "WRONG_DESTINATION"],
  ])("refuses %s", (_case, edit, code) => {
    expect(refusal(() => read(request(2, edit)))).toBe(code);
  });

  it("refuses a request issued more than 10 minutes ago or more than 3 minutes ahead", () => {
    const root = request(2);
    expect(refusal(() => read(root, new Date(NOW.getTime() + 10 * 60_000)))).toBeUndefined();
    expect(refusal(() => read(root, new Date(NOW.getTime() + 10 * 60_000 + 1)))).toBe("STALE_REQUEST");
    expect(refusal(() => read(root, new Date(NOW.getTime() - 3 * 60_000 - 1)))).toBe("STALE_REQUEST");
  });

  it("accepts an ACS URL equal to the SP's with the POST binding", () => {
    const withUrl = (url: string) =>
      request(2, (xml) =>
        xml.replace(
          'AssertionConsumerServiceIndex="0"',
          `AssertionConsumerServiceURL="${url}" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"`,
        ),
      );
    expect(read(withUrl(SP.acsUrl)).level).toBe(2);
    expect(refusal(() => read(withUrl("https://evil.example/acs")))).toBe("UNSUPPORTED_REQUEST");
  });
});

import { createPrivateKey, type KeyObject, sign } from "node:crypto";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { samlSpKeys } from "../../../test/support/saml-sp-keys.js";
import { SIGNATURE_ALGORITHMS } from "../../../test/support/saml-tools.js";
import { readRedirectMessage, redirectUrl } from "./redirect-binding.js";
import { LOGOUT_FAILURE_CODES } from "./saml-message.js";
import type { SamlSigningCredential } from "./xml-signature.js";

const XML = '<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r1">è</samlp:LogoutRequest>';
const { rsaSha256: RSA_SHA256, rsaSha1: RSA_SHA1, ecdsaSha256: ECDSA_SHA256 } = SIGNATURE_ALGORITHMS;

let idp: SamlSigningCredential;
let other: SamlSigningCredential;
let ecKey: KeyObject;
let ecCertificate: Uint8Array;

beforeAll(async () => {
  const [first, second] = await Promise.all([samlSpKeys(), samlSpKeys()]);
  idp = first.credential;
  other = second.credential;
  ecKey = createPrivateKey({ key: Buffer.from(first.set.seal.privateKey), format: "der", type: "pkcs8" });
  ecCertificate = first.set.seal.certificate;
});

const queryOf = (url: string) => url.slice(url.indexOf("?") + 1);
const deflated = (xml: string) => deflateRawSync(Buffer.from(xml, "utf8")).toString("base64");

/** Signs `signedPart` exactly as given (Bindings §3.4.4.1) and appends the Signature. */
function signedQuery(signedPart: string, key: KeyObject = idp.privateKey, hash = "sha256", p1363 = false): string {
  const signature = sign(hash, Buffer.from(signedPart), p1363 ? { key, dsaEncoding: "ieee-p1363" } : key);
  return `${signedPart}&Signature=${encodeURIComponent(signature.toString("base64"))}`;
}

describe("redirectUrl and readRedirectMessage", () => {
  it("round-trips a signed message with RelayState", () => {
    const url = redirectUrl("https://idp.example/slo", "SAMLRequest", XML, "state_1-x", idp);
    expect(url).toMatch(/^https:\/\/idp\.example\/slo\?SAMLRequest=[^&]+&RelayState=state_1-x&SigAlg=[^&]+&Signature=/);
    const encoded = new URL(url).searchParams.get("SAMLRequest") ?? "";
    expect(inflateRawSync(Buffer.from(encoded, "base64")).toString("utf8")).toBe(XML);
    expect(readRedirectMessage(queryOf(url), "SAMLRequest", [idp.certificate])).toEqual({
      ok: true,
      xml: XML,
      relayState: "state_1-x",
    });
  });

  it("round-trips a SAMLResponse without RelayState, appending to a destination that has a query", () => {
    const url = redirectUrl("https://idp.example/slo?x=1", "SAMLResponse", XML, undefined, idp);
    expect(url).toMatch(/^https:\/\/idp\.example\/slo\?x=1&SAMLResponse=/);
    expect(url).not.toContain("RelayState");
    const read = readRedirectMessage(`?${queryOf(url)}`, "SAMLResponse", [other.certificate, idp.certificate]);
    expect(read).toEqual({ ok: true, xml: XML });
  });

  it("verifies the raw octets as received, whatever equivalent percent-encoding the sender chose", () => {
    // Lower-case hex escapes and quote_plus spaces: re-encoding the decoded values would change the octets.
    const relayRaw = "a+b%2fc%7e";
    const messageRaw = encodeURIComponent(deflated(XML)).replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase());
    const signedPart = `SAMLRequest=${messageRaw}&RelayState=${relayRaw}&SigAlg=${encodeURIComponent(RSA_SHA256).toLowerCase()}`;
    expect(signedPart).not.toContain(encodeURIComponent(deflated(XML)));
    const read = readRedirectMessage(`${signedQuery(signedPart)}&extra=ignored`, "SAMLRequest", [idp.certificate]);
    expect(read).toEqual({ ok: true, xml: XML, relayState: "a b/c~" });
  });

  it("accepts an ECDSA P-256 signature (r‖s as XML DSig writes it, or DER)", () => {
    const signedPart = `SAMLRequest=${encodeURIComponent(deflated(XML))}&SigAlg=${encodeURIComponent(ECDSA_SHA256)}`;
    for (const p1363 of [true, false]) {
      const read = readRedirectMessage(signedQuery(signedPart, ecKey, "sha256", p1363), "SAMLRequest", [ecCertificate]);
      expect(read.ok).toBe(true);
    }
  });

  it("returns an unsigned message only when the caller does not require a signature", () => {
    const query = `SAMLRequest=${encodeURIComponent(deflated(XML))}`;
    expect(readRedirectMessage(query, "SAMLRequest", [idp.certificate])).toMatchObject({
      ok: false,
      code: "SAML_UNSIGNED",
    });
    expect(readRedirectMessage(query, "SAMLRequest", [], { requireSignature: false })).toEqual({ ok: true, xml: XML });
  });
});

describe("readRedirectMessage refusals", () => {
  const good = () => queryOf(redirectUrl("https://idp.example/slo", "SAMLRequest", XML, "state1", idp));
  const message = `SAMLRequest=${encodeURIComponent(deflated(XML))}`;

  it.each([
    ["a tampered RelayState", () => good().replace("RelayState=state1", "RelayState=state2"), "SAML_BAD_SIGNATURE"],
    ["a tampered message", () => good().replace("SAMLRequest=", "SAMLRequest=AAAA"), "SAML_BAD_SIGNATURE"],
    ["a removed RelayState", () => good().replace("&RelayState=state1", ""), "SAML_BAD_SIGNATURE"],
    ["SigAlg without Signature", () => good().replace(/&Signature=.*$/, ""), "SAML_BAD_SIGNATURE"],
    ["Signature without SigAlg", () => good().replace(/&SigAlg=[^&]*/, ""), "SAML_BAD_SIGNATURE"],
    [
      "RSA-SHA1",
      () => signedQuery(`${message}&SigAlg=${encodeURIComponent(RSA_SHA1)}`, idp.privateKey, "sha1"),
      "SAML_SIGNATURE_ALGORITHM_FORBIDDEN",
    ],
    [
      "an HMAC SigAlg",
      () => `${message}&SigAlg=${encodeURIComponent("http://www.w3.org/2000/09/xmldsig#hmac-sha1")}&Signature=AAAA`,
      "SAML_SIGNATURE_ALGORITHM_FORBIDDEN",
    ],
    [
      "an ECDSA SigAlg over an RSA key",
      () =>
        `${message}&SigAlg=${encodeURIComponent(ECDSA_SHA256)}&Signature=${encodeURIComponent(sign("sha256", Buffer.from(message), idp.privateKey).toString("base64"))}`,
      "SAML_BAD_SIGNATURE",
    ],
    [
      "a non-base64 Signature",
      () => `${message}&SigAlg=${encodeURIComponent(RSA_SHA256)}&Signature=%25%25`,
      "SAML_BAD_ENCODING",
    ],
    ["no SAMLRequest", () => good().replace("SAMLRequest=", "SAMLResponse="), "SAML_BAD_ENCODING"],
    ["both SAMLRequest and SAMLResponse", () => `${good()}&SAMLResponse=x`, "SAML_BAD_ENCODING"],
    ["a repeated parameter", () => `${good()}&RelayState=again`, "SAML_BAD_ENCODING"],
    ["bad percent-encoding", () => `${good()}&SAMLEncoding=%E0%A4%A`, "SAML_BAD_ENCODING"],
    ["another SAMLEncoding", () => `${good()}&SAMLEncoding=urn%3Ax`, "SAML_BAD_ENCODING"],
  ])("refuses %s", (_case, query, code) => {
    expect(readRedirectMessage(query(), "SAMLRequest", [idp.certificate])).toMatchObject({ ok: false, code });
  });

  it("refuses a signature from a key that is not the IdP's, and any signature when no key is known", () => {
    expect(readRedirectMessage(good(), "SAMLRequest", [other.certificate])).toMatchObject({
      code: "SAML_BAD_SIGNATURE",
    });
    expect(readRedirectMessage(good(), "SAMLRequest", [])).toMatchObject({ code: "SAML_BAD_SIGNATURE" });
    expect(readRedirectMessage(good(), "SAMLRequest", [new Uint8Array([1, 2, 3])])).toMatchObject({
      code: "SAML_BAD_SIGNATURE",
    });
  });

  it.each([
    ["not base64", "SAMLRequest=%25%25%25", "SAML_BAD_ENCODING"],
    [
      "not DEFLATE",
      `SAMLRequest=${encodeURIComponent(Buffer.from("plain text").toString("base64"))}`,
      "SAML_BAD_ENCODING",
    ],
    [
      "not UTF-8",
      `SAMLRequest=${encodeURIComponent(deflateRawSync(Buffer.from([0xc3, 0x28])).toString("base64"))}`,
      "SAML_BAD_ENCODING",
    ],
    [
      "a DOCTYPE",
      `SAMLRequest=${encodeURIComponent(deflated(`<!DOCTYPE x [<!ENTITY a "b">]>${XML}`))}`,
      "SAML_DOCTYPE",
    ],
  ])("refuses a message that is %s", (_case, query, code) => {
    const read = readRedirectMessage(query, "SAMLRequest", [], { requireSignature: false });
    expect(read).toMatchObject({ ok: false, code });
  });

  it("refuses a message that inflates past the limit, signed or not, before decoding it", () => {
    const bomb = `<x>${" ".repeat(300 * 1024)}</x>`;
    const url = redirectUrl("https://idp.example/slo", "SAMLRequest", bomb, undefined, idp);
    expect(deflated(bomb).length).toBeLessThan(2048);
    expect(readRedirectMessage(queryOf(url), "SAMLRequest", [idp.certificate])).toMatchObject({
      ok: false,
      code: "SAML_TOO_LARGE",
    });
    expect(readRedirectMessage(good(), "SAMLRequest", [idp.certificate], { maxBytes: 64 })).toMatchObject({
      code: "SAML_TOO_LARGE",
    });
    expect(readRedirectMessage(`SAMLRequest=${"A".repeat(8192)}`, "SAMLRequest", [], { maxBytes: 512 })).toMatchObject({
      code: "SAML_TOO_LARGE",
    });
  });

  it("never throws, and answers only with listed codes, whatever the query", () => {
    fc.assert(
      fc.property(fc.string(), fc.boolean(), (query, requireSignature) => {
        const read = readRedirectMessage(query, "SAMLRequest", [idp.certificate], { requireSignature });
        if (!read.ok) expect(LOGOUT_FAILURE_CODES).toContain(read.code);
      }),
    );
  });
});

import { generateKeyPairSync, verify, X509Certificate } from "node:crypto";
import { DOMParser, type Element } from "@xmldom/xmldom";
import { beforeAll, describe, expect, it } from "vitest";
import { SignedXml } from "xml-crypto";
import { samlSpKeys } from "../../../test/support/saml-sp-keys.js";
import {
  RSA_SHA256,
  type SamlSigningCredential,
  samlSigningCredential,
  signEnveloped,
  signRedirectQuery,
} from "./xml-signature.js";

const DS = "http://www.w3.org/2000/09/xmldsig#";
let credential: SamlSigningCredential;

beforeAll(async () => {
  ({ credential } = await samlSpKeys());
});

function checkWithCertificate(xml: string): boolean {
  const doc = new DOMParser().parseFromString(xml, "application/xml");
  const signature = doc.getElementsByTagNameNS(DS, "Signature")[0];
  if (signature === undefined) throw new Error("no signature");
  const verifier = new SignedXml({
    publicCert: new X509Certificate(credential.certificate).publicKey,
    getCertFromKeyInfo: () => null,
  });
  verifier.loadSignature(signature as unknown as Parameters<SignedXml["loadSignature"]>[0]);
  return verifier.checkSignature(xml);
}

function elementChildren(xml: string): Element[] {
  const root = new DOMParser().parseFromString(xml, "application/xml").documentElement;
  if (root === null) throw new Error("no root");
  return Array.from(root.childNodes).filter((node): node is Element => node.nodeType === 1);
}

const ISSUED =
  '<p:Req xmlns:p="urn:x" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r1"><saml:Issuer>https://sp.example</saml:Issuer><p:Body>x</p:Body></p:Req>';

describe("signEnveloped", () => {
  it("puts the signature first in the element and references it by #ID with exc-c14n, RSA-SHA256, SHA-256", () => {
    const signed = signEnveloped('<m:E xmlns:m="urn:m" ID="_e1"><m:A>1</m:A></m:E>', credential, "first-child");
    const [first, second] = elementChildren(signed);
    expect(first?.localName).toBe("Signature");
    expect(second?.localName).toBe("A");
    expect(signed).toContain('URI="#_e1"');
    expect(signed).toContain('<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>');
    expect(signed).toContain('<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>');
    expect(signed).toContain('<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>');
    expect(signed).toContain(`<ds:X509Certificate>${Buffer.from(credential.certificate).toString("base64")}`);
    expect(checkWithCertificate(signed)).toBe(true);
  });

  it("places the signature right after Issuer in a protocol message (SAML Core §3.2.1)", () => {
    const signed = signEnveloped(ISSUED, credential, "after-issuer");
    expect(elementChildren(signed).map((element) => element.localName)).toEqual(["Issuer", "Signature", "Body"]);
    expect(checkWithCertificate(signed)).toBe(true);
  });

  it("produces a signature that no longer verifies once the content changes", () => {
    const signed = signEnveloped(ISSUED, credential, "after-issuer");
    expect(checkWithCertificate(signed.replace("<p:Body>x</p:Body>", "<p:Body>y</p:Body>"))).toBe(false);
  });

  it("refuses an element without an ID attribute", () => {
    expect(() => signEnveloped('<m:E xmlns:m="urn:m" entityID="x"/>', credential, "first-child")).toThrow(/ID/);
  });
});

describe("signRedirectQuery", () => {
  it("signs SAMLRequest, RelayState and SigAlg in that order and appends Signature (Bindings §3.4.4.1)", () => {
    const query = signRedirectQuery(
      { parameter: "SAMLRequest", encoded: "ab+/c=", relayState: "r_1-X" },
      credential.privateKey,
    );
    const [signedPart, signature] = query.split("&Signature=");
    expect(signedPart).toBe(`SAMLRequest=ab%2B%2Fc%3D&RelayState=r_1-X&SigAlg=${encodeURIComponent(RSA_SHA256)}`);
    const publicKey = new X509Certificate(credential.certificate).publicKey;
    const bytes = Buffer.from(decodeURIComponent(signature ?? ""), "base64");
    expect(verify("sha256", Buffer.from(signedPart ?? ""), publicKey, bytes)).toBe(true);
    expect(verify("sha256", Buffer.from(`${signedPart}x`), publicKey, bytes)).toBe(false);
  });

  it("leaves RelayState out of the signed string when there is none", () => {
    const query = signRedirectQuery({ parameter: "SAMLResponse", encoded: "AAAA" }, credential.privateKey);
    expect(query.startsWith(`SAMLResponse=AAAA&SigAlg=${encodeURIComponent(RSA_SHA256)}&Signature=`)).toBe(true);
  });

  it.each(["", "x".repeat(81), "è".repeat(41), "a\nb"])("refuses RelayState %j", (relayState) => {
    expect(() =>
      signRedirectQuery({ parameter: "SAMLRequest", encoded: "AA", relayState }, credential.privateKey),
    ).toThrow(/RelayState/);
  });
});

describe("signRedirectQuery with an echoed RelayState", () => {
  it("signs any RelayState of at most 80 bytes, percent-encoded", () => {
    const query = signRedirectQuery(
      { parameter: "SAMLResponse", encoded: "AA", relayState: "stato opaco/1" },
      credential.privateKey,
    );
    expect(query).toContain("RelayState=stato%20opaco%2F1&");
  });
});

describe("samlSigningCredential", () => {
  it("refuses keys that are not RSA of at least 2048 bits", () => {
    const certificate = new Uint8Array();
    for (const pair of [
      generateKeyPairSync("ec", { namedCurve: "P-256" }),
      generateKeyPairSync("rsa", { modulusLength: 1024 }),
    ]) {
      const pkcs8 = new Uint8Array(pair.privateKey.export({ type: "pkcs8", format: "der" }));
      expect(() => samlSigningCredential(pkcs8, certificate)).toThrow(/RSA/);
    }
  });
});

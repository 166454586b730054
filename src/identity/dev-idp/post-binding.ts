import { X509Certificate } from "node:crypto";
import type { Document, Element } from "@xmldom/xmldom";
import { SignedXml } from "xml-crypto";
import { RSA_SHA256, SAML_ASSERTION_NAMESPACE, SAML_PROTOCOL_NAMESPACE } from "../saml/index.js";
import { ENVELOPED_SIGNATURE, EXCLUSIVE_C14N, SHA256, XMLDSIG_NAMESPACE } from "../saml/xml-signature.js";
import { refuse } from "./errors.js";
import {
  checkRelayState,
  decodeBase64,
  decodeUtf8,
  type InboundRequest,
  type RequestKind,
  serviceProviderOf,
} from "./inbound.js";
import type { FindServiceProvider } from "./model.js";
import { childElements, MAX_REQUEST_BYTES, onlyChild, parseRequestXml, parseStrict, textOf } from "./xml-dom.js";

/**
 * The HTTP-POST binding (SAML Bindings §3.5) on the IdP side: the request is base64 in the
 * `SAMLRequest` field and carries an enveloped XML signature (SAML Core §5.4), verified with the
 * SP's certificates only — KeyInfo is ignored — the way reference §5.2 verifies a Response.
 */

const SIGNATURE_METHODS = [RSA_SHA256, "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512"];
const DIGEST_METHODS = [SHA256, "http://www.w3.org/2001/04/xmlenc#sha512"];

export interface PostFields {
  readonly SAMLRequest?: string;
  readonly RelayState?: string;
}

export function readPostRequest(form: PostFields, kind: RequestKind, find: FindServiceProvider): InboundRequest {
  if (form.SAMLRequest === undefined) return refuse("MALFORMED_REQUEST", "SAMLRequest is missing");
  const xml = decodeUtf8(decodeBase64(form.SAMLRequest, MAX_REQUEST_BYTES));
  const doc = parseRequestXml(xml, SAML_PROTOCOL_NAMESPACE, kind);
  const root = doc.documentElement;
  if (root === null) return refuse("MALFORMED_REQUEST", "no document element");
  const sp = serviceProviderOf(root, find);
  const signed = verifyEnvelopedSignature(xml, doc, root, sp.certificates);
  // Everything is read from the signed bytes; their Issuer must be the SP whose key signed them.
  if (textOf(onlyChild(signed, SAML_ASSERTION_NAMESPACE, "Issuer")) !== sp.entityId) {
    return refuse("BAD_SIGNATURE", "the signed request names another Issuer");
  }
  return { request: signed, relayState: checkRelayState(form.RelayState), sp };
}

/**
 * One ds:Signature, a direct child of the request (after Issuer, SAML Core §3.2.1), one Reference
 * to the request's ID (§5.4.2), exclusive c14n and the enveloped transform only (§5.4.3–5.4.4),
 * RSA-SHA256/512. Returns the request re-parsed from the bytes the signature covers.
 */
function verifyEnvelopedSignature(xml: string, doc: Document, root: Element, certificates: readonly Uint8Array[]) {
  const signatures = Array.from(doc.getElementsByTagNameNS(XMLDSIG_NAMESPACE, "Signature"));
  const [signature] = signatures;
  if (signature === undefined) return refuse("UNSIGNED_REQUEST", "the request has no ds:Signature");
  if (signatures.length > 1 || signature.parentNode !== root) {
    return refuse("BAD_SIGNATURE", "the ds:Signature is repeated or not a child of the request");
  }
  checkUniqueIds(doc);
  checkSignedInfo(signature, root);
  for (const certificate of certificates) {
    const signed = signedBytes(xml, signature, certificate);
    if (signed === undefined) continue;
    const element = parseStrict(signed).documentElement;
    if (
      element === null ||
      element.namespaceURI !== root.namespaceURI ||
      element.localName !== root.localName ||
      element.getAttribute("ID") !== root.getAttribute("ID")
    ) {
      return refuse("BAD_SIGNATURE", "the signed bytes are not the request");
    }
    return element;
  }
  return refuse("BAD_SIGNATURE", "the signature does not verify with the SP's certificates");
}

/** xml-crypto resolves `#id` over ID, Id and id alike: all must be unique (signature wrapping). */
function checkUniqueIds(doc: Document): void {
  const seen = new Set<string>();
  for (const element of Array.from(doc.getElementsByTagName("*"))) {
    for (const name of ["ID", "Id", "id"]) {
      const value = element.getAttribute(name);
      if (value === null) continue;
      if (seen.has(value)) refuse("BAD_SIGNATURE", `ID ${value} is used twice`);
      seen.add(value);
    }
  }
}

function algorithmOf(parent: Element | undefined, localName: string): string {
  if (parent === undefined) return "";
  return onlyChild(parent, XMLDSIG_NAMESPACE, localName)?.getAttribute("Algorithm") ?? "";
}

function checkSignedInfo(signature: Element, root: Element): void {
  const signedInfo = onlyChild(signature, XMLDSIG_NAMESPACE, "SignedInfo");
  if (algorithmOf(signedInfo, "CanonicalizationMethod") !== EXCLUSIVE_C14N) {
    refuse("BAD_SIGNATURE", "canonicalization is not exclusive c14n");
  }
  if (!SIGNATURE_METHODS.includes(algorithmOf(signedInfo, "SignatureMethod"))) {
    refuse("BAD_SIGNATURE", "signature method not accepted");
  }
  const references = signedInfo === undefined ? [] : childElements(signedInfo, XMLDSIG_NAMESPACE, "Reference");
  const [reference] = references;
  const id = root.getAttribute("ID") ?? "";
  if (id === "" || reference === undefined || references.length > 1 || reference.getAttribute("URI") !== `#${id}`) {
    refuse("BAD_SIGNATURE", "the signature must reference the request's ID only");
  }
  if (!DIGEST_METHODS.includes(algorithmOf(reference, "DigestMethod"))) {
    refuse("BAD_SIGNATURE", "digest method not accepted");
  }
  const container = onlyChild(reference, XMLDSIG_NAMESPACE, "Transforms");
  const transforms = (container === undefined ? [] : childElements(container, XMLDSIG_NAMESPACE, "Transform")).map(
    (transform) => transform.getAttribute("Algorithm") ?? "",
  );
  const allowed = transforms.every((uri) => uri === ENVELOPED_SIGNATURE || uri === EXCLUSIVE_C14N);
  if (!allowed || !transforms.includes(ENVELOPED_SIGNATURE) || new Set(transforms).size !== transforms.length) {
    refuse("BAD_SIGNATURE", "transforms other than enveloped-signature and exclusive c14n");
  }
}

/** xml-crypto 6 with the key pinned, KeyInfo ignored and the algorithm tables cut to ours. */
function signedBytes(xml: string, signature: Element, certificate: Uint8Array): string | undefined {
  try {
    const verifier = new SignedXml({
      publicCert: new X509Certificate(certificate).publicKey,
      getCertFromKeyInfo: () => null,
    });
    verifier.SignatureAlgorithms = pick(verifier.SignatureAlgorithms, SIGNATURE_METHODS);
    verifier.HashAlgorithms = pick(verifier.HashAlgorithms, DIGEST_METHODS);
    verifier.CanonicalizationAlgorithms = pick(verifier.CanonicalizationAlgorithms, [
      EXCLUSIVE_C14N,
      ENVELOPED_SIGNATURE,
    ]);
    // xml-crypto types its input as lib.dom's Node; @xmldom's Element is the same DOM at run time.
    verifier.loadSignature(signature as unknown as Parameters<SignedXml["loadSignature"]>[0]);
    if (!verifier.checkSignature(xml)) return undefined;
    const signed = verifier.getSignedReferences();
    return signed.length === 1 ? signed[0] : undefined;
  } catch {
    return undefined;
  }
}

function pick<T>(table: Record<string, T>, keys: readonly string[]): Record<string, T> {
  return Object.fromEntries(keys.flatMap((key) => (table[key] === undefined ? [] : [[key, table[key]]])));
}

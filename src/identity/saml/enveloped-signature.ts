import { X509Certificate } from "node:crypto";
import type { Document, Element } from "@xmldom/xmldom";
import { SignedXml } from "xml-crypto";
import { childElements, onlyChild, parseWellFormed, type XmlFault } from "./xml-dom.js";
import { ENVELOPED_SIGNATURE, EXCLUSIVE_C14N, RSA_SHA256, SHA256, XMLDSIG_NAMESPACE } from "./xml-signature.js";

/**
 * Verifying an enveloped XML signature (SAML Core §5.4) the hardened way of reference §5.2, for
 * every reader of signed SAML XML: the ACS (Response and Assertion), the HTTP-POST binding
 * (logout messages, and the development IdP's requests) and the IdP metadata registry. Keys come
 * only from the caller's certificates, never from KeyInfo (GHSA-2xp3-57p7-qf4v); exclusive c14n,
 * RSA-SHA256/512 and SHA-256/512 only; one Reference, to the signed element's own ID; and what
 * the caller reads afterwards is re-parsed from the exact bytes xml-crypto ≥ 6.1 digested
 * (`getSignedReferences`). Each caller refuses with its own error: see {@link RefuseSignature}.
 */

/** RSA PKCS#1 v1.5 with SHA-256 or SHA-512 (RFC 6931 §2.3.2, §2.3.4): no SHA-1, no HMAC (GHSA-c27r-x354-4m68). */
export const SIGNATURE_METHODS: readonly string[] = [RSA_SHA256, "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512"];
/** SHA-256/512 digests (XML Encryption §5.7.2). */
export const DIGEST_METHODS: readonly string[] = [SHA256, "http://www.w3.org/2001/04/xmlenc#sha512"];

/** Why a signature is refused, for the caller to turn into its own error code. */
export type SignatureFault =
  | XmlFault
  /** No ds:Signature where one is required. */
  | "unsigned"
  /** A ds:Signature repeated, or not where it may stand. */
  | "misplaced"
  /** Two elements share an ID, ID, Id or id (xml-crypto resolves `#id` over all three). */
  | "duplicate-id"
  | "signed-info-missing"
  /** Canonicalization, SignatureMethod or DigestMethod not accepted. */
  | "algorithm"
  /** The signed element has no ID to reference. */
  | "no-id"
  /** Not exactly one Reference, to the signed element. */
  | "reference"
  /** Transforms other than enveloped-signature and exclusive c14n, or enveloped-signature missing. */
  | "transforms"
  /** The bytes that verified are not the signed element (signature wrapping). */
  | "not-the-element"
  /** No certificate verifies the signature. */
  | "not-verified";

export type RefuseSignature = (fault: SignatureFault, detail: string) => never;

/** An element re-read from the bytes its signature covers, and those bytes (its Signature removed, canonical). */
export interface SignedElement {
  readonly element: Element;
  readonly xml: string;
}

/** The one ds:Signature of the whole document, a direct child of its root (SAML Core §5.4.1). */
export function rootSignature(doc: Document, root: Element, refuse: RefuseSignature): Element {
  const all = Array.from(doc.getElementsByTagNameNS(XMLDSIG_NAMESPACE, "Signature"));
  const [signature] = all;
  if (signature === undefined) return refuse("unsigned", `the ${root.localName} is not signed`);
  if (all.length > 1 || signature.parentNode !== root) {
    refuse("misplaced", "the only ds:Signature must be a child of the root element");
  }
  return signature;
}

/** xml-crypto resolves `#id` over ID, Id and id alike (signed-xml.js `validateReference`): all must be unique. */
export function checkUniqueIds(doc: Document, refuse: RefuseSignature): void {
  const seen = new Set<string>();
  for (const element of Array.from(doc.getElementsByTagName("*"))) {
    for (const name of ["ID", "Id", "id"]) {
      const value = element.getAttribute(name);
      if (value === null) continue;
      if (seen.has(value)) refuse("duplicate-id", `ID ${value} is used twice`);
      seen.add(value);
    }
  }
}

export interface EnvelopedOptions {
  /** SAML Metadata: a Reference URI "" (the whole document) also designates the root. */
  readonly wholeDocumentReference?: boolean;
}

/**
 * Checks SignedInfo ({@link checkSignedInfo}), then tries each certificate (DER or parsed) and
 * returns `target` as signed, re-parsed from the verified bytes.
 */
export function verifyEnveloped(
  xml: string,
  signature: Element,
  target: Element,
  certificates: readonly (Uint8Array | X509Certificate)[],
  refuse: RefuseSignature,
  options: EnvelopedOptions = {},
): SignedElement {
  checkSignedInfo(signature, target, refuse, options);
  for (const certificate of certificates) {
    const signed = signedBytes(xml, signature, certificate);
    if (signed === undefined) continue;
    const element = parseWellFormed(signed, refuse).documentElement;
    if (
      element.namespaceURI !== target.namespaceURI ||
      element.localName !== target.localName ||
      element.getAttribute("ID") !== target.getAttribute("ID")
    ) {
      return refuse("not-the-element", `the signed bytes are not the ${target.localName}`);
    }
    return { element, xml: signed };
  }
  return refuse("not-verified", `the ${target.localName} signature does not verify with the expected keys`);
}

function algorithmOf(parent: Element | undefined, localName: string, refuse: RefuseSignature): string {
  return onlyChild(parent, XMLDSIG_NAMESPACE, localName, refuse)?.getAttribute("Algorithm") ?? "(none)";
}

/**
 * SAML Core §5.4.1–5.4.4: exclusive c14n, an accepted SignatureMethod, one Reference whose URI is
 * `#` + the target's ID, an accepted digest, and only the enveloped-signature and exc-c14n
 * transforms (no XPath, no XSLT).
 */
export function checkSignedInfo(
  signature: Element,
  target: Element,
  refuse: RefuseSignature,
  options: EnvelopedOptions = {},
): void {
  const signedInfo = onlyChild(signature, XMLDSIG_NAMESPACE, "SignedInfo", refuse);
  if (signedInfo === undefined) refuse("signed-info-missing", "ds:SignedInfo is missing");
  const c14n = algorithmOf(signedInfo, "CanonicalizationMethod", refuse);
  if (c14n !== EXCLUSIVE_C14N) refuse("algorithm", `canonicalization ${c14n}`);
  const method = algorithmOf(signedInfo, "SignatureMethod", refuse);
  if (!SIGNATURE_METHODS.includes(method)) refuse("algorithm", `signature method ${method}`);
  const references = childElements(signedInfo, XMLDSIG_NAMESPACE, "Reference");
  const [reference] = references;
  const uri = reference?.getAttribute("URI");
  const wholeDocument = options.wholeDocumentReference === true && uri === "";
  const id = target.getAttribute("ID") ?? "";
  if (id === "" && !wholeDocument) refuse("no-id", `the ${target.localName} has no ID`);
  if (references.length !== 1 || !(wholeDocument || uri === `#${id}`)) {
    refuse("reference", `the signature must have one Reference, to #${id}`);
  }
  const digest = algorithmOf(reference, "DigestMethod", refuse);
  if (!DIGEST_METHODS.includes(digest)) refuse("algorithm", `digest method ${digest}`);
  checkTransforms(reference, refuse);
}

function checkTransforms(reference: Element | undefined, refuse: RefuseSignature): void {
  const container = onlyChild(reference, XMLDSIG_NAMESPACE, "Transforms", refuse);
  const algorithms = childElements(container, XMLDSIG_NAMESPACE, "Transform").map(
    (transform) => transform.getAttribute("Algorithm") ?? "",
  );
  const allowed = algorithms.every((uri) => uri === ENVELOPED_SIGNATURE || uri === EXCLUSIVE_C14N);
  if (!allowed || new Set(algorithms).size !== algorithms.length) {
    refuse("transforms", `transforms ${algorithms.join(", ") || "(none)"} not accepted`);
  }
  if (!algorithms.includes(ENVELOPED_SIGNATURE)) refuse("transforms", "the enveloped-signature transform is missing");
}

/** xml-crypto ≥ 6.1 hardened: pinned key, KeyInfo ignored, algorithm tables reduced to ours. */
function signedBytes(xml: string, signature: Element, certificate: Uint8Array | X509Certificate): string | undefined {
  try {
    const key = certificate instanceof X509Certificate ? certificate : new X509Certificate(certificate);
    const verifier = new SignedXml({ publicCert: key.publicKey, getCertFromKeyInfo: () => null });
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

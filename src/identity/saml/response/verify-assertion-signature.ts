import { X509Certificate } from "node:crypto";
import type { Document, Element } from "@xmldom/xmldom";
import { SignedXml } from "xml-crypto";
import { refuse } from "./errors.js";
import { DIGEST_METHODS, DS, ENVELOPED_SIGNATURE, EXC_C14N, SAML, SIGNATURE_METHODS } from "./names.js";
import { childElements, onlyChild, parseStrict } from "./parse-response.js";

/** What the signatures cover, re-parsed from the exact bytes xml-crypto digested. */
export interface SignedParts {
  /** The Assertion as signed (its own enveloped signature removed). */
  readonly assertion: Element;
  /** The Response as signed, when the IdP signed it too (SAML Profiles §4.1.3.5 allows either). */
  readonly response: Element | undefined;
}

/**
 * Reference §1.4 "Signatures"/"Wrapping" and §5.2 steps 3–5. The document must hold exactly one
 * Assertion, a direct child of the Response, and no EncryptedAssertion; IDs are unique; a
 * ds:Signature may only be a direct child of the Response or of the Assertion, one each. The
 * Assertion signature is mandatory (SAML Profiles §4.1.3.5, AgID Regole tecniche "Processamento
 * della Response"); a Response signature, when present, must verify too. Keys come only from
 * `certificates` (the IdP's registry metadata), never from KeyInfo (GHSA-2xp3-57p7-qf4v).
 * Counting Assertions in the whole document is what defeats XSW1–XSW8: every wrapping variant
 * needs a second Assertion (or Response) somewhere in the tree.
 */
export function verifySignatures(xml: string, doc: Document, certificates: readonly Uint8Array[]): SignedParts {
  const root = doc.documentElement;
  if (root === null) return refuse("SAML_MALFORMED", "no document element");
  const assertion = theAssertion(doc, root);
  checkUniqueIds(doc);
  checkSignaturePlacement(doc, root, assertion);
  const assertionSignature = childElements(assertion, DS, "Signature")[0];
  if (assertionSignature === undefined) return refuse("SAML_SIGNATURE_MISSING", "the Assertion is not signed");
  const signedAssertion = verifyEnveloped(xml, assertion, assertionSignature, certificates);
  const responseSignature = childElements(root, DS, "Signature")[0];
  const signedResponse =
    responseSignature === undefined ? undefined : verifyEnveloped(xml, root, responseSignature, certificates);
  return { assertion: signedAssertion, response: signedResponse };
}

function theAssertion(doc: Document, root: Element): Element {
  if (doc.getElementsByTagNameNS(SAML, "EncryptedAssertion").length > 0) {
    refuse("SAML_ASSERTION_ENCRYPTED", "EncryptedAssertion is not accepted");
  }
  const all = Array.from(doc.getElementsByTagNameNS(SAML, "Assertion"));
  const [assertion] = all;
  if (assertion === undefined) return refuse("SAML_ASSERTION_MISSING", "the Response carries no Assertion");
  if (all.length > 1) refuse("SAML_ASSERTION_MULTIPLE", `the document carries ${all.length} Assertions`);
  if (assertion.parentNode !== root) refuse("SAML_ASSERTION_MISSING", "the Assertion is not a child of the Response");
  return assertion;
}

/** xml-crypto resolves `#id` over ID, Id and id alike (signed-xml.js `validateReference`). */
function checkUniqueIds(doc: Document): void {
  const seen = new Set<string>();
  for (const element of Array.from(doc.getElementsByTagName("*"))) {
    for (const name of ["ID", "Id", "id"]) {
      const value = element.getAttribute(name);
      if (value === null) continue;
      if (seen.has(value)) refuse("SAML_DUPLICATE_ID", `ID ${value} is used twice`);
      seen.add(value);
    }
  }
}

function checkSignaturePlacement(doc: Document, root: Element, assertion: Element): void {
  const signatures = Array.from(doc.getElementsByTagNameNS(DS, "Signature"));
  for (const signature of signatures) {
    if (signature.parentNode !== root && signature.parentNode !== assertion) {
      refuse("SAML_SIGNATURE_MISPLACED", "a ds:Signature is neither in the Response nor in the Assertion");
    }
  }
  if (childElements(root, DS, "Signature").length > 1 || childElements(assertion, DS, "Signature").length > 1) {
    refuse("SAML_SIGNATURE_MISPLACED", "an element carries more than one ds:Signature");
  }
}

function algorithmOf(parent: Element | undefined, localName: string): string | undefined {
  if (parent === undefined) return undefined;
  return onlyChild(parent, DS, localName)?.getAttribute("Algorithm") ?? undefined;
}

/**
 * SAML Core §5.4.1–5.4.4: one Reference whose URI is `#` + the signed element's ID, exclusive
 * c14n, the enveloped-signature transform, nothing else (no XPath, no XSLT: the "xslt" case).
 */
function checkSignedInfo(signature: Element, target: Element): void {
  const signedInfo = onlyChild(signature, DS, "SignedInfo");
  if (signedInfo === undefined) refuse("SAML_SIGNATURE_INVALID", "ds:SignedInfo is missing");
  const c14n = algorithmOf(signedInfo, "CanonicalizationMethod");
  if (c14n !== EXC_C14N) refuse("SAML_SIGNATURE_ALGORITHM_FORBIDDEN", `canonicalization ${c14n ?? "(none)"}`);
  const method = algorithmOf(signedInfo, "SignatureMethod") ?? "(none)";
  if (!(SIGNATURE_METHODS as readonly string[]).includes(method)) {
    refuse("SAML_SIGNATURE_ALGORITHM_FORBIDDEN", `signature method ${method}`);
  }
  const references = childElements(signedInfo, DS, "Reference");
  const [reference] = references;
  const id = target.getAttribute("ID") ?? "";
  if (id === "") refuse("SAML_ID_INVALID", `${target.localName} has no ID`);
  if (reference === undefined || references.length > 1 || reference.getAttribute("URI") !== `#${id}`) {
    refuse("SAML_SIGNATURE_REFERENCE_INVALID", `the signature must reference #${id} only`);
  }
  const digest = algorithmOf(reference, "DigestMethod") ?? "(none)";
  if (!(DIGEST_METHODS as readonly string[]).includes(digest)) {
    refuse("SAML_SIGNATURE_ALGORITHM_FORBIDDEN", `digest method ${digest}`);
  }
  checkTransforms(reference);
}

function checkTransforms(reference: Element): void {
  const container = onlyChild(reference, DS, "Transforms");
  const transforms = container === undefined ? [] : childElements(container, DS, "Transform");
  const algorithms = transforms.map((transform) => transform.getAttribute("Algorithm") ?? "");
  const allowed = algorithms.every((uri) => uri === ENVELOPED_SIGNATURE || uri === EXC_C14N);
  if (!allowed || algorithms.length > 2 || new Set(algorithms).size !== algorithms.length) {
    refuse("SAML_SIGNATURE_TRANSFORM_FORBIDDEN", `transforms ${algorithms.join(", ") || "(none)"} not accepted`);
  }
  if (!algorithms.includes(ENVELOPED_SIGNATURE)) {
    refuse("SAML_SIGNATURE_TRANSFORM_FORBIDDEN", "the enveloped-signature transform is missing");
  }
}

/** Tries each registry certificate; returns the target re-parsed from the signed bytes. */
function verifyEnveloped(xml: string, target: Element, signature: Element, certificates: readonly Uint8Array[]) {
  checkSignedInfo(signature, target);
  for (const certificate of certificates) {
    const signed = checkWith(xml, signature, certificate);
    if (signed === undefined) continue;
    const element = parseStrict(signed).documentElement;
    if (
      element === null ||
      element.namespaceURI !== target.namespaceURI ||
      element.localName !== target.localName ||
      element.getAttribute("ID") !== target.getAttribute("ID")
    ) {
      return refuse("SAML_SIGNATURE_REFERENCE_INVALID", `the signed bytes are not the ${target.localName}`);
    }
    return element;
  }
  return refuse("SAML_SIGNATURE_INVALID", `the ${target.localName} signature does not verify with the IdP keys`);
}

/** xml-crypto ≥6.1 hardened: pinned key, KeyInfo ignored, algorithm tables reduced to ours. */
function checkWith(xml: string, signature: Element, certificate: Uint8Array): string | undefined {
  const verifier = new SignedXml({
    publicCert: new X509Certificate(certificate).publicKey,
    getCertFromKeyInfo: () => null,
  });
  verifier.SignatureAlgorithms = pick(verifier.SignatureAlgorithms, SIGNATURE_METHODS);
  verifier.HashAlgorithms = pick(verifier.HashAlgorithms, DIGEST_METHODS);
  verifier.CanonicalizationAlgorithms = pick(verifier.CanonicalizationAlgorithms, [EXC_C14N, ENVELOPED_SIGNATURE]);
  try {
    // xml-crypto types its input as lib.dom's Node; @xmldom's Element is the same DOM at run time.
    verifier.loadSignature(signature as unknown as Parameters<SignedXml["loadSignature"]>[0]);
    if (!verifier.checkSignature(xml)) return undefined;
  } catch {
    return undefined;
  }
  const signed = verifier.getSignedReferences();
  return signed.length === 1 ? signed[0] : undefined;
}

function pick<T>(table: Record<string, T>, keys: readonly string[]): Record<string, T> {
  return Object.fromEntries(keys.flatMap((key) => (table[key] === undefined ? [] : [[key, table[key]]])));
}

import { X509Certificate } from "node:crypto";
import type { Document, Element } from "@xmldom/xmldom";
import { SignedXml } from "xml-crypto";
import { certificateFromBase64, type NormalizedPin, sha256Hex } from "./certificate-bytes.js";
import { TrustedListError } from "./errors.js";
import { XMLDSIG_NAMESPACE as DS } from "./model.js";
import { childElements, descendant } from "./xml.js";
import {
  CANONICALIZATIONS,
  DIGEST_ALGORITHMS,
  ENVELOPED_SIGNATURE_TRANSFORM,
  SIGNATURE_ALGORITHMS,
} from "./xml-algorithms.js";

/**
 * ETSI TS 119 612 §5.7 (and Annex B): a trusted list is signed with one enveloped XML signature
 * (`ds:Signature`, last child of `TrustServiceStatusList`) whose Reference URI="" with the
 * enveloped-signature transform covers the whole list; XAdES adds a second Reference to its
 * SignedProperties, inside the signature. Anything else is refused before any data is read, and
 * the data is then read only from what was signed (the canonical XML xml-crypto digested), never
 * from the received DOM: that is what defeats signature wrapping.
 */
export interface VerifiedSignature {
  /** Canonical XML of the document element as signed, without the signature. */
  readonly signedXml: string;
  readonly signerCertificate: Uint8Array;
}

export function verifyListSignature(text: string, doc: Document, pins: readonly NormalizedPin[]): VerifiedSignature {
  const signature = findEnvelopedSignature(doc);
  checkSignedInfo(signature, doc);
  const candidates = signerCandidates(signature, pins);
  let lastFailure: unknown;
  for (const certificate of candidates) {
    try {
      return { signedXml: checkWith(text, signature, certificate), signerCertificate: certificate };
    } catch (cause) {
      if (cause instanceof TrustedListError) throw cause;
      lastFailure = cause;
    }
  }
  throw new TrustedListError("TRUSTED_LIST_SIGNATURE_INVALID", "trusted list signature does not verify", {
    cause: lastFailure,
  });
}

function notEnveloped(message: string): TrustedListError {
  return new TrustedListError("TRUSTED_LIST_SIGNATURE_NOT_ENVELOPED", message);
}

function unsupported(what: string, uri: string | null): TrustedListError {
  return new TrustedListError(
    "TRUSTED_LIST_SIGNATURE_ALGORITHM_UNSUPPORTED",
    `${what} ${uri ?? "(none)"} not accepted`,
  );
}

function findEnvelopedSignature(doc: Document): Element {
  const signatures = Array.from(doc.getElementsByTagNameNS(DS, "Signature"));
  const [signature] = signatures;
  if (signature === undefined) {
    throw new TrustedListError("TRUSTED_LIST_SIGNATURE_MISSING", "trusted list is not signed");
  }
  if (signatures.length > 1) throw notEnveloped("trusted list carries more than one ds:Signature");
  if (signature.parentNode !== doc.documentElement) {
    throw notEnveloped("ds:Signature is not a child of TrustServiceStatusList");
  }
  return signature;
}

function algorithmOf(parent: Element, localName: string): string | null {
  return childElements(parent, DS, localName)[0]?.getAttribute("Algorithm") ?? null;
}

function checkSignedInfo(signature: Element, doc: Document): void {
  const signedInfos = childElements(signature, DS, "SignedInfo");
  const [signedInfo] = signedInfos;
  if (signedInfo === undefined || signedInfos.length > 1) throw notEnveloped("ds:SignedInfo missing or repeated");
  const signatureMethod = algorithmOf(signedInfo, "SignatureMethod");
  if (signatureMethod === null || !(signatureMethod in SIGNATURE_ALGORITHMS)) {
    throw unsupported("signature method", signatureMethod);
  }
  const c14n = algorithmOf(signedInfo, "CanonicalizationMethod");
  if (c14n === null || !CANONICALIZATIONS.has(c14n)) throw unsupported("canonicalization", c14n);
  const references = Array.from(signedInfo.childNodes).filter(
    (node): node is Element => node.nodeType === 1 && (node as Element).localName === "Reference",
  );
  let wholeDocument = 0;
  for (const reference of references) {
    if (reference.namespaceURI !== DS) throw notEnveloped("a Reference outside the XMLDSig namespace");
    checkReferenceAlgorithms(reference);
    if (!reference.hasAttribute("URI") || reference.getAttribute("URI") === "") {
      checkWholeDocumentReference(reference);
      wholeDocument += 1;
    } else {
      checkInnerReference(reference, signature, doc);
    }
  }
  if (wholeDocument !== 1) throw notEnveloped(`${wholeDocument} references cover the whole document, expected 1`);
}

function transformsOf(reference: Element): string[] {
  const transforms = childElements(reference, DS, "Transforms")[0];
  if (transforms === undefined) return [];
  return childElements(transforms, DS, "Transform").map((t) => t.getAttribute("Algorithm") ?? "");
}

function checkReferenceAlgorithms(reference: Element): void {
  const digest = algorithmOf(reference, "DigestMethod");
  if (digest === null || !(digest in DIGEST_ALGORITHMS)) throw unsupported("digest method", digest);
  for (const transform of transformsOf(reference)) {
    if (transform !== ENVELOPED_SIGNATURE_TRANSFORM && !CANONICALIZATIONS.has(transform)) {
      throw unsupported("transform", transform);
    }
  }
}

function checkWholeDocumentReference(reference: Element): void {
  if (reference.getAttribute("URI") !== "") throw notEnveloped('the document Reference must have URI=""');
  if (!transformsOf(reference).includes(ENVELOPED_SIGNATURE_TRANSFORM)) {
    throw notEnveloped("the document Reference lacks the enveloped-signature transform");
  }
}

/** A same-document reference other than URI="" may only point inside the signature (XAdES). */
function checkInnerReference(reference: Element, signature: Element, doc: Document): void {
  const uri = reference.getAttribute("URI") ?? "";
  if (!uri.startsWith("#")) throw notEnveloped(`Reference URI ${uri} is not same-document`);
  const id = uri.slice(1);
  const targets = Array.from(doc.getElementsByTagName("*")).filter((element) =>
    ["Id", "ID", "id"].some((name) => element.getAttribute(name) === id),
  );
  const [target] = targets;
  if (target === undefined || targets.length > 1 || !isInside(target, signature)) {
    throw notEnveloped(`Reference ${uri} does not point to one element inside the signature`);
  }
}

function isInside(node: Element, ancestor: Element): boolean {
  for (let current = node.parentNode; current !== null; current = current.parentNode) {
    if (current === ancestor) return true;
  }
  return false;
}

/**
 * The certificates to verify with: those in KeyInfo that match a pin; when KeyInfo carries no
 * certificate, the pinned certificates themselves. Never KeyInfo alone.
 */
function signerCandidates(signature: Element, pins: readonly NormalizedPin[]): Uint8Array[] {
  const x509Data = descendant(signature, DS, "KeyInfo", "X509Data");
  const embedded = x509Data === undefined ? [] : childElements(x509Data, DS, "X509Certificate");
  if (embedded.length === 0) {
    const pinned = pins.flatMap((pin) => (pin.certificate === undefined ? [] : [pin.certificate]));
    if (pinned.length > 0) return pinned;
  }
  const pinned = new Set(pins.map((pin) => pin.sha256));
  const matching = embedded
    .map((element) => certificateFromBase64(element.textContent ?? ""))
    .filter((der): der is Uint8Array => der !== undefined && pinned.has(sha256Hex(der)));
  if (matching.length === 0) {
    throw new TrustedListError(
      "TRUSTED_LIST_SIGNER_UNTRUSTED",
      "the trusted list is signed by a certificate that is not a configured expected signer",
    );
  }
  return matching;
}

/** xml-crypto with our algorithm allowlist, the pinned key, and KeyInfo ignored for the key. */
function checkWith(text: string, signature: Element, certificate: Uint8Array): string {
  const verifier = new SignedXml({
    publicCert: new X509Certificate(certificate).publicKey,
    getCertFromKeyInfo: () => null,
  });
  verifier.SignatureAlgorithms = SIGNATURE_ALGORITHMS;
  verifier.HashAlgorithms = DIGEST_ALGORITHMS;
  // xml-crypto types its input as lib.dom's Node; @xmldom's Element is the same DOM at run time.
  verifier.loadSignature(signature as unknown as Parameters<SignedXml["loadSignature"]>[0]);
  if (!verifier.checkSignature(text)) throw new Error("a reference digest does not match");
  const whole = verifier.getReferences().filter((reference) => reference.uri === "");
  const signed = whole[0]?.signedReference;
  if (whole.length !== 1 || signed === undefined) throw notEnveloped("the signed document reference was not found");
  return signed;
}

import { X509Certificate } from "node:crypto";
import type { Document, Element } from "@xmldom/xmldom";
import { SignedXml } from "xml-crypto";
import { children, type LogoutFailure, parseSamlDocument, refusalAsFailure, refuseLogout } from "./logout.js";
import { DEFAULT_MAX_MESSAGE_BYTES, decodeBase64 } from "./redirect-binding.js";
import { ENVELOPED_SIGNATURE, EXCLUSIVE_C14N, XMLDSIG_NAMESPACE } from "./xml-signature.js";

/**
 * The HTTP-POST binding's receiving side for protocol messages whose one signature is on the root
 * (SAML Bindings §3.5.4–3.5.5.2, SAML Core §5.4; the logout messages of single-logout.rst).
 * Reference §5.2: one strict parse, a fixed algorithm list, keys only from the IdP metadata, and
 * the result read from the exact bytes xml-crypto verified (getSignedReferences), nothing else.
 */

/** RSA PKCS#1 v1.5 with SHA-256 or SHA-512 (RFC 6931 §2.3.2, §2.3.4): what xml-crypto 6 offers above SHA-1. */
const SIGNATURE_METHODS = [
  "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
  "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
];
/** XML Encryption §5.7.2 */
const DIGEST_METHODS = ["http://www.w3.org/2001/04/xmlenc#sha256", "http://www.w3.org/2001/04/xmlenc#sha512"];

export type PostReading = { ok: true; xml: string } | LogoutFailure;

/**
 * Decodes the `SAMLRequest`/`SAMLResponse` form field (base64, not deflated: Bindings §3.5.4),
 * verifies the enveloped signature on the root element with one of `certificates` (DER), and
 * returns the root as signed — without its Signature, exclusive-canonicalised. Never throws for
 * bad input.
 */
export function readPostMessage(
  base64: string,
  certificates: readonly Uint8Array[],
  options: { readonly maxBytes?: number } = {},
): PostReading {
  return refusalAsFailure(() => {
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    const compact = base64.replace(/[\r\n\t ]/g, "");
    if (compact.length > Math.ceil(maxBytes / 3) * 4)
      refuseLogout("SAML_TOO_LARGE", `the message is over ${maxBytes} bytes`);
    const bytes = decodeBase64(compact);
    if (bytes === undefined) refuseLogout("SAML_BAD_ENCODING", "the message is not base64");
    let xml: string;
    try {
      xml = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      return refuseLogout("SAML_BAD_ENCODING", "the message is not UTF-8");
    }
    const doc = parseSamlDocument(xml);
    const root = doc.documentElement as Element;
    const signature = rootSignature(doc, root);
    checkUniqueIds(doc);
    checkSignedInfo(signature, root);
    return { ok: true as const, xml: verifiedRoot(xml, root, signature, certificates) };
  });
}

/** The one ds:Signature of the message, a direct child of the root (SAML Core §5.4.1). */
function rootSignature(doc: Document, root: Element): Element {
  const all = Array.from(doc.getElementsByTagNameNS(XMLDSIG_NAMESPACE, "Signature"));
  const [signature] = all;
  if (signature === undefined) return refuseLogout("SAML_UNSIGNED", `the ${root.localName} is not signed`);
  if (all.length > 1 || signature.parentNode !== root) {
    refuseLogout("SAML_SIGNATURE_MISPLACED", "the only ds:Signature must be a child of the root element");
  }
  return signature;
}

/** xml-crypto resolves `#id` over ID, Id and id alike: a second element with the root's ID could be what it digests. */
function checkUniqueIds(doc: Document): void {
  const seen = new Set<string>();
  for (const element of Array.from(doc.getElementsByTagName("*"))) {
    for (const name of ["ID", "Id", "id"]) {
      const value = element.getAttribute(name);
      if (value === null) continue;
      if (seen.has(value)) refuseLogout("SAML_DUPLICATE_ID", `ID ${value} is used twice`);
      seen.add(value);
    }
  }
}

function algorithmOf(parent: Element | undefined, localName: string): string {
  const found = children(parent, XMLDSIG_NAMESPACE, localName);
  if (found.length > 1) refuseLogout("SAML_MALFORMED", `ds:${localName} is repeated`);
  return found[0]?.getAttribute("Algorithm") ?? "(none)";
}

/**
 * SAML Core §5.4.2–5.4.4: exclusive c14n, an allowed SignatureMethod, one Reference whose URI is
 * `#` + the root's ID, an allowed digest, and only the enveloped-signature and exc-c14n transforms
 * (no XPath, no XSLT).
 */
function checkSignedInfo(signature: Element, root: Element): void {
  const signedInfos = children(signature, XMLDSIG_NAMESPACE, "SignedInfo");
  const signedInfo = signedInfos[0];
  if (signedInfos.length !== 1) refuseLogout("SAML_MALFORMED", "ds:SignedInfo is missing or repeated");
  const c14n = algorithmOf(signedInfo, "CanonicalizationMethod");
  if (c14n !== EXCLUSIVE_C14N) refuseLogout("SAML_SIGNATURE_ALGORITHM_FORBIDDEN", `canonicalization ${c14n}`);
  const method = algorithmOf(signedInfo, "SignatureMethod");
  if (!SIGNATURE_METHODS.includes(method))
    refuseLogout("SAML_SIGNATURE_ALGORITHM_FORBIDDEN", `signature method ${method}`);
  const references = children(signedInfo, XMLDSIG_NAMESPACE, "Reference");
  const reference = references[0];
  const id = root.getAttribute("ID") ?? "";
  if (id === "") refuseLogout("SAML_ID_INVALID", `the ${root.localName} has no ID`);
  if (references.length !== 1 || reference?.getAttribute("URI") !== `#${id}`) {
    refuseLogout("SAML_SIGNATURE_REFERENCE_INVALID", `the signature must reference #${id} only`);
  }
  const digest = algorithmOf(reference, "DigestMethod");
  if (!DIGEST_METHODS.includes(digest)) refuseLogout("SAML_SIGNATURE_ALGORITHM_FORBIDDEN", `digest method ${digest}`);
  const containers = children(reference, XMLDSIG_NAMESPACE, "Transforms");
  const transforms = children(containers[0], XMLDSIG_NAMESPACE, "Transform").map(
    (t) => t.getAttribute("Algorithm") ?? "",
  );
  const allowed = transforms.every((uri) => uri === ENVELOPED_SIGNATURE || uri === EXCLUSIVE_C14N);
  if (containers.length > 1 || !allowed || new Set(transforms).size !== transforms.length) {
    refuseLogout("SAML_SIGNATURE_REFERENCE_INVALID", `transforms ${transforms.join(", ") || "(none)"} not accepted`);
  }
  if (!transforms.includes(ENVELOPED_SIGNATURE)) {
    refuseLogout("SAML_SIGNATURE_REFERENCE_INVALID", "the enveloped-signature transform is missing");
  }
}

/** Tries each metadata certificate; returns the root re-read from the bytes that were verified. */
function verifiedRoot(xml: string, root: Element, signature: Element, certificates: readonly Uint8Array[]): string {
  for (const certificate of certificates) {
    const signed = signedBytes(xml, signature, certificate);
    if (signed === undefined) continue;
    const element = parseSamlDocument(signed).documentElement;
    if (
      element?.namespaceURI !== root.namespaceURI ||
      element?.localName !== root.localName ||
      element?.getAttribute("ID") !== root.getAttribute("ID")
    ) {
      return refuseLogout("SAML_SIGNATURE_REFERENCE_INVALID", `the signed bytes are not the ${root.localName}`);
    }
    return signed;
  }
  return refuseLogout("SAML_BAD_SIGNATURE", `the ${root.localName} signature does not verify with the IdP keys`);
}

/** xml-crypto ≥6.1 hardened (GHSA-2xp3-57p7-qf4v): pinned key, KeyInfo ignored, algorithm tables reduced. */
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

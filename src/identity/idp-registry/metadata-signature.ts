/**
 * The enveloped signature on a metadata document's root (SAML Metadata §3, SAML Core §5.4), checked
 * the hardened way of reference §5.2: keys only from the configured signer certificates (never
 * KeyInfo, GHSA-2xp3-57p7-qf4v), exclusive c14n, RSA-SHA256/512 and SHA-256/512 only, and what is
 * read afterwards comes from `getSignedReferences()`, re-parsed (xml-crypto ≥ 6.1).
 */
import { X509Certificate } from "node:crypto";
import type { Document, Element } from "@xmldom/xmldom";
import { SignedXml } from "xml-crypto";
import { attributeOf, childElements, DS, MetadataRefused, metadataRoot, parseStrictXml } from "./metadata-xml.js";

const EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#";
const ENVELOPED_SIGNATURE = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
/** RFC 6931 §2.3.2, §2.3.4: no SHA-1, no HMAC (GHSA-c27r-x354-4m68). */
const SIGNATURE_METHODS = [
  "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
  "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
];
/** XML Encryption §5.7.2 */
const DIGEST_METHODS = ["http://www.w3.org/2001/04/xmlenc#sha256", "http://www.w3.org/2001/04/xmlenc#sha512"];

/** Every CERTIFICATE block of a PEM text; throws when there is none or one does not parse. */
export function signerCertificates(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new Error("signerPem holds no PEM certificate");
  return blocks.map((block) => new X509Certificate(block));
}

/**
 * Verifies the one ds:Signature child of the document element and returns that element as signed
 * (re-parsed from the bytes xml-crypto digested). Refuses unsigned, wrongly signed or wrapped
 * documents: the signature must be a direct child of the root and reference the root itself.
 */
export function verifyMetadataSignature(xml: string, doc: Document, signers: readonly X509Certificate[]): Element {
  const root = metadataRoot(doc);
  const signatures = childElements(root, DS, "Signature");
  const [signature] = signatures;
  if (signature === undefined) throw new MetadataRefused("metadata is not signed");
  if (signatures.length > 1) throw new MetadataRefused("metadata root carries more than one ds:Signature");
  checkSignedInfo(signature, root);
  for (const signer of signers) {
    const signed = checkWith(xml, signature, signer);
    if (signed === undefined) continue;
    const element = parseStrictXml(signed).documentElement;
    if (
      element === null ||
      element.namespaceURI !== root.namespaceURI ||
      element.localName !== root.localName ||
      element.getAttribute("ID") !== root.getAttribute("ID")
    ) {
      throw new MetadataRefused("the signed bytes are not the metadata root");
    }
    return element;
  }
  throw new MetadataRefused("metadata signature does not verify with the configured signer certificate");
}

function algorithmOf(parent: Element | undefined, localName: string): string | undefined {
  if (parent === undefined) return undefined;
  const found = childElements(parent, DS, localName);
  if (found.length > 1) throw new MetadataRefused(`ds:${localName} is repeated`);
  return found[0]?.getAttribute("Algorithm") ?? undefined;
}

/**
 * SAML Core §5.4.1–5.4.4: one Reference, to the root (`#ID`, or `""` = the whole document), exclusive
 * c14n, the enveloped-signature transform and nothing else.
 */
function checkSignedInfo(signature: Element, root: Element): void {
  const signedInfos = childElements(signature, DS, "SignedInfo");
  const [signedInfo] = signedInfos;
  if (signedInfo === undefined || signedInfos.length > 1)
    throw new MetadataRefused("ds:SignedInfo is missing or repeated");
  const c14n = algorithmOf(signedInfo, "CanonicalizationMethod");
  if (c14n !== EXC_C14N) throw new MetadataRefused(`metadata signature canonicalization ${c14n ?? "(none)"} refused`);
  const method = algorithmOf(signedInfo, "SignatureMethod") ?? "(none)";
  if (!SIGNATURE_METHODS.includes(method)) throw new MetadataRefused(`metadata signature method ${method} refused`);
  const references = childElements(signedInfo, DS, "Reference");
  const [reference] = references;
  const id = attributeOf(root, "ID");
  const uri = reference?.getAttribute("URI");
  if (reference === undefined || references.length > 1 || !(uri === "" || (id !== undefined && uri === `#${id}`))) {
    throw new MetadataRefused("metadata signature must have one Reference to the document element");
  }
  const digest = algorithmOf(reference, "DigestMethod") ?? "(none)";
  if (!DIGEST_METHODS.includes(digest)) throw new MetadataRefused(`metadata digest method ${digest} refused`);
  const transforms = childElements(reference, DS, "Transforms").flatMap((list) => childElements(list, DS, "Transform"));
  const algorithms = transforms.map((transform) => transform.getAttribute("Algorithm") ?? "");
  if (
    !algorithms.includes(ENVELOPED_SIGNATURE) ||
    algorithms.length > 2 ||
    new Set(algorithms).size !== algorithms.length ||
    !algorithms.every((algorithm) => algorithm === ENVELOPED_SIGNATURE || algorithm === EXC_C14N)
  ) {
    throw new MetadataRefused(`metadata signature transforms ${algorithms.join(", ") || "(none)"} refused`);
  }
}

/** xml-crypto ≥ 6.1 hardened: pinned key, KeyInfo ignored, algorithm tables reduced to ours. */
function checkWith(xml: string, signature: Element, signer: X509Certificate): string | undefined {
  const verifier = new SignedXml({ publicCert: signer.publicKey, getCertFromKeyInfo: () => null });
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

/**
 * The enveloped signature on a metadata document's root (SAML Metadata §3, SAML Core §5.4), checked
 * the hardened way of reference §5.2: keys only from the configured signer certificates (never
 * KeyInfo, GHSA-2xp3-57p7-qf4v), exclusive c14n, RSA-SHA256/512 and SHA-256/512 only, and what is
 * read afterwards comes from `getSignedReferences()`, re-parsed (xml-crypto ≥ 6.1).
 */
import { X509Certificate } from "node:crypto";
import type { Document, Element } from "@xmldom/xmldom";
import { type SignatureFault, verifyEnveloped } from "../saml/enveloped-signature.js";
import { childElements } from "../saml/xml-dom.js";
import { DS, MetadataRefused, metadataRoot } from "./metadata-xml.js";

/** The shared signature checks' refusals as MetadataRefused, in the metadata's words. */
const FAULT_MESSAGES: Record<SignatureFault, (detail: string) => string> = {
  dtd: (detail) => `metadata: ${detail}`,
  "not-well-formed": (detail) => `metadata: ${detail}`,
  "processing-instruction": (detail) => `metadata: ${detail}`,
  repeated: (detail) => `metadata signature: ${detail}`,
  unsigned: () => "metadata is not signed",
  misplaced: () => "metadata root carries more than one ds:Signature",
  "duplicate-id": (detail) => `metadata: ${detail}`,
  "signed-info-missing": () => "ds:SignedInfo is missing or repeated",
  algorithm: (detail) => `metadata ${detail} refused`,
  "no-id": () => "metadata signature must have one Reference to the document element",
  reference: () => "metadata signature must have one Reference to the document element",
  transforms: (detail) => `metadata signature ${detail}`,
  "not-the-element": () => "the signed bytes are not the metadata root",
  "not-verified": () => "metadata signature does not verify with the configured signer certificate",
};

function refuseSignature(fault: SignatureFault, detail: string): never {
  throw new MetadataRefused(FAULT_MESSAGES[fault](detail));
}

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
  if (signature === undefined) return refuseSignature("unsigned", "no ds:Signature");
  if (signatures.length > 1) refuseSignature("misplaced", "ds:Signature repeated");
  return verifyEnveloped(xml, signature, root, signers, refuseSignature, { wholeDocumentReference: true }).element;
}

/** A fetched metadata document → the IdPs of one source, with its signature checked when required. */
import type { X509Certificate } from "node:crypto";
import { withoutBom } from "../saml/xml-dom.js";
import { verifyMetadataSignature } from "./metadata-signature.js";
import { metadataRoot, parseMetadataXml } from "./metadata-xml.js";
import type { Federation, ParsedIdpMetadata } from "./model.js";
import { readIdpMetadata } from "./parse-idp-metadata.js";

export interface MetadataExpectation {
  readonly federation: Federation;
  /** When set, the document must carry a root signature by one of these (reference §1.8, §5.2). */
  readonly signers: readonly X509Certificate[] | undefined;
}

/**
 * Throws when the document is refused (not metadata, DOCTYPE, signature missing or invalid) or
 * describes no usable IdP: a source that yields nothing usable must not replace a good copy.
 */
export function interpretMetadata(xml: string, expected: MetadataExpectation, now: Date): ParsedIdpMetadata {
  const text = withoutBom(xml);
  const doc = parseMetadataXml(text);
  const root =
    expected.signers === undefined ? metadataRoot(doc) : verifyMetadataSignature(text, doc, expected.signers);
  const parsed = readIdpMetadata(root, expected.federation, now);
  if (parsed.idps.length === 0) {
    throw new Error(`metadata describes no usable IdP (${parsed.skipped.length} skipped)`);
  }
  return parsed;
}

/**
 * Strict XML reading for SAML metadata, the same way the ACS reads a Response
 * (`saml/response/parse-response.ts`, reference §5.2 steps 1–2): no DTD, one parser, every parser
 * warning or error is a refusal, no processing instruction but the XML declaration.
 */
import type { Document, Element } from "@xmldom/xmldom";
import { SAML_METADATA_NAMESPACE } from "../saml/index.js";
import { attributeOf, parseStrictXml, type RefuseXml, textOf, type XmlFault } from "../saml/xml-dom.js";

export const MD = SAML_METADATA_NAMESPACE;
export const DS = "http://www.w3.org/2000/09/xmldsig#";
/** SAML V2.0 Metadata Extensions for Login and Discovery User Interface v1.0 §2 */
export const MDUI = "urn:oasis:names:tc:SAML:metadata:ui";
export const XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace";

/** Thrown when a document is not SAML metadata we are willing to read. */
export class MetadataRefused extends Error {
  override readonly name = "MetadataRefused";
}

/** The strict reader's refusals (`saml/xml-dom.ts`) as MetadataRefused, with the metadata's words. */
export const refuseMetadataXml: RefuseXml = (fault, detail) => {
  throw new MetadataRefused(XML_FAULT_MESSAGES[fault](detail));
};

const XML_FAULT_MESSAGES: Record<XmlFault, (detail: string) => string> = {
  dtd: () => "metadata declares a DTD (DOCTYPE is refused)",
  "not-well-formed": (detail) => `metadata: ${detail}`,
  "processing-instruction": () => "metadata carries a processing instruction",
  repeated: (detail) => `metadata: ${detail}`,
};

/**
 * Parses a metadata document whose root must be md:EntitiesDescriptor or md:EntityDescriptor
 * (SAML Metadata §2.3.1, §2.3.2), strictly (`saml/xml-dom.ts`: no DTD, no processing instruction).
 */
export function parseMetadataXml(xml: string): Document {
  const doc = parseStrictXml(xml, refuseMetadataXml);
  metadataRoot(doc);
  return doc;
}

/** The document element, when it is md:EntitiesDescriptor or md:EntityDescriptor. */
export function metadataRoot(doc: Document): Element {
  const root = doc.documentElement;
  if (
    root === null ||
    root.namespaceURI !== MD ||
    !["EntitiesDescriptor", "EntityDescriptor"].includes(root.localName ?? "")
  ) {
    const name = root === null ? "(none)" : `{${root.namespaceURI ?? ""}}${root.localName}`;
    throw new MetadataRefused(`not SAML metadata: the document element is ${name}`);
  }
  return root;
}

/**
 * Text with runs of whitespace folded to one space, or undefined when empty (`textContent`, never
 * `firstChild.nodeValue`: a comment inside the element would otherwise truncate the value).
 */
export function foldedTextOf(element: Element | undefined): string | undefined {
  return textOf(element)?.replace(/\s+/g, " ");
}

/** A trimmed attribute value, or undefined when absent or empty. */
export function trimmedAttributeOf(element: Element, name: string): string | undefined {
  return attributeOf(element, name)?.trim() || undefined;
}

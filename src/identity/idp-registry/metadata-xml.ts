/**
 * Strict XML reading for SAML metadata, the same way the ACS reads a Response
 * (`saml/response/parse-response.ts`, reference §5.2 steps 1–2): no DTD, one parser, every parser
 * warning or error is a refusal, no processing instruction but the XML declaration.
 */
import { DOMParser, type Document, type Element, type Node } from "@xmldom/xmldom";
import { SAML_METADATA_NAMESPACE } from "../saml/index.js";

export const MD = SAML_METADATA_NAMESPACE;
export const DS = "http://www.w3.org/2000/09/xmldsig#";
/** SAML V2.0 Metadata Extensions for Login and Discovery User Interface v1.0 §2 */
export const MDUI = "urn:oasis:names:tc:SAML:metadata:ui";
export const XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace";

const ELEMENT = 1;
const PROCESSING_INSTRUCTION = 7;

/** Thrown when a document is not SAML metadata we are willing to read. */
export class MetadataRefused extends Error {
  override readonly name = "MetadataRefused";
}

/**
 * Parses a metadata document whose root must be md:EntitiesDescriptor or md:EntityDescriptor
 * (SAML Metadata §2.3.1, §2.3.2). SAML metadata never needs a DTD; a DTD is how XXE and entity
 * expansion get in, so `<!DOCTYPE` / `<!ENTITY` are refused before the parser sees the text.
 */
export function parseMetadataXml(xml: string): Document {
  const text = withoutBom(xml);
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new MetadataRefused("metadata declares a DTD (DOCTYPE is refused)");
  const doc = parseStrictXml(text);
  for (let node: Node | null = doc.firstChild; node !== null; node = node.nextSibling) {
    if (node.nodeType === PROCESSING_INSTRUCTION && node.nodeName !== "xml") {
      throw new MetadataRefused("metadata carries a processing instruction");
    }
  }
  metadataRoot(doc);
  if (hasInnerProcessingInstruction(doc.documentElement)) {
    throw new MetadataRefused("metadata carries a processing instruction");
  }
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

/** Parses well-formed XML (also xml-crypto's canonical output), throwing on any parser report. */
export function parseStrictXml(text: string): Document {
  let doc: Document;
  try {
    doc = new DOMParser({
      locator: false,
      onError: (_level, message) => {
        throw new Error(message);
      },
    }).parseFromString(text, "text/xml");
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : "parse error";
    throw new MetadataRefused(`metadata is not well-formed XML: ${detail}`, { cause });
  }
  if (doc.documentElement === null) throw new MetadataRefused("metadata has no document element");
  return doc;
}

export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function hasInnerProcessingInstruction(element: Element | null): boolean {
  if (element === null) return false;
  for (let node: Node | null = element.firstChild; node !== null; node = node.nextSibling) {
    if (node.nodeType === PROCESSING_INSTRUCTION) return true;
    if (node.nodeType === ELEMENT && hasInnerProcessingInstruction(node as Element)) return true;
  }
  return false;
}

/** Element children of `parent` in this namespace with this local name, in document order. */
export function childElements(parent: Element, namespace: string, localName: string): Element[] {
  const found: Element[] = [];
  for (let node: Node | null = parent.firstChild; node !== null; node = node.nextSibling) {
    if (node.nodeType !== ELEMENT) continue;
    const element = node as Element;
    if (element.namespaceURI === namespace && element.localName === localName) found.push(element);
  }
  return found;
}

/** Every element child, in document order. */
export function elementChildren(parent: Element): Element[] {
  const found: Element[] = [];
  for (let node: Node | null = parent.firstChild; node !== null; node = node.nextSibling) {
    if (node.nodeType === ELEMENT) found.push(node as Element);
  }
  return found;
}

/**
 * Text with runs of whitespace folded to one space, or undefined when empty. `textContent`, never
 * `firstChild.nodeValue`: a comment inside the element would otherwise truncate the value.
 */
export function textOf(element: Element | undefined): string | undefined {
  const text = element?.textContent?.replace(/\s+/g, " ").trim();
  return text === undefined || text === "" ? undefined : text;
}

/** A trimmed attribute value, or undefined when absent or empty. */
export function attributeOf(element: Element, name: string): string | undefined {
  const value = element.getAttribute(name)?.trim();
  return value === undefined || value === "" ? undefined : value;
}

import { DOMParser, type Document, type Element, type Node } from "@xmldom/xmldom";
import { refuse } from "./errors.js";

/**
 * Reading the SAML requests an SP sends (reference §5.2 steps 1–2, applied to the IdP side): one
 * parser, errors and warnings fatal, no DTD (XXE and entity expansion), no processing instructions.
 */

/** An AuthnRequest or LogoutRequest is a couple of kilobytes. */
export const MAX_REQUEST_BYTES = 64 * 1024;

const ELEMENT = 1;
const PROCESSING_INSTRUCTION = 7;

/** Parses `xml` and checks that its document element is `namespace`:`localName`. */
export function parseRequestXml(xml: string, namespace: string, localName: string): Document {
  if (Buffer.byteLength(xml, "utf8") > MAX_REQUEST_BYTES) refuse("MALFORMED_REQUEST", "request too large");
  const text = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) refuse("MALFORMED_REQUEST", "the request declares a DTD");
  const doc = parseStrict(text);
  for (let node: Node | null = doc.firstChild; node !== null; node = node.nextSibling) {
    if (node.nodeType === PROCESSING_INSTRUCTION && node.nodeName !== "xml") {
      refuse("MALFORMED_REQUEST", "the request carries a processing instruction");
    }
  }
  const root = doc.documentElement;
  if (root === null || hasProcessingInstruction(root)) refuse("MALFORMED_REQUEST", "processing instruction");
  if (root.namespaceURI !== namespace || root.localName !== localName) {
    refuse("MALFORMED_REQUEST", `the document element is not ${localName}`);
  }
  return doc;
}

/** Parses well-formed XML or refuses it (also used on xml-crypto's signed output). */
export function parseStrict(text: string): Document {
  let doc: Document;
  try {
    doc = new DOMParser({
      locator: false,
      onError: (_level, message) => {
        throw new Error(message);
      },
    }).parseFromString(text, "application/xml");
  } catch {
    return refuse("MALFORMED_REQUEST", "not well-formed XML");
  }
  if (doc.documentElement === null) refuse("MALFORMED_REQUEST", "no document element");
  return doc;
}

function hasProcessingInstruction(element: Element): boolean {
  for (let node: Node | null = element.firstChild; node !== null; node = node.nextSibling) {
    if (node.nodeType === PROCESSING_INSTRUCTION) return true;
    if (node.nodeType === ELEMENT && hasProcessingInstruction(node as Element)) return true;
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

/** The one child with this name, undefined when absent; a repeated one is malformed. */
export function onlyChild(parent: Element, namespace: string, localName: string): Element | undefined {
  const found = childElements(parent, namespace, localName);
  if (found.length > 1) refuse("MALFORMED_REQUEST", `${localName} is repeated`);
  return found[0];
}

/** Trimmed `textContent` (never `firstChild.nodeValue`: a comment would truncate it), undefined when empty. */
export function textOf(element: Element | undefined): string | undefined {
  const text = element?.textContent?.trim();
  return text === undefined || text === "" ? undefined : text;
}

/** An attribute value, undefined when absent. */
export function attributeOf(element: Element, name: string): string | undefined {
  return element.hasAttribute(name) ? (element.getAttribute(name) ?? "") : undefined;
}

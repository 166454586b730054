import { DOMParser, type Document, type Element, type Node } from "@xmldom/xmldom";

/**
 * The one strict XML reader of the SAML layer (reference §5.2 steps 1–2) and the DOM helpers every
 * reader shares: the ACS Response validator, the logout bindings, the IdP metadata registry and
 * the development IdP. A DTD is how XXE and entity expansion get in and SAML messages and metadata
 * never need one (SAML Core §1.3, Bindings §3.5), so `<!DOCTYPE`/`<!ENTITY` are refused before the
 * parser sees the text; every parser warning or error is a refusal; no processing instruction but
 * the XML declaration. Each caller refuses with its own error: see {@link RefuseXml}.
 */

/** Why the strict reader refuses a document. */
export type XmlFault = "dtd" | "not-well-formed" | "processing-instruction" | "repeated";

/** Throws the caller's own error for `fault` (a response code, a logout code, MetadataRefused…). */
export type RefuseXml = (fault: XmlFault, detail: string) => never;

const ELEMENT = 1;
const PROCESSING_INSTRUCTION = 7;

/** A parsed document whose document element is known to exist. */
export type StrictDocument = Document & { readonly documentElement: Element };

/**
 * Parses `xml` (a leading BOM is dropped): no DTD, no parser report, no processing instruction
 * but the XML declaration. The root is not checked: that is each caller's business.
 */
export function parseStrictXml(xml: string, refuse: RefuseXml): StrictDocument {
  const text = withoutBom(xml);
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) refuse("dtd", "the document declares a DTD");
  const doc = parseWellFormed(text, refuse);
  for (let node: Node | null = doc.firstChild; node !== null; node = node.nextSibling) {
    if (node.nodeType === PROCESSING_INSTRUCTION && node.nodeName !== "xml") {
      refuse("processing-instruction", "the document carries a processing instruction");
    }
  }
  if (hasInnerProcessingInstruction(doc.documentElement)) {
    refuse("processing-instruction", "the document carries a processing instruction");
  }
  return doc;
}

/** Parses well-formed XML (also xml-crypto's canonical output), refusing on any parser report. */
export function parseWellFormed(text: string, refuse: RefuseXml): StrictDocument {
  let doc: Document;
  try {
    doc = new DOMParser({
      locator: false,
      onError: (_level, message) => {
        throw new Error(message);
      },
    }).parseFromString(text, "application/xml");
  } catch (cause) {
    return refuse("not-well-formed", `not well-formed XML: ${cause instanceof Error ? cause.message : "parse error"}`);
  }
  if (doc.documentElement === null) refuse("not-well-formed", "no document element");
  return doc as StrictDocument;
}

export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function hasInnerProcessingInstruction(element: Element): boolean {
  for (let node: Node | null = element.firstChild; node !== null; node = node.nextSibling) {
    if (node.nodeType === PROCESSING_INSTRUCTION) return true;
    if (node.nodeType === ELEMENT && hasInnerProcessingInstruction(node as Element)) return true;
  }
  return false;
}

/** Element children of `parent` in this namespace with this local name, in document order. */
export function childElements(parent: Element | undefined, namespace: string, localName: string): Element[] {
  const found: Element[] = [];
  for (let node: Node | null = parent?.firstChild ?? null; node !== null; node = node.nextSibling) {
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

/** The one child with this name, undefined when absent; a repeated one is refused ("repeated"). */
export function onlyChild(
  parent: Element | undefined,
  namespace: string,
  localName: string,
  refuse: RefuseXml,
): Element | undefined {
  const found = childElements(parent, namespace, localName);
  if (found.length > 1) refuse("repeated", `${localName} is repeated in ${parent?.localName}`);
  return found[0];
}

/**
 * Trimmed text, or undefined when missing or empty. `textContent`, never `firstChild.nodeValue`:
 * a comment inside NameID would otherwise truncate the value (the 2018 "comment truncation" CVEs).
 */
export function textOf(element: Element | undefined): string | undefined {
  const text = element?.textContent?.trim();
  return text === undefined || text === "" ? undefined : text;
}

/** An attribute value, or undefined when absent (an empty value is returned as ""). */
export function attributeOf(element: Element, name: string): string | undefined {
  return element.hasAttribute(name) ? (element.getAttribute(name) ?? "") : undefined;
}

import { DOMParser, type Document, type Element, type Node } from "@xmldom/xmldom";
import { refuse } from "./errors.js";
import { SAMLP } from "./names.js";

/** A SPID Response is a few kilobytes; 256 KiB leaves room for long attribute sets. */
export const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * The `SAMLResponse` form field of the HTTP-POST binding (SAML Bindings §3.5.4): base64 of the
 * XML, line breaks allowed. Refuses anything over `maxBytes` before decoding further.
 */
export function decodeSamlResponse(field: string, maxBytes = DEFAULT_MAX_RESPONSE_BYTES): string {
  const compact = field.replace(/[\r\n\t ]/g, "");
  if (compact.length > Math.ceil(maxBytes / 3) * 4) refuse("SAML_TOO_LARGE", `SAMLResponse is over ${maxBytes} bytes`);
  if (compact === "" || compact.length % 4 !== 0 || !BASE64.test(compact)) {
    refuse("SAML_MALFORMED", "SAMLResponse is not base64");
  }
  const bytes = Buffer.from(compact, "base64");
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return refuse("SAML_MALFORMED", "SAMLResponse is not UTF-8");
  }
}

/**
 * Parses the Response once, with one parser (reference §5.2 steps 1–2). No DTD at all: a DTD is
 * how XXE and entity expansion get in, and SAML messages never carry one (SAML Core §1.3, the
 * schema forbids none, but SAML Bindings §3.5 and every SPID IdP send none). Every parser warning
 * or error is a refusal; processing instructions other than the XML declaration are refused.
 */
export function parseResponseXml(xml: string, maxBytes = DEFAULT_MAX_RESPONSE_BYTES): Document {
  if (Buffer.byteLength(xml, "utf8") > maxBytes) refuse("SAML_TOO_LARGE", `Response is over ${maxBytes} bytes`);
  const text = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) refuse("SAML_DTD_FORBIDDEN", "Response declares a DTD");
  const doc = parseStrict(text);
  for (let node: Node | null = doc.firstChild; node !== null; node = node.nextSibling) {
    if (node.nodeType === PROCESSING_INSTRUCTION && node.nodeName !== "xml") {
      refuse("SAML_MALFORMED", "Response carries a processing instruction");
    }
  }
  if (hasInnerProcessingInstruction(doc.documentElement)) {
    refuse("SAML_MALFORMED", "Response carries a processing instruction");
  }
  const root = doc.documentElement;
  if (root === null || root.namespaceURI !== SAMLP || root.localName !== "Response") {
    refuse("SAML_NOT_A_RESPONSE", "the document element is not samlp:Response");
  }
  return doc;
}

/** Parses XML that must be well-formed (also xml-crypto's canonical output), throwing on any issue. */
export function parseStrict(text: string): Document {
  let doc: Document;
  try {
    doc = new DOMParser({
      locator: false,
      onError: (_level, message) => {
        throw new Error(message);
      },
    }).parseFromString(text, "application/xml");
  } catch (cause) {
    return refuse("SAML_MALFORMED", `not well-formed XML: ${cause instanceof Error ? cause.message : "parse error"}`);
  }
  if (doc.documentElement === null) refuse("SAML_MALFORMED", "no document element");
  return doc;
}

const ELEMENT = 1;
const PROCESSING_INSTRUCTION = 7;

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

/** The one child with this name; undefined when absent; refused as malformed when repeated. */
export function onlyChild(parent: Element, namespace: string, localName: string): Element | undefined {
  const found = childElements(parent, namespace, localName);
  if (found.length > 1) refuse("SAML_MALFORMED", `${localName} is repeated in ${parent.localName}`);
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

import { DOMParser, type Document, type Element } from "@xmldom/xmldom";
import { TrustedListError } from "./errors.js";

/**
 * Bytes → text → DOM, refusing what a trusted list never contains. No DTD at all: a DTD is how
 * external entities (XXE) and entity expansion ("billion laughs") get in, and TS 119 612 lists
 * declare none. xmldom resolves no external resource either way; refusing the DTD up front makes
 * that independent of the parser's defaults.
 */
export function decodeXml(bytes: Uint8Array | string, maxBytes: number): string {
  const size = typeof bytes === "string" ? Buffer.byteLength(bytes, "utf8") : bytes.byteLength;
  if (size > maxBytes) {
    throw new TrustedListError("TRUSTED_LIST_TOO_LARGE", `trusted list is ${size} bytes, over the ${maxBytes} limit`);
  }
  let text: string;
  try {
    text = typeof bytes === "string" ? bytes : new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new TrustedListError("TRUSTED_LIST_MALFORMED", "trusted list is not UTF-8", { cause });
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
    throw new TrustedListError("TRUSTED_LIST_MALFORMED", "trusted list declares a DTD, which is not allowed");
  }
  return text;
}

/** Parses XML, turning every parser error (not only fatal ones) into TRUSTED_LIST_MALFORMED. */
export function parseXml(text: string, what: string): Document {
  try {
    const doc = new DOMParser({
      locator: false,
      onError: (level, message) => {
        if (level !== "warning") throw new Error(message);
      },
    }).parseFromString(text, "application/xml");
    if (doc.documentElement === null) throw new Error("no document element");
    return doc;
  } catch (cause) {
    throw new TrustedListError("TRUSTED_LIST_MALFORMED", `${what} is not well-formed XML`, { cause });
  }
}

const ELEMENT_NODE = 1;

/** The element children of `parent` with this namespace and local name, in document order. */
export function childElements(parent: Element, namespace: string, localName: string): Element[] {
  const found: Element[] = [];
  for (let node = parent.firstChild; node !== null; node = node.nextSibling) {
    if (node.nodeType !== ELEMENT_NODE) continue;
    const element = node as Element;
    if (element.namespaceURI === namespace && element.localName === localName) found.push(element);
  }
  return found;
}

/** Follows a path of child elements (first match at each step). */
export function descendant(parent: Element, namespace: string, ...path: string[]): Element | undefined {
  let current: Element | undefined = parent;
  for (const localName of path) {
    if (current === undefined) return undefined;
    current = childElements(current, namespace, localName)[0];
  }
  return current;
}

/** Trimmed text content, or undefined when the element is missing or empty. */
export function textOf(element: Element | undefined): string | undefined {
  const text = element?.textContent?.trim();
  return text === undefined || text === "" ? undefined : text;
}

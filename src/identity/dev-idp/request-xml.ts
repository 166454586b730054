import type { Element } from "@xmldom/xmldom";
import { onlyChild as onlyChildOf, parseStrictXml, type RefuseXml, type StrictDocument } from "../saml/xml-dom.js";
import { refuse } from "./errors.js";

/**
 * Reading the SAML requests an SP sends (reference §5.2 steps 1–2, applied to the IdP side) with
 * the SAML layer's strict reader (`saml/xml-dom.ts`: no DTD, no processing instruction, parser
 * reports fatal); every refusal is MALFORMED_REQUEST.
 */

/** An AuthnRequest or LogoutRequest is a couple of kilobytes. */
export const MAX_REQUEST_BYTES = 64 * 1024;

export const refuseRequestXml: RefuseXml = (_fault, detail) => refuse("MALFORMED_REQUEST", detail);

/** Parses `xml` and checks that its document element is `namespace`:`localName`. */
export function parseRequestXml(xml: string, namespace: string, localName: string): StrictDocument {
  if (Buffer.byteLength(xml, "utf8") > MAX_REQUEST_BYTES) refuse("MALFORMED_REQUEST", "request too large");
  const doc = parseStrictXml(xml, refuseRequestXml);
  const root = doc.documentElement;
  if (root.namespaceURI !== namespace || root.localName !== localName) {
    refuse("MALFORMED_REQUEST", `the document element is not ${localName}`);
  }
  return doc;
}

/** The one child with this name, undefined when absent; a repeated one is malformed. */
export function onlyChild(parent: Element, namespace: string, localName: string): Element | undefined {
  return onlyChildOf(parent, namespace, localName, refuseRequestXml);
}

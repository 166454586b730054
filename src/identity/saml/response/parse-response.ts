import type { Document, Element } from "@xmldom/xmldom";
import { onlyChild as onlyChildOf, parseStrictXml, type XmlFault } from "../xml-dom.js";
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
 * Parses the Response once, with one parser (reference §5.2 steps 1–2, `../xml-dom.ts`): no DTD,
 * every parser warning or error a refusal, no processing instruction but the XML declaration.
 */
export function parseResponseXml(xml: string, maxBytes = DEFAULT_MAX_RESPONSE_BYTES): Document {
  if (Buffer.byteLength(xml, "utf8") > maxBytes) refuse("SAML_TOO_LARGE", `Response is over ${maxBytes} bytes`);
  const doc = parseStrictXml(xml, refuseXml);
  const root = doc.documentElement;
  if (root.namespaceURI !== SAMLP || root.localName !== "Response") {
    refuse("SAML_NOT_A_RESPONSE", "the document element is not samlp:Response");
  }
  return doc;
}

/** The strict reader's refusals as Response failure codes. */
export function refuseXml(fault: XmlFault, detail: string): never {
  return refuse(fault === "dtd" ? "SAML_DTD_FORBIDDEN" : "SAML_MALFORMED", detail);
}

/** The one child with this name; undefined when absent; refused as malformed when repeated. */
export function onlyChild(parent: Element, namespace: string, localName: string): Element | undefined {
  return onlyChildOf(parent, namespace, localName, refuseXml);
}

import type { KeyObject } from "node:crypto";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { readRedirectMessage, signRedirectQuery } from "../saml/index.js";
import { refuse } from "./errors.js";
import { decodeBase64, decodeUtf8, type InboundRequest, type RequestKind, readVerifiedRequest } from "./inbound.js";
import type { FindServiceProvider } from "./model.js";
import { MAX_REQUEST_BYTES } from "./request-xml.js";

/**
 * The HTTP-Redirect binding (SAML Bindings §3.4) on the IdP side: reading a signed request from
 * the query string and sending a signed response back the same way.
 */

/**
 * SAML Bindings §3.4.4.1: the query signature, over the octets exactly as they arrived, is
 * verified by the SAML layer's `readRedirectMessage` with the certificates of the SP the request
 * names. `rawQuery` is the query string without `?`, as received.
 */
export function readRedirectRequest(rawQuery: string, kind: RequestKind, find: FindServiceProvider): InboundRequest {
  if (rawQuery.length > MAX_REQUEST_BYTES * 2) refuse("MALFORMED_REQUEST", "query string too long");
  const samlRequest = new URLSearchParams(rawQuery).get("SAMLRequest");
  if (samlRequest === null) return refuse("MALFORMED_REQUEST", "SAMLRequest is missing");
  return readVerifiedRequest(inflateRequest(samlRequest), kind, find, (certificates) =>
    readRedirectMessage(rawQuery, "SAMLRequest", certificates, { maxBytes: MAX_REQUEST_BYTES }),
  );
}

/** SAML Bindings §3.4.4.1: base64, then DEFLATE (raw, RFC 1951), capped while inflating. */
function inflateRequest(encoded: string): string {
  const deflated = decodeBase64(encoded, MAX_REQUEST_BYTES);
  let inflated: Buffer;
  try {
    inflated = inflateRawSync(deflated, { maxOutputLength: MAX_REQUEST_BYTES });
  } catch {
    return refuse("MALFORMED_REQUEST", "SAMLRequest is not DEFLATE data or is too large");
  }
  return decodeUtf8(inflated);
}

/**
 * SAML Bindings §3.4.4: a response sent back by redirect: DEFLATE, base64, and the query
 * signature of §3.4.4.1 (no XML signature inside). Returns the URL for the 302 Location.
 */
export function redirectResponseUrl(
  destination: string,
  xml: string,
  relayState: string | undefined,
  privateKey: KeyObject,
): string {
  const encoded = deflateRawSync(Buffer.from(xml, "utf8")).toString("base64");
  const query = signRedirectQuery({ parameter: "SAMLResponse", encoded, relayState }, privateKey);
  return `${destination}${destination.includes("?") ? "&" : "?"}${query}`;
}

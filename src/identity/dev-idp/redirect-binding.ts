import { type KeyObject, verify, X509Certificate } from "node:crypto";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import type { Element } from "@xmldom/xmldom";
import { RSA_SHA256, SAML_PROTOCOL_NAMESPACE, signRedirectQuery } from "../saml/index.js";
import { refuse } from "./errors.js";
import {
  checkRelayState,
  decodeBase64,
  decodeUtf8,
  type InboundRequest,
  type RequestKind,
  serviceProviderOf,
} from "./inbound.js";
import type { FindServiceProvider } from "./model.js";
import { MAX_REQUEST_BYTES, parseRequestXml } from "./xml-dom.js";

/**
 * The HTTP-Redirect binding (SAML Bindings §3.4) on the IdP side: reading a signed request from
 * the query string and sending a signed response back the same way.
 */

/** RFC 6931 §2.3.2 and §2.3.4: the query signature algorithms accepted (no SHA-1, reference §5.1). */
const QUERY_SIGNATURE_DIGESTS: Readonly<Record<string, string>> = {
  [RSA_SHA256]: "sha256",
  "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512": "sha512",
};

/**
 * SAML Bindings §3.4.4.1: the signature covers `SAMLRequest=…&RelayState=…&SigAlg=…` exactly as
 * the octets arrived (URL-encoded, never re-encoded: encoders disagree), in that order whatever
 * the order of the query. `rawQuery` is the query string without `?`, as received.
 */
export function readRedirectRequest(rawQuery: string, kind: RequestKind, find: FindServiceProvider): InboundRequest {
  const raw = rawParameters(rawQuery);
  const samlRequest = raw.get("SAMLRequest");
  if (samlRequest === undefined) return refuse("MALFORMED_REQUEST", "SAMLRequest is missing");
  const sigAlg = raw.get("SigAlg");
  const signature = raw.get("Signature");
  if (sigAlg === undefined || signature === undefined) return refuse("UNSIGNED_REQUEST", "no query signature");
  const relayState = raw.get("RelayState");
  const request = inflateRequest(samlRequest, kind);
  const sp = serviceProviderOf(request, find);
  const digest = QUERY_SIGNATURE_DIGESTS[formDecode(sigAlg)];
  if (digest === undefined) return refuse("BAD_SIGNATURE", "SigAlg is not RSA-SHA256 or RSA-SHA512");
  const signedOctets = Buffer.from(
    [
      `SAMLRequest=${samlRequest}`,
      ...(relayState === undefined ? [] : [`RelayState=${relayState}`]),
      `SigAlg=${sigAlg}`,
    ].join("&"),
    "utf8",
  );
  const signatureBytes = decodeBase64(formDecode(signature).replace(/ /g, "+"), 1024);
  if (!sp.certificates.some((certificate) => verifies(digest, signedOctets, certificate, signatureBytes))) {
    return refuse("BAD_SIGNATURE", "the query signature does not verify with the SP's certificates");
  }
  return {
    request,
    relayState: checkRelayState(relayState === undefined ? undefined : formDecode(relayState)),
    sp,
  };
}

/** Raw `name=value` pairs, values left URL-encoded; a repeated parameter is ambiguous and refused. */
function rawParameters(query: string): Map<string, string> {
  if (query.length > MAX_REQUEST_BYTES * 2) refuse("MALFORMED_REQUEST", "query string too long");
  const parameters = new Map<string, string>();
  for (const pair of query.split("&")) {
    if (pair === "") continue;
    const equals = pair.indexOf("=");
    const name = formDecode(equals < 0 ? pair : pair.slice(0, equals));
    if (parameters.has(name)) refuse("MALFORMED_REQUEST", `${name} is repeated`);
    parameters.set(name, equals < 0 ? "" : pair.slice(equals + 1));
  }
  return parameters;
}

/** application/x-www-form-urlencoded decoding (`+` is a space). */
function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    return refuse("MALFORMED_REQUEST", "bad URL encoding");
  }
}

/** SAML Bindings §3.4.4.1: base64, then DEFLATE (raw, RFC 1951), capped while inflating. */
function inflateRequest(encoded: string, kind: RequestKind): Element {
  // A `+` sent unencoded became a space in form decoding; base64 has no spaces, so put it back.
  const deflated = decodeBase64(formDecode(encoded).replace(/ /g, "+"), MAX_REQUEST_BYTES);
  let inflated: Buffer;
  try {
    inflated = inflateRawSync(deflated, { maxOutputLength: MAX_REQUEST_BYTES });
  } catch {
    return refuse("MALFORMED_REQUEST", "SAMLRequest is not DEFLATE data or is too large");
  }
  const root = parseRequestXml(decodeUtf8(inflated), SAML_PROTOCOL_NAMESPACE, kind).documentElement;
  if (root === null) return refuse("MALFORMED_REQUEST", "no document element");
  return root;
}

function verifies(digest: string, data: Buffer, certificate: Uint8Array, signature: Buffer): boolean {
  try {
    return verify(digest, data, new X509Certificate(certificate).publicKey, signature);
  } catch {
    return false;
  }
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

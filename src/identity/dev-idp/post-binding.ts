import { readPostMessage } from "../saml/index.js";
import { refuse } from "./errors.js";
import { decodeBase64, decodeUtf8, type InboundRequest, type RequestKind, readVerifiedRequest } from "./inbound.js";
import type { FindServiceProvider } from "./model.js";
import { MAX_REQUEST_BYTES } from "./request-xml.js";

/**
 * The HTTP-POST binding (SAML Bindings §3.5) on the IdP side: the request is base64 in the
 * `SAMLRequest` field and carries an enveloped XML signature (SAML Core §5.4), verified by the SAML
 * layer's `readPostMessage` with the SP's certificates only — KeyInfo is ignored — the way
 * reference §5.2 verifies a Response.
 */

export interface PostFields {
  readonly SAMLRequest?: string;
  readonly RelayState?: string;
}

export function readPostRequest(form: PostFields, kind: RequestKind, find: FindServiceProvider): InboundRequest {
  const field = form.SAMLRequest;
  if (field === undefined) return refuse("MALFORMED_REQUEST", "SAMLRequest is missing");
  const xml = decodeUtf8(decodeBase64(field, MAX_REQUEST_BYTES));
  return readVerifiedRequest(xml, kind, find, (certificates) => {
    const reading = readPostMessage(field, certificates, { maxBytes: MAX_REQUEST_BYTES });
    return reading.ok ? { ...reading, relayState: form.RelayState } : reading;
  });
}

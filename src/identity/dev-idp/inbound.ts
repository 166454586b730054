import type { Element } from "@xmldom/xmldom";
import {
  type LogoutFailure,
  type LogoutFailureCode,
  SAML_ASSERTION_NAMESPACE,
  SAML_PROTOCOL_NAMESPACE,
} from "../saml/index.js";
import { textOf } from "../saml/xml-dom.js";
import { type DevIdpErrorCode, refuse } from "./errors.js";
import type { DevIdpServiceProvider, FindServiceProvider } from "./model.js";
import { onlyChild, parseRequestXml } from "./request-xml.js";

/** The two requests an SP sends the IdP (SAML Core §3.4.1 and §3.7.1). */
export type RequestKind = "AuthnRequest" | "LogoutRequest";

/** A request whose signature verified with the keys of the SP named in its Issuer. */
export interface InboundRequest {
  /** The request element; with HTTP-POST, re-parsed from the bytes the signature covers. */
  readonly request: Element;
  readonly relayState: string | undefined;
  readonly sp: DevIdpServiceProvider;
}

/** What a binding's reader from `saml/` returns: the XML as verified, or why it was refused. */
export type BindingReading = { ok: true; xml: string; relayState?: string | undefined } | LogoutFailure;

/**
 * The request of either binding: the SP is the one the (not yet verified) request names as its
 * Issuer (SAML Core §3.2.1); `verify` checks the binding's signature with that SP's certificates
 * only (`readRedirectMessage`, `readPostMessage`), and everything is then read from the verified
 * XML — whose Issuer must still be that SP.
 */
export function readVerifiedRequest(
  xml: string,
  kind: RequestKind,
  find: FindServiceProvider,
  verify: (certificates: readonly Uint8Array[]) => BindingReading,
): InboundRequest {
  const sp = serviceProviderOf(parseRequestXml(xml, SAML_PROTOCOL_NAMESPACE, kind).documentElement, find);
  const reading = verify(sp.certificates);
  if (!reading.ok) return refuse(devIdpCodeOf(reading.code), reading.message);
  const request = parseRequestXml(reading.xml, SAML_PROTOCOL_NAMESPACE, kind).documentElement;
  if (textOf(onlyChild(request, SAML_ASSERTION_NAMESPACE, "Issuer")) !== sp.entityId) {
    return refuse("BAD_SIGNATURE", "the signed request names another Issuer");
  }
  return { request, relayState: checkRelayState(reading.relayState), sp };
}

/** The binding readers' signature refusals; their other refusals are about the encoding or the XML. */
const SIGNATURE_FAILURES: readonly LogoutFailureCode[] = [
  "SAML_SIGNATURE_ALGORITHM_FORBIDDEN",
  "SAML_SIGNATURE_MISPLACED",
  "SAML_SIGNATURE_REFERENCE_INVALID",
  "SAML_DUPLICATE_ID",
  "SAML_ID_INVALID",
  "SAML_BAD_SIGNATURE",
];

function devIdpCodeOf(code: LogoutFailureCode): DevIdpErrorCode {
  if (code === "SAML_UNSIGNED") return "UNSIGNED_REQUEST";
  return SIGNATURE_FAILURES.includes(code) ? "BAD_SIGNATURE" : "MALFORMED_REQUEST";
}

/** SAML Bindings §3.4.3 and §3.5.3: RelayState is at most 80 bytes. */
const MAX_RELAY_STATE_BYTES = 80;

/**
 * The SP named by the request's Issuer (SAML Core §3.2.1; the SPID AuthnRequest has exactly one,
 * reference §1.3). Its certificates are the only keys the request may be signed with.
 */
export function serviceProviderOf(request: Element, find: FindServiceProvider): DevIdpServiceProvider {
  const issuer = textOf(onlyChild(request, SAML_ASSERTION_NAMESPACE, "Issuer"));
  if (issuer === undefined) return refuse("MALFORMED_REQUEST", "the request has no Issuer");
  const sp = find(issuer);
  if (sp === undefined || sp.entityId !== issuer) return refuse("UNKNOWN_SERVICE_PROVIDER", `unknown SP ${issuer}`);
  return sp;
}

export function checkRelayState(relayState: string | undefined): string | undefined {
  if (relayState === undefined || relayState === "") return undefined;
  if (Buffer.byteLength(relayState, "utf8") > MAX_RELAY_STATE_BYTES) {
    refuse("MALFORMED_REQUEST", "RelayState is longer than 80 bytes");
  }
  return relayState;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Base64 of a form field (line breaks allowed, SAML Bindings §3.5.4), capped before decoding. */
export function decodeBase64(field: string, maxBytes: number): Buffer {
  const compact = field.replace(/[\r\n\t ]/g, "");
  if (compact.length > Math.ceil(maxBytes / 3) * 4) refuse("MALFORMED_REQUEST", "the message is too large");
  if (compact === "" || compact.length % 4 !== 0 || !BASE64.test(compact)) {
    refuse("MALFORMED_REQUEST", "the message is not base64");
  }
  return Buffer.from(compact, "base64");
}

export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return refuse("MALFORMED_REQUEST", "the message is not UTF-8");
  }
}

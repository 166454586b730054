import { createHash, randomBytes } from "node:crypto";
import { deflateRawSync } from "node:zlib";
import {
  ENTITY_NAME_ID_FORMAT,
  SAML_ASSERTION_NAMESPACE,
  SAML_PROTOCOL_NAMESPACE,
  type SpidLevel,
  spidLevelUri,
  TRANSIENT_NAME_ID_FORMAT,
} from "./saml-names.js";
import { RELAY_STATE_PATTERN, type SamlSigningCredential, signEnveloped, signRedirectQuery } from "./xml-signature.js";
import { attributes, escapeAttribute, textElement } from "./xml-text.js";

/**
 * The SPID/CIE AuthnRequest (SAML Core §3.4.1, AgID "Regole tecniche" single-sign-on.rst with
 * Avvisi 5 and 11) and the two bindings that carry it to the IdP: HTTP-Redirect with the query
 * signature (SAML Bindings §3.4.4.1) and HTTP-POST with an enveloped signature (Bindings §3.5).
 */

export interface AuthnRequestOptions {
  /** The SP entityID: Issuer text and NameQualifier. */
  readonly spEntityId: string;
  /** The IdP SingleSignOnService Location of the binding used (Avviso 11; CIE requires it). */
  readonly destination: string;
  readonly level: SpidLevel;
  /** single-sign-on.rst allows exact|minimum|better|maximum; we send minimum unless told. */
  readonly comparison?: "minimum" | "exact";
  /** Index of an AssertionConsumerService in our metadata (default 0, the default ACS). */
  readonly assertionConsumerServiceIndex?: number;
  /** Index of an AttributeConsumingService in our metadata (default 0). */
  readonly attributeConsumingServiceIndex?: number;
  readonly issueInstant: Date;
  /** Defaults to {@link newSamlId}. */
  readonly id?: string;
}

export interface AuthnRequest {
  /** Kept server-side to match the Response's InResponseTo. */
  readonly id: string;
  /** As written in the request, for the Response time checks (`>=`). */
  readonly issueInstant: string;
  readonly destination: string;
  /** Unsigned XML, no XML declaration. */
  readonly xml: string;
}

/** An xs:ID that never starts with a digit (single-sign-on.rst): `_` and 160 random bits in hex. */
export function newSamlId(): string {
  return `_${randomBytes(20).toString("hex")}`;
}

/** An opaque RelayState (single-sign-on.rst: present, not intelligible): 192 random bits, base64url. */
export function newRelayState(): string {
  return randomBytes(24).toString("base64url");
}

/**
 * SAML Core §3.4.1. ForceAuthn="true" for SpidL2/L3; no IsPassive; ACS by index (not URL and
 * binding); NameIDPolicy transient without AllowCreate (Avviso 5); Issuer with Format entity and
 * NameQualifier; one AuthnContextClassRef.
 */
export function buildAuthnRequest(options: AuthnRequestOptions): AuthnRequest {
  const id = options.id ?? newSamlId();
  if (!/^[A-Za-z_][\w.-]*$/.test(id)) throw new Error("AuthnRequest ID must be an xs:ID not starting with a digit");
  const acsIndex = options.assertionConsumerServiceIndex ?? 0;
  const attributeIndex = options.attributeConsumingServiceIndex ?? 0;
  for (const index of [acsIndex, attributeIndex]) {
    if (!Number.isInteger(index) || index < 0 || index > 65535)
      throw new Error(`index ${index} is not an unsignedShort`);
  }
  const issueInstant = options.issueInstant.toISOString();
  const root = attributes({
    "xmlns:samlp": SAML_PROTOCOL_NAMESPACE,
    "xmlns:saml": SAML_ASSERTION_NAMESPACE,
    ID: id,
    Version: "2.0",
    IssueInstant: issueInstant,
    Destination: options.destination,
    ForceAuthn: options.level >= 2 ? "true" : undefined,
    AssertionConsumerServiceIndex: acsIndex,
    AttributeConsumingServiceIndex: attributeIndex,
  });
  const xml =
    `<samlp:AuthnRequest${root}>` +
    textElement("saml:Issuer", options.spEntityId, {
      Format: ENTITY_NAME_ID_FORMAT,
      NameQualifier: options.spEntityId,
    }) +
    `<samlp:NameIDPolicy${attributes({ Format: TRANSIENT_NAME_ID_FORMAT })}/>` +
    `<samlp:RequestedAuthnContext${attributes({ Comparison: options.comparison ?? "minimum" })}>` +
    textElement("saml:AuthnContextClassRef", spidLevelUri(options.level)) +
    "</samlp:RequestedAuthnContext></samlp:AuthnRequest>";
  return { id, issueInstant, destination: options.destination, xml };
}

/**
 * SAML Bindings §3.4.4: DEFLATE (raw, RFC 1951), base64, URL-encoded; no XML signature inside,
 * the query string is signed instead (§3.4.4.1). Returns the URL for the 302/303 Location.
 */
export function redirectBindingUrl(
  request: AuthnRequest,
  relayState: string,
  credential: SamlSigningCredential,
): string {
  if (!RELAY_STATE_PATTERN.test(relayState)) throw new Error("RelayState must be 1 to 80 characters of [A-Za-z0-9_-]");
  const encoded = deflateRawSync(Buffer.from(request.xml, "utf8")).toString("base64");
  const query = signRedirectQuery({ parameter: "SAMLRequest", encoded, relayState }, credential.privateKey);
  return `${request.destination}${request.destination.includes("?") ? "&" : "?"}${query}`;
}

/**
 * The one script of the POST page. An inline script cannot be avoided for an automatic submit
 * without a route serving a script file; it is constant, so its hash goes in the page's
 * Content-Security-Policy (`script-src` {@link POST_FORM_SCRIPT_SOURCE}) instead of 'unsafe-inline'.
 */
const POST_FORM_SCRIPT = "document.forms[0].submit();";
/** The CSP source expression that allows exactly {@link POST_FORM_SCRIPT}. */
export const POST_FORM_SCRIPT_SOURCE = `'sha256-${createHash("sha256").update(POST_FORM_SCRIPT).digest("base64")}'`;

export interface PostBindingForm {
  /** The signed AuthnRequest XML that was sent. */
  readonly signedXml: string;
  /** An HTML page to answer with 200; it also needs `form-action` to allow the destination. */
  readonly html: string;
}

/**
 * SAML Bindings §3.5.4: the enveloped-signed message, base64 (not deflated), in a hidden
 * `SAMLRequest` field of a form posted to the destination, with `RelayState` beside it. Without
 * JavaScript the user presses the button in `<noscript>`.
 */
export function postBindingForm(
  request: AuthnRequest,
  relayState: string,
  credential: SamlSigningCredential,
): PostBindingForm {
  if (!RELAY_STATE_PATTERN.test(relayState)) throw new Error("RelayState must be 1 to 80 characters of [A-Za-z0-9_-]");
  const signedXml = signEnveloped(request.xml, credential, "after-issuer");
  const samlRequest = Buffer.from(signedXml, "utf8").toString("base64");
  const html =
    '<!DOCTYPE html><html lang="it"><head><meta charset="utf-8"><title>Accesso in corso</title></head><body>' +
    `<form method="post" action="${escapeAttribute(request.destination)}">` +
    `<input type="hidden" name="SAMLRequest" value="${samlRequest}">` +
    `<input type="hidden" name="RelayState" value="${escapeAttribute(relayState)}">` +
    "<noscript><p>Il browser non esegue JavaScript: premere il pulsante per proseguire.</p>" +
    '<button type="submit">Prosegui</button></noscript></form>' +
    `<script>${POST_FORM_SCRIPT}</script></body></html>`;
  return { signedXml, html };
}

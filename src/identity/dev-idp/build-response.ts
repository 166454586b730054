import {
  newSamlId,
  SAML_ASSERTION_NAMESPACE,
  SAML_PROTOCOL_NAMESPACE,
  type SamlSigningCredential,
  type SpidLevel,
  signEnveloped,
  spidLevelUri,
} from "../saml/index.js";
import { BASIC_ATTRIBUTE_NAME_FORMAT, ENTITY_NAME_ID_FORMAT, TRANSIENT_NAME_ID_FORMAT } from "../saml/saml-names.js";
import { attributes, textElement } from "../saml/xml-text.js";
import type { DevIdpUser } from "./users.js";

/**
 * The messages the IdP sends: the SPID Response to an AuthnRequest (SAML Core §3.3.3 and §2.3.3,
 * SAML Profiles §4.1.4.2, reference §1.4) — Assertion signed, then the Response signed too — the
 * "user cancelled" Response (reference §1.5, ErrorCode nr25) and the LogoutResponse (SAML Core
 * §3.7.2, reference §1.6).
 */

/** SAML Core §3.2.2.2 */
const STATUS = {
  success: "urn:oasis:names:tc:SAML:2.0:status:Success",
  responder: "urn:oasis:names:tc:SAML:2.0:status:Responder",
  authnFailed: "urn:oasis:names:tc:SAML:2.0:status:AuthnFailed",
} as const;
/** SAML Profiles §3.3 */
const BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
const XS = "http://www.w3.org/2001/XMLSchema";
const XSI = "http://www.w3.org/2001/XMLSchema-instance";

/** How long a bearer Assertion may be presented (SAML Profiles §4.1.4.2: NotOnOrAfter "short"). */
export const ASSERTION_LIFETIME_MS = 5 * 60_000;

/** Who answers whom, for which request, when. */
export interface ResponseContext {
  readonly idpEntityId: string;
  readonly spEntityId: string;
  readonly acsUrl: string;
  readonly inResponseTo: string;
  readonly now: Date;
  readonly credential: SamlSigningCredential;
}

export interface AuthenticatedUser {
  readonly user: DevIdpUser;
  readonly level: SpidLevel;
  /** A transient NameID (SAML Core §8.3.8): random, new at every login. */
  readonly nameId: string;
  /** Only for SpidL1: L2/L3 assertions carry none (reference §1.4 "SessionIndex", §1.6). */
  readonly sessionIndex: string | undefined;
}

/** The Response to a successful login, with its signed Assertion, signed. */
export function buildSuccessResponse(context: ResponseContext, authenticated: AuthenticatedUser): string {
  const assertion = signEnveloped(assertionXml(context, authenticated), context.credential, "after-issuer");
  return signEnveloped(responseXml(context, statusXml(STATUS.success), assertion), context.credential, "after-issuer");
}

/** The Response for a login the user cancelled: Responder/AuthnFailed, "ErrorCode nr25", no Assertion. */
export function buildCancelledResponse(context: ResponseContext): string {
  const status = statusXml(STATUS.responder, STATUS.authnFailed, "ErrorCode nr25");
  return signEnveloped(responseXml(context, status, ""), context.credential, "after-issuer");
}

/** A LogoutResponse with Status Success, unsigned: the Redirect binding signs the query instead. */
export function buildLogoutResponse(options: {
  readonly idpEntityId: string;
  readonly destination: string;
  readonly inResponseTo: string;
  readonly now: Date;
}): string {
  const root = attributes({
    "xmlns:samlp": SAML_PROTOCOL_NAMESPACE,
    "xmlns:saml": SAML_ASSERTION_NAMESPACE,
    ID: newSamlId(),
    Version: "2.0",
    IssueInstant: options.now.toISOString(),
    Destination: options.destination,
    InResponseTo: options.inResponseTo,
  });
  return `<samlp:LogoutResponse${root}>${issuerXml(options.idpEntityId)}${statusXml(STATUS.success)}</samlp:LogoutResponse>`;
}

function issuerXml(idpEntityId: string): string {
  return textElement("saml:Issuer", idpEntityId, { Format: ENTITY_NAME_ID_FORMAT, NameQualifier: idpEntityId });
}

/** SAML Core §3.2.2.1–3.2.2.3. */
function statusXml(code: string, subCode?: string, message?: string): string {
  const inner = subCode === undefined ? "" : `<samlp:StatusCode${attributes({ Value: subCode })}/>`;
  const text = message === undefined ? "" : textElement("samlp:StatusMessage", message);
  return `<samlp:Status><samlp:StatusCode${attributes({ Value: code })}>${inner}</samlp:StatusCode>${text}</samlp:Status>`;
}

/** SAML Core §3.3.3: ID, Version, IssueInstant, Destination = ACS, InResponseTo; Issuer, Status, Assertion. */
function responseXml(context: ResponseContext, status: string, assertion: string): string {
  const root = attributes({
    "xmlns:samlp": SAML_PROTOCOL_NAMESPACE,
    "xmlns:saml": SAML_ASSERTION_NAMESPACE,
    ID: newSamlId(),
    Version: "2.0",
    IssueInstant: context.now.toISOString(),
    Destination: context.acsUrl,
    InResponseTo: context.inResponseTo,
  });
  const issuer = textElement("saml:Issuer", context.idpEntityId, { Format: ENTITY_NAME_ID_FORMAT });
  return `<samlp:Response${root}>${issuer}${status}${assertion}</samlp:Response>`;
}

/**
 * SAML Core §2.3.3, standalone: it declares every namespace it uses, so it is signed on its own
 * and embedded unchanged (exclusive c14n makes its digest independent of the Response around it).
 */
function assertionXml(context: ResponseContext, authenticated: AuthenticatedUser): string {
  const issued = context.now.toISOString();
  const expires = new Date(context.now.getTime() + ASSERTION_LIFETIME_MS).toISOString();
  const root = attributes({
    "xmlns:saml": SAML_ASSERTION_NAMESPACE,
    "xmlns:xs": XS,
    "xmlns:xsi": XSI,
    ID: newSamlId(),
    Version: "2.0",
    IssueInstant: issued,
  });
  const subject =
    "<saml:Subject>" +
    textElement("saml:NameID", authenticated.nameId, {
      Format: TRANSIENT_NAME_ID_FORMAT,
      NameQualifier: context.idpEntityId,
    }) +
    `<saml:SubjectConfirmation${attributes({ Method: BEARER })}>` +
    `<saml:SubjectConfirmationData${attributes({ InResponseTo: context.inResponseTo, NotOnOrAfter: expires, Recipient: context.acsUrl })}/>` +
    "</saml:SubjectConfirmation></saml:Subject>";
  const conditions =
    `<saml:Conditions${attributes({ NotBefore: issued, NotOnOrAfter: expires })}>` +
    `<saml:AudienceRestriction>${textElement("saml:Audience", context.spEntityId)}</saml:AudienceRestriction>` +
    "</saml:Conditions>";
  const authn =
    `<saml:AuthnStatement${attributes({ AuthnInstant: issued, SessionIndex: authenticated.sessionIndex })}>` +
    `<saml:AuthnContext>${textElement("saml:AuthnContextClassRef", spidLevelUri(authenticated.level))}</saml:AuthnContext>` +
    "</saml:AuthnStatement>";
  return `<saml:Assertion${root}>${issuerXml(context.idpEntityId)}${subject}${conditions}${authn}${attributeStatement(authenticated.user)}</saml:Assertion>`;
}

/** Reference §1.7: fiscalNumber as `TINIT-<codice fiscale>`, NameFormat basic, xsi:type xs:string. */
function attributeStatement(user: DevIdpUser): string {
  const values: [string, string][] = [
    ["fiscalNumber", `TINIT-${user.fiscalNumber}`],
    ["name", user.name],
    ["familyName", user.familyName],
    ["email", user.email],
  ];
  const items = values.map(
    ([name, value]) =>
      `<saml:Attribute${attributes({ Name: name, NameFormat: BASIC_ATTRIBUTE_NAME_FORMAT })}>` +
      `${textElement("saml:AttributeValue", value, { "xsi:type": "xs:string" })}</saml:Attribute>`,
  );
  return `<saml:AttributeStatement>${items.join("")}</saml:AttributeStatement>`;
}

import type { Element } from "@xmldom/xmldom";
import { newSamlId } from "./authn-request.js";
import { DEFAULT_CLOCK_SKEW_MS, parseSamlInstant } from "./response/index.js";
import {
  type LogoutFailure,
  type LogoutFailureCode,
  parseSamlDocument,
  refusalAsFailure,
  refuseLogout,
} from "./saml-message.js";
import {
  ENTITY_NAME_ID_FORMAT,
  SAML_ASSERTION_NAMESPACE,
  SAML_PROTOCOL_NAMESPACE,
  TRANSIENT_NAME_ID_FORMAT,
} from "./saml-names.js";
import { childElements, textOf } from "./xml-dom.js";
import { attributes, textElement } from "./xml-text.js";

/**
 * SAML Single Logout messages (SAML Core §3.7, Profiles §4.4, AgID "Regole tecniche"
 * single-logout.rst): the LogoutRequest the SP sends and the one an IdP sends, the LogoutResponse
 * either side answers with. The checks run on XML whose signature the binding already verified
 * (redirect-binding.ts, post-binding-verify.ts); every refusal is a `{ ok: false, code }` value.
 */

const STATUS = "urn:oasis:names:tc:SAML:2.0:status:";
/** SAML Core §3.2.2.2 top-level and second-level status codes. */
const SUCCESS = `${STATUS}Success`;
const REQUESTER = `${STATUS}Requester`;
const PARTIAL_LOGOUT = `${STATUS}PartialLogout`;
/** xs:ID is an NCName (XML Namespaces §3); single-sign-on.rst: never starting with a digit. */
const XS_ID = /^[\p{L}_][\p{L}\p{N}_.\-\u00b7]*$/u;

export interface LogoutRequestOptions {
  readonly spEntityId: string;
  /** The IdP SingleLogoutService Location of the binding used. */
  readonly destination: string;
  /** The NameID of the Assertion, as received. */
  readonly nameId: string;
  /** NameID NameQualifier (the IdP entityID, as received). */
  readonly nameQualifier: string;
  /** Defaults to transient (SPID sends only transient NameIDs). */
  readonly nameIdFormat?: string;
  /** The AuthnStatement SessionIndex; L2/L3 assertions may carry none (reference §1.6). */
  readonly sessionIndex?: string;
  readonly issueInstant: Date;
  /** Defaults to {@link newSamlId}. */
  readonly id?: string;
}

export interface LogoutResponseOptions {
  readonly spEntityId: string;
  /** The IdP SingleLogoutService ResponseLocation (or Location) of the binding used. */
  readonly destination: string;
  /** The ID of the IdP's LogoutRequest. */
  readonly inResponseTo: string;
  readonly issueInstant: Date;
  readonly status: "success" | "partial" | "requester-error";
  readonly id?: string;
}

function checkedId(id: string): string {
  if (!XS_ID.test(id)) throw new Error("a SAML ID must be an xs:ID not starting with a digit");
  return id;
}

/** SAML Core §2.2.5 and single-logout.rst: the SP entityID with Format entity and NameQualifier. */
function issuerElement(spEntityId: string): string {
  return textElement("saml:Issuer", spEntityId, { Format: ENTITY_NAME_ID_FORMAT, NameQualifier: spEntityId });
}

function rootAttributes(id: string, issueInstant: string, destination: string, inResponseTo?: string): string {
  return attributes({
    "xmlns:samlp": SAML_PROTOCOL_NAMESPACE,
    "xmlns:saml": SAML_ASSERTION_NAMESPACE,
    ID: id,
    Version: "2.0",
    IssueInstant: issueInstant,
    InResponseTo: inResponseTo,
    Destination: destination,
  });
}

/**
 * SAML Core §3.7.1 (children in schema order: Issuer, [Signature], NameID, SessionIndex) with the
 * single-logout.rst fields. Unsigned: sign it with `redirectUrl` or `signEnveloped(…, "after-issuer")`.
 */
export function buildLogoutRequest(o: LogoutRequestOptions): { id: string; issueInstant: string; xml: string } {
  const id = checkedId(o.id ?? newSamlId());
  const issueInstant = o.issueInstant.toISOString();
  const xml =
    `<samlp:LogoutRequest${rootAttributes(id, issueInstant, o.destination)}>` +
    issuerElement(o.spEntityId) +
    textElement("saml:NameID", o.nameId, {
      Format: o.nameIdFormat ?? TRANSIENT_NAME_ID_FORMAT,
      NameQualifier: o.nameQualifier,
    }) +
    (o.sessionIndex === undefined ? "" : textElement("samlp:SessionIndex", o.sessionIndex)) +
    "</samlp:LogoutRequest>";
  return { id, issueInstant, xml };
}

/** SAML Core §3.2.2 StatusResponseType, §3.7.3.2 (PartialLogout as second-level code). */
const STATUS_CODES: Record<LogoutResponseOptions["status"], readonly string[]> = {
  success: [SUCCESS],
  partial: [REQUESTER, PARTIAL_LOGOUT],
  "requester-error": [REQUESTER],
};

/** SAML Core §3.7.2: the SP's answer to an IdP-initiated LogoutRequest (single-logout.rst). */
export function buildLogoutResponse(o: LogoutResponseOptions): { id: string; xml: string } {
  const id = checkedId(o.id ?? newSamlId());
  const [top = SUCCESS, second] = STATUS_CODES[o.status];
  const inner = second === undefined ? "" : `<samlp:StatusCode${attributes({ Value: second })}/>`;
  const status = `<samlp:Status><samlp:StatusCode${attributes({ Value: top })}>${inner}</samlp:StatusCode></samlp:Status>`;
  const xml =
    `<samlp:LogoutResponse${rootAttributes(id, o.issueInstant.toISOString(), o.destination, o.inResponseTo)}>` +
    issuerElement(o.spEntityId) +
    status +
    "</samlp:LogoutResponse>";
  return { id, xml };
}

export interface ExpectedLogoutMessage {
  readonly idpEntityId: string;
  /** Our SingleLogoutService Location: the Destination the message must carry. */
  readonly sloUrl: string;
  readonly now: Date;
  /** Tolerated clock difference both ways (default DEFAULT_CLOCK_SKEW_MS, three minutes). */
  readonly skewMs?: number;
}

export type LogoutRequestReading =
  | { ok: true; id: string; nameId: string; nameQualifier?: string; sessionIndexes: string[] }
  | LogoutFailure;

/**
 * An IdP-initiated LogoutRequest (SAML Core §3.7.1, single-logout.rst), already verified by the
 * binding. The SP must end the session even when it is already closed, so the NameID and the
 * SessionIndex values are only returned, not matched here.
 */
export function parseLogoutRequest(xml: string, expected: ExpectedLogoutMessage): LogoutRequestReading {
  return refusalAsFailure(() => {
    const root = protocolRoot(xml, "LogoutRequest", "SAML_NOT_LOGOUT_REQUEST");
    const id = checkEnvelope(root, expected);
    const notOnOrAfter = root.getAttribute("NotOnOrAfter");
    if (notOnOrAfter !== null) {
      const at = parseSamlInstant(notOnOrAfter);
      if (at === undefined) refuseLogout("SAML_MALFORMED", `NotOnOrAfter ${notOnOrAfter} is not a UTC xs:dateTime`);
      // SAML Core §3.7.1: NotOnOrAfter is exclusive.
      if (expected.now.getTime() >= at.getTime() + skewOf(expected)) {
        refuseLogout("SAML_EXPIRED", `the LogoutRequest expired at ${notOnOrAfter}`);
      }
    }
    const nameIds = childElements(root, SAML_ASSERTION_NAMESPACE, "NameID");
    const nameId = textOf(nameIds[0]);
    if (nameIds.length !== 1 || nameId === undefined) {
      refuseLogout("SAML_NAME_ID_MISSING", "the LogoutRequest must carry exactly one non-empty NameID");
    }
    const nameQualifier = nameIds[0]?.getAttribute("NameQualifier") ?? undefined;
    const sessionIndexes = childElements(root, SAML_PROTOCOL_NAMESPACE, "SessionIndex")
      .map(textOf)
      .filter((value) => value !== undefined);
    return { ok: true as const, id, nameId, ...(nameQualifier ? { nameQualifier } : {}), sessionIndexes };
  });
}

/**
 * The IdP's LogoutResponse to our LogoutRequest (SAML Core §3.7.2, single-logout.rst): Success, or
 * Requester + PartialLogout when another SP could not be logged out (also Success + PartialLogout).
 */
export function parseLogoutResponse(
  xml: string,
  expected: ExpectedLogoutMessage & { readonly requestId: string },
): { ok: true; partial: boolean } | LogoutFailure {
  return refusalAsFailure(() => {
    const root = protocolRoot(xml, "LogoutResponse", "SAML_NOT_LOGOUT_RESPONSE");
    checkEnvelope(root, expected);
    const inResponseTo = root.getAttribute("InResponseTo");
    if (inResponseTo !== expected.requestId) {
      refuseLogout("SAML_WRONG_IN_RESPONSE_TO", `InResponseTo ${inResponseTo ?? "(absent)"} is not our request`);
    }
    const [top, second] = statusCodes(root);
    if (top === SUCCESS) return { ok: true as const, partial: second === PARTIAL_LOGOUT };
    if (top === REQUESTER && second === PARTIAL_LOGOUT) return { ok: true as const, partial: true };
    const message = textOf(
      childElements(
        childElements(root, SAML_PROTOCOL_NAMESPACE, "Status")[0],
        SAML_PROTOCOL_NAMESPACE,
        "StatusMessage",
      )[0],
    );
    return refuseLogout(
      "SAML_LOGOUT_FAILED",
      `status ${[top, second].filter(Boolean).join(" / ")}${message ? `: ${message}` : ""}`,
    );
  });
}

function skewOf(expected: ExpectedLogoutMessage): number {
  return expected.skewMs ?? DEFAULT_CLOCK_SKEW_MS;
}

function protocolRoot(xml: string, localName: string, code: LogoutFailureCode): Element {
  const root = parseSamlDocument(xml).documentElement;
  if (root.namespaceURI !== SAML_PROTOCOL_NAMESPACE || root.localName !== localName) {
    return refuseLogout(code, `the document element is not samlp:${localName}`);
  }
  return root;
}

/**
 * SAML Core §3.2.1/§3.2.2 fields both messages share: Version, ID, IssueInstant (within the skew
 * of `now` both ways: the binding delivers at once), Destination (Bindings §3.4.5.2, §3.5.5.2) and
 * an Issuer equal to the IdP entityID, Format entity when given (§8.3.6).
 */
function checkEnvelope(root: Element, expected: ExpectedLogoutMessage): string {
  if (root.getAttribute("Version") !== "2.0") refuseLogout("SAML_VERSION_INVALID", "Version is not 2.0");
  const id = root.getAttribute("ID") ?? "";
  if (!XS_ID.test(id)) refuseLogout("SAML_ID_INVALID", `ID ${id || "(absent)"} is not an xs:ID`);
  const issueInstant = root.getAttribute("IssueInstant") ?? undefined;
  const at = parseSamlInstant(issueInstant);
  if (at === undefined) refuseLogout("SAML_ISSUE_INSTANT_INVALID", `IssueInstant ${issueInstant ?? "(absent)"}`);
  const skew = skewOf(expected);
  if (at.getTime() > expected.now.getTime() + skew) {
    refuseLogout("SAML_ISSUE_INSTANT_INVALID", `IssueInstant ${issueInstant} is in the future`);
  }
  if (at.getTime() < expected.now.getTime() - skew)
    refuseLogout("SAML_EXPIRED", `IssueInstant ${issueInstant} is too old`);
  // Bindings §3.4.5.2/§3.5.5.2: a signed message MUST carry Destination, and every logout message
  // we accept is signed (single-logout.rst), so a missing one is refused like a wrong one.
  const destination = root.getAttribute("Destination");
  if (destination !== expected.sloUrl) {
    refuseLogout("SAML_WRONG_DESTINATION", `Destination ${destination ?? "(absent)"} is not ${expected.sloUrl}`);
  }
  const issuers = childElements(root, SAML_ASSERTION_NAMESPACE, "Issuer");
  const issuer = issuers[0];
  const format = issuer?.getAttribute("Format") ?? null;
  if (
    issuers.length !== 1 ||
    textOf(issuer) !== expected.idpEntityId ||
    (format !== null && format !== ENTITY_NAME_ID_FORMAT)
  ) {
    refuseLogout("SAML_WRONG_ISSUER", `Issuer ${textOf(issuer) ?? "(absent)"} is not ${expected.idpEntityId}`);
  }
  return id;
}

function statusCodes(root: Element): [string | undefined, string | undefined] {
  const statuses = childElements(root, SAML_PROTOCOL_NAMESPACE, "Status");
  const topCodes = childElements(statuses[0], SAML_PROTOCOL_NAMESPACE, "StatusCode");
  const top = topCodes[0]?.getAttribute("Value") ?? undefined;
  if (statuses.length !== 1 || topCodes.length !== 1 || !top)
    refuseLogout("SAML_MALFORMED", "Status/StatusCode is missing");
  return [
    top,
    childElements(topCodes[0], SAML_PROTOCOL_NAMESPACE, "StatusCode")[0]?.getAttribute("Value") ?? undefined,
  ];
}

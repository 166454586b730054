import type { Element } from "@xmldom/xmldom";
import {
  HTTP_POST_BINDING,
  SAML_ASSERTION_NAMESPACE,
  SAML_PROTOCOL_NAMESPACE,
  type SpidLevel,
  spidLevelUri,
} from "../saml/index.js";
import { attributeOf, childElements, textOf } from "../saml/xml-dom.js";
import { refuse } from "./errors.js";
import type { DevIdpServiceProvider } from "./model.js";
import { onlyChild } from "./request-xml.js";

/**
 * The values the IdP takes from a verified AuthnRequest (SAML Core §3.4.1, reference §1.3) or
 * LogoutRequest (SAML Core §3.7.1, reference §1.6), with the checks an SPID IdP makes on them.
 */

/** SAML Core §3.3.2.2.1: Comparison defaults to "exact". */
export type AuthnComparison = "exact" | "minimum" | "better" | "maximum";

export interface AuthnRequestFacts {
  readonly id: string;
  /** The level the Response asserts: the requested one, one higher for "better". */
  readonly level: SpidLevel;
  readonly forceAuthn: boolean;
}

export interface LogoutRequestFacts {
  readonly id: string;
  readonly nameId: string;
  readonly sessionIndexes: readonly string[];
}

/** What the request must match: our endpoint for it and the IdP's clock. */
export interface RequestExpectations {
  readonly destination: string;
  readonly now: Date;
}

/** A request may come from a clock up to 3 minutes ahead and may wait up to 10 minutes. */
const FUTURE_SKEW_MS = 3 * 60_000;
const MAX_AGE_MS = 10 * 60_000;

const COMPARISONS: readonly AuthnComparison[] = ["exact", "minimum", "better", "maximum"];
const LEVELS: readonly SpidLevel[] = [1, 2, 3];

export function readAuthnRequest(
  request: Element,
  sp: DevIdpServiceProvider,
  expected: RequestExpectations,
): AuthnRequestFacts {
  const id = checkEnvelope(request, expected);
  // Reference §1.3: the ACS by index (ours has only index 0) or by URL with the POST binding.
  const acsIndex = attributeOf(request, "AssertionConsumerServiceIndex");
  const acsUrl = attributeOf(request, "AssertionConsumerServiceURL");
  if (acsIndex !== undefined && acsIndex.trim() !== "0") {
    refuse("UNSUPPORTED_REQUEST", `AssertionConsumerServiceIndex ${acsIndex}: only index 0 is known`);
  }
  if (acsUrl !== undefined && (acsUrl !== sp.acsUrl || attributeOf(request, "ProtocolBinding") !== HTTP_POST_BINDING)) {
    refuse("UNSUPPORTED_REQUEST", "AssertionConsumerServiceURL is not the SP's ACS with HTTP-POST");
  }
  // SAML Core §3.4.1: with IsPassive the IdP may not show a page; this IdP always does.
  if (isTrue(attributeOf(request, "IsPassive"))) refuse("UNSUPPORTED_REQUEST", "IsPassive is not supported");
  return { id, level: assertedLevel(request), forceAuthn: isTrue(attributeOf(request, "ForceAuthn")) };
}

export function readLogoutRequest(request: Element, expected: RequestExpectations): LogoutRequestFacts {
  const id = checkEnvelope(request, expected);
  const notOnOrAfter = attributeOf(request, "NotOnOrAfter");
  if (notOnOrAfter !== undefined && parseInstant(notOnOrAfter) <= expected.now.getTime()) {
    refuse("STALE_REQUEST", "the LogoutRequest has expired (NotOnOrAfter)");
  }
  const nameId = textOf(onlyChild(request, SAML_ASSERTION_NAMESPACE, "NameID"));
  if (nameId === undefined) return refuse("MALFORMED_REQUEST", "the LogoutRequest has no NameID");
  const sessionIndexes = childElements(request, SAML_PROTOCOL_NAMESPACE, "SessionIndex").flatMap(
    (element) => textOf(element) ?? [],
  );
  return { id, nameId, sessionIndexes };
}

/** SAML Core §3.2.1 RequestAbstractType: Version, ID, IssueInstant, Destination. Returns the ID. */
function checkEnvelope(request: Element, expected: RequestExpectations): string {
  if (attributeOf(request, "Version") !== "2.0") refuse("MALFORMED_REQUEST", "Version is not 2.0");
  const id = attributeOf(request, "ID") ?? "";
  // Reference §1.3: an xs:ID, so it cannot start with a digit.
  if (!/^[A-Za-z_][\w.-]*$/.test(id)) refuse("MALFORMED_REQUEST", "ID is not an xs:ID");
  const issued = parseInstant(attributeOf(request, "IssueInstant") ?? "");
  const now = expected.now.getTime();
  if (issued > now + FUTURE_SKEW_MS || issued < now - MAX_AGE_MS) {
    refuse("STALE_REQUEST", "IssueInstant is too far from now");
  }
  const destination = attributeOf(request, "Destination");
  if (destination !== expected.destination) {
    refuse("WRONG_DESTINATION", `Destination ${destination ?? "(absent)"} is not ${expected.destination}`);
  }
  return id;
}

/**
 * RequestedAuthnContext (SAML Core §3.3.2.2.1) with one SpidL class (reference §1.3); without
 * one, SpidL1. An IdP answers "minimum", "exact" and "maximum" with the requested level itself
 * and "better" with the next one (reference §1.4 "AuthnStatement").
 */
function assertedLevel(request: Element): SpidLevel {
  const context = onlyChild(request, SAML_PROTOCOL_NAMESPACE, "RequestedAuthnContext");
  if (context === undefined) return 1;
  const comparison = (attributeOf(context, "Comparison") ?? "exact") as AuthnComparison;
  if (!COMPARISONS.includes(comparison)) refuse("MALFORMED_REQUEST", `Comparison ${comparison}`);
  const classRefs = childElements(context, SAML_ASSERTION_NAMESPACE, "AuthnContextClassRef").map(textOf);
  const level = LEVELS.find((candidate) => spidLevelUri(candidate) === classRefs[0]);
  if (level === undefined || classRefs.length !== 1) {
    return refuse("UNSUPPORTED_REQUEST", "RequestedAuthnContext must carry one SpidL1, SpidL2 or SpidL3");
  }
  if (comparison !== "better") return level;
  if (level === 3) return refuse("UNSUPPORTED_REQUEST", "no level is better than SpidL3");
  return (level + 1) as SpidLevel;
}

/** xs:dateTime in UTC (SAML Core §1.3.3), as milliseconds; anything else is malformed. */
function parseInstant(value: string): number {
  const time = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time)) refuse("MALFORMED_REQUEST", `${value} is not a UTC xs:dateTime`);
  return time;
}

/** xs:boolean (XML Schema Part 2 §3.2.2). */
function isTrue(value: string | undefined): boolean {
  return value === "true" || value === "1";
}

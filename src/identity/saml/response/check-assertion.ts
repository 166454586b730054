import type { Element } from "@xmldom/xmldom";
import { attributeOf, childElements, textOf } from "../xml-dom.js";
import { checkIssuer } from "./check-response.js";
import { checkAuthnStatement, readAttributes } from "./check-statements.js";
import { refuse } from "./errors.js";
import type { ExpectedResponse, SpidAttributes } from "./model.js";
import { CM_BEARER, NAMEID_TRANSIENT, SAML, type SpidLevel } from "./names.js";
import { onlyChild } from "./parse-response.js";
import { checkIssueInstant, isExpired, isNotYetValid, requireInstant, type TimeWindow } from "./saml-time.js";

/** What a valid Assertion says, read only from the signed Assertion. */
export interface AssertionFacts {
  readonly assertionId: string;
  /** The earliest NotOnOrAfter (SubjectConfirmationData, Conditions). */
  readonly notOnOrAfter: Date;
  /** The latest NotOnOrAfter: how long the ID must be remembered against replay. */
  readonly validUntil: Date;
  readonly nameId: string;
  readonly sessionIndex: string | undefined;
  readonly level: SpidLevel;
  readonly attributes: SpidAttributes;
}

/** Reference §1.4 rows "Assertion attrs" to "AttributeStatement", in the validator's order. */
export function checkAssertion(assertion: Element, expected: ExpectedResponse, time: TimeWindow): AssertionFacts {
  const assertionId = (attributeOf(assertion, "ID") ?? "").trim();
  if (assertionId === "") refuse("SAML_ID_INVALID", "Assertion ID is missing");
  if (attributeOf(assertion, "Version") !== "2.0") refuse("SAML_VERSION_INVALID", "Assertion Version is not 2.0");
  checkIssueInstant(attributeOf(assertion, "IssueInstant"), expected.requestIssueInstant, time, "Assertion");
  const subject = checkSubject(assertion, expected, time);
  const issuerFormatRequired = expected.requireAssertionIssuerFormat ?? true;
  checkIssuer(onlyChild(assertion, SAML, "Issuer"), expected.idpEntityId, issuerFormatRequired, "Assertion");
  const conditionsEnd = checkConditions(assertion, expected, time);
  const { level, sessionIndex } = checkAuthnStatement(assertion, expected);
  const attributes = readAttributes(assertion, expected.requiredAttributes ?? ["fiscalNumber"]);
  const ends = [subject.notOnOrAfter.getTime(), conditionsEnd.getTime()];
  return {
    assertionId,
    notOnOrAfter: new Date(Math.min(...ends)),
    validUntil: new Date(Math.max(...ends)),
    nameId: subject.nameId,
    sessionIndex,
    level,
    attributes,
  };
}

/**
 * SAML Core §2.4 Subject and SAML Profiles §4.1.4.2–4.1.4.3 (bearer SubjectConfirmation): the
 * NameID is transient with a NameQualifier (SPID), the confirmation data names our ACS as
 * Recipient, the pending request as InResponseTo, and a NotOnOrAfter still ahead.
 */
function checkSubject(assertion: Element, expected: ExpectedResponse, time: TimeWindow) {
  const subject = onlyChild(assertion, SAML, "Subject");
  if (subject === undefined) return refuse("SAML_SUBJECT_INVALID", "Subject is missing");
  const nameIdElement = onlyChild(subject, SAML, "NameID");
  const nameId = textOf(nameIdElement);
  if (nameIdElement === undefined || nameId === undefined) return refuse("SAML_SUBJECT_INVALID", "NameID is missing");
  if (attributeOf(nameIdElement, "Format") !== NAMEID_TRANSIENT) {
    refuse("SAML_SUBJECT_INVALID", "NameID Format is not transient");
  }
  if ((attributeOf(nameIdElement, "NameQualifier") ?? "").trim() === "") {
    refuse("SAML_SUBJECT_INVALID", "NameID NameQualifier is missing");
  }
  const confirmations = childElements(subject, SAML, "SubjectConfirmation");
  const [confirmation] = confirmations;
  if (confirmation === undefined || confirmations.length > 1) {
    return refuse("SAML_SUBJECT_CONFIRMATION_INVALID", "exactly one SubjectConfirmation is required");
  }
  if (attributeOf(confirmation, "Method") !== CM_BEARER) {
    refuse("SAML_SUBJECT_CONFIRMATION_INVALID", "SubjectConfirmation Method is not bearer");
  }
  const data = onlyChild(confirmation, SAML, "SubjectConfirmationData");
  if (data === undefined) return refuse("SAML_SUBJECT_CONFIRMATION_INVALID", "SubjectConfirmationData is missing");
  const recipient = attributeOf(data, "Recipient");
  if (recipient !== expected.acsUrl) {
    refuse("SAML_RECIPIENT_MISMATCH", `Recipient ${recipient ?? "(absent)"} is not ${expected.acsUrl}`);
  }
  if (attributeOf(data, "InResponseTo") !== expected.requestId) {
    refuse("SAML_IN_RESPONSE_TO_MISMATCH", "SubjectConfirmationData InResponseTo is not the pending request");
  }
  const notOnOrAfter = requireInstant(
    attributeOf(data, "NotOnOrAfter"),
    "SAML_SUBJECT_CONFIRMATION_INVALID",
    "SubjectConfirmationData NotOnOrAfter",
  );
  if (isExpired(notOnOrAfter, time)) refuse("SAML_EXPIRED", "SubjectConfirmationData NotOnOrAfter has passed");
  return { nameId, notOnOrAfter };
}

/**
 * SAML Core §2.5.1: Conditions with NotBefore and NotOnOrAfter (both mandatory for SPID) and
 * §2.5.1.4 AudienceRestriction: each restriction must name us among its Audiences.
 */
function checkConditions(assertion: Element, expected: ExpectedResponse, time: TimeWindow): Date {
  const conditions = onlyChild(assertion, SAML, "Conditions");
  if (conditions === undefined) return refuse("SAML_CONDITIONS_INVALID", "Conditions is missing");
  const notBefore = requireInstant(attributeOf(conditions, "NotBefore"), "SAML_CONDITIONS_INVALID", "NotBefore");
  const notOnOrAfter = requireInstant(
    attributeOf(conditions, "NotOnOrAfter"),
    "SAML_CONDITIONS_INVALID",
    "Conditions NotOnOrAfter",
  );
  if (isNotYetValid(notBefore, time)) refuse("SAML_NOT_YET_VALID", "Conditions NotBefore is in the future");
  if (isExpired(notOnOrAfter, time)) refuse("SAML_EXPIRED", "Conditions NotOnOrAfter has passed");
  const restrictions = childElements(conditions, SAML, "AudienceRestriction");
  if (restrictions.length === 0) refuse("SAML_AUDIENCE_MISMATCH", "AudienceRestriction is missing");
  for (const restriction of restrictions) {
    const audiences = childElements(restriction, SAML, "Audience").map((audience) => textOf(audience));
    if (!audiences.includes(expected.spEntityId)) {
      refuse("SAML_AUDIENCE_MISMATCH", `Audience ${audiences.join(", ") || "(absent)"} is not ${expected.spEntityId}`);
    }
  }
  return notOnOrAfter;
}

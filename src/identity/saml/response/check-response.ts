import type { Element } from "@xmldom/xmldom";
import { attributeOf, childElements, textOf } from "../xml-dom.js";
import { ResponseRefused, refuse } from "./errors.js";
import type { ExpectedResponse } from "./model.js";
import { NAMEID_ENTITY, SAML, SAMLP, STATUS_SUCCESS } from "./names.js";
import { onlyChild } from "./parse-response.js";
import { checkIssueInstant, type TimeWindow } from "./saml-time.js";
import { spidErrorCodeOf } from "./spid-error-messages.js";

/**
 * The Response envelope (SAML Core §3.2.2 StatusResponseType, §3.3.3; reference §1.4 rows
 * "Response attrs", "Status", "Response Issuer"). Run on the received Response before the
 * signatures — so an IdP error without Assertion is reported with its SPID code — and again on the
 * signed Response when the IdP signed it. An unsigned envelope is safe to read only because every
 * value is compared with what we expect, and the signed SubjectConfirmationData repeats
 * InResponseTo and the ACS URL.
 */
export function checkResponseEnvelope(response: Element, expected: ExpectedResponse, time: TimeWindow): void {
  if (attributeOf(response, "Version") !== "2.0") refuse("SAML_VERSION_INVALID", "Response Version is not 2.0");
  if ((attributeOf(response, "ID") ?? "").trim() === "") refuse("SAML_ID_INVALID", "Response ID is missing");
  checkIssueInstant(attributeOf(response, "IssueInstant"), expected.requestIssueInstant, time, "Response");
  const destination = attributeOf(response, "Destination");
  if (destination !== expected.acsUrl) {
    refuse("SAML_DESTINATION_MISMATCH", `Destination ${destination ?? "(absent)"} is not ${expected.acsUrl}`);
  }
  const inResponseTo = attributeOf(response, "InResponseTo");
  if (inResponseTo !== expected.requestId) {
    refuse("SAML_IN_RESPONSE_TO_MISMATCH", `InResponseTo ${inResponseTo ?? "(absent)"} is not the pending request`);
  }
  checkIssuer(onlyChild(response, SAML, "Issuer"), expected.idpEntityId, false, "Response");
  checkStatus(response);
}

/**
 * Issuer (SAML Core §2.2.5): the IdP entityID. On the Response, Format may be omitted
 * (spid-sp-test case 31); on the Assertion SPID requires Format="…:entity" (cases 67–72).
 */
export function checkIssuer(issuer: Element | undefined, idpEntityId: string, formatRequired: boolean, what: string) {
  const value = textOf(issuer);
  if (issuer === undefined || value !== idpEntityId) {
    refuse("SAML_ISSUER_INVALID", `${what} Issuer ${value ?? "(absent)"} is not ${idpEntityId}`);
  }
  const format = attributeOf(issuer, "Format");
  if (format === undefined ? formatRequired : format !== NAMEID_ENTITY) {
    refuse("SAML_ISSUER_INVALID", `${what} Issuer Format ${format ?? "(absent)"} is not ${NAMEID_ENTITY}`);
  }
}

/**
 * SAML Core §3.2.2.1–3.2.2.3. A non-Success status is a refusal; "ErrorCode nrXX" in
 * StatusMessage (AgID "Tabella messaggi di anomalia") selects the message shown to the user.
 */
function checkStatus(response: Element): void {
  const status = onlyChild(response, SAMLP, "Status");
  if (status === undefined) refuse("SAML_STATUS_INVALID", "Status is missing");
  const codes = childElements(status, SAMLP, "StatusCode");
  const [code] = codes;
  const value = code === undefined ? undefined : attributeOf(code, "Value");
  if (code === undefined || codes.length > 1 || value === undefined || value.trim() === "") {
    refuse("SAML_STATUS_INVALID", "StatusCode is missing or has no Value");
  }
  if (value === STATUS_SUCCESS) return;
  const message = textOf(onlyChild(status, SAMLP, "StatusMessage"));
  const subCode = childElements(code, SAMLP, "StatusCode")[0]?.getAttribute("Value");
  throw new ResponseRefused(
    "SAML_STATUS_NOT_SUCCESS",
    `Status ${value}${subCode ? ` / ${subCode}` : ""}${message ? `: ${message}` : ""}`,
    spidErrorCodeOf(message),
  );
}

import { checkAssertion } from "./check-assertion.js";
import { checkResponseEnvelope } from "./check-response.js";
import { ResponseRefused, refuse } from "./errors.js";
import type { ExpectedResponse, ResponseValidation, ValidateResponseOptions } from "./model.js";
import { DEFAULT_MAX_RESPONSE_BYTES, decodeSamlResponse, parseResponseXml } from "./parse-response.js";
import type { TimeWindow } from "./saml-time.js";
import { verifySignatures } from "./verify-assertion-signature.js";

/** Three minutes: far under the validator's gross time cases (years 2000/2099), above real drift. */
export const DEFAULT_CLOCK_SKEW_MS = 3 * 60_000;

/**
 * Validates the `SAMLResponse` an IdP POSTed to the ACS (SAML Profiles §4.1.4.3, AgID Regole
 * tecniche "Processamento della Response", reference §1.4 and §5.2). Pure: the clock is `now`,
 * the pending request is `expected`, and the only side effect is the `rememberAssertion` port,
 * called last, once everything else has passed. Never throws for a bad Response: every refusal is
 * a `{ ok: false, code }` value, answered by the ACS with a 403 page.
 *
 * @example
 * const result = await validateResponse(form.SAMLResponse, expected, { now: clock.now(), rememberAssertion });
 * if (!result.ok) return c.html(errorPage(spidErrorMessage(result.spidErrorCode)), 403);
 */
export async function validateResponse(
  samlResponse: string,
  expected: ExpectedResponse,
  options: ValidateResponseOptions,
): Promise<ResponseValidation> {
  try {
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    return await validateResponseXml(decodeSamlResponse(samlResponse, maxBytes), expected, options);
  } catch (error) {
    if (error instanceof ResponseRefused) return error.toFailure();
    throw error;
  }
}

/** The same checks on the decoded XML (tests and the HTTP-POST binding decoder both use it). */
export async function validateResponseXml(
  xml: string,
  expected: ExpectedResponse,
  options: ValidateResponseOptions,
): Promise<ResponseValidation> {
  try {
    const time: TimeWindow = { now: options.now, skewMs: options.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS };
    const text = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
    const doc = parseResponseXml(text, options.maxBytes ?? DEFAULT_MAX_RESPONSE_BYTES);
    const received = doc.documentElement;
    if (received === null) return refuse("SAML_NOT_A_RESPONSE", "no document element");
    checkResponseEnvelope(received, expected, time);
    const signed = verifySignatures(text, doc, expected.idpCertificates);
    if (signed.response !== undefined) checkResponseEnvelope(signed.response, expected, time);
    const facts = checkAssertion(signed.assertion, expected, time);
    const until = new Date(facts.validUntil.getTime() + time.skewMs);
    if (!(await options.rememberAssertion(facts.assertionId, until))) {
      refuse("SAML_REPLAYED", `Assertion ${facts.assertionId} was already used`);
    }
    const { validUntil: _, ...accepted } = facts;
    return { ok: true, ...accepted };
  } catch (error) {
    if (error instanceof ResponseRefused) return error.toFailure();
    throw error;
  }
}

/**
 * SPID/CIE ACS Response validation (issue 7): pure, with the consumed-Assertion store as a port.
 * The rest of `identity` imports this folder only through this file.
 */
export {
  RESPONSE_FAILURE_CODES,
  type ResponseFailure,
  type ResponseFailureCode,
  type SpidErrorCode,
} from "./errors.js";
export type {
  AcceptedResponse,
  AuthnComparison,
  ExpectedResponse,
  RememberAssertion,
  ResponseValidation,
  SpidAttributes,
  ValidateResponseOptions,
} from "./model.js";
export { SPID_LEVELS, type SpidLevel } from "./names.js";
export { DEFAULT_MAX_RESPONSE_BYTES, decodeSamlResponse } from "./parse-response.js";
export { parseSamlInstant } from "./saml-time.js";
export {
  GENERIC_LOGIN_ERROR_MESSAGE,
  SPID_ERROR_MESSAGES,
  spidErrorCodeOf,
  spidErrorMessage,
} from "./spid-error-messages.js";
export { DEFAULT_CLOCK_SKEW_MS, validateResponse, validateResponseXml } from "./validate-response.js";

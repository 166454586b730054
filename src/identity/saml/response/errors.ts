/**
 * The closed list of reasons an ACS refuses a Response. Every code is stable (logs, metrics, tests
 * key on it); every refusal is answered with HTTP 403 (reference §0.1: the validator only accepts a
 * direct 4xx). `spidErrorCode` is set only for a non-Success Status carrying "ErrorCode nrXX".
 */
export const RESPONSE_FAILURE_CODES = [
  "SAML_MALFORMED",
  "SAML_TOO_LARGE",
  "SAML_DTD_FORBIDDEN",
  "SAML_NOT_A_RESPONSE",
  "SAML_VERSION_INVALID",
  "SAML_ID_INVALID",
  "SAML_DUPLICATE_ID",
  "SAML_ISSUE_INSTANT_INVALID",
  "SAML_DESTINATION_MISMATCH",
  "SAML_IN_RESPONSE_TO_MISMATCH",
  "SAML_ISSUER_INVALID",
  "SAML_STATUS_INVALID",
  "SAML_STATUS_NOT_SUCCESS",
  "SAML_ASSERTION_MISSING",
  "SAML_ASSERTION_MULTIPLE",
  "SAML_ASSERTION_ENCRYPTED",
  "SAML_SIGNATURE_MISSING",
  "SAML_SIGNATURE_MISPLACED",
  "SAML_SIGNATURE_REFERENCE_INVALID",
  "SAML_SIGNATURE_ALGORITHM_FORBIDDEN",
  "SAML_SIGNATURE_TRANSFORM_FORBIDDEN",
  "SAML_SIGNATURE_INVALID",
  "SAML_SUBJECT_INVALID",
  "SAML_SUBJECT_CONFIRMATION_INVALID",
  "SAML_RECIPIENT_MISMATCH",
  "SAML_CONDITIONS_INVALID",
  "SAML_NOT_YET_VALID",
  "SAML_EXPIRED",
  "SAML_AUDIENCE_MISMATCH",
  "SAML_AUTHN_CONTEXT_INVALID",
  "SAML_LEVEL_INSUFFICIENT",
  "SAML_ATTRIBUTES_INVALID",
  "SAML_REPLAYED",
] as const;
export type ResponseFailureCode = (typeof RESPONSE_FAILURE_CODES)[number];

/** SPID anomaly codes the user must be told about (reference §1.5, `messaggi-errore.rst`). */
export type SpidErrorCode = 19 | 20 | 21 | 22 | 23 | 25 | 30;

export interface ResponseFailure {
  readonly ok: false;
  readonly code: ResponseFailureCode;
  /** Technical detail for the log; never shown to the user (use `spidErrorMessage`). */
  readonly message: string;
  readonly spidErrorCode?: SpidErrorCode;
}

/** Thrown inside the validator and turned into a `ResponseFailure` value at its boundary. */
export class ResponseRefused extends Error {
  readonly code: ResponseFailureCode;
  readonly spidErrorCode: SpidErrorCode | undefined;

  constructor(code: ResponseFailureCode, message: string, spidErrorCode?: SpidErrorCode) {
    super(message);
    this.name = "ResponseRefused";
    this.code = code;
    this.spidErrorCode = spidErrorCode;
  }

  toFailure(): ResponseFailure {
    const base = { ok: false as const, code: this.code, message: this.message };
    return this.spidErrorCode === undefined ? base : { ...base, spidErrorCode: this.spidErrorCode };
  }
}

export function refuse(code: ResponseFailureCode, message: string): never {
  throw new ResponseRefused(code, message);
}

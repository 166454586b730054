import type { RefuseSignature, SignatureFault } from "./enveloped-signature.js";
import { parseStrictXml, type RefuseXml, type StrictDocument } from "./xml-dom.js";

/**
 * What the SAML Single Logout bindings and parsers share (SAML Core §3.7, Bindings §3.4/§3.5,
 * AgID "Regole tecniche" single-logout.rst): the closed list of failure codes, the refusal thrown
 * inside the checks and turned into a `{ ok: false, code }` value at each public function's
 * boundary, and the strict reading of a message.
 */

/** The closed list of reasons a logout message is refused, by the bindings and by the parsers. */
export const LOGOUT_FAILURE_CODES = [
  "SAML_BAD_ENCODING",
  "SAML_TOO_LARGE",
  "SAML_DOCTYPE",
  "SAML_MALFORMED",
  "SAML_UNSIGNED",
  "SAML_SIGNATURE_ALGORITHM_FORBIDDEN",
  "SAML_SIGNATURE_MISPLACED",
  "SAML_SIGNATURE_REFERENCE_INVALID",
  "SAML_DUPLICATE_ID",
  "SAML_BAD_SIGNATURE",
  "SAML_NOT_LOGOUT_REQUEST",
  "SAML_NOT_LOGOUT_RESPONSE",
  "SAML_VERSION_INVALID",
  "SAML_ID_INVALID",
  "SAML_ISSUE_INSTANT_INVALID",
  "SAML_EXPIRED",
  "SAML_WRONG_ISSUER",
  "SAML_WRONG_DESTINATION",
  "SAML_WRONG_IN_RESPONSE_TO",
  "SAML_NAME_ID_MISSING",
  "SAML_LOGOUT_FAILED",
] as const;
export type LogoutFailureCode = (typeof LOGOUT_FAILURE_CODES)[number];

export interface LogoutFailure {
  readonly ok: false;
  readonly code: LogoutFailureCode;
  /** Technical detail for the log; never shown to the user. */
  readonly message: string;
}

/** Thrown inside the checks, turned into a {@link LogoutFailure} at each public function's boundary. */
export class LogoutRefused extends Error {
  readonly code: LogoutFailureCode;
  constructor(code: LogoutFailureCode, message: string) {
    super(message);
    this.name = "LogoutRefused";
    this.code = code;
  }
}

export function refuseLogout(code: LogoutFailureCode, message: string): never {
  throw new LogoutRefused(code, message);
}

/** Runs the checks; a refusal becomes its failure value, anything else is a bug and propagates. */
export function refusalAsFailure<T>(checks: () => T): T | LogoutFailure {
  try {
    return checks();
  } catch (error) {
    if (error instanceof LogoutRefused) return { ok: false, code: error.code, message: error.message };
    throw error;
  }
}

/** The strict reader's refusals as logout failure codes. */
export const refuseLogoutXml: RefuseXml = (fault, detail) =>
  refuseLogout(fault === "dtd" ? "SAML_DOCTYPE" : "SAML_MALFORMED", detail);

/**
 * Parses a SAML message with one strict parser (reference §5.2 steps 1–2, `xml-dom.ts`): no DTD
 * (XXE, entity expansion), every parser warning or error refused, no processing instruction but
 * the XML declaration.
 */
export function parseSamlDocument(xml: string): StrictDocument {
  return parseStrictXml(xml, refuseLogoutXml);
}

/** The shared signature checks' refusals as logout failure codes. */
const SIGNATURE_FAULT_CODES: Record<SignatureFault, LogoutFailureCode> = {
  dtd: "SAML_DOCTYPE",
  "not-well-formed": "SAML_MALFORMED",
  "processing-instruction": "SAML_MALFORMED",
  repeated: "SAML_MALFORMED",
  unsigned: "SAML_UNSIGNED",
  misplaced: "SAML_SIGNATURE_MISPLACED",
  "duplicate-id": "SAML_DUPLICATE_ID",
  "signed-info-missing": "SAML_MALFORMED",
  algorithm: "SAML_SIGNATURE_ALGORITHM_FORBIDDEN",
  "no-id": "SAML_ID_INVALID",
  reference: "SAML_SIGNATURE_REFERENCE_INVALID",
  transforms: "SAML_SIGNATURE_REFERENCE_INVALID",
  "not-the-element": "SAML_SIGNATURE_REFERENCE_INVALID",
  "not-verified": "SAML_BAD_SIGNATURE",
};

export const refuseLogoutSignature: RefuseSignature = (fault, detail) =>
  refuseLogout(SIGNATURE_FAULT_CODES[fault], detail);

import type { ResponseFailure } from "./errors.js";
import type { SpidLevel } from "./names.js";

/** SAML Core §3.3.2.2.1 comparison of the requested AuthnContext. */
export type AuthnComparison = "exact" | "minimum" | "better" | "maximum";

/** What the ACS expects, from the pending AuthnRequest (bound to the browser) and the IdP registry. */
export interface ExpectedResponse {
  /** Our SP entityID: the only accepted Audience. */
  readonly spEntityId: string;
  /** The ACS URL that received the POST: Destination and Recipient must equal it. */
  readonly acsUrl: string;
  /** ID of the pending AuthnRequest: InResponseTo (Response and SubjectConfirmationData). */
  readonly requestId: string;
  /** IssueInstant of that AuthnRequest: the Response and Assertion may not be older. */
  readonly requestIssueInstant: Date;
  readonly requestedLevel: SpidLevel;
  /** The Comparison the AuthnRequest sent (default "minimum"). */
  readonly comparison?: AuthnComparison;
  /** The IdP the request went to: Response and Assertion Issuer. */
  readonly idpEntityId: string;
  /** The IdP's signing certificates (DER) from the registry metadata; never from the message. */
  readonly idpCertificates: readonly Uint8Array[];
  /**
   * SPID requires Format="…nameid-format:entity" on the Assertion Issuer (reference §1.4); CIE
   * omits it (reference §0.7). Default true.
   */
  readonly requireAssertionIssuerFormat?: boolean;
  /** Attributes that must be present and non-empty (default `["fiscalNumber"]`). */
  readonly requiredAttributes?: readonly string[];
}

/**
 * Port: remembers a consumed Assertion ID until `until` (its NotOnOrAfter plus the skew). Resolves
 * false when the ID was already remembered — a replay. Backed by shared storage, atomically.
 */
export type RememberAssertion = (assertionId: string, until: Date) => Promise<boolean>;

export interface ValidateResponseOptions {
  readonly now: Date;
  /** Tolerated clock difference with the IdP, both ways (default 3 minutes). */
  readonly clockSkewMs?: number;
  /** Cap on the decoded Response (default 256 KiB). */
  readonly maxBytes?: number;
  readonly rememberAssertion: RememberAssertion;
}

/** SPID attributes (reference §1.7) by `saml:Attribute/@Name`, first value, trimmed. */
export interface SpidAttributes {
  /** The codice fiscale, without the `TINIT-` prefix, upper case. */
  readonly fiscalNumber?: string;
  readonly name?: string;
  readonly familyName?: string;
  readonly email?: string;
  readonly [attribute: string]: string | undefined;
}

export interface AcceptedResponse {
  readonly ok: true;
  readonly assertionId: string;
  /** The earliest of SubjectConfirmationData and Conditions NotOnOrAfter. */
  readonly notOnOrAfter: Date;
  readonly nameId: string;
  /** Present for L1 only (reference §1.4 "SessionIndex"): never required. */
  readonly sessionIndex: string | undefined;
  readonly level: SpidLevel;
  readonly attributes: SpidAttributes;
}

export type ResponseValidation = AcceptedResponse | ResponseFailure;

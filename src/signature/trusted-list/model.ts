/**
 * The parts of an ETSI TS 119 612 trusted list (TL) that a signature verifier needs: the list's
 * identity and freshness (§5.3) and, per trust service (§5.5), its type, status and certificates.
 */

/** XML namespaces: TS 119 612 Annex B (TL schema) and XMLDSig. */
export const TSL_NAMESPACE = "http://uri.etsi.org/02231/v2#";
export const XMLDSIG_NAMESPACE = "http://www.w3.org/2000/09/xmldsig#";

/** TS 119 612 §5.5.1.1: a CA issuing qualified certificates (eIDAS Art. 3(16), 28, 38, 45). */
export const SERVICE_TYPE_CA_QC = "http://uri.etsi.org/TrstSvc/Svctype/CA/QC";

/**
 * TS 119 612 §5.5.4 service current status. Only `granted` makes a trust anchor today.
 * The pre-eIDAS values of TL version 4 (`undersupervision`, `supervisionincessation`, `accredited`)
 * were migrated to `granted`/`withdrawn` on 1 July 2016, so a current status can no longer carry them;
 * they only appear in a service's history and matter for signatures made before that date, which
 * this loader does not evaluate. They are reported, never trusted.
 */
export const SERVICE_STATUS_GRANTED = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted";
export const SERVICE_STATUS_WITHDRAWN = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/withdrawn";

/**
 * Who may sign the list. The certificate in the list's own KeyInfo is never trusted by itself:
 * it must match one of these pins, taken out of band (the EU LOTL's pointer to the Italian list,
 * or AgID's publication of its TL signing certificates in the OJEU).
 */
export type TrustedListSignerPin =
  | { readonly kind: "certificate"; readonly certificate: Uint8Array | string }
  | { readonly kind: "sha256"; readonly fingerprint: string };

export interface TrustedListService {
  readonly providerName: string;
  readonly serviceName: string;
  /** §5.5.1 ServiceTypeIdentifier URI. */
  readonly type: string;
  /** §5.5.4 ServiceStatus URI. */
  readonly status: string;
  /** §5.5.5 StatusStartingTime. */
  readonly statusStartingTime: Date | undefined;
  /** §5.5.3 ServiceDigitalIdentity: the X509Certificate values, DER. */
  readonly certificates: readonly Uint8Array[];
}

export type TrustedListWarningCode =
  /** §5.3.15 NextUpdate is in the past: the list is stale, fetch a newer one. */
  | "TRUSTED_LIST_NEXT_UPDATE_PASSED"
  /** §5.3.15 NextUpdate empty: the scheme has ceased, the list is closed. */
  | "TRUSTED_LIST_CLOSED"
  | "TRUSTED_LIST_SIGNER_CERTIFICATE_NOT_VALID_NOW"
  | "TRUSTED_LIST_SERVICE_CERTIFICATE_UNREADABLE";

export interface TrustedListWarning {
  readonly code: TrustedListWarningCode;
  readonly message: string;
}

export interface TrustedList {
  /** §5.3.10, e.g. "IT". */
  readonly schemeTerritory: string;
  /** §5.3.1. */
  readonly versionIdentifier: number | undefined;
  /** §5.3.2. */
  readonly sequenceNumber: number | undefined;
  /** §5.3.14. */
  readonly listIssueDateTime: Date;
  /** §5.3.15; undefined when the list is closed. */
  readonly nextUpdate: Date | undefined;
  /** The certificate that signed the list (DER) and its SHA-256 fingerprint (hex, lower case). */
  readonly signer: { readonly certificate: Uint8Array; readonly sha256: string };
  /** Every CA/QC service of the list, whatever its status. */
  readonly qualifiedCaServices: readonly TrustedListService[];
  /** DER certificates of the CA/QC services whose current status is granted, deduplicated. */
  readonly trustAnchors: readonly Uint8Array[];
  readonly warnings: readonly TrustedListWarning[];
}

export interface ParseTrustedListOptions {
  /** At least one; see {@link TrustedListSignerPin}. */
  readonly expectedSigners: readonly TrustedListSignerPin[];
  /** "Now", for the NextUpdate and signer-validity warnings. */
  readonly now: Date;
  /** Refuse larger documents; default 20 MiB (the EU LOTL and TSL-IT are a few MiB). */
  readonly maxBytes?: number;
}

export const DEFAULT_MAX_TRUSTED_LIST_BYTES = 20 * 1024 * 1024;

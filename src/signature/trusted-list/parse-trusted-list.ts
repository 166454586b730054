import { isValidAt, normalizePins, parseCertificate, sha256Hex } from "./certificate-bytes.js";
import { TrustedListError } from "./errors.js";
import {
  DEFAULT_MAX_TRUSTED_LIST_BYTES,
  type ParseTrustedListOptions,
  SERVICE_STATUS_GRANTED,
  type TrustedList,
  type TrustedListWarning,
} from "./model.js";
import { checkListRoot, type ListContent, readListContent } from "./read-list.js";
import { verifyListSignature } from "./verify-signature.js";
import { decodeXml, parseXml } from "./xml.js";

/**
 * Verifies and reads an ETSI TS 119 612 trusted list (e.g. AgID's TSL-IT). Pure: no network,
 * no disk, no clock (pass `now`). Throws a {@link TrustedListError} when the list cannot be
 * trusted — unsigned, signed by anyone but an expected signer, altered, or wrapped; returns the
 * qualified CAs' certificates to use as trust anchors otherwise, with warnings for a stale list.
 *
 * @example
 * const list = parseTrustedList(bytes, {
 *   expectedSigners: [{ kind: "sha256", fingerprint: AGID_TSL_SIGNER_SHA256 }],
 *   now: clock.now(),
 * });
 * const anchors = list.trustAnchors; // DER certificates
 */
export function parseTrustedList(xml: Uint8Array | string, options: ParseTrustedListOptions): TrustedList {
  try {
    return verifyAndRead(xml, options);
  } catch (cause) {
    // A safety net: whatever a hostile document makes a library throw becomes a named error.
    if (cause instanceof TrustedListError) throw cause;
    throw new TrustedListError("TRUSTED_LIST_MALFORMED", "trusted list cannot be processed", { cause });
  }
}

function verifyAndRead(xml: Uint8Array | string, options: ParseTrustedListOptions): TrustedList {
  const pins = normalizePins(options.expectedSigners);
  const text = decodeXml(xml, options.maxBytes ?? DEFAULT_MAX_TRUSTED_LIST_BYTES);
  const doc = parseXml(text, "trusted list");
  checkListRoot(doc.documentElement);
  const { signedXml, signerCertificate } = verifyListSignature(text, doc, pins);
  const content = readListContent(signedXml);
  return {
    schemeTerritory: content.schemeTerritory,
    versionIdentifier: content.versionIdentifier,
    sequenceNumber: content.sequenceNumber,
    listIssueDateTime: content.listIssueDateTime,
    nextUpdate: content.nextUpdate,
    signer: { certificate: signerCertificate, sha256: sha256Hex(signerCertificate) },
    qualifiedCaServices: content.qualifiedCaServices,
    trustAnchors: grantedCertificates(content),
    warnings: warningsFor(content, signerCertificate, options.now),
  };
}

/** TS 119 612 §5.5.4: only a CA/QC whose current status is granted is a trust anchor now. */
function grantedCertificates(content: ListContent): Uint8Array[] {
  const anchors = new Map<string, Uint8Array>();
  for (const service of content.qualifiedCaServices) {
    if (service.status !== SERVICE_STATUS_GRANTED) continue;
    for (const certificate of service.certificates) anchors.set(sha256Hex(certificate), certificate);
  }
  return [...anchors.values()];
}

function warningsFor(content: ListContent, signerCertificate: Uint8Array, now: Date): TrustedListWarning[] {
  const warnings: TrustedListWarning[] = [];
  if (content.nextUpdate === undefined) {
    warnings.push({ code: "TRUSTED_LIST_CLOSED", message: "NextUpdate is empty: the trusted list is closed" });
  } else if (content.nextUpdate.getTime() < now.getTime()) {
    warnings.push({
      code: "TRUSTED_LIST_NEXT_UPDATE_PASSED",
      message: `the trusted list should have been replaced by ${content.nextUpdate.toISOString()}`,
    });
  }
  const signer = parseCertificate(signerCertificate);
  if (signer === undefined || !isValidAt(signer, now)) {
    warnings.push({
      code: "TRUSTED_LIST_SIGNER_CERTIFICATE_NOT_VALID_NOW",
      message: "the certificate that signed the trusted list is not valid now",
    });
  }
  if (content.unreadableCertificates > 0) {
    warnings.push({
      code: "TRUSTED_LIST_SERVICE_CERTIFICATE_UNREADABLE",
      message: `${content.unreadableCertificates} CA/QC certificate value(s) could not be read and were skipped`,
    });
  }
  return warnings;
}

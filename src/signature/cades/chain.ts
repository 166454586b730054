/**
 * Certification path building (RFC 5280 §6, simplified): from the signer certificate through
 * the certificates carried in the SignedData to one of the trust anchors. Each step checks
 * the issuer's name (and AKI/SKI, keyUsage keyCertSign when present: OpenSSL's
 * X509_check_issued), that the issuer is a CA (basicConstraints, §4.2.1.9) and the signature.
 * Validity periods are checked separately, at the signing time, to give their own reasons.
 * Not done: revocation (CRL/OCSP), name and policy constraints, pathLenConstraint.
 */

import type { CertificateRecord } from "./certificate-record.js";
import { compareBytes } from "./der.js";
import type { SignerProblem } from "./reasons.js";

const MAX_PATH_LENGTH = 8;

export interface Chain {
  readonly trusted: boolean;
  /** Signer first; ends with the trust anchor when trusted. */
  readonly path: readonly CertificateRecord[];
  /** Why no path was found, for the reason message. */
  readonly problem: string | null;
}

/** Carried certificates looked at, and issuer checks made, per chain: hostile input cannot make it slow. */
const MAX_CANDIDATES = 50;
const MAX_ISSUER_CHECKS = 500;

export function buildChain(
  leaf: CertificateRecord,
  intermediates: readonly CertificateRecord[],
  anchors: readonly CertificateRecord[],
): Chain {
  const search = { explored: new Set<CertificateRecord>(), checks: 0 };
  const path = extendPath([leaf], intermediates.slice(0, MAX_CANDIDATES), anchors, search);
  if (path !== null) return { trusted: true, path, problem: null };
  return { trusted: false, path: [leaf], problem: diagnose(leaf, [...intermediates, ...anchors]) };
}

/**
 * Depth-first, but each carried certificate is explored once: if no anchor is reachable from it
 * by one route, none is by another (the checks do not depend on the route). Without that, N
 * look-alike CA certificates cost N! signature checks.
 */
function extendPath(
  path: readonly CertificateRecord[],
  intermediates: readonly CertificateRecord[],
  anchors: readonly CertificateRecord[],
  search: { explored: Set<CertificateRecord>; checks: number },
): CertificateRecord[] | null {
  const current = path[path.length - 1] as CertificateRecord;
  if (anchors.some((anchor) => compareBytes(anchor.der, current.der) === 0)) return [...path];
  const issuedBy = (candidate: CertificateRecord) => {
    search.checks += 1;
    return search.checks <= MAX_ISSUER_CHECKS && isIssuedBy(current, candidate);
  };
  const anchor = anchors.find(issuedBy);
  if (anchor) return [...path, anchor];
  if (path.length >= MAX_PATH_LENGTH) return null;
  for (const candidate of intermediates) {
    if (search.explored.has(candidate) || path.includes(candidate) || !issuedBy(candidate)) continue;
    search.explored.add(candidate);
    const found = extendPath([...path, candidate], intermediates, anchors, search);
    if (found) return found;
  }
  return null;
}

function isIssuedBy(child: CertificateRecord, issuer: CertificateRecord): boolean {
  try {
    const key = issuer.publicKey;
    return key !== null && issuer.x509.ca && child.x509.checkIssued(issuer.x509) && child.x509.verify(key);
  } catch {
    return false;
  }
}

function diagnose(leaf: CertificateRecord, candidates: readonly CertificateRecord[]): string {
  const named = candidates.filter(
    (candidate) => compareBytes(candidate.der, leaf.der) !== 0 && safeCheckIssued(leaf, candidate),
  );
  if (named.length === 0) return `no trusted certificate issued "${leaf.subject}" (issuer "${leaf.issuer}")`;
  if (named.every((candidate) => !candidate.x509.ca)) return `the issuer "${leaf.issuer}" is not a CA`;
  return `no path from "${leaf.subject}" to a trust anchor (signature or intermediate not trusted)`;
}

function safeCheckIssued(child: CertificateRecord, issuer: CertificateRecord): boolean {
  try {
    return child.x509.checkIssued(issuer.x509);
  } catch {
    return false;
  }
}

/** Validity period of every certificate of the path at `at` (RFC 5280 §4.1.2.5). */
export function validityProblem(path: readonly CertificateRecord[], at: Date): SignerProblem | null {
  for (const certificate of path) {
    if (at.getTime() > certificate.info.notAfter.getTime()) {
      return {
        code: "CERTIFICATE_EXPIRED_AT_SIGNING_TIME",
        message: `"${certificate.subject}" expired on ${certificate.info.notAfter.toISOString()}, before ${at.toISOString()}`,
      };
    }
    if (at.getTime() < certificate.info.notBefore.getTime()) {
      return {
        code: "CERTIFICATE_NOT_YET_VALID",
        message: `"${certificate.subject}" is valid only from ${certificate.info.notBefore.toISOString()}, after ${at.toISOString()}`,
      };
    }
  }
  return null;
}
